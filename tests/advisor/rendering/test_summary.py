"""The take-away summary says what the results say: each product's price and stock of the variants that fit the
shopper (the long version for a tall one), less what the store has set aside for appointments."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from advisor.questionnaire.library import load_library
from advisor.rendering.facts import product_facts
from advisor.rendering.summary import build_summary
from advisor.session.service import AdviceSession
from tests.helpers.index import sample_index

BAGS = load_library().questionnaires["sleeping-bag-finder"]
TALL = {"activity": ("trekking",), "lowest_temp": 0, "sleeper": "normal", "who": "dont_care", "body_height": 195,
        "fill_choice": "dont_care", "weight_importance": "low", "couple": False}  # fmt: skip


def test_the_summary_shows_the_variants_that_fit_less_what_is_held() -> None:
    index = sample_index("sleeping_bags")
    advice = AdviceSession.start(BAGS, index=index, locale="de")
    advice.set_answers(TALL)
    products = advice.recommendation().products
    long_only = [item for item in products if len(advice.fitting_variants(item.sku)) < len(item.product.variants)]
    assert long_only, "some bag fits a 195 cm shopper only in its long version"

    def on_shelf(item: Any) -> int:
        return product_facts(index, item.product, "de", "muc-01", advice.fitting_variants(item.sku)).stock.count

    stocked = next(item for item in long_only if on_shelf(item))
    variant = advice.fitting_variants(stocked.sku)[0]
    held = {variant.sku: 1}

    summary = build_summary(
        questionnaire=BAGS, state=advice.state, recommendation=advice.recommendation(), index=index, locale="de",
        created=datetime.now(UTC), store_id="muc-01", fitting=advice.fitting_variants, held=held,
    )  # fmt: skip

    by_sku = {item.sku: item for item in products}  # (the summary keeps the results' layout: test_summary_order)
    assert sorted(by_sku) == sorted(shown.facts.sku for shown in summary.items)
    for shown in summary.items:
        item = by_sku[shown.facts.sku]
        results = product_facts(index, item.product, "de", "muc-01", advice.fitting_variants(item.sku), held)
        assert (shown.facts.price, shown.facts.stock.text("de")) == (results.price, results.stock.text("de"))
    said = next(shown for shown in summary.items if shown.facts.sku == stocked.sku).facts.stock
    assert said.count == on_shelf(stocked) - 1
    assert said.text("de").startswith("lang: "), said.text("de")


def test_a_help_flows_skipped_question_reads_i_dont_know_in_the_summary_and_in_speech() -> None:
    """Asked when they bought it, the shopper did not know: the take-away, the staff's list and the kiosk's speech
    say "Weiß ich nicht" as the button did, not "Egal"; a product finder's skip stays "Egal"."""
    from advisor.questionnaire.model import DONT_CARE
    from advisor.recommend.core import display_answer
    from advisor.rendering.summary import answer_lines
    from ui.spoken import question

    help_flow = load_library().everything["tent-help"]
    answers = {"problem": "leak", "leak_where": "seams", "leak_since": "from_new", "bought_months": DONT_CARE}
    lines = dict(answer_lines(help_flow, answers, "de"))
    assert lines["Vor wie vielen Monaten hast du es gekauft?"] == "Weiß ich nicht"
    assert dict(answer_lines(help_flow, answers, "en"))["How many months ago did you buy it?"] == "Don't know"
    step = help_flow.step("bought_months")
    said = question(step=step, progress=None, count=None, category="", answer=DONT_CARE, guided=False,
                    locale="de", address="du", service=True)  # fmt: skip
    assert "Weiß ich nicht" in said and "Egal" not in said
    finder = load_library().questionnaires["tent-finder"]
    skippable = next(step for step in finder.steps if step.dont_care)
    assert display_answer(skippable, DONT_CARE, "de") == "Egal"
