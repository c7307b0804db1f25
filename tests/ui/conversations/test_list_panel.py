"""Tests of inbox_app/ui/conversations/list_panel.py: the open conversation stays selected."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtWidgets import QApplication

from inbox_app.contract.models import Status
from inbox_app.ui.conversations.delegate import ID_ROLE
from inbox_app.ui.conversations.list_panel import ConversationList
from inbox_app.ui.conversations.model import ConversationListModel
from tests.ui.conversations.test_model import NOW, bump, view


def make(qtbot: Any) -> tuple[ConversationList, ConversationListModel, list[int]]:
    model = ConversationListModel()
    model.replace_all([view(i, minutes_ago=i * 10) for i in range(1, 11)])
    widget = ConversationList(model)
    qtbot.addWidget(widget)
    widget.show()
    opened: list[int] = []
    widget.conversationSelected.connect(opened.append)
    return widget, model, opened


def current_id(widget: ConversationList) -> int | None:
    index = widget.view.currentIndex()
    return index.data(ID_ROLE) if index.isValid() else None


def test_rows_moving_around_keep_the_open_conversation_selected(
    qapp: QApplication, qtbot: Any
) -> None:
    widget, model, opened = make(qtbot)
    assert widget.select(5) and opened == [5]
    model.upsert(bump(model.view_of(8), last_message_at=NOW + timedelta(minutes=1)))
    assert model.ids()[0] == 8
    assert current_id(widget) == 5 and opened == [5]      # re-found by id, nothing reopened
    model.upsert(bump(model.view_of(5), last_message_at=NOW + timedelta(minutes=2)))
    assert current_id(widget) == 5 and model.ids()[0] == 5 and opened == [5]


def test_the_open_conversation_leaving_the_filter_opens_nothing_else(
    qapp: QApplication, qtbot: Any
) -> None:
    widget, model, opened = make(qtbot)
    widget.select(3)
    model.upsert(bump(model.view_of(3), status=Status.ARCHIVED))  # archived: leaves "Open"
    assert opened == [3] and widget.selected_id == 3
    assert current_id(widget) is None
    model.upsert(bump(model.view_of(3), status=Status.OPEN))      # back: selected again
    assert current_id(widget) == 3 and opened == [3]


def test_up_and_down_move_between_conversations(qapp: QApplication, qtbot: Any) -> None:
    widget, _model, opened = make(qtbot)
    widget.move_selection(1)
    widget.move_selection(1)
    widget.move_selection(-1)
    assert opened == [1, 2, 1]
