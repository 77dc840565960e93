"""A service run through the advice session service, as every surface runs it: find the shopper's product by its
barcode, answer the diagnosis, read the outcomes as cards (guide, the seam sealer on this store's shelf, a repair),
order the repair; the run is stored, read back and logged once for the insights."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from advisor.catalog.validate import gtin_check_digit
from advisor.insights.events import EventLog, read_events
from advisor.insights.service import SERVICE_OUTCOMES
from advisor.questionnaire.model import Questionnaire
from advisor.rendering.service import GUIDE, PARTS, REPAIR, outcome_views
from advisor.repairs.orders import State, order_of
from advisor.service.find import by_code, find, gtin_key, of_session
from advisor.session import events as ev
from advisor.session import store
from advisor.session.help import of_advice, order_repair
from advisor.session.service import AdviceSession, SessionError, answer_from_form
from advisor.session.tracking import EventLogger
from tests.helpers.service import merged_catalog, shipped_flow

CATALOG = merged_catalog()
TENTS = CATALOG.categories["tents"]
SEAMS = {"problem": "leak", "leak_where": "seams", "leak_since": "after_years"}


def tent_help() -> Questionnaire:
    return shipped_flow("tent-help.yaml")


def started(**kwargs: Any) -> AdviceSession:
    session = AdviceSession.start(tent_help(), index=TENTS, locale="de", **kwargs)
    session.catalog = CATALOG
    session.store_id = "muc-01"
    return session


def answered(session: AdviceSession, answers: dict[str, Any]) -> AdviceSession:
    for step_id, value in answers.items():
        session.answer(step_id, value)
    return session


def a_tent_variant() -> tuple[str, str, str]:
    tent = TENTS.products[TENTS.position["NG-TENT-0001"]]
    variant = tent.variants[1]
    assert variant.gtin is not None
    return tent.sku, variant.sku, variant.gtin


def test_a_scanned_barcode_finds_the_tent_and_its_colour() -> None:
    sku, variant_sku, gtin = a_tent_variant()
    for typed in (gtin, f"{gtin}\n", f" {gtin[:4]} {gtin[4:]} ", f"0{gtin}", f"]E0{gtin}"):
        found = by_code(TENTS, typed)
        assert found is not None and found.how == "gtin", typed
        assert (found.sku, found.variant.sku if found.variant else None) == (sku, variant_sku)
    assert by_code(TENTS, variant_sku.lower()) is not None
    other = gtin[:-1] + str((int(gtin[-1]) + 1) % 10)
    assert by_code(TENTS, other) is None  # a misread digit names no product


def test_words_find_tents_by_name_in_either_language_and_without_accents() -> None:
    tent = TENTS.products[TENTS.position["NG-TENT-0001"]]
    word = tent.name["de"].split()[0]
    found = find(TENTS, word.upper())
    assert found and found[0].sku == tent.sku
    assert find(TENTS, "zzzz nothing") == []
    assert find(TENTS, "   ") == []


@given(st.text(alphabet="0123456789 -", min_size=0, max_size=20))
def test_only_eight_twelve_thirteen_or_fourteen_digits_are_a_gtin(typed: str) -> None:
    key = gtin_key(typed)
    digits = typed.replace(" ", "").replace("-", "")
    assert (key is not None) == (len(digits) in (8, 12, 13, 14))
    if key is not None:
        assert len(key) == 14 and key.lstrip("0") == digits.lstrip("0")


def test_every_shipped_tent_variant_has_a_valid_gtin_that_finds_it() -> None:
    for product in TENTS.products:
        for variant in product.variants:
            assert variant.gtin is not None
            assert int(variant.gtin[-1]) == gtin_check_digit(variant.gtin[:-1])
            found = by_code(TENTS, variant.gtin)
            assert found is not None and found.variant == variant


def test_leaking_seams_give_the_guide_the_sealer_on_this_stores_shelf_and_a_repair() -> None:
    session = started()
    sku, _variant, gtin = a_tent_variant()
    found = by_code(TENTS, gtin)
    assert found is not None
    session.set_product(found.sku)
    answered(session, SEAMS)
    assert session.complete
    views = outcome_views(session.outcomes(), catalog=CATALOG, store_id="muc-01", locale="de", address="du")
    # the sealer is offered once, under what the guide needs: the parts outcome's card would repeat it
    assert [view.kind for view in views] == [GUIDE, REPAIR, "person"]
    assert any(item.kind == PARTS for item in session.outcomes()), "the flow's parts outcome applies (and is logged)"
    guide = views[0].guide
    assert guide is not None and guide.steps and all(step.image is not None for step in guide.steps)
    assert [step.number for step in guide.steps] == list(range(1, len(guide.steps) + 1))
    assert guide.id == "tent-silnylon-seams"  # this tent's own guide: its fly is silicone-coated
    sealer = guide.needs[0]
    stock = CATALOG.categories["care"].products[CATALOG.categories["care"].position["NG-CARE-0008"]].stock["muc-01"]
    assert [part.sku for part in guide.needs] == ["NG-CARE-0008"]  # the silicone sealer: PU would not hold
    assert sealer.count == stock[0] > 0
    assert sealer.location == stock[1]["de"] and sealer.location in sealer.stock
    assert "Werkstatt" in views[1].repair and "20–45 €" in views[1].repair
    assert session.owned() is not None and session.owned().sku == sku  # type: ignore[union-attr]


@pytest.mark.parametrize("sku", ["NG-TENT-0003", None])
def test_a_pu_tent_or_an_unnamed_one_gets_the_familys_guide_and_the_pu_sealer(sku: str | None) -> None:
    session = started()
    if sku is not None:
        assert TENTS.products[TENTS.position[sku]].attributes["coating"] == "pu"
        session.set_product(sku)
    answered(session, SEAMS)
    applied = {item.id: item for item in session.outcomes()}
    guide = applied["seam-guide"].guide
    assert guide is not None and guide.id == "tent-seam-sealing" and guide.needs == ("NG-CARE-0001",)
    assert applied["seam-sealer"].parts == ("NG-CARE-0001",)


def test_the_same_outcomes_in_english_and_elsewhere_without_stock() -> None:
    session = answered(started(), SEAMS)
    views = outcome_views(session.outcomes(), catalog=CATALOG, store_id=None, locale="en", address="du")
    assert views[0].guide is not None and views[0].guide.difficulty in (
        "Difficulty: easy",
        "Difficulty: medium",
        "Difficulty: demanding",
    )
    needed = views[0].guide.needs[0]
    assert needed.count == 0 and needed.stock == "Currently out of stock"


def test_a_product_of_another_category_or_a_finder_is_refused() -> None:
    session = started()
    with pytest.raises(SessionError, match="NG-CARE-0001"):
        session.set_product("NG-CARE-0001")
    finder = AdviceSession.start(shipped_flow("tent-finder.yaml"), index=TENTS)
    with pytest.raises(SessionError):
        finder.set_product("NG-TENT-0001")
    with pytest.raises(SessionError):
        finder.outcomes()


def test_outcomes_are_logged_once_per_state_with_the_product(engine: Engine) -> None:
    log = EventLog(engine, channel="kiosk", store_id="muc-01")
    session = started(run="run-1", subscribers=[EventLogger(log)])
    seen: list[ev.DomainEvent] = []
    session.subscribe(lambda _session, event: seen.append(event))
    session.set_product("NG-TENT-0001")
    answered(session, SEAMS)
    session.outcomes()
    session.outcomes()
    session.change_answer("leak_where", "floor")
    session.outcomes()
    log.flush()
    events = [event for event in read_events(engine) if event.kind == SERVICE_OUTCOMES]
    assert len(events) == 2
    assert events[0].value["sku"] == "NG-TENT-0001" and events[0].value["problem"] == ["leak"]
    assert events[0].value["outcomes"] == ["seam-guide", "seam-sealer", "seam-repair", "talk"]
    assert events[0].value["resolution"] == "self_help"
    assert any(isinstance(event, ev.ProductNamed) for event in seen)


def test_the_product_travels_with_the_stored_session_and_a_repair_is_ordered(engine: Engine) -> None:
    session = answered(started(), SEAMS)
    session.set_product("NG-TENT-0001")
    record = store.create(engine, session, store_id="muc-01")
    again = store.load(record, {"tent-help": tent_help()}, index_for=lambda _q: TENTS)
    assert again.product == "NG-TENT-0001" and again.dropped == ()
    again.catalog = CATALOG
    order = order_repair(engine, again, "seam-repair", store_id="muc-01", tried=["seam-guide", "not-shown"],
                         consent=True, name="Alex", email="alex@example.org")  # fmt: skip
    assert order.state == State.REGISTERED and order.product_sku == "NG-TENT-0001"
    assert order.turnaround_days == 7 and order.cost_cents == (2000, 4500)
    assert "Es regnet rein" in order.problem and order.answers["leak_where"] == "seams"
    assert list(order.tried) == ["Nähte selbst abdichten"]
    with pytest.raises(SessionError, match="floor-repair"):
        order_repair(engine, again, "floor-repair", store_id="muc-01")
    again.set_locale("en")  # an English shopper: the workshop still reads German, the mail goes out in English
    english = order_repair(engine, again, "seam-repair", store_id="muc-01", workshop_locale="de",
                           tried=["seam-guide"])  # fmt: skip
    assert "Es regnet rein" in english.problem and english.locale == "en"
    assert list(english.tried) == ["Nähte selbst abdichten"], "the guides tried, as staff read them"


def test_a_repair_ordered_again_is_one_order_and_for_another_product_an_order_of_its_own(engine: Engine) -> None:
    session = answered(started(), SEAMS)
    session.set_product("NG-TENT-0001")
    session.run = "run-1"
    first = order_repair(engine, session, "seam-repair", store_id="muc-01")
    again = order_repair(engine, session, "seam-repair", store_id="muc-01")  # a double tap, or Back and again
    assert again.pickup_code == first.pickup_code
    session.set_product("NG-TENT-0002")  # "another product": the second tent
    other = order_repair(engine, session, "seam-repair", store_id="muc-01")
    assert other.pickup_code != first.pickup_code and other.product_sku == "NG-TENT-0002"
    kept = order_of(engine, first.id)
    assert kept is not None and kept.product_sku == "NG-TENT-0001", "the first order keeps its tent"


def test_a_stored_product_the_catalog_no_longer_has_is_dropped_and_named() -> None:
    session = answered(started(), SEAMS)
    session.set_product("NG-TENT-0001")
    snapshot = session.snapshot()
    restored = AdviceSession.restore(replace(snapshot, product="NG-TENT-9999"), {"tent-help": tent_help()},
                                     index=TENTS)  # fmt: skip
    assert restored.product == "" and "product 'NG-TENT-9999'" in restored.dropped


def test_a_past_advice_offers_its_products_of_the_category() -> None:
    found = of_session(TENTS, ["NG-TENT-0002", "NG-CARE-0001", "NG-TENT-0002", "NG-TENT-0001"])
    assert [item.sku for item in found] == ["NG-TENT-0002", "NG-TENT-0001"]


def finished_tent_advice(*, viewed: tuple[str, ...] = (), complete: bool = True) -> store.Record:
    """A tent finder answered to its results (the first option, yes, the default each time) and stored, having
    opened `viewed`; with `complete` False left at its last question."""
    finder = shipped_flow("tent-finder.yaml")
    advice = AdviceSession.start(finder, index=TENTS, locale="de")
    while advice.step is not None:
        step = advice.step
        value = (
            [step.options[0].id] if step.kind in ("single", "multiple")
            else ["yes"] if step.kind == "yes_no"
            else [str(step.default if step.default is not None else step.min)]
        )  # fmt: skip
        advice.answer(step.id, answer_from_form(step, value))
    if not complete:
        advice.back()
    snapshot = replace(advice.snapshot(), viewed=viewed)
    moment = datetime.now(UTC)
    return store.Record("id", "8YDB8YKN", snapshot, 1, False, moment, moment, store_id="muc-01")


def test_an_earlier_advice_offers_its_top_pick_and_shortlist_after_the_products_looked_at() -> None:
    """Only looked at the results (nothing opened): the top pick and the shortlist are what the shopper may have
    bought; opened ones come first, each once."""
    flows = {"tent-finder": shipped_flow("tent-finder.yaml"), "tent-help": tent_help()}
    record = finished_tent_advice()
    restored = store.load(record, flows, index_for=lambda _: TENTS)
    shortlist = [item.sku for item in restored.recommendation(log=False).products]
    assert len(shortlist) >= 2
    assert [item.sku for item in of_advice(TENTS, record, flows)] == shortlist
    opened = finished_tent_advice(viewed=(shortlist[1], "NG-TENT-0001"))
    expected = list(dict.fromkeys(["NG-TENT-0001", shortlist[1], *shortlist]))
    assert [item.sku for item in of_advice(TENTS, opened, flows)] == expected
    assert len(of_advice(TENTS, opened, flows, limit=2)) == 2


def test_an_advice_left_before_its_results_or_of_another_category_offers_no_shortlist() -> None:
    flows = {"tent-finder": shipped_flow("tent-finder.yaml"), "tent-help": tent_help()}
    unfinished = finished_tent_advice(viewed=("NG-TENT-0002",), complete=False)
    assert [item.sku for item in of_advice(TENTS, unfinished, flows)] == ["NG-TENT-0002"]
    assert of_advice(CATALOG.categories["sleeping_bags"], finished_tent_advice(), flows) == []
