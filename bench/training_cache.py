"""Seeded SQLite files kept between runs of `bench.training_record` (`--cache-dir`).

A file is reused only for the same `Params`, the same schema (every table's DDL) and the same
seeder source, so a schema change or a seeder change seeds afresh.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import asdict
from pathlib import Path

from sqlalchemy.dialects import sqlite
from sqlalchemy.schema import CreateTable

from adapters.sql.schema import metadata
from bench.training_data import Params
from bench.training_load import Seeded

_SOURCES = ("training_data.py", "training_load.py")


def cache_key(params: Params) -> str:
    """What the seeded file depends on, hashed."""
    digest = hashlib.sha256(repr(params).encode())
    dialect = sqlite.dialect()
    for table in metadata.sorted_tables:
        digest.update(str(CreateTable(table).compile(dialect=dialect)).encode())
        for index in sorted(table.indexes, key=lambda i: i.name or ""):
            digest.update(f"{index.name}{[c.name for c in index.columns]}".encode())
    here = Path(__file__).parent
    for name in _SOURCES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


def lookup(directory: Path, params: Params, into: Path) -> Seeded | None:
    """Copy the cached file for `params` to `into` and return what it holds (None: none)."""
    path = directory / f"training-{cache_key(params)}.sqlite"
    meta = path.with_suffix(".json")
    if not (path.exists() and meta.exists()):
        return None
    shutil.copyfile(path, into)
    return Seeded(**json.loads(meta.read_text()))


def keep(directory: Path, params: Params, seeded_file: Path, seeded: Seeded) -> None:
    """Keep `seeded_file` (closed, checkpointed) for later runs with the same `params`."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"training-{cache_key(params)}.sqlite"
    shutil.copyfile(seeded_file, path)
    kept = asdict(seeded)
    kept["seconds"] = {"sqlite": seeded.seconds.get("sqlite", 0.0)}
    path.with_suffix(".json").write_text(json.dumps(kept))
