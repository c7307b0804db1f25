"""Tests of inbox_app/ui/bridge.py: "a patient wrote" comes from the client's live event, once
per message, and never for a colleague's reply (real server, real webhook, offscreen Qt)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from tests.support import ServerProcess, login
from tests.ui.conftest import close_window, open_window, run, sign_in

TIMEOUT = 10_000
SECRET = "segredo"


async def _post(url: str, path: str, body: dict[str, Any], headers: dict[str, str]) -> int:
    async with httpx.AsyncClient(base_url=url) as http:
        return (await http.post(path, json=body, headers=headers)).status_code


def test_a_patients_message_is_announced_once_and_a_colleagues_reply_never(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, server_factory: Callable[..., ServerProcess],
    tmp_path: Path,
) -> None:
    server = server_factory(env={"INBOX_WEBHOOK_SECRET": SECRET})
    client = sign_in(qtbot, server, tmp_path)
    window = open_window(qtbot, client)
    bridge, model = window.bridge, window.bridge.model
    announced: list[tuple[int, str, str]] = []
    bridge.liveMessage.connect(lambda *args: announced.append(tuple(args)))
    try:
        summary = model.view_of(model.ids()[-1]).summary
        cid = summary.id
        phone = run(qtbot, client.patient(summary.patient_id)).value.phone
        qtbot.waitUntil(lambda: window.status.connection.text() == "Online", timeout=TIMEOUT)

        def settled(preview: str) -> Callable[[], bool]:
            """The list shows ``preview`` on the conversation and no refresh is running."""
            return lambda: (model.view_of(cid).summary.last_message_preview == preview
                            and not bridge.tasks.running("refresh"))

        status = run(qtbot, _post(server.url, "/api/inbound", {
            "clinic_id": summary.clinic_id, "phone": phone, "body": "Cheguei na recepção",
            "channel": summary.channel}, {"X-Webhook-Secret": SECRET}))
        assert status == 201
        qtbot.waitUntil(settled("Cheguei na recepção"), timeout=TIMEOUT)
        assert announced == [(cid, summary.patient_name, "Cheguei na recepção")]

        token, _ = login(server.url, "carla@aurora.example")
        status = run(qtbot, _post(server.url, f"/api/conversations/{cid}/messages",
                                  {"body": "Já vamos chamar"},
                                  {"Authorization": f"Bearer {token}"}))
        assert status == 201
        qtbot.waitUntil(settled("Já vamos chamar"), timeout=TIMEOUT)
        assert model.ids()[0] == cid  # the reply lifted the row like a message does
        assert announced == [(cid, summary.patient_name, "Cheguei na recepção")]
    finally:
        close_window(qtbot, window)
