"""`dojobot check` for Discord: log in over REST (`GET /users/@me`), read the application
and its registered slash commands, and compare them with dojobot's."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import discord
from discord.http import HTTPClient, Route

from adapters.checks import CheckResult, fail, ok
from adapters.discord.settings import DiscordSettings
from adapters.discord.usage import OPTIONS

PART = "discord"
EXPECTED: frozenset[str] = frozenset(OPTIONS)
"""The slash commands dojobot registers (`adapters.discord.commands`)."""
SYNC_FIX = (
    "they are registered when `dojobot discord` (or `dojobot run`) starts with "
    "DOJOBOT_DISCORD__SYNC_COMMANDS=true; if it already ran, delete "
    "<data_dir>/discord/discord-state.jsonl and start it again"
)


async def check_discord(settings: DiscordSettings) -> CheckResult:
    """Who the token logs in as, and whether every scope has our commands."""
    if settings.api_base:
        Route.BASE = settings.api_base.rstrip("/")
    http = HTTPClient(asyncio.get_running_loop(), max_ratelimit_timeout=10.0)
    try:
        try:
            me: Any = await http.static_login(settings.token.get_secret_value())
        except discord.LoginFailure:
            return fail(
                PART,
                "the bot token was refused (HTTP 401): copy it from the Developer Portal "
                "(your application → Bot → Reset Token) into DOJOBOT_DISCORD__TOKEN",
            )
        app: Any = await http.application_info()
        application_id = int(app["id"])
        scopes = [f"guild {g}" for g in settings.guild_ids] or ["global"]
        missing: dict[str, list[str]] = {}
        guilds: list[int | None] = [*settings.guild_ids] or [None]
        for scope, guild in zip(scopes, guilds, strict=True):
            commands: Any = await (
                http.get_global_commands(application_id)
                if guild is None
                else http.get_guild_commands(application_id, guild)
            )
            absent = sorted(EXPECTED - {str(c.get("name")) for c in commands})
            if absent:
                missing[scope] = absent
    except discord.RateLimited as error:
        return fail(
            PART, f"Discord is rate-limiting this bot: try again in {error.retry_after:.0f} s"
        )
    except discord.Forbidden:
        return fail(PART, _forbidden(settings))
    except discord.HTTPException as error:
        return fail(PART, f"Discord answered HTTP {error.status} ({error.code}): {error.text}")
    except (aiohttp.ClientError, TimeoutError) as error:
        return fail(
            PART,
            f"cannot reach Discord at {Route.BASE} ({type(error).__name__}): check this "
            "machine's network (or DOJOBOT_DISCORD__API_BASE)",
        )
    finally:
        await http.close()
    who = f"bot {me.get('username')} (application {application_id})"
    if missing:
        listed = "; ".join(f"{scope}: {', '.join(names)}" for scope, names in missing.items())
        return fail(PART, f"{who}; slash commands not registered ({listed}): {SYNC_FIX}")
    return ok(PART, f"{who}; all {len(EXPECTED)} slash commands registered ({', '.join(scopes)})")


def _forbidden(settings: DiscordSettings) -> str:
    """A 403 reading guild commands: the bot was not invited with `applications.commands`."""
    guilds = ", ".join(str(g) for g in settings.guild_ids) or "the servers"
    return (
        f"Discord refused to list the commands of {guilds} (HTTP 403): invite the bot with the "
        "`bot` and `applications.commands` scopes, or fix DOJOBOT_DISCORD__GUILD_IDS"
    )
