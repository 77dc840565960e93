"""The size to try through the advice session, as the kiosk and the phone show it: from the measurements answered,
per recommended jacket, with this store's stock of the size and its neighbour; none when the shopper skipped them."""

from __future__ import annotations

from typing import Any

from advisor.questionnaire.library import load_library
from advisor.recommend.sizes import size_advice, size_charts_in_use, size_stock
from advisor.rendering.facts import size_text
from advisor.session.service import AdviceSession
from tests.helpers.index import sample_index

STORE = "muc-01"


def walked(measurements: dict[str, Any]) -> AdviceSession:
    finder = load_library().questionnaires["rain-jacket-finder"]
    example = next(e for e in finder.examples if e.name.startswith("Alpine storms"))
    session = AdviceSession.start(finder, index=sample_index("rain_jackets"), locale="de")
    session.store_id = STORE
    session.set_answers({**example.answers, **measurements})
    assert session.complete
    return session


def test_each_recommended_jacket_gets_its_size_with_the_stock_here() -> None:
    session = walked({"chest_cm": 104, "body_height": 182})
    result = session.recommendation()
    assert result.products
    for item in result.products:
        advice = session.size_advice(item.sku)
        expected = size_advice(session.questionnaire, session.state.answers, item.product, size_charts_in_use(),
                               store=STORE)  # fmt: skip
        assert advice == expected and advice is not None
        assert advice.stock == size_stock(item.product, "sizes", advice.size, STORE)
        words = size_text(advice, "de", "du")
        assert words.startswith(f"Probier Größe {advice.size}")
        here = f"{advice.size}: {advice.stock} hier" if advice.stock else f"{advice.size} hier nicht vorrätig"
        assert here in words
        if advice.neighbour:
            assert f"(oder {advice.neighbour})" in words


def test_skipped_measurements_advise_no_size_and_a_finder_without_sizes_none() -> None:
    session = walked({"chest_cm": "dont_care", "body_height": "dont_care"})
    assert all(session.size_advice(item.sku) is None for item in session.recommendation().products)
    tents = AdviceSession.start(load_library().questionnaires["tent-finder"], index=sample_index("tents"))
    assert tents.size_advice("NG-TENT-0001") is None


def test_the_sizes_set_aside_for_appointments_are_not_counted_on_the_shelf() -> None:
    """The shop holds the advised size for someone's appointment: the size advice counts what is left on the shelf,
    and the session says that its results changed (the results are worked out again)."""
    session = walked({"chest_cm": 104, "body_height": 182})
    item = next(
        item for item in session.recommendation().products
        if (found := session.size_advice(item.sku)) is not None and found.stock
    )  # fmt: skip
    advice = session.size_advice(item.sku)
    assert advice is not None and advice.stock
    article = advice.skus[0]
    first = next(v for v in item.product.variants if v.sku == article).stock[STORE][0]
    assert session.use_holds({article: first}) is True
    after = session.size_advice(item.sku)
    assert after is not None and after.stock == advice.stock - first
    assert session.use_holds({article: first}) is False, "the same holds again change nothing"
    tents = AdviceSession.start(load_library().questionnaires["tent-finder"], index=sample_index("tents"))
    assert tents.use_holds({"NG-TENT-0001": 1}) is False, "its results do not read the shelf"
