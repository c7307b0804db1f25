"""Reads of inbox_app/server/http/routes.py: session, lists, detail, message pages, patients."""

from __future__ import annotations

from inbox_app.contract.models import (
    ConversationDetail,
    ConversationList,
    MessagesPage,
    Patient,
    UserSession,
)
from inbox_app.contract.policy import POLICY, parse_policy_document
from tests.server.conftest import ApiUser


def test_session_names_user_clinic_and_expiry(aurora: ApiUser) -> None:
    answer = aurora.http.get("/api/session")
    assert answer.status_code == 200
    session = UserSession.model_validate_json(answer.content)
    assert session.user.email == "ana@aurora.example"
    assert session.clinic.name == "Clínica Aurora"
    assert session.expires_at.utcoffset() is not None  # UTC ISO 8601, zone included


def test_cache_policy_is_the_contract_table(aurora: ApiUser) -> None:
    answer = aurora.http.get("/api/cache-policy")
    assert answer.status_code == 200
    assert parse_policy_document(answer.json()) == dict(POLICY)


def test_list_holds_every_conversation_newest_first(aurora: ApiUser) -> None:
    answer = aurora.http.get(f"/api/clinics/{aurora.clinic_id}/conversations")
    items = ConversationList.model_validate_json(answer.content).items
    assert len(items) == 30  # small demo data
    assert {c.clinic_id for c in items} == {aurora.clinic_id}
    times = [c.last_message_at for c in items if c.last_message_at is not None]
    assert times == sorted(times, reverse=True)
    assert all(c.patient_name and c.patient_phone for c in items)


def test_detail_has_summary_messages_and_notes(aurora: ApiUser) -> None:
    first = aurora.conversations()[0]
    detail = ConversationDetail.model_validate(aurora.detail(first["id"]))
    assert detail.summary.id == first["id"]
    assert detail.messages, "every demo conversation has messages"
    assert [m.id for m in detail.messages] == sorted(m.id for m in detail.messages)
    assert all(m.conversation_id == first["id"] for m in detail.messages)
    assert detail.summary.last_message_preview.startswith(detail.messages[-1].body[:20])


def test_older_messages_page_with_before_cursor(aurora: ApiUser) -> None:
    conversation = max(aurora.conversations(), key=lambda c: c["id"])
    all_ids = [m["id"] for m in aurora.detail(conversation["id"])["messages"]]
    assert len(all_ids) >= 1
    page = MessagesPage.model_validate_json(aurora.http.get(
        f"/api/conversations/{conversation['id']}/messages", params={"limit": 1}
    ).content)
    assert [m.id for m in page.items] == all_ids[-1:]
    assert page.has_more == (len(all_ids) > 1)
    older = MessagesPage.model_validate_json(aurora.http.get(
        f"/api/conversations/{conversation['id']}/messages",
        params={"before": all_ids[-1], "limit": 100},
    ).content)
    assert [m.id for m in older.items] == all_ids[:-1]
    assert older.has_more is False


def test_patient(aurora: ApiUser) -> None:
    conversation = aurora.conversations()[0]
    answer = aurora.http.get(f"/api/patients/{conversation['patient_id']}")
    patient = Patient.model_validate_json(answer.content)
    assert patient.name == conversation["patient_name"]
    assert patient.clinic_id == aurora.clinic_id


def test_unknown_ids_are_404_with_the_error_body(aurora: ApiUser) -> None:
    for path in ("/api/conversations/999999", "/api/patients/999999",
                 "/api/conversations/999999/messages", "/api/clinics/999999/conversations"):
        answer = aurora.http.get(path)
        assert answer.status_code == 404, path
        assert answer.json()["error"]["code"] == "not_found"


def test_unknown_path_and_method_use_the_error_body(aurora: ApiUser) -> None:
    answer = aurora.http.get("/api/nothing-here")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"
    answer = aurora.http.delete("/api/session")
    assert answer.status_code == 405
    assert answer.json()["error"]["code"] == "validation"


def test_reads_need_a_token(aurora: ApiUser) -> None:
    for path in ("/api/session", f"/api/clinics/{aurora.clinic_id}/conversations",
                 "/api/conversations/1", "/api/patients/1"):
        answer = aurora.http.get(path, headers={"Authorization": "Bearer not-a-token"})
        assert answer.status_code == 401, path
        assert answer.json()["error"]["code"] == "unauthorized"
        assert aurora.http.get(path, headers={"Authorization": ""}).status_code == 401


def test_deflate_passthrough_decodes_to_the_same_document(aurora: ApiUser) -> None:
    # A list above the compression threshold is stored compressed and passes through as
    # deflate to a client that takes it (httpx decodes it); a client that does not take it
    # reads the same document decompressed.
    path = f"/api/clinics/{aurora.clinic_id}/conversations"
    plain = aurora.http.get(path, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    deflated = aurora.http.get(path, headers={"Accept-Encoding": "deflate"})
    assert deflated.headers["content-encoding"] == "deflate"
    assert deflated.headers["vary"] == "Accept-Encoding"
    assert int(deflated.headers["content-length"]) < len(plain.content)
    assert ConversationList.model_validate_json(plain.content) == \
        ConversationList.model_validate_json(deflated.content)


def test_another_clinics_id_costs_what_a_missing_one_does(aurora: ApiUser,
                                                           boa_vista: ApiUser) -> None:
    # Without Redis every read loads: another clinic's existing conversation or patient
    # must run the same database queries as an id that does not exist (no timing oracle).
    theirs = boa_vista.conversations()[0]

    def queries(path: str) -> int:
        before = aurora.http.get("/api/metrics").json()["db"]["queries"]
        assert aurora.http.get(path).status_code == 404
        return aurora.http.get("/api/metrics").json()["db"]["queries"] - before

    assert queries(f"/api/conversations/{theirs['id']}") == queries("/api/conversations/999999")
    assert queries(f"/api/patients/{theirs['patient_id']}") == queries("/api/patients/999999")
