"""Where the SQL view of movements used to live: see plandebt.projections.movements."""

from plandebt.projections.movements import BUCKETS, MovementsView

__all__ = ["BUCKETS", "MovementsView"]
