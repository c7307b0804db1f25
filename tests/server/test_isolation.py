"""Clinic isolation: a user of one clinic gets 404 for every id of another clinic, on every
endpoint (reads and writes), and nothing changes."""

from __future__ import annotations

import uuid

import pytest

from tests.server.conftest import ApiUser


@pytest.fixture(scope="module")
def foreign(aurora: ApiUser) -> dict:
    """A conversation and patient of Clínica Aurora (the other clinic, for Bruno)."""
    conversation = aurora.conversations()[-1]
    return {"conversation": conversation["id"], "patient": conversation["patient_id"],
            "clinic": aurora.clinic_id}


def _requests(ids: dict) -> list[tuple[str, str, dict | None]]:
    c = ids["conversation"]
    return [
        ("GET", f"/api/clinics/{ids['clinic']}/conversations", None),
        ("GET", f"/api/conversations/{c}", None),
        ("GET", f"/api/conversations/{c}/messages", None),
        ("GET", f"/api/patients/{ids['patient']}", None),
        ("POST", f"/api/conversations/{c}/read", None),
        ("POST", f"/api/conversations/{c}/unread", None),
        ("POST", f"/api/conversations/{c}/archive", None),
        ("POST", f"/api/conversations/{c}/unarchive", None),
        ("PUT", f"/api/conversations/{c}/priority", {"priority": "urgent"}),
        ("POST", f"/api/conversations/{c}/notes", {"body": "intruso"}),
        ("POST", f"/api/conversations/{c}/messages", {"body": "intruso"}),
    ]


def test_every_endpoint_hides_another_clinics_ids(
    aurora: ApiUser, boa_vista: ApiUser, foreign: dict
) -> None:
    assert boa_vista.clinic_id != aurora.clinic_id
    before = aurora.detail(foreign["conversation"])
    for method, path, body in _requests(foreign):
        answer = boa_vista.http.request(method, path, json=body,
                                        headers={"Idempotency-Key": str(uuid.uuid4())})
        assert answer.status_code == 404, (method, path, answer.text)
        assert answer.json()["error"]["code"] == "not_found"
    assert aurora.detail(foreign["conversation"]) == before


def test_not_found_does_not_reveal_existence(boa_vista: ApiUser, foreign: dict) -> None:
    theirs = boa_vista.http.get(f"/api/conversations/{foreign['conversation']}").json()
    missing = boa_vista.http.get("/api/conversations/999999").json()
    assert theirs["error"]["code"] == missing["error"]["code"] == "not_found"
    assert theirs["error"]["message"].replace(str(foreign["conversation"]), "N") == \
        missing["error"]["message"].replace("999999", "N")


def test_own_ids_still_work(boa_vista: ApiUser) -> None:
    own = boa_vista.conversations()[0]
    assert boa_vista.detail(own["id"])["summary"]["clinic_id"] == boa_vista.clinic_id
