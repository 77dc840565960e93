"""A local snapshot of what a kiosk needs to advise while the database is down: the catalog index and questionnaires.

One file in the data directory: a JSON header line (format, catalog version, when, the payload's size and
SHA-256), then the payload, pickled. It is written whole or not at all (a temporary file in the same folder,
fsync, rename), and read back only when the header and the checksum say it is complete and of this format.
The file is the kiosk's own: it is written and read by the same user, never taken from elsewhere.
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import hashlib
import io
import json
import os
import pickle
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from advisor.catalog.dictionary import AttributeSpec
from advisor.expressions import Expression, parse
from advisor.memory import bulk_allocation
from advisor.paths import data_dir
from advisor.questionnaire.model import Questionnaire
from advisor.recommend.index import CatalogIndex

FORMAT = 5  # raise it when a class in the payload changes shape: older files are then ignored, not misread
KIND = "nordgrat-advisor kiosk snapshot"
FILE_NAME = "kiosk-snapshot.bin"
_MAX_HEADER = 4096


@dataclass(frozen=True)
class Snapshot:
    """What a kiosk advises from without its database, and when it was taken."""

    catalog: CatalogIndex
    questionnaires: Mapping[str, Questionnaire]
    created: datetime


def snapshot_path() -> Path:
    """Where the kiosk keeps its snapshot: the data directory."""
    return data_dir() / FILE_NAME


def _attribute(spec: AttributeSpec) -> tuple[Any, ...]:
    # Its cell converter is a closure made from the other fields: pickle those and let the class make it again.
    return AttributeSpec, tuple(getattr(spec, item.name) for item in dataclasses.fields(spec) if item.init)


def _expression(expression: Expression) -> tuple[Any, ...]:
    # A parsed expression holds closures; its source parses to the same expression.
    return parse, (expression.source,)


def pickled(value: Any) -> bytes:
    """`value` pickled, attribute specs and expressions by what they are made from."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, AttributeSpec: _attribute, Expression: _expression}
    pickler.dump(value)
    return buffer.getvalue()


def write_snapshot(
    path: Path, *, catalog: CatalogIndex, questionnaires: Mapping[str, Questionnaire], created: datetime | None = None
) -> None:
    """Write the snapshot atomically: a reader finds the previous file or this one, never a part of it."""
    snapshot = Snapshot(catalog, dict(questionnaires), created or datetime.now(UTC))
    payload = pickled(snapshot)
    header = {
        "kind": KIND, "format": FORMAT, "catalog_version": catalog.version, "created": snapshot.created.isoformat(),
        "size": len(payload), "sha256": hashlib.sha256(payload).hexdigest(),
    }  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(json.dumps(header).encode() + b"\n")
            file.write(payload)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    if os.name == "posix":  # the rename itself survives a power cut only once the folder is synced
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


class _Unusable(Exception):
    """Why a snapshot file is not used."""


def read_snapshot(path: Path) -> Snapshot | None:
    """The snapshot in `path`, or None (and a line on stderr saying why) when missing, damaged or of another format."""
    try:
        return _read(path)
    except FileNotFoundError:
        reason = "there is none yet"
    except _Unusable as error:
        reason = str(error)
    except Exception as error:  # noqa: BLE001 - a damaged file must never stop the kiosk
        reason = f"it cannot be read ({type(error).__name__}: {error})"
    sys.stderr.write(f"advisor: local snapshot {path} not used: {reason}\n")
    return None


def _read(path: Path) -> Snapshot:
    with path.open("rb") as file:
        line = file.readline(_MAX_HEADER)
        try:
            header = json.loads(line)
        except ValueError:
            raise _Unusable("it is not a snapshot (no header)") from None
        if not isinstance(header, dict) or header.get("kind") != KIND:
            raise _Unusable("it is not a snapshot (no header)")
        if header.get("format") != FORMAT:
            raise _Unusable(f"it is of format {header.get('format')!r}; this version reads format {FORMAT}")
        payload = file.read()
    if len(payload) != header.get("size") or hashlib.sha256(payload).hexdigest() != header.get("sha256"):
        raise _Unusable("it is incomplete or damaged (size or checksum differ)")
    with bulk_allocation():
        snapshot = pickle.loads(payload)  # the kiosk's own file, checked against its header (see the module docstring)
    if not isinstance(snapshot, Snapshot) or snapshot.catalog.version != header.get("catalog_version"):
        raise _Unusable("its contents do not match its header")
    return snapshot
