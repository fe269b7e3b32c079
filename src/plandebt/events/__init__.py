"""Immutable facts, one module per theme. Importing this package registers every
fact kind with the codec."""

from plandebt.events.base import ENVELOPE, Fact, fact_kinds
from plandebt.events.claims import (
    ClaimAdmitted,
    ClaimContested,
    ClaimDeclared,
    ClaimForeclosed,
    ClaimRejected,
    ClaimRelieved,
    CreditorKind,
    CreditorRegistered,
    DeclaredBy,
    Rank,
    ReliefRequested,
)
from plandebt.events.corrections import FactCorrected, FactVoided
from plandebt.events.payments import (
    ClaimWrittenOff,
    PaymentBasis,
    PaymentMade,
    RemissionBasis,
    RemissionGranted,
    WriteOffClause,
)
from plandebt.events.procedure import CaseConverted, CaseOpened, ProcedureKind

__all__ = [
    "ENVELOPE",
    "CaseConverted",
    "CaseOpened",
    "ClaimAdmitted",
    "ClaimContested",
    "ClaimDeclared",
    "ClaimForeclosed",
    "ClaimRejected",
    "ClaimRelieved",
    "ClaimWrittenOff",
    "CreditorKind",
    "CreditorRegistered",
    "DeclaredBy",
    "Fact",
    "FactCorrected",
    "FactVoided",
    "PaymentBasis",
    "PaymentMade",
    "ProcedureKind",
    "Rank",
    "ReliefRequested",
    "RemissionBasis",
    "RemissionGranted",
    "WriteOffClause",
    "fact_kinds",
]
