"""`python -m bot` is `dojobot`."""

import sys

from bot.cli import main

sys.exit(main())
