"""Bad input gets a clear 4xx in the contract's error body and changes nothing."""

from __future__ import annotations

import pytest

from inbox_app.contract.models import MAX_BODY_BYTES, MAX_TEXT_LENGTH
from tests.server.conftest import ApiUser, ConversationPicker


@pytest.fixture(scope="module")
def target_id(aurora: ApiUser, picker: ConversationPicker) -> int:
    """One conversation for every rejected request here: none of them may change it."""
    return picker.take(aurora)["id"]


@pytest.fixture
def target(aurora: ApiUser, target_id: int) -> dict:
    return {"id": target_id, "before": aurora.detail(target_id)}


def _assert_error(answer, status: int, code: str = "validation") -> dict:
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


@pytest.mark.parametrize("path", ["notes", "messages"])
@pytest.mark.parametrize(("content", "why"), [
    (b'{"body": "oi"', "not valid JSON"),
    (b"not json at all", "not valid JSON"),
    (b'{"body": "oi", "extra": 1}', "extra"),
    (b'{"body": ""}', "body"),
    (b'{"body": "   \\n  "}', "body"),
    (b'{"body": "' + b"a" * (MAX_TEXT_LENGTH + 1) + b'"}', "body"),
    (b'{"body": 12}', "body"),
    (b'{"body": "nul \\u0000 inside"}', "NUL"),
    (b'{"body": "lone \\ud800 surrogate"}', "Unicode"),
    (b"[]", "body"),
    (b"", "body"),
])
def test_bad_text_bodies(
    aurora: ApiUser, target: dict, path: str, content: bytes, why: str
) -> None:
    answer = aurora.http.post(f"/api/conversations/{target['id']}/{path}", content=content,
                              headers={"Content-Type": "application/json"})
    error = _assert_error(answer, 422)
    assert why.lower() in (error["message"] + str(error["details"])).lower()
    assert aurora.detail(target["id"]) == target["before"]


def test_text_of_exactly_the_limit_is_accepted(
    aurora: ApiUser, picker: ConversationPicker
) -> None:
    answer = aurora.http.post(f"/api/conversations/{picker.take(aurora)['id']}/notes",
                              json={"body": "é" * MAX_TEXT_LENGTH})
    assert answer.status_code == 201


@pytest.mark.parametrize("body", [{"priority": "critical"}, {"priority": None}, {},
                                  {"priority": "urgent", "color": "red"}])
def test_bad_priority(aurora: ApiUser, target: dict, body: dict) -> None:
    answer = aurora.http.put(f"/api/conversations/{target['id']}/priority", json=body)
    _assert_error(answer, 422)
    assert aurora.detail(target["id"]) == target["before"]


def test_body_over_64_kib_is_413(aurora: ApiUser, target: dict) -> None:
    big = b'{"body": "' + b"a" * MAX_BODY_BYTES + b'"}'
    answer = aurora.http.post(f"/api/conversations/{target['id']}/notes", content=big,
                              headers={"Content-Type": "application/json"})
    error = _assert_error(answer, 413)
    assert "larger than" in error["message"]


def test_chunked_body_over_64_kib_is_413(aurora: ApiUser, target: dict) -> None:
    def chunks():
        yield b'{"body": "'
        for _ in range(20):
            yield b"a" * 4096
        yield b'"}'

    answer = aurora.http.post(f"/api/conversations/{target['id']}/messages", content=chunks(),
                              headers={"Content-Type": "application/json"})
    _assert_error(answer, 413)
    assert aurora.detail(target["id"]) == target["before"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_body_that_is_not_declared_json_is_415(
    aurora: ApiUser, target: dict, content_type: str
) -> None:
    answer = aurora.http.post(f"/api/conversations/{target['id']}/notes",
                              content=b'{"body": "x"}', headers={"Content-Type": content_type})
    error = _assert_error(answer, 415)
    assert "application/json" in error["message"]
    assert aurora.detail(target["id"]) == target["before"]


@pytest.mark.parametrize("path", ["/api/conversations/0", "/api/conversations/-1",
                                  "/api/conversations/abc", "/api/conversations/99999999999",
                                  "/api/patients/1.5"])
def test_malformed_ids_are_422(aurora: ApiUser, path: str) -> None:
    _assert_error(aurora.http.get(path), 422)


def test_unknown_ids_on_writes_are_404(aurora: ApiUser) -> None:
    for method, path, body in [
        ("POST", "/api/conversations/999999/read", None),
        ("PUT", "/api/conversations/999999/priority", {"priority": "low"}),
        ("POST", "/api/conversations/999999/notes", {"body": "x"}),
    ]:
        _assert_error(aurora.http.request(method, path, json=body), 404, "not_found")


def test_bad_login_bodies(aurora: ApiUser) -> None:
    http = aurora.http
    _assert_error(http.post("/api/auth/login", content=b"{", headers={
        "Content-Type": "application/json"}), 422)
    _assert_error(http.post("/api/auth/login", json={"email": "ana@aurora.example"}), 422)
    _assert_error(http.post("/api/auth/login", json={
        "email": "ana@aurora.example", "password": "demo1234", "remember": True}), 422)
    _assert_error(http.post("/api/auth/login", json={
        "email": "ana@aurora.example", "password": "wrong"}), 401, "unauthorized")
