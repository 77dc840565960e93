"""Size advice: body measurements mapped to sizes by size charts, a JSON file read with the sample catalog.

A size chart is for the products of a category, of one brand (and a condition on their attributes, such as
`gender == "women"`), or for named models (skus); a model's chart wins over its family's. It names the
attribute that varies between a model's variants and holds sizes (`sizes` of rain jackets, `length` of sleeping
bags) and lists the sizes smallest first, each with a range of each body measurement in cm (MEASUREMENTS:
height, chest, torso, foot). Neighbouring sizes meet: one size's range ends where the next one's starts. A
measurement that is exactly on such a boundary counts for the larger size (a jacket too tight is worse than one
a little roomy); the largest size's range includes its end.

The file is read with positions kept (JSON is YAML), so every finding names its line; what it says of the
catalog (categories, attributes, sizes, skus) and what a questionnaire's size block asks of it (every product in
sizes has a chart, every chart covers what the measurement steps allow) is checked here and run by
`advisor check` (advisor.audit).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.catalog.dictionary import Dictionary
from advisor.engine import answer_values
from advisor.expressions import Expression, ExpressionError, evaluate, parse
from advisor.paths import content_in_use, sample_catalog_dir
from advisor.questionnaire.datafile import KeptFile, read_data_file, read_data_text
from advisor.questionnaire.findings import WARNING, Finding, closest, has_errors
from advisor.questionnaire.model import MEASUREMENTS, Position, Questionnaire
from advisor.questionnaire.model import Path as SpecPath
from advisor.questionnaire.spec import EXPRESSION, ID, Context, ListOf, Num, Obj, Str
from advisor.recommend.index import CatalogIndex, CategoryIndex, ProductInfo

SIZE_CHARTS_FILE = "size_charts.json"
FORMAT_VERSION = 1
LOCALES = ("de", "en")
UPPER_THIRD = 2 / 3  # a measurement at or above this share of its size's range: the next size up is the neighbour
LOWER_THIRD = 1 / 3  # below this share: the next size down is the neighbour

RANGE = ListOf(Num("a body measurement in cm", 0, 300), "from and to, in cm, e.g. [88, 96]", 2)
SIZE = Obj(
    {
        "size": (Str("the size: a value of the chart's attribute"), True),
        **{name: (RANGE, False) for name in MEASUREMENTS},
    },
    "one size: the range of each body measurement it fits, in cm (" + ", ".join(MEASUREMENTS) + ")",
)
FOR = Obj(
    {
        "brand": (Str("the brand whose products the chart is for"), False),
        "skus": (ListOf(Str("a model's sku"), "the models the chart is for (it wins over the family's chart)"), False),
        "when": (EXPRESSION, False),
    },
    "the products a chart is for: a brand (and a condition on their attributes), or models by sku",
)
CHART = Obj(
    {
        "id": (ID, True),
        "category": (Str("the catalog category of the products"), True),
        "attribute": (Str("the attribute that varies between a model's variants and holds sizes"), True),
        "for": (FOR, False),
        "sizes": (ListOf(SIZE, "the sizes, smallest first", 1), True),
    },
    "a size chart",
)
CHARTS = Obj(
    {
        "format_version": (Num("the size charts file's format version", 1, FORMAT_VERSION, integer=True), True),
        "charts": (ListOf(CHART, "the size charts"), True),
    },
    "size charts",
)


@dataclass(frozen=True)
class ChartSize:
    """One size of a chart: the range [from, to] of each body measurement it fits, in cm."""

    size: str
    ranges: Mapping[str, tuple[float, float]]
    path: SpecPath = ()


@dataclass(frozen=True)
class SizeChart:
    """A size chart for a family of products (a category, a brand, a condition) or for models by sku."""

    id: str
    category: str
    attribute: str
    sizes: tuple[ChartSize, ...]
    brand: str | None = None
    skus: tuple[str, ...] = ()
    when: Expression | None = None
    file: str = ""
    position: Position = (0, 0)
    path: SpecPath = ()

    @property
    def where(self) -> str:
        """The chart's file name and line, as findings name it: size_charts.json:12."""
        return f"{Path(self.file).name}:{self.position[0]}"

    @property
    def measurements(self) -> tuple[str, ...]:
        """The measurements every size of the chart has a range of (in MEASUREMENTS order)."""
        if not self.sizes:
            return ()
        return tuple(name for name in MEASUREMENTS if all(name in size.ranges for size in self.sizes))

    def span(self, measurement: str) -> tuple[float, float] | None:
        """From the smallest size's start to the largest size's end (None when the chart does not measure it)."""
        if measurement not in self.measurements:
            return None
        return self.sizes[0].ranges[measurement][0], self.sizes[-1].ranges[measurement][1]

    def index_of(self, measurement: str, value: float) -> int | None:
        """The size (its index) whose range holds the value: from <= value < to (the largest size: <= to)."""
        if measurement not in self.measurements:
            return None
        last = len(self.sizes) - 1
        for i, size in enumerate(self.sizes):
            low, high = size.ranges[measurement]
            if low <= value < high or (i == last and value == high):
                return i
        return None

    def is_for_model(self, sku: str) -> bool:
        return sku in self.skus

    def is_for_family(self, brand: str, attributes: Mapping[str, Any]) -> bool:
        """Whether the chart is for the product's family: not a model chart, its brand, its condition."""
        if self.skus or (self.brand is not None and self.brand != brand):
            return False
        return self.when is None or bool(evaluate(self.when, attributes))


@dataclass(frozen=True)
class SizeAdvice:
    """The size to try and the neighbour to try too, and what decided.

    `asked`: each measurement given (that the chart has) -> the size it alone asks for; `decided_by`: the one
    that decided. With a product (size_advice), the variants of each size (their skus, smallest first) and, with a
    store, their stock there (None without a store).
    """

    size: str
    neighbour: str | None
    decided_by: str
    asked: Mapping[str, str]
    chart: str
    skus: tuple[str, ...] = ()
    neighbour_skus: tuple[str, ...] = ()
    stock: int | None = None
    neighbour_stock: int | None = None


@dataclass(frozen=True)
class SizeCharts:
    """A size charts file: the charts by id (in file order), the findings, and where everything is written."""

    file: str
    by_id: Mapping[str, SizeChart] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    context: Context | None = None

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)

    def get(self, chart_id: str | None) -> SizeChart | None:
        return self.by_id.get(chart_id) if chart_id is not None else None

    def charts_of(self, category: str, attribute: str) -> list[SizeChart]:
        return [c for c in self.by_id.values() if c.category == category and c.attribute == attribute]

    def chart_for(self, category: str, attribute: str, product: ProductInfo) -> SizeChart | None:
        """The chart for a product: the first (in file order) that names its sku, else the first for its family."""
        charts = self.charts_of(category, attribute)
        for chart in charts:
            if chart.is_for_model(product.sku):
                return chart
        for chart in charts:
            if chart.is_for_family(product.brand, product.attributes):
                return chart
        return None


def size_for(chart: SizeChart, measurements: Mapping[str, float | None]) -> SizeAdvice | None:
    """The size to try for the body measurements (in cm), by one chart; None when there is nothing to go on.

    Each measurement the chart has (and that is given: None is "not asked" or "doesn't matter") asks for the size
    whose range holds it; when they disagree, the largest size any of them asks for is the size to try (a jacket
    too tight in the chest is worse than one a little long in the sleeves), and that measurement decides (among
    several asking for the same largest size, the one highest in its range). The neighbour is the next size to try
    too, by where the deciding measurement lies in its size's range: in the upper third (2/3 of the way or more)
    the next size up, in the lower third (less than 1/3) the next size down, in the middle third none; none either
    when there is no such size. None when no given measurement is in the chart, or one is outside its sizes.
    """
    asked: list[tuple[int, float, str]] = []
    for name in chart.measurements:
        value = measurements.get(name)
        if value is None:
            continue
        index = chart.index_of(name, value)
        if index is None:
            return None
        low, high = chart.sizes[index].ranges[name]
        share = (value - low) / (high - low) if high > low else 0.5
        asked.append((index, share, name))
    if not asked:
        return None
    index, share, decided_by = max(asked, key=lambda item: (item[0], item[1]))
    neighbour = None
    if share >= UPPER_THIRD and index + 1 < len(chart.sizes):
        neighbour = chart.sizes[index + 1].size
    elif share < LOWER_THIRD and index > 0:
        neighbour = chart.sizes[index - 1].size
    return SizeAdvice(
        size=chart.sizes[index].size,
        neighbour=neighbour,
        decided_by=decided_by,
        asked={name: chart.sizes[i].size for i, _, name in asked},
        chart=chart.id,
    )


def _holds(value: Any, size: str) -> bool:
    return size in value if isinstance(value, list | tuple) else value == size


def variant_sizes(product: ProductInfo, attribute: str) -> tuple[str, ...]:
    """The sizes a product comes in: the values of `attribute` its variants hold (in their order)."""
    sizes: list[str] = []
    for variant in product.variants:
        value = variant.options.get(attribute)
        for size in value if isinstance(value, list | tuple) else [] if value is None else [value]:
            if str(size) not in sizes:
                sizes.append(str(size))
    return tuple(sizes)


def size_skus(product: ProductInfo, attribute: str, size: str | None) -> tuple[str, ...]:
    """The skus of the product's variants in a size."""
    if size is None:
        return ()
    return tuple(v.sku for v in product.variants if _holds(v.options.get(attribute), size))


def size_stock(
    product: ProductInfo, attribute: str, size: str | None, store: str, held: Mapping[str, int] | None = None
) -> int:
    """How many of the product in a size a store has on its shelf: its variants in that size together, less those
    `held` (per article) for appointments."""
    aside = held or {}
    if size is None:
        return 0
    return sum(max(0, v.stock.get(store, (0, {}))[0] - aside.get(v.sku, 0)) for v in product.variants
               if _holds(v.options.get(attribute), size))  # fmt: skip


def size_advice(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    product: ProductInfo,
    charts: SizeCharts,
    *,
    store: str | None = None,
    held: Mapping[str, int] | None = None,
) -> SizeAdvice | None:
    """The size of one product to try, from a session's answers (see size_for), with its variants and stock.

    None when the questionnaire has no size block, the product does not come in sizes (no variant holds the
    block's attribute), no chart is for it, or no measurement step on the path is answered with a number ("doesn't
    matter" and unanswered steps do not count; the measurements that are answered decide). `store`: where the
    stock of the size and of its neighbour is counted (None: not counted), less what it has `held` for appointments.
    """
    sizing = questionnaire.results.size
    if sizing is None or not variant_sizes(product, sizing.attribute):
        return None
    values = answer_values(questionnaire, answers)
    measurements: dict[str, float | None] = {}
    for name, step_id in sizing.measurements.items():
        value = values.get(step_id)
        if isinstance(value, int | float) and not isinstance(value, bool):
            measurements[name] = float(value)
    if not measurements:
        return None
    chart = charts.chart_for(questionnaire.category, sizing.attribute, product)
    advice = size_for(chart, measurements) if chart is not None else None
    if advice is None:
        return None
    attribute = sizing.attribute
    return SizeAdvice(
        size=advice.size,
        neighbour=advice.neighbour,
        decided_by=advice.decided_by,
        asked=advice.asked,
        chart=advice.chart,
        skus=size_skus(product, attribute, advice.size),
        neighbour_skus=size_skus(product, attribute, advice.neighbour),
        stock=None if store is None else size_stock(product, attribute, advice.size, store, held),
        neighbour_stock=None
        if store is None or advice.neighbour is None
        else size_stock(product, attribute, advice.neighbour, store, held),
    )


# -- reading the file ----------------------------------------------------------------------------------------


def load_size_charts_text(text: str, file: str) -> SizeCharts:
    """Read size charts; the ladder of each chart is checked here, what it says of the catalog by check_size_charts."""
    data, ctx, findings = read_data_text(
        text, file, spec=CHARTS, locales=LOCALES,
        not_a_mapping='a size charts file must be a mapping: {"format_version": 1, "charts": [...]}',
    )  # fmt: skip
    if ctx is None or data is None:
        return SizeCharts(file, {}, tuple(findings), ctx)
    by_id: dict[str, SizeChart] = {}
    validated = data.get("charts", []) if isinstance(data, dict) else []
    for i, raw in _aligned(validated, ctx, ("charts",)):
        chart = _chart(raw, ("charts", i), ctx)
        if chart is None:
            continue
        if chart.id in by_id:
            first = by_id[chart.id].position[0]
            ctx.add(
                ("charts", i, "id"), "Q005", f"chart id '{chart.id}' is used twice (first at line {first}); rename one"
            )
            continue
        by_id[chart.id] = chart
    return SizeCharts(file, by_id, tuple(sorted(set(ctx.findings))), ctx)


def _aligned(validated: Any, ctx: Context, path: SpecPath) -> list[tuple[int, Any]]:
    """The validated mappings of a list with their index in the file (validation drops the items that are not)."""
    written = ctx.raw(path)
    if not isinstance(written, list) or not isinstance(validated, list):
        return []
    return list(zip((i for i, raw in enumerate(written) if isinstance(raw, Mapping)), validated, strict=False))


def _number(value: float) -> str:
    return f"{value:g}"


def _chart(raw: Mapping[str, Any], path: SpecPath, ctx: Context) -> SizeChart | None:
    if "id" not in raw:
        return None
    name = raw["id"]
    target = raw.get("for", {})
    when = None
    if "when" in target:
        try:
            when = parse(target["when"])
        except ExpressionError as error:
            ctx.add((*path, "for", "when"), "Q007", error.message, offset=error.offset, length=error.length)
    if target.get("skus") and ("brand" in target or "when" in target):
        key = "brand" if "brand" in target else "when"
        ctx.add((*path, "for", key), "Q004", f"chart '{name}' is for models by sku; '{key}' is for a family's chart",
                key=True)  # fmt: skip
    sizes: list[ChartSize] = []
    as_written: list[ChartSize] = []  # with a size written twice (the ladder is checked as written)
    seen: dict[str, int] = {}
    for j, size in _aligned(raw.get("sizes"), ctx, (*path, "sizes")):
        size_path: SpecPath = (*path, "sizes", j)
        ranges: dict[str, tuple[float, float]] = {}
        for measurement in MEASUREMENTS:
            written = ctx.raw((*size_path, measurement))
            if written is None:
                continue
            where = (*size_path, measurement)
            checked = size.get(measurement)
            if not isinstance(written, list) or len(written) != 2:
                if isinstance(written, list) and len(written) > 2:
                    ctx.add(where, "Q004", f"chart '{name}', {measurement} needs two numbers, from and to: [88, 96]")
                continue
            if not isinstance(checked, list) or len(checked) != 2:
                continue  # a value that is not a number: its finding says so
            low, high = float(checked[0]), float(checked[1])
            if low >= high:
                ctx.add(
                    where,
                    "S001",
                    f"chart '{name}', size {size.get('size', j + 1)}: {measurement} {_number(low)}–{_number(high)} "
                    "cm is not in order; write the smaller number first",
                )
                continue
            ranges[measurement] = (low, high)
        if "size" not in size:
            continue
        label = str(size["size"])
        as_written.append(ChartSize(label, ranges, size_path))
        if label in seen:
            ctx.add((*size_path, "size"), "Q005", f"chart '{name}' has size {label} twice; remove one")
            continue
        seen[label] = j
        sizes.append(ChartSize(label, ranges, size_path))
    _check_ladder(name, as_written, ctx)
    return SizeChart(
        id=name,
        category=raw.get("category", ""),
        attribute=raw.get("attribute", ""),
        sizes=tuple(sizes),
        brand=target.get("brand"),
        skus=tuple(target.get("skus", ())),
        when=when,
        file=ctx.file,
        position=ctx.position(path),
        path=path,
    )


def _check_ladder(name: str, sizes: list[ChartSize], ctx: Context) -> None:
    """Every size has the same measurements; neighbouring sizes meet (no gap, no overlap)."""
    measured = {m for size in sizes for m in size.ranges}
    for size in sizes:
        for measurement in sorted(measured - set(size.ranges), key=MEASUREMENTS.index):
            if ctx.raw((*size.path, measurement)) is None:  # a range written wrongly has its own finding
                ctx.add(
                    (*size.path, "size"),
                    "S001",
                    f"chart '{name}', size {size.size} has no {measurement} range, but other sizes have; add it",
                )
    for smaller, larger in zip(sizes, sizes[1:], strict=False):
        for measurement in MEASUREMENTS:
            if measurement not in smaller.ranges or measurement not in larger.ranges:
                continue
            end, start = smaller.ranges[measurement][1], larger.ranges[measurement][0]
            if start == end:
                continue
            if start > end:
                what = f"{_number(end)}–{_number(start)} cm fits neither {smaller.size} nor {larger.size} (a gap)"
            else:
                what = f"{_number(start)}–{_number(end)} cm is in both {smaller.size} and {larger.size} (an overlap)"
            ctx.add(
                (*larger.path, measurement, 0),
                "S001",
                f"chart '{name}': {measurement} {what}; start {larger.size} at {_number(end)}, where "
                f"{smaller.size} ends",
            )


def load_size_charts(path: Path) -> SizeCharts:
    """Read a size charts file."""
    text, extra = read_data_file(path, "the size charts file")
    if text is None:
        return SizeCharts(str(path), {}, extra)
    charts = load_size_charts_text(text, str(path))
    return SizeCharts(charts.file, charts.by_id, tuple(sorted({*charts.findings, *extra})), charts.context)


def size_charts_path() -> Path:
    """The size charts file in use: the configuration's [content] size_charts, else the sample catalog's."""
    return content_in_use().size_charts or sample_catalog_dir() / SIZE_CHARTS_FILE


def size_charts_in_use() -> SizeCharts:
    """The size charts in use (read on first use, again by `refresh_size_charts` after a save)."""
    return _KEPT.get(size_charts_path())


def refresh_size_charts() -> tuple[Finding, ...]:
    """Take in a saved size charts file; the findings of a save with errors (the last good version stays in use)."""
    return _KEPT.refresh(size_charts_path())


_KEPT: KeptFile[SizeCharts] = KeptFile(load_size_charts)


# -- checks against the catalog and the questionnaires -------------------------------------------------------


def _hint(suggestion: str | None) -> str:
    return f" (did you mean '{suggestion}'?)" if suggestion else ""


def _some(skus: Iterable[str], most: int = 5) -> str:
    listed = list(skus)
    more = f" and {len(listed) - most} more" if len(listed) > most else ""
    return ", ".join(listed[:most]) + more


def check_size_charts(charts: SizeCharts, dictionary: Dictionary | None, catalog: CatalogIndex | None) -> list[Finding]:
    """A size charts file against the catalog: categories (Q017), attributes (Q009, Q011), sizes among the
    attribute's values (Q010) and smallest first (S001), skus of the category (A007), and sizes a product the
    chart is for does not come in (S004, a warning)."""
    ctx = charts.context
    if ctx is None or dictionary is None:
        return []
    out: list[Finding] = []
    for chart in charts.by_id.values():
        category = dictionary.categories.get(chart.category)
        if category is None:
            suggestion = closest(chart.category, dictionary.categories)
            out.append(
                ctx.finding(
                    (*chart.path, "category"),
                    "Q017",
                    f"chart '{chart.id}': category '{chart.category}' is not in the catalog; use one of "
                    f"{', '.join(dictionary.categories)}{_hint(suggestion)}",
                    fix=suggestion,
                )
            )
            continue
        for name in sorted(chart.when.names if chart.when else ()):
            if name not in category.attributes and name != "price":
                suggestion = closest(name, category.attributes)
                out.append(
                    ctx.finding(
                        (*chart.path, "for", "when"),
                        "Q008",
                        f"chart '{chart.id}': '{name}' is not an attribute of {chart.category}{_hint(suggestion)}",
                    )
                )
        attribute = category.attributes.get(chart.attribute)
        varying = [n for n in category.varying if category.attributes[n].type in ("enum", "set")]
        if attribute is None:
            suggestion = closest(chart.attribute, varying)
            out.append(
                ctx.finding(
                    (*chart.path, "attribute"),
                    "Q009",
                    f"chart '{chart.id}': '{chart.attribute}' is not an attribute of {chart.category}"
                    + _hint(suggestion),
                    fix=suggestion,
                )
            )
            continue
        if not attribute.varies or attribute.type not in ("enum", "set"):
            out.append(
                ctx.finding(
                    (*chart.path, "attribute"),
                    "Q011",
                    f"chart '{chart.id}': '{chart.attribute}' is not an enum or set attribute that varies between a "
                    "model's variants" + (f"; use {', '.join(varying)}" if varying else ""),
                )
            )
            continue
        out += _check_sizes(chart, attribute.values or (), ctx)
        index = catalog.categories.get(chart.category) if catalog is not None else None
        if index is not None:
            out += _check_products(chart, charts, index, catalog, ctx, attribute.values or ())
    return out


def _check_sizes(chart: SizeChart, values: tuple[str, ...], ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    known = [size for size in chart.sizes if size.size in values]
    for size in chart.sizes:
        if size.size not in values:
            suggestion = closest(size.size, values)
            out.append(
                ctx.finding(
                    (*size.path, "size"),
                    "Q010",
                    f"chart '{chart.id}': '{size.size}' is not a value of {chart.attribute}; use one of "
                    f"{', '.join(values)}{_hint(suggestion)}",
                    fix=suggestion,
                )
            )
    for smaller, larger in zip(known, known[1:], strict=False):
        if values.index(larger.size) < values.index(smaller.size):
            out.append(
                ctx.finding(
                    (*larger.path, "size"),
                    "S001",
                    f"chart '{chart.id}': {larger.size} comes after {smaller.size}; list the sizes smallest first, "
                    f"as {chart.attribute} does ({', '.join(values)})",
                )
            )
    return out


def _check_products(
    chart: SizeChart,
    charts: SizeCharts,
    index: CategoryIndex,
    catalog: CatalogIndex | None,
    ctx: Context,
    values: tuple[str, ...],
) -> list[Finding]:
    out: list[Finding] = []
    for i, sku in enumerate(chart.skus):
        if sku not in index.position:
            elsewhere = catalog is not None and any(sku in other.position for other in catalog.categories.values())
            reason = f"is not one of the {chart.category}" if elsewhere else "is not in the catalog"
            out.append(
                ctx.finding(
                    (*chart.path, "for", "skus", i),
                    "A007",
                    f"chart '{chart.id}' is for {sku}, which {reason}; correct the sku",
                )
            )
    missing: dict[str, list[str]] = {}
    for product in index.products:
        offered = variant_sizes(product, chart.attribute)
        if not offered or charts.chart_for(chart.category, chart.attribute, product) is not chart:
            continue
        for size in chart.sizes:
            if size.size in values and size.size not in offered:  # (a size that is no value: Q010 says so)
                missing.setdefault(size.size, []).append(product.sku)
    for size in chart.sizes:
        if size.size in missing:
            out.append(
                ctx.finding(
                    (*size.path, "size"),
                    "S004",
                    f"chart '{chart.id}' advises {size.size}, which {_some(missing[size.size])} "
                    f"{'does' if len(missing[size.size]) == 1 else 'do'} not come in; give them a chart of their own, "
                    "or remove the size",
                    severity=WARNING,
                )
            )
    return out


def check_sizing(questionnaire: Questionnaire, ctx: Context, charts: SizeCharts, index: CategoryIndex) -> list[Finding]:
    """A questionnaire's size block against the catalog and the charts: every product of the category that comes
    in sizes has a chart (S003), and every chart that is for one covers all that each measurement step allows,
    from its min to its max (S002, one finding per stretch that is not covered). None while the charts file has
    errors of its own."""
    sizing = questionnaire.results.size
    if sizing is None or sizing.attribute not in index.category.varying:
        return []
    if not charts.ok:  # the charts file's own errors say what is wrong; no follow-ons here from a half-read file
        return []
    out: list[Finding] = []
    in_sizes = [p for p in index.products if variant_sizes(p, sizing.attribute)]
    applied: dict[str, SizeChart] = {}
    uncharted: list[str] = []
    for product in in_sizes:
        chart = charts.chart_for(questionnaire.category, sizing.attribute, product)
        if chart is None:
            uncharted.append(product.sku)
        else:
            applied.setdefault(chart.id, chart)
    # A chart of this category on an attribute the category does not have (Q009 on the charts file says so) may be
    # the one these products lack: no second finding here for the same typo.
    mistyped = any(
        chart.category == questionnaire.category and chart.attribute not in index.category.attributes
        for chart in charts.by_id.values()
    )
    if uncharted and not mistyped:
        out.append(
            ctx.finding(
                (*sizing.path, "attribute"),
                "S003",
                f"size: no size chart is for {_some(uncharted)} ({len(uncharted)} of the {len(in_sizes)} "
                f"{questionnaire.category} in {sizing.attribute}); add a chart for their brand or model to "
                f"{Path(charts.file).name}",
            )
        )
    steps = {step.id: step for step in questionnaire.steps}
    for chart in applied.values():
        measured = [m for m in sizing.measurements if m in chart.measurements]
        if not measured and sizing.measurements:
            out.append(
                ctx.finding(
                    (*sizing.path, "measurements"),
                    "S002",
                    f"chart '{chart.id}' ({chart.where}) measures none of {', '.join(sizing.measurements)}; add "
                    "their ranges to the chart",
                )
            )
        for measurement in measured:
            step = steps.get(sizing.measurements[measurement])
            span = chart.span(measurement)
            if step is None or step.kind != "number" or step.min is None or step.max is None or span is None:
                continue
            where = (*sizing.path, "measurements", measurement)
            low, high = span
            named = f"chart '{chart.id}' ({chart.where}): {measurement}"
            if step.min < low:
                out.append(
                    ctx.finding(
                        where,
                        "S002",
                        f"{named} from {_number(step.min)} to below {_number(low)} cm, which step '{step.id}' allows, "
                        f"is not covered; start the smallest size ({chart.sizes[0].size}) at {_number(step.min)}, or "
                        f"raise the step's min to {_number(low)}",
                    )
                )
            if step.max > high:
                out.append(
                    ctx.finding(
                        where,
                        "S002",
                        f"{named} above {_number(high)} up to {_number(step.max)} cm, which step '{step.id}' allows, "
                        f"is not covered; end the largest size ({chart.sizes[-1].size}) at {_number(step.max)}, or "
                        f"lower the step's max to {_number(high)}",
                    )
                )
    return out
