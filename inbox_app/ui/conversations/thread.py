"""The messages of an open conversation as bubbles, with internal notes and pending items.

Patient messages on the left, the clinic's replies on the right, internal notes as yellow
cards in the middle ("Internal note", author, time). Optimistic notes and replies show a
clock and lighter text while pending, and a red mark with Retry and Discard when they failed.
A conversation holds at most 100 messages plus its notes (the detail page), so a widget per
bubble is fine here, unlike the conversation list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from inbox_app.client import DetailView, PendingItem
from inbox_app.contract.models import Direction, Message, Note
from inbox_app.ui import assets, labels

_BUBBLE_MAX_WIDTH = 520
_TEXT_MAX_WIDTH = 420
_TEXT_MIN_WIDTH = 150


@dataclass(frozen=True, slots=True)
class _Entry:
    when: datetime
    order: int
    item: Message | Note | PendingItem


def _entries(detail: DetailView) -> list[_Entry]:
    """Messages and notes by time; pending items last, in the order they were made."""
    entries = [_Entry(m.sent_at, 0, m) for m in detail.messages]
    entries += [_Entry(n.created_at, 0, n) for n in detail.notes]
    entries.sort(key=lambda e: e.when)
    entries += [_Entry(p.created_at, 1, p) for p in detail.pending_items]
    return entries


class _Text(QLabel):
    """A word-wrapped label whose width follows its longest line, up to a maximum.

    Plain word-wrapped QLabels get squeezed inside a scroll area (height-for-width does not
    survive the nested layouts), so this one reports its size itself. It measures when asked
    (after the stylesheet's font is applied): measured earlier, with the default font, a short
    message came out a few pixels too narrow and wrapped its last word onto a second line.
    """

    def __init__(self, text: str, parent: QWidget, *, full_width: bool = False) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self._full_width = full_width

    @property
    def text_width(self) -> int:
        """The width the text is laid out in: its longest line, within the bubble's bounds."""
        if self._full_width:
            return _TEXT_MAX_WIDTH
        self.ensurePolished()
        metrics = self.fontMetrics()
        longest = max((metrics.horizontalAdvance(line)
                       for line in self.text().splitlines() or [""]), default=0)
        # +2: horizontalAdvance rounds, and a label one pixel short wraps its last word
        return max(_TEXT_MIN_WIDTH, min(longest + 2, _TEXT_MAX_WIDTH))

    def hasHeightForWidth(self) -> bool:
        return False

    def sizeHint(self) -> QSize:
        width = self.text_width
        return QSize(width, super().heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()


class Bubble(QFrame):
    """One message, note or pending item."""

    retryRequested = Signal(str)
    discardRequested = Signal(str)

    def __init__(self, item: Message | Note | PendingItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Minimum)
        self.setMaximumWidth(_BUBBLE_MAX_WIDTH)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(4)

        is_note = isinstance(item, Note) or (
            isinstance(item, PendingItem) and item.kind == "note"
        )
        if is_note:
            self.setObjectName("bubbleNote")
            title = QLabel(self.tr("Internal note"), self)
            title.setObjectName("noteTitle")
            title_row = QHBoxLayout()
            icon = QLabel(self)
            icon.setPixmap(assets.pixmap("note", 14))
            title_row.addWidget(icon)
            title_row.addWidget(title)
            title_row.addStretch(1)
            layout.addLayout(title_row)
        elif isinstance(item, Message) and item.direction == Direction.INBOUND:
            self.setObjectName("bubbleIn")
        else:
            self.setObjectName("bubbleOut")

        failed = isinstance(item, PendingItem) and item.state == "failed"
        body = _Text(item.body, self, full_width=failed)
        body.setObjectName("bubbleBody")
        body.setTextFormat(Qt.TextFormat.PlainText)  # patient text is never markup
        body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(body)

        meta = QHBoxLayout()
        meta.setSpacing(4)
        meta.addStretch(1)
        meta_text = QLabel(self._meta_text(item), self)
        meta_text.setTextFormat(Qt.TextFormat.PlainText)  # a colleague's name
        meta_text.setObjectName("bubbleMeta")
        if isinstance(item, PendingItem):
            mark = QLabel(self)
            if item.state == "failed":
                self.setProperty("failed", True)
                mark.setPixmap(assets.pixmap("failed", 12))
            else:
                self.setProperty("pending", True)
                mark.setPixmap(assets.pixmap("clock", 12))
            meta.addWidget(mark)
        meta.addWidget(meta_text)
        layout.addLayout(meta)

        if isinstance(item, PendingItem) and item.state == "failed":
            error = _Text(
                self.tr("Not sent: {0}").format(item.error or self.tr("unknown error")),
                self, full_width=True,
            )
            error.setObjectName("failedText")
            error.setTextFormat(Qt.TextFormat.PlainText)  # the server's reason
            layout.addWidget(error)
            buttons = QHBoxLayout()
            buttons.addStretch(1)
            retry = QPushButton(assets.icon("retry"), self.tr("Retry"), self)
            retry.setObjectName("retryButton")
            retry.clicked.connect(lambda: self.retryRequested.emit(item.mutation_id))
            discard = QPushButton(assets.icon("discard"), self.tr("Discard"), self)
            discard.setObjectName("discardButton")
            discard.clicked.connect(lambda: self.discardRequested.emit(item.mutation_id))
            buttons.addWidget(retry)
            buttons.addWidget(discard)
            layout.addLayout(buttons)

    def _meta_text(self, item: Message | Note | PendingItem) -> str:
        if isinstance(item, Note):
            return f"{item.author_name} · {labels.clock_time(item.created_at)}"
        if isinstance(item, Message):
            return labels.clock_time(item.sent_at)
        if item.state == "failed":
            return self.tr("Failed")
        if item.state == "sending":
            return self.tr("Sending…")
        return self.tr("Waiting to send")


class Thread(QScrollArea):
    """The scrolling column of bubbles; rebuilt from a DetailView, kept at the bottom."""

    retryRequested = Signal(str)
    discardRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("thread")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._body = QWidget(self)
        self._body.setObjectName("threadBody")
        self._layout = QVBoxLayout(self._body)
        self._layout.setContentsMargins(16, 12, 16, 12)
        self._layout.setSpacing(8)
        self._layout.addStretch(1)
        self.setWidget(self._body)
        self.bubbles: list[Bubble] = []
        self._rows: list[QWidget] = []
        # Stay at the newest message while the user has not scrolled up: the range grows
        # after the layout runs, so follow rangeChanged rather than scrolling once.
        self._stick = True
        bar = self.verticalScrollBar()
        bar.rangeChanged.connect(lambda _lo, hi: bar.setValue(hi) if self._stick else None)
        bar.valueChanged.connect(
            lambda value: setattr(self, "_stick", value >= bar.maximum() - 24)
        )
        self._shown: list[object] | None = None

    def show_detail(self, detail: DetailView | None) -> None:
        """Shows a conversation; does nothing when nothing visible changed."""
        entries = _entries(detail) if detail is not None else []
        shown: list[object] = [e.item for e in entries]
        if shown == self._shown:
            return
        bar = self.verticalScrollBar()
        if self._shown is None:  # another conversation: start at its newest message
            self._stick = True
        old = self._shown or []
        self._shown = shown
        # The usual change appends (a new message, a new pending item): keep the bubbles
        # already shown and add the rest, instead of rebuilding ~100 widgets.
        keep = len(old) if old and shown[: len(old)] == old else 0
        for row in self._rows[keep:]:
            self._layout.removeWidget(row)
            row.deleteLater()
        del self._rows[keep:]
        del self.bubbles[keep:]
        for entry in entries[keep:]:
            self._add(entry.item)
        if self._stick:
            bar.setValue(bar.maximum())

    def _add(self, item: Message | Note | PendingItem) -> None:
        bubble = Bubble(item, self._body)
        bubble.retryRequested.connect(self.retryRequested)
        bubble.discardRequested.connect(self.discardRequested)
        row = QWidget(self._body)
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        if bubble.objectName() != "bubbleIn":
            row_layout.addStretch(1)
        row_layout.addWidget(bubble)
        if bubble.objectName() != "bubbleOut":
            row_layout.addStretch(1)
        self._layout.addWidget(row)
        self._rows.append(row)
        self.bubbles.append(bubble)

    @property
    def at_bottom(self) -> bool:
        """Whether the newest message is in view."""
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - 24

    def clear(self) -> None:
        """Removes every bubble; the next conversation starts at its newest message."""
        self.show_detail(None)
        self._shown = None
