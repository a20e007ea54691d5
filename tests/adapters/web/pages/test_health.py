"""`/healthz`: store reachable and scheduler running, else 503 saying which."""

from __future__ import annotations

from tests.adapters.web.pages.conftest import Site


async def test_healthy(site: Site) -> None:
    response = await site.client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok", "store": "ok", "scheduler": "running"}
    assert response.headers["Cache-Control"] == "no-store"


async def test_a_failing_store_is_unhealthy_without_leaking_the_error(site: Site) -> None:
    site.healthy_store[0] = False
    response = await site.client.get("/healthz")
    assert response.status == 503
    body = await response.json()
    assert body == {"status": "unhealthy", "store": "unreachable", "scheduler": "running"}


async def test_a_stopped_scheduler_is_unhealthy(site: Site) -> None:
    site.scheduler[0] = False
    response = await site.client.get("/healthz")
    assert response.status == 503
    assert (await response.json())["scheduler"] == "stopped"


async def test_a_hanging_store_times_out() -> None:
    import asyncio

    from adapters.web.health import Health

    never = asyncio.Event()

    async def hang() -> object:
        await never.wait()
        return None

    assert await Health(hang, lambda: True, timeout=0.01)._store() == "timeout"
