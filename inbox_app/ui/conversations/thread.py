"""The messages of an open conversation as bubbles, with internal notes and pending items.

Patient messages on the left, the clinic's replies on the right, internal notes as yellow
cards in the middle ("Internal note", author, time). Optimistic notes and replies show a
clock and lighter text while pending, and a red mark with Retry and Discard when they failed.
A date separator ("Today", "Yesterday", the weekday and date) opens each day. A conversation
holds 100 messages per page plus its notes, so a widget per bubble is fine here, unlike the
conversation list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

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
from inbox_app.contract.models import DeliveryState, Direction, Message, Note
from inbox_app.ui import assets, labels
from inbox_app.ui.conversations import delivery

_BUBBLE_MAX_WIDTH = 520
_TEXT_MAX_WIDTH = 420
_TEXT_MIN_WIDTH = 150


@dataclass(frozen=True, slots=True)
class _Entry:
    when: datetime
    order: int
    item: Message | Note | PendingItem


def _entries(detail: DetailView, older: list[Message] | None = None) -> list[_Entry]:
    """Messages (the ``older`` pages first) and notes by time; pending items last, in the
    order they were made."""
    known = {m.id for m in detail.messages}
    messages = [m for m in older or () if m.id not in known] + list(detail.messages)
    entries = [_Entry(m.sent_at, 0, m) for m in messages]
    entries += [_Entry(n.created_at, 0, n) for n in detail.notes]
    entries.sort(key=lambda e: e.when)
    entries += [_Entry(p.created_at, 1, p) for p in detail.pending_items]
    return entries


def _with_days(items: list[Message | Note | PendingItem]) -> list[object]:
    """The items with the local date put before the first item of each day."""
    out: list[object] = []
    last: date | None = None
    for item in items:
        when = item.sent_at if isinstance(item, Message) else item.created_at
        day = when.astimezone().date()
        if day != last:
            out.append(day)
            last = day
        out.append(item)
    return out


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
    # "Try again" on a reply whose delivery failed: the message id
    resendRequested = Signal(int)

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
        sent = item.delivery if isinstance(item, Message) else None
        if sent is not None:
            meta.addWidget(delivery.mark(sent, self))
            if sent.state is DeliveryState.FAILED:
                self.setProperty("failed", True)
        layout.addLayout(meta)
        if isinstance(item, Message) and sent is not None and sent.state is DeliveryState.FAILED:
            failure = delivery.FailedDelivery(sent, self)
            failure.resendRequested.connect(lambda: self.resendRequested.emit(item.id))
            layout.addWidget(failure)

        if isinstance(item, PendingItem) and item.state == "failed":
            error = _Text(
                self.tr("Not sent: {0}").format(
                    labels.refusal(item.error_code, item.error) if item.error
                    else self.tr("unknown error")),
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
    """The scrolling column of bubbles; rebuilt from a DetailView, kept at the bottom.

    Scrolling to the top asks for the page of older messages (:attr:`olderRequested`, with
    the id of the oldest message shown as the ``before`` cursor); :meth:`add_older` puts it
    above, keeping in view what the user was reading.
    """

    retryRequested = Signal(str)
    discardRequested = Signal(str)
    resendRequested = Signal(int)
    # the user reached the top and older messages exist: the oldest message id shown
    olderRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("thread")
        self.setAccessibleName(self.tr("Messages"))
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._body = QWidget(self)
        self._body.setObjectName("threadBody")
        self._layout = QVBoxLayout(self._body)
        self._layout.setContentsMargins(16, 12, 16, 12)
        self._layout.setSpacing(8)
        self._layout.addStretch(1)
        # "Loading older messages…" / "not on this computer", above the oldest message
        self.older_line = QLabel(self._body)
        self.older_line.setObjectName("olderLine")
        self.older_line.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.older_line.setWordWrap(True)
        self.older_line.hide()
        self._layout.addWidget(self.older_line)
        # "older messages are not available offline" (a conversation never opened here)
        self.notice = QLabel(self._body)
        self.notice.setObjectName("muted")
        self.notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.notice.setWordWrap(True)
        self.notice.hide()
        self._layout.addWidget(self.notice)
        self.setWidget(self._body)
        self.bubbles: list[Bubble] = []
        self.days: list[QLabel] = []  # the date separators ("Today", "Yesterday", ...)
        self._rows: list[QWidget] = []
        # Stay at the newest message while the user has not scrolled up: the range grows
        # after the layout runs, so follow rangeChanged rather than scrolling once.
        self._stick = True
        bar = self.verticalScrollBar()
        bar.rangeChanged.connect(self._range_changed)
        bar.valueChanged.connect(self._value_changed)
        # a user's own scrolling ends the anchoring after older messages came in
        bar.actionTriggered.connect(lambda _action: setattr(self, "_anchor", None))
        self._restore: int | None = None
        self._shown: list[object] | None = None
        self._detail: DetailView | None = None
        self._older: list[Message] = []
        self._older_more: bool | None = None  # None: as the detail says
        self._older_loading = False
        # distance from the bottom to keep while older messages are laid out above
        self._anchor: int | None = None

    def _value_changed(self, value: int) -> None:
        bar = self.verticalScrollBar()
        self._stick = value >= bar.maximum() - 24
        if value == bar.minimum() and bar.maximum() > 0 and self._anchor is None:
            self.request_older()

    @property
    def has_older(self) -> bool:
        """Whether older messages than those shown exist on the server."""
        if self._older_more is not None:
            return self._older_more
        return self._detail is not None and self._detail.has_more_messages

    def request_older(self) -> None:
        """Asks for the page before the oldest message shown (once at a time)."""
        if self._older_loading or not self.has_older:
            return
        messages = [b.item for b in self.bubbles if isinstance(b.item, Message)]
        if not messages:
            return
        self._older_loading = True
        self.older_line.setText(self.tr("Loading older messages…"))
        self.older_line.show()
        self.olderRequested.emit(min(m.id for m in messages))

    def add_older(self, messages: list[Message], has_more: bool) -> None:
        """Shows a page of older messages above, keeping the reading position."""
        self._older_loading = False
        self._older_more = has_more
        self.older_line.hide()
        known = {m.id for m in self._older}
        self._older = [m for m in messages if m.id not in known] + self._older
        bar = self.verticalScrollBar()
        self._anchor = bar.maximum() - bar.value()
        self._stick = False
        if self._detail is not None:
            self.show_detail(self._detail)

    def older_unavailable(self, text: str) -> None:
        """Says why the older page is not shown (offline: not on this computer)."""
        self._older_loading = False
        self.older_line.setText(text)
        self.older_line.show()

    def show_detail(self, detail: DetailView | None) -> None:
        """Shows a conversation; does nothing when nothing visible changed."""
        if detail is None or (self._detail is not None
                              and self._detail.summary.id != detail.summary.id):
            self._older, self._older_more, self._older_loading = [], None, False
            self._anchor = None
            self.older_line.hide()
        self._detail = detail
        entries = _entries(detail, self._older) if detail is not None else []
        shown = _with_days([e.item for e in entries])
        if shown == self._shown:
            return
        bar = self.verticalScrollBar()
        if self._shown is None and self._restore is None:
            self._stick = True  # another conversation: start at its newest message
        old = self._shown or []
        self._shown = shown
        # The usual change appends (a new message, a new pending item): keep the bubbles
        # already shown and add the rest, instead of rebuilding ~100 widgets.
        keep = len(old) if old and shown[: len(old)] == old else 0
        for row in self._rows[keep:]:
            self._layout.removeWidget(row)
            row.deleteLater()
        del self._rows[keep:]
        del self.bubbles[sum(not isinstance(item, date) for item in shown[:keep]):]
        del self.days[sum(isinstance(item, date) for item in shown[:keep]):]
        for item in shown[keep:]:
            if isinstance(item, date):
                self._add_day(item)
            elif isinstance(item, Message | Note | PendingItem):
                self._add(item)
        if self._stick:
            bar.setValue(bar.maximum())

    def _add_day(self, day: date) -> None:
        label = QLabel(labels.day_label(day), self._body)
        label.setObjectName("daySeparator")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.addWidget(label)
        self._rows.append(label)
        self.days.append(label)

    def _add(self, item: Message | Note | PendingItem) -> None:
        bubble = Bubble(item, self._body)
        bubble.retryRequested.connect(self.retryRequested)
        bubble.discardRequested.connect(self.discardRequested)
        bubble.resendRequested.connect(self.resendRequested)
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

    def show_notice(self, text: str) -> None:
        """A line above the bubbles (hidden when ``text`` is empty)."""
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def restore_scroll(self, value: int) -> None:
        """Scrolls to ``value`` (a position noted before a lock), now or once the bubbles
        are laid out tall enough."""
        self._stick = False
        self._restore = value  # applied once the bubbles of the conversation are laid out

    def _range_changed(self, _low: int, high: int) -> None:
        bar = self.verticalScrollBar()
        if self._restore is not None and self._shown and high >= self._restore:
            value, self._restore = self._restore, None
            bar.setValue(value)
            self._stick = False
        elif self._anchor is not None:
            bar.setValue(high - self._anchor)
        elif self._stick:
            bar.setValue(high)

    @property
    def at_bottom(self) -> bool:
        """Whether the newest message is in view."""
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - 24

    def clear(self) -> None:
        """Removes every bubble; the next conversation starts at its newest message."""
        self.show_detail(None)
        self.show_notice("")
        self._shown = None
        self._detail = None
        self._restore = None
