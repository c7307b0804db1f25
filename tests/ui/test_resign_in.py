"""Tests of inbox_app/ui/resign_in.py: the session ends on the server (a sign-out elsewhere),
a password prompt over the window signs in again in place, and the action that waited goes
out once (real server, offscreen Qt)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support import login
from tests.ui.conftest import Signed, run

TIMEOUT = 15_000


async def _end_session(url: str, token: str) -> int:
    """Another program ends this session on the server, as a sign-out elsewhere does."""
    async with httpx.AsyncClient(base_url=url) as http:
        answer = await http.post("/api/auth/logout", headers={"Authorization": f"Bearer {token}"})
        return answer.status_code


async def _notes(url: str, conversation_id: int) -> list[str]:
    """The conversation's notes as the server has them (a colleague's fresh session)."""
    token, _ = login(url, "carla@aurora.example")
    async with httpx.AsyncClient(base_url=url) as http:
        answer = await http.get(
            f"/api/conversations/{conversation_id}", headers={"Authorization": f"Bearer {token}"}
        )
        answer.raise_for_status()
        return [note["body"] for note in answer.json()["notes"]]


def test_an_ended_session_asks_the_password_in_place_and_the_waiting_action_goes_out_once(
    signed: Signed, qtbot: Any
) -> None:
    window, client, server = signed.window, signed.client, signed.server
    cid = window.bridge.model.ids()[0]
    window.conversations.select(cid)
    qtbot.waitUntil(lambda: window.pane.detail is not None, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.status.connection.text() == "Online", timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.status.pending.text() == "Everything sent", timeout=TIMEOUT)

    assert run(qtbot, _end_session(server.url, client.api.token or "")) == 204
    # the receptionist writes a note before the app noticed: it waits, shown as pending
    window.bridge.compose("note", "Ligar de volta depois das 14h")
    qtbot.waitUntil(
        lambda: window.renewal.prompt is not None and window.renewal.prompt.isVisible(),
        timeout=TIMEOUT,
    )
    prompt = window.renewal.prompt
    assert prompt is not None
    assert "Ana Ribeiro" in prompt.text.text() and "ana@aurora.example" in prompt.text.text()
    qtbot.waitUntil(lambda: client.pending_count() == 1, timeout=TIMEOUT)
    assert prompt.waiting.text() == "1 action waits and goes out once you are signed in."
    assert window.status.connection.text() == "Signed out by the server"
    assert window.status.pending.text() == "1 action waiting: sent after you sign in again"
    assert window.isVisible() and window.pane.detail is not None  # nothing closed, in place
    assert window.banner.isHidden()  # the server answered: not "no connection"

    # a wrong password says so and keeps the prompt
    qtbot.keyClicks(prompt.password, "errada")
    prompt.sign_in_button.click()
    qtbot.waitUntil(lambda: prompt.error.text() == "Wrong password.", timeout=TIMEOUT)
    assert prompt.isVisible() and client.needs_login
    # Escape does not leave the window without a session
    prompt.reject()
    assert prompt.isVisible()

    qtbot.keyClicks(prompt.password, "demo1234")
    prompt.sign_in_button.click()
    qtbot.waitUntil(lambda: window.renewal.prompt is None, timeout=TIMEOUT)
    assert not client.needs_login
    qtbot.waitUntil(lambda: client.pending_count() == 0, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.status.pending.text() == "Everything sent", timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.status.connection.text() == "Online", timeout=TIMEOUT)
    assert run(qtbot, _notes(server.url, cid)).count("Ligar de volta depois das 14h") == 1


def test_while_locked_the_lock_screen_password_renews_the_session(
    signed: Signed, qtbot: Any
) -> None:
    window, client, server = signed.window, signed.client, signed.server
    qtbot.waitUntil(lambda: window.status.connection.text() == "Online", timeout=TIMEOUT)
    window.lock()
    assert run(qtbot, _end_session(server.url, client.api.token or "")) == 204
    qtbot.waitUntil(lambda: client.needs_login, timeout=TIMEOUT)
    assert window.renewal.prompt is None  # the lock screen asks for the password already
    qtbot.keyClicks(window.lock_screen.password, "demo1234")
    with qtbot.waitSignal(window.lockChanged, timeout=TIMEOUT):
        window.lock_screen.unlock_button.click()
    assert not client.needs_login and window.renewal.prompt is None
    qtbot.waitUntil(lambda: window.status.connection.text() == "Online", timeout=TIMEOUT)
