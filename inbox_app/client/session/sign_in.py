"""Signing in: a new login, the remembered session, and signing in again.

Mixed into :class:`~inbox_app.client.inbox.InboxClient` (the UI keeps one object, with
:meth:`InboxClient.login` and :meth:`InboxClient.resume` as its constructors), kept apart so
the facade module stays about reads, actions and sync:

- :meth:`SignIn.login` asks the server, mirrors its cache policy (kept for offline starts),
  remembers the session and builds the client with the sealed defaults or the given factories;
- :meth:`SignIn.resume` rebuilds the client of the remembered session without the network;
- :meth:`SignIn.reauthenticate` signs the same user in again after the session ended (the
  idle lock's unlock shares its re-login).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import ValidationError

from inbox_app.client.errors import ClientError, RejectedError
from inbox_app.client.files.folders import Folders
from inbox_app.client.net.api import Api
from inbox_app.client.security.codec import Codec
from inbox_app.client.security.keystore import KeyStoreError
from inbox_app.client.security.protection import sealed_session_store
from inbox_app.client.views import Change
from inbox_app.contract.models import UserSession
from inbox_app.contract.policy import (
    CacheKind,
    KindPolicy,
    parse_policy_document,
    policy_document,
    session_key,
)

if TYPE_CHECKING:
    from inbox_app.client.inbox import InboxClient

log = logging.getLogger(__name__)

CodecFactory = Callable[[UserSession, Folders], Codec]


class SessionStoreLike(Protocol):
    """What remembers a login: :class:`SessionStore`, or the keyring-backed one."""

    def load(self) -> dict[str, Any] | None: ...

    def save(self, token: str, session: Any) -> None: ...

    def clear(self) -> None: ...


StoreFactory = Callable[[str, Folders], SessionStoreLike]

_POLICY_META = "cache-policy"


class SignIn:
    """Login, resume and re-login of :class:`InboxClient` (uses its api, engine, live...)."""

    @classmethod
    async def login(cls: type[InboxClient], server_url: str, email: str, password: str, *,
                    data_dir: Path | None = None, cache_dir: Path | None = None,
                    codec_factory: CodecFactory | None = None,
                    outbox_codec_factory: CodecFactory | None = None,
                    session_store_factory: StoreFactory | None = None,
                    **options: Any) -> InboxClient:
        """Logs in (raises RejectedError/UnauthorizedError with the server's message).

        ``codec_factory(session, folders)`` gives the cache codec (default: AES-GCM sealed
        with the user's key from the OS keyring or its key-file fallback),
        ``outbox_codec_factory`` the outbox's (default: sealed with the user's key when the
        cache codec is the default, else the cache codec), and
        ``session_store_factory(server_url, folders)`` the remembered-login store (default
        :class:`SealedSessionStore`: token in the keyring). Raises RejectedError
        (code "keystore") when the OS keyring holds the key but cannot be read.
        """
        api = Api(server_url)
        try:
            answer = await api.login(email, password)
            try:
                policy: dict[CacheKind, KindPolicy] | None = parse_policy_document(
                    await api.cache_policy())
            except (ClientError, ValueError) as exc:
                log.warning("cache policy not mirrored, using the built-in table: %s", exc)
                policy = None
        except BaseException:
            await api.close()
            raise
        folders = Folders.for_server(server_url, data_dir=data_dir, cache_dir=cache_dir)
        store = _session_store(server_url, folders, session_store_factory)
        session_json = answer.session.model_dump(mode="json")
        try:
            codec, outbox_codec = _codecs(answer.session, folders, codec_factory,
                                          outbox_codec_factory)
            store.save(answer.token, session_json)
            client = cls(api, answer.session, folders, policy=policy, codec=codec,
                         outbox_codec=outbox_codec, session_store=store, **options)
        except KeyStoreError as exc:
            await api.close()
            raise RejectedError(f"the key store could not be used: {exc}",
                                code="keystore") from exc
        log.info("signed in; local data sealed, key kept in %s",
                 client.keystore.backend_description)
        await client._verifier.save_async(password)
        if policy is not None:
            await client.cache.set_meta(_POLICY_META, policy_document(policy))
        await client.cache.put(session_key(answer.session.user.id), answer.session, session_json)
        return client

    @classmethod
    async def resume(cls: type[InboxClient], server_url: str, *, data_dir: Path | None = None,
                     cache_dir: Path | None = None, codec_factory: CodecFactory | None = None,
                     outbox_codec_factory: CodecFactory | None = None,
                     session_store_factory: StoreFactory | None = None,
                     **options: Any) -> InboxClient | None:
        """The remembered session of ``server_url``, without the network (works offline).

        The factories are those of :meth:`login`."""
        folders = Folders.for_server(server_url, data_dir=data_dir, cache_dir=cache_dir)
        store = _session_store(server_url, folders, session_store_factory)
        remembered = store.load()
        if remembered is None:
            return None
        try:
            session = UserSession.model_validate(remembered.get("session"))
        except ValidationError as exc:
            log.warning("remembered session does not fit the contract: %s", exc)
            return None
        if session.expires_at <= datetime.now(UTC):
            log.info("remembered session expired; log in again")
            return None
        api = Api(server_url, token=remembered["token"])
        try:
            codec, outbox_codec = _codecs(session, folders, codec_factory,
                                          outbox_codec_factory)
            client = cls(api, session, folders, codec=codec, outbox_codec=outbox_codec,
                         session_store=store, **options)
        except KeyStoreError as exc:
            log.warning("the user's key cannot be read (%s): log in again", exc)
            await api.close()
            return None
        client._reachable = False  # unknown until the server answers: nothing is fresh yet
        document = await client.cache.get_meta(_POLICY_META)
        if document is not None:
            with contextlib.suppress(ValueError):
                client.cache.policy = parse_policy_document(document)
        return client

    async def reauthenticate(self: InboxClient, password: str) -> None:
        """Logs the same user in again after :attr:`needs_login` (expired or ended session);
        the outbox and live sync resume. Raises RejectedError for a wrong password."""
        await self._renew_session(password)
        self._resume_after_login()
        self._emit(Change("connection", reason=self.live.state.value))

    async def _renew_session(self: InboxClient, password: str) -> None:
        """Logs this same user in again (re-login and unlock): the new token is remembered
        and the offline unlock verifier renewed. Raises RejectedError for a wrong password or
        another user (the previous token stays then), TransientError when unreachable."""
        previous = self.api.token
        answer = await self.api.login(self.session.user.email, password)
        if answer.session.user.id != self.session.user.id:
            self.api.token = previous  # never read another user's data into these folders
            raise RejectedError("logged in as another user", code="forbidden")
        self.session = answer.session
        self._session_store.save(answer.token, answer.session.model_dump(mode="json"))
        await self._verifier.save_async(password)

    def _resume_after_login(self: InboxClient) -> None:
        """The outbox and live sync paused by an ended session go on."""
        self.needs_login = False
        self.engine.set_online(True)
        self.live.poke()


def _session_store(server_url: str, folders: Folders,
                   factory: StoreFactory | None) -> SessionStoreLike:
    """The remembered-login store ``factory`` gives, by default the sealed one."""
    return factory(server_url, folders) if factory else sealed_session_store(server_url, folders)


def _codecs(session: UserSession, folders: Folders, codec_factory: CodecFactory | None,
            outbox_codec_factory: CodecFactory | None) -> tuple[Codec | None, Codec | None]:
    """(cache codec, outbox codec) from the factories; None means the sealed default."""
    codec = codec_factory(session, folders) if codec_factory else None
    outbox_codec = outbox_codec_factory(session, folders) if outbox_codec_factory else None
    return codec, outbox_codec
