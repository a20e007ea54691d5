"""The `dojobot` script and `python -m bot`: `bot.cli.main`, with the cyclic garbage
collector kept out of the start-up imports.

Importing the CLI creates some 160,000 objects (modules, functions, classes, SQLAlchemy
tables) that live as long as the process. Left alone, the collector walks them in several
full collections while they are created, a good part of the start-up CPU, and frees almost
nothing (a few thousand objects the standard library and attrs leave behind, ≈ 1 MiB). So
the imports run with the collector paused; what they created is then frozen (`gc.freeze`:
moved to a permanent generation that no later collection walks; CPython's documentation
gives the same disable → freeze → enable sequence for servers that fork) and the collector
resumes for everything the running process allocates. Tests call `bot.cli.main` directly and
keep the collector as it is.
"""

from __future__ import annotations

import gc


def console_script() -> int:
    """Import the CLI with the collector paused, freeze what was imported, run `main()`."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        from bot.cli import main
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
    return main()
