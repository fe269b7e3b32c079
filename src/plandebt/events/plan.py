"""The court-ordered plan: adoption, the creditors' answers, the debtor's remittances
to the plan supervisor, and the judgments that change or end the plan
(C. com. L626-5 to L626-28)."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal

import attrs

from plandebt.events.base import Fact
from plandebt.money import Money
from plandebt.schedules import FirstDue, Frequency


@attrs.frozen(kw_only=True)
class PlanOption:
    """One way of being repaid the plan offers: a percentage of each claim per plan
    year. Percentages adding up to less than 100 trade a remission for faster payment
    (L626-19): the rest is remitted once the debtor remits the last instalment to
    the plan supervisor by its date (L626-19 al. 2, L626-21)."""

    option: str  # its id, e.g. "uniform", "fast"
    percents: tuple[Decimal, ...]
    label: str | None = None
    # The option converts claims into shares or securities giving access to the
    # capital: a creditor's silence on it is a refusal, not an acceptance (L626-5).
    converts: bool = False
    # When the option's first instalment falls, as plans write it: a number of
    # months after the adoption ("within three months of the adoption": 3), or a
    # date the judgment names; the next ones follow at the option's frequency.
    # Neither: the plan's `first_due_on`, else its `first_due` rule.
    first_due_months: int | None = None
    first_due_on: date | None = None
    # How often a year's percentage is paid (None: once a year).
    frequency: Frequency | None = None


class Answer(enum.Enum):
    ACCEPTS = "accepts"
    REFUSES = "refuses"  # gets the court-imposed uniform delays (L626-18)
    # Silence for 30 days after the letter's receipt (`received_on`) is acceptance
    # of the default option, unless that option converts into securities (L626-5).
    SILENT = "silent"


@attrs.frozen(kw_only=True)
class PlanAdopted(Fact):
    """The judgment adopting the plan (jugement arrêtant le plan); `effective_on` is
    its date. The instalments fall on its anniversaries."""

    kind = "plan.adopted"

    duration_years: int
    supervisor: str  # commissaire à l'exécution du plan
    options: tuple[PlanOption, ...]
    uniform_option: str  # imposed on creditors who refuse (L626-18)
    default_option: str | None = None  # for silent creditors; default: uniform
    first_due: FirstDue = FirstDue.FIRST_ANNIVERSARY
    # When the judgment names the first due date; the next ones fall on its
    # anniversaries. Takes precedence over `first_due`.
    first_due_on: date | None = None
    judgment_ref: str | None = None


@attrs.frozen(kw_only=True)
class ConsultationAnswered(Fact):
    """A creditor's answer to the consultation on the draft plan (L626-5);
    `effective_on` is the answer's date (or when silence was recorded)."""

    kind = "plan.consultation_answered"
    identity = ("creditor",)

    creditor: str
    answer: Answer
    option: str | None = None  # the option accepted
    received_on: date | None = None  # when the consultation letter was received


@attrs.frozen(kw_only=True)
class InstalmentRemitted(Fact):
    """The debtor remits money to the plan supervisor (payments are "portables",
    L626-21); `effective_on` is the value date. It pays the oldest due instalments
    first."""

    kind = "plan.instalment_remitted"

    amount: Money


@attrs.frozen(kw_only=True)
class PlanModified(Fact):
    """A substantial modification (L626-26): from `effective_on`, what is not yet due
    is rescheduled with `percents`, over years counted from the modification.

    The creditors it affects are consulted, and their silence is an acceptance of
    new delays but not of a remission (nor of a conversion): percentages adding up to
    less than 100 remit the rest only for the creditors in `accepted_by`, those the
    judgment records as having expressly accepted. For any other, what they leave
    stays owed (as for a creditor that accepted nothing of the original plan)."""

    kind = "plan.modified"

    percents: tuple[Decimal, ...]
    duration_years: int  # the plan's new total duration, from the original adoption
    first_due: FirstDue = FirstDue.FIRST_ANNIVERSARY
    judgment_ref: str | None = None
    # The creditors that expressly accepted the modification (L626-26).
    accepted_by: tuple[str, ...] = ()


class ResolutionReason(enum.Enum):
    NON_PERFORMANCE = "non_performance"  # L626-27 I al. 2 (optional for the court)
    CESSATION = "cessation"  # cessation des paiements during the plan (mandatory)
    OTHER = "other"


@attrs.frozen(kw_only=True)
class PlanResolved(Fact):
    """Resolution of the plan (L626-27): creditors recover their claims less what they
    received; contingent remissions fall, acquired ones stay."""

    kind = "plan.resolved"

    reason: ResolutionReason
    judgment_ref: str | None = None


@attrs.frozen(kw_only=True)
class PlanCompleted(Fact):
    """The court records that the plan has been carried out (constat d'achèvement,
    L626-28)."""

    kind = "plan.completed"

    judgment_ref: str | None = None
