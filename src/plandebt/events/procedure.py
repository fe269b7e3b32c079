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
    # Farming is two facts, with two consequences. A natural person who farms may
    # have a plan of 15 years instead of 10 (L626-12; an EARL or any company stays at
    # 10, Cass. com. 30 Nov 2017). A farming business of any form (exploitation
    # agricole) is exempt from the minimum annuities of the imposed delays
    # (L626-18 al. 4). None: no. A natural person farming runs a farming business,
    # so `farming_business` left out follows `farming_natural_person`.
    farming_natural_person: bool | None = None
    farming_business: bool | None = None
    # The single flag of journals written before the split, kept so that they stay
    # readable: it meant a farming natural person (the code gave it the 15 years
    # and the exemption), so true reads as both facts above.
    agricultural: bool | None = None
    # When the debtor asked for the opening (RJ: within 45 days of the cessation des
    # paiements, L631-4).
    filed_on: date | None = None

    @property
    def is_farming_natural_person(self) -> bool:
        """A natural person farming: the 15-year maximum (L626-12)."""
        return bool(self.farming_natural_person or self.agricultural)

    @property
    def is_farming_business(self) -> bool:
        """A farming business of any form: no minimum annuities (L626-18 al. 4)."""
        if self.farming_business is not None:
            return self.farming_business
        return self.is_farming_natural_person


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
