"""Corrections: history is never edited. A later fact names the one it corrects or
voids; views as known before the correction still show the old value."""

from __future__ import annotations

from typing import Any

import attrs

from plandebt.events.base import Fact


@attrs.frozen(kw_only=True)
class FactCorrected(Fact):
    """Replaces some fields of fact `corrects` from now on. `changes` holds the new
    values in journal form. `effective_on` is when the correction was decided; the
    corrected fact keeps its own effective date unless `changes` names one."""

    kind = "fact.corrected"

    corrects: str
    changes: dict[str, Any]
    reason: str | None = None


@attrs.frozen(kw_only=True)
class FactVoided(Fact):
    """Cancels fact `voids`: as known from now on, it never happened."""

    kind = "fact.voided"

    voids: str
    reason: str | None = None
