"""Where each creditor stands in the consultation on the plan (C. com. L626-5), and
so which option the plan applies to it.

The mandataire writes to each creditor; the letter's receipt (`received_on` on the
creditor's answer) starts 30 days (the ruleset's `creditor_consultation_silence_days`,
to the next working day, CPC art. 642). What counts is where the creditor stood on
the day the plan was adopted:

- it accepted an option: that option;
- it refused: the court's uniform delays (L626-18);
- it stayed silent, and the 30 days had run before the adoption: silence is an
  acceptance of the default option, unless that option converts claims into shares or
  securities, on which silence is a refusal;
- it stayed silent, but the 30 days had not run, or the letter's receipt is not
  recorded: its silence is no acceptance yet, so the uniform delays;
- it was never consulted (no answer of any kind recorded): it is not silent, it
  accepted nothing: the uniform delays.

A court may impose delays but never a remission (L626-18 al. 1): a creditor that
accepted nothing keeps its whole claim even when the uniform option repays less
(`without_remission`).
"""

from __future__ import annotations

import enum
from datetime import date, timedelta

import attrs

from plandebt.calendar import next_working_day, parse_holidays
from plandebt.events import Answer, ConsultationAnswered, PlanAdopted
from plandebt.money import Money
from plandebt.ruleset import Ruleset
from plandebt.schedules import Instalment


class Standing(enum.Enum):
    ACCEPTED = "accepted"  # answered, accepting an offered option
    REFUSED = "refused"  # answered no (or accepted an option the plan does not offer)
    SILENT_ACCEPTANCE = "silent_acceptance"  # 30 days ran before the adoption
    SILENT_REFUSAL = "silent_refusal"  # silent on an option that converts
    SILENT_IN_TIME = "silent_in_time"  # adopted before its 30 days ran out
    SILENT_UNDATED = "silent_undated"  # silent, the letter's receipt not recorded
    NOT_CONSULTED = "not_consulted"  # no answer of any kind recorded


#: The standings in which the creditor agreed to what the plan gives it.
AGREED = frozenset({Standing.ACCEPTED, Standing.SILENT_ACCEPTANCE})


@attrs.frozen
class Consultation:
    creditor: str
    standing: Standing
    option: str  # the option the plan applies to the creditor
    answer: ConsultationAnswered | None
    # The last day the creditor could answer: its silence is an acceptance from the
    # day after (None: no receipt recorded).
    answer_until: date | None = None

    @property
    def agreed(self) -> bool:
        """Whether the creditor agreed to its option (explicitly or by silence)."""
        return self.standing in AGREED


def deadline_end(rules: Ruleset, day: date) -> date:
    """Where a deadline that would end on `day` ends: the next working day when it
    is a Saturday, a Sunday or a public holiday (CPC art. 642 al. 2), if the ruleset
    says so."""
    if not rules.flag("deadline_extended_to_next_working_day"):
        return day
    return next_working_day(day, parse_holidays(rules.text("public_holidays")))


def answer_until(rules: Ruleset, received_on: date) -> date:
    """The last day to answer a consultation received on `received_on`: 30 days
    after it (the day of receipt not counted, CPC art. 641), extended to the next
    working day (art. 642)."""
    days = rules.days("creditor_consultation_silence_days")
    return deadline_end(rules, received_on + timedelta(days=days))


def consultation(
    creditor: str,
    answer: ConsultationAnswered | None,
    adopted: PlanAdopted,
    rules: Ruleset,
) -> Consultation:
    """Where `creditor` stood on the adoption day, given its answer (the latest
    recorded), and the option the plan applies to it."""
    uniform = adopted.uniform_option
    if answer is None:
        return Consultation(creditor, Standing.NOT_CONSULTED, uniform, None)
    until = (
        answer_until(rules, answer.received_on)
        if answer.received_on is not None
        else None
    )
    offered = {o.option: o for o in adopted.options}
    if answer.answer is Answer.ACCEPTS:
        if answer.option in offered:
            assert answer.option is not None
            return Consultation(
                creditor, Standing.ACCEPTED, answer.option, answer, until
            )
        return Consultation(creditor, Standing.REFUSED, uniform, answer, until)
    if answer.answer is Answer.REFUSES:
        return Consultation(creditor, Standing.REFUSED, uniform, answer, until)
    if until is None:
        return Consultation(creditor, Standing.SILENT_UNDATED, uniform, answer)
    if adopted.effective_on <= until:
        return Consultation(creditor, Standing.SILENT_IN_TIME, uniform, answer, until)
    default = adopted.default_option or uniform
    if offered[default].converts:
        return Consultation(creditor, Standing.SILENT_REFUSAL, uniform, answer, until)
    return Consultation(creditor, Standing.SILENT_ACCEPTANCE, default, answer, until)


def without_remission(instalments: list[Instalment], base: Money) -> list[Instalment]:
    """An imposed schedule that repays less than `base` repays it all: what the
    percentages leave is added to the last instalment. The court cannot impose a
    remission (L626-18 al. 1), so what a creditor did not accept stays owed; when
    it is paid is a library policy (with the plan's last instalment), and the plan's
    own shortfall is the error L626-18.imposed-sum."""
    short = base.cents - sum(i.amount.cents for i in instalments)
    if short <= 0 or not instalments:
        return instalments
    last = instalments[-1]
    return [
        *instalments[:-1],
        attrs.evolve(last, amount=last.amount + Money._of(short, base.currency)),
    ]
