"""The left column: search box, filter buttons and the conversation list view.

One QTableView with fixed row heights over :class:`ConversationListModel`, painted by
:class:`ConversationDelegate` (no widget per row). A plain QListView would re-lay out every
row on each ``dataChanged`` (0.7 s at 100k rows, ARCHITECTURE.md section 9).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from inbox_app.ui import assets
from inbox_app.ui.conversations.delegate import ID_ROLE, ROW_HEIGHT, ConversationDelegate
from inbox_app.ui.conversations.model import ConversationListModel, Filter

log = logging.getLogger(__name__)


class ConversationList(QWidget):
    """The left column: search box, filter buttons and the list itself."""

    #: The user moved to another conversation (its id).
    conversationSelected = Signal(int)

    def __init__(self, model: ConversationListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.model = model
        self._selected_id: int | None = None

        self.search = QLineEdit(self)
        self.search.setObjectName("searchBox")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(assets.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setPlaceholderText(self.tr("Search name, phone or message"))
        # typing at 100k rows re-filters in Python: wait for a pause in the typing
        self._search_timer = QTimer(self, singleShot=True, interval=150)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self._apply_search)
        self.search.installEventFilter(self)

        self.filter_buttons = QButtonGroup(self)
        self.filter_buttons.setExclusive(True)
        filters = QHBoxLayout()
        filters.setSpacing(6)
        labels = {
            Filter.OPEN: self.tr("Open"),
            Filter.ARCHIVED: self.tr("Archived"),
            Filter.UNREAD: self.tr("Unread"),
            Filter.URGENT: self.tr("Urgent"),
        }
        for value, label in labels.items():
            button = QPushButton(label, self)
            button.setCheckable(True)
            button.setProperty("filter", True)
            button.setObjectName(f"filter_{value}")
            button.setChecked(value is Filter.OPEN)
            button.clicked.connect(lambda _=False, v=value: self.set_filter(v))
            self.filter_buttons.addButton(button)
            filters.addWidget(button)
        filters.addStretch(1)

        self.view = QTableView(self)
        self.view.setObjectName("conversationList")
        # QTableView with fixed row heights: a move to the top at 100k rows costs well under a
        # frame, where QTreeView re-lays out its item list (~100 ms) and QListView re-lays
        # out on every dataChanged (ARCHITECTURE.md section 9).
        header = self.view.verticalHeader()
        header.hide()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setDefaultSectionSize(ROW_HEIGHT)
        self.view.horizontalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setMouseTracking(True)
        self.view.setItemDelegate(ConversationDelegate(self.view))
        # Connected before setModel so these run before the selection model's own slots: a
        # row the model removes (a move to the top, an archived row leaving the filter)
        # must not make Qt's "current moves to the neighbour" open another conversation.
        self._model_changing = False
        model.rowsAboutToBeRemoved.connect(self._model_removing)
        model.rowsRemoved.connect(self._model_removed)
        self.view.setModel(self.model)
        self.view.selectionModel().currentChanged.connect(self._on_current_changed)
        model.rowsShifted.connect(lambda *_: self._restore_selection())
        model.modelReset.connect(self._restore_selection)
        model.rowsInserted.connect(lambda *_: self._restore_selection())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 0, 0)
        layout.setSpacing(8)
        top = QVBoxLayout()
        top.setContentsMargins(0, 0, 10, 0)
        top.setSpacing(8)
        top.addWidget(self.search)
        top.addLayout(filters)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)

    # --- public ---------------------------------------------------------------------------
    @property
    def selected_id(self) -> int | None:
        """The open conversation, also while the filter hides its row."""
        return self._selected_id

    def set_filter(self, value: Filter) -> None:
        """Applies a filter and checks its button (the open conversation stays selected)."""
        self.model.set_filter(value)
        for button in self.filter_buttons.buttons():
            button.setChecked(button.objectName() == f"filter_{value}")
        self._restore_selection()

    def select(self, conversation_id: int) -> bool:
        """Makes ``conversation_id`` current (emits conversationSelected); False if hidden."""
        row = self.model.row_of(conversation_id)
        if row is None:
            return False
        index = self.model.index(row)
        if not index.isValid():
            return False
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        return True

    def move_selection(self, step: int) -> None:
        """Up/Down from anywhere in the window."""
        current = self.view.currentIndex()
        row = (current.row() + step) if current.isValid() else 0
        row = max(0, min(self.model.rowCount() - 1, row))
        index = self.model.index(row, 0)
        if index.isValid():
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)

    def focus_search(self) -> None:
        """Ctrl+F: the search box, its text selected."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # --- internals ------------------------------------------------------------------------
    def _apply_search(self) -> None:
        self._search_timer.stop()
        self.model.set_search(self.search.text())
        self._restore_selection()

    def _model_removing(self, *_: object) -> None:
        self._model_changing = True

    def _model_removed(self, *_: object) -> None:
        self._model_changing = False
        if self._selected_id is not None and self.model.row_of(self._selected_id) is None:
            # the open conversation left the list (filtered out): highlight nothing
            selection = self.view.selectionModel()
            blocked = selection.blockSignals(True)
            selection.clear()
            selection.blockSignals(blocked)
            self.view.viewport().update()

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or self._model_changing:
            return
        cid = current.data(ID_ROLE)
        if cid is not None and cid != self._selected_id:
            self._selected_id = cid
            self.conversationSelected.emit(cid)

    def _restore_selection(self, conversation_id: int | None = None) -> None:
        """Puts the selection back on the open conversation after its row moved."""
        if self._selected_id is None:
            return
        if conversation_id is not None and conversation_id != self._selected_id:
            return
        row = self.model.row_of(self._selected_id)
        if row is None:
            return
        index = self.model.index(row)
        if not index.isValid() or index == self.view.currentIndex():
            return
        selection = self.view.selectionModel()
        blocked = selection.blockSignals(True)  # same conversation: nothing to reload
        selection.setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        selection.blockSignals(blocked)
        self.view.viewport().update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up)
        ):
            self._apply_search()
            self.move_selection(1 if event.key() == Qt.Key.Key_Down else -1)
            self.view.setFocus()
            return True
        return super().eventFilter(watched, event)

