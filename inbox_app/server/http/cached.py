"""The cached reads of the API, one rule for the fast path and the routes.

Which cache key and database loader each cached read uses, the clinic check every answer
passes (a cache hit never skips it; another clinic's id is a 404 like a missing one), and
how stored bytes go out: as they are, compressed bytes passed through to a client that
takes ``deflate`` (ARCHITECTURE.md section 9), never kept by any HTTP cache on the way
(``Cache-Control: no-store``: these answers carry patient data).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

from starlette.responses import Response

from inbox_app.contract.policy import CacheKind, detail_key, list_key, patient_key, session_key
from inbox_app.server.cache.values import CachedValue
from inbox_app.server.db import store
from inbox_app.server.http.state import AppState

Headers = list[tuple[bytes, bytes]]

JSON = (b"content-type", b"application/json")
#: on every answer carrying patient or user data: no browser, proxy or disk cache keeps it
NO_STORE = (b"cache-control", b"no-store")
_DEFLATE: Headers = [JSON, NO_STORE, (b"content-encoding", b"deflate"),
                     (b"vary", b"Accept-Encoding")]
_PLAIN: Headers = [JSON, NO_STORE]

#: per cached kind: the cache key of an id, and the store's loader
READS: dict[CacheKind, tuple[Callable[[int], str], store.Read]] = {
    CacheKind.CONVERSATIONS_LIST: (list_key, store.load_list),
    CacheKind.CONVERSATION_DETAIL: (detail_key, store.load_detail),
    CacheKind.PATIENT_DATA: (patient_key, store.load_patient),
    CacheKind.USER_SESSION: (session_key, store.load_session),
}
#: the loaders that take the asking clinic, so another clinic's id costs a missing one's
_SCOPED = {CacheKind.CONVERSATION_DETAIL, CacheKind.PATIENT_DATA}


async def read(state: AppState, kind: CacheKind, ident: int,
               clinic_id: int) -> CachedValue | None:
    """The cached value of ``kind`` for ``ident`` if it exists and belongs to ``clinic_id``;
    ``None`` otherwise (the caller answers 404)."""
    make_key, load = READS[kind]
    args = (ident, clinic_id) if kind in _SCOPED else (ident,)
    value = await state.cache.get_or_load(kind, make_key(ident),
                                          store.loader(state.db, load, *args), scope=clinic_id)
    if value is None or value.owner_clinic_id != clinic_id:
        return None
    return value


def answer(value: CachedValue, accept_encoding: bytes) -> tuple[bytes, Headers]:
    """The body and headers to send ``value`` with (content-length not included):
    compressed bytes pass through when the client takes deflate, else are decompressed."""
    if value.compressed:
        if b"deflate" in accept_encoding.lower():
            return value.body, list(_DEFLATE)
        return zlib.decompress(value.body), list(_PLAIN)
    return value.body, list(_PLAIN)


def response(value: CachedValue, accept_encoding: bytes, status: int = 200) -> Response:
    """:func:`answer` as a Starlette response (for the routes)."""
    body, headers = answer(value, accept_encoding)
    reply = Response(body, status)
    reply.raw_headers = [*headers, (b"content-length", str(len(body)).encode())]
    return reply
