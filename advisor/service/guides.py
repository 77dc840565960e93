"""Repair and care guides as data: a JSON file read with the sample catalog, checked with file, line and guide.

A guide is for product skus or for a product family (a category, and a condition on its attributes), in every
locale: a title, a difficulty, the minutes it takes, the tools, the care products and spare parts it needs (by
sku) and numbered steps, each with a text and a picture. The file is read with positions kept (JSON is YAML), so
every finding names its line; what it says of the catalog (skus, categories) is `advisor check`'s (advisor.audit).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.expressions import Expression, ExpressionError, evaluate, parse
from advisor.paths import content_in_use, sample_catalog_dir
from advisor.questionnaire.datafile import KeptFile, read_data_file, read_data_text
from advisor.questionnaire.findings import Finding, closest, has_errors
from advisor.questionnaire.model import Path as SpecPath
from advisor.questionnaire.model import Position, Texts
from advisor.questionnaire.spec import EXPRESSION, ID, Choice, Context, ListOf, Num, Obj, Str
from advisor.questionnaire.spec import Texts as TextsNode

GUIDES_FILE = "guides.json"
GUIDE_IMAGES = "images/guides"  # the guides' step pictures, beside the guides file
FORMAT_VERSION = 1
DIFFICULTIES = ("easy", "medium", "hard")
LOCALES = ("de", "en")

STEP = Obj(
    {
        "text": (TextsNode("what to do in this step"), True),
        "image": (Str("the step's picture, relative to the guides file (an SVG under images/guides/)"), True),
    },
    "one numbered step of a guide",
)
FOR = Obj(
    {
        "skus": (ListOf(Str("a sku"), "the products this guide is for"), False),
        "category": (Str("the product family's category"), False),
        "when": (EXPRESSION, False),
    },
    "the products a guide is for: skus, or a category and a condition on its attributes",
)
GUIDE = Obj(
    {
        "id": (ID, True),
        "for": (FOR, True),
        "title": (TextsNode("the guide's title"), True),
        "difficulty": (Choice(DIFFICULTIES, "easy, medium or hard"), True),
        "minutes": (Num("how long it takes, in minutes", 1, 600, integer=True), True),
        "tools": (ListOf(TextsNode("a tool"), "the tools it needs"), False),
        "needs": (ListOf(Str("a sku"), "the care products and spare parts it needs, by sku"), False),
        "replaces": (Str("the family's guide this one stands in for, for its own products (a guide id)"), False),
        "steps": (ListOf(STEP, "the steps, in order", 1), True),
    },
    "a repair or care guide",
)
GUIDES = Obj(
    {
        "format_version": (Num("the guides file's format version", 1, FORMAT_VERSION, integer=True), True),
        "guides": (ListOf(GUIDE, "the guides"), True),
    },
    "repair and care guides",
)


@dataclass(frozen=True)
class GuideStep:
    """One numbered step: what to do, and a picture."""

    number: int
    text: Texts
    image: str
    path: SpecPath = ()


@dataclass(frozen=True)
class Guide:
    """A repair or care guide for some products."""

    id: str
    title: Texts
    difficulty: str
    minutes: int
    steps: tuple[GuideStep, ...]
    tools: tuple[Texts, ...] = ()
    needs: tuple[str, ...] = ()
    skus: tuple[str, ...] = ()
    category: str | None = None
    when: Expression | None = None
    replaces: str | None = None  # the family's guide this one stands in for, for its own products
    position: Position = (0, 0)
    path: SpecPath = ()

    def is_for(self, *, sku: str | None, category: str | None, attributes: Mapping[str, Any]) -> bool:
        """Whether the guide is for this product: its sku is named, or it is of the family."""
        if sku is not None and sku in self.skus:
            return True
        if self.category is None or category != self.category:
            return False
        return self.when is None or bool(evaluate(self.when, attributes))


@dataclass(frozen=True)
class Guides:
    """A guides file: the guides by id (in file order), the findings, and where everything is written."""

    file: str
    by_id: Mapping[str, Guide] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    context: Context | None = None

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)

    def get(self, guide_id: str | None) -> Guide | None:
        return self.by_id.get(guide_id) if guide_id is not None else None

    def chosen(
        self, guide_id: str | None, *, sku: str | None, category: str | None, attributes: Mapping[str, Any]
    ) -> Guide | None:
        """The guide a flow names, or the one that stands in for it for this very product (the first in the file
        that `replaces` it and is for the product: a silicone tent's own way to seal its seams).

        A named product (`sku`) gets the named guide only when the guide is for it: a guide whose family's `when`
        excludes the product (reproofing spray for a silicone-coated tent, down for a synthetic bag) is None here,
        never offered. When the product is not named, the named guide is offered as it is.
        """
        for guide in self.by_id.values():
            if (
                guide_id is not None
                and guide.replaces == guide_id
                and guide.is_for(sku=sku, category=category, attributes=attributes)
            ):
                return guide
        named = self.get(guide_id)
        if (
            named is not None
            and sku is not None
            and not named.is_for(sku=sku, category=category, attributes=attributes)
        ):
            return None
        return named

    def for_product(self, *, sku: str | None, category: str | None, attributes: Mapping[str, Any]) -> list[Guide]:
        """The guides for one product, in file order."""
        return [g for g in self.by_id.values() if g.is_for(sku=sku, category=category, attributes=attributes)]


def load_guides_text(text: str, file: str, *, folder: Path | None = None) -> Guides:
    """Read guides; `folder` is where step images are looked for (not checked when None)."""
    data, ctx, findings = read_data_text(
        text, file, spec=GUIDES, locales=LOCALES,
        not_a_mapping='a guides file must be a mapping: {"format_version": 1, "guides": [...]}',
    )  # fmt: skip
    if ctx is None or data is None:
        return Guides(file, {}, tuple(findings), ctx)
    by_id: dict[str, Guide] = {}
    written = ctx.raw(("guides",))
    validated = data.get("guides", []) if isinstance(data, dict) else []
    items = [i for i, raw in enumerate(written) if isinstance(raw, Mapping)] if isinstance(written, list) else []
    for i, raw in zip(items, validated, strict=False):
        guide = _guide(raw, ("guides", i), ctx, folder)
        if guide is None:
            continue
        if guide.id in by_id:
            first = by_id[guide.id].position[0]
            ctx.add(
                ("guides", i, "id"), "Q005", f"guide id '{guide.id}' is used twice (first at line {first}); rename one"
            )
            continue
        by_id[guide.id] = guide
    for guide in by_id.values():
        if guide.replaces is not None and guide.replaces not in by_id:
            suggestion = closest(guide.replaces, [known for known in by_id if known != guide.id])
            ctx.add((*guide.path, "replaces"), "A009",
                    f"guide '{guide.id}' replaces '{guide.replaces}', which is not a guide of this file"
                    + (f" (did you mean '{suggestion}'?)" if suggestion else ""), fix=suggestion)  # fmt: skip
        elif guide.replaces == guide.id:
            ctx.add((*guide.path, "replaces"), "Q003", f"guide '{guide.id}' cannot replace itself")
    return Guides(file, by_id, tuple(sorted(set(ctx.findings))), ctx)


def _guide(raw: Mapping[str, Any], path: SpecPath, ctx: Context, folder: Path | None) -> Guide | None:
    if "id" not in raw:
        return None
    target = raw.get("for", {})
    when = None
    if "when" in target:
        try:
            when = parse(target["when"])
        except ExpressionError as error:
            ctx.add((*path, "for", "when"), "Q007", error.message, offset=error.offset, length=error.length)
    if ctx.raw((*path, "for")) is not None and not target.get("skus") and "category" not in target:
        ctx.add((*path, "for"), "Q003", f"guide '{raw['id']}': 'for' needs skus, or a category (and a when)", key=True)
    if "when" in target and "category" not in target:
        ctx.add((*path, "for", "when"), "Q003", f"guide '{raw['id']}': 'when' needs the category it looks at",
                key=True)  # fmt: skip
    steps = []
    written = ctx.raw((*path, "steps"))
    indexes = [j for j, item in enumerate(written) if isinstance(item, Mapping)] if isinstance(written, list) else []
    for number, (j, step) in enumerate(zip(indexes, raw.get("steps", []), strict=False), start=1):
        step_path: SpecPath = (*path, "steps", j)
        image = step.get("image", "")
        if folder is not None and image and not (folder / image).is_file():
            ctx.add(
                (*step_path, "image"),
                "G001",
                f"guide '{raw['id']}', step {number}: the image {image} is not there (relative to {folder})",
            )
        steps.append(GuideStep(number, step.get("text", {}), image, step_path))
    return Guide(
        id=raw["id"],
        title=raw.get("title", {}),
        difficulty=raw.get("difficulty", "medium"),
        minutes=raw.get("minutes", 0),
        steps=tuple(steps),
        tools=tuple(raw.get("tools", ())),
        needs=tuple(raw.get("needs", ())),
        skus=tuple(target.get("skus", ())),
        category=target.get("category"),
        when=when,
        replaces=raw.get("replaces"),
        position=ctx.position(path),
        path=path,
    )


def load_guides(path: Path) -> Guides:
    """Read a guides file; step images are looked for beside it."""
    text, extra = read_data_file(path, "the guides file")
    if text is None:
        return Guides(str(path), {}, extra)
    guides = load_guides_text(text, str(path), folder=path.parent)
    return Guides(guides.file, guides.by_id, tuple(sorted({*guides.findings, *extra})), guides.context)


def guides_path() -> Path:
    """The guides file in use: the configuration's [content] guides, else the sample catalog's."""
    return content_in_use().guides or sample_catalog_dir() / GUIDES_FILE


def guides_in_use() -> Guides:
    """The guides in use (read on first use, again by `refresh_guides` after a save)."""
    return _KEPT.get(guides_path())


def refresh_guides() -> tuple[Finding, ...]:
    """Take in a saved guides file; the findings of a save with errors (the last good version stays in use)."""
    return _KEPT.refresh(guides_path())


_KEPT: KeptFile[Guides] = KeptFile(load_guides)
