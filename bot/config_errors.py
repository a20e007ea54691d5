"""Configuration mistakes as one line each: the variable, what is wrong, a valid example.

`load_settings` reads the environment (and `.env`); anything it refuses becomes a
`ConfigError` whose lines the command line prints before exiting with status 2, instead of a
pydantic traceback. Secrets are never echoed: only the variable's name and the rule.
"""

from __future__ import annotations

import json
import os
import re
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_settings import SettingsError

from adapters.jitsi.settings import JitsiSettingsError
from bot.settings import Settings
from core.channel_map import EXAMPLE as CHANNEL_MAP_EXAMPLE
from core.errors import DojoError

ENV_PREFIX = "DOJOBOT_"

EXAMPLES: dict[str, str] = {
    "DOJOBOT_DEFAULT_TIMEZONE": "Europe/Berlin",
    "DOJOBOT_LOG_LEVEL": "INFO",
    "DOJOBOT_DATABASE_URL": "postgresql://dojo:secret@localhost:5432/dojo",
    "DOJOBOT_DATA_DIR": "data",
    "DOJOBOT_WEB__API_JWT_SECRET": "a random 43-character value from "
    "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`",
    "DOJOBOT_WEB__JOIN_SECRET": "a random 43-character value from "
    "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`",
    "DOJOBOT_WEB__PORT": "8080",
    "DOJOBOT_WEB__PUBLIC_URL": "https://dojo.example.org",
    "DOJOBOT_WEB__JOIN_LINK_TTL": "PT15M (ISO 8601) or 900 (seconds)",
    "DOJOBOT_WEB__STATUS_POLL_SECONDS": "5",
    "DOJOBOT_WEB__REALTIMEKIT_CORE_URL": "https://cdn.jsdelivr.net/npm/…/browser.js",
    "DOJOBOT_WEB__REALTIMEKIT_UI_URL": "https://cdn.jsdelivr.net/npm/…/index.es2017.js",
    "DOJOBOT_JITSI__BASE_URL": "https://meet.jit.si",
    "DOJOBOT_JITSI__APP_SECRET": "a random secret of 32+ bytes (HS256)",
    "DOJOBOT_SLACK__BOT_TOKEN": "xoxb-…",
    "DOJOBOT_SLACK__SIGNING_SECRET": "the Signing Secret from the Slack app's Basic Information",
    "DOJOBOT_SLACK__ADMINS": "U012AB3CD,@dojo-admins",
    "DOJOBOT_SLACK__INSTRUCTORS": "U012AB3CD,@senseis",
    "DOJOBOT_DISCORD__TOKEN": "the bot token from the Developer Portal (Bot → Reset Token)",
    "DOJOBOT_DISCORD__GUILD_IDS": "[123456789012345678]",
    "DOJOBOT_DISCORD__TIMEZONE": "Europe/Berlin",
    "DOJOBOT_DISCORD__GUILD_TIMEZONES": '{"123456789012345678": "Europe/Berlin"}',
    "DOJOBOT_REALTIMEKIT__ACCOUNT_ID": "your Cloudflare account id",
    "DOJOBOT_REALTIMEKIT__APP_ID": "your RealtimeKit app id",
    "DOJOBOT_REALTIMEKIT__API_TOKEN": "a Cloudflare API token with the Realtime permission",
    "DOJOBOT_ZERODB__PROJECT_ID": "your ZeroDB project id",
    "DOJOBOT_ZERODB__API_KEY": "your ZeroDB API key",
    "DOJOBOT_ZERODB__BASE_URL": "https://api.ainative.studio",
    "DOJOBOT_REMINDERS": "24h,1h,10m (plus at most one of 48h,12h,6h,3h,2h,30m)",
    "DOJOBOT_REMINDER_ROUTE": "dm (or none)",
    "DOJOBOT_CHANNEL_REMINDERS": "10m (or 24h,1h,10m, or empty for none)",
    "DOJOBOT_CHANNEL_MAP": f"{CHANNEL_MAP_EXAMPLE} (several links separated by ';')",
}
"""A valid value per variable, shown with its error."""

_BY_TYPE: dict[str, str] = {
    "int_parsing": "a whole number, e.g. 3",
    "int_from_float": "a whole number, e.g. 3",
    "float_parsing": "a number, e.g. 1.5",
    "bool_parsing": "true or false",
    "json_invalid": 'JSON, e.g. ["a", "b"] or {"key": "value"}',
    "list_type": 'a JSON list, e.g. ["a", "b"]',
    "dict_type": 'a JSON object, e.g. {"key": "value"}',
    "url_parsing": "https://example.org",
    "time_delta_parsing": "PT15M (ISO 8601) or 900 (seconds)",
}


class ConfigError(Exception):
    """The settings were refused; `lines` has one line per mistake."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def load_settings(**values: Any) -> Settings:
    """`Settings(**values)` from the environment, or ConfigError with one line per mistake."""
    try:
        return Settings(**values)
    except ValidationError as error:
        raise ConfigError(describe(error)) from None
    except SettingsError as error:
        raise ConfigError(_unparsable(str(error))) from None
    except JitsiSettingsError as error:
        raise ConfigError([line("DOJOBOT_JITSI__APP_SECRET", str(error))]) from None
    except DojoError as error:  # a validator that let a core refusal through
        raise ConfigError([f"Invalid configuration: {error.message}"]) from None


def describe(error: ValidationError) -> list[str]:
    """One line per validation error of the settings, naming its environment variable."""
    lines = []
    for detail in error.errors(include_input=False, include_url=False):
        name = variable(tuple(detail["loc"]))
        message = (
            str(detail["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        )
        context = detail.get("ctx") or {}
        if detail["type"] == "extra_forbidden":  # a misspelt variable: name it, not its section
            name = ENV_PREFIX + "__".join(str(part).upper() for part in detail["loc"])
            message = "is not a dojobot setting: check its spelling in docs/configuration.md"
        elif detail["type"] == "missing":
            message = "is required when its section is set"
        elif detail["type"] in ("too_short", "string_too_short"):
            message = f"is too short: at least {context.get('min_length')} characters"
        lines.append(line(name, message, _example(name, str(detail["type"]))))
    return list(dict.fromkeys(lines))


def line(name: str, problem: str, example: str | None = None) -> str:
    """`NAME: problem. Example: NAME=value` on one line."""
    text = f"Configuration error: {name}: {' '.join(problem.split()).rstrip('.')}."
    example = example or EXAMPLES.get(name)
    return f"{text} Example: {name}={example}" if example else text


def variable(loc: tuple[int | str, ...]) -> str:
    """The environment variable behind a settings error location (`web.port` →
    `DOJOBOT_WEB__PORT`); locations inside a list or dict value stop at that field."""
    if loc and str(loc[0]).upper().endswith("DATABASE_URL"):
        ours = f"{ENV_PREFIX}DATABASE_URL"
        return "DATABASE_URL" if "DATABASE_URL" in os.environ and ours not in os.environ else ours
    parts: list[str] = []
    model: type[BaseModel] | None = Settings
    for part in loc:
        if model is None or not isinstance(part, str) or part not in model.model_fields:
            break
        parts.append(part.upper())
        model = _model_of(model.model_fields[part].annotation)
    return ENV_PREFIX + "__".join(parts or [str(p).upper() for p in loc[:1]])


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The settings model a field holds (`X`, or `X | None`), if any."""
    candidates = [annotation, *getattr(annotation, "__args__", ())]
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _example(name: str, kind: str) -> str | None:
    return EXAMPLES.get(name) or _BY_TYPE.get(kind)


def _unparsable(problem: str) -> list[str]:
    """Lines for a value the settings source could not even parse (JSON lists and objects)."""
    found = re.search(r'field "(\w+)"', problem)
    field = found.group(1).upper() if found else ""
    culprits = []
    for name, value in os.environ.items():
        upper = name.upper()
        if not (upper == ENV_PREFIX + field or upper.startswith(f"{ENV_PREFIX}{field}__")):
            continue
        if _takes_json(upper) or value.lstrip().startswith(("[", "{")):
            try:
                json.loads(value)
            except ValueError:
                culprits.append(upper)
    names = culprits or [f"{ENV_PREFIX}{field}__…"]
    return [line(name, "is not valid JSON", _example(name, "json_invalid")) for name in names]


def _takes_json(name: str) -> bool:
    """Whether the variable holds a list or a dict (the environment gives those as JSON)."""
    model: type[BaseModel] | None = Settings
    annotation: Any = None
    for part in name.removeprefix(ENV_PREFIX).lower().split("__"):
        if model is None or part not in model.model_fields:
            return False
        annotation = model.model_fields[part].annotation
        model = _model_of(annotation)
    origins = {typing.get_origin(a) for a in (annotation, *typing.get_args(annotation))}
    return bool(origins & {list, dict})
