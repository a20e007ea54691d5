"""The fake RealtimeKit checks requests and its own answers against Cloudflare's SDK types."""

from __future__ import annotations

import pytest

from tests.fakes.realtimekit_spec import OPERATIONS, RequestRefused


def test_a_negative_page_or_an_unknown_query_key_is_refused() -> None:
    spec = OPERATIONS["list_participants"]
    assert spec.check_query({"page_no": "0", "per_page": "100"}) == {
        "page_no": 0.0,
        "per_page": 100.0,
    }
    with pytest.raises(RequestRefused, match="page_no must be >= 0"):
        spec.check_query({"page_no": "-1"})
    with pytest.raises(RequestRefused, match="limit"):
        spec.check_query({"limit": "10"})


def test_participant_bodies_follow_the_sdk_params() -> None:
    spec = OPERATIONS["add_participant"]
    good = b'{"custom_participant_id": "slack:T1:U2", "preset_name": "p", "name": null}'
    assert spec.check_body(good)["custom_participant_id"] == "slack:T1:U2"
    with pytest.raises(RequestRefused, match="preset_name"):
        spec.check_body(b'{"custom_participant_id": "x"}')
    with pytest.raises(RequestRefused, match="takes no body"):
        OPERATIONS["refresh_token"].check_body(b'{"ttl": 5}')


def test_an_answer_without_the_published_fields_is_a_fake_bug() -> None:
    with pytest.raises(AssertionError, match="created_at"):
        OPERATIONS["add_participant"].check_answer({"success": True, "data": {"id": "x"}})
    with pytest.raises(AssertionError, match="paging"):
        OPERATIONS["list_presets"].check_answer({"success": True, "data": []})
    recording = {"id": "r", "invoked_time": "2026-12-01T09:00:00Z", "output_file_name": "f"}
    answer = {"success": True, "data": recording | {"status": "STARTED"}}
    with pytest.raises(AssertionError, match="status"):
        OPERATIONS["start_recording"].check_answer(answer)
