"""The adapter between the client core and the Qt widgets (no business rules here).

The client publishes one "what changed" event (:class:`Change`) for every cause: a pending
action, a confirmation, a rollback, a live invalidation, a connection change. The bridge
turns each into the smallest update of the Qt model and into Qt signals the widgets listen
to; it re-reads through the client (served from its memory cache) instead of computing
anything itself. Async work runs as named tasks on the qasync loop: opening conversation B
cancels the load of A.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from PySide6.QtCore import QObject, Signal

from inbox_app.client import (
    Change,
    ClientError,
    ConversationView,
    DetailView,
    InboxClient,
    NotAvailableOffline,
    Snapshot,
    TransientError,
)
from inbox_app.contract.models import Patient, Priority, Status
from inbox_app.ui import labels
from inbox_app.ui.conversations.model import ConversationListModel
from inbox_app.ui.tasks import Tasks

log = logging.getLogger(__name__)

_LIST_CAUSES = frozenset(
    {"pending", "confirmed", "rolled_back", "failed", "server_update", "invalidated", "resync"}
)


class ClientBridge(QObject):
    """Owns the list model, the open conversation and the client subscription."""

    #: the list was (re)loaded: its snapshot (stale, fetched_at, offline)
    listLoaded = Signal(object)
    #: the open conversation: a Snapshot[DetailView]
    detailChanged = Signal(object)
    #: the open conversation could not be loaded: (conversation id, message)
    detailUnavailable = Signal(int, str)
    #: the patient of the open conversation: (Patient | None, note)
    patientChanged = Signal(object, str)
    #: "online" | "reconnecting" | "offline"
    connectionChanged = Signal(str)
    #: something pending changed (status bar): number of pending actions
    pendingChanged = Signal(int)
    #: a rollback or a failure to tell: (title, reason)
    problem = Signal(str, str)
    #: a patient wrote: (conversation id, patient name, preview)
    liveMessage = Signal(int, str, str)
    #: an older page of the open conversation: (conversation id, [Message], more older ones)
    olderLoaded = Signal(int, list, bool)
    #: the older page could not be loaded: (conversation id, what to say)
    olderUnavailable = Signal(int, str)
    #: the session ended on the server: the user must sign in again
    needsLogin = Signal()
    #: every Change handled (tests wait on it)
    changeHandled = Signal(object)

    def __init__(
        self, client: InboxClient, model: ConversationListModel, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.model = model
        self.tasks = Tasks()
        self.open_id: int | None = None
        self.list_snapshot: Snapshot[list[ConversationView]] | None = None
        self.detail_snapshot: Snapshot[DetailView] | None = None
        #: the open conversation shows only its summary and queued items (not on this computer)
        self.detail_partial = False
        self._dirty: set[int] = set()
        self._reload_all = False
        self._detail_dirty = False
        # a patient wrote (the client says so from the live event): (conversation id, text),
        # announced once the list holds the conversation
        self._arrivals: list[tuple[int, str]] = []
        # idle lock: the model is empty and no change refreshes it until unlock
        self.locked = False
        #: closed: the client's network is not started any more (:meth:`start_sync`)
        self.closed = False
        self._unsubscribe = client.subscribe(self._on_change)

    # --- life -----------------------------------------------------------------------------
    async def start(self) -> None:
        """Loads the list (from the cache at once when possible), then starts live sync."""
        await self.load_list()
        await self.start_sync()

    async def start_sync(self) -> None:
        """Starts the client's network side: live sync, outbox resend, revalidation
        (nothing once the bridge is closed)."""
        if self.closed:
            return
        await self.client.start()
        self.connectionChanged.emit(str(self.client.connection))

    async def close(self) -> None:
        """Stops listening to the client and cancels (and awaits) every running load."""
        self.closed = True
        self._unsubscribe()
        await self.tasks.cancel_all()

    def lock(self) -> None:
        """Idle lock: empties the model and the open conversation, and the client drops the
        decoded data it holds in memory."""
        self.locked = True
        self.open_id = None
        self.list_snapshot = None
        self.detail_snapshot = None
        self._dirty.clear()
        self._arrivals.clear()
        self._reload_all = self._detail_dirty = False
        self.model.replace_all([])
        self.client.lock()

    async def unlock(self, password: str) -> None:
        """Raises RejectedError for a wrong password (still locked); else reloads the list."""
        await self.client.unlock(password)
        self.locked = False
        await self.load_list()

    async def load_list(self) -> None:
        """Loads the whole list into the model; a failure becomes a :attr:`problem` toast."""
        try:
            snapshot = await self.client.conversations()
        except ClientError as exc:
            log.warning("conversation list not available: %s", exc)
            self.problem.emit(self.tr("Conversations not available"), _reason(exc))
            return
        if self.locked:
            return
        self.list_snapshot = snapshot
        self.model.replace_all(snapshot.value)
        self.listLoaded.emit(snapshot)

    # --- the open conversation -----------------------------------------------------------
    def open(self, conversation_id: int) -> None:
        """Shows a conversation; a load still running for another one is cancelled."""
        self.open_id = conversation_id
        self.detail_snapshot = None
        # Opening reads it (as Chatwoot and WhatsApp do), once per open: a later U (mark
        # unread) while it stays open is not undone, the detail reloads never mark again.
        self._mark_read(conversation_id)
        self.tasks.run(self._load_detail(conversation_id, with_patient=True),
                       name="open conversation", replace=True)

    def load_older(self, before: int) -> None:
        """Loads the messages of the open conversation older than id ``before`` (the
        ``before`` cursor); the answer comes as :attr:`olderLoaded` or :attr:`olderUnavailable`.
        """
        if self.open_id is None or self.locked:
            return
        self.tasks.run(self._load_older(self.open_id, before), name="older messages",
                       replace=True)

    async def _load_older(self, conversation_id: int, before: int) -> None:
        try:
            page = await self.client.older_page(conversation_id, before)
        except (TransientError, NotAvailableOffline):
            self.olderUnavailable.emit(
                conversation_id, self.tr("Older messages are not on this computer."))
            return
        except ClientError as exc:
            self.olderUnavailable.emit(conversation_id, _reason(exc))
            return
        if conversation_id == self.open_id and not self.locked:
            self.olderLoaded.emit(conversation_id, page.items, page.has_more)

    async def _load_detail(self, conversation_id: int, *, with_patient: bool) -> None:
        try:
            snapshot = await self.client.conversation(conversation_id)
        except NotAvailableOffline:
            # its summary (from the list), its queued notes and replies: what is true offline
            partial = self.client.summary_detail(conversation_id)
            listed = self.list_snapshot  # the summary comes from the list: so does its age
            if (partial is None or listed is None or conversation_id != self.open_id
                    or self.locked):
                self.detailUnavailable.emit(conversation_id, self.tr(
                    "Not available offline: never opened on this computer."))
                return
            self.detail_partial = True
            self.detail_snapshot = Snapshot(partial, True, listed.fetched_at, True)
            self.detailChanged.emit(self.detail_snapshot)
            if with_patient:
                await self._load_patient(partial.summary.patient_id)
            return
        except ClientError as exc:
            self.detailUnavailable.emit(conversation_id, _reason(exc))
            return
        if conversation_id != self.open_id or self.locked:
            return
        self.detail_partial = False
        self.detail_snapshot = snapshot
        self.detailChanged.emit(snapshot)
        if with_patient:
            await self._load_patient(snapshot.value.summary.patient_id)

    async def _load_patient(self, patient_id: int) -> None:
        self.patientChanged.emit(None, self.tr("Loading…"))
        try:
            snapshot: Snapshot[Patient] = await self.client.patient(patient_id)
        except NotAvailableOffline:
            self.patientChanged.emit(None, self.tr("Not available offline"))
            return
        except ClientError as exc:
            self.patientChanged.emit(None, _reason(exc))
            return
        if self.locked:
            return
        note = (
            self.tr("data from {0}").format(labels.clock_time(snapshot.fetched_at))
            if snapshot.stale else ""
        )
        self.patientChanged.emit(snapshot.value, note)

    # --- actions (return at once; the client shows them pending) ---------------------------
    def toggle_read(self) -> str | None:
        """Marks the open conversation read, or unread when it has nothing unread (what its
        button says). The mutation id, or None when nothing is open."""
        view = self._open_view()
        if view is None:
            return None
        if view.summary.unread_count > 0:
            return self.client.mark_read(view.summary.id)
        return self.client.mark_unread(view.summary.id)

    def toggle_archive(self) -> str | None:
        """Archives the open conversation, or unarchives it; the mutation id or None."""
        view = self._open_view()
        if view is None:
            return None
        if view.summary.status == Status.ARCHIVED:
            return self.client.unarchive(view.summary.id)
        return self.client.archive(view.summary.id)

    def set_priority(self, priority: Priority) -> str | None:
        """Sets the open conversation's priority; None when nothing is open or it is already
        that priority."""
        view = self._open_view()
        if view is None or view.summary.priority == priority:
            return None
        return self.client.set_priority(view.summary.id, priority)

    def compose(self, kind: str, text: str) -> str | None:
        """Adds an internal note (``kind == "note"``) or replies to the patient in the open
        conversation; the mutation id, or None when nothing is open."""
        if self.open_id is None:
            return None
        if kind == "note":
            return self.client.add_note(self.open_id, text)
        mutation_id = self.client.reply(self.open_id, text)
        self._mark_read(self.open_id)  # answering the patient is reading them
        return mutation_id

    def retry(self, mutation_id: str) -> None:
        """Sends a failed note or reply again."""
        self.client.retry(mutation_id)

    def discard(self, mutation_id: str) -> None:
        """Drops a failed note or reply."""
        self.client.discard(mutation_id)

    def resend(self, message_id: int) -> str | None:
        """Sends again a reply of the open conversation whose delivery failed."""
        if self.open_id is None:
            return None
        return self.client.resend_reply(self.open_id, message_id)

    def _mark_read(self, conversation_id: int) -> str | None:
        """Marks a conversation read through the optimistic engine when it has unread
        messages; the mutation id, or None when there was nothing to mark."""
        view = self.model.view_of(conversation_id)
        if view is None or view.summary.unread_count == 0:
            return None
        return self.client.mark_read(conversation_id)

    def _open_view(self) -> ConversationView | None:
        if self.open_id is None:
            return None
        return self.model.view_of(self.open_id)

    # --- the change feed ------------------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        """Called by the client on the loop thread: schedule the refresh, never block."""
        if change.cause == "connection":
            if change.reason == "unauthorized":
                self.needsLogin.emit()
            else:
                self.connectionChanged.emit(str(self.client.connection))
            self.changeHandled.emit(change)
            return
        if self.locked:  # nothing about patients on screen: unlock reloads everything
            self.pendingChanged.emit(self.client.pending_count())
            self.changeHandled.emit(change)
            return
        if change.cause == "rolled_back" and change.reason is not None:
            # (a rollback without a reason is the user's own Discard: nothing to announce)
            view = self.model.view_of(next(iter(change.conversation_ids), 0))
            name = view.summary.patient_name if view else ""
            self.problem.emit(
                self.tr("{0} undone: {1}").format(labels.action_label(change.action), name),
                labels.refusal(change.reason_code, change.reason),
            )
        elif change.cause == "failed" and change.action in ("add_note", "reply"):
            view = self.model.view_of(next(iter(change.conversation_ids), 0))
            name = view.summary.patient_name if view else ""
            self.problem.emit(
                self.tr("{0} not sent: {1}").format(labels.action_label(change.action), name),
                labels.refusal(change.reason_code, change.reason) if change.reason else "",
            )
        if change.patient_wrote is not None:
            self._arrivals += [(cid, change.patient_wrote) for cid in change.conversation_ids]
        if change.cause in _LIST_CAUSES:
            if change.conversation_ids and change.cause != "resync":
                self._dirty |= change.conversation_ids
            else:
                self._reload_all = True
            if self.open_id is not None and (
                self.open_id in change.conversation_ids or not change.conversation_ids
            ):
                self._detail_dirty = True
            if not self.tasks.running("refresh"):
                self.tasks.run(self._refresh(change), name="refresh")
        self.pendingChanged.emit(self.client.pending_count())

    async def _refresh(self, first: Change) -> None:
        """Applies every change that arrived meanwhile in one pass (coalesced)."""
        last = first
        try:
            while self._dirty or self._reload_all or self._detail_dirty:
                dirty, self._dirty = self._dirty, set()
                reload_all, self._reload_all = self._reload_all, False
                detail_dirty, self._detail_dirty = self._detail_dirty, False
                arrivals, self._arrivals = self._arrivals, []
                if dirty or reload_all:
                    await self._refresh_list(dirty, reload_all)
                self._announce(arrivals)
                if detail_dirty and self.open_id is not None:
                    await self._load_detail(self.open_id, with_patient=False)
                await asyncio.sleep(0)  # let changes that arrived meanwhile join this pass
        finally:
            self.pendingChanged.emit(self.client.pending_count())
            self.changeHandled.emit(last)

    async def _refresh_list(self, dirty: set[int], reload_all: bool) -> None:
        try:
            snapshot = await self.client.conversations()
        except ClientError as exc:
            log.info("list refresh failed: %s", exc)
            return
        if self.locked:
            return
        self.list_snapshot = snapshot
        if reload_all:
            shown = self.model.ids()
            self.model.upsert_many(snapshot.value)
            known = {v.summary.id for v in snapshot.value}
            for cid in [c for c in shown if c not in known]:
                self.model.remove(cid)
        else:
            found = [v for v in snapshot.value if v.summary.id in dirty]
            self.model.upsert_many(found)
            for cid in dirty - {v.summary.id for v in found}:
                self.model.remove(cid)
        self.listLoaded.emit(snapshot)

    def _announce(self, arrivals: list[tuple[int, str]]) -> None:
        """Tells that a patient wrote, once per message, by the name the list now holds."""
        if self.locked:
            return
        for conversation_id, text in arrivals:
            view = self.model.view_of(conversation_id)
            name = view.summary.patient_name if view is not None else ""
            self.liveMessage.emit(conversation_id, name, text)


def _reason(exc: BaseException) -> str:
    message: Any = getattr(exc, "message", None)
    return str(message or exc)
