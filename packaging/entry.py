"""The bundle's entry point: `advisor [COMMAND]` as from a source install (the kiosk without a command)."""

import sys

from ui.cli import main

if __name__ == "__main__":
    sys.exit(main())
