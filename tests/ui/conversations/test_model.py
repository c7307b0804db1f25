"""Tests of inbox_app/ui/conversations/model.py: order, fine-grained signals, and that the
client's list rules (tabs, search: tests/client/reads/test_listing.py) shape its rows."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from PySide6.QtWidgets import QApplication

from inbox_app.client.reads.listing import Filter
from inbox_app.contract.models import Priority, Status
from inbox_app.ui.conversations.model import ConversationListModel
from tests.client.reads.test_listing import NOW, bump, view

__all__ = ["NOW", "bump", "view"]  # tests/ui/conversations/test_list_panel.py uses them too


class Recorder:
    """Counts the model's signals, so a test can say "one dataChanged, no reset"."""

    def __init__(self, model: ConversationListModel) -> None:
        self.events: list[str] = []
        model.dataChanged.connect(lambda *_: self.events.append("changed"))
        model.rowsInserted.connect(lambda *_: self.events.append("inserted"))
        model.rowsRemoved.connect(lambda *_: self.events.append("removed"))
        model.rowsMoved.connect(lambda *_: self.events.append("moved"))
        model.modelReset.connect(lambda: self.events.append("reset"))
        model.layoutChanged.connect(lambda *_: self.events.append("layout"))


@pytest.fixture
def model(qapp: QApplication) -> ConversationListModel:
    m = ConversationListModel()
    m.replace_all([view(i, minutes_ago=i * 10) for i in range(1, 11)])
    return m


def test_rows_are_newest_first(model: ConversationListModel) -> None:
    assert model.ids() == list(range(1, 11))
    model.replace_all([view(1, 50), view(2, 5), view(3, 20)])
    assert model.ids() == [2, 3, 1]


def test_an_update_in_place_is_one_data_changed_and_never_a_reset(
    model: ConversationListModel,
) -> None:
    rec = Recorder(model)
    model.upsert(bump(model.view_of(5), unread_count=3))
    assert rec.events == ["changed"]
    assert model.view_at(4).summary.unread_count == 3


def test_a_new_message_moves_the_row_to_the_top_with_one_data_changed(
    model: ConversationListModel,
) -> None:
    rec = Recorder(model)
    shifted: list[tuple[int, int]] = []
    model.rowsShifted.connect(lambda first, last: shifted.append((first, last)))
    ranges: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b, *_: ranges.append((a.row(), b.row())))
    model.upsert(bump(model.view_of(7), last_message_at=NOW + timedelta(minutes=1)))
    assert rec.events == ["changed"]  # no remove/insert: the header is not rebuilt
    assert ranges == [(0, 6)] and shifted == [(0, 6)]
    assert model.ids() == [7, 1, 2, 3, 4, 5, 6, 8, 9, 10]
    assert [model.data(model.index(r)) for r in range(3)] == [
        "Paciente 7", "Paciente 1", "Paciente 2"]
    # and back down when it becomes the oldest
    model.upsert(bump(model.view_of(7), last_message_at=NOW - timedelta(days=1)))
    assert model.ids() == [1, 2, 3, 4, 5, 6, 8, 9, 10, 7]
    assert shifted[-1] == (0, 9)


def test_a_new_conversation_is_inserted_in_order(model: ConversationListModel) -> None:
    rec = Recorder(model)
    model.upsert(view(42, minutes_ago=15))
    assert rec.events == ["inserted"]
    assert model.ids()[:3] == [1, 42, 2]


def test_archiving_removes_the_row_from_open_and_shows_it_in_archived(
    model: ConversationListModel,
) -> None:
    rec = Recorder(model)
    model.upsert(bump(model.view_of(3), status=Status.ARCHIVED))
    assert rec.events == ["removed"] and 3 not in model.ids()
    model.set_filter(Filter.ARCHIVED)
    assert model.ids() == [3]
    model.upsert(bump(model.view_of(3), status=Status.OPEN))
    assert model.ids() == []
    model.set_filter(Filter.OPEN)
    assert 3 in model.ids()


def test_unread_and_urgent_filters(model: ConversationListModel) -> None:
    model.upsert(bump(model.view_of(2), unread_count=1))
    model.upsert(bump(model.view_of(4), priority=Priority.URGENT))
    model.set_filter(Filter.UNREAD)
    assert model.ids() == [2]
    model.set_filter(Filter.URGENT)
    assert model.ids() == [4]


def test_the_search_narrows_the_rows_with_one_reset(model: ConversationListModel) -> None:
    model.upsert(bump(model.view_of(3), patient_name="João Araújo"))
    rec = Recorder(model)
    model.set_search("joao")
    assert model.ids() == [3] and rec.events == ["reset"]
    model.set_search("JOÃO ")  # the same search folded: nothing to redo
    assert rec.events == ["reset"]
    model.set_search("")
    assert model.ids() == list(range(1, 11))


def test_search_stays_applied_to_updates(model: ConversationListModel) -> None:
    model.set_search("paciente 4")
    assert model.ids() == [4]
    model.upsert(bump(model.view_of(4), patient_name="Outra Pessoa"))
    assert model.ids() == []
    model.upsert(view(77, 1, patient_name="Paciente 4 Filho"))
    assert model.ids() == [77]


def test_pending_view_replaces_the_row(model: ConversationListModel) -> None:
    pending = dataclasses.replace(model.view_of(2), pending=True)
    model.upsert(pending)
    assert model.view_at(1).pending
    model.upsert(dataclasses.replace(pending, pending=False))
    assert not model.view_at(1).pending
