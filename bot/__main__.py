"""`python -m bot` is `dojobot`."""

import sys

from bot.entry import console_script

sys.exit(console_script())
