"""The insights report on a phone (every table scrolls inside its card), and the stock of the products it lists:
one the report's store has none of now is marked so, as the kiosk counts the catalog's stock."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from advisor.db import make_engine, upgrade
from advisor.insights.events import Event, write_events
from advisor.insights.report import ALL_STORES, Report, build_report, not_in_stock, read_report
from advisor.rendering.facts import stock_in
from advisor.rendering.report import render_report
from tests.advisor.insights.test_report_gaps import T0, TENTS, index_for, walk

PRODUCTS = {"tents": [(product.sku, product.name["de"]) for product in index_for(TENTS).products]}


def report(store: str | None, locale: str = "de") -> Report:
    return build_report(walk(), {TENTS.id: TENTS}, PRODUCTS, locale=locale, index_for=index_for, stock_of=store)


def test_every_table_scrolls_sideways_inside_its_card_on_a_narrow_screen() -> None:
    page = render_report(report("muc-01"))
    tables = re.findall(r"(.{0,20})<table", page)
    assert len(tables) >= 3  # the overview, the gaps, the funnel
    assert all(before.endswith("<div class=w>") for before in tables)
    assert page.count("<div class=w><table") == page.count("</table></div>")
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    assert ".w{overflow-x:auto}" in style


def test_a_recommended_product_the_store_has_none_of_is_marked_where_it_is_listed() -> None:
    figures = report("muc-01").questionnaires[0]
    most = {name: runs for name, runs, _ in figures.most_rows}
    assert most["Schattberg 2 · hier nicht vorrätig"] == 6  # none in Munich now
    assert "Hochjoch 2" in most and "Karwendel UL 2" in most  # Munich has these
    assert figures.recommended_absent == (("Schattberg 2", "NG-TENT-0034", 6), ("Rotwand 2", "NG-TENT-0019", 3))
    line = "Empfohlen, aber hier nicht vorrätig: Schattberg 2 (6), Rotwand 2 (3)"
    assert figures.absent_line("de") == line
    page = render_report(report("muc-01"))
    assert f'<p data-notice="not_in_stock">{line}' in page
    assert "Schattberg 2 · hier nicht vorrätig<b>6" in page


def test_a_closest_product_the_store_has_none_of_says_so() -> None:
    # Hamburg has no Karwendel UL 2 and no Hochjoch 2, both closest to the walk's alpine and ultralight runs.
    figures = report("ham-01", "en").questionnaires[0]
    assert figures.conflicts[0].closest == (
        "Karwendel UL 2 (not High mountains & winter) · not in stock here",
        "Firnspitze 2 (not Ultralight)",
        "Hochjoch 2 (not High mountains & winter) · not in stock here",
        "Firnspitze 3 (not Ultralight)",
    )
    assert figures.absent_line("en") == "Recommended, but not in stock here: Karwendel UL 2 (6), Hochjoch 2 (6)"


def test_without_a_store_nothing_is_marked() -> None:
    figures = report(None).questionnaires[0]
    assert not any("vorrätig" in name for name, _, _ in figures.most_rows)
    assert not any("vorrätig" in name for gap in figures.conflicts for name in gap.closest)
    assert figures.absent_line("de") == ""
    assert "not_in_stock" not in render_report(report(None))


@pytest.mark.parametrize("store", ["muc-01", "ham-01", "vie-01"])
def test_the_report_counts_stock_as_the_kiosk_does(store: str) -> None:
    index = index_for(TENTS)
    absent = not_in_stock(index, store)
    assert absent == {product.sku for product in index.products if stock_in(product, store, "de").count == 0}


def test_a_stores_report_marks_products_and_a_report_of_every_store_does_not(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'advisor.sqlite3'}")
    upgrade(engine)
    now = datetime.now(UTC)
    write_events(engine, [_moved(event, now - timedelta(hours=2)) for event in walk()])
    shown = {}
    for store in ("muc-01", ALL_STORES):
        read = read_report(
            engine, questionnaires={TENTS.id: TENTS}, products_by_category=PRODUCTS, locale="de",
            index_for=index_for, now=now, store=store,
        )  # fmt: skip
        shown[store] = read.questionnaires[0]
    assert shown["muc-01"].absent_line("de").startswith("Empfohlen, aber hier nicht vorrätig: Schattberg 2")
    assert shown[ALL_STORES].absent_line("de") == ""
    assert not any("vorrätig" in name for name, _, _ in shown[ALL_STORES].most_rows)


def _moved(event: Event, at: datetime) -> Event:
    """An event of the walk logged in Munich, from `at` on (in its order)."""
    return replace(event, at=at + (event.at - T0), store_id="muc-01")
