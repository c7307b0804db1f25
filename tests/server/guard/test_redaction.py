"""The server's log holds no patient data, token or hash at any level (issue 16;
inbox_app/server/guard/redaction.py, db/database.py's ``hide_parameters``).

Like the client's canary test (tests/e2e/test_canaries.py): unique markers travel through
every endpoint — patients arriving by the webhook (name, phone, text), notes, replies, a
wrong password and an unknown e-mail, a rejected field value, a live socket with the token
in its URL — on a server with Redis and ``--verbose`` (DEBUG, access log on). Then its whole
output is searched: no marker, no token, no token hash, no password hash. The control checks
prove the log was verbose and saw the requests.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid

import httpx

from tests.server.conftest import AURORA
from tests.server.live_support import next_event
from tests.support import DEMO_PASSWORD

SECRET = "canary-webhook-secret"


def markers(i: int) -> dict[str, str]:
    return {"name": f"Canarinho{i:03d} Souza", "phone": f"+55119733{i:05d}",
            "body": f"canarybody{i:03d} dor", "note": f"canarynote{i:03d}",
            "reply": f"canaryreply{i:03d}"}


def test_no_patient_data_token_or_hash_in_the_verbose_log(server_factory, redis_proc) -> None:
    server = server_factory(redis_url=redis_proc.url, extra_args=["--verbose"],
                            env={"INBOX_WEBHOOK_SECRET": SECRET})
    words: list[str] = ["canarypass001", "canarymail001", "canaryprio001"]
    with httpx.Client(base_url=server.url, timeout=15) as http:
        wrong = http.post("/api/auth/login",
                          json={"email": "canarymail001@x.example", "password": "canarypass001"})
        assert wrong.status_code == 401
        wrong = http.post("/api/auth/login", json={"email": AURORA, "password": "canarypass001"})
        assert wrong.status_code == 401
        answer = http.post("/api/auth/login", json={"email": AURORA, "password": DEMO_PASSWORD})
        assert answer.status_code == 200
        token = answer.json()["token"]
        clinic = answer.json()["session"]["clinic"]["id"]
        words += [token, hashlib.sha256(token.encode()).hexdigest()]
        http.headers["Authorization"] = f"Bearer {token}"
        for i in range(3):
            m = markers(i)
            words += [m["name"].split()[0], m["phone"][3:], m["body"].split()[0], m["note"],
                      m["reply"]]
            sent = http.post("/api/inbound", headers={"X-Webhook-Secret": SECRET},
                             json={"clinic_id": clinic, "phone": m["phone"], "name": m["name"],
                                   "body": m["body"]})
            assert sent.status_code == 201, sent.text
            cid = sent.json()["conversation_id"]
            assert http.get(f"/api/clinics/{clinic}/conversations").status_code == 200
            for _ in range(2):  # a miss, then a hit
                detail = http.get(f"/api/conversations/{cid}")
                assert detail.status_code == 200
            patient = detail.json()["summary"]["patient_id"]
            for _ in range(2):
                assert http.get(f"/api/patients/{patient}").status_code == 200
            assert http.get(f"/api/conversations/{cid}/messages",
                            params={"before": 10**9}).status_code == 200
            for method, path, body in [
                ("POST", "read", None), ("POST", "unread", None), ("POST", "read", None),
                ("POST", "archive", None), ("POST", "unarchive", None),
                ("PUT", "priority", {"priority": "urgent"}),
                ("POST", "notes", {"body": m["note"]}),
                ("POST", "messages", {"body": m["reply"]}),
            ]:
                key = str(uuid.uuid4())
                for _ in range(2):  # the second is the idempotent replay
                    done = http.request(method, f"/api/conversations/{cid}/{path}", json=body,
                                        headers={"Idempotency-Key": key})
                    assert done.status_code in {200, 201}, done.text
            rejected = http.put(f"/api/conversations/{cid}/priority",
                                json={"priority": "canaryprio001"},
                                headers={"Idempotency-Key": str(uuid.uuid4())})
            assert rejected.status_code == 422
        for path in ("/api/session", "/api/cache-policy", "/api/health", "/api/metrics",
                     "/metrics"):
            assert http.get(path).status_code == 200

        async def live() -> None:  # the token in the URL; every event replayed (markers)
            import websockets

            async with websockets.connect(f"{server.ws_url}?token={token}") as ws:
                await ws.send(json.dumps({"type": "hello", "since": 0}))
                for _ in range(5):
                    await next_event(ws)

        asyncio.run(live())
        assert http.post("/api/auth/logout").status_code == 204
    server.stop()
    output = server.text() if len(server.output) <= 200 else "".join(server.output)
    # controls: the log is verbose, saw the cache, the access log and the live socket
    assert "DEBUG" in output
    assert "HIT" in output
    assert "/api/live?token=" in output
    assert "/api/conversations/" in output
    found = sorted({word for word in words if word in output})
    assert not found, f"in the server's log: {found}"
    for shape in ("$argon2", "scrypt$"):
        assert shape not in output
