"""The REST API on a seeded store, in its own process, for `bench.training_record`'s export.

    python -m bench.training_export_server STORE_URL   (secret in DOJOBOT_BENCH_API_SECRET)

Opens the store, builds `SessionService` on a FakeClock at the seeded year's end and serves
the production web server (`WebServer`: its middlewares, `RestApi` mounted at /api) on
127.0.0.1 at an ephemeral port; prints `READY <port>` and serves until its stdin closes.
Its own process, so the parent can read this process's RSS while it streams an export.
"""

from __future__ import annotations

import asyncio
import os
import sys

from pydantic import SecretStr

from adapters.sql import open_sql_store
from adapters.web.api import RestApi
from adapters.web.server import WebServer
from bench.training_data import NOW
from bench.training_service import build_service
from core.testing.clock import FakeClock

SECRET_ENV = "DOJOBOT_BENCH_API_SECRET"


async def serve(url: str, secret: SecretStr) -> None:
    store = await open_sql_store(url)
    clock = FakeClock(NOW)
    server = WebServer("127.0.0.1", 0)
    try:
        server.mount(RestApi(build_service(store, clock), clock, secret).mount)
        await server.start()
        print(f"READY {server.port}", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    finally:
        await server.stop()
        await store.close()


def main() -> None:
    asyncio.run(serve(sys.argv[1], SecretStr(os.environ[SECRET_ENV])))


if __name__ == "__main__":
    main()
