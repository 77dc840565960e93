"""A product's details for the variants that fit: the specifications agree with the price and the results' card."""

from __future__ import annotations

from dataclasses import replace

from advisor.recommend.index import model_values
from advisor.rendering.facts import product_facts
from tests.helpers.index import sample_index


def test_the_details_of_a_model_of_which_only_the_long_version_fits_are_the_long_versions() -> None:
    index = sample_index("sleeping_bags")
    hochkar = index.products[index.position["NG-SBAG-0004"]]
    # As the database builds a model: the best of its variants (the regular one's 1.05 kg, the long one's 200 cm)
    less = {name: spec.more_is_better is False for name, spec in index.category.attributes.items()}
    model = replace(hochkar, attributes={**hochkar.attributes,
                                         **model_values([v.options for v in hochkar.variants], less)})  # fmt: skip
    long = tuple(v for v in model.variants if v.options["length"] == "long")
    facts = product_facts(index, model, "de", "muc-01", long)
    specs = dict(facts.specs)
    assert facts.price == "599,95 €"
    assert (specs["Gewicht"], specs["Max. Körpergröße"], specs["Länge"]) == ("1,11\u00a0kg", "200\u00a0cm", "lang")
    every = dict(product_facts(index, model, "de", "muc-01").specs)  # no answers: the model as it is
    assert every["Gewicht"] == "1,05\u00a0kg" and every["Länge"] == "normal, lang"


def test_sizes_are_listed_in_the_dictionarys_order() -> None:
    index = sample_index("rain_jackets")
    jacket = next(p for p in index.products if len(p.attributes.get("sizes") or ()) > 3)
    shown = dict(product_facts(index, jacket, "en", "muc-01").specs)["Sizes"].split(", ")
    order = list(index.category.attributes["sizes"].values or ())
    assert shown == sorted(shown, key=order.index)


def test_what_is_set_aside_for_appointments_is_not_shown_as_on_the_shelf() -> None:
    """A product held for an appointment is in the store but not for this shopper: the count goes down, and the
    last one held reads as not here; a model's variants each count their own holds."""
    from advisor.rendering.facts import stock_in

    tents = sample_index("tents")
    single = next(p for p in tents.products if len(p.variants) <= 1 and p.stock.get("muc-01", (0, {}))[0] > 0)
    count = single.stock["muc-01"][0]
    assert stock_in(single, "muc-01", "de").count == count
    assert stock_in(single, "muc-01", "de", held={single.sku: 1}).count == count - 1
    gone = stock_in(single, "muc-01", "de", held={single.sku: count})
    assert gone.count == 0 and gone.text("de") == "Derzeit nicht vorrätig"
    jackets = sample_index("rain_jackets")
    model = next(p for p in jackets.products if sum(v.stock.get("muc-01", (0, {}))[0] > 0 for v in p.variants) > 1)
    stocked = [v for v in model.variants if v.stock.get("muc-01", (0, {}))[0] > 0]
    first = stocked[0].stock["muc-01"][0]
    held = {stocked[0].sku: first}  # every one of the first stocked size set aside
    before = stock_in(model, "muc-01", "de", index=jackets)
    after = stock_in(model, "muc-01", "de", index=jackets, held=held)
    assert after.count == before.count - first
    position = [v.sku for v in model.variants].index(stocked[0].sku)
    assert before.variants[position].count == first and after.variants[position].count == 0
