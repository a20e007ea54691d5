"""Discord's documented limits, each with the page it comes from: one place for the renderer
(which cuts and paginates to fit) and the test fake (which refuses what exceeds them, the way
Discord does). Lengths are counted in characters (Python `len`)."""

from __future__ import annotations

from dataclasses import dataclass

DOCS = "https://discord.com/developers/docs"
MESSAGE_DOC = f"{DOCS}/resources/message#create-message-jsonform-params"
EMBED_DOC = f"{DOCS}/resources/message#embed-object-embed-limits"
COMPONENTS_DOC = f"{DOCS}/components/reference"
RESPONSE_DOC = f"{DOCS}/interactions/receiving-and-responding#interaction-response-object"
CHOICE_DOC = (
    f"{DOCS}/interactions/application-commands"
    "#application-command-object-application-command-option-choice-structure"
)
EVENT_DOC = (
    f"{DOCS}/resources/guild-scheduled-event"
    "#guild-scheduled-event-object-guild-scheduled-event-structure"
)
EVENT_STATUS_DOC = (
    f"{DOCS}/resources/guild-scheduled-event"
    "#guild-scheduled-event-object-valid-guild-scheduled-event-status-transitions"
)


@dataclass(frozen=True)
class Limit:
    """At most `max` (and at least `min`) characters or items, as documented at `doc`."""

    max: int
    doc: str
    min: int = 0


CONTENT = Limit(2000, MESSAGE_DOC)
EMBEDS = Limit(10, MESSAGE_DOC)
EMBED_TITLE = Limit(256, EMBED_DOC)
EMBED_DESCRIPTION = Limit(4096, EMBED_DOC)
EMBED_FIELDS = Limit(25, EMBED_DOC)
FIELD_NAME = Limit(256, EMBED_DOC)
FIELD_VALUE = Limit(1024, EMBED_DOC)
FOOTER_TEXT = Limit(2048, EMBED_DOC)
AUTHOR_NAME = Limit(256, EMBED_DOC)
EMBEDS_TOTAL = Limit(6000, EMBED_DOC)
"""Title, description, field names and values, footer text and author name of all embeds."""

ACTION_ROWS = Limit(5, f"{COMPONENTS_DOC}#action-row")
ROW_BUTTONS = Limit(5, f"{COMPONENTS_DOC}#action-row")
BUTTON_LABEL = Limit(80, f"{COMPONENTS_DOC}#button")
BUTTON_URL = Limit(512, f"{COMPONENTS_DOC}#button")
CUSTOM_ID = Limit(100, f"{COMPONENTS_DOC}#anatomy-of-a-component-custom-id", min=1)
SELECT_OPTIONS = Limit(25, f"{COMPONENTS_DOC}#string-select")
SELECT_OPTION_TEXT = Limit(100, f"{COMPONENTS_DOC}#string-select-select-option-structure", min=1)
"""An option's label and value."""
SELECT_PLACEHOLDER = Limit(150, f"{COMPONENTS_DOC}#string-select")
ROW_SELECTS = Limit(1, f"{COMPONENTS_DOC}#action-row")
"""A select fills its action row alone."""

MODAL_TITLE = Limit(45, f"{RESPONSE_DOC}-modal")
MODAL_COMPONENTS = Limit(5, f"{RESPONSE_DOC}-modal", min=1)
TEXT_INPUT_LABEL = Limit(45, f"{COMPONENTS_DOC}#text-input")
TEXT_INPUT_PLACEHOLDER = Limit(100, f"{COMPONENTS_DOC}#text-input")
LABEL_TEXT = Limit(45, f"{COMPONENTS_DOC}#label")

CHOICES = Limit(25, f"{RESPONSE_DOC}-autocomplete")
CHOICE_NAME = Limit(100, CHOICE_DOC, min=1)
CHOICE_VALUE = Limit(100, CHOICE_DOC, min=1)

EVENT_NAME = Limit(100, EVENT_DOC, min=1)
EVENT_DESCRIPTION = Limit(1000, EVENT_DOC)
EVENT_LOCATION = Limit(100, f"{DOCS}/resources/guild-scheduled-event#entity-metadata", min=1)

SCHEDULED, ACTIVE, COMPLETED, CANCELED = 1, 2, 3, 4
"""Scheduled Event statuses."""
EVENT_TRANSITIONS: frozenset[tuple[int, int]] = frozenset(
    {(SCHEDULED, ACTIVE), (ACTIVE, COMPLETED), (SCHEDULED, CANCELED)}
)
"""The only status changes Discord accepts (COMPLETED and CANCELED are final); EXTERNAL
events go ACTIVE at `scheduled_start_time` and COMPLETED at `scheduled_end_time` by
themselves. Documented at EVENT_STATUS_DOC."""

ELLIPSIS = "…"


def fit(text: str, limit: Limit) -> str:
    """`text`, cut to the limit with an ellipsis when it is longer."""
    if len(text) <= limit.max:
        return text
    return text[: limit.max - len(ELLIPSIS)] + ELLIPSIS


def pages(lines: list[str], limit: int, per_page: int) -> list[list[str]]:
    """`lines` packed in order into pages of at most `per_page` lines whose newline-joined
    text is at most `limit` characters (a line longer than that is cut to fit)."""
    cap = Limit(limit, "")
    packed: list[list[str]] = []
    page: list[str] = []
    size = 0
    for line in (fit(raw, cap) for raw in lines):
        needed = len(line) + (1 if page else 0)
        if page and (size + needed > limit or len(page) >= per_page):
            packed.append(page)
            page, size, needed = [], 0, len(line)
        page.append(line)
        size += needed
    if page or not packed:
        packed.append(page)
    return packed
