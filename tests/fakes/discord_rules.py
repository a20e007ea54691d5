"""What the fake Discord refuses, from the documented limits in `adapters.discord.limits`.

Each check returns Discord's nested `errors` object (empty when the body is fine); `invalid`
wraps it in the 400 body Discord answers: `{"code": 50035, "errors": {...}, "message":
"Invalid Form Body"}`, a leaf being `{"_errors": [{"code": ..., "message": ...}]}`.
"""

from __future__ import annotations

from typing import Any

from adapters.discord import limits as L

Errors = dict[str, Any]
INVALID_FORM_BODY = 50035


def invalid(errors: Errors) -> dict[str, Any]:
    """The body of Discord's 400 for these errors."""
    return {"code": INVALID_FORM_BODY, "errors": errors, "message": "Invalid Form Body"}


def _leaf(code: str, message: str) -> Errors:
    return {"_errors": [{"code": code, "message": message}]}


def _length(value: Any, limit: L.Limit) -> Errors | None:
    if value is None:
        return None
    size = len(value)
    if size > limit.max:
        return _leaf("BASE_TYPE_MAX_LENGTH", f"Must be {limit.max} or fewer in length.")
    if size < limit.min:
        return _leaf("BASE_TYPE_MIN_LENGTH", f"Must be {limit.min} or more in length.")
    return None


def _put(errors: Errors, key: str | int, found: Errors | None) -> None:
    if found:
        errors[str(key)] = found


def embed_errors(embeds: list[dict[str, Any]]) -> Errors:
    errors: Errors = {}
    total = 0
    for i, embed in enumerate(embeds):
        one: Errors = {}
        _put(one, "title", _length(embed.get("title"), L.EMBED_TITLE))
        _put(one, "description", _length(embed.get("description"), L.EMBED_DESCRIPTION))
        fields = embed.get("fields") or []
        found: Errors = {}
        for j, field in enumerate(fields):
            entry: Errors = {}
            _put(entry, "name", _length(field.get("name"), L.FIELD_NAME))
            _put(entry, "value", _length(field.get("value"), L.FIELD_VALUE))
            _put(found, j, entry)
        _put(one, "fields", _length(fields, L.EMBED_FIELDS) or found)
        footer = (embed.get("footer") or {}).get("text")
        _put(one, "footer", {"text": e} if (e := _length(footer, L.FOOTER_TEXT)) else None)
        author = (embed.get("author") or {}).get("name")
        _put(one, "author", {"name": e} if (e := _length(author, L.AUTHOR_NAME)) else None)
        _put(errors, i, one)
        total += sum(
            len(str(text or ""))
            for text in (
                embed.get("title"),
                embed.get("description"),
                footer,
                author,
                *(f.get("name") for f in fields),
                *(f.get("value") for f in fields),
            )
        )
    if total > L.EMBEDS_TOTAL.max:
        size = f"Embed size exceeds maximum size of {L.EMBEDS_TOTAL.max}"
        errors.setdefault("_errors", []).append(
            {"code": "MAX_EMBED_SIZE_EXCEEDED", "message": size}
        )
    return errors


def component_errors(rows: list[dict[str, Any]]) -> Errors:
    errors: Errors = {}
    if (e := _length(rows, L.ACTION_ROWS)) is not None:
        return e
    seen: set[str] = set()
    for i, row in enumerate(rows):
        children = row.get("components") or []
        row_errors: Errors = {}
        if (e := _length(children, L.ROW_BUTTONS)) is not None:
            _put(errors, i, {"components": e})
            continue
        if any(c.get("type") == 3 for c in children) and len(children) > L.ROW_SELECTS.max:
            only = "A select menu must be alone in its action row"
            _put(errors, i, {"components": _leaf("COMPONENT_LAYOUT_WIDTH_EXCEEDED", only)})
            continue
        for j, button in enumerate(children):
            one: Errors = {}
            if button.get("type") == 3:
                _put(row_errors, j, select_errors(button))
                continue
            _put(one, "label", _length(button.get("label"), L.BUTTON_LABEL))
            _put(one, "url", _length(button.get("url"), L.BUTTON_URL))
            custom_id = button.get("custom_id")
            _put(one, "custom_id", _length(custom_id, L.CUSTOM_ID))
            if custom_id is not None and custom_id in seen:
                _put(one, "custom_id", _leaf("COMPONENT_CUSTOM_ID_DUPLICATED", "Duplicate"))
            if custom_id is not None:
                seen.add(custom_id)
            _put(row_errors, j, one)
        _put(errors, i, {"components": row_errors} if row_errors else None)
    return errors


def select_errors(select: dict[str, Any]) -> Errors:
    """A string select: its custom_id, placeholder, options (count, label and value) and
    how many values it takes (0-25, min ≤ max ≤ options)."""
    errors: Errors = {}
    _put(errors, "custom_id", _length(select.get("custom_id"), L.CUSTOM_ID))
    _put(errors, "placeholder", _length(select.get("placeholder"), L.SELECT_PLACEHOLDER))
    options = select.get("options") or []
    found: Errors = {}
    for k, option in enumerate(options):
        one: Errors = {}
        _put(one, "label", _length(option.get("label"), L.SELECT_OPTION_TEXT))
        _put(one, "value", _length(option.get("value"), L.SELECT_OPTION_TEXT))
        _put(found, k, one)
    _put(errors, "options", _length(options, L.SELECT_OPTIONS) or found or None)
    low, high = int(select.get("min_values", 1)), int(select.get("max_values", 1))
    if not 0 <= low <= high <= min(len(options), L.SELECT_OPTIONS.max):
        span = f"min_values {low} and max_values {high} don't fit {len(options)} options"
        _put(errors, "max_values", _leaf("BASE_TYPE_BAD", span))
    return errors


def message_errors(body: dict[str, Any]) -> Errors:
    """A message's content, embeds and components against Discord's limits."""
    errors: Errors = {}
    _put(errors, "content", _length(body.get("content"), L.CONTENT))
    embeds = body.get("embeds") or []
    _put(errors, "embeds", _length(embeds, L.EMBEDS) or embed_errors(embeds))
    _put(errors, "components", component_errors(body.get("components") or []))
    return errors


def callback_errors(body: dict[str, Any]) -> Errors:
    """An interaction response: message (4, 7), autocomplete choices (8), modal (9)."""
    data = body.get("data") or {}
    kind = body.get("type")
    found: Errors = {}
    if kind in (4, 7):
        found = message_errors(data)
    elif kind == 8:
        choices = data.get("choices") or []
        found = {}
        each: Errors = {}
        for i, choice in enumerate(choices):
            one: Errors = {}
            _put(one, "name", _length(choice.get("name"), L.CHOICE_NAME))
            _put(one, "value", _length(str(choice.get("value")), L.CHOICE_VALUE))
            _put(each, i, one)
        _put(found, "choices", _length(choices, L.CHOICES) or each)
    elif kind == 9:
        found = {}
        _put(found, "title", _length(data.get("title"), L.MODAL_TITLE))
        _put(found, "custom_id", _length(data.get("custom_id"), L.CUSTOM_ID))
        _put(found, "components", _length(data.get("components") or [], L.MODAL_COMPONENTS))
    return {"data": found} if found else {}


def event_errors(body: dict[str, Any]) -> Errors:
    """A Scheduled Event's name, description and location."""
    errors: Errors = {}
    _put(errors, "name", _length(body.get("name"), L.EVENT_NAME))
    _put(errors, "description", _length(body.get("description"), L.EVENT_DESCRIPTION))
    location = (body.get("entity_metadata") or {}).get("location")
    if (e := _length(location, L.EVENT_LOCATION)) is not None:
        errors["entity_metadata"] = {"location": e}
    return errors
