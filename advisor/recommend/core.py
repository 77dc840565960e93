"""Recommend products for a session's answers: filter, score, order, diversify, explain, relax, critique.

Terms (docs/architecture.md): a *constraint* is what one answer asks of products, the requirements of one
answered step (or of one chosen option of a multiple-choice step, which can be dropped on its own). A
*relaxation* is a smallest set of constraints to drop so that products fit again; applying it sets those
answers to "doesn't matter" (or removes that option). A *critique* is "like this, but lighter".

Order: score (descending), then the questionnaire's tie-breaks, then the sku; the diversity rule then caps
how many shown products share one value of its attribute (filling up from the capped ones if too few remain).
"""

from __future__ import annotations

import contextlib
import re
import weakref
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from advisor import engine
from advisor.catalog.dictionary import IN_STOCK, PRICE
from advisor.engine import SessionState
from advisor.expressions import decided_by_extreme, evaluate, evaluate_columns, settled
from advisor.i18n import counted, euros, number, percent, pick, text, unit_text
from advisor.questionnaire.model import DONT_CARE, Preference, Questionnaire, Requirement, Step
from advisor.recommend.index import (
    AtStore,
    CategoryIndex,
    Mask,
    ModelExtremes,
    ProductInfo,
    RowSet,
    VariantInfo,
    model_values,
)

Walked = tuple[Sequence[str], Mapping[str, Any]]  # engine.walk's result: the path and the answers' values
MAX_RELAXATION_SIZE = 3
MAX_RELAXATIONS = 5
# "Better than x % of the products that fit" is said only among this many: of 2 or 3 the standouts ("the lightest
# of the 2") and the trade-offs against the top pick say it better.
SHARE_AMONG_AT_LEAST = 5
# A value is "close to your wish" within this many of the question's steps (2 °C of the coldest night).
CLOSE_STEPS = 2
MONEY_UNIT = "eur"  # a question's unit for amounts of euros (a budget)

CRITIQUE_WORDS = {
    "weight_kg": "critique.word.weight_kg",
    "weight_g": "critique.word.weight_g",
    PRICE: "critique.word.price",
    "temp_comfort_c": "critique.word.warmer",
    "packed_volume_l": "critique.word.smaller_packed",
    "capacity": "critique.word.roomier",
    "inner_length_cm": "critique.word.roomier",
    "volume_l": "critique.word.roomier",
}


@dataclass(frozen=True)
class Constraint:
    """The requirements of one answer; the unit a relaxation drops."""

    key: str
    step_id: str
    option_id: str | None
    requirements: tuple[Requirement, ...]
    importance: float = 1.0


@dataclass(frozen=True)
class Critique:
    """'Like this, but lighter': products that fit and beat the reference on one attribute."""

    attribute: str
    direction: str  # "lower" or "higher": which values are asked for
    reference: float
    count: int = 0
    label: str = ""

    @property
    def key(self) -> str:
        return f"{self.attribute}:{self.direction}:{self.reference:g}"


@dataclass(frozen=True)
class Reason:
    """Why a product fits (or what it trades off), with the data the claim rests on."""

    kind: str  # requirement, better_than, worse_than, has, lacks, unlike, close_to
    text: str
    attribute: str | None = None
    value: Any = None
    share: int | None = None
    constraint: str | None = None


@dataclass(frozen=True)
class Ranked:
    """A recommended product with its score, reasons, trade-offs and facts."""

    sku: str
    product: ProductInfo
    score: float
    reasons: tuple[Reason, ...] = ()
    tradeoffs: tuple[Reason, ...] = ()
    facts: tuple[str, ...] = ()
    # The model's variants that fit the answers (all of them when no answer asks about what varies) and, of those,
    # the ones that meet the most of the shopper's wishes on what varies (the red one, when red is wished): the
    # product is shown, priced and explained as those. Empty for a product without variants.
    variants: tuple[VariantInfo, ...] = ()


@dataclass(frozen=True)
class Relaxation:
    """Drop these constraints and `count` products fit."""

    drop: tuple[str, ...]
    labels: tuple[str, ...]
    count: int
    text: str = ""


@dataclass(frozen=True)
class Recommendation:
    """What the shopper sees for their answers."""

    count: int
    products: tuple[Ranked, ...]
    relaxations: tuple[Relaxation, ...] = ()
    critiques: tuple[Critique, ...] = ()
    constraints: tuple[Constraint, ...] = ()


@dataclass
class _Context:
    index: CategoryIndex
    questionnaire: Questionnaire
    answers: Mapping[str, Any]
    values: dict[str, Any]
    locale: str
    address: str
    critiques: tuple[Critique, ...] = ()
    store: str | None = None  # the shopper's store, for in_stock (None: stock is not asked about)
    held: Mapping[str, int] | None = None  # per article, how many the store has set aside for appointments
    constraints: list[Constraint] = field(default_factory=list)
    masks: list[Mask] = field(default_factory=list)
    # Per constraint, its mask over the variants where it asks about an attribute that varies (else None).
    variant_masks: list[VariantRows | None] = field(default_factory=list)
    preferences: list[tuple[Preference, float]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    attribute_names: dict[str, list[str]] = field(default_factory=dict)
    # A number column over the candidates, taken once for scoring, explaining and critiques: (candidates, columns).
    picked: tuple[NDArray[np.intp] | None, dict[str, NDArray[np.float64]]] = (None, {})

    def over(self, name: str, candidates: NDArray[np.intp]) -> NDArray[np.float64]:
        """The attribute's number column over the candidates (NaN where a product has none); do not change it."""
        column = self.taken(name, candidates)
        if column is None:
            if self.picked[0] is not candidates:
                self.picked = (candidates, {})
            column = self.picked[1][name] = self.index.numbers(name)[candidates]
        return column

    def taken(self, name: str, candidates: NDArray[np.intp]) -> NDArray[np.float64] | None:
        """The column `over` took for these candidates already, if it did."""
        held, columns = self.picked
        return columns.get(name) if held is candidates else None

    def attributes_of(self, constraint: Constraint) -> list[str]:
        """The number and boolean attributes a constraint's requirements look at, sorted."""
        if constraint.key not in self.attribute_names:
            names = {n for r in constraint.requirements for n in r.expression.names if self.index.kind(n) is not None}
            self.attribute_names[constraint.key] = sorted(
                n for n in names if self.index.kind(n) in ("number", "boolean")
            )
        return self.attribute_names[constraint.key]

    def label(self, constraint: Constraint) -> str:
        """A constraint's label in the session's locale (made once per recommendation)."""
        if constraint.key not in self.labels:
            self.labels[constraint.key] = constraint_label(self.questionnaire, self.answers, constraint, self.locale)
        return self.labels[constraint.key]


# ---------------------------------------------------------------------------------------------------------
# Constraints and their masks


def _importance_of(step: Step, values: Mapping[str, Any]) -> float:
    """A step's importance: the answer of an importance step its preferences name, else 1."""
    for preference in (*step.prefers, *(p for option in step.options for p in option.prefers)):
        if preference.importance and isinstance(values.get(preference.importance), int | float):
            return float(values[preference.importance])
    return 1.0


def constraints_of(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    walked: Walked | None = None,
) -> list[Constraint]:
    """The relaxable constraints the answers imply, in path order (`walked`: engine.walk's result, if known)."""
    path, values = walked if walked is not None else engine.walk(questionnaire, answers)
    found: list[Constraint] = []
    for step_id in path:
        answer = answers.get(step_id)
        step = questionnaire.step(step_id)
        if answer is None or answer == DONT_CARE or (step.kind == "yes_no" and answer is not True):
            continue
        importance = _importance_of(step, values)
        chosen = [answer] if step.kind == "single" else list(answer) if step.kind == "multiple" else []
        option_requirements = [
            (option, option.requires) for option in step.options if option.id in chosen and option.requires
        ]
        if step.kind == "multiple" and not step.requires:
            for option, requirements in option_requirements:
                kept = tuple(r for r in requirements if settled(r.expression, values) is not True)
                if kept:
                    found.append(Constraint(f"{step_id}.{option.id}", step_id, option.id, kept, importance))
            continue
        requirements = tuple(
            requirement
            for requirement in (*step.requires, *(r for _, rs in option_requirements for r in rs))
            if settled(requirement.expression, values) is not True  # true for every product: no wish to name
        )
        if requirements:
            found.append(Constraint(step_id, step_id, None, tuple(requirements), importance))
    return found


def _mask(index: CategoryIndex, requirements: Iterable[Requirement], values: Mapping[str, Any]) -> Mask:
    mask = np.ones(index.size, dtype=bool)
    for requirement in requirements:
        mask &= _requirement_mask(index, requirement, values)
    return mask


# Each requirement's mask over an index's models, per value of the answers it names: a requirement names one or
# two answers, which take few values, so every live count and recommendation after the first finds most of its
# masks here. Read-only arrays (a change in place would raise), bounded per index.
Kept = TypeVar("Kept")
_MASKS: weakref.WeakKeyDictionary[CategoryIndex, dict[Hashable, tuple[Any, Mask]]] = weakref.WeakKeyDictionary()
MASKS_KEPT = 512


def _requirement_mask(index: CategoryIndex, requirement: Requirement, values: Mapping[str, Any]) -> Mask:
    expression = requirement.expression
    try:
        # (each value's type too: 1, 1.0 and True are equal keys but not the same answer)
        key = (id(expression), tuple((type(value), _hashable(value)) for value in map(values.get, expression.names)))
        masks = _kept_for(_MASKS, index)
        kept = masks.get(key)
    except TypeError:  # a value that does not hash: worked out every time
        return evaluate_columns(expression, values, index)
    if kept is not None and kept[0] is expression:
        return kept[1]
    mask = evaluate_columns(expression, values, index)
    mask.flags.writeable = False
    _keep(masks, key, (expression, mask), MASKS_KEPT)
    return mask


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _kept_for(memo: weakref.WeakKeyDictionary[CategoryIndex, dict[Hashable, Kept]], index: CategoryIndex
              ) -> dict[Hashable, Kept]:  # fmt: skip
    """What a memo keeps for one index (gone with the index: a new catalog version starts empty)."""
    kept = memo.get(index)
    return kept if kept is not None else memo.setdefault(index, {})


def _keep(kept: dict[Hashable, Kept], key: Hashable, value: Kept, limit: int) -> None:
    """Keep `value` under `key`, the oldest entry going first once `limit` are kept."""
    if len(kept) >= limit:
        with contextlib.suppress(RuntimeError, StopIteration):  # another thread changed it meanwhile: next time
            kept.pop(next(iter(kept)), None)
    kept[key] = value


class VariantRows:
    """Where one constraint's requirements hold over a category's variant rows: for every row, or for some models'
    rows only, worked out when asked (the shown products' fitting variants need ten models' rows, not a million)."""

    def __init__(
        self, requirements: Sequence[Requirement], values: Mapping[str, Any], view: Any, mask: Mask | None = None
    ) -> None:
        self.requirements, self.values, self.view, self._mask = requirements, values, view, mask

    def full(self) -> Mask:
        """Over every variant row."""
        if self._mask is None:
            self._mask = self._evaluated(self.view)
        return self._mask

    def at(self, rows: NDArray[np.intp]) -> Mask:
        """Over the given rows (several models' together)."""
        if self._mask is not None:
            return self._mask[rows]
        return self._evaluated(RowSet(self.view, rows))

    def _evaluated(self, view: Any) -> Mask:
        mask = np.ones(view.size, dtype=bool)
        for requirement in self.requirements:
            mask &= evaluate_columns(requirement.expression, self.values, view)
        return mask


def _masks(
    index: CategoryIndex,
    requirements: Sequence[Requirement],
    values: Mapping[str, Any],
    store: str | None = None,
    held: Mapping[str, int] | None = None,
) -> tuple[Mask, VariantRows | None]:
    """A constraint's mask over the models, and its rows over the variants where it asks about an attribute that
    varies or about stock: then a model fits when one of its variants does ("the long version fits 195 cm", "in
    stock here in your size")."""
    names: set[str] = set().union(*(r.expression.names for r in requirements))
    stock = IN_STOCK in names
    if not stock and (not index.has_variants or not index.varying.intersection(names)):
        return _mask(index, requirements, values), None
    columns = index.variant_columns()
    if not stock and len(requirements) == 1:
        # "fits 195 cm": a model has a variant that fits when its longest does; its variants' longest lengths are
        # a column of the models, so the answer is one comparison per model, not a pass over every variant.
        decided = decided_by_extreme(requirements[0].expression, index.varying)
        if decided is not None and columns.kind(decided[0]) == "number":
            extremes = ModelExtremes(index, decided[0], columns.extreme(*decided))
            return evaluate_columns(requirements[0].expression, values, extremes), VariantRows(
                requirements, values, columns
            )
    view: Any = AtStore(columns, columns.in_stock(store, held) if store else None) if stock else columns
    rows = VariantRows(requirements, values, view)
    return columns.to_models(rows.full()), rows


class Joint:
    """The variant rows that meet every constraint asking about what varies."""

    def __init__(self, parts: Sequence[VariantRows]) -> None:
        self.parts = parts

    def full(self) -> Mask:
        joint = self.parts[0].full().copy()
        for part in self.parts[1:]:
            joint &= part.full()
        return joint

    def at(self, rows: NDArray[np.intp]) -> Mask:
        joint = np.array(self.parts[0].at(rows), dtype=bool)
        for part in self.parts[1:]:
            joint &= part.at(rows)
        return joint


def _fitting_variants(context: _Context) -> Joint | None:
    """Over the variants, those that meet every constraint that asks about what varies (None: none asks)."""
    parts = [rows for rows in context.variant_masks if rows is not None]
    return Joint(parts) if parts else None


def fitting_variants(index: CategoryIndex, position: int, joint: Joint | None) -> tuple[VariantInfo, ...]:
    """The model's variants that fit (all of them when no answer asks about what varies)."""
    return fitting_variants_of(index, [position], joint)[0]


def fitting_variants_of(
    index: CategoryIndex, positions: Sequence[int], joint: Joint | None
) -> list[tuple[VariantInfo, ...]]:
    """Each model's variants that fit (all of them when no answer asks about what varies), the models' variant rows
    looked at together: one evaluation, not one per model."""
    products = [index.products[position] for position in positions]
    if joint is None or not any(product.variants for product in products):
        return [product.variants for product in products]
    starts = index.variant_columns().starts
    spans = [(int(starts[position]), len(product.variants)) for position, product in zip(positions, products,
                                                                                          strict=True)]  # fmt: skip
    fits = joint.at(np.concatenate([np.arange(start, start + count) for start, count in spans])).tolist()
    found: list[tuple[VariantInfo, ...]] = []
    offset = 0
    for product, (_, count) in zip(products, spans, strict=True):
        mine = fits[offset : offset + count]
        found.append(tuple(variant for variant, fit in zip(product.variants, mine, strict=True) if fit))
        offset += count
    return found


def fitted_values(index: CategoryIndex, product: ProductInfo, variants: Sequence[VariantInfo] | None) -> dict[str, Any]:
    """What a model's variants that fit have otherwise than the model (the long version's weight and price): their
    best values of what varies and their lowest price; empty when all of them fit (or none is given)."""
    if not variants or len(variants) >= len(product.variants):
        return {}
    less = {name: spec.more_is_better is False for name, spec in index.category.attributes.items()}
    values = model_values([variant.options for variant in variants], less)
    values[PRICE] = min(variant.price for variant in variants)
    return values


def _critique_mask(index: CategoryIndex, critique: Critique) -> Mask:
    column = index.numbers(critique.attribute)
    with np.errstate(invalid="ignore"):
        return column < critique.reference if critique.direction == "lower" else column > critique.reference


def _prepare(
    index: CategoryIndex,
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    locale: str,
    critiques: Sequence[Critique] = (),
    address: str | None = None,
    store: str | None = None,
    held: Mapping[str, int] | None = None,
) -> _Context:
    walked = engine.walk(questionnaire, answers)
    values = walked[1]
    address = address or questionnaire.address.get(locale, "du")
    context = _Context(index, questionnaire, answers, values, locale, address, tuple(critiques), store, held)
    context.constraints = constraints_of(questionnaire, answers, walked)
    context.preferences = _preferences(questionnaire, answers, walked)
    both = [_masks(index, constraint.requirements, values, store, held) for constraint in context.constraints]
    context.masks = [models for models, _ in both]
    context.variant_masks = [variants for _, variants in both]
    return context


def _passing(context: _Context) -> Mask:
    mask = np.ones(context.index.size, dtype=bool)
    for constraint_mask in context.masks:
        mask &= constraint_mask
    joint = _fitting_variants(context)
    # One variant must meet all of them: a long bag in stock, not a long one and a stocked one. (With one such
    # constraint its mask over the models, already in `mask`, says just that.)
    if joint is not None and len(joint.parts) > 1:
        mask &= context.index.variant_columns().to_models(joint.full())
    for critique in context.critiques:
        mask &= _critique_mask(context.index, critique)
    return mask


# The live counts worked out per index (kept while the index is in use): every shopper who gave the same answers
# sees the same count, so a server or kiosk works each one out once. Bounded: the oldest go first.
_COUNTS: weakref.WeakKeyDictionary[CategoryIndex, dict[Hashable, tuple[Questionnaire, int]]] = (
    weakref.WeakKeyDictionary()
)
COUNTS_KEPT = 4096


def live_count(
    *,
    index: CategoryIndex,
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    critiques: Sequence[Critique] = (),
    store: str | None = None,
    held: Mapping[str, int] | None = None,
) -> int:
    """How many products fit the answers so far (`store`, `held`: see `recommend`)."""
    counts = _kept_for(_COUNTS, index)
    key = (
        id(questionnaire),
        tuple(sorted((step, _hashable(value)) for step, value in answers.items())),
        tuple(critique.key for critique in critiques),
        store,
        tuple(sorted(held.items())) if store and held else (),
    )
    kept = counts.get(key)
    if kept is not None and kept[0] is questionnaire:  # (the same object: an id is reused only after it is gone)
        return kept[1]
    count = int(_passing(_prepare(index, questionnaire, answers, "en", critiques, store=store, held=held)).sum())
    _keep(counts, key, (questionnaire, count), COUNTS_KEPT)
    return count


# ---------------------------------------------------------------------------------------------------------
# Scoring and order


def _preferences(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    walked: Walked | None = None,
) -> list[tuple[Preference, float]]:
    path, values = walked if walked is not None else engine.walk(questionnaire, answers)
    weighted = []
    for preference in engine.active_preferences(questionnaire, answers, path):
        weight = preference.weight
        if preference.importance:
            factor = values.get(preference.importance)
            if isinstance(factor, int | float) and not isinstance(factor, bool):
                weight *= float(factor)
        if weight > 0:
            weighted.append((preference, weight))
    return weighted


def _preference_scores(
    context: _Context, preference: Preference, candidates: NDArray[np.intp]
) -> NDArray[np.float64] | None:
    """Each candidate's score in [0, 1] for one preference (None when it cannot apply)."""
    index = context.index
    if preference.attribute == IN_STOCK:  # a fitting variant on the shelf here
        if context.store is None:
            return None
        columns = index.variant_columns()
        stocked = columns.in_stock(context.store, context.held)
        joint = _fitting_variants(context)
        return columns.to_models(stocked if joint is None else stocked & joint.full())[candidates].astype(np.float64)
    kind = index.kind(preference.attribute)
    if preference.contains is not None and kind == "set":
        return index.contains(preference.attribute, preference.contains)[candidates].astype(np.float64)
    if preference.equals is not None and kind in ("enum", "text"):
        return index.equals(preference.attribute, preference.equals)[candidates].astype(np.float64)
    if kind not in ("number", "boolean"):
        return None
    column = context.over(preference.attribute, candidates)
    if preference.target is None and np.isfinite(column).all():  # (the usual column: no product lacks it)
        low, high = float(column.min()), float(column.max())
        if high <= low:
            return np.ones_like(column)
        scaled: NDArray[np.float64] = (column - low) / (high - low)
        return 1.0 - scaled if preference.direction == "lower" else scaled
    if preference.target is not None:
        target = evaluate(preference.target, context.values)
        if not isinstance(target, int | float) or isinstance(target, bool):
            return None
        distance = np.abs(column - float(target))
        spread = np.nanmax(distance) if np.isfinite(distance).any() else 0.0
        scores = 1.0 - distance / spread if spread > 0 else np.ones_like(distance)
    else:
        low, high = (np.nanmin(column), np.nanmax(column)) if np.isfinite(column).any() else (0.0, 0.0)
        if high <= low:
            return np.ones_like(column)
        scores = (column - low) / (high - low)
        if preference.direction == "lower":
            scores = 1.0 - scores
    return np.nan_to_num(scores, nan=0.0)


def _scores(context: _Context, candidates: NDArray[np.intp]) -> NDArray[np.float64]:
    total = np.zeros(len(candidates), dtype=np.float64)
    weights = 0.0
    wishes = _variant_wishes(context)
    for preference, weight in context.preferences:
        if any(preference is wish for wish, _ in wishes):
            continue  # (met by one variant at a time: below, together)
        scores = _preference_scores(context, preference, candidates)
        if scores is not None:
            total += weight * scores
            weights += weight
    if wishes:
        total += _variant_wish_scores(context, wishes)[candidates]
        weights += sum(weight for _, weight in wishes)
    return total / weights if weights else total


def _variant_wishes(context: _Context) -> list[tuple[Preference, float]]:
    """The `equals` and `contains` wishes on an attribute that varies (a colour): a model meets them as one of its
    variants that fit does, not as its variants together (a red one that does not fit the wearer is no red one)."""
    index = context.index
    if not index.has_variants:
        return []
    return [
        (preference, weight)
        for preference, weight in context.preferences
        if preference.attribute in index.varying
        and (
            (preference.equals is not None and index.kind(preference.attribute) in ("enum", "text"))
            or (preference.contains is not None and index.kind(preference.attribute) == "set")
        )
    ]


def _variant_wish_scores(context: _Context, wishes: Sequence[tuple[Preference, float]]) -> NDArray[np.float64]:
    """Per model, the weight of the variant wishes that its best fitting variant meets together (0 to their sum):
    the variant the results then show (`_most_wished`), so the score credits what the shopper is shown."""
    columns = context.index.variant_columns()
    met = np.zeros(columns.size, dtype=np.float64)
    for preference, weight in wishes:
        if preference.equals is not None:
            met += weight * columns.equals(preference.attribute, preference.equals)
        else:
            met += weight * columns.contains(preference.attribute, str(preference.contains))
    joint = _fitting_variants(context)
    if joint is not None:
        met[~joint.full()] = 0.0
    best: NDArray[np.float64] = np.maximum.reduceat(met, columns.starts) if columns.size else met
    return best


def _meets(preference: Preference, value: Any) -> bool:
    """Whether a value meets an `equals` or `contains` wish (a list: a set's values, or a model's variants')."""
    wished = preference.equals if preference.equals is not None else preference.contains
    if isinstance(value, list | tuple | set | frozenset):
        return wished in value
    return value is not None and value == wished


def _missed(index: CategoryIndex, name: str, label: str, wished: str, held: Sequence[Any], locale: str) -> str:
    """A wish the product does not meet, said with what it has instead and the wish named as one: "Farbe: Grün
    (gewünscht: Rot)", "Hood: stowable (wished: helmet-compatible)" (beside the top pick, "Grün statt Rot" read as
    the top pick's colour; and "not" alone before a value may read "nicht ohne Gestell"); "Kapuze: nicht
    helmtauglich" when it has no value."""
    shown = list(dict.fromkeys(format_value(index, name, value, locale) for value in held if value not in (None, [])))
    if not shown:
        return text("tradeoff.lacks", locale, attribute=label, value=wished)
    return text("tradeoff.instead", locale, attribute=label, actual=", ".join(shown), value=wished)


def _variant_value(product: ProductInfo, variant: VariantInfo, name: str) -> Any:
    """A variant's value of an attribute: its own, else its model's (as the variant columns have it)."""
    return variant.options[name] if name in variant.options else product.attributes.get(name)


def _most_wished(
    product: ProductInfo, variants: tuple[VariantInfo, ...], wishes: Sequence[tuple[Preference, float]]
) -> tuple[VariantInfo, ...]:
    """Of a model's fitting variants, those that meet the most (by weight) of the wishes on what varies: a shopper
    who wished red is shown the red one, its price and its stock, not "ohne Rot" of a green one. All of them when
    none meets any."""
    if len(variants) < 2 or not wishes:
        return variants
    met = [sum(w for p, w in wishes if _meets(p, _variant_value(product, v, p.attribute))) for v in variants]
    best = max(met)
    return tuple(v for v, m in zip(variants, met, strict=True) if m == best) if best > 0 else variants


def _order(
    context: _Context, candidates: NDArray[np.intp], scores: NDArray[np.float64], leading: int | None = None
) -> NDArray[np.intp]:
    """Candidates by score, then the tie-breaks, then sku (the index is in sku order).

    With `leading`, only the candidates scoring at least the `leading`-th best score (ties included) are
    sorted and returned: the same first products, without sorting tens of thousands.
    """
    if leading is not None and len(candidates) > leading:
        rounded = np.round(scores, 9)
        threshold = np.partition(rounded, len(rounded) - leading)[len(rounded) - leading]
        keep = rounded >= threshold
        candidates, scores = candidates[keep], scores[keep]
    keys: list[NDArray[Any]] = [candidates]  # lexsort: the last key is the primary one
    for item in reversed(context.questionnaire.results.tie_break):
        descending = item.startswith("-")
        name = item.lstrip("-")
        if context.index.kind(name) not in ("number", "boolean"):
            continue
        column = np.nan_to_num(context.index.numbers(name)[candidates], nan=np.inf if not descending else -np.inf)
        keys.append(-column if descending else column)
    keys.append(-np.round(scores, 9))
    return candidates[np.lexsort(keys)]


def _diversified(context: _Context, ordered: NDArray[np.intp], show: int) -> list[int]:
    rule = context.questionnaire.results.diversity
    if rule is None or rule.attribute not in context.index.category.attributes:
        return [int(i) for i in ordered[:show]]
    chosen: list[int] = []
    held_back: list[int] = []
    # (If the leading candidates run out before `show` are chosen, the held-back ones fill up: see recommend.)
    per_value: dict[Any, int] = {}
    joint = _fitting_variants(context) if context.index.has_variants else None
    for position in ordered:
        values = _diversity_values(context, rule.attribute, int(position), joint)
        if all(per_value.get(value, 0) < rule.max_per_value for value in values):
            for value in values:
                per_value[value] = per_value.get(value, 0) + 1
            chosen.append(int(position))
        else:
            held_back.append(int(position))
        if len(chosen) == show:
            return chosen
    return chosen + held_back[: show - len(chosen)]


def _diversity_values(context: _Context, attribute: str, position: int, joint: Joint | None) -> tuple[Any, ...]:
    """The values a model counts towards in the diversity rule: its value, or, when its variants differ in the
    attribute (a sleeping bag in regular and long), each value its variants that fit the answers have (the model
    holds the list of its variants' values)."""
    value = context.index.value(attribute, position)
    if not isinstance(value, list | tuple | set | frozenset):
        return (value,)
    product = context.index.products[position]
    fitting = fitting_variants(context.index, position, joint) if product.variants else ()
    had = [variant.options[attribute] for variant in fitting if attribute in variant.options]
    return tuple(dict.fromkeys(had or sorted(value, key=str))) or (None,)


# ---------------------------------------------------------------------------------------------------------
# Reasons


def display_answer(step: Step, answer: Any, locale: str, *, service: bool = False) -> str:
    """An answer as the shopper reads it; in a help flow (`service`) the skip answer reads "Weiß ich nicht", as
    its button says: asked about their own product, the shopper does not know rather than not mind."""
    if answer is None:
        return text("answer.none", locale)
    if answer == DONT_CARE:
        return text("answer.dont_know" if service else "answer.dont_care", locale)
    if step.kind == "single":
        option = step.option(answer)
        return pick(option.label, locale) if option else str(answer)
    if step.kind == "multiple":
        return ", ".join(pick(option.label, locale) for option in step.options if option.id in answer)
    if step.kind == "yes_no":
        return text("answer.yes" if answer else "answer.no", locale)
    if step.unit == MONEY_UNIT:  # as prices read: "€200", "200 €"
        return euros(answer, locale)
    unit = unit_text(step.unit, locale, one=answer == 1)
    # a no-break space, as format_value writes the product's value beside it: "2 kg" stays on one line
    return f"{number(answer, locale)}\u00a0{unit}" if unit else number(answer, locale)


def answered(step: Step, answer: Any, locale: str, given: Any = None, *, service: bool = False) -> str:
    """An answer as a list of the shopper's answers shows it: with `given`, what they had answered before they
    dropped that wish so that something fits ("4 Personen – verzichtet, damit etwas passt"), so the take-away and
    staff keep the real need."""
    shown = display_answer(step, answer, locale, service=service)
    dropped = dropped_part(step, answer, given)
    if dropped is None:
        return shown
    if answer == DONT_CARE:
        return text("answer.dropped", locale, answer=display_answer(step, dropped, locale))
    return text("answer.dropped_some", locale, answer=shown, dropped=display_answer(step, dropped, locale))


def dropped_part(step: Step, answer: Any, given: Any) -> Any:
    """What of the answer `given` a relaxation dropped and the shopper still goes without: all of it while the answer
    is "doesn't matter", the options no longer chosen of a multiple choice; None when nothing (answered anew)."""
    if given is None or given == answer:
        return None
    if answer == DONT_CARE:
        return given
    if step.kind == "multiple" and isinstance(answer, tuple | list) and isinstance(given, tuple | list):
        removed = tuple(option for option in given if option not in answer)
        return removed or None
    return None


# A number and a unit of parts ("15.000 g/m²/24h"): a no-break space after the number and a word joiner after each
# slash keep it on one line wherever the text wraps (not "15.000 g/" and "m²/24h").
SLASHED_UNIT = re.compile(r"(?<=\d) ([^\s\d/]+/\S+)")


def unbreakable(words: str) -> str:
    """`words` with each number and its slashed unit kept whole on a line (SLASHED_UNIT)."""
    return SLASHED_UNIT.sub(lambda found: "\u00a0" + _joined(found[1]), words)


def _joined(unit: str) -> str:
    return re.sub(r"/(?!\u2060)", "/\u2060", unit)


def constraint_label(
    questionnaire: Questionnaire, answers: Mapping[str, Any], constraint: Constraint, locale: str
) -> str:
    """How a constraint is named: its requirements' labels (answers filled in), else question and answer."""
    labels = []
    for requirement in constraint.requirements:
        if requirement.label:
            template = pick(requirement.label, locale)
            for step in questionnaire.steps:
                if "{" + step.id + "}" in template:
                    template = template.replace("{" + step.id + "}", display_answer(step, answers.get(step.id), locale))
            labels.append(template)
    if labels:
        return unbreakable(", ".join(dict.fromkeys(labels)))
    step = questionnaire.step(constraint.step_id)
    answer = constraint.option_id if constraint.option_id else answers.get(constraint.step_id)
    if constraint.option_id:
        answer = [constraint.option_id] if step.kind == "multiple" else constraint.option_id
    said = display_answer(step, answer, locale)
    if step.kind in ("single", "multiple"):  # an option names itself: passt zu „Festival“
        return text("requirement.default_label", locale, answer=said)
    # "Ja" or "150 €" alone says nothing: after the step's short label, else its question ("Regenhülle: Ja")
    named = pick(step.short, locale) if step.short else pick(step.question, locale).rstrip("?").strip()
    return text("requirement.answered_label", locale, question=named, answer=said)


def format_value(index: CategoryIndex, attribute: str, value: Any, locale: str) -> str:
    """An attribute value with its unit or its value label, as the shopper reads it."""
    if attribute == PRICE:
        return euros(value, locale)
    spec = index.category.attributes.get(attribute)
    if isinstance(value, bool):
        return text("answer.yes" if value else "answer.no", locale)
    if isinstance(value, int | float):
        unit = unit_text(spec.unit if spec else None, locale, one=value == 1)
        # A no-break space: the number and its unit stay on one line wherever the text wraps ("9 l", not "9" / "l").
        return f"{number(value, locale, 2)}\u00a0{_joined(unit)}" if unit else number(value, locale, 2)
    labels = spec.value_labels if spec and spec.value_labels else {}
    if isinstance(value, list):
        order = {item: i for i, item in enumerate(spec.values or ())} if spec else {}
        ordered = sorted(value, key=lambda item: order.get(item, len(order)))  # the dictionary's: XS, S, M, L, XL
        return ", ".join(pick(labels[item], locale) if item in labels else str(item) for item in ordered)
    return pick(labels[value], locale) if value in labels else str(value)


def _says(words: str, value: str) -> bool:
    """Whether `words` name `value` as such ("Platz für 2 Personen" says "2 Personen"; "ab -12 °C" does not say
    "2 °C")."""
    words = words.replace("\u00a0", " ").replace("\u2060", "")
    value = value.replace("\u00a0", " ").replace("\u2060", "")
    return re.search(rf"(?<![\d.,\-−]){re.escape(value)}(?!\d)", words) is not None


def _says_number(words: str, value: Any, locale: str) -> bool:
    """Whether `words` name the number `value` itself, whatever unit follows it or not ("in Größe 43" says 43 EU;
    "ab -12 °C" does not say 12 °C, "in Größe 43,5" not 43)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    thousands, decimal = (".", ",") if locale == "de" else (",", ".")
    for found in re.findall(r"(?<![\w.,\-−])[-−]?\d+(?:[.,]\d+)*", words):
        try:
            said = float(found.replace("−", "-").replace(thousands, "").replace(decimal, "."))
        except ValueError:
            continue
        if said == value:
            return True
    return False


def quoted(labels: Sequence[str], locale: str) -> str:
    """Wishes named in quotes, each once: „leicht“, „Platz für 2“ – a label that quotes already (passt zu
    „Festival“) stands as it is, not in quotes inside quotes."""
    opening, closing = ("„", "“") if locale == "de" else ("“", "”")
    return ", ".join(
        label if re.search(r"[„“”\"]|(?:^|\s)'", label) else f"{opening}{label}{closing}" for label in labels
    )


def category_noun(index: CategoryIndex, locale: str, count: int | None = None) -> str:
    """The category as a noun inside a sentence ("3 tents fit", "3 Zelte passen"); for a `count` of 1 its name for
    one product ("1 Zelt passt"), or "Produkt" where the dictionary names none."""
    one = index.category.one
    if count == 1:
        label = pick(one, locale) if one else text("noun.product", locale)
    else:
        label = pick(index.category.label, locale)
    return label if locale == "de" else label.lower()


def product_names(index: CategoryIndex, skus: Sequence[str], locale: str) -> str:
    """The products by their names, in order ("Karwendel UL 2, Schattberg 2"); a SKU the index lacks as itself."""
    return ", ".join(
        pick(index.products[index.position[sku]].name, locale) if sku in index.position else sku for sku in skus
    )


def attribute_label(index: CategoryIndex, attribute: str, locale: str) -> str:
    if attribute == PRICE:
        return "Preis" if locale == "de" else "Price"
    spec = index.category.attributes.get(attribute)
    return pick(spec.label, locale) if spec else attribute


def _comparative(index: CategoryIndex, attribute: str, direction: str, locale: str, better: bool) -> str:
    """Better or worse for the shopper on an attribute, in the dictionary's words where it has them ("kürzer
    gepackt", not "niedriger")."""
    if attribute in ("weight_kg", "weight_g"):
        return text("better.weight" if better else "worse.weight", locale)
    if attribute == PRICE:
        return text("better.price" if better else "worse.price", locale)
    spec = index.category.attributes.get(attribute)
    words = spec.words.get(locale) if spec is not None and spec.words else None
    if words and "better" in words and "worse" in words and spec is not None and spec.more_is_better is not None:
        # (the dictionary's "better" is more, or less, of it; the shopper's wish may go the other way)
        agrees = (direction == "higher") == spec.more_is_better
        return words["better" if agrees == better else "worse"]
    lower = (direction == "lower") == better
    return text("better.lower" if lower else "better.higher", locale)


def _candidate_columns(context: _Context, candidates: NDArray[np.intp]) -> dict[str, NDArray[np.float64]]:
    """Each directional preference's attribute over the candidates (for "better than x %")."""
    columns = {}
    for preference, _ in context.preferences:
        name = preference.attribute
        if name == IN_STOCK:
            continue
        if preference.direction and context.index.kind(name) in ("number", "boolean") and name not in columns:
            column = context.over(name, candidates)
            columns[name] = column[np.isfinite(column)]
    return columns


def _standings(
    context: _Context,
    chosen: Sequence[int],
    candidate_columns: Mapping[str, NDArray[np.float64]],
    fitted: Mapping[int, Mapping[str, Any]],
) -> dict[tuple[str, int], tuple[int, int, int]]:
    """For each directional preference's attribute and each chosen product (as its variants that fit have it):
    how many candidates have more of it, how many less, and how many have it at all (for "better than x %"), all
    chosen products at once."""
    standings: dict[tuple[str, int], tuple[int, int, int]] = {}
    for name, column in candidate_columns.items():
        picked = [(position, _value(context.index, name, position, fitted[position])) for position in chosen]
        picked = [(position, value) for position, value in picked if isinstance(value, int | float)]
        if not picked or len(column) < 2:
            continue
        values = np.array([float(value) for _, value in picked])[:, None]
        # (one comparison for all of them; counted row by row: count_nonzero along an axis sums, several times slower)
        above = [int(np.count_nonzero(row)) for row in column > values]
        below = [int(np.count_nonzero(row)) for row in column < values]
        for (position, _), more, less in zip(picked, above, below, strict=True):
            standings[name, position] = (more, less, len(column))
    return standings


def _wish(context: _Context, preference: Preference, value: Any) -> float | None:
    """The figure the shopper gave that a preference's target is, when the product's value is close to it (within
    CLOSE_STEPS of the question's steps): "close to your wish" quotes only what the shopper said. None for a target
    worked out from the answers ("your height + 5 cm", a volume for the nights) or a value far off."""
    step_id = preference.target.source.strip() if preference.target is not None else ""
    step = next((step for step in context.questionnaire.steps if step.id == step_id), None)
    answer = context.answers.get(step_id)
    if step is None or step.kind != "number" or isinstance(answer, bool) or not isinstance(answer, int | float):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(answer) if abs(value - answer) <= CLOSE_STEPS * (step.step or 1) else None


def _yes_wished(context: _Context, preference: Preference) -> bool:
    """Whether the answers set a yes-or-no attribute's target to yes (1)."""
    target = evaluate(preference.target, context.values) if preference.target is not None else None
    return not isinstance(target, bool) and isinstance(target, int | float) and target == 1


def _value(index: CategoryIndex, name: str, position: int, fitted: Mapping[str, Any]) -> Any:
    """An attribute of a shown product as its variants that fit have it (`fitted_values`)."""
    return fitted[name] if name in fitted else index.value(name, position)


def _explain(
    context: _Context,
    position: int,
    standings: Mapping[tuple[str, int], tuple[int, int, int]],
    fitted: Mapping[str, Any],
    variants: Sequence[VariantInfo] = (),
) -> tuple[list[Reason], list[Reason]]:
    """A shown product's reasons and trade-offs, as `variants` (the ones shown: `Ranked.variants`) have them."""
    index, locale = context.index, context.locale
    category = category_noun(index, locale)
    product = index.products[position]
    reasons: list[Reason] = []
    tradeoffs: list[Reason] = []
    # The options of one question a product misses, said once with all of them ("Einsatzbereich: Trekking, Alpin
    # (gewünscht: Radreisen, Reisen)"): per attribute, where in the trade-offs, what was wished and what it has.
    missed: dict[str, tuple[int, list[str], list[Any], list[Any]]] = {}
    for constraint in context.constraints:
        label = context.label(constraint)
        numeric = context.attributes_of(constraint)
        if numeric:
            bounds = _range_of(numeric)
            name = bounds[0] if bounds else numeric[0]
            value = _value(index, name, position, fitted)
            shown = format_value(index, name, value, locale)
            if bounds:  # "passt zu 42 cm Rückenlänge (38–48 cm)": the product's range, not one end of it as its value
                low, high = _range_values(product, variants, bounds)
                if low is not None and high is not None:
                    value = (low, high)
                    shown = format_value(index, bounds[1], high, locale)
                    shown = f"{number(low, locale, 2)}–{shown}" if low != high else shown
            if not any(r.label for r in constraint.requirements) and not isinstance(value, tuple):
                shown = f"{attribute_label(index, name, locale)}: {shown}"  # (a range's ends are labelled "from", "to")
            # The product's own value beside the wish, unless the wish says it already ("Platz für 2 Personen", not
            # "… (2 Personen)"), it is a bare number that would say nothing ("zwei Eingänge", not "… (2)") or a yes the
            # wish names ("mit Regenhülle", not "… (Ja)").
            said = _says(label, shown) or shown.replace(".", "").replace(",", "").lstrip("-").isdigit()
            said = said or isinstance(value, bool) or _says_number(label, value, locale)
            words = label if said else f"{label} ({shown})"
            reasons.append(Reason("requirement", words, name, value, constraint=constraint.key))
        else:
            reasons.append(Reason("requirement", label, constraint=constraint.key))
    for preference, _ in context.preferences:
        name = preference.attribute
        kind = index.kind(name)
        value = _value(index, name, position, fitted)
        shown_value = format_value(index, name, value, locale) if value is not None else "–"
        label = attribute_label(index, name, locale)
        if (preference.contains is not None and kind == "set") or (
            preference.equals is not None and kind in ("enum", "text")
        ):
            # A wish on what varies (a colour) is met as the shown variants have it: "Farbe: Rot" of a model whose
            # red one is shown, not "ohne Rot" because the model's value lists green and red.
            held = (
                [_variant_value(product, variant, name) for variant in variants]
                if variants and name in index.varying
                else [index.value(name, position)]
            )
            wish = preference.equals if preference.equals is not None else preference.contains
            wished = format_value(index, name, [wish] if kind == "set" else wish, locale)
            if any(_meets(preference, held_value) for held_value in held):
                reasons.append(Reason("has", f"{label}: {wished}", name, wish))
            else:
                lacked = preference.contains if kind == "set" else value
                if name in missed:
                    at, wishes, lacks, was = missed[name]
                    if wished not in wishes:
                        wishes.append(wished)
                        lacks.append(lacked)
                    text_ = _missed(index, name, label, ", ".join(wishes), was, locale)
                    tradeoffs[at] = Reason("lacks", text_, name, lacks if len(lacks) > 1 else lacks[0])
                else:
                    missed[name] = (len(tradeoffs), [wished], [lacked], held)
                    tradeoffs.append(Reason("lacks", _missed(index, name, label, wished, held, locale), name, lacked))
        elif preference.direction == "higher" and kind == "boolean" and value is not None:
            # A yes-or-no feature wished for ("Unterarm-Belüftung" ticked): said as met or missed, like a wished hood,
            # not as a share of the products that have it.
            if any(r.attribute == name for r in (*reasons, *tradeoffs)):
                continue  # (a requirement of it, or another wish for it, is said already)
            as_shown = f"{label}: {shown_value}"
            if value:
                reasons.append(Reason("has", as_shown, name, value))
            else:
                tradeoffs.append(Reason("unlike", text("tradeoff.unlike", locale, said=as_shown), name, value))
        elif preference.direction in ("lower", "higher") and kind in ("number", "boolean") and value is not None:
            standing = standings.get((name, position))
            if standing is None:
                continue  # (fewer than two candidates have the attribute)
            above, below, among = standing
            if among < SHARE_AMONG_AT_LEAST:
                continue  # "lighter than 50 % of the tents that fit" of 2 says less than the standouts already do
            lower_is_better = preference.direction == "lower"
            beaten, beating = (above, below) if lower_is_better else (below, above)
            better_share = int(100 * beaten / among)
            worse_share = int(100 * beating / among)
            if better_share >= 50:
                word = _comparative(index, name, preference.direction, locale, better=True)
                reasons.append(
                    Reason(
                        "better_than",
                        text("reason.better_than", locale, attribute=label, value=shown_value, better=word,
                             share=percent(better_share, locale), category=category),
                        name, value, share=better_share,
                    )
                )  # fmt: skip
            elif worse_share >= 50:
                word = _comparative(index, name, preference.direction, locale, better=False)
                tradeoffs.append(
                    Reason(
                        "worse_than",
                        text("tradeoff.worse_than", locale, attribute=label, value=shown_value, worse=word,
                             share=percent(worse_share, locale), category=category),
                        name, value, share=worse_share,
                    )
                )  # fmt: skip
        elif preference.target is not None and kind == "boolean" and value is not None:
            # "keep me warm": a padded jacket was wished for, and is said so either way. (A no is the questionnaire's
            # mild leaning, an unlined shell for one who moves, not the shopper's wish: nothing is said of it.)
            if not _yes_wished(context, preference) or any(r.attribute == name for r in reasons):
                continue  # (a requirement of it is said already)
            as_shown = f"{label}: {shown_value}"
            if value:
                reasons.append(Reason("has", as_shown, name, value))
            else:
                tradeoffs.append(Reason("unlike", text("tradeoff.unlike", locale, said=as_shown), name, value))
        elif preference.target is not None and value is not None:
            target = _wish(context, preference, value)
            if target is not None:
                wished = format_value(index, name, target, locale)
                key = "reason.as_wished" if wished == shown_value else "reason.close_to"  # "22 l (22 l)" says nothing
                reasons.append(
                    Reason(
                        "close_to",
                        text(key, locale, context.address, attribute=label, value=shown_value, target=wished),
                        name, value,
                    )
                )  # fmt: skip
    return _said_once(reasons), _said_once(tradeoffs)


def _range_of(names: Sequence[str]) -> tuple[str, str] | None:
    """The two attributes among `names` that are a product's range, its lower end first (`torso_min_cm` and
    `torso_max_cm`: named alike but for min and max), for a requirement such as `torso_min_cm <= torso <= torso_max_cm`;
    None when there are not such two. A shopper reads the range ("38–48 cm"), for one end alone says nothing."""
    for low in names:
        parts = low.split("_")
        for i, part in enumerate(parts):
            if part == "min":
                high = "_".join([*parts[:i], "max", *parts[i + 1 :]])
                if high in names:
                    return low, high
    return None


def _range_values(product: ProductInfo, variants: Sequence[VariantInfo], bounds: tuple[str, str]) -> tuple[Any, Any]:
    """A product's range as its shown variants cover it together (the lowest lower end, the highest upper end), or
    the model's own; None for an end a value is missing of."""
    low, high = bounds
    if variants:
        lows = [_variant_value(product, v, low) for v in variants]
        highs = [_variant_value(product, v, high) for v in variants]
    else:
        lows, highs = [product.attributes.get(low)], [product.attributes.get(high)]
    lows = [x for x in lows if isinstance(x, int | float) and not isinstance(x, bool)]
    highs = [x for x in highs if isinstance(x, int | float) and not isinstance(x, bool)]
    return (min(lows) if lows else None), (max(highs) if highs else None)


def _said_once(reasons: list[Reason]) -> list[Reason]:
    """Each reason once: two wishes on one attribute (price lower as a small budget and as "not much use") say the
    same words about a product, and a shopper reads them once."""
    said: dict[str, Reason] = {}
    for reason in reasons:
        said.setdefault(reason.text, reason)
    return list(said.values())


def facts_of(product: ProductInfo, locale: str) -> tuple[str, ...]:
    """Care, repair and sustainability facts worth saying next to the reasons."""
    facts = []
    if product.repair.get("repair_service"):
        facts.append(text("fact.repair_service", locale))
    if product.repair.get("spare_parts_until"):
        facts.append(text("fact.spare_parts_until", locale, date=product.repair["spare_parts_until"][:4]))
    share = product.sustainability.get("recycled_share")
    if share:
        facts.append(text("fact.recycled", locale, share=percent(share, locale)))
    if product.sustainability.get("pfc_free"):
        facts.append(text("fact.pfc_free", locale))
    return tuple(facts)


# ---------------------------------------------------------------------------------------------------------
# Relaxations


def _broken_masks(context: _Context) -> NDArray[np.int64]:
    """Per product, the bit set of constraints it breaks (bit i: constraint i)."""
    broken = np.zeros(context.index.size, dtype=np.int64)
    for bit, mask in enumerate(context.masks):
        broken |= (~mask).astype(np.int64) << bit
    return broken


def subset_counts(broken: NDArray[np.int64], width: int) -> NDArray[np.int64]:
    """For every set S of constraints (a bit mask), how many products break only constraints in S.

    The subset-sum (zeta) transform over the distinct broken sets: 2^width entries, cheap for width <= 16.
    """
    values, counts = np.unique(broken, return_counts=True)
    table = np.zeros(1 << width, dtype=np.int64)
    table[values] = counts
    for bit in range(width):
        step = 1 << bit
        shaped = table.reshape(-1, 2 * step)
        shaped[:, step:] += shaped[:, :step]
    return table


def _steps_read_elsewhere(questionnaire: Questionnaire) -> set[str]:
    """Steps whose answers decide which steps are asked (show_if, routing) or what other requirements ask
    ("weight_kg <= 0.7 + 0.6 * persons"): dropping such an answer changes more than its own constraint."""
    names = set(engine.deciding_steps(questionnaire))
    for step in questionnaire.steps:
        for requirement in (*step.requires, *(r for option in step.options for r in option.requires)):
            names |= requirement.expression.names - {step.id}  # a step's own requirement reading its answer: no
    return names


def relax(questionnaire: Questionnaire, state: SessionState, drop: Sequence[str]) -> SessionState:
    """Apply a relaxation: the named constraints' answers become "doesn't matter" (or lose that option)."""
    answers = dict(state.answers)
    for key in drop:
        step_id, _, option_id = key.partition(".")
        if step_id not in answers:
            continue
        if option_id and isinstance(answers[step_id], tuple):
            remaining = tuple(option for option in answers[step_id] if option != option_id)
            answers[step_id] = remaining or DONT_CARE
        else:
            answers[step_id] = DONT_CARE
    if not state.complete:
        return engine.with_answers(questionnaire, state, answers)
    # From the results, stay on the results: a step that dropping an answer brings up (its show_if was false for
    # the dropped answer) was never asked, so it counts as not asked, "doesn't matter" (it asks nothing of the
    # products, even where its screen has no such answer), and the path has no gap a later change would ask.
    return replace(engine.with_answers(questionnaire, state, not_asked(questionnaire, answers)), current=None)


def not_asked(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers with every unanswered step of their path as "doesn't matter": the steps a relaxation brought up
    on the results, which the shopper was never asked (unanswered and "doesn't matter" are both null to
    expressions, so this changes neither the path nor what fits)."""
    filled = dict(answers)
    while (gap := engine.first_unanswered(questionnaire, filled)) is not None:
        filled[gap] = DONT_CARE
    return filled


def _relaxations(context: _Context, needed: int, state: SessionState) -> list[Relaxation]:
    """All minimal sets of at most MAX_RELAXATION_SIZE constraints whose dropping lets `needed` products fit.

    Counts come from the subset-sum table; only when a dropped answer is one that show_if, routing or another
    requirement reads is the count taken by really applying the relaxation.
    """
    width = len(context.masks)
    if width == 0 or width > 16:
        return []
    broken = _broken_masks(context)
    for critique in context.critiques:
        broken[~_critique_mask(context.index, critique)] = -1  # critiques are not relaxed: such products never fit
    table = subset_counts(broken[broken >= 0], width)
    routing = _steps_read_elsewhere(context.questionnaire)
    minimal: list[int] = []
    offers = []
    for size in range(1, min(MAX_RELAXATION_SIZE, width) + 1):
        for bits in combinations(range(width), size):
            subset = sum(1 << bit for bit in bits)
            if any(smaller & subset == smaller for smaller in minimal):
                continue
            chosen = [context.constraints[bit] for bit in bits]
            keys = tuple(constraint.key for constraint in chosen)
            if any(constraint.step_id in routing for constraint in chosen):
                relaxed = relax(context.questionnaire, state, keys)
                recount = _prepare(context.index, context.questionnaire, relaxed.answers, "en", context.critiques,
                                   store=context.store, held=context.held)  # fmt: skip
                count = int(_passing(recount).sum())
            else:
                count = int(table[subset])
            if count < needed:
                continue
            minimal.append(subset)
            labels = tuple(
                constraint_label(context.questionnaire, context.answers, constraint, context.locale)
                for constraint in chosen
            )
            category = category_noun(context.index, context.locale, count)
            offer = counted("relaxation.without", count, context.locale, labels=quoted(labels, context.locale),
                            category=category)  # fmt: skip
            # A firm wish (the sleepers a tent must hold) is offered for dropping only after the others, then the
            # least important, the most products, the fewest wishes dropped; then in the questionnaire's order of
            # the wishes (never their words: the same buttons in every language).
            firm = sum(context.questionnaire.step(constraint.step_id).firm for constraint in chosen)
            importance = sum(constraint.importance for constraint in chosen)
            order = tuple(_written_order(context.questionnaire, constraint) for constraint in chosen)
            offers.append(((firm, importance, -count, len(chosen), order), Relaxation(keys, labels, count, offer)))
    offers.sort(key=lambda offer: offer[0])
    return [offer[1] for offer in offers[:MAX_RELAXATIONS]]


def _written_order(questionnaire: Questionnaire, constraint: Constraint) -> tuple[int, int]:
    """Where a wish is written: its step's place in the questionnaire, then its option's in the step (-1: the
    step's own)."""
    step = questionnaire.step(constraint.step_id)
    options = [option.id for option in step.options]
    option = options.index(constraint.option_id) if constraint.option_id in options else -1
    return questionnaire.positions[constraint.step_id], option


# ---------------------------------------------------------------------------------------------------------
# Critiques


def _range_fit(constraint: Constraint, attributes: Sequence[str], steps: Mapping[str, int]) -> bool:
    """Whether a constraint keeps the shopper's figure within a product's range (`torso_min_cm <= torso_length <=
    torso_max_cm`): every product shown fits it, so "fits from further up" is nothing to ask for."""
    return len(attributes) >= 2 and any(
        not requirement.expression.names.isdisjoint(steps) for requirement in constraint.requirements
    )


def _critiques(context: _Context, candidates: NDArray[np.intp], passing: Mask, reference: int) -> list[Critique]:
    index, locale = context.index, context.locale
    found = []
    # Critiques on what this shopper's questionnaire cares about, and on the classic ones (lighter, cheaper, ...).
    relevant = set(CRITIQUE_WORDS) | {preference.attribute for preference, _ in context.preferences}
    steps = context.questionnaire.positions
    relevant |= {
        name
        for constraint in context.constraints
        if not _range_fit(constraint, context.attributes_of(constraint), steps)
        for name in context.attributes_of(constraint)
    }
    attributes = [(PRICE, False)] + [
        (name, bool(spec.more_is_better))
        for name, spec in index.category.attributes.items()
        if spec.is_numeric and spec.more_is_better is not None and name in relevant
    ]
    for name, more_is_better in attributes:
        value = index.value(name, reference)
        if value is None:
            continue
        column = context.taken(name, candidates)
        direction = "higher" if more_is_better else "lower"
        with np.errstate(invalid="ignore"):
            if column is not None:  # (over the candidates, taken for scoring)
                count = int(np.count_nonzero(column > value if more_is_better else column < value))
            else:  # (over all products, masked: quicker than taking the candidates' values out first)
                every = index.numbers(name)
                count = int(np.count_nonzero((every > value if more_is_better else every < value) & passing))
        if count == 0:
            continue
        word_key = CRITIQUE_WORDS.get(name)
        spec = index.category.attributes.get(name)
        own = spec.words.get(locale) if spec is not None and spec.words else None  # the catalog's "mehr Zuladung"
        if word_key:
            word = text(word_key, locale)
        elif own and own.get("better"):
            word = own["better"]
        else:
            label = attribute_label(index, name, locale)
            word = text("critique.word.more" if more_is_better else "critique.word.less", locale,
                        attribute=label if locale == "de" else label[:1].lower() + label[1:])  # fmt: skip
        found.append(Critique(name, direction, float(value), count, text("critique.lower", locale, word=word)))
    # The well-known critiques (lighter, cheaper, roomier, warmer) first, then by how many products they offer.
    found.sort(key=lambda critique: (critique.attribute not in CRITIQUE_WORDS, -critique.count))
    # Two attributes can read the same ("roomier": floor area, interior height): offer the word once.
    unique = {critique.label: critique for critique in reversed(found)}
    return [critique for critique in found if unique[critique.label] is critique][:6]


# ---------------------------------------------------------------------------------------------------------
# The whole recommendation


def recommend(
    *,
    index: CategoryIndex,
    questionnaire: Questionnaire,
    state: SessionState,
    locale: str,
    critiques: Sequence[Critique] = (),
    at_least: int | None = None,
    show: int | None = None,
    address: str | None = None,
    store: str | None = None,
    held: Mapping[str, int] | None = None,
) -> Recommendation:
    """Filter, score, order and explain products for the session's answers (and chosen critiques).

    `address` overrides the questionnaire's form of address: "staff" phrases the reasons about the customer.
    `store` is the shopper's store, for `in_stock` (without one, stock is not asked about); `held` says per
    article how many it has set aside for appointments now (booking.held_in_store): those are not on its shelf.
    """
    context = _prepare(index, questionnaire, state.answers, locale, critiques, address, store, held)
    passing = _passing(context)
    count = int(passing.sum())
    candidates = np.flatnonzero(passing)
    shown: list[Ranked] = []
    critique_offers: list[Critique] = []
    if count:
        scores = _scores(context, candidates)
        wanted = show or questionnaire.results.show
        ordered = _order(context, candidates, scores, leading=max(50, 10 * wanted))
        chosen = _diversified(context, ordered, wanted)
        if len(chosen) < min(wanted, count):
            chosen = _diversified(context, _order(context, candidates, scores), wanted)
        fitting = fitting_variants_of(index, chosen, _fitting_variants(context))
        wishes = _variant_wishes(context)
        fitting = [_most_wished(index.products[position], variants, wishes)
                   for position, variants in zip(chosen, fitting, strict=True)]  # fmt: skip
        # A model of which only some variants fit is explained by those: the long version's weight and price.
        fitted = {position: fitted_values(index, index.products[position], variants)
                  for position, variants in zip(chosen, fitting, strict=True)}  # fmt: skip
        standings = _standings(context, chosen, _candidate_columns(context, candidates), fitted)
        for position, variants in zip(chosen, fitting, strict=True):
            reasons, tradeoffs = _explain(context, position, standings, fitted[position], variants)
            product = index.products[position]
            score = float(scores[np.searchsorted(candidates, position)])
            shown.append(
                Ranked(product.sku, product, round(score, 4), tuple(reasons), tuple(tradeoffs),
                       facts_of(product, locale), variants)
            )  # fmt: skip
        critique_offers = _critiques(context, candidates, passing, index.position[shown[0].sku])
    needed = max(1, at_least or 0)
    relaxations = _relaxations(context, needed, state) if count < needed else []
    return Recommendation(count, tuple(shown), tuple(relaxations), tuple(critique_offers), tuple(context.constraints))


def variants_fitting(
    *,
    index: CategoryIndex,
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    sku: str,
    store: str | None = None,
    held: Mapping[str, int] | None = None,
) -> tuple[VariantInfo, ...]:
    """The product's variants that fit the answers (its details page says which of them the store has)."""
    context = _prepare(index, questionnaire, answers, "en", store=store, held=held)
    return fitting_variants(index, index.position[sku], _fitting_variants(context))


def with_critique(critiques: Sequence[Critique], critique: Critique) -> tuple[Critique, ...]:
    """Add a critique, replacing an earlier one on the same attribute."""
    return (*(c for c in critiques if c.attribute != critique.attribute), replace(critique, count=0, label=""))


@dataclass(frozen=True)
class WhyNot:
    """What keeps a product out, and the smallest change of answers that brings it in."""

    sku: str
    broken: tuple[str, ...]
    labels: tuple[str, ...]
    changes: tuple[tuple[str, Any], ...]  # (step id, answer) to set
    text: tuple[str, ...] = ()


def _candidate_answers(step: Step, current: Any) -> list[Any]:
    """The answers a shopper could give instead, nearest first; "doesn't matter" only where the step offers it."""
    skip = [DONT_CARE] if step.dont_care else []
    if step.kind == "single":
        return [option.id for option in step.options if option.id != current] + skip
    if step.kind == "multiple":
        chosen = list(current) if isinstance(current, tuple) else []
        smaller = [tuple(c for c in chosen if c != option) for option in chosen]
        return [answer for answer in smaller if answer] + skip
    if step.kind == "yes_no":
        return [not current, *skip] if isinstance(current, bool) else skip
    if step.min is None or step.max is None:
        return skip
    stride = step.step or 1
    grid = [step.min + i * stride for i in range(int((step.max - step.min) / stride) + 1)]
    if isinstance(current, int | float):
        grid.sort(key=lambda value: abs(value - current))
    return [*grid, *skip]


def _why_not_shown(context: _Context, position: int) -> str:
    """For a product that meets every wish: its place in the order of all that fit, and what keeps it off the
    results (more fit than the results show; or the variety rule gave its place to another kind)."""
    locale, questionnaire = context.locale, context.questionnaire
    passing = _passing(context)
    if not passing[position]:  # each wish met by some variant, all of them by none (regular is light, long fits)
        return text("why_not.no_variant", locale)
    candidates = np.flatnonzero(passing)
    ordered = _order(context, candidates, _scores(context, candidates))
    rank = int(np.flatnonzero(ordered == position)[0]) + 1
    show = questionnaire.results.show
    chosen = _diversified(context, ordered, show)
    if position in chosen:
        return text("why_not.shown", locale, rank=chosen.index(position) + 1, count=len(candidates))
    if rank <= show and questionnaire.results.diversity is not None:
        return text("why_not.variety", locale, rank=rank, count=len(candidates),
                    attribute=questionnaire.results.diversity.attribute)  # fmt: skip
    return text("why_not.ranked", locale, rank=rank, count=len(candidates), show=show)


def wishes_missed(
    *,
    index: CategoryIndex,
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    skus: Sequence[str],
    locale: str,
    store: str | None = None,
    held: Mapping[str, int] | None = None,
) -> dict[str, tuple[str, ...]]:
    """Per product of `skus` that does not meet every wish of the answers, those wishes as the results name them
    ("Hochgebirge & Winter"): a product compared before the answers changed says so beside its name."""
    present = [sku for sku in skus if sku in index.position]
    if not present:
        return {}
    context = _prepare(index, questionnaire, answers, locale, store=store, held=held)
    missed = {}
    for sku in present:
        labels = tuple(constraint_label(questionnaire, answers, constraint, locale)
                       for constraint in _broken(context, index.position[sku]))  # fmt: skip
        if labels:
            missed[sku] = labels
    return missed


def _broken(context: _Context, position: int) -> list[Constraint]:
    """The constraints (the answers' wishes) that the product at `position` does not meet."""
    pairs = zip(context.constraints, context.masks, strict=True)
    return [constraint for constraint, mask in pairs if not mask[position]]


def why_not(
    *, index: CategoryIndex, questionnaire: Questionnaire, state: SessionState, sku: str, locale: str
) -> WhyNot:
    """Which constraints a product breaks and the answers to change (fewest steps, nearest values) to let it in."""
    position = index.position[sku]
    context = _prepare(index, questionnaire, state.answers, locale)
    broken = _broken(context, position)
    labels = tuple(constraint_label(questionnaire, state.answers, constraint, locale) for constraint in broken)
    changes: list[tuple[str, Any]] = []
    answers = dict(state.answers)
    for constraint in broken:
        step = questionnaire.step(constraint.step_id)
        for candidate in _candidate_answers(step, answers.get(step.id)):
            trial = {**answers, step.id: candidate}
            trial_context = _prepare(index, questionnaire, trial, locale)
            if all(
                mask[position]
                for c, mask in zip(trial_context.constraints, trial_context.masks, strict=True)
                if c.step_id == step.id
            ):
                answers = trial
                changes.append((step.id, candidate))
                break
    lines = [text("why_not.breaks", locale, label=label) for label in labels]
    if not broken:  # it fits every wish: where the order put it, and why it is not on the results
        lines.append(_why_not_shown(context, position))
    for step_id, answer in changes:
        step = questionnaire.step(step_id)
        lines.append(
            text("why_not.change", locale, step=pick(step.question, locale).rstrip("?"),
                 answer=display_answer(step, answer, locale),
                 current=display_answer(step, state.answers.get(step_id), locale))
        )  # fmt: skip
    return WhyNot(sku, tuple(c.key for c in broken), labels, tuple(changes), tuple(lines))
