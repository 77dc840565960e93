"""The `advisor` entry point: the core's commands plus the screens (kiosk is the default)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from advisor.cli import build_parser, command_follows_options, db_options, given_db, run


def cmd_kiosk(args: argparse.Namespace) -> int:
    given_db(args)  # a blank or in-memory --db is refused, as by every command (before the screens load)
    from ui.app import run_kiosk

    return run_kiosk(
        db_url=getattr(args, "db", None),
        fullscreen=getattr(args, "fullscreen", False),
        exit_after_first_paint=getattr(args, "exit_after_first_paint", False),
        config_file=getattr(args, "config", None),
        screenshot=getattr(args, "screenshot", None),
    )


def cmd_screenshots(args: argparse.Namespace) -> int:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSize

    from ui.screenshots import ScreenshotsProblem, kiosk_questionnaires, take_screenshots

    try:
        width, height = (int(part) for part in args.size.lower().split("x"))
    except ValueError:
        sys.stderr.write(f"advisor: --size {args.size!r}: expected WIDTHxHEIGHT, e.g. 1280x800\n")
        return 2
    if args.console and args.questionnaire:
        sys.stderr.write("advisor: --questionnaire walks the kiosk's screens; --console renders sample cases of the "
                         "shipped finders: one or the other\n")  # fmt: skip
        return 2
    if args.console:  # the staff console with sample cases: queue, case, chat, insights
        from ui.screenshots import CONSOLE_SIZES, take_console_screenshots

        sizes = CONSOLE_SIZES if args.all else (QSize(width, height),)
        langs = ("de", "en") if args.all else (args.lang,)
        for lang in langs:
            for size in sizes:
                folder = Path(args.dir) / f"console-{lang}-{size.width()}x{size.height()}"
                for path in take_console_screenshots(folder, locale=lang, size=size):
                    sys.stdout.write(f"{path}\n")
        return 0
    from advisor.bootstrap import open_database
    from advisor.catalog.reads import load_dictionary
    from advisor.cli import settings

    # The kiosk's configuration, found as every command finds it: its [content] questionnaires (the choice screen
    # and the walk) and its database (the catalog).
    config, db_url = settings(args)
    engine = open_database(db_url)
    dictionary = load_dictionary(engine)  # the walked finder is checked as `advisor check` checks it
    engine.dispose()
    try:
        questionnaires, chosen = kiosk_questionnaires(args.questionnaire, dictionary)
    except ScreenshotsProblem as problem:
        sys.stderr.write(f"advisor: {problem}\n")
        return 2
    if args.all:  # every supported size in both languages, normal and accessibility mode
        from ui.screenshots import SIZES

        runs = [(lang, size, accessible) for lang in ("de", "en") for size in SIZES for accessible in (False, True)]
    else:
        runs = [(args.lang, QSize(width, height), args.accessible)]
    for lang, size, accessible in runs:
        folder = Path(args.dir)
        if args.all:
            folder = folder / f"{lang}-{size.width()}x{size.height()}{'-accessible' if accessible else ''}"
        for path in take_screenshots(folder, locale=lang, size=size, db_url=db_url, accessible=accessible,
                                     questionnaires=questionnaires, questionnaire=chosen, config=config):  # fmt: skip
            sys.stdout.write(f"{path}\n")
    return 0


def cmd_preview(args: argparse.Namespace) -> int:
    from advisor.cli import settings
    from ui.preview import run_preview

    path = Path(args.file)
    if not path.is_file():
        sys.stderr.write(f"advisor: no such file: {path}\n")
        return 2
    config, db_url = settings(args)
    return run_preview(path, db_url=db_url, config=config)


def cmd_staff(args: argparse.Namespace) -> int:
    given_db(args)  # a blank or in-memory --db is refused, as by every command (before the screens load)
    from ui.staff import run_staff

    return run_staff(db_url=args.db, config_file=args.config)


def add_screen_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the commands that open windows."""
    kiosk = commands.add_parser("kiosk", help="open the shopper's kiosk (the default command)")
    kiosk.add_argument("--fullscreen", action="store_true", help="full screen, for kiosks")
    db_options(kiosk)
    kiosk.add_argument("--exit-after-first-paint", action="store_true", help=argparse.SUPPRESS)
    kiosk.add_argument("--screenshot", metavar="FILE", help="save the first screen (loaded) as PNG and exit")
    kiosk.set_defaults(handler=cmd_kiosk)
    shots = commands.add_parser(
        "screenshots",
        help="walk a finder (the tent finder, or --questionnaire) by script and save every screen as PNG",
        description="Renders the screens a shopper walks through in one finder, with the questionnaires and the "
        "catalog of the configuration (as the kiosk would show them). The answers are the finder's first example's, "
        "else on each step the first option that leaves products.",
    )
    shots.add_argument("dir", metavar="DIR")
    shots.add_argument(
        "--questionnaire",
        metavar="ID|FILE",
        help="the finder to walk: its id in the configured questionnaires, or a questionnaire file (default: "
        "tent-finder)",
    )
    shots.add_argument("--lang", choices=("de", "en"), default="de")
    shots.add_argument("--size", default="1280x800", metavar="WxH")
    shots.add_argument("--accessible", action="store_true", help="in accessibility mode")
    shots.add_argument("--all", action="store_true", help="every size, both languages, both modes (subfolders)")
    shots.add_argument(
        "--console",
        action="store_true",
        help="the staff console with sample cases, appointments and repairs (in a database of its own)",
    )
    db_options(shots)  # the configuration's database and [content], as the kiosk's
    shots.set_defaults(handler=cmd_screenshots)
    preview = commands.add_parser(
        "preview", help="merchandisers: the kiosk on one questionnaire file, reloaded on save, with its findings"
    )
    preview.add_argument("file", metavar="FILE")
    db_options(preview)  # the configuration's database and [content] (the guides and size charts the file uses)
    preview.set_defaults(handler=cmd_preview)
    staff = commands.add_parser("staff", help="the staff console: sign in, live queue, claim, the whole case, close")
    db_options(staff)
    staff.set_defaults(handler=cmd_staff)


def main(argv: Sequence[str] | None = None) -> int:
    """`advisor [COMMAND]`: without a command, open the kiosk; `advisor --config FILE --fullscreen` is the kiosk's
    options given without its name (`advisor kiosk --config FILE --fullscreen`)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(add_screen_commands)
    if (
        arguments
        and arguments[0].startswith("-")
        and arguments[0] not in ("-h", "--help", "--version")
        and not command_follows_options(parser, arguments)
    ):
        arguments.insert(0, "kiosk")
    return run(parser, arguments, default=cmd_kiosk)


def kiosk_main() -> int:
    """The GUI script entry point."""
    return main(["kiosk", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
