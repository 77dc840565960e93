"""A repair ordered from a service flow whose warranty card says the statutory warranty may apply carries that on
the order (the workshop and the shopper are told to bring the receipt, the cost may be nothing); bought too long ago,
it does not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from advisor.bootstrap import open_database
from advisor.repairs.words import cost_line
from advisor.session.help import order_repair
from advisor.session.service import AdviceSession
from tests.helpers.service import merged_catalog, shipped_flow

CATALOG = merged_catalog()


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = open_database(f"sqlite:///{tmp_path / 'repairs.sqlite3'}")
    yield engine
    engine.dispose()


def broken_pole(months: int) -> AdviceSession:
    session = AdviceSession.start(shipped_flow("tent-help.yaml"), index=CATALOG.categories["tents"], locale="de")
    session.catalog = CATALOG
    session.store_id = "muc-01"
    session.set_product("NG-TENT-0003")
    for step_id, value in {"problem": "pole", "pole_damage": "broken", "bought_months": months}.items():
        session.answer(step_id, value)
    return session


@pytest.mark.parametrize(("months", "flagged"), [(14, True), (30, False)])
def test_the_warranty_cards_rule_decides_whether_the_order_carries_it(
    engine: Engine, months: int, flagged: bool
) -> None:
    session = broken_pole(months)
    card = next(item for item in session.outcomes() if item.kind == "warranty")
    assert ("noch etwa 10 Monate" in card.warranty[0].say("de")) == flagged
    order = order_repair(engine, session, "pole-repair", store_id="muc-01", staff="anna")
    assert order.warranty == flagged and order.cost_cents == (1500, 4000)
    expected = "kostenlos, falls Gewährleistung greift; sonst 15–40 €" if flagged else "15–40 €"
    assert cost_line(order.cost_cents, "de", warranty=order.warranty) == expected
    assert order.answers["bought_months"] == months, "the answers stay as the workshop reads them"
