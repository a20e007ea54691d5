"""Child processes of a benchmark read compiled bytecode, as an installed package does.

The libraries ship their `.pyc` files; our modules get theirs only where Python may write
them. With `PYTHONDONTWRITEBYTECODE` set (as in this project's shells), every start of a
child would compile our modules from source, a cost no deployment pays and that the libraries
we compare against never pay. So each benchmark run gives its children one cache directory
(`PYTHONPYCACHEPREFIX`: the working tree gets no `__pycache__`) and fills it with an
uncounted warm-up start of each kind of child before measuring.
"""

from __future__ import annotations

import os
from pathlib import Path


def compiled_env(cache: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """`base` (default: this process's environment) with bytecode written to and read from
    `cache`."""
    env = {k: v for k, v in (os.environ if base is None else base).items()}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env
