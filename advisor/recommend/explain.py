"""What sets each shown product apart, and what the alternatives trade against the top pick.

`decide` works out locale-free facts from the data (every one checkable against the products); `say_*` word
them in one place, from the attribute dictionary's words (`words` in categories.json) and the message table.
The requirements every shown product meets are said once, above the products, instead of on every card.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from advisor.catalog.dictionary import PRICE
from advisor.engine import active_preferences, active_requirements, walk
from advisor.expressions import evaluate
from advisor.i18n import counted, euros, pick, text
from advisor.questionnaire.model import Preference, Questionnaire
from advisor.recommend.core import (
    Ranked,
    Recommendation,
    Relaxation,
    attribute_label,
    category_noun,
    constraint_label,
    constraints_of,
    display_answer,
    dropped_part,
    fitted_values,
    format_value,
    quoted,
)
from advisor.recommend.index import CategoryIndex

MAX_STANDOUTS = 3
MAX_DIFFERENCES = 3
PRICE_MATTERS = 0.1  # a price difference of a tenth of the top pick's price is always said, and leads a group
# The least difference a shopper notices, as a share of the top pick's own value: 40 g on a 1 kg pack is not
# "lighter", 0.02 kg is no "heavier" for a group's heading. A price is noticed sooner (10 € on 260 €).
NOTICEABLE = 0.05
PRICE_NOTICEABLE = 0.03
MISSED = ("lacks", "unlike")  # the trade-offs that are a wish missed, not a figure
COUNTS = ("persons", "seasons")  # units that count things: "1 persons more" reads wrong


@dataclass(frozen=True)
class Standout:
    """A fact that sets one product apart from the other shown products."""

    kind: str  # "best": strictly the best value of all shown; "only": the only one with a yes/no feature
    attribute: str
    value: Any
    among: int  # how many products were compared
    higher: bool | None = None  # "best" is the highest value, or the lowest (None: as the dictionary calls better)
    beaten: int = 0  # "fit": how many of the other shown products it beats on a wish (not all: that is "best")


class Trade(NamedTuple):
    """What an alternative gains or costs against the top pick: an attribute, and whether it has more of it."""

    attribute: str
    higher: bool


@dataclass(frozen=True)
class Difference:
    """How an alternative differs from the top pick on one attribute."""

    attribute: str
    delta: float  # the alternative's value minus the top pick's
    better: bool  # better for the shopper
    size: float = 0.0  # how large, as a share of the shown products' range of it (a price that matters: above all)
    noticeable: bool = True  # large enough for a shopper to notice (NOTICEABLE): only those name a group


@dataclass(frozen=True)
class Alternative:
    """A product beside the top pick, with what it gains and what it costs against it."""

    sku: str
    differences: tuple[Difference, ...]
    misses: tuple[str, ...] = ()  # the shopper's wishes it misses that the top pick meets ("ohne Regenhülle")

    @property
    def gain(self) -> Trade | None:
        """The largest noticeable gain (the most important of equally large ones)."""
        return _largest(self.differences, better=True)

    @property
    def cost(self) -> Trade | None:
        """The largest noticeable cost (the most important of equally large ones)."""
        return _largest(self.differences, better=False)


def _largest(differences: Sequence[Difference], *, better: bool) -> Trade | None:
    found = [d for d in differences if d.better == better and d.noticeable]
    largest = max(found, key=lambda d: d.size, default=None)  # (max keeps the first of equal ones)
    return Trade(largest.attribute, largest.delta > 0) if largest is not None else None


@dataclass(frozen=True)
class Decision:
    """The shown products organised for a decision: the top pick first, the others by what they trade."""

    count: int  # all products that fit
    skus: tuple[str, ...]  # shown, in order; the first is the top pick
    shared: tuple[str, ...]  # the requirements every product that fits meets (constraint keys)
    standouts: Mapping[str, tuple[Standout, ...]]
    alternatives: tuple[Alternative, ...]
    fit: Standout | None = None  # the top pick's strongest fit to a wish, said where nothing else sets it apart

    @property
    def top(self) -> str | None:
        return self.skus[0] if self.skus else None

    def display_order(self) -> tuple[str, ...]:
        """The order the products are shown in: the top pick, then the alternatives group by group."""
        return tuple(sku for sku in (self.top,) if sku) + tuple(
            alternative.sku for _, group in self.groups() for alternative in group
        )

    def groups(self) -> list[tuple[tuple[Trade | None, Trade | None], list[Alternative]]]:
        """The alternatives grouped by what they gain and what they cost ("lighter, but pricier"), in order."""
        groups: dict[tuple[Trade | None, Trade | None], list[Alternative]] = {}
        for alternative in self.alternatives:
            groups.setdefault((alternative.gain, alternative.cost), []).append(alternative)
        return list(groups.items())


def compared_attributes(
    index: CategoryIndex,
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    preferences: Sequence[Preference] | None = None,
) -> list[tuple[str, bool]]:
    """The attributes products are compared on, most important first, with whether more is better: what the
    shopper's answers prefer, then the price, then the dictionary's other numbers that have a better direction.
    An attribute the answers ask to be near a figure ("a tent for the 4 of you") is no more-is-better: 6 places
    for 4 are not praised, 4 for 4 no drawback."""
    chosen: list[tuple[str, bool]] = []
    if preferences is None:
        preferences = active_preferences(questionnaire, answers)
    directed = {preference.attribute for preference in preferences if preference.direction in ("lower", "higher")}
    # (a wish for more of it is said as more, even beside a figure it is near: "more load" on a trek)
    seen: set[str] = {p.attribute for p in preferences if p.target is not None and p.attribute not in directed}

    def add(name: str, more_is_better: bool) -> None:
        if name not in seen and (name == PRICE or index.kind(name) == "number"):
            seen.add(name)
            chosen.append((name, more_is_better))

    for preference in sorted(preferences, key=lambda p: -p.weight):
        if preference.direction in ("lower", "higher"):
            add(preference.attribute, preference.direction == "higher")
    add(PRICE, False)
    # The bounds of a range the shopper's figure must fall in (`torso_min_cm <= torso_length <= torso_max_cm`): every
    # product shown fits it, so a pack that fits from 4 cm further up is no difference to this shopper.
    attributes = index.category.attributes
    seen |= {
        name
        for requirement in active_requirements(questionnaire, answers)
        if len(names := requirement.expression.names & attributes.keys()) >= 2
        and requirement.expression.names & questionnaire.positions.keys()
        for name in names
    }
    for name, spec in attributes.items():
        if spec.more_is_better is not None:
            add(name, spec.more_is_better)
    return chosen


def compared_targets(
    index: CategoryIndex,
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    preferences: Sequence[Preference] | None = None,
) -> dict[str, tuple[float, bool]]:
    """The numbers the answers ask to be near a figure, and no more or less of (a tent for the 4 of you: capacity,
    4), with the figure and whether more is better (the dictionary's `more_is_better`; an attribute without it is
    not compared): an alternative short of the figure where the top pick is not (or further short) costs that, one
    that comes nearer to it from the short side gains it; past it nothing is praised or blamed (6 places for 4, 4
    for 4; a sleeping bag warmer than the night asks)."""
    if preferences is None:
        preferences = active_preferences(questionnaire, answers)
    directed = {preference.attribute for preference in preferences if preference.direction in ("lower", "higher")}
    targets: dict[str, tuple[float, bool]] = {}
    values: Mapping[str, Any] | None = None
    for preference in sorted(preferences, key=lambda p: -p.weight):
        name = preference.attribute
        spec = index.category.attributes.get(name)
        if preference.target is None or name in directed or name in targets or index.kind(name) != "number":
            continue
        if spec is None or spec.more_is_better is None:
            continue
        if values is None:
            values = walk(questionnaire, answers)[1]
        target = evaluate(preference.target, values)  # (as the ranking works it out: core._preference_scores)
        if isinstance(target, int | float) and not isinstance(target, bool):
            targets[name] = (float(target), spec.more_is_better)
    return targets


def wished_directions(
    questionnaire: Questionnaire, answers: Mapping[str, Any], preferences: Sequence[Preference] | None = None
) -> dict[str, bool]:
    """The attributes the shopper's answers want more (True) or less (False) of, the weightiest wish first (a small
    daypack for one day: volume_l, less), to mark in a comparison as the results say them."""
    wished: dict[str, bool] = {}
    if preferences is None:
        preferences = active_preferences(questionnaire, answers)
    for preference in sorted(preferences, key=lambda p: -p.weight):
        if preference.direction in ("lower", "higher") and preference.target is None:
            wished.setdefault(preference.attribute, preference.direction == "higher")
    return wished


class _Fitted:
    """The index as the shown products' fitting variants have it: a model of which only some variants fit takes
    their lowest price and their best values of what varies."""

    def __init__(self, index: CategoryIndex, overrides: Mapping[int, Mapping[str, Any]]) -> None:
        self._index = index
        self._overrides = overrides

    def value(self, name: str, position: int) -> Any:
        fitted = self._overrides.get(position)
        if fitted is not None and name in fitted:
            return fitted[name]
        return self._index.value(name, position)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._index, name)


def fitted(index: CategoryIndex, result: Recommendation) -> CategoryIndex:
    """The index as the shown products' fitting variants have it (what the decision compares)."""
    overrides: dict[int, dict[str, Any]] = {}
    for item in result.products:
        values = fitted_values(index, item.product, item.variants)
        if values:
            overrides[index.position[item.sku]] = values
    return _Fitted(index, overrides) if overrides else index  # type: ignore[return-value]


def decide(
    *, result: Recommendation, index: CategoryIndex, questionnaire: Questionnaire, answers: Mapping[str, Any]
) -> Decision:
    """The facts a shopper decides by, for the shown products of a recommendation (a model of which only some
    variants fit is compared by those: the long version's price and weight)."""
    index = fitted(index, result)
    skus = tuple(item.sku for item in result.products)
    positions = [index.position[sku] for sku in skus]
    preferences = active_preferences(questionnaire, answers)
    compared = compared_attributes(index, questionnaire, answers, preferences)
    targets = compared_targets(index, questionnaire, answers, preferences) if len(positions) > 1 else {}
    standouts = {
        sku: _standouts(index, position, positions, compared) for sku, position in zip(skus, positions, strict=True)
    }
    misses = {item.sku: _misses(item, result.products[0]) for item in result.products[1:]}
    spreads: dict[str, tuple[float, float]] = {}
    alternatives = tuple(
        Alternative(sku, _differences(index, position, positions, compared, targets, spreads), misses[sku])
        for sku, position in zip(skus[1:], positions[1:], strict=True)
    )
    shared = tuple(constraint.key for constraint in result.constraints)
    wished: dict[str, bool | None] = {**wished_directions(questionnaire, answers, preferences)}
    wished.update((name, None) for name in targets if name not in wished)
    fit = _fit(index, positions, wished) if positions else None
    return Decision(result.count, skus, shared, standouts, alternatives, fit)


def _fit(index: CategoryIndex, positions: Sequence[int], wished: Mapping[str, bool | None]) -> Standout | None:
    """The top pick's strongest fit to a wish for more or less of something: the wish on which it beats the most
    of the other shown products (the weightiest of equal ones); where it beats none, its value of the weightiest
    wish (more, less, or near a figure: `None`); None without such a wish."""
    top, others = positions[0], positions[1:]
    best: Standout | None = None
    for name, higher in wished.items():
        mine = _number(index.value(name, top))
        if mine is None:
            continue
        theirs = [_number(index.value(name, other)) for other in others]
        beaten = 0
        if higher is not None:
            beaten = sum(1 for value in theirs if value is not None and ((mine > value) if higher else (mine < value)))
        if best is None or beaten > best.beaten:
            best = Standout("fit", name, index.value(name, top), len(positions), higher, beaten)
    return best


def _misses(item: Ranked, top: Ranked) -> tuple[str, ...]:
    """What of the shopper's wishes a product lacks that the top pick has: a trade the rows beside the top pick must
    name, as no figure says it ("Wattiert: Nein (anders als gewünscht)")."""
    top_misses = {reason.text for reason in top.tradeoffs if reason.kind in MISSED}
    return tuple(r.text for r in item.tradeoffs if r.kind in MISSED and r.text not in top_misses)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _standouts(
    index: CategoryIndex, position: int, positions: Sequence[int], compared: Sequence[tuple[str, bool]]
) -> tuple[Standout, ...]:
    others = [other for other in positions if other != position]
    if not others:
        return ()
    found: list[Standout] = []
    for name, more_is_better in compared:
        mine = _number(index.value(name, position))
        theirs = [_number(index.value(name, other)) for other in others]
        if mine is None or any(value is None for value in theirs):
            continue
        if all((mine > value) if more_is_better else (mine < value) for value in theirs if value is not None):
            found.append(Standout("best", name, index.value(name, position), len(positions), more_is_better))
    for name, spec in index.category.attributes.items():
        mine_only = index.value(name, position) is True and all(index.value(name, o) is not True for o in others)
        if spec.type == "boolean" and spec.words and mine_only:
            found.append(Standout("only", name, True, len(positions)))
    return tuple(found[:MAX_STANDOUTS])


def _differences(
    index: CategoryIndex,
    position: int,
    positions: Sequence[int],
    compared: Sequence[tuple[str, bool]],
    targets: Mapping[str, tuple[float, bool]] | None = None,
    spreads: dict[str, tuple[float, float]] | None = None,
) -> tuple[Difference, ...]:
    top = positions[0]
    found: list[Difference] = []
    targets = targets or {}
    for name, more_is_better in [*((name, True) for name in targets), *compared]:
        mine, theirs = _number(index.value(name, position)), _number(index.value(name, top))
        if mine is None or theirs is None or mine == theirs:
            continue
        if name in targets:  # short of the figure wished, or nearer to it from the short side
            target, more = targets[name]
            short_mine = max(0.0, (target - mine) if more else (mine - target))
            short_theirs = max(0.0, (target - theirs) if more else (theirs - target))
            if short_mine == short_theirs:
                continue
            better = short_mine < short_theirs
        else:
            better = (mine > theirs) == more_is_better
        found.append(_sized(index, name, mine - theirs, better, theirs, positions, {} if spreads is None else spreads))
    # The largest noticeable gain and cost first (they name the group), then the rest in order of importance, the
    # noticeable ones first; a price difference that matters is always said ("220 € cheaper"), in place of the
    # least important other one.
    gain = max((d for d in found if d.better and d.noticeable), key=lambda d: d.size, default=None)
    cost = max((d for d in found if not d.better and d.noticeable), key=lambda d: d.size, default=None)
    lead = [d for d in (gain, cost) if d is not None]
    ordered = [*lead, *(d for d in found if d not in lead and d.noticeable),
               *(d for d in found if d not in lead and not d.noticeable)]  # fmt: skip
    price = next((d for d in ordered if d.attribute == PRICE), None)
    top_price = _number(index.value(PRICE, top)) or 0.0
    if price is not None and price not in ordered[:MAX_DIFFERENCES] and abs(price.delta) >= PRICE_MATTERS * top_price:
        return (*ordered[: MAX_DIFFERENCES - 1], price)
    return tuple(ordered[:MAX_DIFFERENCES])


def _sized(
    index: CategoryIndex,
    name: str,
    delta: float,
    better: bool,
    top: float,
    positions: Sequence[int],
    spreads: dict[str, tuple[float, float]],
) -> Difference:
    """A difference with how large it is: its share of the shown products' range of the attribute (a price
    difference that matters above any), and whether a shopper notices it at all: a share of the top pick's own
    value (NOTICEABLE, PRICE_NOTICEABLE), or of the range where a value is not above zero (-2 °C to 3 °C)."""
    if name not in spreads:  # (the shown products' lowest and highest value, once per attribute)
        values = [v for v in (_number(index.value(name, p)) for p in positions) if v is not None]
        spreads[name] = (min(values), max(values)) if values else (0.0, 0.0)
    low, high = spreads[name]
    size = abs(delta) / (high - low) if high > low else 0.0
    if name == PRICE:
        noticeable = abs(delta) >= PRICE_NOTICEABLE * top
        if abs(delta) >= PRICE_MATTERS * top:
            size += 1.0  # "220 € cheaper" names the group before "5 cm shorter packed"
    elif top > 0 and low > 0:
        noticeable = abs(delta) >= NOTICEABLE * top
    else:
        noticeable = size >= 2 * NOTICEABLE
    return Difference(name, delta, better, size, noticeable)


# -- words --------------------------------------------------------------------------------------------------


def _words(index: CategoryIndex, attribute: str, locale: str) -> Mapping[str, str] | None:
    spec = index.category.attributes.get(attribute)
    return spec.words.get(locale) if spec is not None and spec.words else None


def say_shared(decision: Decision, result: Recommendation, questionnaire: Questionnaire,
               answers: Mapping[str, Any], index: CategoryIndex, locale: str, address: str = "du") -> str:  # fmt: skip
    """The requirements all products that fit meet, said once ("All 18 tents: room for 2, for trekking")."""
    labels = [constraint_label(questionnaire, answers, constraint, locale) for constraint in result.constraints
              if constraint.key in decision.shared]  # fmt: skip
    if not labels or decision.count < 2:  # a single product's card says its reasons itself
        return ""
    key = "decide.shared_two" if decision.count == 2 else "decide.shared"
    return text(key, locale, address, count=decision.count, category=category_noun(index, locale),
                labels=", ".join(_plural(label, locale) for label in labels))  # fmt: skip


# A wish that starts with a verb says it of one product ("passt zu „Festival“"); said of all, the verb agrees.
PLURAL_VERBS = {"de": {"passt": "passen", "trägt": "tragen", "hat": "haben", "ist": "sind"},
                "en": {"fits": "fit", "suits": "suit", "carries": "carry", "has": "have", "is": "are"}}  # fmt: skip


def _plural(label: str, locale: str) -> str:
    verb, space, rest = label.partition(" ")
    plural = PLURAL_VERBS.get(locale, {}).get(verb)
    return f"{plural}{space}{rest}" if plural else label


def say_count(count: int, index: CategoryIndex, locale: str, address: str = "du") -> str:
    """How many products fit, as the live count and the results say it ("34 Zelte passen", "1 Produkt passt")."""
    return counted("question.live_count", count, locale, address, category=category_noun(index, locale, count))


def say_results_count(result: Recommendation, index: CategoryIndex, locale: str, address: str = "du") -> str:
    """The results' count, saying when the list shows fewer than fit ("6 Zelte passen – hier die 5 besten")."""
    counted_words = say_count(result.count, index, locale, address)
    if 1 < len(result.products) < result.count:
        return text("results.best_of", locale, address, fit=counted_words, shown=len(result.products))
    return counted_words


def say_dropped(
    questionnaire: Questionnaire, answers: Mapping[str, Any], given: Mapping[str, Any], locale: str, address: str = "du"
) -> str:
    """The results' reminder of what the shopper gave up so that something fits, in the words of the button that
    dropped it ("Darauf hast du verzichtet: bis 50 €, mit Laptopfach"), from AdviceSession.given; "" when nothing
    was dropped (or it was answered again)."""
    then = {**answers, **given}  # the answers as they were when the button named the wishes
    wishes = constraints_of(questionnaire, then)
    dropped: list[str] = []
    for step_id, before in given.items():
        step = questionnaire.step(step_id)
        part = dropped_part(step, answers[step_id], before) if step_id in answers else None
        if part is None:
            continue
        options = set(part) if isinstance(part, tuple | list) else None  # (the options dropped of a multiple choice)
        named = [
            constraint_label(questionnaire, then, wish, locale)
            for wish in wishes
            if wish.step_id == step_id and (wish.option_id is None or options is None or wish.option_id in options)
        ]
        dropped.extend(named or [display_answer(step, part, locale)])
    wished = ", ".join(dict.fromkeys(dropped))
    return text("results.dropped", locale, address, wishes=wished) if dropped else ""


def say_no_match(result: Recommendation, index: CategoryIndex, locale: str, address: str = "du") -> str:
    """The title when nothing fits, true of the highlighted (first) way out: what its change brings ("Mit einer
    Änderung passen 3 Zelte"), "up to" when it brings the most of the changes of its size and they bring different
    counts; where another change of that size brings more, that something fits again (the buttons say how many);
    else that nothing fits."""
    if not result.relaxations:
        return text("results.none", locale, address)
    first = result.relaxations[0]  # the highlighted button
    changes = len(first.drop)
    counts = {relaxation.count for relaxation in result.relaxations if len(relaxation.drop) == changes}
    key = "results.repair_one" if changes == 1 else "results.repair_more"
    if first.count < max(counts):  # "bis zu 5" above a first button that shows 3 would read false at a glance
        return text(key + "_some", locale, address, changes=changes)
    if len(counts) > 1:
        key += "_upto"
    return counted(key, first.count, locale, address, changes=changes,
                   category=category_noun(index, locale, first.count))  # fmt: skip


def say_relaxation(
    relaxation: Relaxation,
    index: CategoryIndex,
    locale: str,
    address: str = "du",
    *,
    questionnaire: Questionnaire | None = None,
    answers: Mapping[str, Any] | None = None,
) -> str:
    """A button that drops wishes: "„Hochgebirge & Winter“ weglassen – 3 Zelte zeigen", in the shopper's own words
    (with the questionnaire and answers given; see dropped_labels)."""
    labels = dropped_labels(relaxation, questionnaire, answers, locale)
    return counted("relaxation.action", relaxation.count, locale, address, labels=quoted(labels, locale),
                   category=category_noun(index, locale, relaxation.count))  # fmt: skip


def dropped_labels(
    relaxation: Relaxation, questionnaire: Questionnaire | None, answers: Mapping[str, Any] | None, locale: str
) -> tuple[str, ...]:
    """The wishes a relaxation drops as the shopper gave them: the answer they tapped where the wish is a choice's
    option, after the question's short label where it has one ("Region: Hochgebirge & Winter"; an answer alone may
    say nothing: "Sehr"), else the requirement's label ("Platz für 4 Personen"), as without the answers."""
    if questionnaire is None or answers is None:
        return relaxation.labels
    labels = []
    for key, label in zip(relaxation.drop, relaxation.labels, strict=True):
        step_id, _, option_id = key.partition(".")
        step = questionnaire.step(step_id)
        answer = answers.get(step_id)
        chosen: Any = (option_id,) if option_id else (answer,) if step.kind == "single" else answer
        tapped = [step.option(option) for option in chosen] if step.kind in ("single", "multiple") and chosen else []
        short = pick(step.short, locale) if step.short else ""
        said = [f"{short}: {pick(option.label, locale)}" if short else pick(option.label, locale)
                for option in tapped if option is not None]  # fmt: skip
        labels.extend(said if tapped and len(said) == len(tapped) else [label])
    return tuple(dict.fromkeys(labels))


def say_apart(decision: Decision, item: Ranked, index: CategoryIndex, locale: str, address: str = "du") -> list[str]:
    """What the list says beside a product's name, at most MAX_STANDOUTS lines: the facts that set it apart from the
    others that fit; where none does, its reasons that the line of what they all share does not say already (the
    top pick's lines never repeat "Alle 4 Zelte: …"), which may be none."""
    standouts = [say_standout(s, index, locale, address) for s in decision.standouts.get(item.sku, ())]
    if standouts:
        return standouts[:MAX_STANDOUTS]
    shared = set(decision.shared) if decision.count > 1 else set()
    said = [reason.text for reason in item.reasons if reason.constraint not in shared][:MAX_STANDOUTS]
    if said or item.sku != decision.top:
        return said
    # The top pick never stands bare: its strongest fit to a wish ("mehr Kopfhöhe als 2 der 3 anderen (195 cm)", or
    # its value of the weightiest one), else (no wish for more, less or near a figure) the requirements it meets,
    # though the line above says them of all.
    if decision.fit is not None:
        return [say_standout(decision.fit, index, locale, address)]
    return [reason.text for reason in item.reasons][:MAX_STANDOUTS]


def _label_in_sentence(index: CategoryIndex, attribute: str, locale: str) -> str:
    """An attribute's label inside a sentence: in English with a small first letter ("more burn time (max)", not
    "more Burn time (max)") unless it starts with an abbreviation ("IPX rating", "UV protection"); German nouns keep
    their capital ("mehr Innenhöhe")."""
    label = attribute_label(index, attribute, locale)
    if locale == "en" and len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def say_standout(standout: Standout, index: CategoryIndex, locale: str, address: str = "du") -> str:
    """One fact that sets a product apart ("the lightest of the 5 (1.2 kg)")."""
    if standout.kind == "fit" and not standout.beaten:  # beats none of the others: its value ("Volumen: 55 l")
        label = attribute_label(index, standout.attribute, locale)
        return f"{label}: {format_value(index, standout.attribute, standout.value, locale)}"
    if standout.kind == "fit":  # "mehr Kopfhöhe als 2 der 3 anderen (195 cm)"
        higher = bool(standout.higher)
        return text("decide.better_than_some", locale, address, value=format_value(index, standout.attribute,
                    standout.value, locale), better=say_direction(index, standout.attribute, higher, locale),
                    beaten=standout.beaten, others=standout.among - 1)  # fmt: skip
    if standout.kind == "only":
        words = _words(index, standout.attribute, locale)
        label = _label_in_sentence(index, standout.attribute, locale)
        return words["only"] if words else text("decide.only", locale, address, attribute=label)
    shown = format_value(index, standout.attribute, standout.value, locale)
    higher = _better_is_higher(index, standout.attribute) if standout.higher is None else standout.higher
    if standout.among == 2:  # of two, the comparative: "leichter als die Alternative", not "am leichtesten von den 2"
        better = say_direction(index, standout.attribute, higher, locale)
        return text("decide.of_two", locale, address, better=better, value=shown)
    if not _dictionary_says(index, standout.attribute, higher):  # the shopper's wish is less of what the dictionary
        key = "decide.most" if higher else "decide.least"  # calls better more ("Ein Tag": a small daypack)
        return text(key, locale, address, attribute=_label_in_sentence(index, standout.attribute, locale),
                    n=standout.among, value=shown)  # fmt: skip
    if standout.attribute == PRICE:
        return text("decide.cheapest", locale, address, n=standout.among, value=shown)
    words = _words(index, standout.attribute, locale)
    if words:
        return f"{words['best'].format(n=standout.among)} ({shown})"
    return text("decide.best", locale, address, attribute=_label_in_sentence(index, standout.attribute, locale),
                n=standout.among, value=shown)  # fmt: skip


def _better_is_higher(index: CategoryIndex, attribute: str) -> bool:
    """Whether the dictionary's words call more of an attribute better (the price: less is; without a direction,
    more)."""
    if attribute == PRICE:
        return False
    spec = index.category.attributes.get(attribute)
    return spec.more_is_better if spec is not None and spec.more_is_better is not None else True


def _dictionary_says(index: CategoryIndex, attribute: str, higher: bool) -> bool:
    """Whether more (`higher`) of an attribute, or less, is what the dictionary's words call better."""
    return higher == _better_is_higher(index, attribute)


def say_direction(index: CategoryIndex, attribute: str, higher: bool, locale: str) -> str:
    """The word for more or less of an attribute ("heavier", "cheaper", "more inner height"), in the dictionary's
    words where it has them: its "better" where more (or less) is what it calls better, else its "worse". Said by
    the figures, not by the shopper's wish: 8 l is less storage even for a shopper who wishes it small."""
    if attribute == PRICE:
        return text("decide.pricier" if higher else "decide.cheaper", locale)
    words = _words(index, attribute, locale)
    if words:
        return words["better" if _dictionary_says(index, attribute, higher) else "worse"]
    return text(
        "decide.more" if higher else "decide.less", locale, attribute=_label_in_sentence(index, attribute, locale)
    )


def say_difference(difference: Difference, index: CategoryIndex, locale: str) -> str:
    """One difference to the top pick in plain units ("0.3 kg heavier", "120 € cheaper", "more entrances")."""
    word = say_direction(index, difference.attribute, difference.delta > 0, locale)
    spec = index.category.attributes.get(difference.attribute)
    if difference.attribute != PRICE and (spec is None or not spec.unit or spec.unit in COUNTS):
        return word  # "more entrances", "sleeps more": no amount in front of a count
    amount = abs(difference.delta)
    if difference.attribute == PRICE:  # (a no-break space, as between every figure and its unit: "220 €" stays whole)
        shown = euros(round(amount) if amount >= 10 else amount, locale)  # "2,50 €", but "220 €": no cents from 10 €
        shown = shown.replace(" ", "\u00a0")
    else:
        shown = format_value(index, difference.attribute, round(amount, 2), locale)
    verb, space, rest = word.partition(" ")
    if locale == "en" and space and verb.endswith("s") and verb not in ("less", "more"):
        return f"{verb} {shown} {rest}"  # "packs 2 cm longer", not "2 cm packs longer"
    return f"{shown} {word}"


def say_versus_top(alternative: Alternative, index: CategoryIndex, locale: str, address: str = "du") -> str:
    """How an alternative differs from the top pick, in one line: the figures, then the wishes it misses."""
    if not alternative.differences and not alternative.misses:
        return text("decide.like_top", locale, address)
    said = [say_difference(difference, index, locale) for difference in alternative.differences]
    return text("decide.versus_top", locale, address, differences=", ".join([*said, *alternative.misses]))


def say_group(gain: Trade | None, cost: Trade | None, index: CategoryIndex, locale: str) -> str:
    """A group of alternatives by what they trade ("lighter, but pricier")."""
    if gain is not None and cost is not None:
        said = text("decide.trade", locale, better=say_direction(index, *gain, locale),
                    worse=say_direction(index, *cost, locale))  # fmt: skip
    elif gain is not None:
        said = say_direction(index, *gain, locale)
    elif cost is not None:
        said = text("decide.similar_but", locale, worse=say_direction(index, *cost, locale))
    else:
        said = text("decide.like_top", locale)
    return said[:1].upper() + said[1:]
