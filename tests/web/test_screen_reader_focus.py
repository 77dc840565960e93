"""What a screen-reader walk found after a refused or done form: the focus is where the page's news is (the first
choice of a refused question, the refused address, the mail's notice, the missing time), and buttons and radios
are named for what they do (− and + with the number they lead to, each rating with its meaning, each product's
"more" with its name); toggling a comparison comes back at its button."""

from __future__ import annotations

import dataclasses
import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from advisor.questionnaire.model import Questionnaire
from advisor.web.app import create_app
from advisor.web.context import WebContext
from tests.web.conftest import csrf_of, first_answer, start, step_of, walk_to_results
from tests.web.test_keyboard_walk import at_persons, field_of, title_of, to_english


def _at_kind(client: TestClient, questionnaire: Questionnaire, kind: str) -> str:
    """The backpack finder walked (first answers) to its first question of `kind`; its page."""
    page = start(client)
    for _ in questionnaire.steps:
        step_id = step_of(page.text)
        assert step_id is not None, f"no {kind} question"
        step = questionnaire.step(step_id)
        if step.kind == kind:
            return page.text
        page = client.post("/advice/answer", data={"csrf": csrf_of(page.text), "step": step_id,
                                                   "value": first_answer(step)})  # fmt: skip
    raise AssertionError(f"no {kind} question")


def test_a_multiple_choice_sent_with_nothing_ticked_focuses_its_first_box(
    client: TestClient, backpacks: Questionnaire
) -> None:
    page = _at_kind(client, backpacks, "multiple")
    assert "autofocus" not in page and "aria-invalid" not in page
    step = step_of(page)
    refused = client.post("/advice/answer", data={"csrf": csrf_of(page), "step": step})
    assert refused.status_code == 400 and step_of(refused.text) == step
    assert title_of(refused.text).startswith("Fehler: ")
    assert 'role="alert" id="answer-error"' in refused.text
    assert field_of(refused.text, r"<fieldset[^>]*>")["aria-describedby"] == "answer-error"
    boxes = re.findall(r'<input type="checkbox"[^>]*>', refused.text, re.S)
    assert len(boxes) > 1
    first = field_of(boxes[0], r".*")
    assert "autofocus" in first and first["aria-invalid"] == "true"
    assert all('aria-invalid="true"' in box for box in boxes)
    assert not any("autofocus" in box for box in boxes[1:]), "one autofocus on the page"
    assert refused.text.count("autofocus") == 1


def test_a_refused_single_choice_focuses_its_first_option(client: TestClient, backpacks: Questionnaire) -> None:
    page = _at_kind(client, backpacks, "single")
    step = step_of(page)
    refused = client.post("/advice/answer", data={"csrf": csrf_of(page), "step": step, "value": "no-such-option"})
    assert refused.status_code == 400 and step_of(refused.text) == step
    assert field_of(refused.text, r"<fieldset[^>]*>")["aria-describedby"] == "answer-error"
    first = field_of(refused.text, r'<button type="submit" name="value"[^>]*>')
    assert "autofocus" in first and "aria-invalid" not in first  # (not a property of a button)
    assert refused.text.count("autofocus") == 1


def test_a_refused_number_keeps_its_own_description_not_the_groups(client: TestClient) -> None:
    page = at_persons(client)
    refused = client.post("/advice/answer", data={"csrf": csrf_of(page), "step": "persons", "value": "25"})
    assert "aria-describedby" not in field_of(refused.text, r"<fieldset[^>]*>")
    assert field_of(refused.text, r'<input type="number"[^>]*>')["aria-describedby"] == "answer-error"


def _nudges(html: str) -> tuple[str | None, str | None, str]:
    less, more = field_of(html, r'<button[^>]*id="less"[^>]*>'), field_of(html, r'<button[^>]*id="more"[^>]*>')
    assert less["aria-describedby"] == more["aria-describedby"] == "number-now"
    now = re.search(r'<span id="number-now" hidden>([^<]*)</span>', html)
    assert now is not None
    return less["aria-label"], more["aria-label"], unescape(now[1])


def test_plus_and_minus_say_the_number_they_lead_to_and_the_page_after_says_the_new_one(client: TestClient) -> None:
    page = at_persons(client)
    value = field_of(page, r'<input type="number"[^>]*>')["value"]
    assert value == "2"
    assert _nudges(page) == ("Weniger: 1 Person", "Mehr: 3 Personen", "Jetzt: 2 Personen")
    more = client.post("/advice/answer", data={"csrf": csrf_of(page), "step": "persons", "value": "2", "nudge": "1"})
    assert more.url.params.get("number") == "3"
    # back at + (the fragment): its description says the number the field holds now
    assert _nudges(more.text) == ("Weniger: 2 Personen", "Mehr: 4 Personen", "Jetzt: 3 Personen")

    to_english(client, more.text)
    english = client.get("/advice?number=6#more")
    assert _nudges(english.text) == ("Less: 5 people", "More", "Now: 6 people")  # (6 is the highest: + adds nothing)


def test_plus_and_minus_beside_a_typed_word_say_where_they_lead(client: TestClient) -> None:
    page = at_persons(client)
    refused = client.post("/advice/answer", data={"csrf": csrf_of(page), "step": "persons", "value": "viele"})
    assert refused.status_code == 400
    less = field_of(refused.text, r'<button[^>]*id="less"[^>]*>')
    assert less["aria-label"] is not None and less["aria-label"].startswith("Weniger")
    assert 'id="number-now"' not in refused.text and "aria-describedby" not in less


def test_each_more_about_this_product_names_its_product(client: TestClient, backpacks: Questionnaire) -> None:
    start(client)
    results, _ = walk_to_results(client, backpacks)
    names = [unescape(name) for name in re.findall(r'<a href="/advice/product/[^"]+">([^<]+)</a>', results.text)]
    summaries = [unescape(s) for s in re.findall(r'<details class="more"><summary>(.*?)</summary>', results.text)]
    assert len(summaries) == len(names) > 1
    for name, summary in zip(names, summaries, strict=True):
        assert summary == f'Mehr zu diesem Produkt<span class="visually-hidden">: {name}</span>'


@pytest.mark.parametrize(("scale", "first", "last"), [("grades", "Note 1 – sehr gut", "Note 6 – ungenügend"),
                                                      ("stars", "5 von 5 Sternen", "1 von 5 Sternen")])  # fmt: skip
def test_each_rating_radio_is_named_for_what_it_means(
    web: WebContext, backpacks: Questionnaire, scale: str, first: str, last: str
) -> None:
    kiosk = web.config.kiosk.model_copy(update={"feedback_scale": scale})
    context = dataclasses.replace(web, config=web.config.model_copy(update={"kiosk": kiosk}))
    with TestClient(create_app(context)) as client:
        start(client)
        results, _ = walk_to_results(client, backpacks)
    labels = re.findall(r'<label class="grade">(.*?)</label>', results.text, re.S)
    assert len(labels) == (6 if scale == "grades" else 5)
    names = []
    for label in labels:
        radio = field_of(label, r'<input type="radio" name="grade"[^>]*>')
        assert radio["aria-label"] is not None, "the radio's name is its meaning, not the number (or stars) shown"
        names.append(radio["aria-label"])
    assert names[0] == first and names[-1] == last


def test_a_refused_summary_address_has_the_focus(client: TestClient, backpacks: Questionnaire) -> None:
    start(client)
    walk_to_results(client, backpacks)
    summary = client.get("/advice/summary")
    form = field_of(summary.text, r'<form[^>]*id="mail-form"[^>]*>')
    assert "#" not in (form["action"] or ""), "a fragment in the address would keep the field from the focus"
    assert "autofocus" not in summary.text
    refused = client.post("/advice/summary/email", data={"csrf": csrf_of(summary.text), "address": "anna@example"})
    assert refused.status_code == 400
    field = field_of(refused.text, r'<input id="address"[^>]*>')
    assert "autofocus" in field and field["aria-invalid"] == "true" and field["aria-describedby"] == "address-error"


def test_a_sent_summary_says_so_in_its_title_and_opens_at_the_focused_notice(
    client: TestClient, backpacks: Questionnaire
) -> None:
    start(client)
    walk_to_results(client, backpacks)
    summary = client.get("/advice/summary")
    assert title_of(summary.text) == "Zusammenfassung – Nordgrat Beratung"
    sent = client.post("/advice/summary/email", data={"csrf": csrf_of(summary.text), "address": "kim@example.org"},
                       follow_redirects=False)  # fmt: skip
    assert sent.status_code == 303 and sent.headers["location"] == "/advice/summary?sent=1#mail-sent"
    page = client.get(sent.headers["location"])
    assert title_of(page.text) == "E-Mail unterwegs: Zusammenfassung – Nordgrat Beratung"
    notice = field_of(page.text, r'<p class="notice" role="status"[^>]*>')
    assert notice["id"] == "mail-sent" and notice["tabindex"] == "-1" and "autofocus" in notice
    to_english(client, page.text)
    assert title_of(client.get("/advice/summary?sent=1").text) == "E-mail on its way: Summary – Nordgrat Advice"


def test_an_appointment_without_a_time_opens_at_its_focused_error(
    booking_client: TestClient, backpacks: Questionnaire
) -> None:
    client = booking_client
    start(client)
    walk_to_results(client, backpacks)
    form_page = client.get("/advice/appointment")
    refused = client.post("/advice/appointment", data={"csrf": csrf_of(form_page.text), "name": "Kim",
                                                       "contact": "kim@example.com", "consent": "yes"})  # fmt: skip
    assert refused.status_code == 400
    error = field_of(refused.text, r'<p class="error" role="alert"[^>]*>')
    assert error["id"] == "booking", "the form's fragment (#booking) lands on it"
    assert error["tabindex"] == "-1" and "autofocus" in error
    assert refused.text.count("autofocus") == 1


def test_comparing_comes_back_at_the_button_pressed(client: TestClient, backpacks: Questionnaire) -> None:
    start(client)
    results, _ = walk_to_results(client, backpacks)
    sku = re.findall(r'href="/advice/product/([^"#]+)"', results.text)[0]
    product = client.get(f"/advice/product/{sku}")
    button = field_of(product.text, r'<button type="submit" class="button[^"]*" id="compare"[^>]*>')
    assert button["aria-pressed"] == "false"
    chosen = client.post("/advice/compare", data={"csrf": csrf_of(product.text), "sku": sku, "on": "1",
                                                  "back": "product"}, follow_redirects=False)  # fmt: skip
    assert chosen.headers["location"] == f"/advice/product/{sku}#compare"
    assert 'id="compare" aria-pressed="true"' in client.get(chosen.headers["location"]).text
    assert 'id="compare"' not in client.get("/advice").text, "(one product page's id, not one per product)"

    other = next(found for found in re.findall(r'href="/advice/product/([^"#]+)"', results.text) if found != sku)
    client.post("/advice/compare", data={"csrf": csrf_of(product.text), "sku": other, "on": "1"})  # (two to compare)
    compare = client.get("/advice/compare")
    form = field_of(compare.text, r'<form method="get" action="/advice/compare[^"]*"[^>]*>')
    assert form["action"] == "/advice/compare#differences"
    assert field_of(compare.text, r'<button[^>]*id="differences"[^>]*>')["aria-pressed"] == "true"
