"""Which outcomes of a service flow apply: the one place this is decided, for the kiosk, the web and the check.

Every outcome whose condition holds applies, in the order the file writes them (a parts outcome only when it offers some
product; a guide outcome not when the shopper's product is named and its guide is not for that product). A condition
sees the answers of the steps on the path (as the engine gives them: "doesn't matter" and unanswered are null) and the
attributes of the shopper's product when it is known (null otherwise). A guide outcome comes with its guide (or the one
that `replaces` it for the shopper's very product), a parts outcome with its skus (those named, then those of the
category its rule selects, each once), a warranty outcome with the guidance that the months since purchase and the
product's manufacturer warranty give.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from advisor.engine import answer_values
from advisor.expressions import evaluate, evaluate_columns
from advisor.questionnaire.model import Outcome, Questionnaire
from advisor.recommend.index import CatalogIndex, ProductInfo
from advisor.service.guides import Guide, Guides
from advisor.service.warranty import WarrantyNote, warranty_notes


@dataclass(frozen=True)
class Applied:
    """An outcome that applies, with what it offers resolved."""

    outcome: Outcome
    guide: Guide | None = None
    parts: tuple[str, ...] = ()
    warranty: tuple[WarrantyNote, ...] = ()

    @property
    def id(self) -> str:
        return self.outcome.id

    @property
    def kind(self) -> str:
        return self.outcome.kind


def condition_values(
    flow: Questionnaire, answers: Mapping[str, Any], product: ProductInfo | None = None
) -> dict[str, Any]:
    """What outcome conditions see: the product's attributes (and price), then the answers on the path."""
    values = product_values(product)
    values.update(answer_values(flow.for_product(product, values), answers))
    return values


def product_values(product: ProductInfo | None) -> dict[str, Any]:
    """What a service flow's conditions see of the shopper's product: its attributes and price (nothing when it is
    not named: then every attribute reads as null)."""
    if product is None:
        return {}
    return {**product.attributes, "price": product.price}


def holds(outcome: Outcome, values: Mapping[str, Any]) -> bool:
    """Whether an outcome's condition holds for these values (an outcome without one always applies)."""
    return outcome.condition is None or bool(evaluate(outcome.condition, values))


def parts_of(outcome: Outcome, values: Mapping[str, Any], catalog: CatalogIndex | None) -> tuple[str, ...]:
    """The skus a parts outcome offers: those it names, then those its rule selects from its category.

    The rule sees the parts' attributes, the answers and the shopper's product's attributes (`values`; the parts'
    attributes win where both have a name), so it can pick what fits this very product.
    """
    parts = outcome.parts
    if parts is None:
        return ()
    found = list(dict.fromkeys(parts.skus))
    index = catalog.categories.get(parts.category) if catalog is not None and parts.category else None
    if parts.rule is not None and index is not None and index.size:
        mask = evaluate_columns(parts.rule, values, index)
        found += [sku for sku in index.skus[mask].tolist() if sku not in found]
    return tuple(found)


def outcomes_for(
    *,
    flow: Questionnaire,
    answers: Mapping[str, Any],
    guides: Guides | None = None,
    product: ProductInfo | None = None,
    catalog: CatalogIndex | None = None,
) -> tuple[Applied, ...]:
    """The outcomes that apply to these answers (in answer form, as the engine keeps them), in file order."""
    values = condition_values(flow, answers, product)
    applied = []
    for outcome in flow.outcomes:
        if not holds(outcome, values):
            continue
        guide = None
        if guides is not None and outcome.kind == "guide":  # the product's own guide where one stands in
            guide = guides.chosen(outcome.guide, sku=product.sku if product else None, category=flow.category,
                                  attributes=product.attributes if product else {})  # fmt: skip
            if guide is None and guides.get(outcome.guide) is not None:
                continue  # the guide is not for the shopper's product (its family's `when` leaves it out)
        warranty: tuple[WarrantyNote, ...] = ()
        if outcome.kind == "warranty" and outcome.purchased is not None:
            warranty = warranty_notes(values.get(outcome.purchased), product)
        parts = parts_of(outcome, values, catalog) if outcome.kind == "parts" else ()
        if outcome.kind == "parts" and not parts:
            continue  # nothing to offer (its rule selects no product of the catalog at hand)
        applied.append(Applied(outcome, guide, parts, warranty))
    return tuple(applied)
