"""Three products compared on a phone (360, 390 px) and a tablet (820 px), in a real Chromium against a real
`advisor serve`: where they do not all fit, a line above the table says how many there are and that they scroll,
and the next product's column peeks out at the edge (the first whole); where they fit, no such line. No name,
label or value is cut (they wrap), and axe-core finds nothing."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.web.conftest import PHONE, LiveServer
from tests.web.test_browser import axe_violations
from tests.web.test_phone_layout_browser import compare_on_the_phone

CUT = """() => [...document.querySelectorAll("table.compare th, table.compare td")]
    .filter(cell => cell.scrollWidth > cell.clientWidth)
    .map(cell => `${cell.textContent.trim().slice(0, 30)}: ${cell.scrollWidth} > ${cell.clientWidth}`)"""
COLUMNS = """() => { const box = document.querySelector(".compare-scroll").getBoundingClientRect();
    return [Math.min(box.right, window.innerWidth),
            [...document.querySelectorAll("table.compare thead th")].map(th => th.getBoundingClientRect())
                .map(r => [r.left, r.right])]; }"""


def test_three_compared_show_that_there_are_three_and_cut_no_value(phone: Page, live_server: LiveServer) -> None:
    assert compare_on_the_phone(phone, live_server, 3) == 3
    for width in (360, 390, 820):
        phone.set_viewport_size({"width": width, "height": PHONE["height"]})
        for rows in ("0", "1"):  # only the differences, and every row
            phone.goto(f"{live_server.url}/advice/compare?all={rows}")
            expect(phone.locator("table.compare thead th")).to_have_count(3)
            hint = phone.get_by_text("3 Produkte – seitlich wischen für alle")
            edge, columns = phone.evaluate(COLUMNS)
            if width < 640:  # they do not fit: said above the table, and a product's column peeks out at the edge
                expect(hint).to_be_visible()
                assert columns[0][1] <= edge, f"{width} px, all={rows}: the first product is whole: {columns}"
                assert any(left + 40 <= edge < right for left, right in columns), f"{width} px: {columns}, {edge}"
            else:  # all three fit: no line about swiping
                expect(hint).to_be_hidden()
                assert columns[2][1] <= edge + 1, f"{width} px, all={rows}: {columns}, edge {edge}"
            assert phone.evaluate(CUT) == [], f"{width} px, all={rows}"
            assert phone.evaluate("document.documentElement.scrollWidth") <= width, "the table scrolls, not the page"
            if shots := os.environ.get("ADVISOR_TEST_SHOTS"):
                phone.screenshot(path=str(Path(shots) / f"web-compare-three-{width}-all{rows}.png"), full_page=True)
            assert axe_violations(phone) == [], f"{width} px, all={rows}"
    phone.set_viewport_size(PHONE)
    phone.locator(".compare-scroll").evaluate("el => el.scrollLeft = el.scrollWidth")
    edge, columns = phone.evaluate(COLUMNS)
    assert columns[2][1] <= edge + 1, f"scrolled to the end, the third column is whole: {columns} vs {edge}"
