"""The left column: search box, filter buttons and the conversation list view.

One QTableView with fixed row heights over :class:`ConversationListModel`, painted by
:class:`ConversationDelegate` (no widget per row). A plain QListView would re-lay out every
row on each ``dataChanged`` (0.7 s at 100k rows, ARCHITECTURE.md section 9).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QFocusEvent, QKeyEvent
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
from inbox_app.ui.conversations.delegate import ID_ROLE, ConversationDelegate, row_height
from inbox_app.ui.conversations.empty_notice import EmptyNotice
from inbox_app.ui.conversations.model import ConversationListModel, Filter

log = logging.getLogger(__name__)


class ListView(QTableView):
    """The list view without type-ahead: a letter never jumps to another patient (the
    window's key router sends typed letters to the search box or the composer)."""

    def keyboardSearch(self, search: str) -> None:
        return

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            # the user's font size decides the rows' height (they stay uniform)
            self.verticalHeader().setDefaultSectionSize(row_height(self.font()))

    def focusInEvent(self, event: QFocusEvent) -> None:
        # QAbstractItemView makes the first row current when the focus arrives with none:
        # that would open a conversation the receptionist did not choose
        if self.currentIndex().isValid():
            super().focusInEvent(event)
        else:
            QWidget.focusInEvent(self, event)
            self.viewport().update()


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
        search_icon = self.search.addAction(assets.icon("search"),
                                            QLineEdit.ActionPosition.LeadingPosition)
        search_icon.setText(self.tr("Search"))  # what a screen reader calls its button
        self.search.setPlaceholderText(self.tr("Search name, phone or message"))
        self.search.setAccessibleName(self.tr("Search conversations"))
        clear = self.search.findChild(QAction, "_q_qlineeditclearaction")
        if clear is not None:  # Qt's own clear button, unnamed
            clear.setText(self.tr("Clear search"))
        # typing at 100k rows re-filters in Python: wait for a pause in the typing
        self._search_timer = QTimer(self, singleShot=True, interval=150)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(self._search_timer.start)
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
        self._tab_labels = labels
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

        self.view = ListView(self)
        self.view.setObjectName("conversationList")
        self.view.setAccessibleName(self.tr("Conversations"))
        # QTableView with fixed row heights: a move to the top at 100k rows costs well under a
        # frame, where QTreeView re-lays out its item list (~100 ms) and QListView re-lays
        # out on every dataChanged (ARCHITECTURE.md section 9).
        header = self.view.verticalHeader()
        header.hide()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setDefaultSectionSize(row_height(self.view.font()))
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
        # follow_next: the conversation whose row, when it leaves, hands over to the next
        self._follow: int | None = None
        self._next_id: int | None = None
        model.rowsAboutToBeRemoved.connect(self._model_removing)
        model.rowsRemoved.connect(self._model_removed)
        self.view.setModel(self.model)
        self.empty_notice = EmptyNotice(model, self.view)  # "Nothing found"
        self.view.selectionModel().currentChanged.connect(self._on_current_changed)
        model.rowsShifted.connect(lambda *_: self._restore_selection())
        model.modelReset.connect(self._restore_selection)
        model.rowsInserted.connect(lambda *_: self._restore_selection())
        model.countsChanged.connect(self._show_counts)

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
        """Up/Down from anywhere in the window; from the search box the focus goes to the
        list with the move (the window's Up/Down shortcut takes the key before the box)."""
        from_search = self.search.hasFocus()
        if from_search:
            self._apply_search()
        current = self.view.currentIndex()
        row = (current.row() + step) if current.isValid() else 0
        row = max(0, min(self.model.rowCount() - 1, row))
        index = self.model.index(row, 0)
        if index.isValid():
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)
        if from_search:
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_search(self) -> bool:
        """Esc in the list: empties a search that narrows it; False when there is none."""
        if not self.search.text():
            return False
        self.search.clear()
        self._apply_search()
        return True

    def focus_list(self) -> None:
        """Moves the focus to the list; opens the first row when none is current."""
        if not self.view.currentIndex().isValid() and self.model.rowCount():
            self.move_selection(1)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_search(self) -> None:
        """Ctrl+F: the search box, its text selected."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # --- internals ------------------------------------------------------------------------
    def _show_counts(self) -> None:
        """Unread and Urgent say how many conversations they hold ("Unread (3)")."""
        for tab in (Filter.UNREAD, Filter.URGENT):
            button = self.findChild(QPushButton, f"filter_{tab}")
            if button is None:
                continue
            count = self.model.count(tab)
            label = self._tab_labels[tab]
            button.setText(self.tr("{0} ({1})").format(label, QLocale().toString(count))
                           if count else label)

    def _apply_search(self) -> None:
        self._search_timer.stop()
        self.model.set_search(self.search.text())
        self._restore_selection()

    def forget(self) -> None:
        """No conversation is open (the lock): nothing selected, nothing to restore."""
        self._selected_id = None
        self._follow = None
        selection = self.view.selectionModel()
        blocked = selection.blockSignals(True)
        selection.clear()
        selection.blockSignals(blocked)

    def reopen(self, conversation_id: int) -> bool:
        """Opens ``conversation_id`` again (after unlock), also when the filter hides its
        row; False when the list does not know it (any more)."""
        if self.model.view_of(conversation_id) is None:
            return False
        if not self.select(conversation_id):
            self._selected_id = conversation_id
            self.conversationSelected.emit(conversation_id)
        return True

    def follow_next(self, conversation_id: int) -> None:
        """The receptionist acts on ``conversation_id`` (archive): when its row leaves the
        list, the row that was below it opens (the one above for the last row) and the
        focus stays in the list."""
        self._follow = conversation_id

    def _model_removing(self, _parent: QModelIndex, first: int, last: int) -> None:
        self._model_changing = True
        self._next_id = None
        if self._follow is None or self._follow != self._selected_id:
            return
        row = self.model.row_of(self._follow)
        if row is None or not first <= row <= last:
            return
        neighbour = last + 1 if last + 1 < self.model.rowCount() else first - 1
        if neighbour >= 0:
            self._next_id = self.model.index(neighbour).data(ID_ROLE)

    def _model_removed(self, *_: object) -> None:
        self._model_changing = False
        if self._next_id is not None and self.model.row_of(self._follow or -1) is None:
            target, self._next_id, self._follow = self._next_id, None, None
            had_focus = self.view.hasFocus()
            # after the view has handled the removal itself
            QTimer.singleShot(0, self, lambda: self._open_next(target, had_focus))
            return
        if self._selected_id is not None and self.model.row_of(self._selected_id) is None:
            # the open conversation left the list (filtered out): highlight nothing
            selection = self.view.selectionModel()
            blocked = selection.blockSignals(True)
            selection.clear()
            selection.blockSignals(blocked)
            self.view.viewport().update()

    def _open_next(self, conversation_id: int, keep_focus: bool) -> None:
        row = self.model.row_of(conversation_id)
        if row is None:
            return
        index = self.model.index(row)
        if index == self.view.currentIndex():
            # the view already moved its current row there, silently (during the removal)
            self.view.selectionModel().select(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self._selected_id = conversation_id
            self.conversationSelected.emit(conversation_id)
        else:
            self.select(conversation_id)
        if keep_focus or not self.window().focusWidget():
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or self._model_changing:
            return
        cid = current.data(ID_ROLE)
        if cid is not None and cid != self._selected_id:
            self._selected_id = cid
            self._follow = None
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
        # the search box: Down/Up/Enter go to the list (Down and Up also move), Esc leaves
        # the search with its text kept (a second Esc, now in the list, clears it)
        if (
            watched is self.search
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
        ):
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._apply_search()
                self.move_selection(1 if key == Qt.Key.Key_Down else -1)
                self.view.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._apply_search()
                self.focus_list()
                return True
            if key == Qt.Key.Key_Escape:
                self._apply_search()
                self.view.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
        return super().eventFilter(watched, event)

