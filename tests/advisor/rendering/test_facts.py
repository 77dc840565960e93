"""A product's details for the variants that fit: the specifications agree with the price and the results' card."""

from __future__ import annotations

from dataclasses import replace

import pytest

from advisor.recommend.index import ProductInfo, model_values
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
    assert every["Gewicht"] == "1,05–1,11\u00a0kg" and every["Länge"] == "normal, lang"  # (both variants' weights)


def test_sizes_are_listed_in_the_dictionarys_order() -> None:
    index = sample_index("rain_jackets")
    jacket = next(p for p in index.products if len(p.attributes.get("sizes") or ()) > 3)
    shown = dict(product_facts(index, jacket, "en", "muc-01").specs)["Sizes"].split(", ")
    order = list(index.category.attributes["sizes"].values or ())
    assert shown == sorted(shown, key=order.index)


def held_as(product: ProductInfo) -> str:
    """The sku a booking holds one article of `product` by: its only variant's (with a GTIN or options), else its
    own (advisor.appointments.booking._hold)."""
    return product.variants[0].sku if product.variants else product.sku


@pytest.mark.parametrize("category", ["tents", "backpacks"])  # one article as a model's only variant; a plain product
def test_what_is_set_aside_for_appointments_is_not_shown_as_on_the_shelf(category: str) -> None:
    """A product held for an appointment is in the store but not for this shopper: the count goes down, and the
    last one held reads as not here; a model's variants each count their own holds."""
    from advisor.rendering.facts import stock_in

    products = sample_index(category)
    single = next(p for p in products.products if len(p.variants) <= 1 and p.stock.get("muc-01", (0, {}))[0] > 0)
    assert (single.variants != ()) == (category == "tents")
    count = single.stock["muc-01"][0]
    assert stock_in(single, "muc-01", "de").count == count
    assert stock_in(single, "muc-01", "de", held={held_as(single): 1}).count == count - 1
    gone = stock_in(single, "muc-01", "de", held={held_as(single): count})
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


def test_the_last_one_set_aside_for_this_shopper_reads_as_theirs_in_their_form_of_address() -> None:
    """The shopper whose appointment holds a product reads it as set aside for them, where it was (du, Sie,
    English); another shopper's view of the same shelf still reads it as not here."""
    from advisor.appointments.booking import Holds
    from advisor.rendering.facts import stock_in

    tents = sample_index("tents")
    single = next(p for p in tents.products if len(p.variants) <= 1 and p.stock.get("muc-01", (0, {}))[0] > 0)
    count, sku = single.stock["muc-01"][0], held_as(single)
    where = stock_in(single, "muc-01", "de").location
    theirs = Holds({sku: count}, {sku: 1})  # the last one: this shopper's appointment holds one
    assert stock_in(single, "muc-01", "de", held=theirs).text("de") == f"Für dich zurückgelegt – {where}"
    assert stock_in(single, "muc-01", "de", held=theirs, address="Sie").text("de") == f"Für Sie zurückgelegt – {where}"
    assert stock_in(single, "muc-01", "en", held=theirs).text("en").startswith("Set aside for you – ")
    assert stock_in(single, "muc-01", "de", held=Holds({sku: count})).text("de") == "Derzeit nicht vorrätig"
    assert stock_in(single, "muc-01", "de", held={sku: count}).text("de") == "Derzeit nicht vorrätig"
    if count > 1:  # one of several held for them: the rest are still on the shelf
        some = stock_in(single, "muc-01", "de", held=Holds({sku: 1}, {sku: 1})).text("de")
        assert some == f"Für dich zurückgelegt – {where} · {count - 1} weitere vorrätig"


def test_a_variant_set_aside_for_this_shopper_is_named_even_when_the_answers_rule_it_out() -> None:
    """A hold is per article: the size set aside is the one said to be theirs; the other sizes read as before."""
    from advisor.appointments.booking import Holds
    from advisor.rendering.facts import stock_in, variant_labels

    jackets = sample_index("rain_jackets")
    model = next(p for p in jackets.products if sum(v.stock.get("muc-01", (0, {}))[0] > 0 for v in p.variants) > 1)
    stocked = [v for v in model.variants if v.stock.get("muc-01", (0, {}))[0] > 0]
    held, kept = stocked[0], stocked[1]
    label = variant_labels(model, "de", jackets)[held.sku]
    theirs = Holds({held.sku: held.stock["muc-01"][0]}, {held.sku: 1})
    line = stock_in(model, "muc-01", "de", index=jackets, held=theirs).text("de")
    assert line.startswith(f"Für dich zurückgelegt: {label}") and "Vorrätig in" in line, line
    assert (
        stock_in(model, "muc-01", "de", [held], jackets, theirs)
        .text("de")
        .startswith(f"{label}: für dich zurückgelegt")
    )
    other = stock_in(model, "muc-01", "de", [kept], jackets, theirs).text("de")  # their answers fit another size
    assert other.startswith("Für dich zurückgelegt: ") and label in other, other
    assert "zurückgelegt" not in stock_in(model, "muc-01", "de", [kept], jackets, dict(theirs)).text("de")


def test_stock_without_a_shelf_location_has_no_dangling_dash() -> None:
    """A catalog that names no shelf (a file with stock columns but no locations): the count alone."""
    from advisor.rendering.facts import Stock, VariantStock

    assert Stock(4, "").text("de") == "4 vorrätig"
    assert Stock(4, "").text("en") == "4 in stock"
    assert Stock(4, "Regal 4").text("de") == "4 vorrätig – Regal 4"
    colours = (VariantStock("Grün", 2, ""), VariantStock("Grau", 1, ""), VariantStock("Sand", 0, ""))
    assert Stock(3, "", colours).text("de") == "Vorrätig in Grün, Grau · nicht in Sand"
    assert Stock(3, "", colours).text("en") == "In stock in Grün, Grau · not in Sand"
    assert Stock(2, "", (VariantStock("lang", 2, ""),)).text("de") == "lang: 2 vorrätig"
    assert Stock(2, "", (VariantStock("lang", 2, "Regal 1"),)).text("de") == "lang: 2 vorrätig – Regal 1"
