"""A store's database whose catalog holds one category of the sample (a store that sells only that)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.engine import Engine

from advisor.bootstrap import open_database
from advisor.catalog.dictionary import load_dictionary_file
from advisor.catalog.importer import import_file
from advisor.catalog.store import save_dictionary
from advisor.paths import sample_catalog_dir


def one_category_database(url: str, category: str, folder: Path, *, store: str | None = None) -> Engine:
    """A new database at `url` with only `category` of the sample catalog, its products and their stock
    (`folder`: where the cut-down catalog files are written; `store`: the one store that has all the stock)."""
    sample = sample_catalog_dir()
    categories = json.loads((sample / "categories.json").read_text(encoding="utf-8"))
    categories["categories"] = [found for found in categories["categories"] if found["id"] == category]
    products = json.loads((sample / "products.json").read_text(encoding="utf-8"))
    if store is not None:
        categories["stores"] = [{"id": store, "name": {"de": store, "en": store}}]
        for held in [*products, *(variant for product in products for variant in product.get("variants", []))]:
            if held.get("stock"):  # (a store's stock once: the first store's, moved there)
                held["stock"] = [{**held["stock"][0], "store": store}]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "categories.json").write_text(json.dumps(categories), encoding="utf-8")
    (folder / "products.json").write_text(
        json.dumps([product for product in products if product["category"] == category]), encoding="utf-8"
    )
    engine = open_database(url, load_sample=False)
    save_dictionary(engine, load_dictionary_file(folder / "categories.json"))
    import_file(engine, folder / "products.json")
    return engine
