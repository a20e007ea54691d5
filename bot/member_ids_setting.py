"""Member id lists in the association's settings: comma-separated
(`slack:T01:U02,discord:111`) or a JSON list (`["slack:T01:U02"]`)."""

from __future__ import annotations

import json
from typing import Annotated

from pydantic import BeforeValidator
from pydantic_settings import NoDecode


def member_ids_setting(value: object) -> object:
    """`value` as a tuple of member ids when it is text (comma-separated or a JSON list),
    else unchanged for pydantic to read."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            return tuple(str(v).strip() for v in json.loads(text))
        return tuple(part.strip() for part in text.split(",") if part.strip())
    return value


MemberIds = Annotated[tuple[str, ...], NoDecode, BeforeValidator(member_ids_setting)]
"""A settings field holding member ids, read from the environment as plain text."""
