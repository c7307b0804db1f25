"""Undo of the last toggle (issue 12): archive, unarchive, priority, read and unread.

After each of those actions a toast says what was done ("Arquivada — Desfazer") for a few
seconds; its button, or Ctrl+Z while it shows, sends the inverse action. The inverse is a
new action through the client's optimistic engine, not a rollback: it shows at once, waits
in the outbox while offline, and also undoes an action the server already confirmed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Signal

from inbox_app.client import ConversationView, InboxClient
from inbox_app.contract.models import Priority, Status
from inbox_app.ui import labels
from inbox_app.ui.widgets.feedback import Toast, Toasts

log = logging.getLogger(__name__)

UNDO_MS = 6000


translate = QCoreApplication.translate


@dataclass(frozen=True)
class Undoable:
    """What was done to one conversation, and the action that reverses it."""

    title: str
    conversation_id: int
    inverse: Callable[[], str]


def undoable(
    client: InboxClient, before: ConversationView, action: str, argument: object = None
) -> Undoable | None:
    """The undo of ``action`` ("toggle_archive", "toggle_read", "priority") applied to the
    conversation as it was ``before``; None when the action changed nothing."""
    summary = before.summary
    cid = summary.id
    if action == "toggle_archive":
        if summary.status == Status.ARCHIVED:
            return Undoable(translate("Undo", "Unarchived"), cid, lambda: client.archive(cid))
        return Undoable(translate("Undo", "Archived"), cid, lambda: client.unarchive(cid))
    if action == "toggle_read":
        if summary.unread_count > 0:
            title = translate("Undo", "Marked as read")
            return Undoable(title, cid, lambda: client.mark_unread(cid))
        title = translate("Undo", "Marked as unread")
        return Undoable(title, cid, lambda: client.mark_read(cid))
    if action == "priority" and argument is not None:
        old = Priority(summary.priority)
        if Priority(str(argument)) == old:
            return None
        new = labels.priority_label(Priority(str(argument)))
        title = translate("Undo", "Priority: {0}").format(new)
        return Undoable(title, cid, lambda: client.set_priority(cid, old))
    return None


class UndoOffer(QObject):
    """The one action that can be undone now: shown in a toast with an Undo button."""

    # the inverse action was sent: its mutation id
    undone = Signal(str)

    def __init__(self, toasts: Toasts, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._toasts = toasts
        self._offer: Undoable | None = None
        self._toast: Toast | None = None

    @property
    def available(self) -> bool:
        """Whether an action can be undone now (its toast is still showing)."""
        return self._offer is not None

    def offer(self, done: Undoable, name: str) -> None:
        """Shows the toast of ``done`` (``name``: the patient), replacing any earlier offer."""
        self.withdraw()
        self._offer = done
        toast = self._toasts.show_toast(
            done.title, name, duration_ms=UNDO_MS, action=translate("Undo", "Undo"),
            on_action=self.undo, icon=None)
        self._toast = toast
        toast.destroyed.connect(lambda *_: self._expired(toast))

    def undo(self) -> str | None:
        """Sends the inverse action (once); its mutation id, or None when nothing to undo."""
        offer, self._offer = self._offer, None
        if offer is None:
            return None
        if self._toast is not None:
            self._toasts.dismiss(self._toast)
            self._toast = None
        mutation_id = offer.inverse()
        log.info("undo sent as a new action")
        self.undone.emit(mutation_id)
        return mutation_id

    def withdraw(self) -> None:
        """Drops the offer and its toast (a newer action, the lock)."""
        self._offer = None
        if self._toast is not None:
            self._toasts.dismiss(self._toast)
            self._toast = None

    def _expired(self, toast: Toast) -> None:
        if toast is self._toast:
            self._toast = None
            self._offer = None
