"""RealtimeKitRooms over real httpx against the fake RealtimeKit API."""

from __future__ import annotations

import logging
from datetime import timedelta

import httpx
import jwt
import pytest
from pydantic import SecretStr

from adapters.realtimekit import PresetNames, RealtimeKitRooms
from adapters.realtimekit.errors import RealtimeKitApiError
from adapters.realtimekit.rooms import token_expiry
from core.errors import InvalidState, RoomUnavailable
from core.model import Member, Role
from tests.adapters.realtimekit.conftest import T0, Sleeps, session, settings_for
from tests.fakes.realtimekit_api import PREFIX, TOKEN, FakeRealtimeKit

ANN = Member(id="slack:T1:U2", display_name="Ann")
HOST = Member(id="slack:T1:U1", display_name="Sensei", role=Role.INSTRUCTOR)


async def test_create_room_sends_title_recording_and_chat(
    rooms: RealtimeKitRooms, fake: FakeRealtimeKit
) -> None:
    room_id = await rooms.create_room(session(recording_enabled=True, chat_enabled=False))
    [call] = fake.calls("POST", "/meetings")
    assert call.path == f"{PREFIX}/meetings"
    assert call.body == {
        "title": "Kata basics",
        "record_on_start": True,
        "persist_chat": False,
        "session_keep_alive_time_in_secs": 60,
    }
    assert fake.meetings[room_id]["status"] == "ACTIVE"
    assert fake.meetings[room_id]["created_at"]


@pytest.mark.parametrize("chat_enabled", [True, False])
async def test_persist_chat_is_the_keep_for_a_week_setting_not_chat_on_off(
    fake: FakeRealtimeKit, sleeps: Sleeps, chat_enabled: bool
) -> None:
    """`persist_chat` keeps the chat a week (SDK docstring); chat on/off picks the preset."""
    for keep, expected in ((None, False), (True, True)):
        changes = {} if keep is None else {"persist_chat": keep}
        rooms = RealtimeKitRooms(
            settings_for(fake, **changes), page_url="https://dojo.example", sleep=sleeps
        )
        room_id = await rooms.create_room(session(chat_enabled=chat_enabled))
        await rooms.close()
        assert fake.meetings[room_id]["persist_chat"] is expected


async def test_requests_the_sdk_types_refuse_get_a_400_envelope(
    rooms: RealtimeKitRooms, fake: FakeRealtimeKit
) -> None:
    """The fake refuses what Cloudflare's published types refuse, in RealtimeKit's envelope."""
    bad = {"title": "x", "chat_enabled": True}
    with pytest.raises(RealtimeKitApiError, match="HTTP 400"):
        await rooms.client.call("POST", "/meetings", action="create the meeting", json=bad)
    assert fake.refusals == ["chat_enabled: Extra inputs are not permitted"]
    response = await rooms.client.http.post(
        f"{rooms.settings.app_path}/meetings",
        json={"persist_chat": "yes"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "success": False,
        "errors": [{"code": 400, "message": "persist_chat: Input should be a valid boolean"}],
    }


async def test_join_adds_participant_then_refreshes_its_token(
    rooms: RealtimeKitRooms, fake: FakeRealtimeKit
) -> None:
    s = session(await rooms.create_room(session()))
    first = await rooms.join_url(s, ANN, False, T0)
    participant = fake.participant_of(s.room.room_id or "", ANN.id)
    assert participant is not None
    assert participant["preset_name"] == "group_call_participant"
    assert participant["name"] == "Ann"
    assert first.auth_token == fake.participants[s.room.room_id or ""][participant["id"]]["token"]
    assert first.url == f"https://dojo.example/sessions/s1?participant={participant['id']}"
    claims = jwt.decode(first.auth_token or "", options={"verify_signature": False})
    assert first.expires_at == T0 + timedelta(seconds=claims["exp"] - claims["iat"])
    second = await rooms.join_url(s, ANN, False, T0)
    assert second.url == first.url
    assert second.auth_token != first.auth_token
    assert len(fake.calls("POST", "/participants")) == 1
    assert len(fake.calls("POST", "/token")) == 1
    assert len(fake.calls("GET", "/presets")) == 1


async def test_custom_participant_id_is_the_member_id(
    rooms: RealtimeKitRooms, fake: FakeRealtimeKit
) -> None:
    s = session(await rooms.create_room(session()))
    await rooms.join_url(s, Member(id="discord:42", display_name="Zed"), False, T0)
    [call] = fake.calls("POST", "/participants")
    assert call.body["custom_participant_id"] == "discord:42"


async def test_host_gets_host_preset_and_role_change_patches(
    rooms: RealtimeKitRooms, fake: FakeRealtimeKit
) -> None:
    s = session(await rooms.create_room(session()))
    await rooms.join_url(s, HOST, True, T0)
    assert fake.participant_of(s.room.room_id or "", HOST.id)["preset_name"] == "group_call_host"  # type: ignore[index]
    await rooms.join_url(s, HOST, False, T0)
    [patch] = fake.calls("PATCH", "")
    assert patch.body == {"preset_name": "group_call_participant", "name": "Sensei"}


async def test_participant_found_after_restart(fake: FakeRealtimeKit, sleeps: Sleeps) -> None:
    one = RealtimeKitRooms(settings_for(fake), page_url="https://dojo.example", sleep=sleeps)
    s = session(await one.create_room(session()))
    first = await one.join_url(s, ANN, False, T0)
    await one.close()
    two = RealtimeKitRooms(settings_for(fake), page_url="https://dojo.example", sleep=sleeps)
    again = await two.join_url(s, ANN, False, T0)
    await two.close()
    assert again.url == first.url
    assert len(fake.calls("POST", "/participants")) == 1


async def test_removed_participant_is_added_again(
    rooms: RealtimeKitRooms, fake: FakeRealtimeKit
) -> None:
    s = session(await rooms.create_room(session()))
    await rooms.join_url(s, ANN, False, T0)
    fake.participants[s.room.room_id or ""].clear()
    link = await rooms.join_url(s, ANN, False, T0)
    assert link.auth_token
    assert len(fake.calls("POST", "/participants")) == 2


async def test_chat_off_uses_the_chatless_presets(fake: FakeRealtimeKit, sleeps: Sleeps) -> None:
    presets = PresetNames(participant_without_chat="webinar_viewer")
    rooms = RealtimeKitRooms(
        settings_for(fake, presets=presets), page_url="https://dojo.example", sleep=sleeps
    )
    s = session(await rooms.create_room(session()), chat_enabled=False)
    await rooms.join_url(s, ANN, False, T0)
    await rooms.close()
    assert fake.participant_of(s.room.room_id or "", ANN.id)["preset_name"] == "webinar_viewer"  # type: ignore[index]


async def test_missing_preset_fails_fast_naming_the_available_ones(
    fake: FakeRealtimeKit, sleeps: Sleeps
) -> None:
    rooms = RealtimeKitRooms(
        settings_for(fake, presets=PresetNames(host="teacher")),
        page_url="https://dojo.example",
        sleep=sleeps,
    )
    with pytest.raises(RoomUnavailable) as caught:
        await rooms.check_presets()
    await rooms.close()
    assert "teacher" in caught.value.message
    assert "group_call_host" in (caught.value.hint or "")


async def test_end_sets_inactive_and_delete_removes_participants(
    rooms: RealtimeKitRooms, fake: FakeRealtimeKit
) -> None:
    room_id = await rooms.create_room(session())
    s = session(room_id)
    await rooms.join_url(s, ANN, False, T0)
    await rooms.join_url(s, HOST, True, T0)
    await rooms.end_room(room_id)
    assert fake.meetings[room_id]["status"] == "INACTIVE"
    assert len(fake.participants[room_id]) == 2
    await rooms.delete_room(room_id)
    assert fake.participants[room_id] == {}
    assert len(fake.calls("DELETE")) == 2


async def test_recording_start_and_stop(rooms: RealtimeKitRooms, fake: FakeRealtimeKit) -> None:
    room_id = await rooms.create_room(session())
    await rooms.start_recording(room_id)
    [start] = fake.calls("POST", "/recordings")
    assert start.body == {"meeting_id": room_id}
    [invoked] = fake.recordings.values()
    assert invoked["status"] == "INVOKED"  # not RECORDING yet: stopping must still work
    await rooms.stop_recording(room_id)
    [recording] = fake.recordings.values()
    assert recording["status"] == "UPLOADING"
    [stop] = fake.calls("PUT")
    assert stop.body == {"action": "stop"}
    with pytest.raises(InvalidState, match="No recording"):
        await rooms.stop_recording(room_id)


async def test_recording_refused_by_the_call_says_join_first(
    rooms: RealtimeKitRooms, fake: FakeRealtimeKit
) -> None:
    room_id = await rooms.create_room(session())
    fake.fail_next(400, body={"success": False, "errors": [{"message": "no active session"}]})
    with pytest.raises(InvalidState) as caught:
        await rooms.start_recording(room_id)
    assert "join first" in (caught.value.hint or "")


# retries and errors ------------------------------------------------------------------


async def test_5xx_is_retried_with_doubling_backoff(
    rooms: RealtimeKitRooms, fake: FakeRealtimeKit, sleeps: Sleeps
) -> None:
    fake.fail_next(503, times=2)
    assert await rooms.create_room(session())
    assert sleeps.delays == [0.5, 1.0]
    assert len(fake.calls("POST", "/meetings")) == 3


async def test_429_honours_retry_after(
    rooms: RealtimeKitRooms, fake: FakeRealtimeKit, sleeps: Sleeps
) -> None:
    fake.fail_next(429, retry_after="3")
    assert await rooms.create_room(session())
    assert sleeps.delays == [3.0]


async def test_429_with_a_zone_less_http_date_is_retried(
    rooms: RealtimeKitRooms, fake: FakeRealtimeKit, sleeps: Sleeps
) -> None:
    fake.fail_next(429, retry_after="Sat, 01 Jan 2000 00:00:00")  # read as UTC, long past
    assert await rooms.create_room(session())
    assert sleeps.delays == [0.0]


async def test_retry_after_longer_than_the_ceiling_gives_up_at_once(
    rooms: RealtimeKitRooms, fake: FakeRealtimeKit, sleeps: Sleeps
) -> None:
    fake.fail_next(429, retry_after="300")
    with pytest.raises(RealtimeKitApiError, match="rate-limiting") as caught:
        await rooms.create_room(session())
    assert caught.value.status == 429
    assert sleeps.delays == []


async def test_retries_are_bounded(
    rooms: RealtimeKitRooms, fake: FakeRealtimeKit, sleeps: Sleeps
) -> None:
    fake.down = True
    with pytest.raises(RoomUnavailable, match="unavailable"):
        await rooms.create_room(session())
    assert len(fake.calls("POST", "/meetings")) == 4
    assert sleeps.delays == [0.5, 1.0, 2.0]


async def test_auth_error_is_not_retried_and_logs_the_vendor_body(
    fake: FakeRealtimeKit, sleeps: Sleeps, caplog: pytest.LogCaptureFixture
) -> None:
    rooms = RealtimeKitRooms(
        settings_for(fake).model_copy(update={"api_token": SecretStr("wrong-token-xyz")}),
        page_url="https://dojo.example",
        sleep=sleeps,
    )
    with caplog.at_level(logging.WARNING), pytest.raises(RoomUnavailable) as caught:
        await rooms.create_room(session())
    await rooms.close()
    assert "API token" in caught.value.message
    assert "DOJOBOT_REALTIMEKIT__API_TOKEN" in (caught.value.hint or "")
    assert sleeps.delays == []
    assert "Authentication error" in caplog.text
    assert "wrong-token-xyz" not in caplog.text and TOKEN not in caplog.text


async def test_network_error_maps_to_room_unavailable(sleeps: Sleeps) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    http = httpx.AsyncClient(
        transport=httpx.MockTransport(refuse), base_url="https://rtk.invalid/client/v4"
    )
    settings = settings_for(FakeRealtimeKit(base_url="https://rtk.invalid/client/v4"))
    rooms = RealtimeKitRooms(settings, page_url="https://dojo.example", http=http, sleep=sleeps)
    with pytest.raises(RealtimeKitApiError, match="no response") as caught:
        await rooms.create_room(session())
    await rooms.close()
    assert caught.value.status is None
    assert len(sleeps.delays) == 3


async def test_unexpected_success_body_is_an_error(sleeps: Sleeps) -> None:
    http = httpx.AsyncClient(
        transport=httpx.MockTransport(lambda _: httpx.Response(200, json={"result": {}})),
        base_url="https://rtk.invalid/client/v4",
    )
    settings = settings_for(FakeRealtimeKit(base_url="https://rtk.invalid/client/v4"))
    rooms = RealtimeKitRooms(settings, page_url="https://dojo.example", http=http, sleep=sleeps)
    with pytest.raises(RoomUnavailable):
        await rooms.create_room(session())
    await rooms.close()


def test_token_expiry_reads_a_jwt_lifetime_onto_our_clock() -> None:
    exp = T0 + timedelta(hours=24)
    token = jwt.encode({"exp": int(exp.timestamp())}, "k" * 32, algorithm="HS256")
    assert token_expiry(token, T0) == exp
    issued = T0 - timedelta(days=3)  # Cloudflare's clock is not ours
    both = {"iat": int(issued.timestamp()), "exp": int((issued + timedelta(hours=2)).timestamp())}
    token = jwt.encode(both, "k" * 32, algorithm="HS256")
    assert token_expiry(token, T0) == T0 + timedelta(hours=2)
    assert token_expiry("opaque-token", T0) is None


def test_settings_hide_the_token() -> None:
    settings = settings_for(FakeRealtimeKit(base_url="https://x.invalid/client/v4"))
    assert TOKEN not in repr(settings)
    assert settings.app_path.endswith("/realtime/kit/app-4567")
