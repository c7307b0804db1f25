"""The facade the UI codes against (INTERFACES.md section C): :class:`InboxClient`.

A facade: it wires the rooms together and delegates to the objects that own their state —
:class:`~inbox_app.client.net.api.Api` (HTTP), :class:`~inbox_app.client.reads.cache.LocalCache`
(memory + disk), :class:`~inbox_app.client.actions.engine.MutationEngine` (optimistic engine +
outbox), :class:`~inbox_app.client.net.sync.Sync` (the live socket, reachability,
re-reads of what went stale),
:class:`~inbox_app.client.session.sign_in.SignIn` (the session, its remembered login, the
offline unlock verifier) and :class:`~inbox_app.client.security.protection.Protection` (idle
lock, logout). Reads are served at once from the cache when possible (fresh, or stale with a
background revalidation), else from the network; every change, whatever its cause, reaches
subscribers as one :class:`Change`.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from inbox_app.client import preferences
from inbox_app.client.actions.commands import Actions
from inbox_app.client.actions.engine import Answer, MutationEngine, RetryPolicy
from inbox_app.client.actions.outbox import Outbox
from inbox_app.client.actions.record import Mutation
from inbox_app.client.files.folders import Folders
from inbox_app.client.net.api import Api
from inbox_app.client.net.live import PING_INTERVAL, PING_TIMEOUT, LiveListener
from inbox_app.client.net.sync import Sync
from inbox_app.client.preferences import Preferences
from inbox_app.client.reads.cache import LocalCache
from inbox_app.client.reads.prefetch import Prefetcher, PrefetchSettings
from inbox_app.client.reads.repository import Repository
from inbox_app.client.reads.rows import Rows
from inbox_app.client.security.codec import Codec
from inbox_app.client.security.keystore import KeyStore, user_name
from inbox_app.client.security.protection import (
    LOGOUT_SEND_SECONDS,
    Protection,
    sealed_codecs,
    user_keystore,
)
from inbox_app.client.session.remembered import SessionStoreLike, sealed_session_store
from inbox_app.client.session.sign_in import (
    CodecFactory,
    Opening,
    Places,
    SignIn,
    StoreFactory,
    log_in,
    resume_remembered,
)
from inbox_app.client.session.unlock import UnlockVerifier
from inbox_app.client.views import (
    Change,
    ConnectionState,
    ConversationView,
    DetailView,
    Snapshot,
)
from inbox_app.contract.metrics import ServerMetrics
from inbox_app.contract.models import (
    ConversationDetail,
    ConversationList,
    Message,
    MessagesPage,
    Patient,
    UserSession,
)
from inbox_app.contract.policy import (
    POLICY,
    CacheKind,
    KindPolicy,
    detail_key,
    list_key,
    patient_key,
)

log = logging.getLogger(__name__)


class InboxClient(Actions):
    """Everything the desktop app does except drawing. Create with :meth:`login`/:meth:`resume`.

    Signing in is :attr:`sign_in`'s (:class:`SignIn`); the sealed storage, idle lock and
    logout are :attr:`protection`'s (:class:`Protection`, issue 7)."""

    def __init__(
        self,
        api: Api,
        session: UserSession,
        folders: Folders,
        *,
        policy: dict[CacheKind, KindPolicy] | None = None,
        codec: Codec | None = None,
        outbox_codec: Codec | None = None,
        retry: RetryPolicy | None = None,
        max_stale: float | None = None,
        ping_interval: float = PING_INTERVAL,
        ping_timeout: float = PING_TIMEOUT,
        live_backoff_cap: float = 30.0,
        deferred_fsync: bool = True,
        session_store: SessionStoreLike | None = None,
        keystore: KeyStore | None = None,
        prefetch: PrefetchSettings | None = None,
    ) -> None:
        """Without ``codec``/``outbox_codec`` everything is sealed with the user's key
        (``keystore``, default the user's :class:`KeyStore`); pass ``JsonCodec()`` for the
        unprotected plain form (tests' control case, benchmarks).

        ``deferred_fsync`` (default on): an action's outbox record is written and renamed into
        place before its pending state shows, which is what survives a crash or kill -9 of the
        app (ARCHITECTURE.md section 7); the flush to the platter follows on a background
        thread within milliseconds. Flushing first costs 3 ms at p99 here (6 ms on a loaded
        box) for every click, to cover only a power cut in that window
        (tests/benchmarks/README.md, client core).

        ``prefetch``: how much is loaded ahead of the user's opens (issue 14; the defaults of
        :class:`PrefetchSettings`, ``PrefetchSettings(enabled=False)`` for none).

        ``max_stale``: seconds; None takes the user's preference (7 days by default)."""
        self.api = api
        self.folders = folders
        self.clinic_id = session.clinic.id
        user_id = session.user.id
        self.keystore = keystore or user_keystore(api.server_url, folders, user_id)
        codec, outbox_codec = sealed_codecs(self.keystore, codec, outbox_codec)
        self._preferences_file = folders.preferences_file(user_id)
        self.preferences = preferences.load(self._preferences_file)
        if max_stale is None:
            max_stale = self.preferences.max_stale_seconds
        self.sign_in = SignIn(
            api, session, session_store or sealed_session_store(api.server_url, folders),
            UnlockVerifier(folders.unlock_file(user_id), self.keystore.codec("unlock"),
                           user=user_name(user_id)))
        self.cache = LocalCache(folders.user_cache(user_id), policy=policy or dict(POLICY),
                                codec=codec, max_stale=max_stale)
        self.outbox = Outbox(folders.outbox(user_id), codec=outbox_codec,
                             deferred_fsync=deferred_fsync)
        self.engine = MutationEngine(
            api, self.outbox, emit=self._emit, policy=retry,
            on_confirmed=self._confirmed, on_offline=self._went_offline,
            on_unauthorized=self._unauthorized)
        self.engine.load()
        self.sync = Sync(api, self.cache, self.engine, clinic_id=self.clinic_id,
                         emit=self._emit, unauthorized=self._unauthorized,
                         ping_interval=ping_interval, ping_timeout=ping_timeout,
                         backoff_cap=live_backoff_cap)
        self._subscribers: list[Callable[[Change], None]] = []
        self.rows = Rows(self.cache, self.engine, clinic_id=self.clinic_id, want=self.sync.want)
        self.repo = Repository(
            self.cache, self.engine, emit=self._emit,
            trusted=self.sync.trusted, offline=self.sync.offline, stale=self.sync.want,
            unauthorized=self._unauthorized)
        self.protection = Protection(self.keystore, self.cache, self.engine, self.sign_in,
                                     folders.user_data(user_id), on_lock=self.rows.forget)
        self.sync.attach(self.repo)
        self.prefetch = Prefetcher(self.repo, api, self.engine, clinic_id=self.clinic_id,
                                   may_run=self._may_prefetch, settings=prefetch)
        self._subscribers.append(self.prefetch.on_change)  # online, resync: plan again
        self.sync.reachability.subscribe(self._reachability_changed)
        self.needs_login = False
        self._started = False
        self._closed = False

    # --- signing in ----------------------------------------------------------------------

    @classmethod
    async def login(cls, server_url: str, email: str, password: str, *,
                    data_dir: Path | None = None, cache_dir: Path | None = None,
                    codec_factory: CodecFactory | None = None,
                    outbox_codec_factory: CodecFactory | None = None,
                    session_store_factory: StoreFactory | None = None,
                    **options: Any) -> InboxClient:
        """Logs in (raises RejectedError/UnauthorizedError with the server's message, code
        "keystore" when the OS keyring holds the key but cannot be read). The folders and
        factories are :class:`Places`' (None: sealed with the user's key, token in the
        keyring); ``options`` go to the constructor."""
        places = Places(data_dir, cache_dir, codec_factory, outbox_codec_factory,
                        session_store_factory)
        return await log_in(lambda opening: cls._open(opening, options), server_url, email,
                            password, places)

    @classmethod
    async def resume(cls, server_url: str, *, data_dir: Path | None = None,
                     cache_dir: Path | None = None, codec_factory: CodecFactory | None = None,
                     outbox_codec_factory: CodecFactory | None = None,
                     session_store_factory: StoreFactory | None = None,
                     **options: Any) -> InboxClient | None:
        """The remembered session of ``server_url``, without the network (works offline);
        None when none is usable. The factories and options are those of :meth:`login`."""
        places = Places(data_dir, cache_dir, codec_factory, outbox_codec_factory,
                        session_store_factory)
        return await resume_remembered(lambda opening: cls._open(opening, options),
                                       server_url, places)

    @classmethod
    def _open(cls, opening: Opening, options: dict[str, Any]) -> InboxClient:
        client = cls(opening.api, opening.session, opening.folders, policy=opening.policy,
                     codec=opening.codec, outbox_codec=opening.outbox_codec,
                     session_store=opening.store, **options)
        client._reachable = opening.reachable  # resumed: nothing is fresh until it answers
        return client

    @property
    def session(self) -> UserSession:
        """The signed-in user's session (renewed by :meth:`reauthenticate` and unlock)."""
        return self.sign_in.session

    async def reauthenticate(self, password: str) -> None:
        """Logs the same user in again after :attr:`needs_login` (expired or ended session);
        the outbox and live sync resume. Raises RejectedError for a wrong password."""
        await self.sign_in.renew(password)
        self._resume_after_login()
        self._emit(Change("connection", reason=self.live.state.value))

    def _resume_after_login(self) -> None:
        """The outbox and live sync paused by an ended session go on."""
        self.needs_login = False
        self.engine.set_online(True)
        self.live.poke()

    def set_preferences(self, chosen: Preferences) -> None:
        """Saves the user's settings and applies the client's own at once (max-stale); the
        window applies the others (lock minutes, notifications, language)."""
        preferences.save(self._preferences_file, chosen)
        self.preferences = chosen
        self.cache.max_stale = chosen.max_stale_seconds

    # --- data protection -----------------------------------------------------------------

    @property
    def locked(self) -> bool:
        """Whether the idle lock holds (:meth:`Protection.lock`)."""
        return self.protection.locked

    def lock(self) -> None:
        """Idle lock: no decoded model stays in memory until :meth:`unlock`."""
        self.protection.lock()

    async def unlock(self, password: str) -> None:
        """Unlocks with the password (:meth:`Protection.unlock`); RejectedError if wrong."""
        if await self.protection.unlock(password) and self.needs_login:
            self._resume_after_login()
        self.prefetch.resume()

    def unsent_count(self) -> int:
        """Actions that logging out would lose: pending and failed ones."""
        return self.protection.unsent_count()

    async def logout(self, *, discard_pending: bool = False,
                     send_within: float = LOGOUT_SEND_SECONDS) -> None:
        """Ends the session and leaves no file or key of this user on the machine (issue 7).

        Unsent actions go out first, within ``send_within`` seconds; if some are still unsent
        it raises :class:`PendingActionsError` and changes nothing (the UI asks: wait,
        ``discard_pending=True``, or stay). Then the server session ends, the remembered
        login is forgotten, and the cache and data folders and the user's key are deleted."""
        if self.engine.pending and not discard_pending:
            await self.start()
            await self.protection.send_pending(send_within)
        await self.sign_in.end()
        await self._stop(destroy_cache=True)
        self.protection.erase()

    # --- life cycle ----------------------------------------------------------------------

    async def start(self) -> None:
        """Live sync, outbox resend, background revalidation."""
        if self._started:
            return
        self._started = True
        self.engine.start()
        await self.sync.start()
        self.prefetch.start()

    async def close(self) -> None:
        """Stops everything; pending actions stay in the outbox for the next start."""
        await self._stop(destroy_cache=False)

    async def _stop(self, *, destroy_cache: bool) -> None:
        """Stops live sync, sending and loads, then closes the cache — or, at logout, deletes
        its folder (also after an earlier close)."""
        if not self._closed:
            self._closed = True
            await self.prefetch.close()
            await self.sync.close()
            await self.engine.close()  # waits for the outbox's background flushes
            await self.repo.close()
        await (self.cache.destroy() if destroy_cache else self.cache.close())
        await self.api.close()

    # --- change feed ---------------------------------------------------------------------

    def subscribe(self, callback: Callable[[Change], None]) -> Callable[[], None]:
        """Calls ``callback(change)`` on the loop thread for every change; returns unsubscribe."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._subscribers.remove(callback)

        return unsubscribe

    def _emit(self, change: Change) -> None:
        for callback in list(self._subscribers):
            try:
                callback(change)
            except Exception:  # one broken view must not stop the others
                log.exception("subscriber failed on %s", change.cause)

    # --- reads ---------------------------------------------------------------------------

    async def conversations(self) -> Snapshot[list[ConversationView]]:
        """The clinic's inbox, each row with the pending actions applied."""
        async with self.prefetch.user_read():
            snap = await self.repo.read(list_key(self.clinic_id), ConversationList,
                                        lambda: self.api.conversations(self.clinic_id))
        return Snapshot(self.engine.views(snap.value.items), snap.stale, snap.fetched_at,
                        snap.offline)

    def conversation_view(self, conversation_id: int) -> ConversationView | None:
        """One row as the user sees it now, from memory (no I/O, O(1)): what a view updates
        for the ids a :class:`Change` names, instead of re-reading the whole inbox. ``None``
        when the inbox was not read yet or does not hold the conversation."""
        return self.rows.row(conversation_id)

    def summary_detail(self, conversation_id: int) -> DetailView | None:
        """A conversation whose messages are not on this computer (never opened, offline):
        its row from the inbox and its queued notes and replies, no messages
        (``has_more_messages``: the older ones exist elsewhere). None when the inbox does
        not hold it either. Same derivation as the row: header and row cannot disagree."""
        return self.rows.summary_only(conversation_id)

    async def conversation(self, conversation_id: int) -> Snapshot[DetailView]:
        """One conversation: messages, notes, and the optimistic notes and replies. The
        prefetch takes it as the open one (its neighbours come next)."""
        self.prefetch.opened(conversation_id)
        async with self.prefetch.user_read():
            snap = await self.repo.read(detail_key(conversation_id), ConversationDetail,
                                        lambda: self.api.conversation(conversation_id))
        return Snapshot(self.rows.detail(snap.value), snap.stale, snap.fetched_at,
                        snap.offline)

    async def patient(self, patient_id: int) -> Snapshot[Patient]:
        """One patient's data (cached like the rest: fresh, stale or offline)."""
        async with self.prefetch.user_read():
            return await self.repo.read(patient_key(patient_id), Patient,
                                        lambda: self.api.patient(patient_id))

    async def older_messages(self, conversation_id: int, before: int) -> list[Message]:
        """Messages older than id ``before`` (not cached)."""
        return (await self.api.older_messages(conversation_id, before)).items

    async def older_page(self, conversation_id: int, before: int) -> MessagesPage:
        """The page of messages older than id ``before`` and whether still older ones exist
        (not cached: offline this raises a :class:`TransientError`)."""
        return await self.api.older_messages(conversation_id, before)

    # --- connection ----------------------------------------------------------------------

    @property
    def live(self) -> LiveListener:
        """The live socket's listener (its seq and connect count, for tests and metrics)."""
        return self.sync.live

    @property
    def connection(self) -> ConnectionState:
        """The live connection's state, as the status bar shows it."""
        return self.sync.connection

    @property
    def _reachable(self) -> bool:
        return self.sync.reachability.reachable

    @_reachable.setter
    def _reachable(self, reachable: bool) -> None:
        # resume: unknown until the server answers, so nothing is fresh yet
        if not reachable:
            self.sync.reachability.unknown()

    def _confirmed(self, mutation: Mutation, answer: Answer) -> None:
        self.rows.confirmed(mutation, answer)

    def _may_prefetch(self) -> bool:
        """Prefetch only while unlocked, signed in and online (live socket included)."""
        return not (self.locked or self.needs_login or self._closed) \
            and self.sync.reachability.reachable \
            and self.sync.connection is ConnectionState.ONLINE

    def _reachability_changed(self, reachable: bool, changed: bool) -> None:
        if reachable and changed:
            self.prefetch.resume()

    def _went_offline(self) -> None:
        self.sync.outbox_paused()

    def _unauthorized(self) -> None:
        if not self.needs_login:
            self.needs_login = True
            self._emit(Change("connection", reason="unauthorized"))

    # --- metrics -------------------------------------------------------------------------

    def metrics(self) -> dict[str, dict[str, float]]:
        """The local cache per kind: fresh_hits, stale_hits, misses, revalidations,
        avg_read_ms, hit_rate."""
        return self.cache.metrics.as_dict()

    async def server_metrics(self) -> ServerMetrics:
        """The server's ``GET /api/metrics`` answer."""
        return await self.api.metrics()

