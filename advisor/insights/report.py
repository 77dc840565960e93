"""The merchandisers' figures, computed from the event log: one computation for the HTML report and the app.

Definitions (docs/insights.md says the same):
- a run is one shopper's advice from start to results (or giving up); `started` counts runs with a start;
- a step is *reached* by the runs that were shown it; its drop-off is the runs that gave up there (it was the
  last step they were shown and they never saw results) divided by the runs that reached it, so conditional
  steps are measured against the shoppers who actually got them;
- the answer distribution counts each run's last answer to a step ("doesn't matter" included); numbers are
  counted per value when a step has at most MAX_BARS values, else in ranges with whole, non-overlapping borders;
  a number that is a limit on a product attribute (`price <= budget`) in bands named by what it asks ("bis 200 €":
  over 150 and at most 200; "ab 200 cm": at least 200 and under 250), so its wish never reads as a range the
  shopper did not ask for;
- a *wish* is one answer that constrains products (the recommender's constraint: an option with requirements,
  a number, a "yes"), named "question: answer"; one whose requirement is worked out with another answer on a wide
  number scale is named and counted with that answer ("Ganz normal bei −20 °C": `temp_comfort_c <= lowest_temp`);
- an assortment gap is a *conflict*: a smallest set of wishes active when the results showed no product that no
  product met together. It is read from the relaxations the advice offered then ("without ultralight: 5 tents";
  the logged relaxation_offered events, or the one applied): a conflict is a smallest set of wishes that meets
  every offered relaxation, so two wishes each of which could be dropped are one conflict, and a single wish is
  a gap only when it alone blocks. The advice offers only a few relaxations of a few wishes each, so a conflict
  read from them that some product of today's catalog meets gives way to the catalog's smallest sets of wishes
  that contain it. Without logged relaxations it is computed from today's catalog. Counted once
  per run; its base is the runs that saw results with all its wishes active; the closest products meet all the
  run's other wishes and miss only some of the conflict's (today's catalog), those serving most runs first;
- an answer that is no longer an option of the questionnaire is marked so, not shown as an option of its own; a
  step it no longer has is named by its id, marked so (the events carry no question text, and an old id is never
  taken for a new one), its yes/no answers as yes/no;
- a dropped wish is one a shopper gave up through a relaxation ("show products without ..."), counted per run;
- a product is recommended in a run when it was among the products shown; it is opened in a run when the shopper
  also opened its details there (its share is of the runs that recommended it);
- a product listed (recommended, or closest to a gap) that the report's store has none of now is marked so ("hier
  nicht vorrätig"): the catalog's stock today, as the recommender's `in_stock` reads it (a model with variants is
  in stock while any of its articles is), not the stock at the time of the advice; a report of every store marks
  none;
- the handoff rate counts runs that asked for a person, leaving out requests withdrawn by the shopper within
  WITHDRAWN_WITHIN_S seconds of asking; its base is the started runs. The wait is of the claimed requests; those
  nobody claimed (withdrawn later, or expired) are counted beside it;
- ratings are counted per scale (school grades, 1 best; stars, 5 best), never as one distribution; the top share
  counts the best grade of either scale;
- a run counts in the period it started in, with its events up to LATE_OUTCOME after the period's end.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, tzinfo
from functools import cache
from itertools import combinations
from typing import TYPE_CHECKING, Any

import numpy as np
import sqlalchemy as sa

from advisor import engine as flow
from advisor.appointments.tables import APPOINTMENT
from advisor.engine import InvalidAnswer, SessionState
from advisor.expressions import Expression, decided_by_extreme, evaluate_columns
from advisor.i18n import day_text, number, pick, text, unit_text
from advisor.i18n import percent as percent_text
from advisor.insights.events import Event, read_comments, read_events
from advisor.insights.service import SERVICE_OUTCOMES, ServiceFigures, ServiceSection, service_figures, service_section
from advisor.questionnaire.model import DONT_CARE, Questionnaire, Step
from advisor.recommend.core import constraints_of, relax
from advisor.recommend.index import CategoryIndex, Mask

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

IndexFor = Callable[[Questionnaire], CategoryIndex | None]
WITHDRAWN_WITHIN_S = 30.0  # a request withdrawn this soon was a mistap or a change of mind, not a need for staff
MAX_BARS = 8  # a number step with more values than this is shown in ranges
NICE_FACTORS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)
TOP_GAPS = 6
TOP_PAIRS = 3  # (no longer used: single wishes and combinations share the TOP_GAPS places)
TOP_CLOSEST = 4
MAX_CONFLICT = 3  # wishes in one conflict at most (the recommender's MAX_RELAXATION_SIZE)
TOP_WISHES = 6
TOP_PRODUCTS = 8
MINUS = "\u2212"
LATE_OUTCOME = timedelta(hours=6)  # a run started in a period is followed this long after its end, to its outcome
HANDOFF_KINDS = frozenset({"handoff_requested", "handoff_claimed", "handoff_cancelled"})
UPPER, LOWER = "upper", "lower"  # a number answer that is a product attribute's most (`price <= budget`), or least


# ---------------------------------------------------------------------------------------------------------
# Texts


def counted(key: str, count: int, locale: str, **params: Any) -> str:
    """A count with its noun in singular or plural ("1 Beratung", "2 Beratungen"): keys `key.one`, `key.other`."""
    return text(f"{key}.one" if count == 1 else f"{key}.other", locale, count=number(count, locale), **params)


def numeral(value: float, locale: str, digits: int = 0) -> str:
    """A number as the locale writes it, rounded to `digits`, with a real minus sign ("−20")."""
    rounded = round(value, digits) if digits else round(value)
    shown = number(abs(rounded), locale, max(digits, 1))
    return f"{MINUS}{shown}" if rounded < 0 else shown


def percent(share: float, locale: str) -> str:
    """A share (0 to 1) as a whole percentage, written by the app's one rule (i18n.percent): "42\u00a0%" with a
    no-break space in German, "42%" in English."""
    return percent_text(round(100 * share), locale)


def seconds(value: float, locale: str) -> str:
    return f"{numeral(value, locale)} s"


def _change(value: float, previous: float, kind: str, locale: str) -> str:
    """The change from the previous period: in percentage points for shares, relative for counts."""
    if kind == "share":  # the difference of the shares as shown (27 % against 30 %: 3 points, not 2.7)
        delta: float = round(100 * value) - round(100 * previous)
        magnitude = f"{numeral(abs(delta), locale)} {text('report.points', locale)}"
    elif kind == "seconds":
        delta = round(value - previous)
        magnitude = seconds(abs(delta), locale)
    elif previous:
        delta = round(100 * (value - previous) / previous)
        magnitude = percent_text(abs(delta), locale)
    else:
        delta = value
        magnitude = numeral(abs(value), locale)
    return f"{'+' if delta > 0 else MINUS if delta < 0 else '±'}{magnitude}"


def _moment(moment: datetime, locale: str, zone: tzinfo = UTC) -> str:
    """A day in the store's time zone as the app writes days in the locale ("05.12.2026", "5 Dec 2026", as the
    kiosk and the mails), with the time when a period does not start or end at midnight."""
    moment = moment.astimezone(zone) if moment.tzinfo else moment.replace(tzinfo=UTC).astimezone(zone)
    day = day_text(moment.date(), locale, weekday=None, year=True)
    suffix = " UTC" if zone is UTC else ""
    return day if moment.time() == datetime.min.time() else f"{day} {moment:%H:%M}{suffix}"


def period_text(start: datetime | None, end: datetime | None, locale: str, zone: tzinfo = UTC) -> str:
    """A period as a merchandiser reads it: first and last day (an `end` at midnight ends the day before)."""
    if start is None and end is None:
        return text("report.all_data", locale)
    first = _moment(start, locale, zone) if start else "…"
    last = "…"
    if end is not None:
        local = end.astimezone(zone) if end.tzinfo else end.replace(tzinfo=UTC).astimezone(zone)
        if local.time() == datetime.min.time():
            last = _moment(local - timedelta(days=1), locale, zone)
        elif start is not None and _at_midnight(start, zone):  # whole days up to now: "the last 30 days" ends today
            last = _moment(local.replace(hour=0, minute=0, second=0, microsecond=0), locale, zone)
        else:
            last = _moment(local, locale, zone)
    return f"{first} – {last}"


def _at_midnight(moment: datetime, zone: tzinfo) -> bool:
    return _utc(moment).astimezone(zone).time() == datetime.min.time()


def last_days(days: int, now: datetime, zone: tzinfo = UTC) -> datetime:
    """The start of "the last `days` days" on the store's clock: today and the days before it, from midnight."""
    today = _utc(now).astimezone(zone).date() - timedelta(days=days - 1)
    return datetime.combine(today, datetime.min.time(), tzinfo=zone).astimezone(UTC)


# ---------------------------------------------------------------------------------------------------------
# Number answers in values or ranges


@dataclass(frozen=True)
class NumberBins:
    """How a number step's answers are counted: one bar per value, or ranges with whole borders.

    A range of a limit is a band named by what its answers ask, not by the values they span: answers to "at most"
    (`price <= budget`) of 180 and 200 both ask for no more than 200 €, so they count under "bis 200 €" (the band
    runs from just above the border below to its top); answers to "at least" count under "ab" their band's
    start. Either way the band is named by its loosest answer: a product that misses the band's name misses every
    answer in it."""

    starts: tuple[float, ...]  # each bar's lowest value; a bar ends where the next starts
    lasts: tuple[float, ...]  # each bar's highest value as shown
    unit: str | None
    negative: bool  # some borders are below zero: "−20 bis −16" reads better than "−20–−16"
    limit: str | None = None  # UPPER or LOWER for ranges of a limit (see limit_of), None for two-sided answers

    @property
    def tops(self) -> tuple[float, ...]:
        """Each "at most" band's top: the next range's start (the last band ends at the step's largest value)."""
        return (*self.starts[1:], self.lasts[-1])

    def index_of(self, value: float) -> int:
        """The bar a value counts under (values beyond the step's range count under the first or last bar)."""
        if self.limit == UPPER:  # 200 asks no more than the band "bis 200" does; 201 belongs to the next
            return next((i for i, top in enumerate(self.tops) if value <= top), len(self.starts) - 1)
        position = 0
        for i, start in enumerate(self.starts):
            if value >= start:
                position = i
        return position

    def border(self, i: int) -> float:
        """The value a bar is known by: an "at most" band's top, else the bar's lowest value."""
        return self.tops[i] if self.limit == UPPER else self.starts[i]

    def label(self, i: int, locale: str) -> str:
        if self.limit is not None:
            return limit_text(self.limit, self.border(i), self.unit, locale)
        low, high = self.starts[i], self.lasts[i]
        if low == high:
            return _with_unit(numeral(low, locale, 2), self.unit, locale, one=low == 1)
        if self.negative:
            span = text("report.range", locale, low=numeral(low, locale, 2), high=numeral(high, locale, 2))
        else:
            span = f"{numeral(low, locale, 2)}–{numeral(high, locale, 2)}"
        return _with_unit(span, self.unit, locale, one=False)


def _with_unit(shown: str, unit: str | None, locale: str, *, one: bool) -> str:
    if not unit:
        return shown
    return f"{shown} {unit_text(unit, locale, one=one)}"


def amount(value: float, unit: str | None, locale: str) -> str:
    """A number with the step's unit, to two decimals where it has them ("209,95 €", "1 Nacht")."""
    return _with_unit(numeral(value, locale, 2), unit, locale, one=value == 1)


def limit_text(limit: str, value: float, unit: str | None, locale: str) -> str:
    """What a limit asks: "bis 200 €" (at most), "ab 180 cm" (at least)."""
    return text("report.up_to" if limit == UPPER else "report.at_least", locale, value=amount(value, unit, locale))


def limit_of(step: Step) -> tuple[str, str] | None:
    """(attribute, UPPER or LOWER) when every requirement of a number step on its answer compares one product
    attribute with the answer itself, all the same way: `price <= budget` (or `budget >= price`) makes the answer
    the price's most, `max_body_height_cm >= body_height` its least. None for anything else, which keeps the
    range: a fit between two attributes (`torso_min_cm <= torso <= torso_max_cm`), a computed bound
    (`inner_length_cm >= body_height + 15`: the answer is not the length asked for, so the product's length would
    not be comparable with it), a strict `<` (200 € would not be "bis 200 €"), or limits both ways.

    The comparison is read by the expression module (`decided_by_extreme`, `Expression.comparisons`), which the
    recommender reads variant attributes with too."""
    found = {_limit_in(r.expression, step.id) for r in step.requires if step.id in r.expression.names}
    return found.pop() if len(found) == 1 else None


@cache
def _limit_in(expression: Expression, step_id: str) -> tuple[str, str] | None:
    """(attribute, UPPER or LOWER) when the expression is `attribute <= step_id` or `>=`, either way round.
    Cached: every answer counted asks it (reading a comparison's sides parses them again)."""
    decided = decided_by_extreme(expression, expression.names - {step_id})
    if decided is None:
        return None
    attribute, extreme = decided
    link = expression.comparisons()[0]
    sides = {link.left.source.strip(" ()"), link.right.source.strip(" ()")}
    if link.operator not in ("<=", ">=") or sides != {attribute, step_id}:
        return None
    return attribute, UPPER if extreme == "min" else LOWER  # min: the smallest value passes first


def number_bins(step: Step) -> NumberBins | None:
    """The bars of a number step, from its own min, max and step size (None without a range)."""
    if step.min is None or step.max is None or step.max < step.min:
        return None
    stride = step.step if step.step and step.step > 0 else 1.0
    low, high = float(step.min), float(step.max)
    values = int(math.floor((high - low) / stride + 1e-9)) + 1
    if values <= MAX_BARS:
        grid = tuple(round(low + i * stride, 9) for i in range(values))
        return NumberBins(grid, grid, step.unit, low < 0)
    whole = float(stride).is_integer()
    for factor in NICE_FACTORS[1:]:
        width = factor * stride
        first = math.floor(low / width) * width  # borders on multiples of the width: 0, 5, 10 … or 100, 200 …
        count = int(math.floor((high - first) / width + 1e-9)) + 1
        starts = [max(round(first + k * width, 9), low) for k in range(count)]
        lasts = [min(s - (1 if whole else stride), high) for s in (*starts[1:], high + (1 if whole else stride))]
        lasts = [max(last, s) for s, last in zip(starts, lasts, strict=True)]
        if len(starts) > 1 and starts[-1] == high:  # the top value alone: it joins the range below
            starts.pop()
            lasts.pop()
            lasts[-1] = high
        if len(starts) <= MAX_BARS:
            limit = limit_of(step)
            return NumberBins(tuple(round(s, 9) for s in starts), tuple(round(x, 9) for x in lasts), step.unit,
                              low < 0, limit[1] if limit else None)  # fmt: skip
    return None


def answer_keys(step: Step | None, value: Any) -> list[str]:
    """What one stored answer counts under, by what it is rather than how it reads: an option's id (a multiple
    choice counts under each chosen option), "yes"/"no", a number's bar, or "doesn't matter" (DONT_CARE). Two
    answers that read alike (an option labelled "Egal" beside the step's own "doesn't matter") stay apart."""
    if value == DONT_CARE:
        return [DONT_CARE]
    if step is None:  # a step the questionnaire no longer has: its answers as they were logged, yes/no as such
        if isinstance(value, bool):
            return ["yes" if value else "no"]
        if isinstance(value, list | tuple):
            return [str(item) for item in value]
        if isinstance(value, int | float):
            return [f"{_NUMBER}{value!r}"]
        return [str(value)]
    if step.kind == "multiple" and isinstance(value, list | tuple):
        return [str(item) for item in value]
    if step.kind == "single":
        return [str(value)]
    if step.kind == "yes_no":
        return ["yes" if value else "no"]
    if isinstance(value, int | float) and not isinstance(value, bool):
        bins = number_bins(step)
        if bins is not None:
            return [f"{_BAR}{bins.index_of(float(value))}"]
        return [f"{_NUMBER}{value!r}"]
    return [str(value)]


_BAR = "\0bar:"  # (keys no option id can be: ids are names)
_NUMBER = "\0number:"


def _key_label(step: Step | None, key: str, locale: str) -> str:
    """How an answer key reads in the report."""
    if key == DONT_CARE:
        return text("answer.dont_care", locale)
    if step is None:  # (a step no longer in the questionnaire: no labels to name its options by)
        if key in ("yes", "no"):
            return text(f"answer.{key}", locale)
        if key.startswith(_NUMBER):
            return numeral(float(key.removeprefix(_NUMBER)), locale, 2)
        return key
    if key.startswith(_BAR) and (bins := number_bins(step)) is not None:
        return bins.label(int(key.removeprefix(_BAR)), locale)
    if key.startswith(_NUMBER):
        value = float(key.removeprefix(_NUMBER))
        return _with_unit(numeral(value, locale, 2), step.unit, locale, one=value == 1)
    if step.kind == "yes_no":
        return text("answer.yes" if key == "yes" else "answer.no", locale)
    if step.kind in ("single", "multiple"):
        return _option_label(step, key, locale)
    return key


def answer_label(step: Step | None, value: Any, locale: str) -> list[str]:
    """The labels one stored answer counts under (a multiple choice counts under each chosen option)."""
    return [_key_label(step, key, locale) for key in answer_keys(step, value)]


def _option_label(step: Step, option_id: str, locale: str) -> str:
    """An option's label; an answer the questionnaire no longer offers (an option renamed or removed since) is
    marked so: "festival (nicht mehr im Fragebogen)", not shown as if it were an option of its own."""
    option = step.option(option_id)
    return pick(option.label, locale) if option else text("report.retired", locale, answer=option_id)


def step_question(questionnaire: Questionnaire | None, step_id: str, locale: str) -> str:
    """How the report names a step: its question; a step the questionnaire no longer has (removed or renamed since
    the events were logged) by its id, marked "extra_space (nicht mehr im Fragebogen)". The events carry ids only,
    never a question's text, and an old id is not mapped to a new one: a renamed step may ask something else."""
    step = _step(questionnaire, step_id)
    return pick(step.question, locale) if step else text("report.retired", locale, answer=step_id)


def _all_keys(step: Step | None) -> list[str]:
    """Every key a step's answers can count under, in the step's own order ("doesn't matter" apart)."""
    if step is None:
        return []
    if step.kind in ("single", "multiple"):
        return [option.id for option in step.options]
    if step.kind == "yes_no":
        return ["yes", "no"]
    if (bins := number_bins(step)) is not None:
        return [f"{_BAR}{i}" for i in range(len(bins.starts))]
    return []


def _ordered(step: Step | None, counts: Counter[str], locale: str) -> tuple[tuple[str, int], ...]:
    """The step's answers in its own order, with none left out (a zero is an answer too); others (options no
    longer offered) after them; "doesn't matter" last."""
    known = _all_keys(step)
    rows = [(_key_label(step, key, locale), counts.get(key, 0)) for key in known]
    others = [(_key_label(step, key, locale), n) for key, n in counts.items() if key not in known and key != DONT_CARE]
    rows += sorted(others, key=lambda row: (-row[1], row[0]))
    if DONT_CARE in counts or (step is not None and step.dont_care):
        rows.append((text("answer.dont_care", locale), counts.get(DONT_CARE, 0)))
    return tuple(rows)


# ---------------------------------------------------------------------------------------------------------
# Wishes: the answers that constrain products


@dataclass(frozen=True, order=True)
class Wish:
    """One answer that constrains products ("Wie viele Personen schlafen im Zelt: 3 Personen")."""

    position: int  # the step's place in the questionnaire (wishes sort in the order they were asked)
    step_id: str
    answer: str  # an option id, "yes", a number range's border (NumberBins.border), or option ids joined by commas;
    # then the other answers its requirement was resolved with, where they are named ("normal@lowest_temp=-20")
    question: str
    answer_label: str

    @property
    def label(self) -> str:
        return f"{self.question}: {self.answer_label}" if self.answer_label else self.question


def _requirements(step: Step, option_ids: Sequence[str]) -> list[Expression]:
    """The expressions a wish on a step asks of a product: the step's own and its chosen options'."""
    options = [option for option_id in option_ids if (option := step.option(option_id)) is not None]
    return [r.expression for r in (*step.requires, *(r for option in options for r in option.requires))]


def _given(
    questionnaire: Questionnaire, step: Step, option_ids: Sequence[str], answers: Mapping[str, Any], locale: str
) -> tuple[str, str]:
    """The answers to other questions on a wide number scale that a wish's requirement is resolved with ("Ganz
    normal" asks `temp_comfort_c <= lowest_temp`), as a key and as read ("lowest_temp=-20", "−20 °C"); ("", "")
    when there are none. Such a wish asks something else at each of those answers, so it is told apart by them:
    otherwise a gap "Ganz normal" would read as if no bag served normal sleepers, counted over every mild night."""
    names = set().union(*(expression.names for expression in _requirements(step, option_ids)))
    keys, labels = [], []
    for step_id in sorted(names & questionnaire.positions.keys() - {step.id}, key=questionnaire.positions.__getitem__):
        other, value = questionnaire.step(step_id), answers.get(step_id)
        bins = number_bins(other) if other.kind == "number" else None
        if bins is None or bins.starts == bins.lasts or not isinstance(value, int | float) or isinstance(value, bool):
            continue  # (an answer named by its own value, e.g. "2 Personen", or none: nothing to tell apart)
        keys.append(f"{step_id}={value:g}")
        labels.append(amount(float(value), other.unit, locale))
    return ",".join(keys), ", ".join(labels)


def question_label(step: Step, locale: str) -> str:
    """How a wish names its question: the step's short name, else the question without its question mark."""
    if step.short:
        return pick(step.short, locale).strip()
    return pick(step.question, locale).rstrip().rstrip("?").rstrip()


def wish_of(questionnaire: Questionnaire, key: str, answers: Mapping[str, Any], locale: str) -> Wish | None:
    """The wish behind a constraint key ("region", "extras.vestibule") and the run's answers at that moment."""
    step_id, _, option_id = str(key).partition(".")
    step = _step(questionnaire, step_id)
    if step is None:
        return None
    position = questionnaire.positions.get(step_id, len(questionnaire.steps))
    question = question_label(step, locale)
    value = answers.get(step_id)
    if option_id or step.kind in ("single", "multiple"):
        if option_id:
            chosen, shown = [option_id], _option_label(step, option_id, locale)
        elif value is None or value == DONT_CARE:
            return Wish(position, step_id, "", question, "")
        elif step.kind == "single":
            chosen, shown = [str(value)], _option_label(step, str(value), locale)
        else:
            chosen = [str(item) for item in value] if isinstance(value, list | tuple) else [str(value)]
            shown = ", ".join(answer_label(step, chosen, locale))
        given, given_label = _given(questionnaire, step, chosen, answers, locale)
        if given:  # "Kälteempfinden: Ganz normal bei −20 °C"
            shown = text("report.wish_at", locale, answer=shown, given=given_label)
        return Wish(position, step_id, ",".join(chosen) + (f"@{given}" if given else ""), question, shown)
    if value is None or value == DONT_CARE:
        return Wish(position, step_id, "", question, "")
    if step.kind == "yes_no":
        return Wish(position, step_id, "yes" if value else "no", question, answer_label(step, value, locale)[0])
    bins = number_bins(step)
    if bins is not None and isinstance(value, int | float):
        i = bins.index_of(float(value))
        return Wish(position, step_id, f"{bins.border(i):g}", question, bins.label(i, locale))
    return Wish(position, step_id, str(value), question, answer_label(step, value, locale)[0])


def _canonical(step: Step, value: Any) -> Any:
    """A logged answer in the engine's form (tuples for several options), or None when this version of the step
    does not accept it. "Doesn't matter" stays, also where a relaxation set it on a step that does not offer it."""
    if value == DONT_CARE:
        return DONT_CARE
    try:
        return flow.check_answer(step, tuple(value) if isinstance(value, list) else value)
    except InvalidAnswer:
        return None


def with_answer(questionnaire: Questionnaire, answers: Mapping[str, Any], step_id: str, value: Any) -> dict[str, Any]:
    """A run's answers after one more logged answer, kept as the engine keeps them (answers to steps that fell
    off the path dropped)."""
    step = _step(questionnaire, step_id)
    updated = dict(answers)
    canonical = _canonical(step, value) if step is not None else None
    if canonical is None:
        updated.pop(step_id, None)
    else:
        updated[step_id] = canonical
    return dict(flow.with_answers(questionnaire, SessionState(questionnaire.id), updated).answers)


def relaxed(questionnaire: Questionnaire, answers: Mapping[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    """A run's answers after a relaxation, as the advice applies it (the wishes become "doesn't matter")."""
    return dict(relax(questionnaire, SessionState(questionnaire.id, answers, None), keys).answers)


def wishes_at(
    questionnaire: Questionnaire, answers: Mapping[str, Any], locale: str, index: CategoryIndex | None = None
) -> dict[Wish, Mask | None]:
    """The wishes active for a run's answers, each with the products that meet it (when an index is given)."""
    walked = flow.walk(questionnaire, answers)
    found: dict[Wish, Mask | None] = {}
    for constraint in constraints_of(questionnaire, answers, walked):
        wish = wish_of(questionnaire, constraint.key, answers, locale)
        if wish is None:
            continue
        mask: Mask | None = None
        if index is not None:
            mask = np.ones(index.size, dtype=bool)
            for requirement in constraint.requirements:
                mask &= evaluate_columns(requirement.expression, walked[1], index)
            previous = found.get(wish)
            mask = mask if previous is None else mask & previous
        found[wish] = mask
    return found


# ---------------------------------------------------------------------------------------------------------
# Figures


@dataclass(frozen=True)
class StepFigures:
    step_id: str
    question: str
    reached: int
    answered: int
    dropped: int
    answers: tuple[tuple[str, int], ...]

    @property
    def drop_rate(self) -> float:
        return self.dropped / self.reached if self.reached else 0.0

    @property
    def top(self) -> int:
        return max((count for _, count in self.answers), default=0)


@dataclass(frozen=True)
class Gap:
    """Wishes that no product met together when nothing fitted (a conflict): in how many runs, of how many that
    saw results with them all active; the products closest to serving those shoppers."""

    wishes: tuple[Wish, ...]
    runs: int
    base: int
    closest: tuple[str, ...] = ()  # product names, closest first ("Hochjoch 2 (nicht Ultraleicht)")

    @property
    def label(self) -> str:
        return " + ".join(wish.label for wish in self.wishes)

    @property
    def rate(self) -> float:
        return self.runs / self.base if self.base else 0.0


SCALES = ("grades", "stars")  # school grades 1 to 6 (1 is best), stars 1 to 5 (5 is best)
BEST = {"grades": 1, "stars": 5}


@dataclass(frozen=True)
class Distribution:
    """The ratings given on one scale: grade -> count, best first."""

    scale: str  # "grades" or "stars"
    counts: tuple[tuple[int, int], ...]

    @property
    def total(self) -> int:
        return sum(count for _, count in self.counts)

    @property
    def best(self) -> int:
        """The ratings of the scale's best grade (a school "1", five stars)."""
        return self.counts[0][1] if self.counts else 0

    @property
    def rows(self) -> list[tuple[str, int]]:
        """(grade, count), best first: "1" … "6" for school grades, "5 ★" … "1 ★" for stars."""
        return [(str(grade) if self.scale == "grades" else f"{grade} ★", count) for grade, count in self.counts]


@dataclass(frozen=True)
class Rating:
    """The ratings of a period, counted per scale: a store that switched `[kiosk] feedback_scale`, or a chain's
    stores on different scales, rated on school grades (1 best) and stars (5 best), which are never one
    distribution. The top-rating share is over both: the best grade and five stars both count as top."""

    distributions: tuple[Distribution, ...]  # each scale rated on, grades before stars (grades, empty, when none)

    @property
    def total(self) -> int:
        return sum(distribution.total for distribution in self.distributions)

    @property
    def mixed(self) -> bool:
        """Rated on both scales in the period: each is shown on its own."""
        return len(self.distributions) > 1

    @property
    def scale(self) -> str:
        """The first (when not `mixed`, the only) scale rated on."""
        return self.distributions[0].scale

    @property
    def counts(self) -> tuple[tuple[int, int], ...]:
        """The first (when not `mixed`, the only) scale's counts, best first."""
        return self.distributions[0].counts

    @property
    def rows(self) -> list[tuple[str, int]]:
        """The first (when not `mixed`, the only) scale's rows; see `distributions` for every scale."""
        return self.distributions[0].rows

    @property
    def top_share(self) -> float:
        """The share of top ratings (the best grade on each scale) of all ratings, on whichever scale."""
        return sum(distribution.best for distribution in self.distributions) / self.total if self.total else 0.0


@dataclass(frozen=True)
class Headline:
    """One headline figure with its base and, when a period is given, the period before."""

    key: str  # started, results, nothing_fits, handoff, top_grade, median_wait
    name: str
    value: float | None
    shown: str  # "42 %"
    base: str  # "von 180 begonnenen Beratungen"
    previous: str = ""  # "Vorperiode: 38 % (+4,0 Pp.)"
    better: bool | None = None  # whether the change is for the better (None: no change, or no judgement)


@dataclass(frozen=True)
class QuestionnaireFigures:
    questionnaire_id: str
    title: str
    started: int
    completed: int
    steps: tuple[StepFigures, ...]
    gap_runs: int  # runs that were shown no product at least once
    gaps: tuple[Gap, ...]  # single wishes that alone left no product, most runs first
    gap_pairs: tuple[Gap, ...]  # combinations of wishes no product met together (2 or 3), most runs first
    dropped_wishes: tuple[tuple[Wish, int], ...]  # wish, runs
    most_recommended: tuple[tuple[str, str, int, int], ...]  # name, sku, runs, runs that opened its details
    never_recommended: tuple[tuple[str, str], ...]
    handoff_runs: int  # runs that asked for a person (requests withdrawn within WITHDRAWN_WITHIN_S left out)
    withdrawn: int  # requests withdrawn within WITHDRAWN_WITHIN_S
    waits: tuple[float, ...]  # of the requests claimed (a claim is logged with the seconds the shopper waited)
    rating: Rating
    contact_rating: Rating
    headlines: tuple[Headline, ...] = ()
    versions: int = 0  # questionnaire versions the period's events were recorded with
    changed: str = ""  # "during": several versions in the period; "since": recorded with another one than today's
    requests: int = 0  # requests for a person logged in the period, those withdrawn within WITHDRAWN_WITHIN_S too
    # The products recommended in the period that the store has none of now: name, sku, runs (most runs first)
    recommended_absent: tuple[tuple[str, str, int], ...] = ()

    def absent_line(self, locale: str) -> str:
        """The line naming the products recommended in the period that the store has none of now, with their runs
        ("Empfohlen, aber hier nicht vorrätig: Seewiese 4 (18), Rotwand 2 (17)"), for the report and the console
        alike; "" when there are none (or the stock was not looked at)."""
        if not self.recommended_absent:
            return ""
        products = ", ".join(f"{name} ({number(count, locale)})" for name, _, count in self.recommended_absent)
        return text("report.absent", locale, products=products)

    @property
    def conflicts(self) -> tuple[Gap, ...]:
        """All gaps, single wishes and combinations, as one ranking: most runs first (the report's table)."""
        ranked = sorted((*self.gaps, *self.gap_pairs), key=lambda gap: (-gap.runs, len(gap.wishes), gap.wishes))
        return tuple(ranked[:TOP_GAPS])

    @property
    def funnel_rows(self) -> list[tuple[str, int]]:
        return [(step.question, step.reached) for step in self.steps]

    @property
    def dropped_rows(self) -> list[tuple[str, int]]:
        return [(wish.label, count) for wish, count in self.dropped_wishes]

    @property
    def most_rows(self) -> list[tuple[str, int, float]]:
        """Each of the most recommended products: its runs, and the share of them that opened its details."""
        return [(name, count, opened / count if count else 0.0) for name, _, count, opened in self.most_recommended]

    @property
    def abandoned(self) -> int:
        return self.started - self.completed

    @property
    def completion_rate(self) -> float:
        return self.completed / self.started if self.started else 0.0

    @property
    def gap_rate(self) -> float:
        return self.gap_runs / self.completed if self.completed else 0.0

    @property
    def handoff_rate(self) -> float:
        return self.handoff_runs / self.started if self.started else 0.0

    @property
    def median_wait(self) -> float | None:
        return statistics.median(self.waits) if self.waits else None

    @property
    def never_claimed(self) -> int:
        """Requests nobody claimed: withdrawn after WITHDRAWN_WITHIN_S or more, or expired (neither is in the
        waits; those withdrawn sooner are counted apart, in `withdrawn`). Counted from the requests and claims
        logged in the period, so a request claimed after the period's end counts here."""
        return max(0, self.requests - self.withdrawn - len(self.waits))

    @property
    def p90_wait(self) -> float | None:
        if not self.waits:
            return None
        ordered = sorted(self.waits)
        return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]

    @property
    def has_data(self) -> bool:
        return bool(self.started or self.rating.total or self.waits)


@dataclass(frozen=True)
class AppointmentFigures:
    """Booked appointments: the bookings made in the period (and how far ahead), and of the appointments that
    started in it (cancelled ones left out) who came, who did not, and those nobody marked either way."""

    bookings: int  # made in the period, whatever became of them
    cancelled: int  # of those bookings
    held: int  # appointments that started in the period, not cancelled
    showed_up: int  # of those: checked in (or done)
    no_shows: int
    lead_hours: tuple[float, ...] = ()  # per booking made in the period: hours from booking to the start

    @property
    def unmarked(self) -> int:
        """Appointments that started but were neither checked in nor marked as missed."""
        return self.held - self.showed_up - self.no_shows

    @property
    def show_rate(self) -> float:
        marked = self.showed_up + self.no_shows
        return self.showed_up / marked if marked else 0.0

    @property
    def median_lead_hours(self) -> float | None:
        return statistics.median(self.lead_hours) if self.lead_hours else None

    @property
    def has_data(self) -> bool:
        return bool(self.bookings or self.held)


def lead_text(hours: float, locale: str) -> str:
    """How far ahead a booking was made: hours up to two days, then days."""
    if hours < 48:
        return text("report.appt.hours", locale, hours=numeral(hours, locale, 1 if hours < 10 else 0))
    return text("report.appt.days", locale, days=numeral(hours / 24, locale, 1))


def appointment_figures(
    rows: Iterable[tuple[datetime, datetime, str]], *, start: datetime | None, end: datetime | None
) -> AppointmentFigures:
    """The figures of appointments given as (booked at, starts at, state), for the period [start, end)."""

    def within(moment: datetime) -> bool:
        return (start is None or moment >= start) and (end is None or moment < end)

    bookings = cancelled = held = showed_up = no_shows = 0
    lead: list[float] = []
    for created_at, starts_at, state in rows:
        if within(created_at):
            bookings += 1
            cancelled += state == "cancelled"
            lead.append(max(0.0, (starts_at - created_at).total_seconds() / 3600))
        if within(starts_at) and state != "cancelled":
            held += 1
            showed_up += state in ("checked_in", "done")
            no_shows += state == "no_show"
    return AppointmentFigures(bookings, cancelled, held, showed_up, no_shows, tuple(lead))


def read_appointment_figures(
    engine: Engine,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    now: datetime | None = None,
    store: str | None = None,
) -> AppointmentFigures:
    """The appointment figures of a period from the appointment table (anonymous once the shopper is forgotten);
    only appointments that started by `now` count as held. `store`: that store's only (None, ALL_STORES: all)."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    until = min(end.astimezone(UTC), moment) if end is not None else moment
    since = start.astimezone(UTC) if start is not None else None
    query = sa.select(APPOINTMENT.c.created_at, APPOINTMENT.c.starts_at, APPOINTMENT.c.state)
    if store not in (None, ALL_STORES):
        query = query.where(APPOINTMENT.c.store_id == store)
    if since is not None:
        query = query.where(sa.or_(APPOINTMENT.c.created_at >= since, APPOINTMENT.c.starts_at >= since))
    with engine.connect() as connection:
        rows = [(_utc(created), _utc(starts), state) for created, starts, state in connection.execute(query)]
    return appointment_figures(rows, start=since, end=until)


def _utc(value: datetime) -> datetime:
    """A stored time as an aware UTC datetime (SQLite gives it back naive, in UTC)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


ALL_STORES = "all"  # `advisor report --store all`: every store in the database (a chain's view)
# Which stores a report counts, as its heading says it: one store, every store, and the comments (which carry no
# store: they are linked to nothing) of every store.
_SCOPE = {
    "de": ("Filiale {store}", "alle Filialen", "Kommentare: alle Filialen"),
    "en": ("store {store}", "all stores", "comments: all stores"),
}


def scope_text(store: str | None, locale: str, *, comments: bool = False) -> str:
    """The stores a report counts, in words ("Filiale muc-01", "alle Filialen"); "" when not said (None)."""
    if store is None:
        return ""
    one, every, comments_of_every = _SCOPE.get(locale, _SCOPE["en"])
    if store == ALL_STORES:
        return every
    return one.format(store=store) + (f" ({comments_of_every})" if comments else "")


@dataclass(frozen=True)
class Report:
    start: datetime | None
    end: datetime | None
    locale: str
    events: int
    questionnaires: tuple[QuestionnaireFigures, ...]
    comments: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)
    previous_start: datetime | None = None  # the period before, of the same length (when compared)
    previous_end: datetime | None = None
    zone: tzinfo = UTC  # the store's: periods are said in its time
    appointments: AppointmentFigures | None = None  # read from the appointments (not events) by read_report
    service: ServiceFigures = field(default_factory=ServiceFigures)  # the service runs (advisor.insights.service)
    service_section: ServiceSection | None = None  # the same in words, with the service flows (build_report)
    not_begun: datetime | None = None  # the period starts after this moment (now): nothing counted, no comparison
    until_now: datetime | None = None  # the period was asked to end at this later moment: counted up to now
    store: str | None = None  # the store counted (ALL_STORES: every one; None: not said, as build_report leaves it)

    @property
    def today(self) -> str:
        """Today (the report's moment) as the locale writes a day."""
        moment = self.not_begun or datetime.now(UTC)
        return _moment(_utc(moment).astimezone(self.zone).replace(hour=0, minute=0, second=0, microsecond=0),
                       self.locale, self.zone)  # fmt: skip

    @property
    def asked_end(self) -> str:
        """The last day of the period as it was asked for (when it ends in the future)."""
        if self.until_now is None:
            return ""
        local = _utc(self.until_now).astimezone(self.zone)
        last = local - timedelta(days=1) if local.time() == datetime.min.time() else local
        return _moment(last.replace(hour=0, minute=0, second=0, microsecond=0), self.locale, self.zone)

    @property
    def scope(self) -> str:
        """The stores counted, as the heading says them ("Filiale muc-01"); "" when not said."""
        return scope_text(self.store, self.locale, comments=bool(self.comments))

    @property
    def period(self) -> str:
        """The period, and the stores counted when read_report was told them: "01.11.2026–30.11.2026 · Filiale
        muc-01" (the report's heading and title, the console's line above the figures)."""
        period = period_text(self.start, self.end, self.locale, self.zone)
        return f"{period} · {self.scope}" if self.scope else period

    @property
    def previous_period(self) -> str:
        if not self.previous_start:
            return ""
        return period_text(self.previous_start, self.previous_end, self.locale, self.zone)

    def figures(self, questionnaire_id: str) -> QuestionnaireFigures | None:
        return next((q for q in self.questionnaires if q.questionnaire_id == questionnaire_id), None)


def _step(questionnaire: Questionnaire | None, step_id: str | None) -> Step | None:
    if questionnaire is None or step_id is None:
        return None
    try:
        return questionnaire.step(step_id)
    except KeyError:
        return None


def _rating(events: Iterable[Event], about: str) -> Rating:
    """The ratings of the advice or the contact, counted per scale (an event says its scale; "grades" when it
    does not): a grade 1 is the best school grade, a 1 in stars the worst."""
    counts: dict[str, Counter[int]] = {scale: Counter() for scale in SCALES}
    for event in events:
        if event.kind == "feedback" and isinstance(event.value, dict) and event.value.get("about") == about:
            scale = "stars" if event.value.get("scale") == "stars" else "grades"
            counts[scale][int(event.number or 0)] += 1
    found = [scale for scale in SCALES if counts[scale]] or ["grades"]
    grades = {"grades": range(1, 7), "stars": range(5, 0, -1)}  # best first
    return Rating(
        tuple(
            Distribution(scale, tuple((grade, counts[scale].get(grade, 0)) for grade in grades[scale]))
            for scale in found
        )
    )


@dataclass
class _GapMoment:
    """The wishes active when one run saw no product, with the products meeting each (today's catalog), the
    relaxations the advice offered then (as wishes), and the conflicts read from them."""

    run: str
    wishes: dict[Wish, Mask | None]
    answers: Mapping[str, Any] = field(default_factory=dict)  # the run's, then: a band's wish holds several answers
    offers: list[frozenset[Wish]] = field(default_factory=list)
    applied: frozenset[Wish] = frozenset()  # the relaxation the shopper took (one of those offered)
    conflicts: tuple[frozenset[Wish], ...] = ()


def _hitting_sets(offers: Sequence[frozenset[Wish]]) -> list[frozenset[Wish]]:
    """The smallest sets of wishes that meet every offered relaxation: the conflicts behind them. Offered "without
    A" and "without B" means A and B cannot be had together; offered only "without A and B" means each of A and B
    alone leaves nothing."""
    universe = sorted(set().union(*offers)) if offers else []
    found: list[frozenset[Wish]] = []
    for size in range(1, min(MAX_CONFLICT, len(universe)) + 1):
        for chosen in combinations(universe, size):
            candidate = frozenset(chosen)
            if any(smaller <= candidate for smaller in found):
                continue
            if all(candidate & offer for offer in offers):
                found.append(candidate)
    return found


def _infeasible_sets(wishes: Mapping[Wish, Mask | None]) -> list[frozenset[Wish]]:
    """The smallest sets of wishes no product meets together (today's catalog): for runs without logged
    relaxations."""
    masks = {wish: mask for wish, mask in wishes.items() if mask is not None}
    if not masks or np.logical_and.reduce(list(masks.values())).any():
        return []
    found: list[frozenset[Wish]] = []
    ordered = sorted(masks)
    for size in range(1, min(MAX_CONFLICT, len(ordered)) + 1):
        for chosen in combinations(ordered, size):
            candidate = frozenset(chosen)
            if any(smaller <= candidate for smaller in found):
                continue
            if not np.logical_and.reduce([masks[wish] for wish in chosen]).any():
                found.append(candidate)
    return found


def _checked(conflicts: Sequence[frozenset[Wish]], wishes: Mapping[Wish, Mask | None]) -> list[frozenset[Wish]]:
    """Conflicts read from the offers, checked against today's catalog. The advice offers at most MAX_RELAXATIONS
    relaxations of at most MAX_RELAXATION_SIZE wishes, so a wish in every offer need not block alone ("without 5
    persons and ultralight", "without trekking and ultralight": ultralight for 5 is what nothing meets, not
    ultralight). One that some product meets gives way to the catalog's smallest sets of wishes that contain it."""
    masks = {wish: mask for wish, mask in wishes.items() if mask is not None}
    refuted = [
        conflict for conflict in conflicts
        if all(wish in masks for wish in conflict) and np.logical_and.reduce([masks[wish] for wish in conflict]).any()
    ]  # fmt: skip
    if not refuted:
        return list(conflicts)
    kept = [conflict for conflict in conflicts if conflict not in refuted]
    for found in _infeasible_sets(wishes):
        if any(conflict <= found for conflict in refuted) and not any(have <= found for have in kept):
            kept.append(found)
    return kept


def _settle(moment: _GapMoment, known: dict[frozenset[Wish], tuple[frozenset[Wish], ...]]) -> None:
    """A no-match's conflicts: from the relaxations offered then, else as before in the run for the same wishes
    (the advice logs an offer once per run), else from today's catalog, else from the relaxation taken (one of
    several offered: its wishes could each be the block)."""
    active = frozenset(moment.wishes)
    offers = [offer & active for offer in moment.offers if offer & active]
    if offers:
        moment.conflicts = tuple(_checked(_hitting_sets(offers), moment.wishes))
    elif active in known:
        moment.conflicts = known[active]
    else:
        moment.conflicts = tuple(_infeasible_sets(moment.wishes))
        if not moment.conflicts and moment.applied & active:
            moment.conflicts = tuple(_hitting_sets([moment.applied & active]))
    if moment.conflicts:
        known[active] = moment.conflicts


def not_in_stock(index: CategoryIndex | None, store: str | None) -> frozenset[str]:
    """The skus of the category's products the store has none of now: the catalog's stock as the recommender's
    `in_stock` reads it (a model with variants is in stock while any of its articles is). Empty without a store or
    an index (a report of every store)."""
    if index is None or store is None or index.size == 0:
        return frozenset()
    columns = index.variant_columns()
    stocked = columns.to_models(columns.in_stock(store))
    return frozenset(str(sku) for sku, has in zip(index.skus, stocked, strict=True) if not has)


def stock_marked(shown: str, sku: str, absent: frozenset[str], locale: str) -> str:
    """A product as listed, marked when the store has none of it now (`absent`, not_in_stock): "Rotwand 2 · hier
    nicht vorrätig"."""
    return f"{shown} · {text('report.not_here', locale)}" if sku in absent else shown


def _closest(
    moments: Sequence[_GapMoment],
    wishes: frozenset[Wish],
    index: CategoryIndex | None,
    names: Mapping[str, str],
    locale: str,
    questionnaire: Questionnaire | None = None,
    absent: frozenset[str] = frozenset(),
) -> tuple[str, ...]:
    """The products that meet all other wishes of the runs that met this conflict and miss only some of its
    wishes: those serving most runs first, then those missing fewest; both sides of a conflict are named in turn
    ("Hochjoch 2 (nicht Ultraleicht)", "Karwendel UL 2 (nicht Hochgebirge & Winter)"), each the store has none of
    now (`absent`, not_in_stock) marked so. A missed limit is said with the product's own value, even for a single
    wish ("Federleicht 55 (209,95 € statt bis 200 €)"); among products missing the same number of wishes, the one
    nearest the limit comes first (99,95 € before 399 € for "bis 60 €")."""
    if index is None or index.size == 0:
        return ()
    runs: dict[int, set[str]] = defaultdict(set)
    missing: dict[int, frozenset[Wish]] = {}
    asked: dict[tuple[int, Wish], list[float]] = defaultdict(list)  # the answers to a limit a product missed
    for moment in moments:
        if wishes not in moment.conflicts:
            continue
        masks = {wish: mask for wish, mask in moment.wishes.items() if mask is not None}
        if not all(wish in masks for wish in wishes):
            continue
        others = np.ones(index.size, dtype=bool)
        for wish, mask in masks.items():
            if wish not in wishes:
                others &= mask
        for i in np.flatnonzero(others):
            position = int(i)
            missed = frozenset(wish for wish in wishes if not masks[wish][position])
            for wish in missed:
                resolved = _resolved_limit(questionnaire, wish)
                if resolved and isinstance(answer := moment.answers.get(resolved[0].id), int | float):
                    asked[position, wish].append(float(answer))
            runs[position].add(moment.run)
            if position not in missing or len(missed) < len(missing[position]):
                missing[position] = missed

    def how_far(position: int) -> float:  # how far its missed limits are from the answers, relative to them
        return sum(_limit_miss(questionnaire, index, position, wish, asked)[1] for wish in missing[position])

    ranked = sorted(runs, key=lambda i: (-len(runs[i]), len(missing[i]), index.skus[i]))
    sides: dict[frozenset[Wish], list[int]] = {}
    for position in ranked:
        sides.setdefault(missing[position], []).append(position)
    for side in sides.values():  # within a side, the nearest first
        side.sort(key=lambda i: (-len(runs[i]), how_far(i), index.skus[i]))
    chosen: list[int] = []
    for misses in sorted({len(side) for side in sides}):  # those missing one wish before those missing two
        queues = [queue for side, queue in sides.items() if len(side) == misses]
        while len(chosen) < TOP_CLOSEST and any(queues):
            for queue in queues:
                if queue and len(chosen) < TOP_CLOSEST:
                    chosen.append(queue.pop(0))
    shown = []
    for position in chosen:
        name = names.get(index.skus[position], index.skus[position])
        said, plain = [], []
        for wish in sorted(missing[position]):
            if limit := _missed_limit(questionnaire, index, position, wish, asked, locale):
                said.append(limit)
            else:
                plain.append(wish.answer_label or wish.question)
        if said:  # "Federleicht 55 (nicht 55–60 cm; 209,95 € statt bis 200 €)"
            parts = [text("report.closest_not", locale, wishes=", ".join(plain))] if plain else []
            name = f"{name} ({'; '.join([*parts, *said])})"
        elif len(wishes) > 1 and plain:
            name = text("report.closest_misses", locale, product=name, wishes=", ".join(plain))
        shown.append(stock_marked(name, str(index.skus[position]), absent, locale))
    return tuple(shown)


def _missed_limit(
    questionnaire: Questionnaire | None,
    index: CategoryIndex,
    position: int,
    wish: Wish,
    asked: Mapping[tuple[int, Wish], Sequence[float]],
    locale: str,
) -> str:
    """A missed limit as what the product has against the most generous answer it missed ("209,95 € statt bis
    200 €"); "" for any other wish. The answer, not the band: a band holds several answers, and a product at 195 €
    that missed only a budget of 180 € must not read "195 € statt bis 200 €"."""
    found, _ = _limit_miss(questionnaire, index, position, wish, asked)
    if found is None:
        return ""
    step, side, answer, value = found
    loosest = limit_text(side, answer, step.unit, locale)
    if math.isnan(value):  # a product without the attribute passes no limit on it
        return text("report.closest_not", locale, wishes=loosest)
    return text("report.closest_instead", locale, value=amount(value, step.unit, locale), wish=loosest)


def _limit_miss(
    questionnaire: Questionnaire | None,
    index: CategoryIndex,
    position: int,
    wish: Wish,
    asked: Mapping[tuple[int, Wish], Sequence[float]],
) -> tuple[tuple[Step, str, float, float] | None, float]:
    """A missed limit's step, side, most generous answer missed and the product's value (NaN: it has none), with how
    far the value is from that answer relative to it (a product without the value: as far as can be); (None, 0.0)
    for any other wish."""
    limit = _resolved_limit(questionnaire, wish)
    answers = asked.get((position, wish))
    if limit is None or not answers:
        return None, 0.0
    step, attribute, side = limit
    answer = max(answers) if side == UPPER else min(answers)
    value = float(index.numbers(attribute)[position]) if index.kind(attribute) == "number" else math.nan
    far = math.inf if math.isnan(value) else abs(value - answer) / max(abs(answer), 1e-9)
    return (step, side, answer, value), far


def _resolved_limit(questionnaire: Questionnaire | None, wish: Wish) -> tuple[Step, str, str] | None:
    """(the step whose answer is the limit, the attribute, UPPER or LOWER) for a wish that is a limit: a number
    answer in limit bands (`price <= budget`), or an option whose requirement is a limit on another answer it is
    named with ("Ganz normal bei −20 °C": `temp_comfort_c <= lowest_temp`); None for any other wish."""
    step = _step(questionnaire, wish.step_id)
    if step is None or questionnaire is None:
        return None
    chosen, _, given = wish.answer.partition("@")
    if not given:
        bins = number_bins(step)
        limit = limit_of(step) if bins is not None and bins.limit else None
        return (step, *limit) if limit else None
    expressions = _requirements(step, chosen.split(","))
    for step_id in (key.partition("=")[0] for key in given.split(",")):
        found = {_limit_in(expression, step_id) for expression in expressions if step_id in expression.names}
        if len(found) == 1 and (limit := found.pop()) is not None:
            return questionnaire.step(step_id), *limit
    return None


def questionnaire_figures(
    questionnaire_id: str,
    events: Sequence[Event],
    questionnaire: Questionnaire | None,
    products: Sequence[tuple[str, str]],
    locale: str,
    *,
    index: CategoryIndex | None = None,
    store: str | None = None,
) -> QuestionnaireFigures:
    """The figures of one questionnaire from its events (in time order); `index` finds the closest products, and
    with `store` the products listed that the store has none of now are marked so."""
    runs: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        if event.run is not None:
            runs[event.run].append(event)
    started = {run for run, items in runs.items() if any(e.kind == "started" for e in items)}
    completed = {run for run in started if any(e.kind == "completed" for e in runs[run])}
    reached: Counter[str] = Counter()
    answered: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    distribution: dict[str, Counter[str]] = defaultdict(Counter)
    conflicts: Counter[frozenset[Wish]] = Counter()
    result_sets: list[set[frozenset[Wish]]] = []  # per run: the sets of wishes active when it saw results
    dropped_wishes: Counter[Wish] = Counter()
    recommended: Counter[str] = Counter()
    opened: Counter[str] = Counter()
    moments: list[_GapMoment] = []
    handoff_runs = withdrawn = gap_runs = all_requests = 0
    for run in sorted(started):
        items = runs[run]
        shown = [e.step_id for e in items if e.kind == "step_shown" and e.step_id]
        reached.update(set(shown))
        last_answers: dict[str, Any] = {}  # as the shopper answered
        current: dict[str, Any] = {}  # as the advice held them: with the relaxations the shopper took
        seen_products: set[str] = set()
        viewed: set[str] = set()
        run_results: set[frozenset[Wish]] = set()
        run_dropped: set[Wish] = set()
        run_moments: list[_GapMoment] = []
        open_moment: _GapMoment | None = None  # a no-match whose offered relaxations may follow
        requests = quick = 0
        for event in items:
            if event.kind in ("step_answered", "results_shown", "back"):
                open_moment = None
            if event.kind == "step_answered" and event.step_id:
                last_answers[event.step_id] = event.value
                if questionnaire is not None:
                    current = with_answer(questionnaire, current, event.step_id, event.value)
            elif event.kind == "results_shown":
                seen_products.update(str(sku) for sku in (event.value or []))
                if questionnaire is None:
                    continue
                nothing = event.number == 0
                active = wishes_at(questionnaire, current, locale, index if nothing else None)
                run_results.add(frozenset(active))
                if nothing:
                    open_moment = _GapMoment(run, active, dict(current))
                    run_moments.append(open_moment)
            elif event.kind == "relaxation_offered" and questionnaire is not None:
                if open_moment is not None:
                    open_moment.offers.append(_offer(questionnaire, event.value, current, locale))
            elif event.kind == "relaxation_applied" and questionnaire is not None:
                keys = [str(key) for key in (event.value if isinstance(event.value, list) else [event.value])]
                if open_moment is not None:  # one of the relaxations offered (also where offers were not logged)
                    open_moment.applied = _offer(questionnaire, keys, current, locale)
                    open_moment = None
                run_dropped.update(wish for key in keys if (wish := wish_of(questionnaire, key, current, locale)))
                current = relaxed(questionnaire, current, keys)
            elif event.kind == "product_viewed" and event.value:
                viewed.add(str(event.value))
            elif event.kind == "handoff_requested":
                requests += 1
            elif event.kind == "handoff_cancelled" and event.number is not None and event.number < WITHDRAWN_WITHIN_S:
                quick += 1
        known: dict[frozenset[Wish], tuple[frozenset[Wish], ...]] = {}
        for moment in run_moments:
            _settle(moment, known)
        conflicts.update({conflict for moment in run_moments for conflict in moment.conflicts})
        moments += run_moments
        result_sets.append(run_results)
        dropped_wishes.update(run_dropped)
        gap_runs += any(e.kind == "results_shown" and e.number == 0 for e in items)
        quick = min(quick, requests)
        withdrawn += quick
        all_requests += requests
        handoff_runs += requests > quick
        answered.update(last_answers.keys())
        for step_id, value in last_answers.items():
            for key in answer_keys(_step(questionnaire, step_id), value):
                distribution[step_id][key] += 1
        recommended.update(seen_products)
        opened.update(seen_products & viewed)
        if run not in completed and shown:
            dropped[shown[-1]] += 1
    names = dict(products)
    absent = not_in_stock(index, store)
    steps = tuple(
        StepFigures(
            step_id=step_id,
            question=step_question(questionnaire, step_id, locale),
            reached=reached[step_id],
            answered=answered[step_id],
            dropped=dropped[step_id],
            answers=_ordered(_step(questionnaire, step_id), distribution[step_id], locale),
        )  # fmt: skip
        for step_id in sorted(reached, key=lambda step_id: _order(questionnaire, step_id))
    )
    ranked = sorted(conflicts.items(), key=lambda item: (-item[1], len(item[0]), sorted(item[0])))
    found = [
        Gap(
            tuple(sorted(wishes)),
            count,
            sum(any(wishes <= seen for seen in sets) for sets in result_sets),
            _closest(moments, wishes, index, names, locale, questionnaire, absent),
        )  # fmt: skip
        for wishes, count in ranked[:TOP_GAPS]  # (the table shows at most TOP_GAPS of both kinds together)
    ]
    versions = {event.questionnaire_version for event in events if event.questionnaire_version}
    current_version = questionnaire.version if questionnaire is not None else ""
    changed = "during" if len(versions) > 1 else "since" if current_version and versions - {current_version} else ""
    waits = tuple(float(e.number) for e in events if e.kind == "handoff_claimed" and e.number is not None)
    return QuestionnaireFigures(
        questionnaire_id=questionnaire_id,
        title=pick(questionnaire.title, locale) if questionnaire else questionnaire_id,
        started=len(started),
        completed=len(completed),
        steps=steps,
        gap_runs=gap_runs,
        gaps=tuple(gap for gap in found if len(gap.wishes) == 1),
        gap_pairs=tuple(gap for gap in found if len(gap.wishes) > 1),
        dropped_wishes=tuple(sorted(dropped_wishes.items(), key=lambda item: (-item[1], item[0])))[:TOP_WISHES],
        most_recommended=tuple(
            (stock_marked(names.get(sku, sku), sku, absent, locale), sku, count, opened[sku])
            for sku, count in sorted(recommended.items(), key=lambda item: (-item[1], item[0]))[:TOP_PRODUCTS]
        ),
        never_recommended=tuple((name, sku) for sku, name in products if sku not in recommended),
        recommended_absent=tuple(
            (names.get(sku, sku), sku, count)
            for sku, count in sorted(recommended.items(), key=lambda item: (-item[1], item[0]))
            if sku in absent
        ),
        handoff_runs=handoff_runs,
        withdrawn=withdrawn,
        waits=waits,
        rating=_rating(events, "advice"),
        contact_rating=_rating(events, "contact"),
        versions=len(versions),
        changed=changed,
        requests=all_requests,
    )


def changed_text(figures: QuestionnaireFigures, locale: str) -> str:
    """The line saying the questionnaire changed during the period (or since), for the report and the console
    alike; "" when it did not."""
    if not figures.changed:
        return ""
    return text(f"report.changed_{figures.changed}", locale, count=number(figures.versions, locale))


def _offer(questionnaire: Questionnaire, value: Any, answers: Mapping[str, Any], locale: str) -> frozenset[Wish]:
    """A logged relaxation (its constraint keys) as the wishes it drops."""
    keys = value if isinstance(value, list | tuple) else [value]
    return frozenset(wish for key in keys if (wish := wish_of(questionnaire, str(key), answers, locale)))


def _order(questionnaire: Questionnaire | None, step_id: str) -> tuple[int, str]:
    if questionnaire is None:
        return (0, step_id)
    return (questionnaire.positions.get(step_id, len(questionnaire.steps)), step_id)


# ---------------------------------------------------------------------------------------------------------
# Headlines and the period before

# key, kind, whether more is better (None: no judgement)
HEADLINES: tuple[tuple[str, str, bool | None], ...] = (
    ("started", "count", True),
    ("results", "share", True),
    ("nothing_fits", "share", False),
    ("handoff", "share", None),
    ("top_grade", "share", True),
    ("median_wait", "seconds", False),
)


def _value_and_base(figures: QuestionnaireFigures, key: str) -> tuple[float | None, int]:
    """A headline's value (None when its base is empty) and its base."""
    bases = {
        "started": (float(figures.started), figures.started),
        "results": (figures.completion_rate, figures.started),
        "nothing_fits": (figures.gap_rate, figures.completed),
        "handoff": (figures.handoff_rate, figures.started),
        "top_grade": (figures.rating.top_share, figures.rating.total),
        "median_wait": (figures.median_wait, len(figures.waits)),
    }
    value, base = bases[key]
    return (value if base or key == "started" else None), base


def headlines(
    figures: QuestionnaireFigures, previous: QuestionnaireFigures | None, locale: str
) -> tuple[Headline, ...]:
    """The headline figures with their bases, and with the period before when there is one."""
    found = []
    for key, kind, more_is_better in HEADLINES:
        value, base = _value_and_base(figures, key)
        if value is None:
            shown = "–"
        elif kind == "share":
            shown = percent(value, locale)
        elif kind == "seconds":
            shown = seconds(value, locale)
        else:
            shown = number(value, locale)
        base_key = {"results": "started", "handoff": "started", "nothing_fits": "results",
                    "top_grade": "ratings", "median_wait": "claims"}.get(key)  # fmt: skip
        base_text = counted(f"report.base.{base_key}", base, locale) if base_key else ""
        before, better = "", None
        if previous is not None:
            old, _ = _value_and_base(previous, key)
            if old is None:
                before = text("report.previous", locale, value="–")
            else:
                old_shown = (
                    percent(old, locale) if kind == "share" else seconds(old, locale) if kind == "seconds"
                    else number(old, locale)
                )  # fmt: skip
                change = f" ({_change(value, old, kind, locale)})" if value is not None else ""
                before = text("report.previous", locale, value=old_shown) + change
                if value is not None and more_is_better is not None and round(value, 3) != round(old, 3):
                    better = (value > old) == more_is_better
        found.append(Headline(key, text(f"report.headline.{key}", locale), value, shown, base_text, before, better))
    return tuple(found)


def previous_period(start: datetime, end: datetime, zone: tzinfo = UTC) -> tuple[datetime, datetime]:
    """The period of the same length before [start, end), counted on the store's clock: a period across a clock
    change is compared with as many days before it, starting at the same time of day. It ends where [start, end)
    begins, except for whole days up to now, which are compared with the same days before up to the same hour."""
    first, last = (_utc(moment).astimezone(zone) for moment in (start, end))
    if _at_midnight(start, zone) and not _at_midnight(end, zone):
        # Whole days up to now ("the last 7 days", today so far): the same days before, up to the same time of day,
        # so counts compare like with like and the days shown do not overlap.
        days = timedelta(days=(last.date() - first.date()).days + 1)
        return (first - days).astimezone(UTC), (last - days).astimezone(UTC)
    return (first - (last - first)).astimezone(UTC), start  # one zone: the difference is on the wall clock


def build_report(
    events: Iterable[Event],
    questionnaires: Mapping[str, Questionnaire],
    products_by_category: Mapping[str, Sequence[tuple[str, str]]],
    *,
    locale: str = "de",
    start: datetime | None = None,
    end: datetime | None = None,
    comments: Sequence[Mapping[str, Any]] = (),
    previous: Iterable[Event] | None = None,
    index_for: IndexFor | None = None,
    zone: tzinfo = UTC,
    service_flows: Mapping[str, Questionnaire] | None = None,
    families: Mapping[str, str] | None = None,
    late: Iterable[Event] = (),
    previous_late: Iterable[Event] = (),
    stock_of: str | None = None,
) -> Report:
    """All figures for the period: one block per questionnaire that has events (or is offered).

    `previous`: the events of the period of the same length before (`previous_period`), for the comparison;
    `index_for`: a questionnaire's catalog index, to name the products closest to an assortment gap;
    `service_flows`: the service flows offered, by id (library.service_flows): to name their problems, and kept out
    of the finders' blocks;
    `families`: each category's name in the locale ("Zelte"), for the service section;
    `late`, `previous_late`: the events logged after the period's (the period before's) end of the finders' runs
    started in it (`late_events`), so that a run that reached its results after the end counts with them;
    `stock_of`: the store whose stock now marks the products listed that it has none of (None: none marked).
    """
    events = list(events)
    flows = dict(service_flows or {})
    service = service_figures(events, flows)
    section = service_section(service, flows, products_by_category, locale, families=families)
    # Service runs are counted apart: they end in outcomes, not in the products the funnels are about (a service
    # run that stopped before its outcomes logged none: it is known by its flow).
    service_ids = {event.questionnaire_id for event in events if event.kind == SERVICE_OUTCOMES} | set(flows)
    by_questionnaire = _by_questionnaire(event for event in events if event.questionnaire_id not in service_ids)
    before = _by_questionnaire(previous) if previous is not None else None
    after = _by_questionnaire(event for event in late if event.questionnaire_id not in service_ids)
    before_after = _by_questionnaire(event for event in previous_late if event.questionnaire_id not in service_ids)
    count = len(events)
    ids = sorted(set(by_questionnaire) | (set(questionnaires) - set(flows)))
    figures = []
    for questionnaire_id in ids:
        questionnaire = questionnaires.get(questionnaire_id)
        products = products_by_category.get(questionnaire.category, ()) if questionnaire else ()
        index = index_for(questionnaire) if index_for and questionnaire else None
        current = questionnaire_figures(
            questionnaire_id, by_questionnaire.get(questionnaire_id, []) + after.get(questionnaire_id, []),
            questionnaire, products, locale, index=index, store=stock_of,
        )  # fmt: skip
        earlier_events = before.get(questionnaire_id, []) + before_after.get(questionnaire_id, []) if before else []
        earlier = (
            questionnaire_figures(questionnaire_id, earlier_events, questionnaire, products, locale)
            if before is not None
            else None
        )
        figures.append(replace(current, headlines=headlines(current, earlier, locale)))
    previous_start, previous_end = (
        previous_period(start, end, zone) if before is not None and start and end else (None, None)
    )
    titles = {qid: pick(q.title, locale) for qid, q in {**questionnaires, **flows}.items()}
    dated = tuple(_comment(comment, titles, locale, zone) for comment in comments)
    return Report(
        start, end, locale, count, tuple(figures), dated, previous_start, previous_end, zone,
        service=service, service_section=section,
    )  # fmt: skip


def _comment(comment: Mapping[str, Any], titles: Mapping[str, str], locale: str, zone: tzinfo) -> dict[str, Any]:
    """A feedback comment with what the report shows of it: `day`, the day it was left on the store's clock as the
    locale writes days ("01.11.2026", "1 Nov 2026"), and `title`, its questionnaire's title (its id when the
    questionnaire is no longer offered)."""
    at = comment.get("at")
    day = day_text(_utc(at).astimezone(zone).date(), locale, weekday=None, year=True) if at else ""
    questionnaire_id = str(comment.get("questionnaire_id") or "")
    return {**comment, "day": day, "title": titles.get(questionnaire_id, questionnaire_id)}


def read_report(
    engine: Engine,
    *,
    questionnaires: Mapping[str, Questionnaire],
    products_by_category: Mapping[str, Sequence[tuple[str, str]]],
    locale: str,
    start: datetime | None = None,
    end: datetime | None = None,
    index_for: IndexFor | None = None,
    now: datetime | None = None,
    zone: tzinfo = UTC,
    service_flows: Mapping[str, Questionnaire] | None = None,
    families: Mapping[str, str] | None = None,
    store: str | None = None,
) -> Report:
    """The report of a period from the event log (`advisor report` and the console's Insights alike).

    A period with a beginning is compared with the period of the same length before it; without an end it runs
    up to `now`. `store`: count that store's events and appointments only ([store] id), or every store's
    (ALL_STORES), and say which in the heading (`Report.period`); None counts every store's without saying so.
    Feedback comments carry no store: a store's report shows every store's (and says so). A store's report marks
    the products it lists that the store has none of now (with `index_for`); a report of every store marks none.
    """
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    if start is not None and start > moment:  # nothing to count yet, and no "before" that holds today's data
        return Report(start, end, locale, 0, (), zone=zone, not_begun=moment, store=store)

    def of_store(events: Iterable[Event]) -> Iterable[Event]:
        return events if store in (None, ALL_STORES) else (event for event in events if event.store_id == store)

    asked_end = None
    if end is not None and end > moment:  # a period that ends in the future is counted, and compared, up to now
        asked_end, end = end, moment
    if start is not None:
        end = end or moment
    before = previous_period(start, end, zone) if start and end else None
    previous = list(of_store(read_events(engine, start=before[0], end=before[1]))) if before else None
    events = list(of_store(read_events(engine, start=start, end=end)))
    # Runs started in the period are followed up to LATE_OUTCOME after its end, not beyond now; those of the period
    # before just as long, so both are compared alike (a period up to now follows none beyond its end).
    follow = max(timedelta(0), min(LATE_OUTCOME, moment - end)) if end else timedelta(0)
    report = build_report(
        events, questionnaires, products_by_category, locale=locale,
        start=start, end=end, comments=read_comments(engine, start=start, end=end), previous=previous,
        index_for=index_for, zone=zone, service_flows=service_flows, families=families,
        late=of_store(late_events(engine, events, end, follow)) if end else (),
        previous_late=of_store(late_events(engine, previous, before[1], follow)) if before and previous else (),
        stock_of=None if store == ALL_STORES else store,
    )  # fmt: skip
    appointments = read_appointment_figures(engine, start=start, end=end, now=now, store=store)
    return replace(report, appointments=appointments, until_now=asked_end, store=store)


def late_events(engine: Engine, events: Sequence[Event], end: datetime, follow: timedelta) -> list[Event]:
    """The events of the runs started among `events` (a period's, up to `end`) that were logged within `follow`
    (at most LATE_OUTCOME) after `end`: a run started shortly before the end that reached its results after it
    counts with them, not as stopped at its last question. Handoff events stay in the period they were logged in
    (a claim carries no run, so it cannot be followed): the later events count only toward the run's own figures."""
    runs = {event.run for event in events if event.kind == "started" and event.run is not None}
    if follow <= timedelta(0) or not runs:
        return []
    later = read_events(engine, start=end, end=end + follow)
    return [event for event in later if event.run in runs and event.kind not in HANDOFF_KINDS]


def _by_questionnaire(events: Iterable[Event]) -> dict[str, list[Event]]:
    grouped: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        grouped[event.questionnaire_id].append(event)
    return grouped
