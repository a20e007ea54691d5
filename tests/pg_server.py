"""Throwaway PostgreSQL servers for tests and benchmarks (a real server, not a fake).

`start_server()` runs `initdb` into a temporary directory and starts `postgres` on 127.0.0.1
at a free port, tuned for speed over durability (fsync off); `server.stop()` shuts it down and
deletes everything. As root, both run as the `postgres` system user (PostgreSQL refuses root);
scripts/ci/install-postgres.sh installs the binaries and that user.

`DOJOBOT_TEST_POSTGRES_URL` (any SQLAlchemy or libpq URL of a role allowed to CREATE DATABASE)
points the tests at an existing server instead. Each test gets its own database
(`create_database`), dropped afterwards.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import threading
from collections import deque
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url

URL_ENV = "DOJOBOT_TEST_POSTGRES_URL"
"""Use this existing server instead of starting one."""

START_TIMEOUT_S = 30.0
SERVER_OPTIONS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "400",
    "shared_buffers": "128MB",
    "lc_messages": "C",
    "log_min_messages": "warning",
}
"""Throwaway data: durability traded for speed; room for 200+ concurrent test connections."""
INITDB = ("--no-locale", "-E", "UTF8", "--no-sync")
READY_LINE = "database system is ready to accept connections"
SERVER_USER = "postgres"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine (and no DOJOBOT_TEST_POSTGRES_URL)."""


def find_bin_dir() -> Path | None:
    """The newest `/usr/lib/postgresql/<version>/bin` with initdb, or the dir of initdb on PATH."""
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if versions:
        return versions[-1].parent
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


@dataclass
class PostgresServer:
    """A server reachable at `base_url` (an asyncpg SQLAlchemy URL of its admin database)."""

    base_url: URL
    process: subprocess.Popen[str] | None = None
    directory: Path | None = None
    _log: deque[str] = field(default_factory=lambda: deque(maxlen=50))
    _names: Iterator[int] = field(default_factory=lambda: count(1))
    _drainer: threading.Thread | None = None
    _reused: dict[str, str] = field(default_factory=dict)

    def url(self, database: str) -> str:
        """The `postgresql+asyncpg://` URL of one database on this server."""
        return self.base_url.set(database=database).render_as_string(hide_password=False)

    def dsn(self, database: str) -> str:
        """The libpq/asyncpg DSN of one database on this server."""
        return self.base_url.set(drivername="postgresql", database=database).render_as_string(
            hide_password=False
        )

    def new_database_name(self, prefix: str = "dojobot_test") -> str:
        """A database name not used before by this process."""
        return f"{prefix}_{os.getpid()}_{next(self._names)}"

    async def create_database(self, name: str | None = None) -> str:
        """Create an empty database and return its name."""
        import asyncpg  # type: ignore[import-untyped]

        name = name or self.new_database_name()
        _check_name(name)
        admin = await asyncpg.connect(self.dsn(self.base_url.database or "postgres"))
        try:
            await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        finally:
            await admin.close()
        return name

    async def reused_database(self, purpose: str) -> str:
        """The URL of a database created on first call for `purpose`, the same one after.

        Creating a database takes ~0.15 s; tests that only need empty tables reuse one and
        empty it themselves (dropped with the throwaway server, or left on an external one).
        """
        if purpose not in self._reused:
            name = await self.create_database(self.new_database_name(purpose))
            self._reused[purpose] = name
        return self.url(self._reused[purpose])

    async def drop_database(self, name: str) -> None:
        """Drop a database, disconnecting whoever is still connected to it."""
        import asyncpg

        _check_name(name)
        admin = await asyncpg.connect(self.dsn(self.base_url.database or "postgres"))
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()

    def log_tail(self) -> str:
        return "\n".join(self._log)

    def stop(self) -> None:
        """Fast shutdown (SIGINT) and delete the data directory; no-op for external servers."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(2)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self._drainer is not None:
            self._drainer.join(timeout=10)
            self._drainer = None
        if self.process is not None and self.process.stderr is not None:
            self.process.stderr.close()
        self.process = None
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None


def _check_name(name: str) -> None:
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise ValueError(f"not a safe database name: {name!r}")


def external_server() -> PostgresServer | None:
    """The server named by DOJOBOT_TEST_POSTGRES_URL, if set."""
    raw = os.environ.get(URL_ENV)
    if not raw:
        return None
    url = make_url(raw).set(drivername="postgresql+asyncpg")
    return PostgresServer(base_url=url.set(database=url.database or "postgres"))


def start_server() -> PostgresServer:
    """initdb a temporary cluster and start it on a free loopback port (stop() when done)."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise PostgresUnavailable(
            "PostgreSQL is not installed (no initdb); run scripts/ci/install-postgres.sh "
            f"or set {URL_ENV}"
        )
    as_user = _server_user()
    directory = Path(tempfile.mkdtemp(prefix="dojobot-pg-"))
    try:
        if as_user is not None:
            os.chown(directory, as_user.pw_uid, as_user.pw_gid)
        data = directory / "data"
        _run_as(
            as_user,
            [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", *INITDB],
        )
        for _ in range(5):  # a free port can be taken between probing and binding
            server = _start_postgres(bin_dir, as_user, directory, data, _free_port())
            if server is not None:
                return server
        raise RuntimeError("PostgreSQL did not start on any of 5 free ports")
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise


def _start_postgres(
    bin_dir: Path, as_user: pwd.struct_passwd | None, directory: Path, data: Path, port: int
) -> PostgresServer | None:
    """Start postgres and wait for its "ready" log line; None when it exits first."""
    options = [f"-c{k}={v}" for k, v in SERVER_OPTIONS.items()]
    command = [str(bin_dir / "postgres"), "-D", str(data), "-p", str(port), "-k", str(directory)]
    process = subprocess.Popen(
        command + options,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        **_user_args(as_user),
    )
    url = URL.create("postgresql+asyncpg", "postgres", None, "127.0.0.1", port, "postgres")
    server = PostgresServer(base_url=url, process=process, directory=directory)
    ready = threading.Event()
    server._drainer = threading.Thread(
        target=_drain, args=(process, server._log, ready), daemon=True
    )
    server._drainer.start()
    # The drain thread sets `ready` at the ready line, or at EOF when the server exits.
    if not ready.wait(START_TIMEOUT_S):
        process.kill()
        process.wait(timeout=10)
        raise RuntimeError(f"PostgreSQL not ready within {START_TIMEOUT_S:.0f} s")
    if process.poll() is not None:
        log = server.log_tail()
        server.directory = None  # the caller owns it
        server.stop()
        if "could not bind" in log or "in use" in log:
            return None
        raise RuntimeError(f"PostgreSQL exited at start:\n{log}")
    return server


def _drain(process: subprocess.Popen[str], log: deque[str], ready: threading.Event) -> None:
    """Keep reading the server's log (so it never blocks on a full pipe)."""
    assert process.stderr is not None
    for line in process.stderr:
        log.append(line.rstrip())
        if READY_LINE in line:
            ready.set()
    process.wait()
    ready.set()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _server_user() -> pwd.struct_passwd | None:
    """The user to run the server as: `postgres` when we are root, else ourselves (None)."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SERVER_USER)
    except KeyError as error:
        raise PostgresUnavailable(
            "running as root and there is no `postgres` user to run the server as; "
            "run scripts/ci/install-postgres.sh"
        ) from error


def _user_args(as_user: pwd.struct_passwd | None) -> dict[str, Any]:
    if as_user is None:
        return {}
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "HOME": as_user.pw_dir}
    return {"user": as_user.pw_uid, "group": as_user.pw_gid, "extra_groups": [], "env": env}


def _run_as(as_user: pwd.struct_passwd | None, command: list[str]) -> None:
    done = subprocess.run(
        command, capture_output=True, text=True, check=False, **_user_args(as_user)
    )
    if done.returncode != 0:
        raise RuntimeError(f"{Path(command[0]).name} failed:\n{done.stdout}\n{done.stderr}")


# one server per test process -----------------------------------------------------------------
_shared: PostgresServer | None = None
_shared_error: PostgresUnavailable | None = None
_shared_lock = threading.Lock()


def shared_server() -> PostgresServer:
    """The test process's server: DOJOBOT_TEST_POSTGRES_URL's, else one started on first use.

    Raises PostgresUnavailable (each time) when there is neither.
    """
    global _shared, _shared_error
    with _shared_lock:
        if _shared_error is not None:
            raise _shared_error
        if _shared is None:
            try:
                _shared = external_server() or start_server()
            except PostgresUnavailable as error:
                _shared_error = error
                raise
            atexit.register(stop_shared_server)
        return _shared


def stop_shared_server() -> None:
    """Stop the shared server if this process started one."""
    global _shared
    with _shared_lock:
        if _shared is not None:
            _shared.stop()
            _shared = None


@contextlib.contextmanager
def running_server() -> Iterator[PostgresServer]:
    """DOJOBOT_TEST_POSTGRES_URL's server, or a throwaway one stopped on exit (benchmarks)."""
    server = external_server() or start_server()
    try:
        yield server
    finally:
        server.stop()


def require_server() -> PostgresServer:
    """`shared_server()` for a test: skipped without PostgreSQL, failed when CI=true."""
    import pytest

    try:
        return shared_server()
    except PostgresUnavailable as error:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI needs PostgreSQL: {error}", pytrace=False)
        pytest.skip(f"PostgreSQL tests skipped: {error}")


@contextlib.asynccontextmanager
async def fresh_database(server: PostgresServer) -> AsyncIterator[str]:
    """An empty database on `server` for one test (its URL), dropped afterwards."""
    name = await server.create_database()
    try:
        yield server.url(name)
    finally:
        await server.drop_database(name)
