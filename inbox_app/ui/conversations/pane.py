"""The open conversation: header with actions, the thread of bubbles and the composer.

The pane only shows a DetailView and says what the user asked for (signals); the main
window turns requests into client actions.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedLayout,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from inbox_app.client import DetailView
from inbox_app.contract.models import Priority, Status
from inbox_app.ui import assets, labels
from inbox_app.ui.conversations.composer import Composer
from inbox_app.ui.conversations.thread import Thread
from inbox_app.ui.widgets.elided_label import ElidedLabel


class PriorityBox(QComboBox):
    """The priority chooser, with a chevron where the stylesheet removed the style's arrow.

    A stylesheet ``image: url(...)`` would need a file path, which a zipped or frozen resource
    may not have; the chevron comes from the same SVG icons as everything else.
    """

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        chevron = assets.pixmap("chevron-down", 16)
        painter = QPainter(self)
        painter.drawPixmap(self.width() - 22, (self.height() - 16) // 2, chevron)
        painter.end()


class ConversationPane(QWidget):
    """Header (name, state, actions), thread and composer of one conversation."""

    #: (action, argument): "toggle_read", "toggle_archive", ("priority", Priority)
    actionRequested = Signal(str, object)
    #: (kind "reply" | "note", text)
    composed = Signal(str, str)
    retryRequested = Signal(str)
    discardRequested = Signal(str)
    # "Try again" on a reply whose delivery failed: the message id
    resendRequested = Signal(int)
    #: the patient card button: show (True) or collapse (False) the card
    cardToggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: DetailView | None = None

        # names and server messages are shown as written, never as markup
        # long names and subtitles elide ("…", full text in the tooltip): the window's
        # minimum size never depends on the data
        self.title = ElidedLabel("", self)
        self.title.setObjectName("conversationTitle")
        self.subtitle = ElidedLabel("", self)
        self.subtitle.setObjectName("muted")
        self.pending_mark = QLabel(self)
        self.pending_mark.setPixmap(assets.pixmap("clock", 16))
        self.pending_mark.setToolTip(self.tr("Saving…"))
        self.pending_mark.setAccessibleName(self.tr("Saving…"))
        self.pending_mark.hide()

        self.read_button = QPushButton(self)
        self.read_button.setObjectName("readButton")
        self.read_button.clicked.connect(lambda: self.actionRequested.emit("toggle_read", None))
        self.archive_button = QPushButton(self)
        self.archive_button.setObjectName("archiveButton")
        self.archive_button.clicked.connect(
            lambda: self.actionRequested.emit("toggle_archive", None)
        )
        self.priority_box = PriorityBox(self)
        self.priority_box.setObjectName("priorityBox")
        self.priority_box.setAccessibleName(self.tr("Priority"))
        self.priority_box.view().setAccessibleName(self.tr("Priority"))
        # on Linux a combo box's accessible name is its current text: screen readers take
        # what it is from the label it is the buddy of (hidden: the chips say it to the eye)
        self.priority_label = QLabel(self.tr("Priority"), self)
        self.priority_label.setBuddy(self.priority_box)
        self.priority_label.hide()
        for number, priority in enumerate(labels.PRIORITY_KEYS, start=1):
            self.priority_box.addItem(f"{labels.priority_label(priority)}  ({number})", priority)
        self.priority_box.activated.connect(
            lambda i: self.actionRequested.emit("priority", self.priority_box.itemData(i))
        )

        self.card_button = QToolButton(self)
        self.card_button.setObjectName("cardButton")
        self.card_button.setCheckable(True)
        self.card_button.setChecked(True)
        self.card_button.setText(self.tr("Patient"))
        self.card_button.setToolTip(self.tr("Show or hide the patient card"))
        self.card_button.toggled.connect(self.cardToggled)

        header = QWidget(self)
        header.setObjectName("conversationHeader")
        header_layout = QHBoxLayout(header)
        header_layout.setContentsMargins(16, 10, 12, 10)
        names = QVBoxLayout()
        names.setSpacing(0)
        title_row = QHBoxLayout()
        title_row.setSpacing(6)  # the pending clock must not touch the patient's name
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.pending_mark)
        names.addLayout(title_row)
        names.addWidget(self.subtitle)
        header_layout.addLayout(names, 1)
        header_layout.addWidget(self.read_button)
        header_layout.addWidget(self.archive_button)
        header_layout.addWidget(self.priority_box)
        header_layout.addWidget(self.card_button)

        self.thread_view = Thread(self)
        self.thread_view.retryRequested.connect(self.retryRequested)
        self.thread_view.discardRequested.connect(self.discardRequested)
        self.thread_view.resendRequested.connect(self.resendRequested)
        self.composer = Composer(self)
        self.composer.submitted.connect(self.composed)

        content = QWidget(self)
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.setSpacing(0)
        content_layout.addWidget(header)
        content_layout.addWidget(self.thread_view, 1)
        content_layout.addWidget(self.composer)

        self.placeholder = QLabel(self.tr("Choose a conversation on the left"), self)
        self.placeholder.setObjectName("muted")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self.placeholder)
        self._stack.addWidget(content)
        self._content = content

    @property
    def showing(self) -> bool:
        """Whether a conversation (loaded, loading or unavailable) is on screen."""
        return self._stack.currentWidget() is self._content

    def show_loading(self, name: str) -> None:
        """A conversation was chosen and its detail is on the way."""
        self.detail = None
        self.title.setText(name)
        self.subtitle.setText(self.tr("Loading…"))
        self.thread_view.clear()
        self._stack.setCurrentWidget(self._content)

    def show_unavailable(self, name: str, message: str) -> None:
        """A conversation that cannot be shown (e.g. never opened here and offline)."""
        self.detail = None
        self.title.setText(name)
        self.subtitle.setText(message)
        self.thread_view.clear()
        self._stack.setCurrentWidget(self._content)

    def show_detail(
        self, detail: DetailView, *, stale: bool = False, fetched_at: datetime | None = None,
        partial: bool = False,
    ) -> None:
        """Shows a conversation; ``stale`` data says from when (``fetched_at``); ``partial``:
        only its summary and queued items are on this computer, and the thread says so."""
        self.detail = detail
        summary = detail.summary
        self.title.setText(summary.patient_name)
        parts = [labels.channel_label(summary.channel)]
        if summary.status == Status.ARCHIVED:
            parts.append(self.tr("Archived"))
        if stale and fetched_at is not None:
            parts.append(self.tr("data from {0}").format(labels.clock_time(fetched_at)))
        self.subtitle.setText(" · ".join(parts))
        self.pending_mark.setVisible(detail.pending)
        unread = summary.unread_count > 0
        self.read_button.setText(self.tr("Mark as read") if unread else self.tr("Mark as unread"))
        self.read_button.setIcon(assets.icon("read" if unread else "unread"))
        self.read_button.setToolTip("U")
        archived = summary.status == Status.ARCHIVED
        self.archive_button.setText(self.tr("Unarchive") if archived else self.tr("Archive"))
        self.archive_button.setIcon(assets.icon("unarchive" if archived else "archive"))
        self.archive_button.setToolTip("E")
        self.priority_box.setCurrentIndex(
            labels.PRIORITY_KEYS.index(Priority(summary.priority))
        )
        self.thread_view.show_notice(
            self.tr("Older messages are not available offline.") if partial else "")
        self.thread_view.show_detail(detail)
        self._stack.setCurrentWidget(self._content)

    def show_gone(self) -> None:
        """The conversation that was open before the lock no longer exists: an empty pane
        that says so (never another patient's conversation)."""
        self.clear()
        self.placeholder.setText(self.tr("The conversation that was open is no longer "
                                         "available."))

    def clear(self) -> None:
        """Back to "Choose a conversation" (nothing of a patient left on screen)."""
        self.detail = None
        self.thread_view.clear()
        self.placeholder.setText(self.tr("Choose a conversation on the left"))
        self._stack.setCurrentWidget(self.placeholder)
