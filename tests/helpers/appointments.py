"""A store that books tent appointments: its configuration, consultants with shifts, and products in stock."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Engine

from advisor.appointments import staff
from advisor.catalog.model import Category, Product, Stock, Store, Variant
from advisor.config import Config
from advisor.handoff.model import StaffMember

ZONE = "Europe/Berlin"


def store_config(**appointments: Any) -> Config:
    """Munich, open Monday to Saturday 09:30-20:00, Christmas Eve until 14:00 and closed at Christmas; tents booked
    for 20 minutes plus 10 minutes buffer, slots every 15 minutes."""
    settings = {"step_minutes": 15, "kinds": {"tents": {"length_minutes": 20, "buffer_minutes": 10}}} | appointments
    return Config.model_validate(
        {
            "store": {"timezone": ZONE, "holidays": {"2026-12-24": "09:30-14:00", "2026-12-25": "closed"}},
            "appointments": settings,
        }
    )


def add_consultants(
    engine: Engine, names: Sequence[str] = ("anna",), *, span: tuple[int, int] = (9 * 60 + 30, 20 * 60)
) -> None:
    """Tent consultants working every day of the week in `span` (minutes since midnight)."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with engine.begin() as connection:
        connection.execute(
            StaffMember.__table__.insert(),  # type: ignore[attr-defined]
            [{"name": name, "pin_hash": "scrypt$00$00", "created_at": now} for name in names],
        )
    for name in names:
        staff.set_skills(engine, staff_name=name, categories=["tents"])
        for weekday in range(7):
            staff.set_shift(engine, staff_name=name, weekday=weekday, span=span)


def add_stock(
    engine: Engine, stock: Mapping[str, int], store_id: str = "muc-01", *, names: Mapping[str, str] | None = None,
    location: tuple[str, str] = ("1. OG", "1st floor"),
) -> None:  # fmt: skip
    """Tents in the store, SKU -> quantity, on the first floor (or at `location`, German and English); named by
    SKU unless `names` says otherwise."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    empty: dict[str, Any] = {}
    with engine.begin() as connection:
        connection.execute(Store.__table__.insert().values(id=store_id, name_de="München", name_en="Munich"))  # type: ignore[attr-defined]
        connection.execute(Category.__table__.insert().values(id="tents", label_de="Zelte", label_en="Tents"))  # type: ignore[attr-defined]
        for sku, quantity in stock.items():
            connection.execute(
                Product.__table__.insert().values(  # type: ignore[attr-defined]
                    sku=sku, category_id="tents", brand="Nordgrat", name_de=(names or {}).get(sku, sku),
                    name_en=(names or {}).get(sku, sku), description_de="", description_en="", price_cents=29995,
                    currency="EUR", attributes=empty, care=empty, repair=empty, sustainability=empty, updated_at=now,
                )
            )  # fmt: skip
            connection.execute(Variant.__table__.insert().values(sku=sku, model_sku=sku, position=0, options={}))  # type: ignore[attr-defined]
            connection.execute(
                Stock.__table__.insert().values(  # type: ignore[attr-defined]
                    sku=sku, store_id=store_id, quantity=quantity, location_de=location[0], location_en=location[1]
                )
            )
