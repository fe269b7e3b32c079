"""Creditors and their claims: declaration, verification and the court's decisions
(C. com. L622-24 to L622-27, L624-1 to L624-3)."""

from __future__ import annotations

import enum
from datetime import date

import attrs

from plandebt.events.base import Fact
from plandebt.money import Money


class CreditorKind(enum.Enum):
    SUPPLIER = "supplier"
    BANK = "bank"
    TAX = "tax"
    SOCIAL = "social"  # URSSAF and other social-security bodies
    EMPLOYEE = "employee"
    GROUP_COMPANY = "group_company"
    AGS = "ags"  # the wage guarantee fund, creditor by subrogation (L3253-16 C. trav.)
    OTHER = "other"


class Rank(enum.Enum):
    """The claim's rank category (law primer §2.4). It decides how the plan may treat
    the claim (L626-20) and the order of payment in a liquidation."""

    SUPERPRIVILEGED_WAGES = "superprivileged_wages"  # L3253-2 C. trav.
    AGS_SUPERPRIVILEGED = "ags_superprivileged"  # AGS subrogated in the superprivilege
    SALARY_PRIVILEGED = "salary_privileged"
    PRIVILEGED_TAX = "privileged_tax"
    PRIVILEGED_SOCIAL = "privileged_social"
    SECURED = "secured"
    UNSECURED = "unsecured"  # chirographaire
    POST_OPENING = "post_opening"  # useful post-opening claim, L622-17
    NEW_MONEY = "new_money"  # new cash contribution, L622-17 III 2° / L626-10
    CONCILIATION = "conciliation"  # conciliation privilege, L611-11


class InterestRegime(enum.Enum):
    """Whether interest runs after the opening judgment (L622-28): it stops, except
    under loans of a year or more and contracts with payment deferred a year or more."""

    STOPPED_AT_OPENING = "stopped_at_opening"
    CONTINUES = "continues"


class InterestBasis(enum.Enum):
    """The contract under which interest is said to continue after the opening: the
    exception of L622-28 al. 1 covers loans of a year or more and contracts with
    payment deferred a year or more; a leasing contract (crédit-bail) is not a loan
    for it."""

    LOAN = "loan"  # contrat de prêt: its term is loan_term_months
    DEFERRED_PAYMENT = "deferred_payment"  # paiement différé: deferred_payment_months
    LEASING = "leasing"  # crédit-bail: never within the exception


class DeclaredBy(enum.Enum):
    CREDITOR = "creditor"
    DEBTOR_LIST = (
        "debtor_list"  # presumed declared on the creditor's behalf (L622-24 al. 3)
    )
    MANDATAIRE = "mandataire"  # wage claims listed by the mandataire (R624-8)


@attrs.frozen(kw_only=True)
class CreditorRegistered(Fact):
    """A creditor of the case, by name or pseudonym."""

    kind = "creditor.registered"
    identity = ("creditor",)

    creditor: str  # the creditor's id within the case, chosen by the user
    name: str
    creditor_kind: CreditorKind
    abroad: bool = False  # outside metropolitan France: +2 months to declare (R622-24)
    # A natural person's postal address (the mandataire writes to it). Like the name,
    # it is stored sealed under the person's key (plandebt.personal).
    address: str | None = None


@attrs.frozen(kw_only=True)
class ClaimDeclared(Fact):
    """A claim declared (déclaration de créance). `effective_on` is the declaration
    date; `origin_on` the date the debt arose, which decides whether it is frozen."""

    kind = "claim.declared"
    identity = ("claim", "creditor")

    claim: str
    creditor: str
    amount: Money
    origin_on: date
    rank: Rank
    declared_by: DeclaredBy = DeclaredBy.CREDITOR
    description: str | None = None
    interest_regime: InterestRegime = InterestRegime.STOPPED_AT_OPENING
    # Which exception of L622-28 al. 1 the continuing interest rests on, and its
    # length: a loan's term, or how long payment is deferred. Left out, a claim whose
    # interest continues is read as a loan (what older histories meant).
    interest_basis: InterestBasis | None = None
    loan_term_months: int | None = None
    deferred_payment_months: int | None = None
    # A creditor holding a published security, or bound to the debtor by a published
    # contract, is warned personally, and its deadlines run from that notice
    # (L622-24 al. 1 for the declaration, L622-26 al. 3 for a relief request).
    published_security: bool = False
    notice_received_on: date | None = None
    # For a claim born after the opening: whether it is a "useful" one (L622-17 I:
    # born for the procedure's or the observation period's needs, or in consideration
    # of a service rendered to the debtor then), paid when due and outside the plan.
    # None: read from the rank (plandebt.lifecycle.useful).
    useful: bool | None = None


@attrs.frozen(kw_only=True)
class ClaimAdmitted(Fact):
    """The juge-commissaire admits the claim, in full (no amount) or in part.
    `effective_on` is the decision date; the amount values the claim as at the opening
    judgment (L622-27, "cliché" at the opening date)."""

    kind = "claim.admitted"
    identity = ("claim",)

    claim: str
    amount: Money | None = None
    rank: Rank | None = None  # when the decision admits it at another rank
    decision_ref: str | None = None


@attrs.frozen(kw_only=True)
class ClaimRejected(Fact):
    kind = "claim.rejected"
    identity = ("claim",)

    claim: str
    decision_ref: str | None = None
    reason: str | None = None


@attrs.frozen(kw_only=True)
class ClaimContested(Fact):
    """The claim is disputed, or a lawsuit is pending (instance en cours, L624-2):
    its amount stays provisional."""

    kind = "claim.contested"
    identity = ("claim",)

    claim: str
    decision_ref: str | None = None
    reason: str | None = None


@attrs.frozen(kw_only=True)
class ClaimForeclosed(Fact):
    """Declared late: barred from distributions unless relieved (L622-26)."""

    kind = "claim.foreclosed"
    identity = ("claim",)

    claim: str
    decision_ref: str | None = None


@attrs.frozen(kw_only=True)
class ReliefRequested(Fact):
    """A request for relief from foreclosure (relevé de forclusion, L622-26);
    `effective_on` is the request date: a relieved claim shares only in the
    distributions after it (al. 1).

    The request is made within 6 months of the BODACC publication (of the personal
    notice, for holders of a published security or contract). Al. 3's exception: a
    creditor that could not know of its claim before those 6 months ran out has 6
    months from the date it could no longer ignore it, `knowledge_on`, recorded with
    its `justification`."""

    kind = "claim.relief_requested"
    identity = ("claim",)

    claim: str
    knowledge_on: date | None = None
    justification: str | None = None


@attrs.frozen(kw_only=True)
class ClaimRelieved(Fact):
    """Relief granted: the claim shares only in distributions after the request."""

    kind = "claim.relieved"
    identity = ("claim",)

    claim: str
    decision_ref: str | None = None


@attrs.frozen(kw_only=True)
class InterestAccrued(Fact):
    """Interest added to a claim for a period ending on `effective_on`. After the
    opening judgment only loans of a year or more keep bearing interest (L622-28):
    anything else is recorded as it happened and flagged by the compliance checks."""

    kind = "claim.interest_accrued"
    identity = ("claim",)

    claim: str
    amount: Money
    period_from: date | None = None
