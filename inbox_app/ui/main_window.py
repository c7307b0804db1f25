"""The main window: list on the left, conversation in the middle, patient card on the right.

It lays the widgets out, binds the keyboard and connects widget requests to the bridge;
the bridge talks to the client.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from PySide6.QtCore import QLocale, QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from inbox_app.client import (
    ClientError,
    PendingActionsError,
    RejectedError,
    Snapshot,
    TooManyAttemptsError,
)
from inbox_app.client.actions.waiting import waiting
from inbox_app.client.reads.listing import Filter
from inbox_app.ui import assets, labels
from inbox_app.ui.bridge import ClientBridge
from inbox_app.ui.conversations.list_panel import ConversationList
from inbox_app.ui.conversations.pane import ConversationPane
from inbox_app.ui.conversations.patient_card import PatientCard
from inbox_app.ui.keys import KeyRouter
from inbox_app.ui.menus import Menus
from inbox_app.ui.notifications import Notifier
from inbox_app.ui.privacy import (
    IdleWatcher,
    LockScreen,
    Parked,
    UnsentDialog,
    lock_seconds,
    park,
)
from inbox_app.ui.resign_in import Renewal
from inbox_app.ui.tray import Tray
from inbox_app.ui.undo import UndoOffer, undoable
from inbox_app.ui.widgets.feedback import OfflineBanner, Toast, Toasts
from inbox_app.ui.widgets.status_bar import StatusBar

log = logging.getLogger(__name__)

SPLITTER_KEY = "window/splitter"
CARD_KEY = "window/patient_card"


def _int_list(value: object) -> list[int]:
    """A remembered list of sizes (QSettings may hand back strings); [] when unusable."""
    if not isinstance(value, (list, tuple)):
        return []
    try:
        return [max(0, int(v)) for v in value]
    except (TypeError, ValueError):
        return []


class MainWindow(QMainWindow):
    """The inbox window of one signed-in receptionist."""

    #: a desktop notification was handed to the desktop: (title, message)
    notified = Signal(str, str)
    #: the window was closed by the user
    closed = Signal()
    # locked (True) after the idle time or by the user, unlocked (False) with the password
    lockChanged = Signal(bool)

    def __init__(self, bridge: ClientBridge, parent: QWidget | None = None, *,
                 lock_after: float | None = None) -> None:
        """``lock_after``: idle seconds before the lock (default: :func:`lock_seconds`)."""
        super().__init__(parent)
        self.bridge = bridge
        session = bridge.client.session
        self._title = self.tr("Clinic Inbox — {0} · {1}").format(
            session.clinic.name, session.user.name)
        self.setWindowTitle(self._title)
        # "(12) Clinic Inbox — …": the conversations with unread messages, as WhatsApp Web
        bridge.model.countsChanged.connect(self._show_unread_count)
        self.setWindowIcon(assets.icon("app"))
        self.resize(1280, 760)

        self.banner = OfflineBanner(self)
        self.conversations = ConversationList(bridge.model, self)
        self.pane = ConversationPane(self)
        self.patient = PatientCard(self)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.conversations)
        splitter.addWidget(self.pane)
        splitter.addWidget(self.patient)
        splitter.setObjectName("mainSplitter")
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 0)
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        # the list column is resizable and the sizes are remembered; the card can collapse
        settings = QSettings()
        sizes = _int_list(settings.value(SPLITTER_KEY))
        splitter.setSizes(sizes if len(sizes) == 3 and all(sizes[:2]) else [360, 640, 220])
        splitter.splitterMoved.connect(lambda *_: self._remember_layout())
        card_shown = str(settings.value(CARD_KEY, "true")).lower() != "false"
        self.pane.card_button.setChecked(card_shown)
        self.patient.setVisible(card_shown)
        self.pane.cardToggled.connect(self._show_card)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        # the inbox and, while locked, the lock screen in its place (issue 7)
        self.lock_screen = LockScreen(session.user.name, self)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(central)
        self.pages.addWidget(self.lock_screen)
        self.inbox_page = central
        self.setCentralWidget(self.pages)
        self.toasts = Toasts(central)
        self.undo = UndoOffer(self.toasts, self)
        self.signed_out = False
        self._parked: Parked | None = None
        self.unsent_dialog: UnsentDialog | None = None
        self.idle = IdleWatcher(
            lock_seconds(lock_after, minutes=bridge.client.preferences.lock_minutes), self)
        self.idle.idle.connect(self.lock)
        self.lock_screen.unlockRequested.connect(self._unlock)
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self._was_online = False
        # "being told" (issue 13): the desktop's notifications, and a tray icon where there is
        # a tray (its balloon only where the desktop's notification service is missing)
        self.notifier = Notifier(lambda: bridge.client.preferences.notification_privacy,
                                 parent=self)
        self.notifier.clicked.connect(self.show_conversation)
        self.notifier.shown.connect(self.notified)
        self.tray: Tray | None = None
        if Tray.available():
            self.use_tray(Tray(self))

        self._connect()
        self._bind_keys()
        self.menus = Menus(self, lock_after=lock_after)
        self.idle.start()

    # --- wiring ---------------------------------------------------------------------------
    def _connect(self) -> None:
        b = self.bridge
        self.conversations.conversationSelected.connect(self._open)
        b.detailChanged.connect(self._show_detail)
        b.detailUnavailable.connect(self._show_unavailable)
        b.patientChanged.connect(lambda p, note: self.patient.show_patient(p, note=note))
        b.connectionChanged.connect(self._show_connection)
        b.listLoaded.connect(lambda _snap: self._show_connection(str(b.client.connection)))
        b.listLoaded.connect(lambda _snap: self.show_waiting())
        b.pendingChanged.connect(lambda _count: self.show_waiting())
        b.problem.connect(self.toasts.show_toast)
        b.liveMessage.connect(self._live_message)
        # the session ended on the server: the password, over the window (issue 13)
        self.renewal = Renewal(self)
        b.needsLogin.connect(self.renewal.ask)
        self.pane.actionRequested.connect(self._action)
        self.pane.composed.connect(b.compose)
        self.pane.retryRequested.connect(b.retry)
        self.pane.discardRequested.connect(b.discard)
        self.pane.resendRequested.connect(b.resend)
        self.pane.thread_view.olderRequested.connect(b.load_older)
        b.olderLoaded.connect(self._older_loaded)
        b.olderUnavailable.connect(self._older_unavailable)

    def _older_loaded(self, cid: int, messages: list[Any], more: bool) -> None:
        if cid == self.bridge.open_id:
            self.pane.thread_view.add_older(messages, more)

    def _older_unavailable(self, cid: int, text: str) -> None:
        if cid == self.bridge.open_id:
            self.pane.thread_view.older_unavailable(text)

    def _bind_keys(self) -> None:
        def key(sequence: str, slot: Any) -> None:
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.activated.connect(slot)

        key("Ctrl+F", self.conversations.focus_search)
        key("Up", lambda: self.conversations.move_selection(-1))
        key("Down", lambda: self.conversations.move_selection(1))
        key("Ctrl+Z", self.undo.undo)  # text fields keep their own Ctrl+Z
        # E, U, 1–4 and type-to-compose: only where the receptionist is looking (keys.py)
        self.keys = KeyRouter(
            areas=lambda: [self.conversations, self.pane],
            conversation_shown=self._conversation_shown,
            composer=lambda: self.pane.composer.text,
            search=lambda: self.conversations.search,
            escape=self.conversations.clear_search,
            parent=self,
        )
        self.keys.shortcut.connect(self._shortcut)

    def _show_card(self, shown: bool) -> None:
        self.patient.setVisible(shown)
        self._remember_layout()

    def _remember_layout(self) -> None:
        settings = QSettings()
        sizes = self.splitter.sizes()
        if all(sizes[:2]):
            settings.setValue(SPLITTER_KEY, sizes)
        settings.setValue(CARD_KEY, "true" if self.pane.card_button.isChecked() else "false")

    def _conversation_shown(self) -> bool:
        """A conversation is open and on screen (the single-letter shortcuts act on it)."""
        return (self.bridge.open_id is not None and not self.locked
                and self.pane.showing and self.pane.isVisible())

    def _shortcut(self, action: str, argument: object) -> None:
        if action == "priority":
            argument = labels.PRIORITY_KEYS[int(argument)]  # type: ignore[call-overload]
        self._action(action, argument)

    # --- data protection (issue 7) --------------------------------------------------------
    @property
    def locked(self) -> bool:
        """Whether the lock screen hides the inbox."""
        return self.pages.currentWidget() is self.lock_screen

    def lock(self) -> None:
        """Hides every patient detail behind the lock screen and clears what is in memory."""
        if self.locked:
            return
        self.idle.stop()
        self.pages.setCurrentWidget(self.lock_screen)
        self.menuBar().setEnabled(False)
        self.undo.withdraw()
        for toast in self.inbox_page.findChildren(Toast):
            toast.close()  # a rollback toast names a patient
        self.menus.close_windows()
        self.renewal.close()  # the lock screen's password renews the session too
        self._parked = park(self.pane, self.bridge.open_id)
        self.conversations.forget()
        self.pane.clear()
        self.patient.show_patient(None)
        self.conversations.search.clear()
        self.bridge.lock()
        self.lock_screen.reset()
        self.lockChanged.emit(True)

    def _unlock(self, password: str) -> None:
        self.bridge.tasks.run(self._try_unlock(password), name="unlock", replace=True)

    async def _try_unlock(self, password: str) -> None:
        try:
            await self.bridge.unlock(password)
        except TooManyAttemptsError as exc:
            if exc.retry_after is None:
                self.lock_screen.reset(self.tr(
                    "Too many wrong passwords. Connect to the server to unlock."))
            else:
                self.lock_screen.reset(self.tr(
                    "Too many wrong passwords. Try again in %n second(s).", "",
                    math.ceil(exc.retry_after)))
            return
        except RejectedError:
            self.lock_screen.reset(self.tr("Wrong password."))
            return
        except ClientError as exc:
            self.lock_screen.reset(str(exc))
            return
        self.pages.setCurrentWidget(self.inbox_page)
        self.menuBar().setEnabled(True)
        self._unpark()
        self.idle.start()
        self.lockChanged.emit(False)
        self.renewal.unlocked()

    def _unpark(self) -> None:
        """The same patient, the same draft: what the lock put aside comes back."""
        parked, self._parked = self._parked, None
        if parked is None or parked.conversation_id is None:
            return
        if not self.conversations.reopen(parked.conversation_id):
            self.pane.show_gone()
            return
        composer = self.pane.composer
        composer.set_kind(parked.kind)
        composer.text.setPlainText(parked.draft)
        if parked.scroll is not None:
            self.pane.thread_view.restore_scroll(parked.scroll)
        if parked.composer_focus:
            composer.text.setFocus(Qt.FocusReason.OtherFocusReason)

    async def sign_out(self) -> bool:
        """Signs out, deleting this user's local data; actions not sent yet go out first or
        the user chooses (send / discard / stay). True when signed out."""
        client = self.bridge.client
        discard = False
        count = client.unsent_count()
        if count:
            self.unsent_dialog = UnsentDialog(count, self)
            choice = await self.unsent_dialog.choose()
            self.unsent_dialog.deleteLater()
            self.unsent_dialog = None
            if choice == "keep":
                return False
            discard = choice == "discard"
        self.status.showMessage(self.tr("Signing out…"))
        try:
            await client.logout(discard_pending=discard)
        except PendingActionsError as exc:
            self.status.clearMessage()
            box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Sign out"), self.tr(
                "%n action(s) could not be sent; you are still signed in.", "", exc.count),
                QMessageBox.StandardButton.Ok, self)
            box.open()
            return False
        self.signed_out = True
        self.close()
        return True

    # --- slots ----------------------------------------------------------------------------
    def _open(self, conversation_id: int) -> None:
        view = self.bridge.model.view_of(conversation_id)
        self.pane.show_loading(view.summary.patient_name if view else "")
        self.patient.show_patient(None)
        self.bridge.open(conversation_id)

    def _show_detail(self, snapshot: Snapshot[Any]) -> None:
        if snapshot.value.summary.id != self.bridge.open_id:
            return
        self.pane.show_detail(snapshot.value, stale=snapshot.stale, fetched_at=snapshot.fetched_at,
                              partial=self.bridge.detail_partial)

    def _show_unavailable(self, conversation_id: int, message: str) -> None:
        if conversation_id != self.bridge.open_id:
            return
        view = self.bridge.model.view_of(conversation_id)
        self.pane.show_unavailable(view.summary.patient_name if view else "", message)

    def _action(self, action: str, argument: object) -> None:
        if self.bridge.open_id is None:
            return
        before = self.bridge.model.view_of(self.bridge.open_id)
        done: str | None = None
        if action == "toggle_read":
            done = self.bridge.toggle_read()
        elif action == "toggle_archive":
            # the archived row leaves the list: the next one below it opens
            self.conversations.follow_next(self.bridge.open_id)
            done = self.bridge.toggle_archive()
        elif action == "priority":
            done = self.bridge.set_priority(argument)  # type: ignore[arg-type]
        if done is not None and before is not None:
            offer = undoable(self.bridge.client, before, action, argument)
            if offer is not None:
                self.undo.offer(offer, before.summary.patient_name)

    def _show_connection(self, state: str) -> None:
        self.status.set_connection(state)
        snapshot = self.bridge.list_snapshot
        if state == "online" or self.bridge.client.needs_login:  # (the prompt says why)
            self._was_online = True
            self.banner.hide()
            return
        if state == "reconnecting" and not self._was_online and not (
            snapshot is not None and snapshot.offline
        ):
            return  # the first connection is still being made: no banner flash at start
        self.banner.show_offline(
            snapshot.fetched_at if snapshot else None, reconnecting=state == "reconnecting"
        )

    def _show_unread_count(self) -> None:
        unread = self.bridge.model.count(Filter.UNREAD)
        self.setWindowTitle(f"({QLocale().toString(unread)}) {self._title}" if unread
                            else self._title)
        if self.tray is not None:
            self.tray.set_unread(unread)

    def show_waiting(self) -> None:
        """The status bar (and the password prompt) say what waits to be sent."""
        client = self.bridge.client
        self.status.set_waiting(waiting(client.pending()))
        self.renewal.waiting_changed()

    def _live_message(self, conversation_id: int, name: str, preview: str) -> None:
        if self.isActiveWindow() or self.locked:
            return
        self.notifier.notify(conversation_id, name, preview)
        QApplication.alert(self)

    # --- issue 13: the tray, signing in again, preferences --------------------------------
    def use_tray(self, tray: Tray) -> None:
        """Shows ``tray`` with the unread count; its menu opens, locks or quits."""
        self.tray = self.notifier.tray = tray
        tray.openRequested.connect(self._bring_to_front)
        tray.lockRequested.connect(self.lock)
        tray.quitRequested.connect(self.close)
        tray.messageClicked.connect(self.show_conversation)
        self.lockChanged.connect(tray.set_locked)
        tray.set_unread(self.bridge.model.count(Filter.UNREAD))
        tray.show()

    def show_conversation(self, conversation_id: int) -> None:
        """Brings the window forward with ``conversation_id`` open (a notification was
        clicked); locked, the lock screen comes forward and asks for the password first."""
        self._bring_to_front()
        if not self.locked:
            self.conversations.reopen(conversation_id)

    def sign_out_later(self) -> None:
        """Signs out in the background (a menu entry, a dialog's button)."""
        self.bridge.tasks.run(self.sign_out(), name="sign out", replace=True)

    def _bring_to_front(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.idle.remove()
        self.notifier.close()
        self.keys.detach()
        self.menus.close_windows()
        if self.tray is not None:
            self.tray.hide()
        self.closed.emit()
        super().closeEvent(event)

