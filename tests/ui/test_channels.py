"""Tests of the channel on every conversation row (issue 13): inbox_app/ui/conversations/
delegate.py paints the channel's icon and model.py names the channel in the row's accessible
text, so one patient on two channels is two rows told apart. Real server on loopback.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem

from inbox_app.ui import assets, labels
from tests.support import ServerProcess
from tests.ui.conftest import close_window, open_window, run, sign_in

TIMEOUT = 10_000
SECRET = "segredo"


def _paint_row(window: Any, row: int) -> QImage:
    view = window.conversations.view
    index = window.bridge.model.index(row)
    image = QImage(360, 66, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = QRect(0, 0, 360, 66)
    painter = QPainter(image)
    view.itemDelegate().paint(painter, option, index)
    painter.end()
    return image


def test_one_patient_on_two_channels_is_two_rows_told_apart(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, server_factory: Callable[..., ServerProcess],
    tmp_path: Path,
) -> None:
    server = server_factory(env={"INBOX_WEBHOOK_SECRET": SECRET})
    client = sign_in(qtbot, server, tmp_path)
    window = open_window(qtbot, client)
    try:
        model = window.bridge.model
        first = next(model.view_of(c).summary for c in model.ids()
                     if model.view_of(c).summary.channel == "whatsapp")
        phone = run(qtbot, client.patient(first.patient_id)).value.phone

        async def post() -> int:
            async with httpx.AsyncClient() as http:
                answer = await http.post(
                    f"{server.url}/api/inbound", headers={"X-Webhook-Secret": SECRET},
                    json={"clinic_id": first.clinic_id, "phone": phone, "channel": "sms",
                          "body": "Pode confirmar por SMS?"})
                return answer.status_code

        assert run(qtbot, post()) < 300
        qtbot.waitUntil(lambda: sum(model.view_of(c).summary.patient_id == first.patient_id
                                    for c in model.ids()) == 2, timeout=TIMEOUT)
        rows = [r for r in range(model.rowCount())
                if model.view_at(r).summary.patient_id == first.patient_id]
        names = {model.index(r).data(Qt.ItemDataRole.DisplayRole) for r in rows}
        assert names == {first.patient_name}  # the same patient...
        spoken = [model.index(r).data(Qt.ItemDataRole.AccessibleTextRole) for r in rows]
        # ...told apart by the channel, as a screen reader reads the row
        assert sorted(s.split(", ")[:2] for s in spoken) == sorted(
            [first.patient_name, c] for c in ("SMS", "WhatsApp"))
        # and as the eye sees it: each row paints its channel's icon before the name
        for r in rows:
            painted = _paint_row(window, r).copy(12, 13, 14, 14)
            icon = assets.pixmap(labels.channel_icon(model.view_at(r).summary.channel), 14)
            expected = QImage(14, 14, QImage.Format.Format_ARGB32)
            expected.fill(Qt.GlobalColor.white)
            p = QPainter(expected)
            p.drawPixmap(0, 0, icon)
            p.end()
            assert painted.convertToFormat(QImage.Format.Format_ARGB32) == expected
        icons = {labels.channel_icon(model.view_at(r).summary.channel) for r in rows}
        assert icons == {"channel-whatsapp", "channel-sms"}
    finally:
        close_window(qtbot, window)
