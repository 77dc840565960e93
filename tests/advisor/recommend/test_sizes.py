"""Size advice: the shipped size charts, the size to try and its neighbour, and the checks of charts and size blocks.

Faults are planted into the shipped size_charts.json and rain-jacket-finder.yaml and checked as `advisor check`
checks them (against the sample catalog); each must be reported at its line.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.audit import analyse_text, check_files
from advisor.paths import questionnaires_dir, sample_catalog_dir
from advisor.questionnaire.findings import ERROR, Finding
from advisor.questionnaire.model import MEASUREMENTS, Questionnaire
from advisor.recommend.index import CatalogIndex, ProductInfo
from advisor.recommend.sizes import (
    LOWER_THIRD,
    UPPER_THIRD,
    ChartSize,
    SizeChart,
    SizeCharts,
    check_size_charts,
    load_size_charts_text,
    size_advice,
    size_charts_in_use,
    size_for,
    size_stock,
    variant_sizes,
)
from tests.helpers.catalog import sample_dictionary
from tests.helpers.index import sample_index
from tests.helpers.questionnaires import questionnaire

CATALOG = CatalogIndex(1, {c: sample_index(c) for c in ("tents", "sleeping_bags", "backpacks", "rain_jackets")})
DICTIONARY = sample_dictionary()
CHARTS_TEXT = (sample_catalog_dir() / "size_charts.json").read_text(encoding="utf-8")
FINDER_TEXT = (questionnaires_dir() / "rain-jacket-finder.yaml").read_text(encoding="utf-8")
JACKETS = sample_index("rain_jackets")


def chart(chart_id: str) -> SizeChart:
    found = size_charts_in_use().get(chart_id)
    assert found is not None
    return found


def jacket(sku: str) -> ProductInfo:
    return JACKETS.products[JACKETS.position[sku]]


def finder() -> Questionnaire:
    analysis = analyse_text(FINDER_TEXT, "rain-jacket-finder.yaml", dictionary=DICTIONARY, catalog=None)
    assert analysis.questionnaire is not None
    return analysis.questionnaire


def line_of(text: str, needle: str) -> int:
    assert text.count(needle) >= 1, needle
    return text[: text.index(needle)].count("\n") + 1


def planted(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


# -- the shipped data ----------------------------------------------------------------------------------------


def test_the_shipped_charts_load_and_fit_the_catalog_without_findings() -> None:
    charts = size_charts_in_use()
    assert charts.findings == ()
    assert check_size_charts(charts, DICTIONARY, CATALOG) == []
    assert len(charts.by_id) >= 4


def test_every_jacket_in_sizes_has_a_chart_and_the_slim_models_their_own() -> None:
    charts = size_charts_in_use()
    for product in JACKETS.products:
        assert variant_sizes(product, "sizes"), product.sku
        found = charts.chart_for("rain_jackets", "sizes", product)
        assert found is not None, product.sku
        if product.sku in ("NG-JACK-0005", "NG-JACK-0019"):
            assert found.id == "nordgrat-rain-jackets-men-slim"  # the model's chart wins over the brand's
        else:
            assert found.id == f"nordgrat-rain-jackets-{product.attributes['gender']}"


def test_the_shipped_finders_pass_advisor_check_with_the_size_charts() -> None:
    # (the service flows need the service products: tests/advisor/service/test_check.py)
    finders = sorted(questionnaires_dir().glob("*-finder.yaml"))
    results = check_files(finders, DICTIONARY, CATALOG, None, size_charts_in_use())
    errors = [f.as_text() for r in results for f in r.findings if f.severity == ERROR]
    assert errors == []
    assert [r.path.name for r in results if r.sized] == ["rain-jacket-finder.yaml"]
    codes = {f.code for r in results for f in r.findings}
    assert not codes & {"S001", "S002", "S003", "S004"}


# -- the size to try and its neighbour -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chart_id", "measurements", "size", "neighbour", "decided_by"),
    [
        # unisex chest: XS 70-86, S 86-92, M 92-100, L 100-108, XL 108-116, XXL 116-135
        ("nordgrat-rain-jackets-unisex", {"chest": 100}, "L", "M", "chest"),  # on the boundary: the larger size
        ("nordgrat-rain-jackets-unisex", {"chest": 103}, "L", None, "chest"),  # the middle third
        ("nordgrat-rain-jackets-unisex", {"chest": 106}, "L", "XL", "chest"),  # the upper third: the next size up
        ("nordgrat-rain-jackets-unisex", {"chest": 70}, "XS", None, "chest"),  # no smaller size
        ("nordgrat-rain-jackets-unisex", {"chest": 135}, "XXL", None, "chest"),  # the largest includes its end
        # men: chest M 94-102, height M 172-178, XL 184-190
        ("nordgrat-rain-jackets-men", {"chest": 100, "height": 175}, "M", "L", "chest"),
        ("nordgrat-rain-jackets-men", {"chest": 96, "height": 186}, "XL", None, "height"),  # the larger size wins
        ("nordgrat-rain-jackets-men", {"chest": 96, "height": None}, "M", "S", "chest"),  # not asked: left out
        # the slim models run small: the same chest is a size larger
        ("nordgrat-rain-jackets-men-slim", {"chest": 100}, "L", "M", "chest"),
    ],
)
def test_hand_picked_sizes(
    chart_id: str, measurements: dict[str, float | None], size: str, neighbour: str | None, decided_by: str
) -> None:
    advice = size_for(chart(chart_id), measurements)
    assert advice is not None
    assert (advice.size, advice.neighbour, advice.decided_by) == (size, neighbour, decided_by)
    assert advice.chart == chart_id


def test_each_measurement_says_which_size_it_asks_for() -> None:
    advice = size_for(chart("nordgrat-rain-jackets-women"), {"chest": 90, "height": 176})
    assert advice is not None
    assert advice.asked == {"height": "L", "chest": "M"} and advice.size == "L" and advice.decided_by == "height"


@pytest.mark.parametrize("measurements", [{}, {"foot": 27.0}, {"chest": 136.0}, {"chest": 100.0, "height": 140.0}])
def test_no_size_without_a_measurement_in_the_chart_or_outside_it(measurements: dict[str, float | None]) -> None:
    assert size_for(chart("nordgrat-rain-jackets-unisex"), measurements) is None


def test_size_advice_from_a_session_with_the_variants_and_their_stock() -> None:
    finder_ = finder()
    answers: dict[str, Any] = {"activity": "hiking", "chest_cm": 100, "body_height": 175}
    product = jacket("NG-JACK-0001")
    advice = size_advice(finder_, answers, product, size_charts_in_use(), store="muc-01")
    assert advice is not None
    assert (advice.size, advice.neighbour, advice.chart) == ("M", "L", "nordgrat-rain-jackets-men")
    assert advice.skus == ("NG-JACK-0001-M",) and advice.neighbour_skus == ("NG-JACK-0001-L",)
    assert advice.stock == size_stock(product, "sizes", "M", "muc-01")
    assert advice.neighbour_stock == size_stock(product, "sizes", "L", "muc-01")
    without_store = size_advice(finder_, answers, product, size_charts_in_use())
    assert without_store is not None and without_store.stock is None and without_store.neighbour_stock is None
    slim = size_advice(finder_, answers, jacket("NG-JACK-0005"), size_charts_in_use())
    assert slim is not None and slim.size == "L" and slim.chart == "nordgrat-rain-jackets-men-slim"


def test_the_answered_measurements_decide_and_none_without_any() -> None:
    finder_ = finder()
    product, charts = jacket("NG-JACK-0007"), size_charts_in_use()
    only_height = size_advice(finder_, {"chest_cm": "dont_care", "body_height": 183}, product, charts)
    assert only_height is not None and (only_height.size, only_height.decided_by) == ("XL", "height")
    assert size_advice(finder_, {"chest_cm": "dont_care", "body_height": "dont_care"}, product, charts) is None
    assert size_advice(finder_, {}, product, charts) is None
    no_block = replace(finder_, results=replace(finder_.results, size=None))
    assert size_advice(no_block, {"chest_cm": 100}, product, charts) is None
    single = replace(product, variants=())
    assert size_advice(finder_, {"chest_cm": 100}, single, charts) is None  # a model that does not come in sizes
    assert size_advice(finder_, {"chest_cm": 100}, product, SizeCharts("none.json")) is None  # no chart is for it


# -- the property: the advised size holds the deciding measurement, the neighbour is next to it ---------------


@st.composite
def charts_and_measurements(draw: st.DrawFn) -> tuple[SizeChart, dict[str, float]]:
    names = draw(st.lists(st.sampled_from(MEASUREMENTS), min_size=1, max_size=4, unique=True))
    count = draw(st.integers(1, 6))
    edges = {
        name: [float(v) for v in sorted(draw(st.sets(st.integers(40, 240), min_size=count + 1, max_size=count + 1)))]
        for name in names
    }
    sizes = tuple(
        ChartSize(f"s{i}", {name: (edges[name][i], edges[name][i + 1]) for name in names}) for i in range(count)
    )
    given_names = draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
    values = {
        name: draw(st.floats(edges[name][0], edges[name][-1], allow_nan=False, allow_infinity=False))
        for name in given_names
    }
    return SizeChart("c", "rain_jackets", "sizes", sizes), values


@settings(max_examples=300, deadline=None)
@given(charts_and_measurements())
def test_the_advised_size_holds_the_measurement_and_the_neighbour_is_next_to_it(
    case: tuple[SizeChart, dict[str, float]],
) -> None:
    chart_, values = case
    advice = size_for(chart_, values)
    assert advice is not None
    order = [size.size for size in chart_.sizes]
    index = order.index(advice.size)
    for name, value in values.items():
        asked = order.index(advice.asked[name])
        low, high = chart_.sizes[asked].ranges[name]
        assert low <= value <= high  # each measurement lies in the size it asks for
        assert value < high or asked == len(order) - 1  # a boundary counts for the larger size
        assert asked <= index  # the advised size is the largest any measurement asks for
    low, high = chart_.sizes[index].ranges[advice.decided_by]
    assert low <= values[advice.decided_by] <= high
    share = (values[advice.decided_by] - low) / (high - low)
    if advice.neighbour is not None:
        neighbour = order.index(advice.neighbour)
        assert abs(neighbour - index) == 1
        assert (share >= UPPER_THIRD) if neighbour > index else (share < LOWER_THIRD)
    else:
        assert (
            LOWER_THIRD <= share < UPPER_THIRD
            or (share >= UPPER_THIRD and index == len(order) - 1)
            or (share < LOWER_THIRD and index == 0)
        )


# -- planted faults in the charts file ------------------------------------------------------------------------

MEN_M = '{"size": "M", "chest": [94, 102], "height": [172, 178]}'


def chart_findings(text: str) -> list[Finding]:
    charts = load_size_charts_text(text, "size_charts.json")
    return sorted({*charts.findings, *check_size_charts(charts, DICTIONARY, CATALOG)})


@pytest.mark.parametrize(
    ("old", "new", "code", "at"),
    [
        (MEN_M, '{"size": "M", "chest": [95, 102], "height": [172, 178]}', "S001", '"M", "chest": [95'),  # a gap
        (MEN_M, '{"size": "M", "chest": [93, 102], "height": [172, 178]}', "S001", '"M", "chest": [93'),  # overlap
        (MEN_M, '{"size": "M", "chest": [102, 94], "height": [172, 178]}', "S001", '"M", "chest": [102, 94'),
        (MEN_M, '{"size": "M", "chest": [94, 102]}', "S001", '"size": "M", "chest": [94, 102]}'),  # no height
        (MEN_M, '{"size": "Medium", "chest": [94, 102], "height": [172, 178]}', "Q010", '"Medium"'),
        (MEN_M, '{"size": "M", "chest": [94, 100, 102], "height": [172, 178]}', "Q004", "[94, 100, 102]"),
        (MEN_M, '{"size": "M", "chst": [94, 102], "height": [172, 178]}', "Q002", '"chst"'),
        ('"size": "S", "chest": [70, 94]', '"size": "XS", "chest": [70, 94]', "S004", '"XS", "chest": [70, 94]'),
        (
            '"category": "rain_jackets",\n      "attribute": "sizes",\n      "for": {\n        "brand": "Nordgrat",\n'
            '        "when": "gender == \\"men\\""',
            '"category": "rain_jacket",\n      "attribute": "sizes",\n      "for": {\n        "brand": "Nordgrat",\n'
            '        "when": "gender == \\"men\\""',
            "Q017",
            '"rain_jacket"',
        ),
        (
            '"skus": ["NG-JACK-0005", "NG-JACK-0019"]',
            '"skus": ["NG-JACK-0005", "NG-TENT-0001"]',
            "A007",
            '"NG-TENT-0001"',
        ),
    ],
)
def test_a_planted_chart_fault_is_reported_at_its_line(old: str, new: str, code: str, at: str) -> None:
    text = planted(CHARTS_TEXT, old, new)
    findings = chart_findings(text)
    assert [(f.code, f.line) for f in findings] == [(code, line_of(text, at))], [f.as_text() for f in findings]


def test_sizes_out_of_order_and_a_size_twice_are_findings() -> None:
    swapped = planted(
        CHARTS_TEXT,
        '{"size": "S", "chest": [70, 94], "height": [145, 172]},\n        ' + MEN_M,
        '{"size": "M", "chest": [70, 94], "height": [145, 172]},\n        '
        '{"size": "S", "chest": [94, 102], "height": [172, 178]}',
    )
    assert [(f.code, f.line) for f in chart_findings(swapped)] == [
        ("S001", line_of(swapped, '{"size": "S", "chest": [94'))
    ]
    twice = planted(CHARTS_TEXT, MEN_M, MEN_M.replace('"M"', '"S"'))
    assert [(f.code, f.line) for f in chart_findings(twice)] == [("Q005", line_of(twice, MEN_M.replace('"M"', '"S"')))]


def test_a_gap_names_the_stretch_and_the_sizes() -> None:
    text = planted(CHARTS_TEXT, MEN_M, '{"size": "M", "chest": [95, 102], "height": [172, 178]}')
    (finding,) = chart_findings(text)
    assert "chest 94–95 cm fits neither S nor M (a gap)" in finding.message
    assert "nordgrat-rain-jackets-men" in finding.message


def test_text_that_is_not_json_or_not_a_mapping_is_a_finding() -> None:
    assert [f.code for f in load_size_charts_text('{"charts": [', "x.json").findings] == ["Q001"]
    assert [f.code for f in load_size_charts_text("[1, 2]", "x.json").findings] == ["Q004"]


@settings(max_examples=100, deadline=None)
@given(st.integers(0, len(CHARTS_TEXT) - 1), st.integers(0, 8), st.text(alphabet='{}[]",:0123456789 aSMLX', max_size=6))
def test_mangled_charts_files_never_raise(start: int, length: int, insert: str) -> None:
    text = CHARTS_TEXT[:start] + insert + CHARTS_TEXT[start + length :]
    charts = load_size_charts_text(text, "size_charts.json")
    check_size_charts(charts, DICTIONARY, CATALOG)
    lines = text.count("\n") + 1
    assert all(0 <= f.line <= lines + 1 for f in charts.findings)


# -- planted faults in the questionnaire's size block ---------------------------------------------------------


def finder_findings(text: str, charts: SizeCharts | None = None) -> list[Finding]:
    analysis = analyse_text(
        text,
        "rain-jacket-finder.yaml",
        dictionary=DICTIONARY,
        catalog=CATALOG,
        size_charts=charts or size_charts_in_use(),
    )
    return [f for f in analysis.findings if f.code != "A001"]


SIZE_BLOCK = "    measurements: {chest: chest_cm, height: body_height}"


@pytest.mark.parametrize(
    ("old", "new", "code", "at"),
    [
        (SIZE_BLOCK, "    measurements: {chest: chest_size, height: body_height}", "Q006", "chest_size"),
        (SIZE_BLOCK, "    measurements: {chest: cut, height: body_height}", "Q011", "cut, height"),
        (SIZE_BLOCK, "    measurements: {chst: chest_cm, height: body_height}", "Q002", "{chst:"),
        (SIZE_BLOCK, "    measurements: {}", "Q003", "{}"),
        ("    attribute: sizes ", "    attribute: size ", "Q009", "attribute: size "),
        ("    attribute: sizes ", "    attribute: layers ", "Q011", "layers "),
        ("    default: 175\n    unit: cm", "    default: 175\n    unit: mm", "Q011", "body_height}"),
    ],
)
def test_a_planted_size_block_fault_is_reported_at_its_line(old: str, new: str, code: str, at: str) -> None:
    text = planted(FINDER_TEXT, old, new)
    findings = finder_findings(text)
    assert [(f.code, f.line) for f in findings] == [(code, line_of(text, at))], [f.as_text() for f in findings]


def test_a_question_range_no_chart_covers_is_named_per_chart_and_stretch() -> None:
    text = planted(FINDER_TEXT, "    min: 70\n    max: 135", "    min: 60\n    max: 140")
    findings = finder_findings(text)
    line = line_of(text, SIZE_BLOCK)
    assert {(f.code, f.line) for f in findings} == {("S002", line)}
    assert len(findings) == 8  # four charts are for jackets, each short below and above
    men = [f.message for f in findings if "'nordgrat-rain-jackets-men'" in f.message]
    chart_line = line_of(CHARTS_TEXT, '"id": "nordgrat-rain-jackets-men"')
    assert sorted(men) == [
        f"chart 'nordgrat-rain-jackets-men' (size_charts.json:{chart_line - 1}): chest above 135 up to 140 cm, which "
        "step 'chest_cm' allows, is not covered; end the largest size (XXL) at 140, or lower the step's max to 135",
        f"chart 'nordgrat-rain-jackets-men' (size_charts.json:{chart_line - 1}): chest from 60 to below 70 cm, which "
        "step 'chest_cm' allows, is not covered; start the smallest size (S) at 60, or raise the step's min to 70",
    ]


def test_products_in_sizes_without_a_chart_are_named_at_the_attribute() -> None:
    document = json.loads(CHARTS_TEXT)
    document["charts"] = [c for c in document["charts"] if c["id"] != "nordgrat-rain-jackets-unisex"]
    charts = load_size_charts_text(json.dumps(document, indent=2), "size_charts.json")
    findings = finder_findings(FINDER_TEXT, charts)
    assert [(f.code, f.line) for f in findings] == [("S003", line_of(FINDER_TEXT, "    attribute: sizes"))]
    unisex = [p.sku for p in JACKETS.products if p.attributes["gender"] == "unisex"]
    assert f"of the {len(JACKETS.products)} rain_jackets in sizes" in findings[0].message
    assert unisex[0] in findings[0].message


def test_a_chart_that_measures_none_of_the_steps_is_a_finding() -> None:
    text = planted(FINDER_TEXT, SIZE_BLOCK, "    measurements: {foot: body_height}")
    findings = finder_findings(text)
    unasked = ("Q025", line_of(text, "id: chest_cm"))  # the chest step, no longer measured, then changes nothing
    assert {(f.code, f.line) for f in findings} == {("S002", line_of(text, "{foot: body_height}")), unasked}


def test_a_size_block_in_a_small_questionnaire_loads_into_the_model() -> None:
    made = questionnaire(
        """\
        steps:
          - id: height_cm
            kind: number
            question: {de: Wie groß bist du?, en: How tall are you?}
            min: 140
            max: 210
            unit: cm
        results:
          size:
            attribute: colours
            measurements: {height: height_cm}
        """
    )
    assert made.results.size is not None
    assert made.results.size.attribute == "colours" and dict(made.results.size.measurements) == {"height": "height_cm"}


def test_the_schema_declares_the_size_block() -> None:
    schema = json.loads((questionnaires_dir() / "questionnaire.schema.json").read_text(encoding="utf-8"))
    size = schema["properties"]["results"]["properties"]["size"]
    assert size["required"] == ["attribute", "measurements"]
    assert set(size["properties"]["measurements"]["properties"]) == set(MEASUREMENTS)


def test_a_charts_file_is_read_from_disk(tmp_path: Path) -> None:
    from advisor.recommend.sizes import load_size_charts

    path = tmp_path / "size_charts.json"
    path.write_text(CHARTS_TEXT, encoding="utf-8")
    assert load_size_charts(path).by_id.keys() == size_charts_in_use().by_id.keys()
    assert [f.code for f in load_size_charts(tmp_path / "missing.json").findings] == ["Q001"]


def test_a_chart_on_a_mistyped_attribute_is_named_once_not_again_as_missing_charts() -> None:
    """`"attribute": "size"` for `sizes`: Q009 on the charts file names the typo; the finder gets no S003 for the
    products that chart was meant for."""
    import re

    mistyped = re.sub(r'"attribute": "sizes"', '"attribute": "size"', CHARTS_TEXT, count=1)
    assert mistyped != CHARTS_TEXT
    charts = load_size_charts_text(mistyped, "size_charts.json")
    assert charts.ok, "the file itself reads; the typo is found against the catalog"
    codes = [f.code for f in finder_findings(FINDER_TEXT, charts)]
    assert "S003" not in codes, codes


def test_a_charts_file_that_cannot_be_read_whole_causes_no_follow_ons_on_the_finder() -> None:
    broken = CHARTS_TEXT.replace("}\n  ]", "},\n  ]", 1)  # a trailing comma: the file is not valid JSON
    assert broken != CHARTS_TEXT
    charts = load_size_charts_text(broken, "size_charts.json")
    assert not charts.ok, "the file's own finding says what is wrong"
    codes = [f.code for f in finder_findings(FINDER_TEXT, charts)]
    assert "S003" not in codes and "S002" not in codes, codes
