"""The in-memory catalog index: one columnar table per category, built once per catalog version.

Requirements and preferences are evaluated over these arrays (numpy), never by a database query per
answer. Number, integer and boolean attributes are float64 columns (NaN where missing); enums are small
integer codes; sets are bit masks (one bit per allowed value).
"""

from __future__ import annotations

import marshal
import threading
import time
import unicodedata
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, overload

import numpy as np
import orjson
from numpy.typing import NDArray

from advisor.catalog.dictionary import IN_STOCK, PRICE, CategorySpec
from advisor.catalog.validate import GTIN_LENGTHS
from advisor.memory import bulk_allocation

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

Mask = NDArray[np.bool_]


_NO_STOCK: Mapping[str, tuple[int, Mapping[str, str]]] = {}  # shared by every variant without stock: never changed


class VariantInfo(NamedTuple):
    """One article of a model: its sku and GTIN, the values of the attributes that vary, its price and stock.

    A chain's catalog holds a million of them: a named tuple is the smallest object with named fields and the
    quickest to read back from a kept copy, and equal options, stock and shelf mappings are one shared object
    (`Interned`), so read them, never change them.
    """

    sku: str
    gtin: str | None
    options: Mapping[str, Any]
    price: float
    image: str | None
    stock: Mapping[str, tuple[int, Mapping[str, str]]] = _NO_STOCK


class Interned:
    """One shared object per distinct value: a catalog's variants repeat the same options, stock and shelves."""

    def __init__(self) -> None:
        self._kept: dict[Any, Any] = {}

    def options(self, options: Mapping[str, Any]) -> Mapping[str, Any]:
        key = ("options", *((name, tuple(value) if isinstance(value, list) else value)
                            for name, value in options.items()))  # fmt: skip
        try:
            return self._kept.setdefault(key, options)  # type: ignore[no-any-return]
        except TypeError:  # a value that cannot be a key (not one the dictionary allows): kept as it is
            return options

    def options_text(self, text: str, loads: Any) -> Mapping[str, Any]:
        """Options from their JSON text (equal texts: one mapping, parsed once)."""
        kept = self._kept.get(text)
        if kept is None:
            kept = self._kept[text] = loads(text)
        return kept  # type: ignore[no-any-return]

    def location(self, location: Mapping[str, str]) -> Mapping[str, str]:
        key = ("location", *sorted(location.items()))
        return self._kept.setdefault(key, location)  # type: ignore[no-any-return]

    def stock(self, stock: dict[str, tuple[int, Mapping[str, str]]]) -> Mapping[str, tuple[int, Mapping[str, str]]]:
        key = ("stock", *((store, quantity, id(where)) for store, (quantity, where) in stock.items()))
        return self._kept.setdefault(key, stock)  # type: ignore[no-any-return]  # (shelves are interned first: equal ones are one object)


@dataclass(frozen=True)
class ProductInfo:
    """What is shown of a product (a model): texts, facts and stock; the attributes as typed values.

    `variants` lists the model's articles where it has several (or any with a GTIN or options); `stock` is the
    model's, all variants together. An attribute that varies holds the model's best value here (the highest
    number, or the lowest where less is better; a set of all variants' values), each variant its own.
    """

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
    variants: tuple[VariantInfo, ...] = ()

    @classmethod
    def from_record(cls, record: Mapping[str, Any], interned: Interned | None = None) -> ProductInfo:
        """A product from a record in the import format, without a database (tests and benchmarks); `interned`
        shares equal options and stock between the products made with it."""
        kept = interned or Interned()
        price = float(record["price"])
        variants = tuple(
            VariantInfo(
                sku=v["sku"],
                gtin=v.get("gtin"),
                options=kept.options(v.get("options", {})),
                price=float(v["price"]) if "price" in v else price,
                image=v.get("image"),
                stock=_stock_of(v.get("stock", []), kept),
            )
            for v in record.get("variants", ())
        )
        attributes = dict(record.get("attributes", {}))
        if variants:
            attributes.update(model_values([v.options for v in variants], {}))
        return cls(
            sku=record["sku"],
            brand=record["brand"],
            name=record["name"],
            description=record.get("description", {}),
            price=min([price, *(v.price for v in variants)]),
            currency=record.get("currency", "EUR"),
            image=record.get("image"),
            attributes=attributes,
            care=record.get("care", {}),
            repair=record.get("repair", {}),
            sustainability=record.get("sustainability", {}),
            stock=model_stock(variants) if variants else _stock_of(record.get("stock", []), kept),
            variants=variants,
        )

    def variant_attributes(self, variant: VariantInfo) -> Mapping[str, Any]:
        """A variant's attributes: the model's, with the variant's own values of those that vary."""
        return {**self.attributes, **variant.options} if variant.options else self.attributes


_PRODUCT_FORMAT = 4  # marshal's format: the store is made and read by the same installation (kept copies too)
_CODEC_SAMPLE = 64  # products whose encodings make a category's compression dictionary
_DECODED_KEPT = 512  # products kept decoded per category: those on screen and the ones looked at just before


class ProductStore(Sequence[ProductInfo]):
    """A category's products as compact bytes, each made a ProductInfo again when it is read.

    Filtering and scoring read columns; only the products on screen (and their reasons, facts and variants) are
    read from here. Each product is its fields as `marshal` data, compressed with a dictionary made from the
    category's own products (texts, attribute names and stores repeat from product to product): about 330 bytes
    for a model with ten variants, where the same product as Python objects takes several KB. The last 512
    products read are kept decoded. Read-only.
    """

    def __init__(self, data: bytes, offsets: NDArray[np.int64], dictionary: bytes) -> None:
        self._data, self._offsets, self._dictionary = data, offsets, dictionary
        self._kept: dict[int, ProductInfo] = {}
        self._lock = threading.Lock()

    @classmethod
    def of(cls, products: Sequence[ProductInfo]) -> ProductStore:
        """The store of `products`, in their order."""
        encoded = [_encoded(product) for product in products]
        step = max(1, len(encoded) // _CODEC_SAMPLE)
        dictionary = b"".join(encoded[::step][:_CODEC_SAMPLE])[-32768:]  # (zlib looks back 32 KB at most)
        # Level 2: a third quicker to make than the default level 6, about a fifth larger.
        primed = zlib.compressobj(2, zdict=dictionary) if dictionary else zlib.compressobj(2)
        parts = []
        for raw in encoded:
            packer = primed.copy()  # (a copy of a primed compressor: half the cost of priming one per product)
            parts.append(packer.compress(raw) + packer.flush())
        offsets = np.zeros(len(parts) + 1, dtype=np.int64)
        np.cumsum([len(part) for part in parts], out=offsets[1:])
        return cls(b"".join(parts), offsets, dictionary)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, position: int) -> ProductInfo: ...

    @overload
    def __getitem__(self, position: slice) -> list[ProductInfo]: ...

    def __getitem__(self, position: int | slice) -> ProductInfo | list[ProductInfo]:
        if isinstance(position, slice):
            return [self[i] for i in range(*position.indices(len(self)))]
        size = len(self)
        if not -size <= position < size:
            raise IndexError("product position out of range")
        position %= size
        found = self._kept.get(position)
        if found is None:
            found = self._decoded(position)
            with self._lock:
                if len(self._kept) >= _DECODED_KEPT:
                    self._kept.pop(next(iter(self._kept)))
                self._kept[position] = found
        return found

    def __iter__(self) -> Iterator[ProductInfo]:
        """Every product in order, decoded one by one (not kept: a walk over all of them keeps none)."""
        for position in range(len(self)):
            found = self._kept.get(position)
            yield found if found is not None else self._decoded(position)

    def __eq__(self, other: object) -> bool:
        """The same products in the same order (as another store or any sequence holds them)."""
        if not isinstance(other, Sequence) or len(other) != len(self):
            return False
        return all(mine == theirs for mine, theirs in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def _decoded(self, position: int) -> ProductInfo:
        start, stop = int(self._offsets[position]), int(self._offsets[position + 1])
        unpacker = zlib.decompressobj(zdict=self._dictionary) if self._dictionary else zlib.decompressobj()
        return _product(marshal.loads(unpacker.decompress(self._data[start:stop])))

    def __getstate__(self) -> tuple[bytes, NDArray[np.int64], bytes]:
        return self._data, self._offsets, self._dictionary

    def __setstate__(self, state: tuple[bytes, NDArray[np.int64], bytes]) -> None:
        self.__init__(*state)  # type: ignore[misc]

    @property
    def nbytes(self) -> int:
        """The bytes the store holds (its products, their offsets and the compression dictionary)."""
        return len(self._data) + self._offsets.nbytes + len(self._dictionary)


def _stock_fields(stock: Mapping[str, tuple[int, Mapping[str, str]]]) -> dict[str, tuple[int, dict[str, str]]]:
    return {store: (quantity, dict(where)) for store, (quantity, where) in stock.items()}


def _encoded(product: ProductInfo) -> bytes:
    """A product as marshal data: its fields as they are (dicts, tuples, texts and numbers, as products read from
    the database or a file hold them), else made plain values first."""
    try:
        return marshal.dumps(  # (mappings of plain values: marshal writes them)
            (product.sku, product.brand, product.name, product.description, product.price, product.currency,
             product.image, product.attributes, product.care, product.repair, product.sustainability, product.stock,
             tuple(map(tuple, product.variants))),  # type: ignore[arg-type]
            _PRODUCT_FORMAT,
        )  # fmt: skip
    except ValueError:  # (an object marshal does not write: a mapping of another type, a named tuple)
        return marshal.dumps(_fields(product), _PRODUCT_FORMAT)


def _fields(product: ProductInfo) -> tuple[Any, ...]:
    """A product as plain values (what marshal writes)."""
    return (
        product.sku, product.brand, dict(product.name), dict(product.description), product.price, product.currency,
        product.image, dict(product.attributes), dict(product.care), dict(product.repair),
        dict(product.sustainability), _stock_fields(product.stock),
        tuple((v.sku, v.gtin, dict(v.options), v.price, v.image, _stock_fields(v.stock)) for v in product.variants),
    )  # fmt: skip


def _product(fields: tuple[Any, ...]) -> ProductInfo:
    (sku, brand, name, description, price, currency, image, attributes, care, repair, sustainability, stock,
     variants) = fields  # fmt: skip
    return ProductInfo(
        sku, brand, name, description, price, currency, image, attributes, care, repair, sustainability, stock,
        tuple(VariantInfo(*variant) if variant[5] else VariantInfo(*variant[:5]) for variant in variants),
    )  # fmt: skip


def _stock_of(entries: Any, interned: Interned) -> Mapping[str, tuple[int, Mapping[str, str]]]:
    return interned.stock(
        {s["store"]: (s.get("quantity", 0), interned.location(s.get("location", {}))) for s in entries}
    )


def model_stock(variants: Sequence[VariantInfo]) -> dict[str, tuple[int, Mapping[str, str]]]:
    """A model's stock per store: its variants' together, on the shelf of the first variant there that has any."""
    stock: dict[str, tuple[int, Mapping[str, str]]] = {}
    for variant in variants:
        for store, (quantity, location) in variant.stock.items():
            count, where = stock.get(store, (0, {}))
            stock[store] = (count + quantity, where if (where and count) or not location else location)
    return stock


def model_values(options: Sequence[Mapping[str, Any]], less_is_better: Mapping[str, bool]) -> dict[str, Any]:
    """The model's value of each attribute that varies: a set of all variants' values for texts and sets, else
    the best number (the highest, or the lowest where `less_is_better`); one variant's value as it is."""
    values: dict[str, list[Any]] = {}
    for option in options:
        for name, value in option.items():
            if value is not None:
                values.setdefault(name, []).append(value)
    merged: dict[str, Any] = {}
    for name, found in values.items():
        if len(found) == 1 or all(value == found[0] for value in found):
            merged[name] = found[0]
        elif all(isinstance(value, list) for value in found):
            merged[name] = sorted({item for value in found for item in value}, key=str)
        elif all(isinstance(value, int | float) and not isinstance(value, bool) for value in found):
            merged[name] = min(found) if less_is_better.get(name) else max(found)
        elif all(isinstance(value, bool) for value in found):
            merged[name] = any(found)
        else:
            merged[name] = sorted({str(value) for value in found})
    return merged


class _Columns:
    """Attributes of rows (products, or variants) as columns (implements expressions.Columns)."""

    def __init__(
        self, category: CategorySpec, attributes: Sequence[Mapping[str, Any]], prices: Sequence[float]
    ) -> None:
        self._start(category, len(attributes), prices)
        self._rows = attributes
        for name, spec in category.attributes.items():
            self._add(name, spec.type, spec.values, [row.get(name) for row in attributes])

    def _start(self, category: CategorySpec, size: int, prices: Sequence[float] | NDArray[np.float64]) -> None:
        self.category = category
        self.size = size
        self._numbers: dict[str, NDArray[np.float64]] = {PRICE: np.asarray(prices, dtype=np.float64)}
        self._codes: dict[str, tuple[NDArray[np.int16], dict[str, int]]] = {}
        self._bits: dict[str, tuple[NDArray[np.int64], dict[str, int]]] = {}
        self._texts: dict[str, NDArray[Any]] = {}
        self._present: dict[str, Mask] = {PRICE: np.ones(size, dtype=bool)}

    def _add(self, name: str, kind: str, allowed: Sequence[str] | None, values: Sequence[Any]) -> None:
        """One attribute's column from its values, a row each (None: the row has none)."""
        self._present[name] = np.array([value is not None for value in values], dtype=bool)
        if kind in ("number", "integer", "boolean"):
            self._numbers[name] = np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)
        elif kind == "enum" and not any(isinstance(v, list) for v in values):
            codes = {value: i for i, value in enumerate(allowed or ())}
            self._codes[name] = (np.array([codes.get(str(v), -1) for v in values], dtype=np.int16), codes)
        elif kind in ("set", "enum"):  # an enum that varies: a model holds the set of its variants' values
            bits = {value: 1 << i for i, value in enumerate(allowed or ())}
            masks = [_bits_of(v, bits) for v in values]
            self._bits[name] = (np.array(masks, dtype=np.int64), bits)
        else:
            self._texts[name] = np.array(values, dtype=object)

    def _take(self, other: _Columns, name: str, rows: NDArray[np.intp]) -> None:
        """An attribute's column as `other`'s, row `rows[i]` for row i (a variant has its model's value)."""
        if name in other._numbers:
            self._numbers[name] = other._numbers[name][rows]
        elif name in other._codes:
            codes, lookup = other._codes[name]
            self._codes[name] = (codes[rows], lookup)
        elif name in other._bits:
            masks, bits = other._bits[name]
            self._bits[name] = (masks[rows], bits)
        else:
            self._texts[name] = other._texts[name][rows]
        self._present[name] = other._present[name][rows]  # last: a column is there once its presence is

    def kind(self, name: str) -> str | None:
        if name == PRICE:
            return "number"
        if name == IN_STOCK:
            return "boolean"
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
        if name in self._bits:
            return self.contains(name, value)
        return np.asarray(self._texts[name] == value, dtype=bool)

    def contains(self, name: str, value: str) -> Mask:
        masks, bits = self._bits[name]
        bit = bits.get(value)
        return np.zeros(self.size, dtype=bool) if bit is None else (masks & bit) != 0

    def present(self, name: str) -> Mask:
        return self._present[name]

    def value(self, name: str, index: int) -> Any:
        if name == PRICE:
            return float(self._numbers[PRICE][index])
        return self._rows[index].get(name)


def _bits_of(value: Any, bits: Mapping[str, int]) -> int:
    if value is None:
        return 0
    if isinstance(value, list | tuple | set | frozenset):
        return sum(bits.get(str(item), 0) for item in value)
    return bits.get(str(value), 0)


class VariantColumns(_Columns):
    """A category's variants as columns: each variant's row holds its model's attributes with its own values of
    those that vary; `owner` is each row's model, `starts` where each model's rows begin (every model has at
    least one row, in the index's order).

    Made with the index, from its products: the price, the attributes that some variant has a value of its own of,
    and whether each store has the row in stock are columns from the start; an attribute no variant has a value of
    its own of is its model's, spread over the rows when a requirement over the variants first asks about it."""

    def __init__(self, index: CategoryIndex, products: Sequence[ProductInfo]) -> None:
        prices: list[float] = []
        owner: list[int] = []
        options: list[Mapping[str, Any] | None] = []  # each row's own values (None: a model without variants)
        stocks: list[Mapping[str, tuple[int, Mapping[str, str]]]] = []
        for position, product in enumerate(products):
            if product.variants:
                for variant in product.variants:
                    prices.append(variant.price)
                    owner.append(position)
                    options.append(variant.options)
                    stocks.append(variant.stock)
            else:
                prices.append(product.price)
                owner.append(position)
                options.append(None)
                stocks.append(product.stock)
        self._start(index.category, len(owner), prices)
        self._index = index
        self._products = index.products
        self.owner = np.array(owner, dtype=np.intp)
        self.starts = np.flatnonzero(np.r_[True, self.owner[1:] != self.owner[:-1]]) if owner else self.owner
        self._spreading = threading.Lock()
        # What a variant's own options name (equal options are one shared mapping: each looked at once).
        distinct = {id(o): o for o in options if o}
        self.own = frozenset().union(*(o.keys() for o in distinct.values()))
        for name, spec in index.category.attributes.items():
            if name in self.own:  # the variant's value where it has one, else its model's
                values = [o[name] if o is not None and name in o else products[w].attributes.get(name)
                          for o, w in zip(options, owner, strict=True)]  # fmt: skip
                self._add(name, spec.type, spec.values, values)
        # Per store, whether it has each row: equal stock mappings are one shared object, each looked at once.
        shared = {id(stock): stock for stock in stocks}
        stores = sorted({store for stock in shared.values() for store in stock})
        self._stocked: dict[str, Mask] = {}
        for store in stores:
            has = {key: stock.get(store, (0, {}))[0] > 0 for key, stock in shared.items()}
            self._stocked[store] = np.array([has[id(stock)] for stock in stocks], dtype=bool)
        self._nowhere = np.zeros(self.size, dtype=bool)

    def _spread(self, name: str) -> None:
        """The model's column of an attribute no variant has a value of its own of, over the variant rows (made on
        first use, then kept)."""
        if name in self._present or name not in self.category.attributes:
            return
        with self._spreading:
            if name not in self._present:
                self._take(self._index, name, self.owner)

    def numbers(self, name: str) -> NDArray[np.float64]:
        self._spread(name)
        return super().numbers(name)

    def equals(self, name: str, value: str) -> Mask:
        self._spread(name)
        return super().equals(name, value)

    def contains(self, name: str, value: str) -> Mask:
        self._spread(name)
        return super().contains(name, value)

    def present(self, name: str) -> Mask:
        self._spread(name)
        return super().present(name)

    def value(self, name: str, index: int) -> Any:
        if name == PRICE:
            return float(self._numbers[PRICE][index])
        position = int(self.owner[index])
        product = self._products[position]
        if product.variants:
            variant = product.variants[index - int(self.starts[position])]
            if name in variant.options:
                return variant.options[name]
        return product.attributes.get(name)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        del state["_spreading"]
        # The columns spread on first use are their models' again after a copy: not written with it.
        spread = {name for name in self._present if name != PRICE and name not in self.own}
        for table in ("_numbers", "_codes", "_bits", "_texts", "_present"):
            state[table] = {name: column for name, column in state[table].items() if name not in spread}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._spreading = threading.Lock()

    def extreme(self, name: str, which: str) -> NDArray[np.float64]:
        """Per model, the largest ("max") or smallest ("min") of its rows' values of a number attribute (NaN: none
        of its rows has one); worked out once per attribute and kept (read-only)."""
        kept: dict[tuple[str, str], NDArray[np.float64]] = self.__dict__.setdefault("_extremes", {})
        found = kept.get((name, which))
        if found is None:
            numbers = self.numbers(name)
            found = (np.fmax if which == "max" else np.fmin).reduceat(numbers, self.starts) if self.size else numbers
            found.flags.writeable = False
            kept[(name, which)] = found
        return found

    def to_models(self, mask: Mask) -> Mask:
        """Per model, whether any of its variants' rows is in `mask`."""
        if not self.size:
            return mask
        # Bitwise OR over the bytes of the bools: the same answer, a fifth quicker than logical_or.reduceat.
        rows = np.ascontiguousarray(mask, dtype=np.bool_).view(np.uint8)
        return np.bitwise_or.reduceat(rows, self.starts).view(np.bool_)

    def in_stock(self, store: str, held: Mapping[str, int] | None = None) -> Mask:
        """Per variant row, whether the store has it (a model without variants: the model's stock). `held`: per
        article, how many the store has set aside for appointments; an article all of whose stock is set aside is
        not on the shelf. (Holds are few: each is found by its sku's code, not by a pass over the rows.)"""
        stocked = self._stocked.get(store, self._nowhere)
        taken: list[int] = []
        for sku, count in (held or {}).items():
            for position, variant in self._index.codes.candidates(code_key(folded(sku))):
                product = self._products[position]
                if variant is None and product.variants:
                    continue  # (a model with variants is on the shelf as its articles)
                article = product if variant is None else product.variants[variant]
                if article.sku == sku and article.stock.get(store, (0, {}))[0] <= count:
                    taken.append(int(self.starts[position]) + (variant or 0))
        if not taken:
            return stocked
        shelf = stocked.copy()
        shelf[taken] = False
        return shelf


class ModelExtremes:
    """A category's model columns with one attribute that varies read as each model's largest or smallest value
    over its variants (see VariantColumns.extreme), for a requirement that this extreme decides."""

    def __init__(self, index: CategoryIndex, name: str, values: NDArray[np.float64]) -> None:
        self.index, self.name, self.values = index, name, values
        self.size = index.size

    def kind(self, name: str) -> str | None:
        return self.index.kind(name)

    def numbers(self, name: str) -> NDArray[np.float64]:
        return self.values if name == self.name else self.index.numbers(name)

    def equals(self, name: str, value: str) -> Mask:
        return self.index.equals(name, value)

    def contains(self, name: str, value: str) -> Mask:
        return self.index.contains(name, value)

    def present(self, name: str) -> Mask:
        return ~np.isnan(self.values) if name == self.name else self.index.present(name)

    def value(self, name: str, index: int) -> Any:
        if name != self.name:
            return self.index.value(name, index)
        found = float(self.values[index])
        return None if np.isnan(found) else found


class RowSet:
    """Some rows of columns, in the given order (the variant rows of the models on screen, looked at together)."""

    def __init__(self, columns: Any, rows: NDArray[np.intp]) -> None:
        self.columns, self.rows = columns, rows
        self.size = len(rows)

    def kind(self, name: str) -> str | None:
        return self.columns.kind(name)  # type: ignore[no-any-return]

    def numbers(self, name: str) -> NDArray[np.float64]:
        return self.columns.numbers(name)[self.rows]  # type: ignore[no-any-return]

    def equals(self, name: str, value: str) -> Mask:
        return self.columns.equals(name, value)[self.rows]  # type: ignore[no-any-return]

    def contains(self, name: str, value: str) -> Mask:
        return self.columns.contains(name, value)[self.rows]  # type: ignore[no-any-return]

    def present(self, name: str) -> Mask:
        return self.columns.present(name)[self.rows]  # type: ignore[no-any-return]

    def value(self, name: str, index: int) -> Any:
        return self.columns.value(name, int(self.rows[index]))


class AtStore:
    """Columns (a category's models or its variants) with `in_stock` for one store (every row, without a store:
    stock is then not asked about)."""

    def __init__(self, columns: _Columns, stocked: Mask | None) -> None:
        self._columns = columns
        self.size = columns.size
        self._stocked = np.ones(columns.size, dtype=bool) if stocked is None else stocked

    def kind(self, name: str) -> str | None:
        return self._columns.kind(name)

    def numbers(self, name: str) -> NDArray[np.float64]:
        return self._stocked.astype(np.float64) if name == IN_STOCK else self._columns.numbers(name)

    def equals(self, name: str, value: str) -> Mask:
        return self._columns.equals(name, value)

    def contains(self, name: str, value: str) -> Mask:
        return self._columns.contains(name, value)

    def present(self, name: str) -> Mask:
        return np.ones(self.size, dtype=bool) if name == IN_STOCK else self._columns.present(name)

    def value(self, name: str, index: int) -> Any:
        return bool(self._stocked[index]) if name == IN_STOCK else self._columns.value(name, index)


def folded(text: str) -> str:
    """A code or a name as searches compare it: case and accents aside, ß as ss."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).replace("ß", "ss")


def code_key(text: str) -> int:
    """The key of a folded sku in a CodeTable (a checksum: a lookup compares the sku itself too)."""
    return zlib.crc32(text.encode())


class CodeTable:
    """Where a code is in a category: sorted keys, each with its product's position and its variant's (-1: the
    model itself), so that a scanned barcode or a typed sku finds its article by a binary search, without a
    dictionary of a chain's million codes. Equal keys keep the catalog's order."""

    def __init__(self, keys: Sequence[int], positions: Sequence[int], variants: Sequence[int], dtype: Any) -> None:
        unsorted = np.array(keys, dtype=dtype)
        order = np.argsort(unsorted, kind="stable")
        self.keys = unsorted[order]
        self.positions = np.array(positions, dtype=np.int32)[order]
        self.variants = np.array(variants, dtype=np.int32)[order]

    def candidates(self, key: int) -> list[tuple[int, int | None]]:
        """The (product position, variant position or None) of every code with this key, in catalog order."""
        if not len(self.keys) or not 0 <= key <= np.iinfo(self.keys.dtype).max:
            return []
        start = int(np.searchsorted(self.keys, key, side="left"))
        stop = int(np.searchsorted(self.keys, key, side="right"))
        return [(int(position), None if variant < 0 else int(variant)) for position, variant in
                zip(self.positions[start:stop].tolist(), self.variants[start:stop].tolist(), strict=True)]  # fmt: skip


def _code_tables(products: Sequence[ProductInfo]) -> tuple[CodeTable, CodeTable]:
    """The GTIN table (the number a barcode reads) and the sku table (folded) of a category's products."""
    gtins: list[int] = []
    gtin_rows: list[tuple[int, int]] = []
    skus: list[int] = []
    sku_rows: list[tuple[int, int]] = []
    for position, product in enumerate(products):
        skus.append(code_key(folded(product.sku)))
        sku_rows.append((position, -1))
        for number, variant in enumerate(product.variants):
            skus.append(code_key(folded(variant.sku)))
            sku_rows.append((position, number))
            gtin = variant.gtin
            if gtin and gtin.isascii() and gtin.isdigit() and len(gtin) in GTIN_LENGTHS:
                gtins.append(int(gtin))
                gtin_rows.append((position, number))
    gtin_positions, gtin_variants = zip(*gtin_rows, strict=True) if gtin_rows else ((), ())
    sku_positions, sku_variants = zip(*sku_rows, strict=True) if sku_rows else ((), ())
    return (CodeTable(gtins, gtin_positions, gtin_variants, np.int64),
            CodeTable(skus, sku_positions, sku_variants, np.uint32))  # fmt: skip


class CategoryIndex(_Columns):
    """One category's products as columns (implements expressions.Columns); its variants as further columns.

    `products` is a ProductStore: each product is read from compact bytes when it is asked for, so the index of a
    chain's catalog holds columns, not a million articles as Python objects.
    """

    def __init__(self, category: CategorySpec, products: Sequence[ProductInfo]) -> None:
        products = list(products)
        self.products = ProductStore.of(products)
        super().__init__(category, [product.attributes for product in products],
                         [product.price for product in products])  # fmt: skip
        self._rows = ()  # (a row's value is read from its product)
        self.skus = np.array([product.sku for product in products], dtype=object)
        self.position = {product.sku: i for i, product in enumerate(products)}
        self.varying = frozenset(category.varying)
        # Whether some model has variants that differ in an attribute (then filtering on such an attribute looks
        # at each variant); worked out once, not per recommendation.
        self.has_variants = bool(self.varying) and any(len(product.variants) > 1 for product in products)
        self._variant_columns = VariantColumns(self, products)
        self.gtins, self.codes = _code_tables(products)  # (for the barcode and sku search: service/find.py)

    def variant_columns(self) -> VariantColumns:
        """The variants as columns (made with the index)."""
        return self._variant_columns

    def value(self, name: str, index: int) -> Any:
        if name == PRICE:
            return float(self._numbers[PRICE][index])
        # A choice or a text is its column's own value (diversity and reasons read many rows: no product read).
        if name in self._texts:
            return self._texts[name][index]
        if name in self._codes:
            codes, lookup = self._codes[name]
            code = int(codes[index])
            if code >= 0:
                return self._choices(name, lookup)[code]
            if not self._present[name][index]:
                return None
        return self.products[index].attributes.get(name)

    def _choices(self, name: str, lookup: Mapping[str, int]) -> list[str]:
        kept: dict[str, list[str]] = self.__dict__.setdefault("_choice_lists", {})
        found = kept.get(name)
        if found is None:
            found = kept[name] = sorted(lookup, key=lookup.__getitem__)
        return found


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

    from advisor.catalog.reads import PRODUCT, STOCK, VARIANT, catalog_version, load_dictionary

    version = catalog_version(engine)
    dictionary = load_dictionary(engine)
    stock: dict[str, dict[str, tuple[int, Mapping[str, str]]]] = {}
    by_category: dict[str, list[ProductInfo]] = {category: [] for category in dictionary.categories}
    less_is_better = {
        category.id: {name: spec.more_is_better is False for name, spec in category.attributes.items()}
        for category in dictionary.categories.values()
    }
    loads = orjson.loads
    interned = Interned()
    with engine.connect() as connection:
        for sku, store, quantity, location_de, location_en in connection.execute(
            sa.select(STOCK.c.sku, STOCK.c.store_id, STOCK.c.quantity, STOCK.c.location_de, STOCK.c.location_en)
        ):
            where = interned.location({"de": location_de, "en": location_en})
            stock.setdefault(sku, {})[store] = (quantity, where)
        # A model's own single variant (no GTIN, options or price of its own) is the model: only others are kept.
        variants: dict[str, list[tuple[Any, ...]]] = {}
        query = sa.select(
            VARIANT.c.model_sku, VARIANT.c.sku, VARIANT.c.gtin, sa.cast(VARIANT.c.options, sa.Text),
            VARIANT.c.price_cents, VARIANT.c.image,
        ).order_by(VARIANT.c.model_sku, VARIANT.c.position)  # fmt: skip
        for model, sku, gtin, options, cents, image in connection.execute(query):
            if model == sku and gtin is None and cents is None and options == "{}" and image is None:
                continue
            variants.setdefault(model, []).append((sku, gtin, options, cents, image))
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
            values = loads(attributes)
            own = variants.get(sku)
            articles: tuple[VariantInfo, ...] = ()
            model_stock_here = stock.get(sku, {})
            if own:
                model_price = cents / 100
                articles = tuple(
                    VariantInfo(v_sku, gtin, interned.options_text(options, loads),
                                v_cents / 100 if v_cents is not None else model_price, v_image or image,
                                interned.stock(stock[v_sku]) if v_sku in stock else _NO_STOCK)
                    for v_sku, gtin, options, v_cents, v_image in own
                )  # fmt: skip
                values.update(model_values([v.options for v in articles], less_is_better[category]))
                model_stock_here = model_stock(articles)
            by_category[category].append(
                ProductInfo(
                    sku=sku,
                    brand=brand,
                    name={"de": name_de, "en": name_en},
                    description={"de": description_de, "en": description_en},
                    price=cents / 100,
                    currency=currency,
                    image=image,
                    attributes=values,
                    care=loads(care),
                    repair=loads(repair),
                    sustainability=loads(sustainability),
                    stock=model_stock_here,
                    variants=articles,
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
        """The index of the catalog's current version. While another thread looks at the version or builds the
        index of a new one (seconds for a large catalog), the index there is is returned at once: requests go on
        with the catalog they had instead of waiting in line behind the lock."""
        index = self._index
        if index is not None and time.monotonic() - self._checked < self.every:
            return index
        if not self._lock.acquire(blocking=index is None):
            assert index is not None
            return index
        try:
            return self._refreshed()
        finally:
            self._lock.release()

    def refresh(self) -> CatalogIndex:
        """Look at the catalog's version now and rebuild the index if it moved (a server's housekeeping thread,
        so no request ever waits for the look or the build: its cache is made with `every=math.inf`)."""
        with self._lock:
            return self._refreshed()

    def _refreshed(self) -> CatalogIndex:
        """(Under the lock.)"""
        from advisor.catalog.reads import catalog_version

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
