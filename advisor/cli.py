"""The `advisor` command line: catalog and database commands (the ui package adds the screens).

Each command imports what it needs when it runs: the kiosk builds this parser at start-up (`ui.cli`), and
importing every command's modules here would delay its first screen.
"""

from __future__ import annotations

import argparse
import atexit
import codecs
import contextlib
import gc
import json
import os
import shlex
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from advisor import __version__

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from advisor.catalog.store import ImportReport, Rejection
    from advisor.config import Config
    from advisor.privacy_requests import Customer

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_UNUSABLE = 2

Handler = Callable[[argparse.Namespace], int]


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL, sqlite:// or postgresql:// (default: [database] url in the configuration, else "
        "ADVISOR_DATABASE_URL, else SQLite in the user data directory)",
    )
    parser.add_argument(
        "--config", metavar="FILE", help="configuration file (default: ADVISOR_CONFIG, else the user config directory)"
    )


db_options = _db_option


def settings(args: argparse.Namespace) -> tuple[Config, str]:
    """The configuration and the database URL for a command, found the same way by every command: --db, else
    [database] url in the configuration (--config, else ADVISOR_CONFIG, else the usual file), else
    ADVISOR_DATABASE_URL, else SQLite in the user data directory. A configuration file that is named but missing,
    or wrong, and a URL the advisor cannot use stop the command (exit 2)."""
    from advisor.config import database_url_of, load_config, use_configured_content
    from advisor.db.location import DEFAULT_DB_ENV, checked_url, database_url

    config = load_config(getattr(args, "config", None))
    use_configured_content(config)  # the questionnaires, guides and size charts the configuration names
    explicit = given_db(args)
    given = explicit or database_url_of(config)
    # Where the URL was given, for a message about it (`run`); the default SQLite file is no one's mistake.
    if given and not explicit:
        args.database_source = f"{config.source}: [database] url"
    elif not given and os.environ.get(DEFAULT_DB_ENV):
        args.database_source = DEFAULT_DB_ENV
    url = checked_url(database_url(given))  # (`advisor check` may not open the database: asked here for all)
    kept(url)
    args.database_in_use = url  # the database a failure names (`run`)
    return config, url


def given_db(args: argparse.Namespace) -> str | None:
    """The URL given with --db, if one was: one the advisor cannot use is refused here, before anything opens (a
    blank one too, not taken for "none given"), and so is an in-memory one (`kept`). A refusal is
    UnusableDatabaseUrl, which `run` says in one line, exit 2."""
    from advisor.db.location import checked_url

    given: str | None = getattr(args, "db", None)
    if given is None:
        return None
    args.database_source = "--db"
    checked_url(given)  # a blank or a foreign one (mysql://) raises, in the words of every unusable URL
    kept(given)
    return given


def kept(url: str) -> None:
    """Refuse an in-memory SQLite database (`sqlite://`, `sqlite:///`, `sqlite:///:memory:`): a store's data in it
    would be gone when the command ends, and each server process would have its own."""
    from advisor.db.location import UnusableDatabaseUrl
    from advisor.urls import redacted

    scheme, _, rest = url.strip().partition("://")
    if scheme.partition("+")[0].lower() == "sqlite" and rest.partition("?")[0] in ("", "/", "/:memory:"):
        raise UnusableDatabaseUrl(f"{json.dumps(redacted(url), ensure_ascii=False)} is an in-memory database: "
                                  "nothing would be kept; give a file, e.g. sqlite:///advisor.sqlite3")  # fmt: skip


def _print_json(data: Any, out: TextIO | None = None) -> None:
    json.dump(data, out or sys.stdout, ensure_ascii=False, indent=2)
    (out or sys.stdout).write("\n")


@contextlib.contextmanager
def _output(path: str | None, *, encoding: str = "utf-8") -> Iterator[TextIO]:
    """A file to write to (its folder made if missing), or standard output when no path is given."""
    if path is None:
        yield sys.stdout
        return
    with open(_made_room(path), "w", encoding=encoding, newline="") as handle:
        yield handle


def _made_room(path: str) -> Path:
    """An output file's path, its folder made if it is missing ("Auswertung Dezember/events.csv")."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def _out_file(value: str) -> str:
    """--out FILE: a file's path; a folder is refused at once, saying what to write instead."""
    if Path(value).is_dir():
        raise argparse.ArgumentTypeError(f"{value} is a folder: name a file in it, e.g. {Path(value) / 'report.html'}")
    return value


def _whole_number(low: int, high: int) -> Callable[[str], int]:
    """An option's whole number from `low` to `high`, refused in the words of the configuration's check of the same
    setting ("must be at most 64 (got 65)"): 0 is refused too, not taken for "not given"."""

    def number(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number (got {json.dumps(text)})") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be at least {low} (got {value})")
        if value > high:
            raise argparse.ArgumentTypeError(f"must be at most {high} (got {value})")
        return value

    return number


# As [web] port and [web] workers take them (advisor.config.WebConfig; a test keeps them the same).
PORTS = (1, 65535)
WORKERS = (1, 64)


def _err(message: str) -> None:
    sys.stderr.write(f"advisor: {message}\n")


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from advisor.db import make_engine, upgrade
    from advisor.db.backup import DamagedDatabase, check_sqlite
    from advisor.db.engine import current_revision

    _, db_url = settings(args)
    engine = make_engine(db_url)
    upgrade(engine)
    try:
        check_sqlite(engine)
    except DamagedDatabase as error:
        _err(str(error))
        return EXIT_UNUSABLE
    sys.stdout.write(f"database at revision {current_revision(engine)}: {engine.url.render_as_string()}\n")
    return EXIT_OK


def cmd_db_backup(args: argparse.Namespace) -> int:
    from advisor.db import database_url
    from advisor.db.backup import BackupRefused, DamagedDatabase, back_up_sqlite
    from advisor.db.engine import shown_url

    _, db_url = settings(args)
    url = database_url(db_url)
    try:
        size = back_up_sqlite(url, Path(args.file))
    except DamagedDatabase as error:  # (said as every command says it)
        _err(str(error))
        return EXIT_UNUSABLE
    except BackupRefused as error:
        _err(f"db backup: {error}")
        return EXIT_UNUSABLE
    sys.stdout.write(f"backed up {shown_url(url)} to {args.file} ({size / 1_000_000:.1f} MB)\n")
    return EXIT_OK


def cmd_catalog_import(args: argparse.Namespace) -> int:
    from advisor.bootstrap import open_database
    from advisor.catalog.dictionary import DictionaryError
    from advisor.catalog.formats import ReadOptions, UnusableInput, encoding_name
    from advisor.catalog.importer import DictionaryImport, import_file

    path = Path(args.file)
    if path.is_dir():
        _err(f"{path}: is a folder: give the file to import: {_importable(path)}")
        return EXIT_UNUSABLE
    if args.images and not Path(args.images).exists():
        _err(f"{args.images}: no such folder or zip file (--images)")
        return EXIT_UNUSABLE
    if args.encoding:
        try:
            encoding_name(args.encoding)
        except ValueError as error:
            _err(f"--encoding: {error}")
            return EXIT_UNUSABLE
    columns = None
    if args.columns:
        from advisor.catalog.columns import ColumnNamesError, load_column_names

        try:
            columns = load_column_names(Path(args.columns))
        except ColumnNamesError as error:
            _err(str(error))
            return EXIT_UNUSABLE
    options = ReadOptions(delimiter={"tab": "\t"}.get(args.delimiter, args.delimiter), encoding=args.encoding,
                          locale=args.locale, sheet=args.sheet, columns=columns)  # fmt: skip
    _, db_url = settings(args)
    try:
        engine = open_database(db_url, load_sample=False)
        result = import_file(
            engine, path, input_format=args.input_format, dry_run=args.dry_run, all_or_nothing=args.all_or_nothing,
            options=options, images=Path(args.images) if args.images else None, reader_process=True,
            remove_missing=args.remove_missing,
        )  # fmt: skip
    except (UnusableInput, DictionaryError) as error:
        _err(str(error))
        return EXIT_UNUSABLE
    from advisor.db.engine import shown_url

    into = shown_url(engine.url.render_as_string(hide_password=False))  # which database: as `db upgrade` says it
    if isinstance(result, DictionaryImport):
        from advisor.catalog.store import check_dictionary

        done = "checked" if result.dry_run else f"imported into {into}"
        categories, stores = len(result.dictionary.categories), len(result.dictionary.stores)
        lines = [f"attribute dictionary with {categories} categor{'y' if categories == 1 else 'ies'} and "
                 f"{stores} store{'' if stores == 1 else 's'} {done}"]  # fmt: skip
        lines += check_dictionary(engine, result.dictionary, _MISSING_SHOWN).lines(dry_run=result.dry_run)
        sys.stdout.write("".join(f"{path}: {line}\n" for line in lines))
        return EXIT_OK
    if args.format == "json":
        _print_json(result.as_json())
    else:
        sys.stdout.write("".join(f"{line}\n" for line in _import_lines(path, result, into)))
    if result.nothing_imported:
        return EXIT_UNUSABLE
    return EXIT_REJECTED if result.rejected else EXIT_OK


def _importable(folder: Path) -> str:
    """What `catalog import` takes instead of a folder, with the folder's own files that fit (not the guides and size
    charts of a content or sample folder: `[content]` names those)."""
    from advisor.catalog.formats import FORMATS
    from advisor.recommend.sizes import SIZE_CHARTS_FILE
    from advisor.service.guides import GUIDES_FILE

    files = sorted(
        file for file in folder.iterdir()
        if file.suffix.lower().lstrip(".") in {*FORMATS, "txt"} and file.name not in (GUIDES_FILE, SIZE_CHARTS_FILE)
    )  # fmt: skip
    kinds = "products (CSV, TSV, xlsx or JSON) or an attribute dictionary (JSON)"
    shown = f", e.g. {' or '.join(str(file) for file in files[:3])}" if files else ""
    photos = f"; its photos with --images {folder / 'images'}" if (folder / "images").is_dir() else ""
    return f"{kinds}{shown}{photos}"


def _import_lines(path: Path, report: ImportReport, into: str) -> list[str]:
    """The text report of a product import: how the file was read, what happened (and `into` which database, as
    shown_url names it), every problem by row and column."""
    lines = [f"{path}: read as: {report.read_as}"] if report.read_as else []
    rows = f"{report.rejected_rows} row(s) rejected ({len(report.rejected)} cell(s))"
    if report.dry_run:  # (the dry run compares: it tells the unchanged products from the updated ones)
        updated = f"{report.updated - report.unchanged} updated, {report.unchanged} unchanged"
    else:
        updated = f"{report.updated} updated"
    removed = f", {report.removed} removed" if report.removed else ""
    counts = f"{report.imported} new, {updated}{removed}, {rows}"
    if report.unusable:
        lines.append(f"{path}: nothing imported: {len(report.unusable)} problem(s) of the file as a whole (listed "
                     f"first), and {rows}; fix them and import again")  # fmt: skip
    elif report.dry_run:
        lines.append(f"{path}: dry run, nothing changed: would import {counts}")
    elif report.all_or_nothing and report.rejected:
        lines.append(f"{path}: nothing imported (--all-or-nothing): {rows}; fix them and import again")
    else:
        lines.append(f"{path}: imported {counts} into {into}")
    lines.extend(f"{path}: {line}" for line in _missing_lines(report))
    for problem in report.unusable:
        where = [f"line {problem.line}"] if problem.line else []
        if problem.row and problem.row != problem.line:
            where.append(f"(row {problem.row})" if where else f"row {problem.row}")
        column = f", column {problem.column}" if problem.column else ""
        lines.append(f"{path}: {' '.join(where) or 'file'}{column}: {problem.reason}")
    if report.changes:  # (a dry run's changes: each row's problems under its change)
        problems: dict[int, list[str]] = {}
        for rejection in report.rejected:
            column = f", column {rejection.column}" if rejection.column else ""
            problems.setdefault(rejection.row, []).append(f"{path}: row {rejection.row}{column}: {rejection.reason}")
        for change in report.changes:
            fields = "; ".join(f"{f.column} {f.before or '(empty)'} -> {f.after or '(empty)'}" for f in change.fields)
            lines.append(
                f"row {change.row} {change.sku or '(no sku)'}: {change.kind}" + (f": {fields}" if fields else "")
            )
            lines.extend(f"  {line}" for line in problems.pop(change.row, []))
        for row_lines in problems.values():
            lines.extend(row_lines)
    else:
        lines.extend(f"{path}: {line}" for line in _rejection_lines(report.rejected))
    lines.extend(f"{path}: note: {note}" for note in report.notes)
    return lines


_RUNS_SHOWN = 10  # runs of rows named per problem; --format json lists every row


def _rejection_lines(rejected: list[Rejection]) -> list[str]:
    """The rejected cells, one line per problem (column and reason) with the rows that have it, in the order of
    their first row: a column that fails in every row of a long file is one line ("rows 2-9001"), not 9,000."""
    rows: dict[tuple[str, str], list[int]] = {}
    for rejection in rejected:
        rows.setdefault((rejection.column, rejection.reason), []).append(rejection.row)
    lines = []
    for (column, reason), found in sorted(rows.items(), key=lambda item: min(item[1])):
        runs: list[list[int]] = []
        for row in sorted(set(found)):
            if runs and runs[-1][1] == row - 1:
                runs[-1][1] = row
            else:
                runs.append([row, row])
        named = ", ".join(f"{first}-{last}" if last > first else str(first) for first, last in runs[:_RUNS_SHOWN])
        count, more = len(set(found)), ""
        if len(runs) > _RUNS_SHOWN:
            named += f" and {sum(last - first + 1 for first, last in runs[_RUNS_SHOWN:])} more"
            more = "; --format json lists them all"
        where = f"row {named}" if count == 1 else f"rows {named} ({count} rows{more})"
        lines.append(f"{where}, column {column}: {reason}" if column else f"{where}: {reason}")
    return lines


_MISSING_SHOWN = 10  # products named per category; --format json lists them all


def _missing_lines(report: ImportReport) -> list[str]:
    """Per category, the catalog's products the file does not contain, and what becomes of them."""
    by_category: dict[str, list[str]] = {}
    for missing in report.missing:
        by_category.setdefault(missing.category, []).append(f"{missing.sku} {missing.name}")
    written = not (report.unusable or (report.all_or_nothing and report.rejected))
    lines = []
    for category, named in by_category.items():
        shown = ", ".join(named[:_MISSING_SHOWN])
        if len(named) > _MISSING_SHOWN:
            shown += f" and {len(named) - _MISSING_SHOWN} more (--format json lists them all)"
        products = f"{len(named)} product(s) of category {category}"
        if report.removed and report.dry_run:
            lines.append(f"would remove {products} that the file does not contain: {shown}")
        elif report.removed and written:
            lines.append(f"removed {products} that the file does not contain: {shown}")
        elif report.remove_missing:
            lines.append(f"{products} not in this file, kept: {shown}; --remove-missing removes nothing while a row "
                         "is rejected (it may be one of them): fix the rejected rows and import again")  # fmt: skip
        else:
            lines.append(f"{products} not in this file: {shown}; if the file is the whole assortment, import it "
                         "with --remove-missing to take them out")  # fmt: skip
    return lines


def cmd_catalog_export(args: argparse.Namespace) -> int:
    from advisor.bootstrap import open_database
    from advisor.catalog.formats import write_csv
    from advisor.catalog.store import export_products, load_dictionary

    if args.format == "xlsx" and not args.out:
        _err("an xlsx export needs --out FILE")
        return EXIT_UNUSABLE
    _, db_url = settings(args)
    engine = open_database(db_url)
    products = export_products(engine, category=args.category)
    if args.format == "xlsx":
        from advisor.catalog.xlsx import write_xlsx

        try:
            write_xlsx(products, _made_room(args.out), load_dictionary(engine))
        except ValueError as error:
            _err(str(error))
            return EXIT_UNUSABLE
        return EXIT_OK
    with _output(args.out) as out:
        if args.format == "csv":
            write_csv(products, out)
        else:
            _print_json(products, out)
    return EXIT_OK


def cmd_catalog_stats(args: argparse.Namespace) -> int:
    from advisor.bootstrap import open_database
    from advisor.catalog.store import catalog_stats

    _, db_url = settings(args)
    stats = catalog_stats(open_database(db_url))
    if args.format == "json":
        _print_json(stats)
    else:
        sys.stdout.write(f"{stats['products']} products\n")
        for category, count in stats["categories"].items():
            sys.stdout.write(f"  {category:<20} {count:>8}\n")
    return EXIT_OK


def cmd_catalog_generate(args: argparse.Namespace) -> int:
    from advisor.catalog.dictionary import load_dictionary_file
    from advisor.catalog.formats import write_csv
    from advisor.catalog.generate import generate_catalog
    from advisor.paths import sample_catalog_dir

    if args.count < 1:
        _err("--count must be at least 1")
        return EXIT_UNUSABLE
    dictionary = load_dictionary_file(
        Path(args.dictionary) if args.dictionary else sample_catalog_dir() / "categories.json"
    )
    products = generate_catalog(dictionary, count=args.count, seed=args.seed)
    if args.format == "xlsx":
        from advisor.catalog.xlsx import write_xlsx

        if not args.out:
            _err("an xlsx catalog needs --out FILE")
            return EXIT_UNUSABLE
        write_xlsx(products, _made_room(args.out), dictionary)
        return EXIT_OK
    with _output(args.out) as out:
        if args.format == "csv":
            write_csv(products, out)
        else:
            json.dump(list(products), out, ensure_ascii=False)
            out.write("\n")
    return EXIT_OK


def cmd_catalog_load_sample(args: argparse.Namespace) -> int:
    from advisor.bootstrap import load_sample_catalog
    from advisor.db import make_engine, upgrade
    from advisor.db.engine import schema_lock

    _, db_url = settings(args)
    engine = make_engine(db_url)
    upgrade(engine)
    with schema_lock(engine):  # (one at a time: devices started together with it each load it in turn)
        report = load_sample_catalog(engine)
    sys.stdout.write(f"sample catalog: {report.imported} new, {report.updated} updated\n")
    return EXIT_OK


def cmd_content_init(args: argparse.Namespace) -> int:
    """Copy the shipped questionnaires, guides (with their pictures) and size charts into a new folder to edit."""
    import shutil

    from advisor.paths import sample_catalog_dir, shipped_questionnaires_dir
    from advisor.questionnaire.files import questionnaire_files
    from advisor.recommend.sizes import SIZE_CHARTS_FILE
    from advisor.service.guides import GUIDE_IMAGES, GUIDES_FILE

    target = Path(args.dir).expanduser().absolute()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        _err(f"{target} is not an empty folder: nothing copied (name a new or an empty folder)")
        return EXIT_UNUSABLE
    sample, shipped = sample_catalog_dir(), shipped_questionnaires_dir()
    partial = target.with_name(f".{target.name}.partial")
    try:
        shutil.rmtree(partial, ignore_errors=True)
        (partial / "questionnaires").mkdir(parents=True)
        files = questionnaire_files([shipped])
        for path in [*files, shipped / "questionnaire.schema.json"]:
            shutil.copy2(path, partial / "questionnaires" / path.name)
        shutil.copy2(sample / GUIDES_FILE, partial / GUIDES_FILE)
        shutil.copytree(sample / GUIDE_IMAGES, partial / GUIDE_IMAGES)
        shutil.copy2(sample / SIZE_CHARTS_FILE, partial / SIZE_CHARTS_FILE)
        if target.exists():
            target.rmdir()  # empty: checked above
        partial.rename(target)  # all or nothing
    except OSError as error:
        shutil.rmtree(partial, ignore_errors=True)
        _err(f"cannot copy to {target}: {error.strerror or error}")
        return EXIT_UNUSABLE
    pictures = len(list((target / GUIDE_IMAGES).iterdir()))
    sys.stdout.write(
        f"Copied {len(files)} questionnaires, the guides (with {pictures} pictures) and the size charts to {target}.\n"
        f"Edit them there, check them with `advisor check {shlex.quote(str(target))}`, and add this to the "
        "configuration file:\n\n"
        "[content]\n"
        f"questionnaires = {json.dumps(str(target / 'questionnaires'), ensure_ascii=False)}\n"
        f"guides = {json.dumps(str(target / GUIDES_FILE), ensure_ascii=False)}\n"
        f"size_charts = {json.dumps(str(target / SIZE_CHARTS_FILE), ensure_ascii=False)}\n"
    )  # a JSON string is a TOML basic string
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from advisor.audit import check_files
    from advisor.db.location import database_url
    from advisor.paths import questionnaires_dir
    from advisor.questionnaire.files import questionnaire_files
    from advisor.questionnaire.findings import ERROR
    from advisor.recommend.kept import load_kept, save_kept
    from advisor.recommend.sizes import SIZE_CHARTS_FILE
    from advisor.service.guides import GUIDES_FILE

    _, db_url = settings(args)
    paths = [Path(path) for path in args.paths] or [questionnaires_dir()]
    if not args.paths and not paths[0].exists():  # the configured folder: a usage error
        _err(f"no such file or folder: {paths[0]}")
        return EXIT_UNUSABLE
    # A named file that is missing is reported as one that cannot be read (Q001 at 0:0), and the rest are checked.
    # Named as a merchandiser has them: a content folder (`advisor content init`) is its questionnaires, guides and
    # size charts; a guides or size-charts file is checked as such, not as a questionnaire.
    named = paths if args.paths else []
    paths = []
    guides_file: str | None = args.guides
    charts_file: str | None = args.size_charts
    for path in named or [Path(questionnaires_dir())]:
        if path.is_dir() and not questionnaire_files([path]) and (path / "questionnaires").is_dir():
            paths.append(path / "questionnaires")
            guides_file = guides_file or (str(path / GUIDES_FILE) if (path / GUIDES_FILE).is_file() else None)
            charts = path / SIZE_CHARTS_FILE
            charts_file = charts_file or (str(charts) if charts.is_file() else None)
        elif path.is_file() and path.name == GUIDES_FILE:
            guides_file = str(path)
        elif path.is_file() and path.name == SIZE_CHARTS_FILE:
            charts_file = str(path)
        else:
            paths.append(path)
    empty = [path for path in paths if path.is_dir() and not questionnaire_files([path])]
    if empty:
        _err(f"{empty[0]}: no questionnaire files (.yaml) in this folder")
        return EXIT_UNUSABLE
    url = database_url(db_url)
    catalog = load_kept(url)
    if catalog is None:  # no current copy of the index: the database (upgraded, the sample catalog on first start)
        from advisor.bootstrap import open_database
        from advisor.catalog.reads import load_dictionary
        from advisor.recommend.index import build_index

        engine = open_database(url)
        catalog = load_dictionary(engine), build_index(engine)
        save_kept(url, *catalog)
    from advisor.audit import check_guides
    from advisor.recommend.sizes import check_size_charts, load_size_charts, size_charts_path
    from advisor.service.guides import guides_path, load_guides

    guides = load_guides(Path(guides_file) if guides_file else guides_path())
    size_charts = load_size_charts(Path(charts_file) if charts_file else size_charts_path())
    results = check_files(paths, *catalog, guides, size_charts)
    findings = [finding for result in results for finding in result.findings]
    # The guides file is checked with the shipped files, with service flows, and when it is named.
    with_guides = not named or guides_file or any(result.service for result in results)
    if with_guides:
        findings += sorted({*guides.findings, *check_guides(guides, catalog[1], catalog[0])})
    # The size charts likewise: with the shipped files, with a finder that advises sizes, and when it is named.
    with_charts = not named or charts_file or any(result.sized for result in results)
    if with_charts:
        findings += sorted({*size_charts.findings, *check_size_charts(size_charts, catalog[0], catalog[1])})
    if args.format == "json":
        _print_json([finding.as_json() for finding in findings])
    else:
        for finding in findings:
            sys.stdout.write(finding.as_text() + "\n")
        errors = sum(1 for finding in findings if finding.severity == ERROR)
        checked = len(results) + (1 if with_guides else 0) + (1 if with_charts else 0)
        sys.stdout.write(f"{checked} file(s) checked: {errors} error(s), {len(findings) - errors} warning(s)\n")
    return EXIT_REJECTED if any(finding.severity == ERROR for finding in findings) else EXIT_OK


def cmd_lsp(args: argparse.Namespace) -> int:
    from advisor.lsp.server import serve

    _, db_url = settings(args)
    return serve(db_url)


def cmd_schema(args: argparse.Namespace) -> int:
    from advisor.questionnaire.spec import json_schema

    with _output(args.out) as out:
        _print_json(json_schema(), out)
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace) -> int:
    from advisor.questionnaire.load import migrated_text
    from advisor.questionnaire.migrate import CURRENT_VERSION

    path = Path(args.file)
    try:
        text = path.read_bytes().decode("utf-8")  # as it is: its line endings are written back
    except (OSError, UnicodeDecodeError) as error:
        _err(f"{path}: cannot read: {error}")
        return EXIT_UNUSABLE
    migrated, findings = migrated_text(text, str(path))
    if findings:
        _err(findings[0].as_text())
        return EXIT_UNUSABLE
    if migrated is None:
        sys.stdout.write(f"{path}: already at format_version {CURRENT_VERSION}\n")
        return EXIT_OK
    path.write_bytes(migrated.encode("utf-8"))
    sys.stdout.write(f"{path}: migrated to format_version {CURRENT_VERSION}\n")
    return EXIT_OK


def cmd_recommend(args: argparse.Namespace) -> int:
    from advisor.bootstrap import open_database
    from advisor.engine import InvalidAnswer
    from advisor.i18n import counted, euros, number, text
    from advisor.questionnaire.files import parse_answer
    from advisor.questionnaire.findings import has_errors
    from advisor.questionnaire.load import load_file
    from advisor.recommend.core import category_noun, why_not
    from advisor.recommend.index import build_index
    from advisor.recommend.render import recommendation_json, why_not_json
    from advisor.session.service import AdviceSession, SessionError

    loaded = load_file(Path(args.file))
    if loaded.questionnaire is None or has_errors(loaded.findings):
        for finding in loaded.findings:
            _err(finding.as_text())
        return EXIT_UNUSABLE
    questionnaire = loaded.questionnaire
    answers: dict[str, object] = {}
    for item in args.answer:
        step_id, separator, value = item.partition("=")
        if not separator or step_id not in questionnaire.step_ids:
            _err(f"--answer {item!r}: expected STEP=VALUE with a step of {', '.join(questionnaire.step_ids)}")
            return EXIT_UNUSABLE
        answers[step_id] = parse_answer(questionnaire.step(step_id), value)
    _, db_url = settings(args)
    index = build_index(open_database(db_url)).categories.get(questionnaire.category)
    if index is None:
        _err(f"the catalog has no category {questionnaire.category!r}")
        return EXIT_UNUSABLE
    locale = args.lang or questionnaire.default_locale
    session = AdviceSession.start(questionnaire, index=index, locale=locale)  # the same service as every surface
    try:
        session.set_answers(answers)
    except (InvalidAnswer, SessionError) as error:
        _err(str(error))
        return EXIT_UNUSABLE
    state = session.state
    for step_id in sorted(set(answers) - set(state.answers)):
        _err(f"note: the answer to '{step_id}' is not used: that step is not on the path of the other answers")
    result = session.recommendation()
    output = recommendation_json(questionnaire, state, result, session.locale)
    if args.why_not:
        if args.why_not not in index.position:
            _err(f"--why-not {args.why_not}: not a product of {questionnaire.category}")
            return EXIT_UNUSABLE
        output["why_not"] = why_not_json(why_not(index=index, questionnaire=questionnaire, state=state,
                                                 sku=args.why_not, locale=locale))  # fmt: skip
    if args.format == "json":
        _print_json(output)
    else:
        count = output["count"]
        category = category_noun(index, session.locale, count)
        sys.stdout.write(counted("question.live_count", count, session.locale, category=category) + "\n")
        for rank, product in enumerate(output["products"], start=1):
            price = euros(product["price"], session.locale)
            score = text("recommend.score", session.locale, score=number(product["score"], session.locale, 4))
            sys.stdout.write(f"{rank}. {product['sku']} {product['name']} ({price}, {score})\n")
            for reason in product["reasons"]:
                sys.stdout.write(f"     + {reason}\n")
            for tradeoff in product["tradeoffs"]:
                sys.stdout.write(f"     - {tradeoff}\n")
        for relaxation in output["relaxations"]:
            sys.stdout.write(f"   {relaxation['text']}\n")
        for line in output.get("why_not", {}).get("text", []):
            sys.stdout.write(f"   why not: {line}\n")
    return EXIT_OK


def _asked_pin(prompt: str, again: str) -> str | None:
    """A PIN typed twice (hidden); None, said on stderr, when the two differ (a typo is not stored)."""
    import getpass

    pin = getpass.getpass(prompt)
    if getpass.getpass(again) != pin:
        _err("the two PINs differ: nothing stored; run the command again")
        return None
    return pin


def cmd_staff_pin(args: argparse.Namespace) -> int:
    from advisor.bootstrap import open_database
    from advisor.db.engine import shown_url
    from advisor.handoff.staff import set_pin

    _, db_url = settings(args)  # (a wrong configuration or URL is said before the PIN is asked for)
    pin = args.pin if args.pin is not None else _asked_pin(f"PIN for {args.name}: ", f"PIN for {args.name} again: ")
    if pin is None:
        return EXIT_UNUSABLE
    try:
        engine = open_database(db_url, load_sample=False)
        set_pin(engine, args.name, pin)
    except ValueError as error:
        _err(str(error))
        return EXIT_UNUSABLE
    # Which database: the consoles that read another one do not know the PIN (as imports name theirs).
    sys.stdout.write(f"PIN set for {args.name} in {shown_url(engine.url.render_as_string(hide_password=False))}\n")
    return EXIT_OK


def cmd_set_pin(args: argparse.Namespace) -> int:
    """The kiosk's exit PIN, stored as a salted scrypt hash in the configuration file (comments kept)."""
    import tomlkit

    from advisor.config import CONFIG_ENV, ConfigError, config_path, load_config
    from advisor.handoff.staff import hash_pin

    path = config_path(args.config)
    if path.exists():
        load_config(path)  # a file with a mistake is refused as it is, untouched (and says where)
    elif args.config is not None or os.environ.get(CONFIG_ENV):  # a named file must exist, as for every command
        raise ConfigError(path, ["the configuration file does not exist (nothing written)"])
    pin = args.pin if args.pin is not None else _asked_pin("Exit PIN for the kiosk: ", "Exit PIN again: ")
    if pin is None:
        return EXIT_UNUSABLE
    if not (pin.isdigit() and 4 <= len(pin) <= 12):
        _err("a PIN has 4 to 12 digits")
        return EXIT_UNUSABLE
    # As load_config reads it (a byte order mark is taken); written back with the mark and line endings it had.
    data = path.read_bytes() if path.exists() else b""
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    document = tomlkit.parse(data.decode("utf-8-sig")) if path.exists() else tomlkit.document()
    staff = document.get("staff")
    if staff is None:
        staff = tomlkit.table()
        document["staff"] = staff
    staff["exit_pin_hash"] = hash_pin(pin)
    path.parent.mkdir(parents=True, exist_ok=True)
    written = tomlkit.dumps(document)
    if b"\r\n" in data:  # a Windows file: the new lines end as its own do
        written = written.replace("\r\n", "\n").replace("\n", "\r\n")
    path.write_bytes(bom + written.encode("utf-8"))
    load_config(path)  # the file still loads (and says where if it does not)
    sys.stdout.write(f"exit PIN set in {path}\n")
    return EXIT_OK


def cmd_purge(args: argparse.Namespace) -> int:
    from advisor.bootstrap import open_database
    from advisor.db.engine import shown_url
    from advisor.maintenance import purge

    config, db_url = settings(args)
    engine = open_database(db_url, load_sample=False)
    purged = purge(engine, config)
    days = config.privacy.event_retention_days
    retention = config.privacy.session_retention_days
    sys.stdout.write(f"purged {shown_url(db_url)}:\n")  # which database: as `db upgrade` says it
    sys.stdout.write(f"{purged.sessions} expired advice session(s) deleted, with their requests and chats\n")
    sys.stdout.write(f"{purged.events} event(s) older than {days} days deleted, with feedback comments\n")
    sys.stdout.write(f"{purged.mails} queued e-mail(s) deleted unsent (older than "
                     f"{retention} days, or their advice session is gone)\n")  # fmt: skip
    sys.stdout.write(f"{purged.appointments} appointment(s) anonymised (more than "
                     f"{config.privacy.appointment_retention_days} days after they ended)\n")  # fmt: skip
    sys.stdout.write(f"{purged.orders} finished repair order(s) deleted (collected or returned more than "
                     f"{retention} days ago)\n")  # fmt: skip
    return EXIT_OK


def _privacy_request(args: argparse.Namespace) -> tuple[Customer, Engine, str, Config] | None:
    """The customer a privacy request names, the database to look in, its name for the answer (as `shown_url`
    gives it) and the configuration (the store's time zone gives the answer's times); None (said) for a malformed
    identifier, before any database is opened, and for a database that is not there: a request is answered from the
    product's database, never from one made up for it (it is neither created nor migrated)."""
    from advisor.db import make_engine
    from advisor.db.engine import current_revision, refuse_unknown, shown_url
    from advisor.db.location import HEAD, sqlite_file
    from advisor.privacy_requests import RequestError, customer

    try:
        asked = customer(args.identifiers)
    except RequestError as error:
        _err(str(error))
        return None
    config, db_url = settings(args)
    database = shown_url(db_url)
    path = sqlite_file(db_url)
    if path is not None and not path.is_file():
        _err(f"no database at {database}: give --db or --config")
        return None
    engine = make_engine(db_url)
    revision = current_revision(engine)
    if revision is None:
        _err(f"no advisor database at {database} (it has no advisor tables): give --db or --config")
        return None
    if revision != HEAD:
        refuse_unknown(engine, revision)  # (a newer schema: said as every command says it)
        _err(f"the database at {database} is at schema revision {revision}, older than this advisor's {HEAD}: "
             "`advisor db upgrade` it (with the same --db or --config) first")  # fmt: skip
        return None
    return asked, engine, database, config


def cmd_privacy_find(args: argparse.Namespace) -> int:
    """A customer's request for access (GDPR Art. 15): everything stored about them (docs/deploying.md)."""
    from advisor.privacy_requests import described, find

    opened = _privacy_request(args)
    if opened is None:
        return EXIT_UNUSABLE
    asked, engine, database, config = opened
    found = find(engine, asked, zone=config.store.zone)
    if args.format == "json":
        _print_json({"database": database, **found.as_json()})
    elif not found:
        sys.stdout.write(f"nothing stored for {asked.named} in {database}\n")
    else:
        sys.stdout.write("".join(f"{line}\n" for line in described(found, database)))
    return EXIT_OK


def cmd_privacy_forget(args: argparse.Namespace) -> int:
    """A customer's request for erasure (GDPR Art. 17): delete what `privacy find` lists, after a confirmation that
    names the people the matches carry (and warns when they are more than one)."""
    from sqlalchemy.exc import InterfaceError, OperationalError

    from advisor.privacy_requests import find, forget

    opened = _privacy_request(args)
    if opened is None:
        return EXIT_UNUSABLE
    asked, engine, database, config = opened
    found = find(engine, asked, zone=config.store.zone)
    if not found:
        sys.stdout.write(f"nothing stored for {asked.named} in {database}: nothing to delete\n")
        return EXIT_OK
    warning = found.warning()
    if args.yes and warning:
        sys.stdout.write(f"Warning: {warning}\n")  # (store IT chose: it goes ahead)
    if not args.yes:
        counts = ", ".join(f"{count} {table}" for table, count in found.counts().items())
        sys.stdout.write(f"Stored for {asked.named} in {database}: {counts} (advisor privacy find lists them)\n")
        if found.names:
            sys.stdout.write(f"Names on these matches: {', '.join(found.names)}\n")
        if warning:
            sys.stdout.write(f"Warning: {warning}\n")
        try:
            answer = input("Delete all of it? Type yes: ")
        except EOFError:
            answer = ""
        if answer.strip().lower() != "yes":
            _err("nothing deleted")
            return EXIT_REJECTED
    try:
        forgotten = forget(engine, asked)
    except (OperationalError, InterfaceError) as error:  # the connection lost mid-way, the database gone away …
        reason = next(iter(str(error.orig or error).strip().splitlines()), type(error).__name__)
        _err(f"the erase was not done: the database {database} failed mid-way ({reason}); nothing was deleted (the "
             "erase is one transaction, undone as a whole): run the same command again")  # fmt: skip
        return EXIT_UNUSABLE
    sys.stdout.write("".join(f"{line}\n" for line in [f"deleted in {database}:", *forgotten.lines()]))
    return EXIT_OK


def _day(text: str) -> date:
    """A --from/--to date (2026-11-23, or 23.11.2026 as German writes it); the store's time zone makes it a period."""
    for written in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text.strip(), written).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-23 or 23.11.2026")


def cmd_report(args: argparse.Namespace) -> int:
    from datetime import UTC, time, timedelta

    from advisor.bootstrap import open_database
    from advisor.i18n import pick
    from advisor.insights.events import read_events, write_csv
    from advisor.insights.report import ALL_STORES, last_days, read_report, scope_text
    from advisor.questionnaire.library import load_library
    from advisor.recommend.index import build_index
    from advisor.rendering.report import render_report

    if args.days is not None and (args.start or args.end):
        _err("--days is a period of its own: give it, or --from/--to, not both")
        return EXIT_UNUSABLE
    if args.days is not None and args.days < 1:
        _err("--days takes a number of days from 1")
        return EXIT_UNUSABLE
    config, db_url = settings(args)
    engine = open_database(db_url, load_sample=False)
    now = datetime.now(UTC)

    def midnight(day: date) -> datetime:  # the day as the store counts it
        return datetime.combine(day, time(), tzinfo=config.store.zone).astimezone(UTC)

    zone = config.store.zone
    start = (midnight(args.start) if args.start else None) if args.days is None else last_days(args.days, now, zone)
    end = midnight(args.end + timedelta(days=1)) if args.end else None  # --to is inclusive: the whole day
    if start and end and end <= start:
        _err("--to is before --from")
        return EXIT_UNUSABLE
    store = args.store or config.store.id  # a chain's database holds every store's events: this one's by default
    if store != ALL_STORES:
        from advisor.catalog.reads import store_ids

        known = store_ids(engine)
        if known and store not in known:  # a typo would read as a store without any advice
            named = f"--store {store!r}" if args.store else f"[store] id {store!r}"
            sys.stderr.write(f"advisor report: {named} is not a store of the catalog (its stores: "
                             f"{', '.join(sorted(known))}; --store all: every store)\n")  # fmt: skip
            return EXIT_UNUSABLE
    if args.format == "csv":
        events = read_events(engine, start=start, end=end)
        with _output(args.out, encoding="utf-8-sig") as out:  # the mark tells spreadsheets it is UTF-8
            count = write_csv(
                events if store == ALL_STORES else (event for event in events if event.store_id == store),
                out, locale=args.lang, zone=zone,
            )  # fmt: skip
        if args.out:
            sys.stderr.write(f"{count} event(s) of {scope_text(store, 'en')} written to {args.out}\n")
        return EXIT_OK
    index = build_index(engine)
    products = {
        category: [(product.sku, pick(product.name, args.lang)) for product in category_index.products]
        for category, category_index in index.categories.items()
    }
    library = load_library()
    families = {category: pick(found.category.label, args.lang) for category, found in index.categories.items()}
    report = read_report(
        engine, questionnaires=library.questionnaires, products_by_category=products, locale=args.lang,
        start=start, end=end, now=now, index_for=lambda questionnaire: index.categories.get(questionnaire.category),
        zone=config.store.zone, service_flows=library.service_flows, families=families, store=store,
    )  # fmt: skip
    with _output(args.out) as out:
        out.write(render_report(report))
    if args.out:
        sys.stderr.write(f"report written to {args.out} ({report.events} events, {report.scope})\n")
    return EXIT_OK


def cmd_catalog_illustrate(args: argparse.Namespace) -> int:
    """Write `images/<sku>.svg` beside a JSON catalog for every product it describes."""
    import json

    from advisor.catalog.illustrations import illustration
    from advisor.paths import sample_catalog_dir

    path = Path(args.file) if args.file else sample_catalog_dir() / "products.json"
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        _err(f"{path}: cannot read the products: {error}")
        return EXIT_UNUSABLE
    folder = path.parent / "images"
    folder.mkdir(exist_ok=True)
    drawn = 0
    for record in records if isinstance(records, list) else records.get("products", []):
        svg = illustration(record)
        if svg is not None:
            (folder / f"{record['sku']}.svg").write_text(svg, encoding="utf-8")
            drawn += 1
    sys.stdout.write(f"{drawn} pictures in {folder}\n")
    return EXIT_OK


def _warn_unknown_store(program: str, config: Config, engine: Engine) -> None:
    """One journal line when the configured store is none of the catalog's (every product would read as out of
    stock); read once at start."""
    from advisor.catalog.reads import store_ids

    note = config.store.unknown_in(store_ids(engine))
    if note is not None:
        sys.stderr.write(f"{program}: {note}\n")


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from advisor.bootstrap import open_database
    from advisor.web.serve import ServeSettings, announce

    config, db_url = settings(args)
    engine = open_database(db_url, interactive=True)  # the schema and the first catalog, once, before the workers
    _warn_unknown_store("advisor serve", config, engine)
    try:
        announce(config, engine)  # (once here, not once per worker process)
    finally:
        engine.dispose()
    ServeSettings(db_url, getattr(args, "config", None), args.mail_dry_run).to_environment()
    host = config.web.host if args.host is None else args.host
    port = config.web.port if args.port is None else args.port
    workers = config.web.workers if args.workers is None else args.workers
    unusable = _cannot_listen(host, port)
    if unusable:
        _err(f"cannot listen on {host}:{port}: {unusable}")
        return EXIT_UNUSABLE
    sys.stdout.write(f"advisor: serving on http://{host}:{port} with {workers} worker process(es) "
                     f"(QR codes point to {config.web.public_base_url})\n")  # fmt: skip
    if not config.web.reachable_from_phones:
        sys.stderr.write(
            f"advisor serve: [web] public_base_url is {config.web.public_base_url}: phones cannot reach it; set it to "
            "this server's address as phones see it (summaries show only the resume code until then)\n"
        )
    if not config.smtp.enabled and args.mail_dry_run is None:
        sys.stderr.write("advisor serve: e-mail is off ([smtp] not set): no summary, booking or repair mails\n")
    sys.stdout.flush()
    uvicorn.run(
        "advisor.web.serve:app", factory=True, host=host, port=port, workers=workers, log_level="warning",
        access_log=False, proxy_headers=False,  # the app itself believes X-Forwarded-For, from configured proxies only
        **SERVER_LIMITS,
    )  # fmt: skip
    return EXIT_OK


def _cannot_listen(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port (None: it can), tried as uvicorn binds its socket (IPv6 for a
    host with ":", SO_REUSEADDR) and let go again at once, so that nothing is announced that then fails."""
    import errno
    import socket

    if not host.strip():
        return 'no address (use "0.0.0.0" for every network interface)'
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        reason = error.strerror or str(error)
        if error.errno == errno.EADDRINUSE:
            return f"{reason} (another server there?)"
        if error.errno == errno.EADDRNOTAVAIL:
            return f"{reason} (not an address of this machine: --host, or [web] host in the configuration)"
        if isinstance(error, socket.gaierror):
            return f"{reason} (not an address: --host, or [web] host in the configuration)"
        return reason
    return None


# What `advisor serve` itself limits (uvicorn's options; docs/deploying.md says the same). uvicorn has no time-out for
# reading a request's headers or body, nor for a connection that never sends one: closing slow clients is the reverse
# proxy's job. These bound what such clients can take from a server process meanwhile.
SERVER_LIMITS: dict[str, Any] = {
    # An idle connection between two requests is closed after 5 s (a phone's next page opens a new one).
    "timeout_keep_alive": 5,
    # Connections (and requests) at once per process; more are answered 503 at once. Far above a store's traffic,
    # and below the 1024 open files a systemd service may have: the database connections and files keep theirs.
    "limit_concurrency": 500,
    # On stop or restart, requests under way get 10 s (a page waits up to 5 s for the database), then are cut off: a
    # client trickling its body cannot keep the process from ending.
    "timeout_graceful_shutdown": 10,
    # No "server: uvicorn" on every response: it tells a scanner what to try, and nobody else needs it.
    "server_header": False,
}


def build_parser(
    add_commands: Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None] | None = None,
) -> argparse.ArgumentParser:
    """The argument parser with the core's commands; a shell passes `add_commands` to add its own."""
    parser = argparse.ArgumentParser(
        prog="advisor",
        description="Guided product advice: kiosk, staff console and merchandiser tools.",
    )
    parser.add_argument("--version", action="version", version=f"advisor {__version__}")
    # Also before the command (`advisor --config FILE report`), for every command that takes them: `run` hands them
    # on; one given after the command wins.
    parser.add_argument(
        "--config",
        dest="config_before",
        metavar="FILE",
        help="configuration file, for a command that takes --config (one after it wins)",
    )
    parser.add_argument(
        "--db", dest="db_before", metavar="URL", help="database URL, for a command that takes --db (one after it wins)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    db = commands.add_parser("db", help="database schema")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = db_commands.add_parser("upgrade", help="apply all schema migrations")
    _db_option(upgrade)
    upgrade.set_defaults(handler=cmd_db_upgrade)
    backup = db_commands.add_parser(
        "backup",
        help="copy the SQLite database to a new file while the programs run (PostgreSQL: use pg_dump)",
        description="A consistent copy of the store's SQLite database, taken while kiosks and the web companion "
        "run. Keep the data folder's secret.key, its images/ folder and the configuration with it (docs/deploying.md).",
    )
    backup.add_argument("file", help="the new file to write (an existing file is never overwritten)")
    _db_option(backup)
    backup.set_defaults(handler=cmd_db_backup)

    catalog = commands.add_parser("catalog", help="import, export, inspect and generate product catalogs")
    catalog_commands = catalog.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)

    imp = catalog_commands.add_parser(
        "import",
        help="import products (CSV, TSV, xlsx or JSON) or an attribute dictionary; upsert by sku",
        description="Validate every row; import the good ones in one transaction; report the bad ones by row"
        " and column. The separator, encoding and number style are detected and stated. Exit 0 clean, 1 some"
        " rows rejected (the good ones imported), 2 nothing imported (the file unusable, every row rejected, or"
        " a row rejected with --all-or-nothing).",
    )
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--input-format", choices=("csv", "tsv", "xlsx", "json"),
                     help="the file's format (default: by its ending; .txt is read as CSV)")  # fmt: skip
    imp.add_argument("--format", choices=("text", "json"), default="text", help="report format")
    imp.add_argument("--dry-run", action="store_true",
                     help="validate and print per product what would change (new, updated with the fields, "
                          "unchanged, rejected); change nothing")  # fmt: skip
    imp.add_argument("--all-or-nothing", action="store_true", help="write nothing if any row is rejected")
    imp.add_argument("--remove-missing", action="store_true",
                     help="the file is the whole assortment of its categories: remove their products that "
                          "it does not contain, with variants and stock (nothing while a row is rejected)")  # fmt: skip
    imp.add_argument("--delimiter", choices=(",", ";", "|", "tab"), help="the separator (default: detected)")
    imp.add_argument("--encoding", metavar="NAME", help="utf-8, cp1252 or latin-1 (default: detected)")
    imp.add_argument("--locale", choices=("de", "en"),
                     help="how numbers are written: de 1.234,56 or en 1234.56 (default: detected)")  # fmt: skip
    imp.add_argument("--sheet", metavar="NAME", help="the xlsx sheet to read (default: the first)")
    imp.add_argument("--columns", metavar="YAML",
                     help="the file's own column names mapped onto the format's, one per line "
                          "(`Artikelnummer: sku`; `EK-Preis: ~` leaves a column out)")  # fmt: skip
    imp.add_argument("--images", metavar="FOLDER_OR_ZIP",
                     help="product photos (PNG, JPEG, WebP) named by sku or by the image column")  # fmt: skip
    _db_option(imp)
    imp.set_defaults(handler=cmd_catalog_import)

    exp = catalog_commands.add_parser("export", help="export products in the import format")
    exp.add_argument("--format", choices=("json", "csv", "xlsx"), default="json")
    exp.add_argument("--out", metavar="FILE", type=_out_file, help="write to FILE instead of standard output")
    exp.add_argument("--category", help="only this category")
    _db_option(exp)
    exp.set_defaults(handler=cmd_catalog_export)

    stats = catalog_commands.add_parser("stats", help="count products per category")
    stats.add_argument("--format", choices=("text", "json"), default="text")
    _db_option(stats)
    stats.set_defaults(handler=cmd_catalog_stats)

    gen = catalog_commands.add_parser("generate", help="write a synthetic, schema-valid catalog (benchmarks)")
    gen.add_argument("--count", type=int, required=True, metavar="N")
    gen.add_argument("--seed", type=int, default=1, metavar="S")
    gen.add_argument("--format", choices=("csv", "json", "xlsx"), default="csv")
    gen.add_argument("--out", metavar="FILE", type=_out_file, help="write to FILE instead of standard output")
    gen.add_argument("--dictionary", metavar="FILE", help="attribute dictionary (default: the sample's)")
    gen.set_defaults(handler=cmd_catalog_generate)

    draw = catalog_commands.add_parser(
        "illustrate", help="draw a picture for every product of a JSON catalog from its attributes (sample data)"
    )
    draw.add_argument("file", metavar="FILE", help="products in JSON (default: the sample catalog's)", nargs="?")
    draw.set_defaults(handler=cmd_catalog_illustrate)

    sample = catalog_commands.add_parser("load-sample", help="(re)load the shipped sample catalog")
    _db_option(sample)
    sample.set_defaults(handler=cmd_catalog_load_sample)
    check = commands.add_parser(
        "check",
        help="check questionnaire files and service flows (format, references, the catalog path walk, the examples) "
        "and the repair guides and size charts",
        description="Print file:line:col CODE message for every finding. Exit 0 without errors (warnings"
        " allowed), 1 with errors, 2 for usage.",
    )
    check.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or folders (default: [content] questionnaires in the configuration, else the shipped ones)",
    )
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument(
        "--guides",
        metavar="FILE",
        help="the repair and care guides (default: [content] guides in the configuration, else the sample "
        "catalog's guides.json)",
    )
    check.add_argument(
        "--size-charts",
        metavar="FILE",
        help="the size charts (default: [content] size_charts in the configuration, else the sample catalog's "
        "size_charts.json)",
    )
    _db_option(check)
    check.set_defaults(handler=cmd_check)

    content = commands.add_parser(
        "content", help="merchandisers: the store's own questionnaires, guides and size charts ([content])"
    )
    content_commands = content.add_subparsers(dest="content_command", metavar="ACTION", required=True)
    content_init = content_commands.add_parser(
        "init",
        help="copy the shipped questionnaires, guides and size charts into a new folder to edit",
        description="Copies them into DIR (new or empty) and prints the [content] lines for the configuration file.",
    )
    content_init.add_argument("dir", metavar="DIR")
    content_init.set_defaults(handler=cmd_content_init)

    lsp = commands.add_parser(
        "lsp",
        help="the questionnaire language server for editors (over stdio): diagnostics, completion, hover",
        description="Speaks the Language Server Protocol on standard input and output; editors start it. See"
        " docs/questionnaires.md for VS Code, Neovim and Helix.",
    )
    lsp.add_argument("--stdio", action="store_true", help="talk over standard input and output (the default)")
    _db_option(lsp)
    lsp.set_defaults(handler=cmd_lsp)

    schema = commands.add_parser("schema", help="print the questionnaire JSON Schema (for editors)")
    schema.add_argument("--out", metavar="FILE", type=_out_file)
    schema.set_defaults(handler=cmd_schema)

    migrate = commands.add_parser("migrate", help="rewrite a questionnaire file in the current format, comments kept")
    migrate.add_argument("file", metavar="FILE")
    migrate.set_defaults(handler=cmd_migrate)

    rec = commands.add_parser("recommend", help="run a questionnaire without a screen and print the result")
    rec.add_argument("file", metavar="FILE")
    rec.add_argument("--answer", action="append", default=[], metavar="STEP=VALUE",
                     help="an answer: option id, ids separated by commas, a number, yes/no, or dont_care")  # fmt: skip
    rec.add_argument("--lang", choices=("de", "en"))
    rec.add_argument("--format", choices=("text", "json"), default="text")
    rec.add_argument("--why-not", metavar="SKU", help="also say what keeps this product out")
    _db_option(rec)
    rec.set_defaults(handler=cmd_recommend)

    purge = commands.add_parser(
        "purge", help="delete expired advice sessions (with requests and chats) and events past their retention"
    )
    _db_option(purge)
    purge.set_defaults(handler=cmd_purge)

    privacy = commands.add_parser(
        "privacy", help="a customer's request to see (GDPR Art. 15) or erase (Art. 17) their data"
    )
    privacy_commands = privacy.add_subparsers(dest="privacy_command", metavar="ACTION", required=True)
    identifiers = "the customer's resume code (ABCD-2345), e-mail address or phone number; several for one customer"
    privacy_find = privacy_commands.add_parser("find", help="list everything stored about a customer")
    privacy_find.add_argument("identifiers", nargs="+", metavar="CODE|ADDRESS|PHONE", help=identifiers)
    privacy_find.add_argument("--format", choices=("text", "json"), default="text")
    _db_option(privacy_find)
    privacy_find.set_defaults(handler=cmd_privacy_find)
    privacy_forget = privacy_commands.add_parser(
        "forget", help="delete everything stored about a customer (appointments keep their anonymous part)"
    )
    privacy_forget.add_argument("identifiers", nargs="+", metavar="CODE|ADDRESS|PHONE", help=identifiers)
    privacy_forget.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    _db_option(privacy_forget)
    privacy_forget.set_defaults(handler=cmd_privacy_forget)

    report = commands.add_parser("report", help="merchandisers: how the advice performs (HTML report or CSV events)")
    report.add_argument("--from", dest="start", type=_day, metavar="DATE", help="first day (YYYY-MM-DD)")
    report.add_argument("--to", dest="end", type=_day, metavar="DATE", help="last day, inclusive (YYYY-MM-DD)")
    report.add_argument("--days", type=int, metavar="N",
                        help="the last N days up to now (instead of --from/--to); every period with a beginning is "
                             "compared with the period of the same length before it")  # fmt: skip
    report.add_argument("--out", metavar="FILE", type=_out_file, help="write here (default: standard output)")
    report.add_argument("--format", choices=("html", "csv"), default="html", help="html report or csv of events")
    report.add_argument("--lang", choices=("de", "en"), default="de")
    report.add_argument("--store", metavar="ID",
                        help="count this store's events (default: [store] id in the configuration); "
                             "all: every store in the database")  # fmt: skip
    _db_option(report)
    report.set_defaults(handler=cmd_report)

    serve = commands.add_parser("serve", help="the web companion: continue on the phone, start at home, JSON API")
    serve.add_argument("--host", help="address to listen on (default: [web] host in the configuration)")
    serve.add_argument("--port", type=_whole_number(*PORTS),
                       help="port, 1 to 65535 (default: [web] port in the configuration)")  # fmt: skip
    serve.add_argument("--mail-dry-run", metavar="DIR", help="write summary e-mails as .eml files here, send none")
    serve.add_argument("--workers", type=_whole_number(*WORKERS),
                       help="server processes, 1 to 64 (default: [web] workers in the configuration)")  # fmt: skip
    _db_option(serve)
    serve.set_defaults(handler=cmd_serve)

    pin = commands.add_parser("staff-pin", help="add a staff member or change their console PIN")
    pin.add_argument("name", metavar="NAME")
    pin.add_argument("--pin", help="the PIN (asked for when left out)")
    _db_option(pin)
    pin.set_defaults(handler=cmd_staff_pin)

    set_pin = commands.add_parser("set-pin", help="set the PIN that lets staff leave the locked kiosk")
    set_pin.add_argument("--pin", help="the PIN (asked for when left out)")
    set_pin.add_argument("--config", metavar="FILE", help="configuration file to write (default: the usual one)")
    set_pin.set_defaults(handler=cmd_set_pin)

    if add_commands is not None:
        add_commands(commands)
    return parser


_EXIT_HANDLERS: list[Callable[[], None]] = []


def _end_quickly() -> None:
    """Registered once, to run after every other exit handler: the objects that remain are left to the end of the
    process rather than walked by the collector again and again while the interpreter takes its modules apart
    (SQLAlchemy, SQLModel and Alembic loaded: 0.3 to 0.4 s of every command's time). Memory, files and connections
    are the system's to free; what must be written or closed is, by the command or an earlier exit handler."""
    gc.freeze()


def run(parser: argparse.ArgumentParser, argv: Sequence[str] | None, default: Handler | None = None) -> int:
    """Parse argv and run the chosen command (or `default` when none is given)."""
    if _end_quickly not in _EXIT_HANDLERS:
        _EXIT_HANDLERS.append(_end_quickly)
        atexit.register(_end_quickly)  # (first registered, last to run)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    for option in _BEFORE_COMMAND:  # `advisor --config FILE report`: the command's own, unless it was given there
        given = getattr(args, f"{option}_before", None)
        if given is None:
            continue
        if args.command is None or not hasattr(args, option):
            parser.error(f"--{option} is not an option of {f'advisor {args.command}' if args.command else 'advisor'}")
        if getattr(args, option) is None:
            setattr(args, option, given)
    handler: Handler | None = getattr(args, "handler", None) or default
    if handler is None:
        parser.print_help()
        return EXIT_UNUSABLE
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as error:
        if error.filename is None:
            raise
        _err(f"cannot write or read {error.filename}: {error.strerror}")  # a full disk, no permission, …
        return EXIT_UNUSABLE
    except Exception as error:
        config = sys.modules.get("advisor.config")  # loaded only by commands that read it (pydantic is slow to import)
        if config is not None and isinstance(error, config.ConfigError):
            _err(str(error))
            return EXIT_UNUSABLE
        from advisor.db.location import UnusableDatabaseUrl

        if isinstance(error, UnusableDatabaseUrl):
            source = getattr(args, "database_source", None)  # (the URL itself is in the message)
            _err(f"{source}: {error}" if source else str(error))
            return EXIT_UNUSABLE
        engine = sys.modules.get("advisor.db.engine")  # (loaded by every command that opened a database)
        if engine is not None and isinstance(error, engine.UnknownRevision | engine.SchemaBusy):
            _err(f"{_redacted(args)}: {error}")
            return EXIT_UNUSABLE
        from sqlalchemy.exc import DatabaseError, OperationalError  # imported only here: SQLAlchemy is slow to import

        from advisor.db.retry import AWAY, database_trouble, trouble_line

        # Out of reach, busy, damaged, full or read-only: one line (a query the database refuses is a bug, and shown).
        if not isinstance(error, DatabaseError) or (
            not isinstance(error, OperationalError) and database_trouble(error) == AWAY
        ):
            raise
        _err(trouble_line(error, _redacted(args)))
        return EXIT_UNUSABLE


_BEFORE_COMMAND = ("config", "db")  # the options a command takes that may also be given before it


def command_follows_options(parser: argparse.ArgumentParser, argv: Sequence[str]) -> bool:
    """Whether a command follows the options that may also be given before it (`advisor --config FILE report`),
    so a shell with a default command (the kiosk) knows when to put its own in front."""
    found = [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
    choices = found[0].choices if found else {}
    position = 0
    while position < len(argv) and argv[position].partition("=")[0] in {f"--{o}" for o in _BEFORE_COMMAND}:
        position += 1 if "=" in argv[position] else 2
    return position < len(argv) and argv[position] in choices


def _redacted(args: argparse.Namespace) -> str:
    """The database a command used (or would have), its password hidden."""
    from advisor.db.location import database_url
    from advisor.urls import redacted

    return redacted(getattr(args, "database_in_use", None) or database_url(getattr(args, "db", None)))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the core commands only (no screens); used by tests and headless servers."""
    return run(build_parser(), argv)
