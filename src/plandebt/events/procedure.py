"""The court case: the opening judgment that freezes pre-opening debts, and
conversions from one procedure to another."""

from __future__ import annotations

import enum
from datetime import date

import attrs

from plandebt.events.base import Fact


class ProcedureKind(enum.Enum):
    """Which proceeding the court opened (C. com. L620-1, L631-1, L640-1)."""

    SAUVEGARDE = "sauvegarde"
    REDRESSEMENT_JUDICIAIRE = "redressement_judiciaire"
    LIQUIDATION_JUDICIAIRE = "liquidation_judiciaire"


@attrs.frozen(kw_only=True)
class CaseOpened(Fact):
    """The opening judgment (jugement d'ouverture). `effective_on` is its date: every
    claim that arose before it is frozen (L622-7, L622-21)."""

    kind = "case.opened"

    procedure: ProcedureKind
    court: str
    debtor: str
    judgment_ref: str | None = None
    bodacc_published_on: date | None = None  # starts the declaration deadline (R622-24)
    # The date of cessation des paiements the court fixed (RJ and LJ, L631-8): at most
    # 18 months before the judgment; a sauvegarde has none (L620-1). Recorded as the
    # judgment says; the compliance checks report a date the law does not allow.
    cessation_on: date | None = None
    agricultural: bool = False  # a farming natural person: other plan limits (L626-12)
    # When the debtor asked for the opening (RJ: within 45 days of the cessation des
    # paiements, L631-4).
    filed_on: date | None = None


@attrs.frozen(kw_only=True)
class CaseConverted(Fact):
    """A judgment converting the proceeding (sauvegarde → RJ, RJ → LJ...), as of
    `effective_on`; the rules of the new procedure apply from then on."""

    kind = "case.converted"

    procedure: ProcedureKind
    judgment_ref: str | None = None
    # Converting into RJ or LJ, the date of cessation des paiements the court fixes,
    # at most 18 months before the first opening judgment (L631-8 al. 2 and last).
    cessation_on: date | None = None
