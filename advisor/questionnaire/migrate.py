"""Format versions: older files are migrated on load; `advisor migrate FILE` rewrites them, comments kept.

Version 1 named a step's kind `type` (values choice, multi, number, boolean) and its question `text`.
"""

from __future__ import annotations

from typing import Any

Renamed = list[tuple[str, str, tuple[str | int, ...]]]  # old key, new key, the path of the mapping

CURRENT_VERSION = 2
_V1_KINDS = {"choice": "single", "multi": "multiple", "number": "number", "boolean": "yes_no"}


def _rename(mapping: dict[Any, Any], old: str, new: str, path: tuple[str | int, ...], renamed: Renamed) -> None:
    """Rename a key in place, keeping its position (and its comments, in a round-trip document)."""
    if old not in mapping or new in mapping:
        return
    renamed.append((old, new, path))
    if hasattr(mapping, "insert") and hasattr(mapping, "ca"):  # ruamel's CommentedMap (imported only to rewrite)
        position = list(mapping).index(old)
        value = mapping.pop(old)
        mapping.insert(position, new, value)
        comments = mapping.ca.items.pop(old, None)
        if comments is not None:
            mapping.ca.items[new] = comments
        return
    items = [(new if key == old else key, value) for key, value in mapping.items()]
    mapping.clear()
    mapping.update(items)


def _v1_to_v2(document: dict[Any, Any], renamed: Renamed) -> None:
    steps = document.get("steps")
    for i, step in enumerate(steps if isinstance(steps, list) else []):
        if not isinstance(step, dict):
            continue
        _rename(step, "type", "kind", ("steps", i), renamed)
        _rename(step, "text", "question", ("steps", i), renamed)
        kind = step.get("kind")
        if isinstance(kind, str) and kind in _V1_KINDS:
            step["kind"] = _V1_KINDS[kind]


_MIGRATIONS = {1: _v1_to_v2}


def migrate(document: Any, renamed: Renamed | None = None) -> bool:
    """Bring a document (round-trip or plain) up to the current version in place; True if anything changed.

    The keys renamed on the way are added to `renamed`.
    """
    if not isinstance(document, dict):
        return False
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version not in _MIGRATIONS:
        return False  # the current version, or one that cannot be migrated (load reports which)
    while version < CURRENT_VERSION:
        _MIGRATIONS[version](document, renamed if renamed is not None else [])
        version += 1
    document["format_version"] = CURRENT_VERSION
    return True
