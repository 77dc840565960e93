"""The web's comparison as the kiosk's: each price once, in its column's heading with the cheaper marked there (no
price row), and a way from each column to the product's details."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from advisor.questionnaire.model import Questionnaire
from advisor.session.service import AdviceSession
from tests.helpers.index import sample_index
from tests.web.conftest import csrf_of, start, walk_to_results


def test_the_compare_page_shows_each_price_once_with_the_cheaper_marked_and_a_details_link_per_column(
    client: TestClient, backpacks: Questionnaire
) -> None:
    start(client)
    results, _given = walk_to_results(client, backpacks)
    skus = list(dict.fromkeys(re.findall(r'<a href="/advice/product/([^"]+)">', results.text)))[:2]
    assert len(skus) == 2, "two products to compare"
    page = results
    for sku in skus:
        page = client.post("/advice/compare", data={"csrf": csrf_of(page.text), "sku": sku, "on": "1"})
    compared = client.get("/advice/compare", params={"all": 1})
    assert compared.status_code == 200
    assert '<th scope="row">Preis</th>' not in compared.text, "no row repeats the price"
    prices = re.findall(r'<span class="price">([^<]+)</span>', compared.text)
    assert len(prices) == 2
    for price in prices:
        assert compared.text.count(price) == 1 or prices[0] == prices[1], price

    def euros(shown: str) -> float:
        return float(re.sub(r"[^\d,]", "", shown).replace(",", "."))

    cheaper = [i for i, p in enumerate(prices) if euros(p) < max(map(euros, prices))]
    marks = re.findall(
        r'<span class="price">[^<]+</span>( <span class="better">✓&nbsp;günstiger</span>)?', compared.text
    )
    assert [i for i, mark in enumerate(marks) if mark] == cheaper
    for sku in skus:
        link = f'<a class="button" href="/advice/product/{sku}?from=compare">Details<span class="visually-hidden">: '
        assert link in compared.text, sku

    details = client.get(f"/advice/product/{skus[0]}", params={"from": "compare"})
    assert details.status_code == 200
    assert details.text.count('href="/advice/compare">← Zurück') == 2, "Back returns to the comparison, as at the kiosk"
    from_results = client.get(f"/advice/product/{skus[0]}")
    assert from_results.text.count('href="/advice">← Zurück') == 2
    assert 'href="/advice/compare">←' not in from_results.text


def test_one_product_ticked_asks_for_another_on_the_results_and_the_compare_page(
    client: TestClient, backpacks: Questionnaire
) -> None:
    start(client)
    results, _given = walk_to_results(client, backpacks)
    sku = re.findall(r'<a href="/advice/product/([^"]+)">', results.text)[0]
    client.post("/advice/compare", data={"csrf": csrf_of(results.text), "sku": sku, "on": "1"})
    again = client.get("/advice")
    assert '<span class="button" aria-disabled="true">Noch eins zum Vergleichen wählen</span>' in again.text
    assert 'href="/advice/compare"' not in again.text, "no comparison of one to open"
    page = client.get("/advice/compare")
    assert page.status_code == 200
    assert "<p>Noch eins zum Vergleichen wählen</p>" in page.text and "<table" not in page.text


def test_a_product_ticked_before_an_answer_changed_says_on_the_compare_page_what_it_misses(
    client: TestClient, backpacks: Questionnaire
) -> None:
    """As at the kiosk: the shopper compares the top pick, then changes an answer so that it no longer fits and
    compares the new top pick; the first one's heading says it does not fit the answers and which wish it misses."""
    start(client)
    results, given = walk_to_results(client, backpacks)
    top = re.findall(r'<a href="/advice/product/([^"]+)">', results.text)[0]
    client.post("/advice/compare", data={"csrf": csrf_of(results.text), "sku": top, "on": "1"})
    advice = AdviceSession.start(backpacks, index=sample_index("backpacks"), locale="de")
    advice.set_answers(given)
    advice.compare(top)
    change = None
    for step in backpacks.steps:  # an answer that rules the top pick out and leaves something else to compare
        for option in step.options if step.kind == "single" else ():
            trial = AdviceSession.start(backpacks, index=sample_index("backpacks"), locale="de")
            trial.set_answers({**given, step.id: option.id})
            trial.compare(top)
            if trial.compared_misses() and trial.recommendation().products:
                change, missed = (step.id, option.id), trial.compared_misses()[top]
                break
        if change:
            break
    assert change is not None, "the sample has an answer that rules the top pick out"
    client.post("/advice/goto", data={"csrf": csrf_of(results.text), "step": change[0]})
    page = client.post("/advice/answer", data={"csrf": csrf_of(results.text), "step": change[0], "value": change[1],
                                               "change": "1"})  # fmt: skip
    now = re.findall(r'<a href="/advice/product/([^"]+)">', page.text)[0]
    assert now != top
    client.post("/advice/compare", data={"csrf": csrf_of(page.text), "sku": now, "on": "1"})
    compared = client.get("/advice/compare")
    said = f'<p class="misses">Passt nicht zu deinen Antworten: {html.escape(", ".join(missed), quote=False)}</p>'
    assert compared.text.count('<p class="misses">') == 1 and said in compared.text
