"""A service run's repair order: what the shopper answered and tried goes with the product to the workshop.

The kiosk, the phone and the console call this one function, so an order says the same wherever it was made.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine

from advisor.i18n import pick
from advisor.questionnaire.model import Questionnaire
from advisor.recommend.index import CatalogIndex, CategoryIndex
from advisor.rendering.facts import variant_name
from advisor.rendering.service import located
from advisor.rendering.summary import answer_lines
from advisor.repairs.orders import Order, create_order, pickup_codes
from advisor.service.find import Found, of_session
from advisor.service.outcomes import Applied
from advisor.service.warranty import STATUTORY
from advisor.session.service import AdviceSession, SessionError, plain_answers
from advisor.session.store import Record, load

DEFAULT_DAYS = 14  # a repair outcome that names no turnaround
ADVISED = 12  # the products of an earlier advice offered at most (what a help flow's "from a code" shows)


def problem_text(session: AdviceSession, locale: str | None = None) -> str:
    """The problem as the shopper chose it: the labels of the problem step's answer, else the flow's title (in
    `locale`, else the shopper's language)."""
    locale = locale or session.locale
    flow = session.questionnaire
    step_id = flow.problem_step
    answer = session.state.answers.get(step_id) if step_id else None
    chosen = answer if isinstance(answer, tuple | list) else (answer,)
    if step_id is not None:
        step = flow.step(step_id)
        labels = [pick(option.label, locale) for option in step.options if option.id in chosen]
        if labels:
            return ", ".join(labels)
    return pick(flow.title, locale)


def repair_request(
    session: AdviceSession,
    outcome_id: str,
    *,
    store_id: str,
    variant_sku: str | None = None,
    tried: Sequence[str] = (),
    consent: bool = False,
    name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    staff: str | None = None,
    workshop_locale: str | None = None,
) -> dict[str, Any]:
    """What `create_order` is called with for the repair outcome `outcome_id` (it must be one shown now): worked
    out where the session lives (the GUI thread), so only the write goes to a worker. The problem and the guides
    `tried` (their ids, of those shown now) are written in `workshop_locale` (the store's language: staff read them;
    else the shopper's), the mail to the shopper in theirs.

    SessionError when the run names no product or the outcome is no repair shown now.
    """
    if not session.product:
        raise SessionError("a repair order needs the shopper's product")
    shown = {item.id: item for item in session.outcomes()}
    applied = shown.get(outcome_id)
    if applied is None or applied.outcome.repair is None:
        raise SessionError(f"no repair {outcome_id!r} is offered for these answers")
    repair = applied.outcome.repair
    cost = None
    if repair.cost_min is not None and repair.cost_max is not None:
        cost = (round(repair.cost_min * 100), round(repair.cost_max * 100))
    said = workshop_locale or session.locale
    problem = f"{problem_text(session, said)} – {pick(applied.outcome.title, said)}"
    guides = {item.id: pick(item.outcome.title, said) for item in shown.values()}
    return {
        "store_id": store_id, "product_sku": session.product, "variant_sku": variant_sku, "problem": problem[:2000],
        "answers": plain_answers(session.state.answers), "tried": [guides[guide] for guide in tried if guide in guides],
        "turnaround_days": repair.days if repair.days is not None else DEFAULT_DAYS, "cost_cents": cost,
        "consent": consent, "contact_name": name, "contact_email": email, "contact_phone": phone,
        "locale": session.locale, "address": session.address, "staff": staff,
        "received": staff is not None,  # ordered by the shopper: registered until the product is handed in
        "request": request_key(session.run, outcome_id, session.product) if session.run else None,
        "questionnaire_id": session.questionnaire.id, "warranty": warranty_may_apply(shown.values()),
    }  # fmt: skip


def warranty_may_apply(outcomes: Iterable[Applied]) -> bool:
    """Whether the outcomes shown say the statutory warranty (Gewährleistung) may apply (the warranty card's rule:
    bought within its 2 years), so the repair order asks for the receipt and may cost nothing."""
    return any(note.basis == STATUTORY for item in outcomes for note in item.warranty)


def request_key(run: str, outcome_id: str, product: str) -> str:
    """What makes a repair ordered again one order: the advice run, the repair and the product. Sent twice (a double
    tap, Back) it stays one; for another product (the shopper named a second tent) it is an order of its own, not
    the first one's under a product the workshop would not expect. Within the 80 characters the order keeps."""
    key = f"{run}:{outcome_id}:{product}"
    return key if len(key) <= 80 else f"{run[:40]}:{hashlib.sha256(key.encode()).hexdigest()[:32]}"


def request_key_prefixes(run: str) -> tuple[str, ...]:
    """How the request keys of the repairs an advice run orders begin (`request_key`): with the run, or with its
    first 40 characters where the key had to be cut."""
    return tuple(dict.fromkeys((f"{run}:", f"{run[:40]}:")))


def run_of_request_key(key: str) -> str:
    """The advice run a request key names (`request_key`): the run, or its first 40 characters for a cut key."""
    return key.partition(":")[0]


def repairs_ordered(engine: Engine, session: AdviceSession, outcome_ids: Sequence[str]) -> dict[str, str]:
    """The repairs among `outcome_ids` this advice has already ordered for its product, and not handed in yet: the
    pickup code of each, by outcome (ordering one again brings that order up to date, under the same code)."""
    if not session.run or not session.product:
        return {}
    keys = {request_key(session.run, outcome_id, session.product): outcome_id for outcome_id in outcome_ids}
    return {keys[key]: code for key, code in pickup_codes(engine, list(keys)).items() if key in keys}


def order_repair(engine: Engine, session: AdviceSession, outcome_id: str, **options: Any) -> Order:
    """Take the shopper's product in for the repair outcome `outcome_id` (options as `repair_request` takes them).

    SessionError as `repair_request` says; RepairError (from the order) for a contact that does not fit.
    """
    return create_order(engine, **repair_request(session, outcome_id, **options))


@dataclass(frozen=True)
class WorkshopView:
    """What the workshop reads of a repair order beside its problem: the article (what sets the shopper's variant
    apart, and its SKU) and each question of the service flow with the shopper's answer."""

    article: str | None
    answers: tuple[tuple[str, str], ...]


def workshop_view(
    order: Order, *, questionnaires: Mapping[str, Questionnaire], catalog: CatalogIndex | None, locale: str
) -> WorkshopView:
    """An order's article and answers in `locale` (the staff member's). An article the catalog no longer has shows
    its SKU; answers of a flow that is gone (or changed) show as they were stored, step by step."""
    article = None
    if order.variant_sku:
        found = located(catalog, order.product_sku)
        named = variant_name(found[1], order.variant_sku, locale, found[0]) if found is not None else None
        article = f"{named} · {order.variant_sku}" if named else order.variant_sku
    flow = questionnaires.get(order.questionnaire_id or "")
    if flow is not None and set(order.answers) <= {step.id for step in flow.steps}:
        answers = answer_lines(flow, order.answers, locale)
    else:
        answers = tuple((step_id, _stored(value)) for step_id, value in order.answers.items())
    return WorkshopView(article, answers)


def _stored(value: object) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)


def of_advice(
    index: CategoryIndex, record: Record, questionnaires: Mapping[str, Questionnaire], *, limit: int = ADVISED
) -> list[Found]:
    """The products of an earlier advice (by its resume code) a shopper may have bought, in this category: its
    product, those opened (newest first) and compared, then what it recommended as the shopper saw it (the top
    pick, then the shortlist); each once, at most `limit`. One rule for the kiosk and the web."""
    snapshot = record.snapshot
    skus = [snapshot.product, *reversed(snapshot.viewed), *snapshot.compared]
    skus += recommended(index, record, questionnaires)
    return of_session(index, [sku for sku in skus if sku])[:limit]


def recommended(index: CategoryIndex, record: Record, questionnaires: Mapping[str, Questionnaire]) -> list[str]:
    """The skus an earlier advice showed at its results (top pick first), worked out again for its answers and
    critiques at the store it was made in; none when it is a finder of another category (or not offered here any
    more), a service run, or was left before its results."""
    questionnaire = questionnaires.get(record.snapshot.questionnaire_id)
    if questionnaire is None or questionnaire.is_service or questionnaire.category != index.category.id:
        return []
    try:
        advice = load(record, questionnaires, index_for=lambda _: index)
        if not advice.complete:
            return []
        return [item.sku for item in advice.recommendation(log=False).products]
    except SessionError:
        return []
