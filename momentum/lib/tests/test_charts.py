"""Charts render as accessible, escaped SVG that states its numbers."""

from datetime import date, timedelta
from html.parser import HTMLParser

from momentum.lib import charts


class Svg(HTMLParser):
    def __init__(self, markup: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.attributes: list[str] = []
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(name for name, _ in attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_a_line_chart_names_itself_and_lists_its_values_for_screen_readers() -> None:
    svg = Svg(charts.line([("Mon", 3), ("Tue", 5), ("Wed", 0)], title="Lessons per day"))
    assert svg.tags[:3] == ["svg", "title", "desc"]
    assert "Lessons per day" in svg.text
    assert "Mon: 3; Tue: 5; Wed: 0" in svg.text
    assert svg.tags.count("circle") == 3


def test_an_empty_chart_says_there_is_no_data() -> None:
    assert "No data yet" in Svg(charts.line([], title="Nothing")).text
    assert "No data yet" in Svg(charts.bars([], title="Nothing")).text


def test_bars_scale_to_the_largest_value() -> None:
    markup = charts.bars([("Day 1", 100), ("Day 2", 50)], title="Drop-off")
    assert 'width="334.0"' in markup  # the full plot width
    assert 'width="167.0"' in markup  # half of it


def test_labels_are_escaped() -> None:
    markup = charts.bars([("<script>alert(1)</script>", 1)], title="<b>t</b>")
    assert "<script>" not in markup
    assert "script" not in Svg(markup).tags


def test_a_calendar_has_one_cell_per_day_and_counts_active_days() -> None:
    start = date(2026, 11, 1)
    days = {start + timedelta(days=i): 1 for i in (0, 1, 2, 10)}
    svg = Svg(charts.calendar(days, start=start, end=start + timedelta(days=29), title="Streak"))
    assert svg.tags.count("rect") == 30
    assert "4 active days between 2026-11-01 and 2026-11-30" in svg.text


def test_charts_carry_no_inline_style_or_script() -> None:
    markup = charts.line([("a", 1)], title="t") + charts.bars([("a", 1)], title="t")
    svg = Svg(markup)
    assert "style" not in svg.attributes
    assert not [name for name in svg.attributes if name.startswith("on")]


def test_a_line_chart_with_a_negative_day_extends_its_axis_below_zero() -> None:
    markup = charts.line([("Mon", 40), ("Tue", -20), ("Wed", 0)], title="Net revenue")
    ticks = [text for text in Svg(markup).text if text.lstrip("-").isdigit()]
    assert ticks == ["-20", "0", "20", "40", "60"]
    assert "Tue: -20" in Svg(markup).text


def test_small_counts_get_whole_number_ticks() -> None:
    ticks = [text for text in Svg(charts.line([("Mon", 3), ("Tue", 1)], title="Sign-ups")).text if text.isdigit()]
    assert ticks == ["0", "1", "2", "3", "4"]
