"""A claim's lifecycle: the steps of its verification and the transitions the law
allows between them (C. com. L622-24 to L622-27, L624-1 to L624-3).

    declared ──> admitted │ rejected │ contested ──> admitted │ rejected
    admitted │ rejected ──> contested │ admitted │ rejected   (an appeal: L624-3)
    declared ──> foreclosed ──> relief requested ──> relieved ──> admitted │ ...
                 foreclosed <── relief requested     (the relief is refused)

Two things are read from the steps, and kept apart:
- the claim's *status*: its latest step (by effective date, then recording position);
- its *valuation*: the latest admission or rejection, which says what the claim is
  worth. An appeal (a dispute after a decision) does not undo the decision: the
  admitted amount and rank stand until a new decision changes them.

A third is read from them for the plan: whether the claim takes part in its
distributions at all (L622-26 al. 1, see `BARRED` and `relief`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date

import attrs

from plandebt.events import (
    ClaimAdmitted,
    ClaimContested,
    ClaimDeclared,
    ClaimForeclosed,
    ClaimRejected,
    ClaimRelieved,
    Fact,
    Rank,
    ReliefRequested,
)


class ClaimStatus(enum.Enum):
    DECLARED = "declared"
    ADMITTED = "admitted"
    REJECTED = "rejected"
    CONTESTED = "contested"
    FORECLOSED = "foreclosed"  # forclos: not declared in time (L622-26)
    RELIEF_REQUESTED = "relief_requested"  # relevé de forclusion asked (L622-26 al. 1)
    RELIEVED = "relieved"


#: The step each fact kind takes the claim to.
STEP: dict[type[Fact], ClaimStatus] = {
    ClaimAdmitted: ClaimStatus.ADMITTED,
    ClaimRejected: ClaimStatus.REJECTED,
    ClaimContested: ClaimStatus.CONTESTED,
    ClaimForeclosed: ClaimStatus.FORECLOSED,
    ReliefRequested: ClaimStatus.RELIEF_REQUESTED,
    ClaimRelieved: ClaimStatus.RELIEVED,
}

#: Decisions that value the claim, as at the opening judgment (L622-27).
VALUATIONS: tuple[type[Fact], ...] = (ClaimAdmitted, ClaimRejected)

_DECISIONS = frozenset(
    {ClaimStatus.ADMITTED, ClaimStatus.REJECTED, ClaimStatus.CONTESTED}
)

#: From each status, the steps the law allows next.
TRANSITIONS: dict[ClaimStatus, frozenset[ClaimStatus]] = {
    ClaimStatus.DECLARED: _DECISIONS | {ClaimStatus.FORECLOSED},
    # The juge-commissaire decides a dispute: admitted or rejected (L624-2).
    ClaimStatus.CONTESTED: frozenset({ClaimStatus.ADMITTED, ClaimStatus.REJECTED}),
    # A decision can be disputed on appeal, and a later decision (the appeal's
    # judgment, L624-3) replaces it; a decided claim cannot be foreclosed.
    ClaimStatus.ADMITTED: _DECISIONS,
    ClaimStatus.REJECTED: _DECISIONS,
    # The court may relieve on the request (L622-26 al. 1).
    ClaimStatus.FORECLOSED: frozenset(
        {ClaimStatus.RELIEF_REQUESTED, ClaimStatus.RELIEVED}
    ),
    # The juge-commissaire grants the request, or refuses it: the claim is then
    # foreclosed again (recorded as a new `claim.foreclosed`), and may ask again.
    ClaimStatus.RELIEF_REQUESTED: frozenset(
        {ClaimStatus.RELIEVED, ClaimStatus.FORECLOSED}
    ),
    # A relieved claim is verified like any other.
    ClaimStatus.RELIEVED: _DECISIONS,
}


def allows(status: ClaimStatus, step: ClaimStatus) -> bool:
    return step in TRANSITIONS[status]


def status_of(fact: Fact | None) -> ClaimStatus:
    """The status a claim's latest step gives it (None: no step, declared)."""
    return ClaimStatus.DECLARED if fact is None else STEP[type(fact)]


#: Statuses in which a claim takes no part in the plan's distributions and dividends,
#: and is unenforceable against the debtor while the plan runs (C. com. L622-26 al. 1
#: and 2: "les créanciers ne sont pas admis dans les répartitions et les dividendes
#: à moins que le juge-commissaire ne les relève de leur forclusion"). A request for
#: relief changes nothing until it is granted.
BARRED = frozenset({ClaimStatus.FORECLOSED, ClaimStatus.RELIEF_REQUESTED})


@attrs.frozen
class Relief:
    """A relief from foreclosure as it bears on the plan (L622-26 al. 1): the claim
    shares only in the distributions made after its request ("ils ne peuvent alors
    concourir que pour les distributions postérieures à leur demande")."""

    relieved_on: date  # the juge-commissaire's order
    shares_from: date  # the request's date: what fell due before it is not owed
    request: str | None  # the request's fact id; None when none was recorded
    relief: str  # the relief's fact id


def relief(facts: Iterable[Fact]) -> Relief | None:
    """The latest relief among a claim's facts, with the request it granted: the
    latest request made on or before it and after the claim was last foreclosed (a
    refused request is followed by a new foreclosure). A relief recorded without a
    request (an older history) counts from its own date, the latest the request can
    have been."""
    steps = sorted(
        (
            f
            for f in facts
            if isinstance(f, ClaimRelieved | ReliefRequested | ClaimForeclosed)
        ),
        key=lambda f: (f.effective_on, f.seq or 0),
    )
    at = next(
        (i for i in reversed(range(len(steps))) if isinstance(steps[i], ClaimRelieved)),
        None,
    )
    if at is None:
        return None
    granted = steps[at]
    asked: Fact | None = None
    for f in reversed(steps[:at]):
        if isinstance(f, ClaimForeclosed):
            break
        if isinstance(f, ReliefRequested):
            asked = f
            break
    return Relief(
        relieved_on=granted.effective_on,
        shares_from=asked.effective_on if asked else granted.effective_on,
        request=asked.id if asked else None,
        relief=granted.id,
    )


#: Ranks whose claims, born after the opening, are "useful" ones by nature
#: (L622-17): a useful post-opening claim, new money (L622-17 III 2°).
USEFUL_RANKS = frozenset({Rank.POST_OPENING, Rank.NEW_MONEY})
#: Wage claims and the AGS's have a regime of their own (C. trav. L3253-2 ff., C. com.
#: L625-8): born after the opening, pay is the counterpart of work done during the
#: observation period, so they are presumed useful too.
WAGE_RANKS = frozenset(
    {Rank.SUPERPRIVILEGED_WAGES, Rank.SALARY_PRIVILEGED, Rank.AGS_SUPERPRIVILEGED}
)


def useful(declared: ClaimDeclared) -> bool:
    """Whether a claim born after the opening judgment is a "useful" one of L622-17 I,
    paid when due: what its declaration says (`useful`), else what its rank says.
    A post-opening claim that is not useful is under the payment ban like a frozen
    one (L622-7 I: "interdiction de payer toute créance née après le jugement
    d'ouverture, non mentionnée au I de l'article L. 622-17") and goes through the
    plan."""
    if declared.useful is not None:
        return declared.useful
    return declared.rank in USEFUL_RANKS | WAGE_RANKS
