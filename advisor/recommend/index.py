"""The in-memory catalog index: one columnar table per category, built once per catalog version.

Requirements and preferences are evaluated over these arrays (numpy), never by a database query per
answer. Number, integer and boolean attributes are float64 columns (NaN where missing); enums are small
integer codes; sets are bit masks (one bit per allowed value).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import orjson
from numpy.typing import NDArray

from advisor.catalog.dictionary import PRICE, CategorySpec
from advisor.memory import bulk_allocation

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

Mask = NDArray[np.bool_]


@dataclass(frozen=True)
class ProductInfo:
    """What is shown of a product: texts, facts and stock; the attributes as typed values."""

    sku: str
    brand: str
    name: Mapping[str, str]
    description: Mapping[str, str]
    price: float
    currency: str
    image: str | None
    attributes: Mapping[str, Any]
    care: Mapping[str, Any]
    repair: Mapping[str, Any]
    sustainability: Mapping[str, Any]
    stock: Mapping[str, tuple[int, Mapping[str, str]]] = field(default_factory=dict)

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> ProductInfo:
        """A product from a record in the import format, without a database (tests and benchmarks)."""
        return cls(
            sku=record["sku"],
            brand=record["brand"],
            name=record["name"],
            description=record.get("description", {}),
            price=float(record["price"]),
            currency=record.get("currency", "EUR"),
            image=record.get("image"),
            attributes=record.get("attributes", {}),
            care=record.get("care", {}),
            repair=record.get("repair", {}),
            sustainability=record.get("sustainability", {}),
            stock={s["store"]: (s.get("quantity", 0), s.get("location", {})) for s in record.get("stock", [])},
        )


class CategoryIndex:
    """One category's products as columns (implements expressions.Columns)."""

    def __init__(self, category: CategorySpec, products: Sequence[ProductInfo]) -> None:
        self.category = category
        self.products = list(products)
        self.size = len(self.products)
        self.skus = np.array([product.sku for product in self.products], dtype=object)
        self.position = {product.sku: i for i, product in enumerate(self.products)}
        self._numbers: dict[str, NDArray[np.float64]] = {
            PRICE: np.array([product.price for product in self.products], dtype=np.float64)
        }
        self._codes: dict[str, tuple[NDArray[np.int16], dict[str, int]]] = {}
        self._bits: dict[str, tuple[NDArray[np.int64], dict[str, int]]] = {}
        self._texts: dict[str, NDArray[Any]] = {}
        self._present: dict[str, Mask] = {PRICE: np.ones(self.size, dtype=bool)}
        for name, spec in category.attributes.items():
            values = [product.attributes.get(name) for product in self.products]
            self._present[name] = np.array([value is not None for value in values], dtype=bool)
            if spec.type in ("number", "integer", "boolean"):
                self._numbers[name] = np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)
            elif spec.type == "enum":
                codes = {value: i for i, value in enumerate(spec.values or ())}
                self._codes[name] = (np.array([codes.get(str(v), -1) for v in values], dtype=np.int16), codes)
            elif spec.type == "set":
                bits = {value: 1 << i for i, value in enumerate(spec.values or ())}
                masks = [sum(bits.get(item, 0) for item in v) if v else 0 for v in values]
                self._bits[name] = (np.array(masks, dtype=np.int64), bits)
            else:
                self._texts[name] = np.array(values, dtype=object)

    def kind(self, name: str) -> str | None:
        if name == PRICE:
            return "number"
        spec = self.category.attributes.get(name)
        if spec is None:
            return None
        return "number" if spec.type == "integer" else spec.type

    def numbers(self, name: str) -> NDArray[np.float64]:
        return self._numbers[name]

    def equals(self, name: str, value: str) -> Mask:
        if name in self._codes:
            codes, lookup = self._codes[name]
            code = lookup.get(value)
            return np.zeros(self.size, dtype=bool) if code is None else codes == code
        return np.asarray(self._texts[name] == value, dtype=bool)

    def contains(self, name: str, value: str) -> Mask:
        masks, bits = self._bits[name]
        bit = bits.get(value)
        return np.zeros(self.size, dtype=bool) if bit is None else (masks & bit) != 0

    def present(self, name: str) -> Mask:
        return self._present[name]

    def value(self, name: str, index: int) -> Any:
        if name == PRICE:
            return self.products[index].price
        return self.products[index].attributes.get(name)


@dataclass(frozen=True)
class CatalogIndex:
    """Every category's index, for one catalog version."""

    version: int
    categories: Mapping[str, CategoryIndex]


def build_index(engine: Engine) -> CatalogIndex:
    """Read the whole catalog once and build the columnar indexes."""
    with bulk_allocation():
        return _build_index(engine)


def _build_index(engine: Engine) -> CatalogIndex:
    # SQLAlchemy is loaded here, not with the module: `advisor check` from a snapshot never needs it.
    import sqlalchemy as sa

    from advisor.catalog.reads import PRODUCT, STOCK, catalog_version, load_dictionary

    version = catalog_version(engine)
    dictionary = load_dictionary(engine)
    stock: dict[str, dict[str, tuple[int, Mapping[str, str]]]] = {}
    by_category: dict[str, list[ProductInfo]] = {category: [] for category in dictionary.categories}
    loads = orjson.loads
    with engine.connect() as connection:
        for sku, store, quantity, location_de, location_en in connection.execute(
            sa.select(STOCK.c.sku, STOCK.c.store_id, STOCK.c.quantity, STOCK.c.location_de, STOCK.c.location_en)
        ):
            stock.setdefault(sku, {})[store] = (quantity, {"de": location_de, "en": location_en})
        # Raw JSON text through orjson: several times faster than the ORM's per-row JSON decoding.
        columns = [
            PRODUCT.c[name]
            for name in ("sku", "category_id", "brand", "name_de", "name_en", "description_de", "description_en",
                         "price_cents", "currency", "image")
        ]  # fmt: skip
        json_columns = [
            sa.cast(PRODUCT.c[name], sa.Text) for name in ("attributes", "care", "repair", "sustainability")
        ]
        for row in connection.execute(sa.select(*columns, *json_columns).order_by(PRODUCT.c.sku)):
            (sku, category, brand, name_de, name_en, description_de, description_en, cents, currency, image,
             attributes, care, repair, sustainability) = row  # fmt: skip
            if category not in by_category:
                continue
            by_category[category].append(
                ProductInfo(
                    sku=sku,
                    brand=brand,
                    name={"de": name_de, "en": name_en},
                    description={"de": description_de, "en": description_en},
                    price=cents / 100,
                    currency=currency,
                    image=image,
                    attributes=loads(attributes),
                    care=loads(care),
                    repair=loads(repair),
                    sustainability=loads(sustainability),
                    stock=stock.get(sku, {}),
                )
            )
    return CatalogIndex(
        version=version,
        categories={
            category: CategoryIndex(dictionary.categories[category], products)
            for category, products in by_category.items()
        },
    )


class IndexCache:
    """One index per process, shared by every session, rebuilt when the catalog version moves."""

    def __init__(self, engine: Engine, *, every: float = 0.0) -> None:
        self.engine = engine
        self.every = every  # seconds between looks at the catalog's version (a server: not one query per request)
        self._index: CatalogIndex | None = None
        self._checked = float("-inf")
        self._lock = threading.Lock()

    def get(self) -> CatalogIndex:
        index = self._index
        if index is not None and time.monotonic() - self._checked < self.every:
            return index
        from advisor.catalog.reads import catalog_version

        with self._lock:
            version = catalog_version(self.engine)
            if self._index is None or self._index.version != version:
                self._index = _kept_or_built(self.engine, version)
            self._checked = time.monotonic()
            return self._index


def _kept_or_built(engine: Engine, version: int) -> CatalogIndex:
    """The catalog's index: the copy kept beside a SQLite database when it is of this version (reading it back is
    about twice as fast as building it), else built from the database and kept for the next start."""
    from advisor.recommend.kept import load_kept, save_kept

    url = engine.url.render_as_string(hide_password=False)
    kept = load_kept(url)
    if kept is not None and kept[1].version == version:
        return kept[1]
    index = build_index(engine)
    if engine.dialect.name == "sqlite":
        from advisor.catalog.reads import load_dictionary

        save_kept(url, load_dictionary(engine), index)
    return index
