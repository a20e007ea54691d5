"""Channels mapped across platforms: one session, announced in each channel of its link.

An association links its channels, e.g. Slack #dojo with Discord #classes, written
`slack:T01ABC/C01DEF=discord:111111111111111111/222222222222222222`: each address is
`platform:channel` or `platform:workspace/channel` (Slack team / Discord guild, then the
channel), `=` joins the channels of one link, `;` (or a new line) separates links. A link
holds at most one channel per platform and a channel belongs to one link at most.
"""

from __future__ import annotations

import re
from typing import NoReturn

from pydantic import BaseModel, ConfigDict

from core.errors import InvalidInput
from core.model import Origin

PLATFORMS = ("slack", "discord", "terminal")
"""Platforms whose channels can be linked (the member-id prefixes of the front ends)."""
EXAMPLE = "slack:T01ABC/C01DEF=discord:111111111111111111/222222222222222222"
"""A valid setting, shown with every refusal."""
_ID = re.compile(r"^[A-Za-z0-9_.#-]+$")


class ChannelAddress(BaseModel):
    """One channel of a link; `workspace_id` None matches the channel in any workspace."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    platform: str
    channel_id: str
    workspace_id: str | None = None

    def matches(self, origin: Origin) -> bool:
        """Whether `origin` is this channel (same platform, channel and, when both name one,
        workspace)."""
        return (
            origin.platform == self.platform
            and origin.channel_id == self.channel_id
            and (
                self.workspace_id is None
                or origin.workspace_id is None
                or origin.workspace_id == self.workspace_id
            )
        )

    def origin(self, message_ref: str | None = None) -> Origin:
        """This channel as an Origin (where a copy of a card lives)."""
        return Origin(
            platform=self.platform,
            workspace_id=self.workspace_id,
            channel_id=self.channel_id,
            message_ref=message_ref,
        )

    def __str__(self) -> str:
        where = f"{self.workspace_id}/" if self.workspace_id else ""
        return f"{self.platform}:{where}{self.channel_id}"


class ChannelMap(BaseModel):
    """The association's links between channels; empty: every session stays in its channel."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    links: tuple[tuple[ChannelAddress, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.links)

    def link_of(self, origin: Origin | None) -> tuple[ChannelAddress, ...]:
        """Every channel of the link `origin` belongs to (itself included), or ()."""
        if origin is None or origin.channel_id is None:
            return ()
        for link in self.links:
            if any(address.matches(origin) for address in link):
                return link
        return ()

    def counterparts(self, origin: Origin | None) -> list[ChannelAddress]:
        """The other channels linked with `origin`'s, one per other platform."""
        return [
            address
            for address in self.link_of(origin)
            if origin is not None and not address.matches(origin)
        ]

    def on_platform(self, origin: Origin, platform: str) -> Origin | None:
        """Where `origin`'s session is shown on `platform`: `origin` itself when it is on
        that platform, else the linked channel there, or None."""
        if origin.platform == platform:
            return origin
        for address in self.counterparts(origin):
            if address.platform == platform:
                return address.origin()
        return None


def parse_channel_map(text: str) -> ChannelMap:
    """The links of `text` (see the module); InvalidInput saying what to type otherwise."""
    links: list[tuple[ChannelAddress, ...]] = []
    seen: dict[tuple[str, str], str] = {}
    for raw in re.split(r"[;\n]", text):
        entry = raw.strip()
        if not entry:
            continue
        link = tuple(_address(part.strip(), entry) for part in entry.split("="))
        if len(link) < 2:
            _refuse(f"{entry!r} links nothing: join two channels with '='")
        platforms = [a.platform for a in link]
        for platform in set(platforms):
            if platforms.count(platform) > 1:
                _refuse(f"{entry!r} names two {platform} channels: one channel per platform")
        for address in link:
            key = (address.platform, address.channel_id)
            if key in seen:
                _refuse(f"{address} is in two links ({seen[key]!r} and {entry!r}): keep one")
            seen[key] = entry
        links.append(link)
    return ChannelMap(links=tuple(links))


def _address(part: str, entry: str) -> ChannelAddress:
    platform, colon, place = part.partition(":")
    platform = platform.strip().lower()
    if not colon or not place.strip():
        _refuse(f"{part!r} in {entry!r} is not platform:channel or platform:workspace/channel")
    if platform not in PLATFORMS:
        _refuse(f"unknown platform {platform!r} in {entry!r}: use {', '.join(PLATFORMS)}")
    workspace, slash, channel = place.strip().rpartition("/")
    ids = [channel, workspace] if slash else [channel]
    if not all(_ID.match(value) for value in ids):
        _refuse(f"{part!r} in {entry!r} has an empty or invalid id (letters, digits only)")
    if platform == "discord" and not all(value.isdigit() for value in ids):
        _refuse(f"{part!r}: Discord ids are numbers (Copy Channel ID in Discord's menu)")
    return ChannelAddress(
        platform=platform, channel_id=channel, workspace_id=workspace if slash else None
    )


def _refuse(problem: str) -> NoReturn:
    raise InvalidInput(
        f"Channel map: {problem}.",
        f"Type links like {EXAMPLE} (several separated by ';').",
    )
