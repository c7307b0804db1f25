"""Mutations of inbox_app/server/db/writes.py through the routes, and Idempotency-Key replay."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from inbox_app.contract.models import ConversationSummary, Message, Note
from tests.server.conftest import ApiUser, ConversationPicker


def key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


@pytest.mark.parametrize("case", [
    ("read", "unread_count", lambda v: v > 0, 0),
    ("archive", "status", "open", "archived"),
], ids=["read", "archive"])
def test_summary_actions_change_state_and_bump_version(
    aurora: ApiUser, picker: ConversationPicker, case: tuple
) -> None:
    action, field, before, after = case
    chosen = next(c for c in aurora.conversations()
                  if c["id"] not in picker.used and c["status"] == "open"
                  and (before(c[field]) if callable(before) else c[field] == before))
    picker.used.add(chosen["id"])
    answer = aurora.http.post(f"/api/conversations/{chosen['id']}/{action}", headers=key())
    assert answer.status_code == 200, answer.text
    summary = ConversationSummary.model_validate_json(answer.content)
    assert getattr(summary, field) == after
    assert summary.version == chosen["version"] + 1
    assert summary.updated_at.isoformat() > chosen["updated_at"]
    assert aurora.detail(chosen["id"])["summary"][field] == after


def test_unread_sets_at_least_one_and_read_clears(
    aurora: ApiUser, picker: ConversationPicker
) -> None:
    chosen = picker.take(aurora, unread_count=0)
    marked = aurora.http.post(f"/api/conversations/{chosen['id']}/unread", headers=key()).json()
    assert marked["unread_count"] == 1
    assert aurora.http.post(f"/api/conversations/{chosen['id']}/read",
                            headers=key()).json()["unread_count"] == 0


def test_unarchive_and_priority(aurora: ApiUser, picker: ConversationPicker) -> None:
    chosen = picker.take(aurora, status="archived")
    opened = aurora.http.post(f"/api/conversations/{chosen['id']}/unarchive", headers=key())
    assert opened.json()["status"] == "open"
    # a priority it does not have (the same one again would change nothing)
    target = "urgent" if chosen["priority"] != "urgent" else "low"
    urgent = aurora.http.put(f"/api/conversations/{chosen['id']}/priority",
                             json={"priority": target}, headers=key())
    assert urgent.status_code == 200
    assert urgent.json()["priority"] == target
    assert urgent.json()["version"] == chosen["version"] + 2


def test_no_op_answers_current_state_without_a_new_version(
    aurora: ApiUser, picker: ConversationPicker
) -> None:
    chosen = picker.take(aurora, unread_count=0)
    answer = aurora.http.post(f"/api/conversations/{chosen['id']}/read", headers=key())
    assert answer.status_code == 200
    assert answer.json()["version"] == chosen["version"]


def test_note_is_created_and_listed_in_detail(aurora: ApiUser, picker: ConversationPicker) -> None:
    chosen = picker.take(aurora)
    answer = aurora.http.post(f"/api/conversations/{chosen['id']}/notes",
                              json={"body": "  Ligar depois das 14h  "}, headers=key())
    assert answer.status_code == 201
    note = Note.model_validate_json(answer.content)
    assert note.body == "Ligar depois das 14h"  # trimmed, as the contract says
    assert note.author_name == "Ana Ribeiro"
    detail = aurora.detail(chosen["id"])
    assert detail["notes"][-1]["id"] == note.id
    assert detail["summary"]["version"] == chosen["version"]  # a note is not a summary change


def test_reply_is_a_message_and_updates_the_summary(
    aurora: ApiUser, picker: ConversationPicker
) -> None:
    chosen = picker.take(aurora)
    text = "Olá! Sua consulta está confirmada para amanhã às 9h."
    answer = aurora.http.post(f"/api/conversations/{chosen['id']}/messages",
                              json={"body": text}, headers=key())
    assert answer.status_code == 201
    message = Message.model_validate_json(answer.content)
    assert message.direction == "outbound"
    assert message.author_id == aurora.user_id
    detail = aurora.detail(chosen["id"])
    assert detail["messages"][-1]["id"] == message.id
    assert detail["summary"]["last_message_preview"] == text
    assert detail["summary"]["version"] == chosen["version"] + 1
    assert aurora.conversations()[0]["id"] == chosen["id"]  # newest first


def test_repeated_key_replays_and_never_applies_twice(
    aurora: ApiUser, picker: ConversationPicker
) -> None:
    chosen = picker.take(aurora)
    headers = key()
    first = aurora.http.post(f"/api/conversations/{chosen['id']}/notes",
                             json={"body": "uma vez só"}, headers=headers)
    again = aurora.http.post(f"/api/conversations/{chosen['id']}/notes",
                             json={"body": "uma vez só"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    notes = [n for n in aurora.detail(chosen["id"])["notes"] if n["body"] == "uma vez só"]
    assert len(notes) == 1


def test_concurrent_requests_with_one_key_apply_once(
    aurora: ApiUser, picker: ConversationPicker
) -> None:
    chosen = picker.take(aurora)
    headers = key()

    def send(_: int) -> tuple[int, dict]:
        answer = aurora.http.post(f"/api/conversations/{chosen['id']}/messages",
                                  json={"body": "resposta concorrente"}, headers=headers)
        return answer.status_code, answer.json()

    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(send, range(6)))
    assert {status for status, _ in results} == {201}
    assert len({body["id"] for _, body in results}) == 1
    messages = [m for m in aurora.detail(chosen["id"])["messages"]
                if m["body"] == "resposta concorrente"]
    assert len(messages) == 1


def test_same_key_different_body_is_422_and_changes_nothing(
    aurora: ApiUser, picker: ConversationPicker
) -> None:
    chosen = picker.take(aurora)
    headers = key()
    assert aurora.http.put(f"/api/conversations/{chosen['id']}/priority",
                           json={"priority": "low"}, headers=headers).status_code == 200
    before = aurora.detail(chosen["id"])["summary"]
    answer = aurora.http.put(f"/api/conversations/{chosen['id']}/priority",
                             json={"priority": "urgent"}, headers=headers)
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "validation"
    assert "Idempotency-Key" in answer.json()["error"]["message"]
    # the same key on another action is another request too
    other = aurora.http.post(f"/api/conversations/{chosen['id']}/archive", headers=headers)
    assert other.status_code == 422
    assert aurora.detail(chosen["id"])["summary"] == before


def test_keys_are_per_user(aurora: ApiUser, shared_server, picker: ConversationPicker) -> None:
    from tests.server.conftest import AURORA_2, sign_in

    carla = sign_in(shared_server, AURORA_2)
    chosen = picker.take(aurora)
    headers = key()
    one = aurora.http.post(f"/api/conversations/{chosen['id']}/notes", json={"body": "a"},
                           headers=headers)
    two = carla.http.post(f"/api/conversations/{chosen['id']}/notes", json={"body": "a"},
                          headers=headers)
    carla.close()
    assert one.status_code == two.status_code == 201
    assert one.json()["id"] != two.json()["id"]


def test_malformed_idempotency_key_is_422(aurora: ApiUser, picker: ConversationPicker) -> None:
    chosen = picker.take(aurora)
    answer = aurora.http.post(f"/api/conversations/{chosen['id']}/archive",
                              headers={"Idempotency-Key": "x" * 201})
    assert answer.status_code == 422
    assert aurora.detail(chosen["id"])["summary"]["status"] == chosen["status"]
