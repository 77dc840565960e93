"""A merchandiser's own column names: an ERP or Excel export's header mapped onto the import format's columns.

A YAML file, one line per column of the export, `own name: format column`; `~` leaves a column out:

    Artikelnummer: sku
    VK-Preis: price
    Gewicht (kg): attributes.weight_kg
    Bestand München: stock.muc-01.quantity
    EK-Preis: ~

The import reads the table as if its header had the format's names, and every problem names the column as the
file does ("column VK-Preis (price)"). The file is checked against the attribute dictionary before any row is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

IGNORED = "\x00left out"  # the header name of a column the mapping leaves out (no format column can be named so)


class ColumnNamesError(ValueError):
    """The mapping file cannot be used: where and what."""


@dataclass(frozen=True)
class ColumnNames:
    """`own name -> format column` (None: left out), read from `source`."""

    source: str
    mapping: dict[str, str | None] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # own name -> its line in the file

    @property
    def targets(self) -> dict[str, str]:
        """format column -> the file's own name for it."""
        return {target: own for own, target in self.mapping.items() if target is not None}

    def knows(self, name: str) -> bool:
        return name in self.mapping

    def rename(self, header: Sequence[str]) -> list[str]:
        """The header with the format's names (a column left out gets IGNORED; one not in the mapping stays)."""
        renamed = []
        for name in header:
            if name in self.mapping:
                target = self.mapping[name]
                renamed.append(IGNORED if target is None else target)
            else:
                renamed.append(name)
        return renamed

    def shown(self, column: str) -> str:
        """A format column as the file names it: "VK-Preis (price)"; a column the file names so itself stays."""
        own = self.targets.get(column)
        return f"{own} ({column})" if own is not None and own != column else column


def load_column_names(path: Path) -> ColumnNames:
    """Read a mapping file; ColumnNamesError says the file, the line and what is wrong."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise ColumnNamesError(f"{path}: no such file") from error
    except (OSError, UnicodeDecodeError) as error:
        raise ColumnNamesError(f"{path}: cannot read it: {error}") from error
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}:" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ColumnNamesError(f"{path}:{where} not readable as YAML: {problem}") from error
    if node is None:
        raise ColumnNamesError(f"{path}: the file is empty; write one line per column, like `Artikelnummer: sku`")
    if not isinstance(node, yaml.MappingNode):
        raise ColumnNamesError(
            f"{path}: line {node.start_mark.line + 1}: expected one line per column, like `Artikelnummer: sku`"
        )
    mapping: dict[str, str | None] = {}
    lines: dict[str, int] = {}
    problems = []
    for key, value in node.value:
        line = key.start_mark.line + 1
        if not isinstance(key, yaml.ScalarNode) or not isinstance(value, yaml.ScalarNode):
            problems.append(f"{path}: line {line}: expected `own name: format column`")
            continue
        own = str(key.value).strip()
        target = str(value.value).strip()
        left_out = value.tag == "tag:yaml.org,2002:null" or target in ("", "~")
        if not own:
            problems.append(f"{path}: line {line}: the column's own name is empty")
        elif own in lines:
            problems.append(f"{path}: line {line}: {own!r} is mapped already on line {lines[own]}")
        else:
            lines[own] = line
            mapping[own] = None if left_out else target
    twice: dict[str, list[str]] = {}
    for own, mapped in mapping.items():
        if mapped is not None:
            twice.setdefault(mapped, []).append(own)
    for column, owns in twice.items():
        if len(owns) > 1:
            listed = " and ".join(f"{own!r} (line {lines[own]})" for own in owns)
            problems.append(f"{path}: {listed} are both mapped to {column!r}; a format column comes from one column")
    if problems:
        raise ColumnNamesError("\n".join(problems))
    return ColumnNames(str(path), mapping, lines)
