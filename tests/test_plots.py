"""The plots (plandebt.plots) and the series they draw (plandebt.reports.series)."""

from __future__ import annotations

import io
import sys
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from PIL import Image
from tests.test_plan import record_each
from tests.test_reports import CASE, FIRST_ANNUITY, sample_case, sample_store

from plandebt import InvalidInputError, Money
from plandebt.calendar import anniversary
from plandebt.cli import main
from plandebt.plots import KINDS, history_plot, render
from plandebt.plots import forecast as plots_forecast
from plandebt.reports.labels import Labels
from plandebt.reports.series import plan_series
from plandebt.strategies import plan_histories

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def assert_png(data: bytes) -> None:
    assert data.startswith(PNG_SIGNATURE)
    with Image.open(io.BytesIO(data)) as image:
        image.verify()  # the whole file decodes
    with Image.open(io.BytesIO(data)) as image:
        assert image.size[0] > 300 and image.size[1] > 200


def assert_svg(data: bytes) -> None:
    root = ET.fromstring(data)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert len(list(root.iter())) > 20  # something is drawn


@pytest.mark.parametrize("kind", KINDS)
def test_each_plot_is_a_valid_png_and_svg(kind: str) -> None:
    points = plan_series(sample_case(), CASE)
    figure = history_plot(kind, points, Labels())
    assert_png(render(figure, "png"))
    assert_svg(render(figure, "svg"))


def test_a_plot_says_its_title_in_the_language_asked() -> None:
    points = plan_series(sample_case(), CASE)
    french = render(history_plot("cumulative", points, Labels("fr")), "svg")
    english = render(history_plot("cumulative", points, Labels("en")), "svg")
    assert french != english
    assert history_plot("cumulative", points, Labels("fr")).axes[0].get_title() == (
        "Cumul échu, versé et réparti"
    )


def test_an_unknown_plot_or_format_is_refused() -> None:
    points = plan_series(sample_case(), CASE)
    with pytest.raises(InvalidInputError):
        history_plot("pie", points, Labels())
    with pytest.raises(InvalidInputError):
        render(history_plot("arrears", points, Labels()), "gif")


def test_the_series_is_the_plan_status_at_each_anniversary() -> None:
    ledger = sample_case()
    ledger.remit_instalment(
        CASE, amount=FIRST_ANNUITY.plain(), paid_on=date(2024, 3, 21)
    )
    points = plan_series(ledger, CASE)
    assert [p.year for p in points] == list(range(11))
    assert [p.on for p in points] == [
        anniversary(date(2023, 3, 20), k) for k in range(11)
    ]
    # On the first anniversary the annuity is due and not remitted (the 21st is
    # later), but not late on its own due date: no arrears yet (L626-21).
    assert (points[1].due, points[1].remitted_to_supervisor, points[1].arrears) == (
        FIRST_ANNUITY,
        Money(0),
        Money(0),
    )
    assert points[2].remitted_to_supervisor == FIRST_ANNUITY
    assert points[-1].due == ledger.schedule(CASE).total
    assert plan_series(ledger, CASE, until=date(2025, 3, 19))[-1].year == 1


@settings(max_examples=25, deadline=None)
@given(plan_histories())
def test_the_cumulative_due_adds_up_the_annuities(facts) -> None:
    ledger = record_each(facts)
    case = facts[0].case
    schedule = ledger.schedule(case)
    points = plan_series(ledger, case)
    if schedule is None:
        assert points == ()
        return
    by_year = dict(schedule.by_year())
    for p in points:
        due = sum(m.cents for y, m in by_year.items() if y <= p.year)
        assert p.due == Money(due)
        outstanding = ledger.balances(case, p.on).total.outstanding
        assert sum(m.cents for _, m in p.outstanding_by_rank) == outstanding.cents


# --- the command line -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "suffix"),
    [("cumulative", "png"), ("outstanding", "svg"), ("arrears", "png")],
)
def test_plandebt_plot_writes_the_file(tmp_path: Path, kind: str, suffix: str) -> None:
    db = sample_store(tmp_path)
    out = tmp_path / f"plot.{suffix}"
    assert main(["--db", db, "plot", kind, "-o", str(out)]) == 0
    data = out.read_bytes()
    assert data
    (assert_png if suffix == "png" else assert_svg)(data)


def test_plot_refuses_a_file_of_unknown_format(tmp_path: Path, capsys) -> None:
    db = sample_store(tmp_path)
    out = tmp_path / "plot.gif"
    assert main(["--db", db, "plot", "arrears", "-o", str(out)]) == 2
    assert "cannot tell the format" in capsys.readouterr().err
    assert not out.exists()


def test_plot_without_matplotlib_exits_3_naming_the_extra(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    db = sample_store(tmp_path)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    out = tmp_path / "p.png"
    assert main(["--db", db, "plot", "cumulative", "-o", str(out)]) == 3
    assert capsys.readouterr().err.strip() == (
        "plandebt: drawing a plot needs matplotlib, which is not installed: "
        "pip install 'plandebt[plot]'"
    )
    assert not out.exists()


def test_the_forecast_plot_is_a_valid_png() -> None:
    from plandebt.forecast import forecast, load_turnover

    ledger = sample_case()
    view = forecast(
        ledger,
        CASE,
        load_turnover(
            Path(__file__).resolve().parents[1] / "examples" / "turnover.toml"
        ),
    )
    figure = plots_forecast(view, Labels())
    assert [len(c.patches) for c in figure.axes[0].containers] == [4, 4]
    assert_png(render(figure, "png"))


def test_without_matplotlib_the_annual_report_says_how_to_get_its_plots(
    monkeypatch,
) -> None:
    from plandebt.reports.annual import annual_report
    from plandebt.reports.render import annual_html

    report = annual_report(sample_case(), CASE, 1)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    html = annual_html(report)
    assert "<img" not in html
    assert "pip install &#39;plandebt[plot]&#39;" in html
