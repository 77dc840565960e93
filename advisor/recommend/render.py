"""Recommendations as plain data (JSON for `advisor recommend`, the web API and the shells)."""

from __future__ import annotations

from typing import Any

from advisor.engine import SessionState
from advisor.i18n import pick
from advisor.questionnaire.model import Questionnaire
from advisor.recommend.core import Recommendation, WhyNot


def recommendation_json(
    questionnaire: Questionnaire, state: SessionState, result: Recommendation, locale: str
) -> dict[str, Any]:
    """The documented JSON shape: count, products with reasons and trade-offs, relaxations, critiques."""
    return {
        "questionnaire": questionnaire.id,
        "locale": locale,
        "answers": {key: list(value) if isinstance(value, tuple) else value for key, value in state.answers.items()},
        "count": result.count,
        "products": [
            {
                "sku": item.sku,
                "name": pick(item.product.name, locale),
                "price": item.product.price,
                "currency": item.product.currency,
                "score": item.score,
                "reasons": [_plain(reason.text) for reason in item.reasons],
                "tradeoffs": [_plain(tradeoff.text) for tradeoff in item.tradeoffs],
                "facts": [_plain(fact) for fact in item.facts],
            }
            for item in result.products
        ],
        "relaxations": [
            {
                "drop": list(relaxation.labels),
                "keys": list(relaxation.drop),
                "count": relaxation.count,
                "text": _plain(relaxation.text),
            }
            for relaxation in result.relaxations
        ],  # fmt: skip
        "critiques": [
            {
                "key": critique.key,  # what POST /api/v1/session/critiques takes
                "attribute": critique.attribute,
                "direction": critique.direction,
                "reference": critique.reference,
                "count": critique.count,
                "label": _plain(critique.label),
            }
            for critique in result.critiques
        ],  # fmt: skip
    }


def why_not_json(result: WhyNot) -> dict[str, Any]:
    return {
        "sku": result.sku,
        "breaks": list(result.labels),
        "changes": [
            {"step": step, "answer": list(answer) if isinstance(answer, tuple) else answer}
            for step, answer in result.changes
        ],
        "text": [_plain(line) for line in result.text],
    }


def _plain(text: str) -> str:
    """A text for another program: without the word joiners that keep a unit whole on a screen's line ("g/m²/24h",
    core.unbreakable), which a program comparing or searching the text would trip over; no-break spaces stay."""
    return text.replace("\u2060", "")
