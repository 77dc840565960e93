"""The merchandisers' guides and size charts in use, taken in again when their files are saved: each surface looks
with `refresh_data_files` off its GUI thread or requests (the kiosk and the console when a file changes, a web
server process in its housekeeping), as they reload questionnaire files."""

from __future__ import annotations

import sys
import threading
from collections.abc import Collection, Mapping
from pathlib import Path

from advisor.questionnaire.findings import ERROR, Finding
from advisor.questionnaire.library import QuestionnaireLibrary, load_library
from advisor.questionnaire.model import Questionnaire
from advisor.recommend.sizes import refresh_size_charts, size_charts_in_use, size_charts_path
from advisor.service.guides import guides_in_use, guides_path, refresh_guides


def data_files() -> list[Path]:
    """The guides and size charts files in use."""
    return [guides_path(), size_charts_path()]


def load_data_files() -> None:
    """Read the guides and size charts in use now (at a surface's start, off its GUI thread or requests)."""
    guides_in_use()
    size_charts_in_use()


def load_content() -> QuestionnaireLibrary:
    """A surface's start (off its GUI thread): the questionnaires that load without errors, and the guides and size
    charts read now."""
    library = load_library()
    load_data_files()
    return library


def refresh_data_files() -> list[Finding]:
    """Take in saved guides and size charts files. A save with errors is named in the journal (stderr), once, and
    the last good version stays in use."""
    findings = [*refresh_guides(), *refresh_size_charts()]
    for finding in findings:
        if finding.severity == ERROR:
            sys.stderr.write(finding.as_text() + "\n")
    return findings


class CatalogOffer:
    """What a surface offers of its working questionnaires once it knows its catalog: a finder or a service flow whose
    category the catalog does not have, or has no products of, is left out (it would walk its questions to no
    products: `advisor check` names it, Q017). Each left-out file is named in the journal (stderr) once, with the
    reason, until it is offered again.

    One per surface (the kiosk's start, a web server process), asked again whenever the questionnaires or the catalog
    change; safe to ask from several threads."""

    def __init__(self, surface: str) -> None:
        self.surface = surface  # the journal's prefix: "advisor kiosk", "advisor web"
        self._told: frozenset[str] = frozenset()
        self._lock = threading.Lock()

    def offered(
        self, questionnaires: Mapping[str, Questionnaire], categories: Collection[str]
    ) -> dict[str, Questionnaire]:
        """`questionnaires` (finders and service flows by id) without those whose category is not in `categories`
        (the loaded catalog's index by category, or names) or has no products there."""
        stocked = with_products(categories)
        kept = {
            qid: questionnaire for qid, questionnaire in questionnaires.items() if questionnaire.category in stocked
        }
        if len(kept) == len(questionnaires) and not self._told:
            return kept
        lines = frozenset(
            f"{self.surface}: {file}: not offered: {reason}" for file, reason in left_out(questionnaires, categories)
        )
        with self._lock:
            new, self._told = lines - self._told, lines
        for line in sorted(new):
            sys.stderr.write(line + "\n")
        return kept


def with_products(categories: Collection[str]) -> set[str]:
    """Of `categories` (names, or a catalog index's categories by name) those with products: a category the
    dictionary has but no product of is as good as missing to a shopper."""
    if isinstance(categories, Mapping):
        return {name for name, index in categories.items() if getattr(index, "size", None) != 0}
    return set(categories)


def left_out(questionnaires: Mapping[str, Questionnaire], categories: Collection[str]) -> list[tuple[str, str]]:
    """The files of the questionnaires a catalog with `categories` leaves out, each with the reason (as
    `advisor check` says it against that catalog)."""
    stocked = with_products(categories)
    return [
        (
            questionnaire.path or questionnaire.id,
            f"Q017 category '{questionnaire.category}' "
            + (
                "is not in the catalog"
                if questionnaire.category not in categories
                else "has no products: left out until its products are imported (advisor catalog import)"
            ),
        )
        for questionnaire in questionnaires.values()
        if questionnaire.category not in stocked
    ]
