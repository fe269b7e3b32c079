"""plandebt: the books of a company under a French court-ordered repayment plan,
kept as an event-sourced ledger.

The public API is what this module exports; everything else is private.
"""

from plandebt.errors import (
    ConflictError,
    DuplicateError,
    IdempotencyConflictError,
    InvalidInputError,
    JournalError,
    PlandebtError,
    StorageError,
    UnknownReferenceError,
)
from plandebt.events import (
    CaseConverted,
    CaseOpened,
    ClaimAdmitted,
    ClaimContested,
    ClaimDeclared,
    ClaimForeclosed,
    ClaimRejected,
    ClaimRelieved,
    ClaimWrittenOff,
    CreditorKind,
    CreditorRegistered,
    DeclaredBy,
    Fact,
    FactCorrected,
    FactVoided,
    PaymentBasis,
    PaymentMade,
    ProcedureKind,
    Rank,
    ReliefRequested,
    RemissionBasis,
    RemissionGranted,
    WriteOffClause,
    fact_kinds,
)
from plandebt.ledger import Ledger
from plandebt.money import Money
from plandebt.projections.balances import Balances, ClaimBalance, Totals

__version__ = "0.1.0"

__all__ = [
    "Balances",
    "CaseConverted",
    "CaseOpened",
    "ClaimAdmitted",
    "ClaimBalance",
    "ClaimContested",
    "ClaimDeclared",
    "ClaimForeclosed",
    "ClaimRejected",
    "ClaimRelieved",
    "ClaimWrittenOff",
    "ConflictError",
    "CreditorKind",
    "CreditorRegistered",
    "DeclaredBy",
    "DuplicateError",
    "Fact",
    "FactCorrected",
    "FactVoided",
    "IdempotencyConflictError",
    "InvalidInputError",
    "JournalError",
    "Ledger",
    "Money",
    "PaymentBasis",
    "PaymentMade",
    "PlandebtError",
    "ProcedureKind",
    "Rank",
    "ReliefRequested",
    "RemissionBasis",
    "RemissionGranted",
    "StorageError",
    "Totals",
    "UnknownReferenceError",
    "WriteOffClause",
    "__version__",
    "fact_kinds",
]
