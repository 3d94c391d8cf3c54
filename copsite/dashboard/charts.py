"""The geometry of the dashboard's SVG charts, computed on the server from a `Table`.

No chart library and no script: the template draws rectangles, lines and text at the positions
given here. Every chart is an image with a title and a description, and its table follows it
with the same figures, so nothing is known only from a colour or a bar's length.
"""

import math
from dataclasses import dataclass, field

from django.utils.translation import gettext

from copsite.dashboard.tables import Table, number_text, percent_text

WIDTH = 640
HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 40
TICKS = 4
SERIES_CLASSES = 4  # .series-0 … .series-3 in admin-coordinator.css


@dataclass
class Chart:
    kind: str  # "bars", "lines" or "stacked"
    slug: str
    title: str
    description: str
    width: int
    height: int
    legend: list[dict] = field(default_factory=list)  # {"label", "css"}
    bars: list[dict] = field(default_factory=list)  # {"x", "y", "width", "height", "css", "label"}
    lines: list[dict] = field(default_factory=list)  # {"points", "css"}
    markers: list[dict] = field(default_factory=list)  # {"x", "y", "css", "label"}
    ticks: list[dict] = field(default_factory=list)  # {"y", "label"}
    x_labels: list[dict] = field(default_factory=list)  # {"x", "line1", "line2"}
    row_labels: list[dict] = field(default_factory=list)  # {"y", "label", "total", "x"}
    plot: dict = field(default_factory=dict)  # {"left", "right", "top", "bottom"}


def _css(index: int) -> str:
    return f"series-{index % SERIES_CLASSES}"


def count_axis_max(value: float) -> int:
    """A round top for a count axis whose TICKS steps are whole numbers: 4, 8, 12, 20, 40…"""
    raw = max(math.ceil(value / TICKS), 1)
    magnitude = 10 ** (len(str(raw)) - 1)
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 10):
        if step * magnitude >= raw and float(step * magnitude).is_integer():
            return int(step * magnitude) * TICKS
    return 10 * magnitude * TICKS


def _number(value: float) -> str:
    return number_text(value)


def _figure(value: float, unit: str) -> str:
    return percent_text(value) if unit == "%" else f"{_number(value)}{unit}"


def _axes(chart: Chart, categories: list[str], y_min: float, y_max: float, unit: str) -> None:
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    chart.plot = {"left": LEFT, "right": WIDTH - RIGHT, "top": TOP, "bottom": TOP + plot_height}
    for k in range(TICKS + 1):
        value = y_min + (y_max - y_min) * k / TICKS
        y = TOP + plot_height - plot_height * k / TICKS
        chart.ticks.append({"y": round(y, 1), "label": _figure(round(value, 2), unit)})
    slot = plot_width / max(len(categories), 1)
    for i, category in enumerate(categories):
        # "Nov 2026" → "Nov" over "2026" ("nov. 2026" in French): twelve months fit side by side.
        first, _, rest = category.partition(" ")
        previous = categories[i - 1].partition(" ")[2] if i else None
        chart.x_labels.append(
            {
                "x": round(LEFT + slot * (i + 0.5), 1),
                "line1": first,
                "line2": rest if rest != previous else "",
            }
        )


def _y(value: float, y_min: float, y_max: float) -> float:
    plot_height = HEIGHT - TOP - BOTTOM
    share = (value - y_min) / (y_max - y_min) if y_max > y_min else 0
    return TOP + plot_height - plot_height * share


def bar_chart(*, table: Table, columns: list[str], percent: bool = False) -> Chart:
    """Grouped vertical bars: one group per row, one bar per column named."""
    categories = [str(row[0]) for row in table.rows]
    series = [table.column(name) for name in columns]
    values = [v for column in series for v in column if v is not None]
    y_max = 100 if percent else count_axis_max(max(values, default=0))
    chart = Chart("bars", table.slug, table.title, table.description, WIDTH, HEIGHT)
    chart.legend = [{"label": name, "css": _css(j)} for j, name in enumerate(columns)]
    _axes(chart, categories, 0, y_max, "%" if percent else "")
    slot = (WIDTH - LEFT - RIGHT) / max(len(categories), 1)
    bar_width = slot * 0.8 / max(len(columns), 1)
    for i, category in enumerate(categories):
        for j, column in enumerate(series):
            value = column[i]
            if value is None:
                continue
            y = _y(value, 0, y_max)
            chart.bars.append(
                {
                    "x": round(LEFT + slot * i + slot * 0.1 + bar_width * j, 1),
                    "y": round(y, 1),
                    "width": round(bar_width, 1),
                    "height": round(chart.plot["bottom"] - y, 1),
                    "css": _css(j),
                    "label": gettext("%(category)s, %(series)s: %(value)s")
                    % {
                        "category": category,
                        "series": columns[j],
                        "value": _figure(value, "%" if percent else ""),
                    },
                }
            )
    return chart


def line_chart(
    *, table: Table, columns: list[str], y_min: float = 0, y_max: float = 100, unit: str = ""
) -> Chart:
    """One line per column named across the rows; a missing value breaks the line."""
    categories = [str(row[0]) for row in table.rows]
    chart = Chart("lines", table.slug, table.title, table.description, WIDTH, HEIGHT)
    chart.legend = [{"label": name, "css": _css(j)} for j, name in enumerate(columns)]
    _axes(chart, categories, y_min, y_max, unit)
    slot = (WIDTH - LEFT - RIGHT) / max(len(categories), 1)
    for j, name in enumerate(columns):
        segments, current, markers = [], [], []
        for i, value in enumerate(table.column(name)):
            if value is None:
                if current:
                    segments.append(current)
                current = []
                continue
            point = (round(LEFT + slot * (i + 0.5), 1), round(_y(value, y_min, y_max), 1))
            current.append(point)
            label = gettext("%(category)s: %(value)s") % {
                "category": categories[i],
                "value": _figure(value, unit),
            }
            markers.append({"x": point[0], "y": point[1], "label": label})
        if current:
            segments.append(current)
        for segment in segments:
            chart.lines.append({"points": " ".join(f"{x},{y}" for x, y in segment), "css": _css(j)})
        chart.markers += [{"css": _css(j), **marker} for marker in markers]
    return chart


def stacked_bars(*, table: Table, columns: list[str], label_width: int = 200) -> Chart:
    """One horizontal bar per row, split by the columns named, each as a share of the row."""
    row_height, gap = 22, 8
    height = TOP + len(table.rows) * (row_height + gap) + 8
    chart = Chart("stacked", table.slug, table.title, table.description, WIDTH, height)
    chart.legend = [{"label": name, "css": _css(j)} for j, name in enumerate(columns)]
    plot_left, plot_right = label_width, WIDTH - 56
    chart.plot = {"left": plot_left, "right": plot_right, "top": TOP, "bottom": height - 8}
    indexes = [table.columns.index(name) for name in columns]
    for i, row in enumerate(table.rows):
        y = TOP + i * (row_height + gap)
        values = [row[k] or 0 for k in indexes]
        total = sum(values)
        chart.row_labels.append(
            {
                "y": y + 15,
                "label": str(row[0]),
                "total": total,
                "x": plot_right + 6,
            }
        )
        x = plot_left
        for j, value in enumerate(values):
            if not value:
                continue
            width = (plot_right - plot_left) * value / total
            chart.bars.append(
                {
                    "x": round(x, 1),
                    "y": y,
                    "width": round(width, 1),
                    "height": row_height,
                    "css": _css(j),
                    "label": gettext("%(category)s, %(series)s: %(value)s of %(total)s")
                    % {"category": row[0], "series": columns[j], "value": value, "total": total},
                }
            )
            x += width
    return chart
