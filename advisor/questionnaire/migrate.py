"""Format versions: older files are migrated on load; `advisor migrate FILE` rewrites them, comments kept.

Version 1 named a step's kind `type` (values choice, multi, number, boolean) and its question `text`.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap

CURRENT_VERSION = 2
_V1_KINDS = {"choice": "single", "multi": "multiple", "number": "number", "boolean": "yes_no"}


def _rename(mapping: CommentedMap, old: str, new: str) -> None:
    """Rename a key in place, keeping its position and its comments."""
    if old not in mapping or new in mapping:
        return
    position = list(mapping).index(old)
    value = mapping.pop(old)
    mapping.insert(position, new, value)
    comments = mapping.ca.items.pop(old, None)
    if comments is not None:
        mapping.ca.items[new] = comments


def _v1_to_v2(document: CommentedMap) -> None:
    for step in document.get("steps") or []:
        if not isinstance(step, CommentedMap):
            continue
        _rename(step, "type", "kind")
        _rename(step, "text", "question")
        kind = step.get("kind")
        if isinstance(kind, str) and kind in _V1_KINDS:
            step["kind"] = _V1_KINDS[kind]


_MIGRATIONS = {1: _v1_to_v2}


def migrate(document: Any) -> bool:
    """Bring a round-trip document up to the current version in place; True if anything changed."""
    if not isinstance(document, CommentedMap):
        return False
    version = document.get("format_version")
    if not isinstance(version, int) or version >= CURRENT_VERSION:
        return False
    while version < CURRENT_VERSION:
        _MIGRATIONS[version](document)
        version += 1
    document["format_version"] = CURRENT_VERSION
    return True
