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
from plandebt.events.plan import (
    Answer,
    ConsultationAnswered,
    InstalmentRemitted,
    PlanAdopted,
    PlanCompleted,
    PlanModified,
    PlanOption,
    PlanResolved,
    ResolutionReason,
)
from plandebt.events.procedure import CaseConverted, CaseOpened, ProcedureKind

__all__ = [
    "ENVELOPE",
    "Answer",
    "CaseConverted",
    "CaseOpened",
    "ClaimAdmitted",
    "ClaimContested",
    "ClaimDeclared",
    "ClaimForeclosed",
    "ClaimRejected",
    "ClaimRelieved",
    "ClaimWrittenOff",
    "ConsultationAnswered",
    "CreditorKind",
    "CreditorRegistered",
    "DeclaredBy",
    "Fact",
    "FactCorrected",
    "FactVoided",
    "InstalmentRemitted",
    "PaymentBasis",
    "PaymentMade",
    "PlanAdopted",
    "PlanCompleted",
    "PlanModified",
    "PlanOption",
    "PlanResolved",
    "ProcedureKind",
    "Rank",
    "ReliefRequested",
    "RemissionBasis",
    "RemissionGranted",
    "ResolutionReason",
    "WriteOffClause",
    "fact_kinds",
]
