"""Tests of the search of the conversation list (issue 13): it covers every tab, each result
says in which tab it lives, and "Nothing found" shows when nothing matches
(inbox_app/client/reads/listing.py rules, ui/conversations/model.py, delegate.py and
empty_notice.py show them). Real server on loopback.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication

from inbox_app.client.reads.listing import Filter
from inbox_app.contract.models import Status
from inbox_app.ui.app import create_application
from inbox_app.ui.conversations.delegate import TAB_ROLE
from tests.ui.conftest import Signed, press

TIMEOUT = 10_000


def test_search_covers_every_tab_names_it_and_says_nothing_found(
    signed: Signed, qtbot: Any
) -> None:
    window = signed.window
    model = window.bridge.model
    panel = window.conversations
    # archive one conversation: it leaves the Open tab
    cid = model.ids()[2]
    name = model.view_of(cid).summary.patient_name
    assert panel.select(cid)
    qtbot.waitUntil(lambda: window.pane.detail is not None
                    and window.pane.detail.summary.id == cid, timeout=TIMEOUT)
    press(qtbot, window, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: model.view_of(cid).summary.status == Status.ARCHIVED
                    and not model.view_of(cid).pending, timeout=TIMEOUT)
    assert cid not in model.ids() and model.filter is Filter.OPEN
    assert model.index(0).data(TAB_ROLE) is None  # no search: no tab on the rows

    # searching from the Open tab finds it, and says it is archived
    panel.search.setText(name)
    qtbot.waitUntil(lambda: cid in model.ids(), timeout=TIMEOUT)
    row = model.row_of(cid)
    assert model.index(row).data(TAB_ROLE) == "Archived"
    assert model.index(row).data(Qt.ItemDataRole.AccessibleTextRole).endswith(", Archived")
    for r in range(model.rowCount()):
        status = model.view_at(r).summary.status
        assert model.index(r).data(TAB_ROLE) == (
            "Archived" if status == Status.ARCHIVED else "Open")
    assert not panel.empty_notice.isVisible()

    # nothing matches: the list says so
    panel.search.setText("xyzzy nada")
    qtbot.waitUntil(lambda: model.rowCount() == 0, timeout=TIMEOUT)
    assert panel.empty_notice.isVisible()
    assert panel.empty_notice.text() == "Nothing found"
    # the search cleared: the Open tab again, no notice
    panel.search.clear()
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=TIMEOUT)
    assert not panel.empty_notice.isVisible()
    assert cid not in model.ids()


def test_nothing_found_is_portuguese(qapp: QApplication) -> None:
    try:
        create_application(language="pt_BR")
        assert QCoreApplication.translate("EmptyNotice", "Nothing found") == "Nada encontrado"
        assert QCoreApplication.translate("Labels", "Archived") == "Arquivadas"
    finally:
        create_application(language="en")
