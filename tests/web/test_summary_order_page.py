"""The phone's summary page lists the products as the results page showed them (the top pick, then the alternatives
group by group) and says it lists the best 5 of 9; a help flow's question number never says "2 of 2" before a
third question."""

from __future__ import annotations

import dataclasses
import html
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from advisor.web.app import create_app
from advisor.web.context import WebContext
from tests.advisor.rendering.test_summary_order import NINE
from tests.web.conftest import csrf_of, start, step_of
from tests.web.test_question_pages import TENTS, answer, answer_until, progress_of


def test_the_summary_page_lists_the_products_in_the_results_order(client: TestClient, web: WebContext) -> None:
    results = answer_until(client, web, start(client, TENTS), None, NINE)  # type: ignore[arg-type]
    assert step_of(results.text) is None and "9 Zelte passen – hier die 5 besten" in results.text
    shown = re.findall(r'id="p-([^"]+)"', results.text)
    assert len(shown) == 5
    names = [
        html.unescape(re.search(rf'href="/advice/product/{re.escape(sku)}">([^<]+)</a>', results.text)[1])  # type: ignore[index]
        for sku in shown
    ]
    summary = client.get("/advice/summary")
    assert summary.status_code == 200
    listed = [html.unescape(name) for name in re.findall(r"<h3>\d\. (.+?) – ", summary.text)]
    assert listed == names
    assert "Unsere Empfehlungen für dich: die besten 5 von 9" in summary.text


def test_the_pole_question_opened_again_counts_the_question_it_may_open(client: TestClient, web: WebContext) -> None:
    page = start(client, "tent-help")
    page = client.post("/advice/help/skip", data={"csrf": csrf_of(page.text)})  # the product need not be named
    assert step_of(page.text) == "problem"
    page = answer(client, page, "pole")
    assert progress_of(page.text) == (2, 3)
    page = answer(client, page, "bent")
    assert step_of(page.text) is None
    page = client.get("/advice?at=pole_damage")
    assert step_of(page.text) == "pole_damage" and progress_of(page.text) == (2, 3), "not 2 of 2 before a third"
    page = answer(client, page, "broken")
    assert step_of(page.text) == "bought_months" and progress_of(page.text) == (3, 3)
    page = client.post("/advice/back", data={"csrf": csrf_of(page.text)})
    assert step_of(page.text) == "pole_damage" and progress_of(page.text) == (2, 3)


def test_the_summary_is_dated_on_the_stores_calendar(web: WebContext) -> None:
    # Whatever the hour in UTC, one of these stores' days is another: the summary shows the store's own.
    now = datetime.now(UTC)
    timezone = next(
        name
        for name in ("Pacific/Kiritimati", "Pacific/Pago_Pago")
        if now.astimezone(ZoneInfo(name)).date() != now.date()
    )
    store = web.config.store.model_copy(update={"timezone": timezone})
    context = dataclasses.replace(web, config=web.config.model_copy(update={"store": store}))
    with TestClient(create_app(context)) as client:
        answer_until(client, context, start(client, TENTS), None, NINE)  # type: ignore[arg-type]
        summary = client.get("/advice/summary").text
        today = datetime.now(ZoneInfo(timezone)).date()
    assert f"{today:%d.%m.%Y}" in summary
    assert f"{now:%d.%m.%Y}" not in summary
