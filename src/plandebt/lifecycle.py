"""A claim's lifecycle: the steps of its verification and the transitions the law
allows between them (C. com. L622-24 to L622-27, L624-1 to L624-3).

    declared ──> admitted │ rejected │ contested ──> admitted │ rejected
    admitted │ rejected ──> contested │ admitted │ rejected   (an appeal: L624-3)
    declared ──> foreclosed ──> relief requested ──> relieved ──> admitted │ ...

Two things are read from the steps, and kept apart:
- the claim's *status*: its latest step (by effective date, then recording position);
- its *valuation*: the latest admission or rejection, which says what the claim is
  worth. An appeal (a dispute after a decision) does not undo the decision: the
  admitted amount and rank stand until a new decision changes them.
"""

from __future__ import annotations

import enum

from plandebt.events import (
    ClaimAdmitted,
    ClaimContested,
    ClaimForeclosed,
    ClaimRejected,
    ClaimRelieved,
    Fact,
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
    ClaimStatus.RELIEF_REQUESTED: frozenset({ClaimStatus.RELIEVED}),
    # A relieved claim is verified like any other.
    ClaimStatus.RELIEVED: _DECISIONS,
}


def allows(status: ClaimStatus, step: ClaimStatus) -> bool:
    return step in TRANSITIONS[status]


def status_of(fact: Fact | None) -> ClaimStatus:
    """The status a claim's latest step gives it (None: no step, declared)."""
    return ClaimStatus.DECLARED if fact is None else STEP[type(fact)]
