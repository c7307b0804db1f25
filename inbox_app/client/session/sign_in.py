"""Signing in: a new login, the remembered session, and signing the same user in again.

- :func:`log_in` asks the server, mirrors its cache policy (kept for offline starts),
  remembers the session and has the client built with the sealed defaults or the given
  factories (:class:`Places`);
- :func:`resume_remembered` builds the client of the remembered session without the network;
- :class:`SignIn`, one per client, owns the signed-in session: it renews it with the password
  (re-login after the session ended, and the idle lock's unlock), keeps the offline unlock
  verifier, and ends it at logout.

:meth:`InboxClient.login` and :meth:`InboxClient.resume` are these two functions, with the
facade's constructor as ``build``; nothing here imports the facade.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol, TypeVar

from pydantic import ValidationError

from inbox_app.client.errors import ClientError, RejectedError, TooManyAttemptsError
from inbox_app.client.files.folders import Folders
from inbox_app.client.net.api import Api
from inbox_app.client.reads.cache import LocalCache
from inbox_app.client.security.codec import Codec
from inbox_app.client.security.keystore import KeyStore, KeyStoreError
from inbox_app.client.session.remembered import SessionStoreLike, sealed_session_store
from inbox_app.client.session.unlock import UnlockRefused, UnlockVerifier
from inbox_app.contract.models import UserSession
from inbox_app.contract.policy import (
    CacheKind,
    KindPolicy,
    parse_policy_document,
    policy_document,
    session_key,
)

log = logging.getLogger(__name__)

CodecFactory = Callable[[UserSession, Folders], Codec]
StoreFactory = Callable[[str, Folders], SessionStoreLike]

_POLICY_META = "cache-policy"


class SignIn:
    """The signed-in user of one client: the session, its remembered login and the password
    verifier that unlocks the idle lock offline."""

    def __init__(self, api: Api, session: UserSession, store: SessionStoreLike,
                 verifier: UnlockVerifier) -> None:
        self.api = api
        self.session = session
        self.store = store
        self.verifier = verifier

    async def remember_password(self, password: str) -> None:
        """Renews the offline unlock verifier (scrypt, off the loop's thread)."""
        await self.verifier.save_async(password)

    async def renew(self, password: str) -> None:
        """Logs this same user in again (re-login and unlock): the new token is remembered
        and the offline unlock verifier renewed. Raises RejectedError for a wrong password or
        another user (the previous token stays then), TransientError when unreachable."""
        previous = self.api.token
        answer = await self.api.login(self.session.user.email, password)
        if answer.session.user.id != self.session.user.id:
            self.api.token = previous  # never read another user's data into these folders
            raise RejectedError("logged in as another user", code="forbidden")
        self.session = answer.session
        self.store.save(answer.token, answer.session.model_dump(mode="json"))
        await self.remember_password(password)

    async def check_offline(self, password: str) -> bool:
        """Whether ``password`` matches the verifier sealed at the last login. Raises
        TooManyAttemptsError while the offline attempt limit holds."""
        try:
            return await self.verifier.check_async(password)
        except UnlockRefused as refused:
            raise TooManyAttemptsError("too many wrong passwords",
                                       retry_after=refused.retry_after) from None

    async def end(self) -> None:
        """Ends the session on the server (when it answers) and forgets the remembered login."""
        with contextlib.suppress(ClientError):
            await self.api.logout()
        self.store.clear()


@dataclass(frozen=True, slots=True)
class Places:
    """Where and how a user's data is kept: the folders' roots (default the platform's user
    data and cache folders), and the factories. ``codec_factory(session, folders)`` gives the
    cache codec (default: AES-GCM sealed with the user's key from the OS keyring or its
    key-file fallback), ``outbox_codec_factory`` the outbox's (default: sealed with the user's
    key when the cache codec is the default, else the cache codec), and
    ``session_store_factory(server_url, folders)`` the remembered-login store (default
    :class:`~inbox_app.client.session.remembered.SealedSessionStore`: token in the keyring)."""

    data_dir: Path | None = None
    cache_dir: Path | None = None
    codec_factory: CodecFactory | None = None
    outbox_codec_factory: CodecFactory | None = None
    session_store_factory: StoreFactory | None = None

    def folders(self, server_url: str) -> Folders:
        return Folders.for_server(server_url, data_dir=self.data_dir, cache_dir=self.cache_dir)

    def store(self, server_url: str, folders: Folders) -> SessionStoreLike:
        factory = self.session_store_factory
        return factory(server_url, folders) if factory else sealed_session_store(server_url,
                                                                                 folders)

    def codecs(self, session: UserSession,
               folders: Folders) -> tuple[Codec | None, Codec | None]:
        """(cache codec, outbox codec) from the factories; None means the sealed default."""
        codec = self.codec_factory(session, folders) if self.codec_factory else None
        outbox = (self.outbox_codec_factory(session, folders) if self.outbox_codec_factory
                  else None)
        return codec, outbox


@dataclass(frozen=True, slots=True)
class Opening:
    """What :func:`log_in` and :func:`resume_remembered` hand to ``build``: the client's
    parts."""

    api: Api
    session: UserSession
    folders: Folders
    store: SessionStoreLike
    codec: Codec | None
    outbox_codec: Codec | None
    #: the server's cache policy at login; None: the built-in table (resume restores the
    #: mirrored one itself)
    policy: dict[CacheKind, KindPolicy] | None
    #: False for a resumed session: nothing is known to be fresh until the server answers
    reachable: bool


class SignedInClient(Protocol):
    """What :func:`log_in` and :func:`resume_remembered` need of the client ``build`` gives."""

    @property
    def sign_in(self) -> SignIn: ...

    @property
    def cache(self) -> LocalCache: ...

    @property
    def keystore(self) -> KeyStore: ...


C = TypeVar("C", bound=SignedInClient)


async def log_in(build: Callable[[Opening], C], server_url: str, email: str, password: str,
                 places: Places) -> C:
    """Logs in (raises RejectedError/UnauthorizedError with the server's message) and returns
    the client ``build`` makes. Raises RejectedError (code "keystore") when the OS keyring
    holds the key but cannot be read."""
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
    folders = places.folders(server_url)
    store = places.store(server_url, folders)
    session_json = answer.session.model_dump(mode="json")
    try:
        codec, outbox_codec = places.codecs(answer.session, folders)
        store.save(answer.token, session_json)
        client = build(Opening(api, answer.session, folders, store, codec, outbox_codec,
                               policy, reachable=True))
    except KeyStoreError as exc:
        await api.close()
        raise RejectedError(f"the key store could not be used: {exc}",
                            code="keystore") from exc
    log.info("signed in; local data sealed, key kept in %s",
             client.keystore.backend_description)
    await client.sign_in.remember_password(password)
    if policy is not None:
        await client.cache.set_meta(_POLICY_META, policy_document(policy))
    await client.cache.put(session_key(answer.session.user.id), answer.session, session_json)
    return client


async def resume_remembered(build: Callable[[Opening], C], server_url: str,
                            places: Places) -> C | None:
    """The client ``build`` makes of the remembered session of ``server_url``, without the
    network (works offline); None when nothing usable is remembered."""
    folders = places.folders(server_url)
    store = places.store(server_url, folders)
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
        codec, outbox_codec = places.codecs(session, folders)
        client = build(Opening(api, session, folders, store, codec, outbox_codec, None,
                               reachable=False))
    except KeyStoreError as exc:
        log.warning("the user's key cannot be read (%s): log in again", exc)
        await api.close()
        return None
    document = await client.cache.get_meta(_POLICY_META)
    if document is not None:
        with contextlib.suppress(ValueError):
            client.cache.policy = parse_policy_document(document)
    return client
