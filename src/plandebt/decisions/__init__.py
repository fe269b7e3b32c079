"""The decider: what may be recorded in a case, and what recording it changes.

    initial_state(case) -> CaseState
    decide(state, command) -> list[Fact]     all validation; never changes `state`
    evolve(state, fact) -> CaseState         no validation; what a replay runs

`decide` refuses nonsense with a typed error naming the field, the value and the
reason (architecture principle 3). It does not judge lawfulness: a frozen claim paid
without basis, a late declaration or a late dividend happened and are recorded; the
compliance checks report them. The decision branches, one per fact kind, live in one
module per theme: case, cessation, claims, money, corrections, plan, group, employment.
"""

from __future__ import annotations

from datetime import UTC, datetime

# The branches register themselves with `branches.branch` as they are imported.
from plandebt.decisions import (  # noqa: F401  (registration)
    case,
    cessation,
    claims,
    corrections,
    employment,
    group,
    money,
    plan,
)
from plandebt.decisions.branches import BRANCHES, decide_fact, replay_duplicate
from plandebt.decisions.commands import (
    AdvanceAgs,
    Command,
    ReceiveContribution,
    Record,
)
from plandebt.decisions.state import CaseState, KnownAt, evolve, initial_state
from plandebt.events import Fact

__all__ = [
    "BRANCHES",
    "AdvanceAgs",
    "CaseState",
    "Command",
    "KnownAt",
    "ReceiveContribution",
    "Record",
    "decide",
    "evolve",
    "initial_state",
    "replay_duplicate",
]

# Facts decided on a trial state are stamped with a time of no meaning: only their
# positions matter to the checks that follow them.
_TRIAL_TIME = datetime(1970, 1, 1, tzinfo=UTC)


def decide(state: CaseState, command: Command) -> list[Fact]:
    """The facts `command` records in the case `state` holds, each checked against
    the state its predecessors make; raises (and records nothing) if one may not be
    recorded. `state` is not changed."""
    facts = command.facts(state)
    if len(facts) == 1:
        decide_fact(state, facts[0])
        return facts
    trial = state.trial()  # a layer over `state`, which it never changes
    for fact in facts:
        decide_fact(trial, fact)
        evolve(
            trial, fact.stamped(trial.head + 1, trial.last_recorded_at or _TRIAL_TIME)
        )
    return facts
