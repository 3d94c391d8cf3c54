"""The SVG geometry drawn from a table: bars to scale, gaps for missing values, shares that add
up, and each mark labelled with its figure."""

import pytest

from copsite.dashboard import charts
from copsite.dashboard.tables import Table


def table(rows, columns=("Month", "Going", "Attended")):
    return Table(slug="t", title="T", description="D", columns=list(columns), rows=rows)


@pytest.mark.parametrize(
    ("value", "top"), [(0, 4), (3, 4), (5, 8), (10, 12), (37, 40), (101, 120), (1234, 1600)]
)
def test_count_axis_top_gives_whole_number_ticks(value, top):
    assert charts.count_axis_max(value) == top
    assert top % charts.TICKS == 0


def test_bar_chart_draws_bars_to_scale_with_their_figures_as_labels():
    chart = charts.bar_chart(
        table=table([["Jan 2026", 8, 6], ["Feb 2026", 4, None]]), columns=["Going", "Attended"]
    )

    heights = {bar["label"]: bar["height"] for bar in chart.bars}
    plot_height = chart.plot["bottom"] - chart.plot["top"]
    assert heights == {
        "Jan 2026, Going: 8": plot_height,
        "Jan 2026, Attended: 6": plot_height * 6 / 8,
        "Feb 2026, Going: 4": plot_height / 2,
    }
    assert [t["label"] for t in chart.ticks] == ["0", "2", "4", "6", "8"]
    assert [(x["line1"], x["line2"]) for x in chart.x_labels] == [("Jan", "2026"), ("Feb", "")]
    assert [item["label"] for item in chart.legend] == ["Going", "Attended"]


def test_line_chart_breaks_where_a_value_is_missing():
    rows = [["Jan 2026", 50.0], ["Feb 2026", None], ["Mar 2026", 25.0], ["Apr 2026", 75.0]]
    chart = charts.line_chart(
        table=table(rows, columns=("Round", "Rate")), columns=["Rate"], unit="%"
    )

    assert [len(line["points"].split()) for line in chart.lines] == [1, 2]
    assert [m["label"] for m in chart.markers] == [
        "Jan 2026: 50%",
        "Mar 2026: 25%",
        "Apr 2026: 75%",
    ]
    assert chart.ticks[-1]["label"] == "100%"


def test_stacked_bars_split_each_row_by_its_shares():
    chart = charts.stacked_bars(
        table=table([["Public", 3, 1], ["Health", 0, 0]]), columns=["Going", "Attended"]
    )

    widths = [bar["width"] for bar in chart.bars]
    assert sum(widths) == pytest.approx(chart.plot["right"] - chart.plot["left"], abs=0.2)
    assert widths[0] == pytest.approx(3 * widths[1], abs=0.2)
    assert [bar["label"] for bar in chart.bars] == [
        "Public, Going: 3 of 4",
        "Public, Attended: 1 of 4",
    ]
    assert [(r["label"], r["total"]) for r in chart.row_labels] == [("Public", 4), ("Health", 0)]
