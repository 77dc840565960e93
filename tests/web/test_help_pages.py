"""Help with my product on the web companion (TestClient): the shopper starts a service flow from home, names the
tent by its barcode, its name or an earlier advice (or goes on without), answers the diagnosis and reads what to
do as cards (a guide with pictures, the part on this store's shelf, a repair to order); ordering a repair gives a
pickup code the repair page follows. A finder is unchanged, and the JSON API keeps the two kinds apart."""

from __future__ import annotations

import html
import json
import re
import warnings
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI, HTTPException
from fastapi.routing import APIRoute
from sqlalchemy.engine import Engine

from advisor.handoff import sessions
from advisor.handoff.codes import shown
from advisor.paths import sample_catalog_dir
from advisor.repairs.orders import State, find_by_code
from advisor.repairs.tables import REPAIR_ORDER
from advisor.session import store
from advisor.web.app import SESSION_COOKIE
from advisor.web.context import WebContext
from tests.web.conftest import BACKPACKS, csrf_of, start, step_of, walk_to_results

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=r".*httpx2", category=UserWarning)
    from fastapi.testclient import TestClient

TENT_HELP = "tent-help"
TENT = "NG-TENT-0001"
SEALER = "NG-CARE-0008"  # the silicone seam sealer: the tent's fly is silnylon
SEAMS = {"problem": "leak", "leak_where": "seams", "leak_since": "after_years"}
FIND_TITLE = "Welches Produkt hast du?"
BOTH = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
OUTCOMES_TITLE = "<h1>Das kannst du tun</h1>"


def catalog_record(sku: str) -> dict[str, Any]:
    products = json.loads((sample_catalog_dir() / "products.json").read_text(encoding="utf-8"))
    return next(product for product in products if product["sku"] == sku)


def second_variant_gtin() -> str:
    """The barcode of the tent's second colour, as printed on its label."""
    return str(catalog_record(TENT)["variants"][1]["gtin"])


def tent_name() -> str:
    return str(catalog_record(TENT)["name"]["de"])


def start_help(client: TestClient) -> httpx.Response:
    page = start(client, TENT_HELP)
    assert FIND_TITLE in page.text, page.text
    return page


def search(client: TestClient, page: httpx.Response, typed: str) -> httpx.Response:
    response: httpx.Response = client.post("/advice/help/find", data={"csrf": csrf_of(page.text), "q": typed})
    return response


def answer(client: TestClient, page: httpx.Response, answers: dict[str, str]) -> httpx.Response:
    for step_id, value in answers.items():
        assert step_of(page.text) == step_id, page.text
        page = client.post("/advice/answer", data={"csrf": csrf_of(page.text), "step": step_id, "value": value})
        assert page.status_code == 200, page.text
    return page


def stored_session(web: WebContext, client: TestClient) -> store.Record:
    session_id = web.signer.unsign(client.cookies.get(SESSION_COOKIE))
    assert session_id is not None, "the session is not stored"
    record = store.read(web.engine, session_id)
    assert record is not None
    return record


def order_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.count()).select_from(REPAIR_ORDER)).scalar_one())


def to_outcomes(client: TestClient) -> httpx.Response:
    """Start tent-help, scan the tent and say that its seams leak after years: the outcomes page."""
    page = search(client, start_help(client), second_variant_gtin())
    page = answer(client, page, SEAMS)
    assert OUTCOMES_TITLE in page.text, page.text
    return page


def order(client: TestClient, page: httpx.Response, **fields: str | list[str]) -> httpx.Response:
    form = {"csrf": csrf_of(page.text), "outcome": "seam-repair"} | fields
    response: httpx.Response = client.post("/advice/help/order", data=form)
    return response


# -- home and the product ---------------------------------------------------------------------------------------


def test_home_lists_the_service_flows_apart_from_the_finders(client: TestClient) -> None:
    home = client.get("/")
    assert home.status_code == 200
    finders, _, services = home.text.partition('<h2 id="help-start">Hilfe mit meinem Produkt</h2>')
    assert services, "no section for help with a product"
    assert "Hilfe für dein Zelt" in services and "Hilfe für dein Zelt" not in finders
    assert 'value="backpack-finder"' in finders and 'value="backpack-finder"' not in services
    for flow in ("tent-help", "zip-help", "sleeping-bag-help"):
        assert f'name="questionnaire_id" value="{flow}"' in services


def test_a_scanned_barcode_names_the_tent_and_goes_on_to_the_first_question(
    client: TestClient, web: WebContext
) -> None:
    page = start_help(client)
    assert re.search(r'<input id="q" name="q" type="text" inputmode="text"[^>]*autofocus', page.text)
    assert "Hilfe für dein Zelt" in page.text
    assert 'loading="lazy"' in page.text and "/images/NG-TENT-0001.svg" in page.text  # the category's pictures

    question = search(client, page, f" {second_variant_gtin()} ")  # a scanner's digits (and Enter: submitted)

    assert str(question.url).endswith("/advice")
    assert step_of(question.text) == "problem"
    assert f"Dein Produkt: {tent_name()}" in question.text and 'href="/advice/help/find"' in question.text
    assert "question.live_count" not in question.text and 'class="count"' not in question.text
    record = stored_session(web, client)  # naming the product is the run's first input: stored now
    assert record.snapshot.product == TENT and record.snapshot.answers == {}


def test_words_find_tents_and_a_tap_names_one(client: TestClient, web: WebContext) -> None:
    page = start_help(client)
    word = tent_name().split()[0]
    found = search(client, page, word.lower())
    assert found.status_code == 200
    assert f"/advice/help/find?q={word.lower()}" in str(found.url)
    assert '<h2 id="found">Gefunden</h2>' in found.text
    assert f'name="sku" value="{TENT}"' in found.text.split('id="pick"')[0]
    question = client.post("/advice/help/product", data={"csrf": csrf_of(found.text), "sku": TENT})
    assert step_of(question.text) == "problem"
    assert stored_session(web, client).snapshot.product == TENT


def test_an_unknown_code_or_words_are_told_with_what_was_typed(client: TestClient, web: WebContext) -> None:
    page = start_help(client)
    gtin = second_variant_gtin()
    misread = gtin[:-1] + str((int(gtin[-1]) + 1) % 10)
    unknown = search(client, page, misread)
    assert unknown.status_code == 200
    assert re.search(rf'<p class="error" role="alert">Den Code {misread} kennen wir in „Zelte“ nicht', unknown.text)
    nothing = search(client, page, "<b>zzzz</b>")
    assert '<p class="error" role="alert">Dazu finden wir nichts in „Zelte“: „&lt;b&gt;zzzz&lt;/b&gt;“.' in nothing.text
    with web.engine.connect() as connection:  # searching stores nothing
        assert connection.execute(sa.select(sa.func.count()).select_from(sessions.SESSION)).scalar_one() == 0


def test_going_on_without_the_product_is_remembered_until_the_first_answer(client: TestClient, web: WebContext) -> None:
    page = start_help(client)
    question = client.post("/advice/help/skip", data={"csrf": csrf_of(page.text)})
    assert step_of(question.text) == "problem"
    assert "Dein Produkt angeben" in question.text
    again = client.get("/advice")  # a reload: still the question, not the product page
    assert step_of(again.text) == "problem"
    after = answer(client, again, {"problem": "leak"})
    assert step_of(after.text) == "leak_where"
    assert stored_session(web, client).snapshot.product == ""
    back = client.get("/advice/help/find")  # named later, from the question's link
    named = client.post("/advice/help/product", data={"csrf": csrf_of(back.text), "sku": TENT})
    assert step_of(named.text) == "leak_where" and f"Dein Produkt: {tent_name()}" in named.text


def test_an_earlier_advice_offers_its_tents(client: TestClient, web_engine: Engine) -> None:
    earlier = sessions.create_session(
        web_engine, questionnaire_id="tent-finder", answers={"region": "rough"}, locale="de", origin="web",
        columns={"viewed": ["NG-TENT-0002", "NG-CARE-0001"]},
    )  # fmt: skip
    page = start_help(client)
    found = client.post("/advice/help/from-code", data={"csrf": csrf_of(page.text), "code": earlier.resume_code})
    assert found.status_code == 200, found.text
    assert f"Aus der Beratung {shown(earlier.resume_code)}" in found.text
    listed = found.text.split('id="pick"')[0]
    assert 'name="sku" value="NG-TENT-0002"' in listed and 'name="sku" value="NG-CARE-0001"' not in listed
    wrong = client.post("/advice/help/from-code", data={"csrf": csrf_of(page.text), "code": "2222-2222"})
    assert wrong.status_code == 404
    assert '<p class="error" role="alert">Zu diesem Code gibt es keine Beratung' in wrong.text


def test_an_earlier_advice_only_read_to_its_results_offers_its_top_pick_and_shortlist(
    client: TestClient, web: WebContext
) -> None:
    """The tent finder finished without opening a tent: its code offers the tents it recommended, top pick first,
    instead of "nothing in tents"."""
    start(client, "tent-finder")
    results, _ = walk_to_results(client, web.offered()["tent-finder"])
    shortlist = re.findall(r'href="/advice/product/([^"?#]+)', results.text)
    earlier = stored_session(web, client)
    assert shortlist and not earlier.snapshot.viewed
    page = start_help(client)
    found = client.post("/advice/help/from-code", data={"csrf": csrf_of(page.text), "code": earlier.resume_code})
    assert found.status_code == 200, found.text
    assert "hat nichts" not in found.text and "ist nichts aus" not in found.text
    listed = re.findall(r'name="sku" value="([^"]+)"', found.text.split('id="pick"')[0])
    assert listed[0] == shortlist[0], "the top pick first"
    assert set(shortlist) <= set(listed) and len(listed) == len(set(listed))
    top = catalog_record(shortlist[0])["name"]["de"]
    assert html.escape(top) in found.text.split('id="pick"')[0]


# -- the outcomes -----------------------------------------------------------------------------------------------


def test_leaking_seams_end_in_the_guide_the_sealer_on_this_stores_shelf_and_the_seam_repair(
    client: TestClient, web: WebContext
) -> None:
    page = to_outcomes(client)

    assert "Das passt zu dir" not in page.text  # no products: outcomes
    assert f"Dein Produkt: {tent_name()}" in page.text
    cards = re.findall(r'<section class="outcome (\w+)" id="outcome-([\w-]+)"', page.text)
    # the sealer once, under what the guide needs, not again as a card of its own
    assert cards == [("guide", "seam-guide"), ("repair", "seam-repair"), ("person", "talk")]
    guide = page.text.split('id="outcome-seam-guide"')[1].split("</section>")[0]
    assert "Nähte selbst abdichten" in guide and "Schritt 1" in guide
    assert '<img src="/guide-images/tent-silnylon-seams-1.svg"' in guide  # this tent's own guide
    assert '<p class="guide-title">Karwendel UL 1: Nähte der Silikonbeschichtung</p>' in guide
    sealer = catalog_record(SEALER)
    stock = next(entry for entry in sealer["stock"] if entry["store"] == web.config.store.id)
    assert page.text.count(f'<strong class="part-name">{sealer["name"]["de"]}</strong>') == 1
    assert sealer["name"]["de"] in guide
    assert html.escape(f"{stock['quantity']} vorrätig – {stock['location']['de']}", quote=False) in guide
    repair = page.text.split('id="outcome-seam-repair"')[1].split("</section>")[0]
    assert "Nähte in unserer Werkstatt abdichten lassen" in repair and "20–45 €" in repair
    assert 'action="/advice/help/order"' in repair and 'name="consent"' in repair
    assert 'href="/advice/chat"' in page.text
    record = stored_session(web, client)
    assert record.snapshot.completed and record.snapshot.position == "results"


@pytest.mark.parametrize("web_database_url", BOTH, indirect=True)
def test_a_repair_ordered_with_consent_goes_to_the_workshop_and_the_repair_page_follows_it(
    client: TestClient, web_engine: Engine
) -> None:
    page = to_outcomes(client)
    ticks = re.findall(r'name="tried" value="([^"]+)"', page.text)
    assert ticks and "Schon versucht: Nähte selbst abdichten" in page.text, "the shopper says what they tried"
    done = order(client, page, consent="yes", name="Alex", email="alex@example.org", phone="", tried=ticks)
    assert done.status_code == 200, done.text
    code = re.search(r'data-testid="pickup-code">([^<]+)<', done.text)
    assert code is not None
    found = find_by_code(web_engine, code[1])
    assert found is not None
    assert found.state == State.REGISTERED and found.product_sku == TENT
    assert found.variant_sku == catalog_record(TENT)["variants"][1]["sku"]  # the very article the barcode named
    assert dict(found.answers) == SEAMS
    assert list(found.tried) == ["Nähte selbst abdichten"]
    assert found.contact is not None and found.contact.email == "alex@example.org" and found.contact.name == "Alex"
    assert found.turnaround_days == 7 and found.cost_cents == (2000, 4500)
    assert "Fertig ist es etwa 7 Tage nach der Abgabe; zum Abholen brauchst du den Code wieder." in done.text
    assert "Handy" not in done.text, "she is on her phone already"
    assert f'<input type="hidden" name="code" value="{code[1]}">' in done.text
    followed = client.post("/repair", data={"csrf": csrf_of(done.text), "code": code[1]})
    assert followed.status_code == 200
    current = r'<li class="current" aria-current="step">\s*<span class="state">Angemeldet – noch nicht abgegeben</span>'
    assert re.search(current, followed.text)
    prefilled = client.get("/repair", params={"code": code[1]})
    assert f'value="{code[1]}"' in prefilled.text
    assert 'value="' not in client.get("/repair", params={"code": '"><script>'}).text.split('id="code"')[1][:200]


def test_without_consent_no_contact_is_kept(client: TestClient, web_engine: Engine) -> None:
    done = order(client, to_outcomes(client), name="", email="", phone="")
    code = re.search(r'data-testid="pickup-code">([^<]+)<', done.text)
    assert code is not None
    found = find_by_code(web_engine, code[1])
    assert found is not None and found.contact is None and not found.consent
    assert list(found.tried) == [], "nothing ticked: nothing is said to be tried already"


def test_a_bad_email_is_told_at_its_field_and_orders_nothing(client: TestClient, web_engine: Engine) -> None:
    page = to_outcomes(client)
    refused = order(client, page, consent="yes", name="Alex", email="alex at example")
    assert refused.status_code == 400
    field = re.search(r'<input id="email-seam-repair"[^>]*>', refused.text)
    assert field is not None and 'aria-invalid="true"' in field[0] and 'value="alex at example"' in field[0]
    assert re.search(r'<p id="email-error-seam-repair" class="error" role="alert">Bitte gib genau eine E-Mail',
                     refused.text)  # fmt: skip
    assert '<details class="order" id="order-seam-repair" open>' in refused.text
    assert order_count(web_engine) == 0


def test_a_refused_order_leads_back_to_its_form_by_a_redirect_with_everything_typed(
    client: TestClient, web_engine: Engine
) -> None:
    """Not the page's top at /advice/help/order (a reload would post again): the outcomes at the form's field."""
    page = to_outcomes(client)
    tried = re.findall(r'name="tried" value="([^"]+)"', page.text)
    assert tried
    form = {"csrf": csrf_of(page.text), "outcome": "seam-repair", "consent": "yes", "name": "Alex",
            "email": "alex at example", "phone": "0151 234", "tried": tried[:1]}  # fmt: skip
    refused = client.post("/advice/help/order", data=form, follow_redirects=False)
    assert refused.status_code == 303
    assert refused.headers["location"] == "/advice#order-seam-repair-email"
    landed = client.get("/advice")
    assert 'id="order-seam-repair-email"' in landed.text, "the fragment's target: the e-mail field's label"
    form_html = landed.text.split('id="order-seam-repair"')[1].split("</form>")[0]
    assert 'value="Alex"' in form_html and 'value="alex at example"' in form_html and 'value="0151 234"' in form_html
    assert re.search(r'name="consent" value="yes" checked', form_html)
    assert re.search(rf'name="tried" value="{re.escape(tried[0])}" checked', form_html)
    assert 'aria-invalid="true"' in form_html and "Bitte gib genau eine E-Mail" in form_html
    reloaded = client.get("/advice")
    assert reloaded.status_code == 200 and "Bitte gib genau eine E-Mail" not in reloaded.text
    assert order_count(web_engine) == 0


def test_a_contact_typed_without_consent_is_asked_for_beside_the_box_and_orders_nothing(
    client: TestClient, web_engine: Engine
) -> None:
    """A name and an address typed, the box left unticked: nobody could be told the repair is ready, so the shopper
    is asked to tick it, at the box, with what they typed kept; no order, no pickup code."""
    page = to_outcomes(client)
    form = {"csrf": csrf_of(page.text), "outcome": "seam-repair", "name": "Jo Weber", "email": "jo@example.com"}
    refused = client.post("/advice/help/order", data=form, follow_redirects=False)
    assert refused.status_code == 303
    assert refused.headers["location"] == "/advice#order-seam-repair-consent"
    landed = client.get("/advice")
    assert landed.status_code == 400 and "Reparatur angemeldet" not in landed.text
    assert 'id="order-seam-repair-consent"' in landed.text, "the fragment's target: the box's label"
    form_html = landed.text.split('id="order-seam-repair"')[1].split("</form>")[0]
    box = re.search(r'<input type="checkbox" name="consent"[^>]*>', form_html)
    assert box is not None and "checked" not in box[0]
    assert 'aria-invalid="true" aria-describedby="consent-error-seam-repair"' in box[0]
    said = re.search(r'<p id="consent-error-seam-repair" class="error" role="alert">([^<]+)</p>', form_html)
    assert said is not None and "Häkchen" in said[1], form_html
    assert form_html.index('name="consent"') < form_html.index(said[0]) < form_html.index('name="name"'), "beside it"
    assert 'value="Jo Weber"' in form_html and 'value="jo@example.com"' in form_html
    assert order_count(web_engine) == 0
    phone_only = order(client, to_outcomes(client), phone="0151 2345678")
    assert phone_only.status_code == 400 and 'aria-describedby="consent-error-seam-repair"' in phone_only.text
    assert order_count(web_engine) == 0
    ticked = order(client, to_outcomes(client), consent="yes", name="Jo Weber", email="jo@example.com")
    assert ticked.status_code == 200 and "Reparatur angemeldet" in ticked.text
    code = re.search(r'data-testid="pickup-code">([^<]+)<', ticked.text)
    found = find_by_code(web_engine, code[1]) if code else None
    assert found is not None and found.contact is not None and found.contact.email == "jo@example.com"


def test_a_phone_number_that_is_none_is_refused_beside_the_phone_field(client: TestClient, web_engine: Engine) -> None:
    page = to_outcomes(client)
    form = {"csrf": csrf_of(page.text), "outcome": "seam-repair", "consent": "yes", "name": "Jana", "phone": "hello"}
    refused = client.post("/advice/help/order", data=form, follow_redirects=False)
    assert refused.headers["location"] == "/advice#order-seam-repair-phone"
    form_html = client.get("/advice").text.split('id="order-seam-repair"')[1].split("</form>")[0]
    phone_field = form_html.split('name="phone"')[1]
    assert 'aria-invalid="true" aria-describedby="phone-error-seam-repair"' in phone_field
    assert "Bitte gib die Telefonnummer in Ziffern an" in phone_field and 'value="hello"' in form_html
    both = order(client, to_outcomes(client), consent="yes", email="jana@example", phone="hello")
    form_html = both.text.split('id="order-seam-repair"')[1].split("</form>")[0]
    assert 'aria-describedby="email-error-seam-repair"' in form_html and "Bitte gib genau eine E-Mail" in form_html
    assert 'aria-describedby="phone-error-seam-repair"' in form_html, "both said at once, each at its field"
    nothing = order(client, to_outcomes(client), consent="yes", name="Jana")  # agreed, but no way to reach her
    assert "gib eine E-Mail-Adresse oder Telefonnummer an" in nothing.text
    assert order_count(web_engine) == 0


def test_a_repair_sent_twice_is_one_order_under_one_pickup_code(client: TestClient, web_engine: Engine) -> None:
    page = to_outcomes(client)
    first = order(client, page, consent="yes", name="Alex")
    assert order_count(web_engine) == 0  # refused: no way to reach Alex
    first = order(client, page, consent="yes", name="Alex", email="alex@example.org")
    second = order(client, page, consent="yes", name="Alex", email="alex@example.org")  # a double tap, or Back
    codes = [re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}", done.text) for done in (first, second)]
    assert codes[0] is not None and codes[1] is not None and codes[0][0] == codes[1][0]
    assert order_count(web_engine) == 1
    back = client.get("/advice")  # Back to what can be done: the repair is said to be ordered, with its code
    assert OUTCOMES_TITLE in back.text
    assert f"Diese Reparatur hast du schon angemeldet. Dein Abholcode: {codes[0][0]}" in back.text
    assert "Angaben zur Reparatur ändern" in back.text and back.text.count("schon angemeldet") == 1, "that repair only"


def test_a_repair_without_the_product_asks_for_it(client: TestClient, web_engine: Engine) -> None:
    page = start_help(client)
    page = client.post("/advice/help/skip", data={"csrf": csrf_of(page.text)})
    page = answer(client, page, SEAMS)
    assert OUTCOMES_TITLE in page.text
    repair = page.text.split('id="outcome-seam-repair"')[1].split("</section>")[0]
    assert "Für eine Reparatur brauchen wir dein Produkt" in repair and 'action="/advice/help/order"' not in repair
    refused = order(client, page, consent="yes", email="alex@example.org")
    assert refused.status_code == 400 and "Für eine Reparatur brauchen wir dein Produkt" in refused.text
    assert order_count(web_engine) == 0
    not_offered = order(client, page, outcome="floor-repair")
    assert not_offered.status_code == 404


def test_the_guide_pictures_are_served_and_nothing_beside_them(client: TestClient) -> None:
    picture = client.get("/guide-images/tent-seam-sealing-1.svg")
    assert picture.status_code == 200
    assert picture.headers["content-type"].startswith("image/svg+xml")
    assert picture.text.startswith("<svg")
    for name in ("..%2Fguides.json", "..%2F..%2Fproducts.json", "%2E%2E%2Fproducts.json", "guides.json",
                 "missing.svg", "..%2FNG-TENT-0001.svg", "%2Fetc%2Fpasswd", "%2E%2E"):  # fmt: skip
        refused = client.get(f"/guide-images/{name}")
        assert refused.status_code == 404, name
    # What a client sends unencoded it resolves itself ("/guide-images/.." is "/"): the route's own check, directly.
    app = client.app
    assert isinstance(app, FastAPI)
    route = next(route for route in app.routes if isinstance(route, APIRoute) and route.path == "/guide-images/{name}")
    for name in ("..", "../guides.json", "../../products.json", "../NG-TENT-0001.svg", "/etc/passwd", "."):
        with pytest.raises(HTTPException) as refused_directly:
            route.endpoint(name)
        assert refused_directly.value.status_code == 404, name


def test_a_service_run_never_sums_up_products(client: TestClient) -> None:
    to_outcomes(client)
    summary = client.get("/advice/summary")
    assert str(summary.url).endswith("/advice") and OUTCOMES_TITLE in summary.text


# -- a finder, and the API --------------------------------------------------------------------------------------


def test_a_finder_is_unchanged(client: TestClient, library: Any) -> None:
    first = start(client, BACKPACKS)
    assert FIND_TITLE not in first.text and step_of(first.text) is not None
    assert 'class="count"' in first.text and "Dein Produkt" not in first.text
    results, _given = walk_to_results(client, library.questionnaires[BACKPACKS])
    assert "<h1>Das passt zu dir</h1>" in results.text
    refused = client.post("/advice/help/product", data={"csrf": csrf_of(results.text), "sku": TENT})
    assert refused.status_code == 404
    assert client.get("/advice/help/find").status_code == 404


def test_the_api_gives_a_service_flow_its_outcomes_and_never_recommends(client: TestClient) -> None:
    created = client.post("/api/v1/sessions", json={"questionnaire_id": TENT_HELP, "answers": SEAMS})
    assert created.status_code == 201, created.text
    headers = {"Authorization": f"Bearer {created.json()['token']}"}
    outcomes = client.get("/api/v1/session/recommendation", headers=headers)
    assert outcomes.status_code == 200, outcomes.text
    body = outcomes.json()
    assert body["kind"] == "service" and "products" not in body
    assert body["complete"] is True and body["product"] == "" and body["questionnaire_id"] == TENT_HELP
    assert [(item["id"], item["kind"]) for item in body["outcomes"]] == [
        ("seam-guide", "guide"), ("seam-sealer", "parts"), ("seam-repair", "repair"), ("talk", "person")]  # fmt: skip
    assert body["outcomes"][0]["title"] == "Nähte selbst abdichten"
    finder = client.post("/api/v1/sessions", json={"questionnaire_id": BACKPACKS})
    finder_headers = {"Authorization": f"Bearer {finder.json()['token']}"}
    products = client.get("/api/v1/session/recommendation", headers=finder_headers).json()
    assert "products" in products and "outcomes" not in products


def test_the_pages_escape_what_was_typed(client: TestClient) -> None:
    page = start_help(client)
    found = client.get("/advice/help/find", params={"q": '"><script>alert(1)</script>'})
    assert "<script>alert(1)</script>" not in found.text
    assert html.escape('"><script>alert(1)</script>', quote=True) in found.text or "&#34;&gt;" in found.text
    assert page.status_code == 200


@pytest.mark.parametrize("flow", ["tent-help", "zip-help", "sleeping-bag-help"])
@pytest.mark.parametrize("locale", ["de", "en"])
def test_every_service_flow_walks_to_its_outcomes_in_either_language(
    client: TestClient, library: Any, flow: str, locale: str
) -> None:
    home = client.get("/")
    client.post("/lang", data={"csrf": csrf_of(home.text), "locale": locale})
    page = start(client, flow)
    assert ("Welches Produkt hast du?" if locale == "de" else "Which product do you have?") in page.text
    client.post("/advice/help/skip", data={"csrf": csrf_of(page.text)})
    outcomes, _given = walk_to_results(client, library.service_flows[flow])
    assert ("<h1>Das kannst du tun</h1>" if locale == "de" else "<h1>What you can do</h1>") in outcomes.text
    assert '<section class="outcome' in outcomes.text


def test_reloading_the_confirmation_shows_the_same_order_and_orders_nothing_more(
    client: TestClient, web: WebContext
) -> None:
    page = to_outcomes(client)
    done = order(client, page, consent="yes", name="Alex", email="alex@example.org")
    assert done.status_code == 200 and str(done.url).endswith("/advice/help/ordered")
    again = client.get("/advice/help/ordered")
    code = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}", done.text)
    assert code is not None and code[0] in again.text
    with web.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM repair_order")).scalar_one() == 1
    client.cookies.clear()
    assert "/advice/help/ordered" not in str(client.get("/advice/help/ordered").url)  # without the cookie: gone


def test_a_help_flow_offers_i_dont_know_and_books_without_a_shortlist(web: WebContext) -> None:
    """Asked when they bought their tent, the shopper may not know: the skip button says "Weiß ich nicht", the list
    of answers too; the booking page from the help speaks of their answers, not of a shortlist. A finder still says
    "Ist mir egal" and books with the shortlist."""
    import dataclasses

    from advisor.config import AppointmentsConfig
    from advisor.web.app import create_app
    from tests.helpers.appointments import add_consultants

    appointments = AppointmentsConfig.model_validate({"kinds": {"tents": {"length_minutes": 30}}})
    context = dataclasses.replace(web, config=web.config.model_copy(update={"appointments": appointments}))
    add_consultants(web.engine, ["anna"])
    with TestClient(create_app(context)) as client:
        page = search(client, start_help(client), second_variant_gtin())
        page = answer(client, page, {"problem": "leak", "leak_where": "seams", "leak_since": "from_new"})
        assert step_of(page.text) == "bought_months"
        assert ">Weiß ich nicht</button>" in page.text and "Ist mir egal" not in page.text
        booking = client.get("/advice/appointment")
        assert booking.status_code == 200, booking.text
        assert "Wähle einen Tag und eine Zeit. Deine Antworten liegen dann schon bereit." in booking.text
        assert "Auswahl" not in booking.text
        client.post("/advice/answer", data={"csrf": csrf_of(page.text), "step": "bought_months", "value": "dont_care"})
        answers = client.get("/advice/answers")
        assert "Weiß ich nicht" in answers.text and "Egal" not in answers.text

        finder = start(client, "tent-finder")
        while step_of(finder.text) is not None and "Ist mir egal" not in finder.text:
            step_id = step_of(finder.text)
            finder = client.post("/advice/answer", data={"csrf": csrf_of(finder.text), "step": step_id,
                                                         "value": "dont_care"})  # fmt: skip
            assert step_of(finder.text) != step_id, finder.text
        assert "Ist mir egal" in finder.text and "Weiß ich nicht" not in finder.text
        assert "deine Auswahl liegen dann schon bereit" in client.get("/advice/appointment").text
