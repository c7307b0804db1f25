"""Tests for inbox_app/server/http/fast_reads.py: the fast path answers exactly what the route does.

A request with a query string always goes through the FastAPI route, so the same read with and
without one compares the two paths on a real server with Redis.
"""

from __future__ import annotations

import re

import httpx
import pytest

from tests.support import DEMO_PASSWORD, RedisProcess, login

pytestmark = pytest.mark.redis


def test_fast_path_and_route_give_the_same_answers(server_factory,
                                                   redis_proc: RedisProcess) -> None:
    server = server_factory(redis_url=redis_proc.url)
    token, session = login(server.url, "ana@aurora.example")
    other_token, other = login(server.url, "bruno@boavista.example")
    clinic = session["clinic"]["id"]
    with httpx.Client(base_url=server.url, timeout=10) as http:
        auth = {"Authorization": f"Bearer {token}"}
        first = http.get(f"/api/clinics/{clinic}/conversations", headers=auth).json()["items"][0]
        paths = [f"/api/clinics/{clinic}/conversations", f"/api/conversations/{first['id']}",
                 f"/api/patients/{first['patient_id']}"]
        for path in paths:
            for encoding in ("deflate", "identity"):
                headers = {**auth, "Accept-Encoding": encoding}
                fast = http.get(path, headers=headers)
                routed = http.get(path, headers=headers, params={"via": "route"})
                assert fast.status_code == routed.status_code == 200
                assert fast.content == routed.content
                for name in ("content-type", "content-encoding", "vary", "cache-control"):
                    assert fast.headers.get(name) == routed.headers.get(name), (path, name)
                # the fast path sits below the request id: its answers carry one too
                ids = {fast.headers["x-request-id"], routed.headers["x-request-id"]}
                assert len(ids) == 2 and all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
            # what the fast path does not answer falls through to the route's errors
            assert http.get(path).status_code == 401
            assert http.get(path, headers={"Authorization": "Bearer nope"}).status_code == 401
            answer = http.get(path, headers={"Authorization": f"Bearer {other_token}"})
            assert answer.status_code == 404
            assert answer.json()["error"]["code"] == "not_found"
        assert http.get("/api/patients/999999999", headers=auth).status_code == 404
        by_route = http.get("/api/metrics", headers=auth).json()["requests"]["by_route"]
        assert by_route["GET /api/conversations/{conversation_id}"] >= 2
        assert other["clinic"]["id"] != clinic


def _fast_reads(http: httpx.Client) -> int:
    return http.get("/api/metrics").json()["requests"]["fast_reads"]


def test_the_fast_path_answers_ordinary_hits_itself(server_factory,
                                                    redis_proc: RedisProcess) -> None:
    # The fast path falls back to the route on any exception, so equal answers alone would
    # pass with a fast path that always crashes: its own count must rise.
    server = server_factory(redis_url=redis_proc.url)
    token, session = login(server.url, "ana@aurora.example")
    path = f"/api/clinics/{session['clinic']['id']}/conversations"
    with httpx.Client(base_url=server.url, timeout=10,
                      headers={"Authorization": f"Bearer {token}"}) as http:
        http.get(path)
        before = _fast_reads(http)
        for _ in range(3):
            assert http.get(path).status_code == 200
        assert _fast_reads(http) == before + 3
        assert http.get(path, params={"via": "route"}).status_code == 200
        assert http.get("/api/patients/999999999").status_code == 404
        assert _fast_reads(http) == before + 3  # the route's answers are not counted


def test_patient_data_is_never_stored_and_the_server_is_not_named(
        server_factory, redis_proc: RedisProcess) -> None:
    server = server_factory(redis_url=redis_proc.url)
    token, session = login(server.url, "ana@aurora.example")
    clinic = session["clinic"]["id"]
    with httpx.Client(base_url=server.url, timeout=10,
                      headers={"Authorization": f"Bearer {token}"}) as http:
        first = http.get(f"/api/clinics/{clinic}/conversations").json()["items"][0]
        conversation = f"/api/conversations/{first['id']}"
        reads = [f"/api/clinics/{clinic}/conversations", conversation,
                 f"/api/patients/{first['patient_id']}", "/api/session",
                 f"{conversation}/messages"]
        answers = [http.get(path) for path in reads]
        answers += [http.get(path, params={"via": "route"}) for path in reads[:3]]
        answers.append(http.post(f"{conversation}/notes", json={"body": "no-store check"},
                                 headers={"Idempotency-Key": "no-store-note"}))
        answers.append(http.post(f"{conversation}/read",
                                 headers={"Idempotency-Key": "no-store-read"}))
        answers.append(http.post("/api/auth/login", json={"email": "ana@aurora.example",
                                                           "password": DEMO_PASSWORD}))
        for answer in answers:
            assert answer.is_success, answer.request.url
            assert answer.headers.get("cache-control") == "no-store", answer.request.url
            assert "server" not in answer.headers, answer.request.url
        assert "server" not in http.get("/api/health").headers


def test_two_authorization_headers_are_refused_on_every_path(
        server_factory, redis_proc: RedisProcess) -> None:
    server = server_factory(redis_url=redis_proc.url)
    token, session = login(server.url, "ana@aurora.example")
    path = f"/api/clinics/{session['clinic']['id']}/conversations"
    good, bad = f"Bearer {token}", "Bearer not-a-token"
    with httpx.Client(base_url=server.url, timeout=10) as http:
        assert http.get(path, headers={"Authorization": good}).status_code == 200  # warm
        for pair in ([good, bad], [bad, good], [good, good]):
            headers = [("Authorization", value) for value in pair]
            for params in ({}, {"via": "route"}):
                answer = http.get(path, headers=headers, params=params)
                assert answer.status_code == 401, (pair.index(good), params)
                assert answer.json()["error"]["code"] == "unauthorized"
