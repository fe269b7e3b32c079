"""The plots (matplotlib, Agg backend: no display, no system library): the plan's
cumulative due, remitted and distributed over its years; what is outstanding by rank;
the debtor's arrears; and the affordability forecast. Each returns the image's bytes,
PNG or SVG.

Amounts are drawn in euros: a plot is a picture, so the cents become floats here and
only here, after every figure was computed exactly."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from plandebt.errors import InvalidInputError
from plandebt.money import Money
from plandebt.reports.extras import MissingExtraError
from plandebt.reports.labels import Labels
from plandebt.reports.series import YearPoint

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from plandebt.forecast import Forecast

#: The image formats `render` writes.
FORMATS = ("png", "svg")
#: The plots of a case's history, by the name `plandebt plot` takes.
KINDS = ("cumulative", "outstanding", "arrears")


def _figure() -> tuple[Figure, Axes]:
    try:
        from matplotlib.figure import Figure
    except ImportError as e:
        raise MissingExtraError("matplotlib", "plot", "drawing a plot") from e
    # A Figure made directly (not through pyplot) draws with the Agg canvas and
    # keeps no global state: nothing to close, safe in a server.
    figure = Figure(figsize=(7.5, 3.8), layout="constrained")
    return figure, figure.add_subplot()


def _euros(amount: Money) -> float:
    return amount.cents / 100


def _finish(axes: Axes, years: Sequence[int], title: str, labels: Labels) -> None:
    axes.set_title(title)
    axes.set_xticks(list(years))  # plan years are whole: no tick between two
    axes.set_xlabel(labels["year_axis"])
    axes.set_ylabel(labels["euros_axis"])
    axes.grid(True, alpha=0.3)
    axes.yaxis.set_major_formatter(
        lambda value, _pos: f"{value:,.0f}".replace(
            ",", "\u202f" if labels.lang == "fr" else ","
        )
    )


def cumulative(points: Sequence[YearPoint], labels: Labels) -> Figure:
    """Cumulative due, remitted and distributed at each anniversary."""
    figure, axes = _figure()
    years = [p.year for p in points]
    for key, values in (
        ("due", [p.due for p in points]),
        ("remitted_to_supervisor", [p.remitted_to_supervisor for p in points]),
        ("distributed", [p.distributed for p in points]),
    ):
        axes.plot(years, [_euros(v) for v in values], marker="o", label=labels[key])
    axes.legend()
    _finish(axes, years, labels["plot_cumulative"], labels)
    return figure


def outstanding(points: Sequence[YearPoint], labels: Labels) -> Figure:
    """What is outstanding at each anniversary, stacked by rank."""
    figure, axes = _figure()
    years = [p.year for p in points]
    ranks = sorted({rank for p in points for rank, _ in p.outstanding_by_rank})
    bottom = [0.0] * len(points)
    for rank in ranks:
        values = [
            _euros(dict(p.outstanding_by_rank).get(rank, Money(0))) for p in points
        ]
        axes.bar(years, values, bottom=bottom, label=labels[rank])
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    if ranks:
        axes.legend(fontsize="small")
    _finish(axes, years, labels["plot_outstanding"], labels)
    return figure


def arrears(points: Sequence[YearPoint], labels: Labels) -> Figure:
    """The debtor's arrears at each anniversary."""
    figure, axes = _figure()
    years = [p.year for p in points]
    axes.bar(
        years,
        [_euros(p.arrears) for p in points],
        color="tab:red",
        label=labels["arrears"],
    )
    _finish(axes, years, labels["plot_arrears"], labels)
    return figure


def forecast(view: Forecast, labels: Labels) -> Figure:
    """Cash available against the plan's annuity, year by year."""
    figure, axes = _figure()
    years = [row.year for row in view.years]
    axes.bar(
        [y - 0.2 for y in years],
        [_euros(row.cash_in) for row in view.years],
        width=0.4,
        label=labels["cash_in"],
    )
    axes.bar(
        [y + 0.2 for y in years],
        [_euros(row.annuity) for row in view.years],
        width=0.4,
        label=labels["annuity"],
    )
    axes.legend()
    _finish(axes, years, labels["plot_forecast"], labels)
    return figure


def history_plot(kind: str, points: Sequence[YearPoint], labels: Labels) -> Figure:
    """The plot `kind` (one of KINDS) of a case's history."""
    if kind == "cumulative":
        return cumulative(points, labels)
    if kind == "outstanding":
        return outstanding(points, labels)
    if kind == "arrears":
        return arrears(points, labels)
    raise InvalidInputError("kind", kind, f"must be one of {', '.join(KINDS)}")


def render(figure: Figure, image_format: str = "png") -> bytes:
    """The figure as PNG or SVG bytes."""
    if image_format not in FORMATS:
        raise InvalidInputError(
            "format", image_format, f"must be one of {', '.join(FORMATS)}"
        )
    buffer = io.BytesIO()
    # SVG: no creation date, so that the same figures give the same file.
    metadata = {"Date": None} if image_format == "svg" else None
    figure.savefig(buffer, format=image_format, dpi=110, metadata=metadata)
    return buffer.getvalue()
