"""What the language server offers at a spot in a questionnaire: completions, hover, the definition of a step.

Plain data in characters (0-based lines and columns); the server turns them into LSP messages. Everything is
worked out from the questionnaire format (advisor.questionnaire.spec), the catalog's attribute dictionary and
products, and the last analysis of the file (its steps and options).
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from advisor import engine
from advisor.audit import Analysis, candidate_answers
from advisor.catalog.dictionary import PRICE, AttributeSpec, Dictionary
from advisor.expressions import FUNCTIONS, Expression, ExpressionError, parse
from advisor.i18n import pick
from advisor.lsp.cursor import Cursor, Path, cursor_at, lines_of
from advisor.questionnaire import spec
from advisor.questionnaire.checks import fits_kind, meant_category
from advisor.questionnaire.document import read_document, value_at
from advisor.questionnaire.model import DONT_CARE, KINDS, RESULTS_STEP, Option, Questionnaire, Requirement, Step
from advisor.recommend.core import _masks as requirement_masks  # the recommender's own: variants and stock too
from advisor.recommend.index import CatalogIndex, CategoryIndex

EXPRESSION_KEYS = ("show_if", "if", "expr", "target")
_CATEGORY = re.compile(r"^category:\s*['\"]?([\w-]+)", re.MULTILINE)
_SERVICE = re.compile(r"^kind:\s*service\b", re.MULTILINE)  # a service flow (help with an owned product)

# What completion items are (the server maps them to LSP's kinds).
KEY, VALUE, ATTRIBUTE, STEP, OPTION, FUNCTION, PRODUCT = (
    "key",
    "value",
    "attribute",
    "step",
    "option",
    "function",
    "product",
)


@dataclass(frozen=True)
class Completion:
    label: str
    kind: str
    detail: str = ""
    documentation: str = ""
    insert: str | None = None  # the text to insert (the label when None)
    replace: Span | None = None  # what this item replaces, when not the word at the cursor (a number's quotes)
    filter: str | None = None  # what the editor matches the typed text against, with `replace` ('"3' for 3)


@dataclass(frozen=True)
class Span:
    """0-based line and columns in characters, end exclusive."""

    line: int
    start: int
    end_line: int
    end: int


@dataclass(frozen=True)
class Completions:
    items: tuple[Completion, ...]
    replace: Span  # what a chosen item replaces: the word the cursor is in (before it and the rest after it)


@dataclass(frozen=True)
class Hover:
    markdown: str
    span: Span


@dataclass(frozen=True)
class Knowledge:
    """What the server knows: the catalog (dictionary and products) and the file's last analysis."""

    dictionary: Dictionary | None
    catalog: CatalogIndex | None
    analysis: Analysis | None

    @property
    def questionnaire(self) -> Questionnaire | None:
        return self.analysis.questionnaire if self.analysis else None

    def category_id(self, text: str) -> str | None:
        named = self.questionnaire.category if self.questionnaire else None
        if not named:
            match = _CATEGORY.search(text)
            named = match.group(1) if match else None
        if named is None or self.dictionary is None:
            return None
        return meant_category(named, self.dictionary.categories)

    def attributes(self, text: str) -> Mapping[str, AttributeSpec]:
        category = self.category_id(text)
        if self.dictionary is None or category is None:
            return {}
        return self.dictionary.categories[category].attributes

    def index(self, text: str) -> CategoryIndex | None:
        category = self.category_id(text)
        return self.catalog.categories.get(category) if self.catalog and category else None

    def steps(self) -> tuple[Step, ...]:
        return self.questionnaire.steps if self.questionnaire else ()


# -- completion -------------------------------------------------------------------------------------------------


_WORD_REST = re.compile(r"[\w.-]+")


def complete(text: str, line: int, column: int, knowledge: Knowledge) -> Completions:
    """What can be written at the cursor."""
    cursor = cursor_at(text, line, column)
    lines = lines_of(text)
    after = lines[line][column:] if line < len(lines) else ""
    rest = _WORD_REST.match(after)  # "nu|mber" and "number" chosen: "number", not "numbermber"
    replace = Span(line, cursor.start, line, column + (rest.end() if rest else 0))
    if cursor.block_text:
        return Completions((), replace)
    items = list(_keys(cursor, text, knowledge) if cursor.in_key else _values(cursor, text, knowledge, after))
    prefix = cursor.prefix.lower()
    chosen = [
        item
        for item in items
        if any(written.lower().startswith(prefix) for written in (item.insert or item.label, item.filter or ""))
    ]
    return Completions(tuple(dict.fromkeys(chosen)), replace)


def node_at(path: Path) -> spec.Node | None:
    """The format's node for the value at `path` (list indices and free keys followed)."""
    node: spec.Node | None = spec.QUESTIONNAIRE
    for part in path:
        if isinstance(node, spec.Either):
            node = node.mapping
        if isinstance(node, spec.Obj):
            node = node.fields[part][0] if isinstance(part, str) and part in node.fields else None
        elif isinstance(node, spec.ListOf):
            node = node.item
        elif isinstance(node, spec.MapOf):
            node = node.value
        else:
            return None
    return node


def _keys(cursor: Cursor, text: str, knowledge: Knowledge) -> Iterator[Completion]:
    """The keys the mapping at the cursor can take, less those it has (a key twice is an error)."""
    path = cursor.path
    written = _written_keys(text, cursor)
    if len(path) >= 3 and path[0] == "examples" and path[-1] == "answers":
        for step in knowledge.steps():
            if step.id not in written:
                yield Completion(step.id, STEP, f"{step.kind} step", _question(step), f"{step.id}: ")
        return
    node = node_at(path)
    if isinstance(node, spec.Either):
        node = node.mapping
    if isinstance(node, spec.Obj):
        kind = _step_kind(text, path) if node is spec.STEP else None  # a step offers the keys of its kind
        for key, (field, required) in node.fields.items():
            if key not in written and fits_kind(key, kind):
                yield Completion(key, KEY, "required" if required else "", field.description, f"{key}: ")
    elif isinstance(node, spec.Texts) or (path and path[-1] == "address"):
        locales = knowledge.questionnaire.locales if knowledge.questionnaire else ("de", "en")
        for locale in locales:
            if locale not in written:
                yield Completion(locale, KEY, "locale", insert=f"{locale}: ")


def _step_kind(text: str, path: Path) -> str | None:
    """The kind the step at `path` is written with (None when it has none yet, or the file cannot be read)."""
    step = value_at(_document_value(text), path)
    kind = step.get("kind") if isinstance(step, Mapping) else None
    return kind if isinstance(kind, str) else None


def _written_keys(text: str, cursor: Cursor) -> set[str]:
    """The keys the mapping at the cursor has, but the one being typed."""
    document = read_document(text)
    return {
        str(path[-1])
        for path, span in document.keys.items()
        if path[:-1] == cursor.path and span[:2] != (cursor.line, cursor.start)
    }


def _values(cursor: Cursor, text: str, knowledge: Knowledge, after: str) -> Iterator[Completion]:
    path = cursor.path
    keys = [part for part in path if isinstance(part, str)]
    last = keys[-1] if keys else ""
    attributes = knowledge.attributes(text)
    if last in EXPRESSION_KEYS or (len(keys) >= 1 and keys[-1] == "require"):
        # A finder's conditions on steps read answers only; a service flow's, and every outcome's, the product too.
        on_steps = keys[:1] == ["steps"] and last in ("show_if", "if") and not _SERVICE.search(text)
        yield from _expression(cursor, text, knowledge, after, steps_only=on_steps or last == "target")
        return
    node = node_at(path)
    if len(keys) >= 3 and keys[0] == "examples" and keys[-2] == "answers":
        yield from _answers(last, knowledge)
    elif last in ("include", "exclude"):
        yield from _products(knowledge.index(text))
    elif last == "kind":
        yield from (Completion(kind, VALUE) for kind in KINDS)
    elif last == "unit":
        yield from (Completion(unit, VALUE) for unit in spec.UNITS)
    elif last == "icon":
        yield from (Completion(icon, VALUE, "icon") for icon in spec.ICONS)
    elif last == "goto":  # a later step (going back to this step or an earlier one runs in a circle)
        here = _step_index(cursor.path)
        for step in knowledge.steps():
            if here is None or int(step.path[1]) > here:
                yield Completion(step.id, STEP, f"{step.kind} step", _question(step))
        yield Completion(RESULTS_STEP, VALUE, "end the questions")
    elif last == "importance":  # a step whose answer is a number (what the check accepts)
        for step in knowledge.steps():
            if step.kind == "number" or (step.kind == "single" and _number_values(step)):
                yield Completion(step.id, STEP, f"{step.kind} step", _question(step))
    elif last in ("attribute", "tie_break") or keys[-2:] == ["diversity", "attribute"]:
        wanted: tuple[str, ...] | None = ("enum", "boolean") if keys[-2:] == ["diversity", "attribute"] else None
        wanted = ("number", "integer", "boolean") if last == "tie_break" else wanted
        yield from _attributes(attributes, wanted, descending=last == "tie_break")
    elif last in ("contains", "equals"):
        attribute = _sibling(text, cursor, "attribute", cursor.value + after)
        spec_ = attributes.get(attribute or "")
        if spec_ is not None and spec_.values:
            yield from _enum_values(spec_, knowledge.index(text))
    elif last == "category" and knowledge.dictionary is not None:
        for category_id, category in knowledge.dictionary.categories.items():
            yield Completion(category_id, VALUE, pick(category.label, "en"))
    elif last == "default_locale":
        locales = knowledge.questionnaire.locales if knowledge.questionnaire else ("de", "en")
        yield from (Completion(locale, VALUE) for locale in locales)
    elif len(keys) >= 2 and keys[-2] == "address":
        yield from (Completion(form, VALUE) for form in ("du", "Sie"))
    elif isinstance(node, spec.Bool):
        yield from (Completion(word, VALUE) for word in ("true", "false"))
    elif isinstance(node, spec.Choice):
        yield from (Completion(value, VALUE) for value in node.values)


def _step_index(path: Path) -> int | None:
    """Which step (its index in the file) the cursor is in, or None outside the steps."""
    return path[1] if len(path) >= 2 and path[0] == "steps" and isinstance(path[1], int) else None


def _number_values(step: Step) -> bool:
    """Whether every option of a step stands for a number (an importance step)."""
    values = [option.answer_value for option in step.options]
    return bool(values) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


def _sibling(text: str, cursor: Cursor, key: str, line_text: str) -> str | None:
    """The value of `key` in the mapping the cursor's value belongs to (a preference's attribute)."""
    mapping = value_at(_document_value(text), cursor.path[:-1])
    value = mapping.get(key) if isinstance(mapping, Mapping) else None
    if isinstance(value, str):
        return value
    match = re.search(rf"\b{key}:\s*['\"]?([\w-]+)", lines_of(text)[cursor.line] if cursor.line >= 0 else "")
    return match.group(1) if match else None


def _document_value(text: str) -> Any:
    return read_document(text).value


def _question(step: Step) -> str:
    lines = [f"**{step.id}** ({step.kind})"]
    lines += [f"- {locale}: {question}" for locale, question in step.question.items()]
    if step.options:
        lines.append("Options: " + ", ".join(f"`{option.id}`" for option in step.options))
    return "\n".join(lines)


def _attributes(
    attributes: Mapping[str, AttributeSpec], wanted: tuple[str, ...] | None = None, *, descending: bool = False
) -> Iterator[Completion]:
    if not wanted or "number" in wanted:
        yield Completion(PRICE, ATTRIBUTE, "number (EUR)", "the product's price")
        if descending:
            yield Completion(f"-{PRICE}", ATTRIBUTE, "number (EUR), descending", "the product's price")
    for name, attribute in attributes.items():
        if wanted and attribute.type not in wanted:
            continue
        detail = attribute.type + (f" ({attribute.unit})" if attribute.unit else "")
        yield Completion(name, ATTRIBUTE, detail, pick(attribute.label, "en"))
        if descending:
            yield Completion(f"-{name}", ATTRIBUTE, detail + ", descending", pick(attribute.label, "en"))


def _enum_values(attribute: AttributeSpec, index: CategoryIndex | None) -> Iterator[Completion]:
    counts = _value_counts(attribute, index) if index is not None else {}
    for value in attribute.values or ():
        label = (
            pick(attribute.value_labels[value], "en")
            if attribute.value_labels and value in attribute.value_labels
            else ""
        )
        count = counts.get(value, 0)
        detail = f"{count} product{'' if count == 1 else 's'}" if index is not None else ""
        yield Completion(value, VALUE, detail, label)


def _answers(step_id: str, knowledge: Knowledge) -> Iterator[Completion]:
    step = next((s for s in knowledge.steps() if s.id == step_id), None)
    if step is None:
        return
    for option in step.options:
        yield Completion(option.id, OPTION, pick(option.label, "en") if option.label else "")
    if step.kind == "yes_no":
        yield from (Completion(word, VALUE) for word in ("true", "false"))
    if step.dont_care:
        yield Completion(DONT_CARE, VALUE, "doesn't matter")


def _products(index: CategoryIndex | None) -> Iterator[Completion]:
    if index is None:
        return
    for product in index.products:
        yield Completion(product.sku, PRODUCT, pick(product.name, "en"), f"{product.brand}, {product.price:.2f} EUR")


# -- expressions --------------------------------------------------------------------------------------------------


def _expression(
    cursor: Cursor, text: str, knowledge: Knowledge, after: str, *, steps_only: bool
) -> Iterator[Completion]:
    """Names, functions, or inside quotes the values of the attribute or step compared with."""
    value = cursor.value
    source = value
    string = _open_string(source)
    if string is not None:
        partner = _partner(source[:string], after, knowledge)
        quotes = _quotes_span(cursor, source, string, after)
        for item in _values_of(partner, text, knowledge):
            # A number in quotes is a text, and never equals a number: a number value replaces the quotes.
            if item.insert is not None and quotes is not None:
                item = dataclasses.replace(item, replace=quotes, filter=source[string] + item.insert)
            yield item
        return
    name = _compared(source[: len(source) - len(cursor.prefix)])
    # A multiple-choice answer is a list: it equals no single value ("x" in extras asks for one), so none is offered.
    compared = _values_of(None if _is_multiple(name, knowledge) else name, text, knowledge)
    offered = False
    for item in compared:  # `trip == |`: the values, a text in quotes (those the YAML value leaves free)
        if item.insert is None:
            quote = "'" if cursor.quote == '"' else '"'
            item = dataclasses.replace(item, label=f"{quote}{item.label}{quote}", insert=f"{quote}{item.label}{quote}",
                                       filter=item.label)  # fmt: skip
        offered = True
        yield item
    if offered:
        return
    # A step's show_if sees the answers of the steps before it, its routing conditions its own answer too.
    here = _step_index(cursor.path)
    keys = [part for part in cursor.path if isinstance(part, str)]
    known_before = {"show_if": 0, "if": 1}.get(keys[-1] if keys else "") if keys[:1] == ["steps"] else None
    for step in knowledge.steps():
        if here is None or known_before is None or int(step.path[1]) < here + known_before:
            yield Completion(step.id, STEP, f"answer of the {step.kind} step", _question(step))
    if not steps_only:
        yield from _attributes(knowledge.attributes(text))
    for name, function in FUNCTIONS.items():
        yield Completion(name, FUNCTION, "function", function.doc, f"{name}(")
    for word in ("and", "or", "not", "in", "true", "false"):
        yield Completion(word, VALUE)


def _open_string(source: str) -> int | None:
    """Where an unclosed string literal in an expression starts (its quote), or None."""
    quote, start = "", -1
    for i, char in enumerate(source):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote, start = char, i
    return start if quote else None


def _quotes_span(cursor: Cursor, source: str, string: int, after: str) -> Span | None:
    """The string literal being typed at the cursor, from its opening quote to its closing one (if written)."""
    if "\n" in source[string:] or cursor.line < 0:
        return None
    column = cursor.start + len(cursor.prefix)
    rest = _WORD_REST.match(after)
    end = column + (rest.end() if rest else 0)
    if after[end - column : end - column + 1] == source[string]:
        end += 1
    return Span(cursor.line, column - (len(source) - string), cursor.line, end)


def _is_multiple(name: str | None, knowledge: Knowledge) -> bool:
    return name is not None and any(step.id == name and step.kind == "multiple" for step in knowledge.steps())


def _partner(before: str, after: str, knowledge: Knowledge) -> str | None:
    """The name a string literal is compared with: `name == "..."`, `name in ["...", "..."]`, `"..." in name` (not a
    multiple-choice step's in the first two: its answer is a list, which no single value equals)."""
    compared = _compared(before)
    if compared:
        return None if _is_multiple(compared, knowledge) else compared
    match = re.search(r"^[^'\"]*['\"]\s*(?:not\s+)?in\s+([A-Za-z_]\w*)", after)
    return match.group(1) if match else None


def _compared(before: str) -> str | None:
    """The name what follows is compared with: `name == `, `name != `, `name in [..., `."""
    match = re.search(r"([A-Za-z_]\w*)\s*(?:==|!=)\s*$", before)
    if match:
        return match.group(1)
    match = re.search(r"([A-Za-z_]\w*)\s+(?:not\s+)?in\s*\[[^\]]*$", before)
    return match.group(1) if match else None


def _values_of(name: str | None, text: str, knowledge: Knowledge) -> Iterator[Completion]:
    if name is None:
        return
    step = next((s for s in knowledge.steps() if s.id == name), None)
    if step is not None:
        by_value: dict[str, list[Any]] = {}
        for option in step.options:  # options that stand for the same value are one item
            by_value.setdefault(repr(option.answer_value), []).append(option)
        for options in by_value.values():
            value = options[0].answer_value
            ids = ", ".join(option.id for option in options)
            detail = f"option {ids} of {step.id}" + ("" if isinstance(value, str) else " (a number: no quotes)")
            label = " / ".join(pick(option.label, "en") for option in options if option.label)
            yield Completion(str(value), OPTION, detail, label, None if isinstance(value, str) else str(value))
        return
    attribute = knowledge.attributes(text).get(name)
    if attribute is not None and attribute.values:
        yield from _enum_values(attribute, knowledge.index(text))


# -- hover ---------------------------------------------------------------------------------------------------------


def _word_at(line_text: str, column: int) -> tuple[str, int, int] | None:
    for match in re.finditer(r"-?[A-Za-z_][A-Za-z0-9_\-]*", line_text):
        if match.start() <= column <= match.end():
            return match.group().lstrip("-"), match.start() + (1 if match.group().startswith("-") else 0), match.end()
    return None


@dataclass(frozen=True)
class _Named:
    """What the word under the cursor names where it is written: a step, an option of a step, a product attribute,
    one of an attribute's values, or a product (each None when it is not that)."""

    step: Step | None = None
    option: Option | None = None  # an option of `step`
    attribute: str | None = None
    value: str | None = None  # a value of `attribute`
    sku: str | None = None


# Keys whose value names a step, an attribute, a sku.
_STEP_KEYS = ("goto", "importance", "purchased", "problem")
_ATTRIBUTE_KEYS = ("attribute", "tie_break")
_SKU_KEYS = ("include", "exclude", "skus", "product")


def _named(text: str, line: int, word: tuple[str, int, int], cursor: Cursor, knowledge: Knowledge) -> _Named | None:
    """What `word` (at its columns on `line`) names, read from where the cursor is: the same context completion
    offers from (an option in a condition on its step, a step in goto, an attribute in a preference)."""
    name, start, end = word
    steps = {step.id: step for step in knowledge.steps()}
    attributes = knowledge.attributes(text)
    keys = [part for part in cursor.path if isinstance(part, str)]
    last = keys[-1] if keys else ""

    def attribute(named: str) -> _Named | None:
        return _Named(attribute=named) if named in attributes or named == PRICE else None

    def step_or_attribute(named: str) -> _Named | None:  # an expression's name: an answer, or a product's value
        return _Named(step=steps[named]) if named in steps else attribute(named)

    if cursor.in_key:  # a key: an example's answer names a step
        if keys[:1] == ["examples"] and last == "answers" and name in steps:
            return _Named(step=steps[name])
        return None
    if last in (*EXPRESSION_KEYS, "rule") or last == "require":
        source = cursor.value
        string = _open_string(source)
        if string is None:
            return step_or_attribute(name)
        after = lines_of(text)[line][end:]
        closing = after.find(source[string])
        literal = source[string + 1 :] + (after[:closing] if closing >= 0 else "")
        return _value_named(_partner(source[:string], after, knowledge), literal, steps, attributes)
    if len(keys) >= 3 and keys[0] == "examples" and keys[-2] == "answers":
        step = steps.get(last)
        option = step.option(name) if step else None
        return _Named(step=step, option=option) if option else None
    path = cursor.path
    if path[-1:] == ("id",) and len(path) in (3, 5) and path[0] == "steps":  # a step's or an option's own id
        here = next((step for step in steps.values() if step.path == path[:2]), None)
        option = here.option(name) if here and len(path) == 5 else None
        return _Named(step=here, option=option) if here and (option or len(path) == 3) else None
    if last in _STEP_KEYS or (len(keys) >= 2 and keys[-2] == "measurements"):
        return _Named(step=steps[name]) if name in steps else None
    if last in _ATTRIBUTE_KEYS:
        return attribute(name)
    if last in ("contains", "equals"):
        owner = _sibling(text, cursor, "attribute", lines_of(text)[line])
        spec_ = attributes.get(owner or "")
        return _Named(attribute=owner, value=name) if spec_ and name in (spec_.values or ()) else None
    if last in _SKU_KEYS:
        return _Named(sku=name)
    row = lines_of(text)[line]
    if row[start - 1 : start] == "{" and row[end : end + 1] == "}" and name in steps:  # a label's {step}
        return _Named(step=steps[name])
    if node_at(path) is None and not _known_path(path):  # an unknown key (mistyped): read the word by its name
        return step_or_attribute(name)
    return None


def _known_path(path: Path) -> bool:
    """Whether the format knows the keys of `path` (a text's locale and a free key are known)."""
    node: spec.Node | None = spec.QUESTIONNAIRE
    for part in path:
        if isinstance(node, spec.Either):
            node = node.mapping
        if isinstance(node, spec.Obj):
            if not (isinstance(part, str) and part in node.fields):
                return False
            node = node.fields[part][0]
        elif isinstance(node, spec.ListOf):
            node = node.item
        elif isinstance(node, spec.MapOf):
            node = node.value
        else:
            return True  # inside a value the format does not go into (a text per locale, an answer)
    return True


def _value_named(
    partner: str | None, literal: str, steps: Mapping[str, Step], attributes: Mapping[str, AttributeSpec]
) -> _Named | None:
    """What a text in quotes in an expression is: the option of the step it is compared with, or a value of the
    attribute (`trip == "bike"`, `"alpine" in use`)."""
    if partner is not None and partner in steps:
        step = steps[partner]
        option = next((o for o in step.options if o.answer_value == literal), None) or step.option(literal)
        return _Named(step=step, option=option) if option else None
    spec_ = attributes.get(partner or "")
    if spec_ is not None and literal in (spec_.values or ()):
        return _Named(attribute=partner, value=literal)
    return None


def hover(text: str, line: int, column: int, knowledge: Knowledge) -> Hover | None:
    """What the word under the cursor is where it is written: a step, an option, an attribute with its products,
    a product; in a requirement also how many products meet it."""
    lines = lines_of(text)
    if line >= len(lines):
        return None
    found = _word_at(lines[line], column)
    word, start, end = found if found else ("", column, column)
    cursor = cursor_at(text, line, end)
    keys = [part for part in cursor.path if isinstance(part, str)]
    parts: list[str] = []
    named = _named(text, line, found, cursor, knowledge) if found else None
    index = knowledge.index(text)
    if named is None:
        pass
    elif named.option is not None and named.step is not None:
        parts.append(_option_hover(named.step, named.option))
    elif named.step is not None:
        parts.append(_question(named.step))
    elif named.attribute is not None and named.value is not None:
        parts.append(_value_hover(named.attribute, named.value, knowledge.attributes(text), index))
    elif named.attribute is not None:
        parts.append(_attribute_hover(word, knowledge.attributes(text).get(word), index))
    elif named.sku is not None and index is not None and word in index.position:
        product = index.products[index.position[word]]
        parts.append(f"**{product.sku}** {pick(product.name, 'en')}, {product.brand}, {product.price:.2f} EUR")
    if index is not None and (keys[-1:] == ["expr"] or (keys and keys[-1] == "require")):
        requirement = _requirement_text(text, cursor)
        if requirement:
            parts.append(requirement_fit(requirement, index, knowledge.questionnaire))
    if not parts:
        return None
    return Hover("\n\n".join(parts), Span(line, start, line, end))


def _option_hover(step: Step, option: Option) -> str:
    lines = [f"option `{option.id}` of step `{step.id}` ({step.kind})"]
    lines += [f"- {locale}: {label}" for locale, label in option.label.items()]
    value = option.answer_value
    written = f'"{value}"' if isinstance(value, str) else f"{value} (a number: no quotes)"
    lines.append(f"Stands for {written} in conditions")
    return "\n".join(lines)


def _value_hover(name: str, value: str, attributes: Mapping[str, AttributeSpec], index: CategoryIndex | None) -> str:
    attribute = attributes[name]
    labels = attribute.value_labels.get(value) if attribute.value_labels else None
    label = " / ".join(labels.values()) if labels else ""
    lines = [f"`{value}`, a value of **{name}** ({attribute.type})" + (f": {label}" if label else "")]
    if index is not None:
        noun = pick(index.category.label, "en").lower()
        lines.append(f"{_value_counts(attribute, index).get(value, 0)} of {index.size} {noun} have it")
    return "\n\n".join(lines)


def _requirement_text(text: str, cursor: Cursor) -> str | None:
    value = value_at(_document_value(text), cursor.path)
    return value if isinstance(value, str) else None


def _value_counts(attribute: AttributeSpec, index: CategoryIndex) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for product in index.products:
        value = product.attributes.get(attribute.name)
        if isinstance(value, list):
            counts.update(str(item) for item in value)
        elif value is not None:
            counts[str(value)] += 1
    return dict(counts)


def _number(value: float) -> str:
    return f"{value:g}"


def _attribute_hover(name: str, attribute: AttributeSpec | None, index: CategoryIndex | None) -> str:
    if attribute is None:
        lines = ["**price** (number, EUR): the product's price"]
        unit = "EUR"
    else:
        unit = attribute.unit or ""
        label = " / ".join(f"{text}" for text in attribute.label.values())
        lines = [f"**{name}** ({attribute.type}{', ' + unit if unit else ''}): {label}"]
        if attribute.min is not None or attribute.max is not None:
            low = _number(attribute.min) if attribute.min is not None else "…"
            high = _number(attribute.max) if attribute.max is not None else "…"
            lines.append(f"Allowed range: {low}–{high} {unit}".rstrip())
    if index is None:
        return "\n\n".join(lines)
    noun = pick(index.category.label, "en").lower()
    if attribute is not None and attribute.type in ("enum", "set", "boolean"):
        counts = _value_counts(attribute, index)
        values = attribute.values or (("True", "False") if attribute.type == "boolean" else ())
        shown = ", ".join(f"`{value}`: {counts.get(value, 0)}" for value in values)
        missing = sum(1 for p in index.products if p.attributes.get(name) is None)
        lines.append(
            f"{noun.capitalize()} per value ({index.size} in all): {shown}"
            + (f"; {missing} without it" if missing else "")
        )
    elif attribute is not None and name in index.varying and index.has_variants:
        lines += _varying_numbers(name, unit, noun, index)
    else:
        column = index.numbers(name)
        known = column[~np.isnan(column)]
        if known.size:
            low, high = _number(float(known.min())), _number(float(known.max()))
            lines.append(f"In the catalog: {low}–{high} {unit} ({known.size} of {index.size} {noun} have it)")
            distinct, tally = np.unique(known, return_counts=True)
            if len(distinct) <= 12:  # few values (sleeps, seasons): how many products have each
                pairs = zip(distinct.tolist(), tally.tolist(), strict=True)
                lines.append("Per value: " + ", ".join(f"`{_number(value)}`: {count}" for value, count in pairs))
    return "\n\n".join(lines)


def _varying_numbers(name: str, unit: str, noun: str, index: CategoryIndex) -> list[str]:
    """A number that varies per variant (a shoe size): its range over the variants, and per value how many models
    have a variant of it (the model itself holds only its best value)."""
    columns = index.variant_columns()
    column = columns.numbers(name)
    present = ~np.isnan(column)
    if not present.any():
        return []
    known = column[present]
    low, high = _number(float(known.min())), _number(float(known.max()))
    models = int(np.count_nonzero(columns.to_models(present)))
    lines = [f"In the catalog: {low}–{high} {unit} over the variants ({models} of {index.size} {noun} have it)"]
    distinct = np.unique(known)
    if len(distinct) <= 12:  # few values (sizes): how many models have a variant of each
        pairs = [(value, int(np.count_nonzero(columns.to_models(column == value)))) for value in distinct.tolist()]
        lines.append(f"Per value ({noun} with a variant of it): "
                     + ", ".join(f"`{_number(value)}`: {count}" for value, count in pairs))  # fmt: skip
    return lines


def _fitting(expression: Expression, values: Mapping[str, Any], index: CategoryIndex, step_id: str) -> int:
    """How many models meet a requirement, as the recommender counts them: a model fits a requirement on what
    varies (a size) when one of its variants does."""
    mask, _ = requirement_masks(index, [Requirement(expression, None, step_id, None)], values)
    return int(np.count_nonzero(mask))


def requirement_fit(source: str, index: CategoryIndex, questionnaire: Questionnaire | None) -> str:
    """How many products of the category meet a requirement (for each answer it looks at)."""
    try:
        expression = parse(source)
    except ExpressionError as error:
        return f"This requirement cannot be read: {error.message}"
    noun = pick(index.category.label, "en").lower()
    steps = [s for s in (questionnaire.steps if questionnaire else ()) if s.id in expression.names]
    if not steps:
        count = _fitting(expression, {}, index, "")
        return f"`{source.strip()}`: **{count} of {index.size}** {noun} meet it"
    step = steps[0]
    rows = []
    for answer in candidate_answers(step):
        if answer == DONT_CARE:
            continue
        value = engine.answer_value(step, answer)
        count = _fitting(expression, {step.id: value}, index, step.id)
        rows.append(f"- {step.id} = {_shown(answer)}: {count} of {index.size}")
    others = ", ".join(s.id for s in steps[1:])
    note = f" (with {others} unanswered)" if others else ""
    return f"`{source.strip()}`: {noun} that meet it, by the answer to {step.id}{note}:\n" + "\n".join(rows)


def _shown(value: Any) -> str:
    return "+".join(str(v) for v in value) if isinstance(value, tuple | list) else str(value)


# -- definitions ---------------------------------------------------------------------------------------------------


def definition(text: str, line: int, column: int, knowledge: Knowledge) -> Span | None:
    """Where the step or option named under the cursor is defined (read from where the cursor is, as hover is)."""
    lines = lines_of(text)
    analysis = knowledge.analysis
    if line >= len(lines) or analysis is None or analysis.context is None or knowledge.questionnaire is None:
        return None
    found = _word_at(lines[line], column)
    if found is None:
        return None
    named = _named(text, line, found, cursor_at(text, line, found[2]), knowledge)
    if named is None:
        return None
    if named.option is not None:
        target = (*named.option.path, "id")
    elif named.step is not None:
        target = (*named.step.path, "id")
    else:
        return None
    span = analysis.context.span(target)
    return Span(span[0], span[1], span[2], span[3])
