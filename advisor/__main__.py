"""`python -m advisor`: the core commands without screens."""

import sys

from advisor.cli import main

sys.exit(main())
