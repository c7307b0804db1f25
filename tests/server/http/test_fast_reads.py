"""Tests for inbox_app/server/http/fast_reads.py: the fast path answers exactly what the route does.

A request with a query string always goes through the FastAPI route, so the same read with and
without one compares the two paths on a real server with Redis.
"""

from __future__ import annotations

import httpx
import pytest

from tests.support import RedisProcess, login

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
                for name in ("content-type", "content-encoding", "vary"):
                    assert fast.headers.get(name) == routed.headers.get(name), (path, name)
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
