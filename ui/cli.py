"""The `advisor` entry point: the core's commands plus the screens (kiosk is the default)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from advisor.cli import build_parser, run


def cmd_kiosk(args: argparse.Namespace) -> int:
    from ui.app import run_kiosk

    return run_kiosk(db_url=getattr(args, "db", None), fullscreen=getattr(args, "fullscreen", False))


def add_screen_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the commands that open windows."""
    kiosk = commands.add_parser("kiosk", help="open the shopper's kiosk (the default command)")
    kiosk.add_argument("--fullscreen", action="store_true", help="full screen, for kiosks")
    kiosk.add_argument("--db", metavar="URL", help="SQLAlchemy database URL")
    kiosk.set_defaults(handler=cmd_kiosk)


def main(argv: Sequence[str] | None = None) -> int:
    """`advisor [COMMAND]`: without a command, open the kiosk."""
    return run(build_parser(add_screen_commands), argv, default=cmd_kiosk)


def kiosk_main() -> int:
    """The GUI script entry point."""
    return main(["kiosk", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
