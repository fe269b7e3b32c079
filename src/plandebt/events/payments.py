"""Money leaving the debtor for a claim, and agreed reductions of a claim."""

from __future__ import annotations

import enum

import attrs

from plandebt.events.base import Fact
from plandebt.money import Money


class PaymentBasis(enum.Enum):
    """Why a payment was made. After the opening judgment a pre-opening claim may only
    be paid on one of the lawful bases of L622-7; `NONE` is recorded as it happened
    and reported by the compliance checks."""

    PLAN_DIVIDEND = "plan_dividend"
    CONNECTED_SETOFF = "connected_setoff"  # compensation de créances connexes
    JC_AUTHORISATION = "jc_authorisation"  # juge-commissaire order, L622-7 II
    POST_OPENING_AT_MATURITY = "post_opening_at_maturity"  # L622-17 I
    ALIMENTARY = "alimentary"
    NONE = "none"


class RemissionBasis(enum.Enum):
    CREDITOR_AGREEMENT = "creditor_agreement"  # accepted in the consultation (L626-5)
    PLAN_OPTION = "plan_option"  # L626-19: contingent until the last instalment
    PUBLIC_CREDITOR = "public_creditor"  # tax / social remission, L626-6
    OTHER = "other"


class WriteOffClause(enum.Enum):
    PURE = "pure"  # final waiver
    BETTER_FORTUNE = "better_fortune"  # clause de retour à meilleure fortune


@attrs.frozen(kw_only=True)
class PaymentMade(Fact):
    """A payment against a claim; `effective_on` is its value date."""

    kind = "payment.made"
    identity = ("claim",)

    claim: str
    amount: Money
    basis: PaymentBasis
    authorisation_ref: str | None = None  # the juge-commissaire's order


@attrs.frozen(kw_only=True)
class RemissionGranted(Fact):
    """An agreed reduction of a claim (remise)."""

    kind = "remission.granted"
    identity = ("claim",)

    claim: str
    amount: Money
    basis: RemissionBasis
    reference: str | None = None


@attrs.frozen(kw_only=True)
class ClaimWrittenOff(Fact):
    """A creditor's waiver of all or part of its claim (abandon de créance)."""

    kind = "claim.written_off"
    identity = ("claim",)

    claim: str
    amount: Money
    clause: WriteOffClause = WriteOffClause.PURE
    reference: str | None = None
    # A better-fortune waiver is a contingent liability both companies must disclose
    # in the notes to their accounts (law primer §6).
    disclosed: bool = False
