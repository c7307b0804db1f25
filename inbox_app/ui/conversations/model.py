"""The Qt model of the conversation list: an adapter over the client's ConversationView rows.

Performance rules (ARCHITECTURE.md section 9), measured at 100,000 rows:
- Fine-grained signals: an update in place is one ``dataChanged``; a row that moves (a new
  message lifts it to the top) is one ``dataChanged`` over the rows it passed; a row that
  appears or leaves the filter is one insert or one remove. A reset happens only for the
  first load, a resync, or when the user changes the filter or the search.
- The model keeps its rows sorted itself (binary search on the sort key) instead of sitting
  behind a QSortFilterProxyModel: the proxy calls ``filterAcceptsRow`` in Python once per row
  on every filter change (2.2 s here at 100k rows) and turns a row that moves into a full
  re-layout (0.36 s per new message at the top); a list comprehension over plain Python
  objects takes a few tens of milliseconds.

Which conversations a tab and a search show, and their order, are the client's rules
(:mod:`inbox_app.client.reads.listing`); this model only calls them.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from inbox_app.client import ConversationView
from inbox_app.client.reads.listing import (
    Filter,
    ListFilter,
    SortKey,
    TabCounts,
    home_tab,
    sort_key,
)
from inbox_app.contract.models import Status
from inbox_app.ui import labels
from inbox_app.ui.conversations.delegate import ID_ROLE, TAB_ROLE, VIEW_ROLE

__all__ = ["ConversationListModel", "Filter"]

_ModelIndex = QModelIndex | QPersistentModelIndex


class ConversationListModel(QAbstractListModel):
    """The visible conversations (filter + search applied), newest first.

    Every known conversation is kept (``all_count``); the rows are those the filter accepts.
    Feed it with :meth:`upsert` (new or changed), :meth:`remove` and, for a first load or a
    resync, :meth:`replace_all`.
    """

    #: Rows first..last changed places (a row moved within them): the same row numbers now
    #: hold other conversations, so views re-find their selection by id.
    rowsShifted = Signal(int, int)
    #: How many conversations a tab holds changed (read them with :meth:`count`).
    countsChanged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: dict[int, ConversationView] = {}
        self._rows: list[ConversationView] = []
        self._keys: list[SortKey] = []
        self._key_of: dict[int, SortKey] = {}  # ids of the visible rows -> their key
        self._rules = ListFilter()
        self._counts = TabCounts()

    # --- Qt model interface -------------------------------------------------------------
    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        view = self._rows[index.row()]
        if role == VIEW_ROLE:
            return view
        if role == ID_ROLE:
            return view.summary.id
        if role == Qt.ItemDataRole.DisplayRole:
            return view.summary.patient_name
        if role == TAB_ROLE:
            return labels.tab_label(home_tab(view.summary)) if self.searching else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.spoken(view)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            summary = view.summary
            when = labels.short_time(summary.last_message_at or summary.updated_at)
            return (
                f"{when}: {summary.last_message_preview}" if when else summary.last_message_preview
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            return view.summary.last_message_preview
        return None

    def spoken(self, view: ConversationView) -> str:
        """What a screen reader says of a row, the facts its icons and colours show: the
        patient, the channel (one patient's two conversations apart), unread messages, the
        priority and the states (saving, not sent, archived); a search result says its tab
        instead of "archived"."""
        summary = view.summary
        parts = [summary.patient_name, labels.channel_label(summary.channel)]
        if summary.unread_count > 0:
            parts.append(self.tr("%n unread message(s)", "", summary.unread_count))
        parts.append(labels.priority_spoken(summary.priority))
        if view.pending:
            parts.append(labels.state_spoken("pending"))
        if view.failed:
            parts.append(labels.state_spoken("failed"))
        if self.searching:
            parts.append(labels.tab_label(home_tab(summary)))
        elif summary.status == Status.ARCHIVED:
            parts.append(labels.state_spoken("archived"))
        return ", ".join(parts)

    # --- reads ----------------------------------------------------------------------------
    @property
    def filter(self) -> Filter:
        """The filter the user chose."""
        return self._rules.filter

    @property
    def searching(self) -> bool:
        """Whether a search shows results from every tab (instead of one tab's rows)."""
        return self._rules.searching

    @property
    def all_count(self) -> int:
        """Every known conversation, shown or filtered out."""
        return len(self._all)

    def count(self, tab: Filter) -> int:
        """How many conversations ``tab`` holds, the search aside (its button says it)."""
        return self._counts.count(tab)

    def _recount(self, old: ConversationView | None, new: ConversationView | None) -> None:
        before = self._counts.snapshot()
        if old is not None:
            self._counts.remove(old.summary)
        if new is not None:
            self._counts.add(new.summary)
        if self._counts.snapshot() != before:
            self.countsChanged.emit()

    def view_at(self, row: int) -> ConversationView:
        """The conversation on a visible row."""
        return self._rows[row]

    def row_of(self, conversation_id: int) -> int | None:
        """The visible row of a conversation, None when unknown or filtered out."""
        key = self._key_of.get(conversation_id)
        return None if key is None else bisect.bisect_left(self._keys, key)

    def view_of(self, conversation_id: int) -> ConversationView | None:
        """The latest view of a conversation, visible or not."""
        return self._all.get(conversation_id)

    def ids(self) -> list[int]:
        """The visible ids, top to bottom."""
        return [view.summary.id for view in self._rows]

    def accepts(self, view: ConversationView) -> bool:
        """Whether the current filter and search show this conversation."""
        return self._rules.accepts(view)

    # --- what the user chooses --------------------------------------------------------------
    def set_filter(self, value: Filter) -> None:
        """Shows another filter (one model reset)."""
        if self._rules.set_filter(value):
            self._refilter()

    def set_search(self, text: str) -> None:
        """Shows the conversations matching ``text`` in name, preview or phone digits."""
        if self._rules.set_search(text):
            self._refilter()

    def _refilter(self) -> None:
        """Re-derives the visible rows: one reset, as the user changed what to show."""
        visible = self._rules.visible(self._all.values())
        self.beginResetModel()
        self._rows = visible
        self._keys = [sort_key(v) for v in visible]
        self._key_of = {v.summary.id: k for v, k in zip(visible, self._keys, strict=True)}
        self.endResetModel()

    # --- what the client tells ------------------------------------------------------------
    def replace_all(self, views: Iterable[ConversationView]) -> None:
        """Loads a whole list at once (first load, resync)."""
        self._all = {view.summary.id: view for view in views}
        self._rules.clear()
        self._counts.clear()
        for view in self._all.values():
            self._counts.add(view.summary)
        self._refilter()
        self.countsChanged.emit()

    def upsert(self, view: ConversationView) -> None:
        """Adds or updates one conversation with the fewest signals that keep the order."""
        cid = view.summary.id
        self._recount(self._all.get(cid), view)
        self._all[cid] = view
        old_key = self._key_of.get(cid)
        if not self.accepts(view):
            if old_key is not None:
                self._remove_row(cid, bisect.bisect_left(self._keys, old_key))
            return
        new_key = sort_key(view)
        if old_key is None:
            self._insert_row(view, new_key)
            return
        old_row = bisect.bisect_left(self._keys, old_key)
        target = bisect.bisect_left(self._keys, new_key)
        if new_key == old_key or target in (old_row, old_row + 1):
            # still between the same neighbours: an update in place
            self._rows[old_row] = view
            self._keys[old_row] = new_key
            self._key_of[cid] = new_key
            index = self.index(old_row)
            self.dataChanged.emit(index, index)
            return
        # A move (a new message lifts the row to the top) rotates the rows in between and
        # says so with one dataChanged over that range: no structural signal, so the view's
        # header (one section per row) is not rebuilt. Remove + insert cost 8 ms p50 and
        # 26 ms p99 at 100k rows here; this costs one repaint of the visible rows.
        del self._rows[old_row]
        del self._keys[old_row]
        new_row = bisect.bisect_left(self._keys, new_key)
        self._rows.insert(new_row, view)
        self._keys.insert(new_row, new_key)
        self._key_of[cid] = new_key
        first, last = min(old_row, new_row), max(old_row, new_row)
        self.dataChanged.emit(self.index(first), self.index(last))
        self.rowsShifted.emit(first, last)

    def upsert_many(self, views: Iterable[ConversationView]) -> None:
        """Upserts each view that differs from the one held (unchanged ones cost nothing)."""
        for view in views:
            if self._all.get(view.summary.id) != view:
                self.upsert(view)

    def remove(self, conversation_id: int) -> None:
        """Forgets a conversation (it left the clinic's list)."""
        self._recount(self._all.pop(conversation_id, None), None)
        self._rules.forget(conversation_id)
        key = self._key_of.get(conversation_id)
        if key is not None:
            self._remove_row(conversation_id, bisect.bisect_left(self._keys, key))

    def _insert_row(self, view: ConversationView, key: SortKey) -> None:
        row = bisect.bisect_left(self._keys, key)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, view)
        self._keys.insert(row, key)
        self._key_of[view.summary.id] = key
        self.endInsertRows()

    def _remove_row(self, conversation_id: int, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        del self._keys[row]
        del self._key_of[conversation_id]
        self.endRemoveRows()
