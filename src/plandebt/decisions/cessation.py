"""Decisions on a cessation des paiements found during the plan (L626-27 I al. 3)."""

from __future__ import annotations

from plandebt.decisions.branches import branch
from plandebt.decisions.plan import _adopted
from plandebt.decisions.state import CaseState
from plandebt.events import PaymentsCeased


@branch(PaymentsCeased)
def _payments_ceased(state: CaseState, fact: PaymentsCeased) -> None:
    # During the plan: on or after its adoption, while it has not ended. Before the
    # adoption the cessation is the opening judgment's (CaseOpened.cessation_on) or
    # a conversion's.
    _adopted(state, fact)
