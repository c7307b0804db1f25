"""Tests of inbox_app/client/security/crypto.py: sealing, and every way an entry is rejected."""

from __future__ import annotations

import os
import pickle

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from inbox_app.client.security.crypto import (
    KEY_BYTES,
    OVERHEAD,
    SealedCodec,
    TamperedError,
    new_key,
)

CANARY = {"patient": "Maria Canário da Silva", "phone": "+55 11 98765-4321", "n": [1, 2.5, None]}


@pytest.fixture
def codec() -> SealedCodec:
    return SealedCodec(new_key(), context=b"cache")


def test_round_trip_and_no_plaintext(codec: SealedCodec) -> None:
    sealed = codec.encode(CANARY, associated="patient:7:data")
    assert codec.decode(sealed, associated="patient:7:data") == CANARY
    assert b"Maria" not in sealed and b"98765" not in sealed
    assert len(sealed) == len(orjson.dumps(CANARY)) + OVERHEAD


def test_same_value_seals_differently_each_time(codec: SealedCodec) -> None:
    # A random nonce per entry: equal values do not show as equal on disk.
    assert codec.encode(CANARY) != codec.encode(CANARY)


def test_every_flipped_byte_is_rejected(codec: SealedCodec) -> None:
    sealed = codec.encode(CANARY, associated="k")
    for i in range(len(sealed)):
        for bit in (0x01, 0x80):
            damaged = bytearray(sealed)
            damaged[i] ^= bit
            with pytest.raises(TamperedError):
                codec.decode(bytes(damaged), associated="k")


@pytest.mark.parametrize("cut", [0, 1, 3, 4, 16, OVERHEAD - 1, OVERHEAD, -1, -16])
def test_truncated_entry_is_rejected(codec: SealedCodec, cut: int) -> None:
    sealed = codec.encode(CANARY)
    with pytest.raises(TamperedError):
        codec.decode(sealed[:cut])


def test_wrong_key_is_rejected(codec: SealedCodec) -> None:
    other = SealedCodec(new_key(), context=b"cache")
    with pytest.raises(TamperedError, match="another user's key"):
        other.decode(codec.encode(CANARY))


def test_entry_is_bound_to_its_cache_key_and_context() -> None:
    key = new_key()
    cache = SealedCodec(key, context=b"cache")
    outbox = SealedCodec(key, context=b"outbox")
    sealed = cache.encode(CANARY, associated="patient:7:data")
    with pytest.raises(TamperedError):
        cache.decode(sealed, associated="patient:8:data")  # copied under another key
    with pytest.raises(TamperedError):
        cache.decode(sealed)  # binding dropped
    with pytest.raises(TamperedError):
        outbox.decode(sealed, associated="patient:7:data")  # moved to another purpose


class _Boom:
    """Would create ``path`` if anyone unpickled it."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.mkdir, (self.path,))


def test_planted_pickle_is_rejected_and_never_run(codec: SealedCodec, tmp_path) -> None:
    marker = tmp_path / "pwned"
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        planted = pickle.dumps(_Boom(str(marker)), protocol=protocol)
        with pytest.raises(TamperedError, match="not a sealed entry"):
            codec.decode(planted)
    assert not marker.exists()


@pytest.mark.parametrize(
    "foreign",
    [b"", b"{}", orjson.dumps(CANARY), b"CIS", b"CIS\x02" + bytes(40), "CIS\x01text", 42, None],
)
def test_anything_not_our_format_is_rejected(codec: SealedCodec, foreign: object) -> None:
    with pytest.raises(TamperedError):
        codec.decode(foreign)


def test_unknown_version_is_named(codec: SealedCodec) -> None:
    sealed = bytearray(codec.encode(CANARY))
    sealed[3] = 9
    with pytest.raises(TamperedError, match="unknown version 9"):
        codec.decode(bytes(sealed))


def test_authentic_bytes_that_are_not_json_are_rejected(codec: SealedCodec) -> None:
    sealed = codec.seal(b"\x00not json")
    assert codec.unseal(sealed) == b"\x00not json"
    with pytest.raises(TamperedError, match="JSON"):
        codec.decode(sealed)


@pytest.mark.parametrize("key", [b"", b"x" * 16, b"x" * 31, "x" * KEY_BYTES])
def test_rejects_bad_keys(key: object) -> None:
    with pytest.raises(ValueError):
        SealedCodec(key, context=b"cache")  # type: ignore[arg-type]


def test_rejects_empty_context() -> None:
    with pytest.raises(ValueError):
        SealedCodec(new_key(), context=b"")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=20,
)


@given(value=json_values, associated=st.binary(max_size=40))
def test_round_trip_of_any_json_value(value: object, associated: bytes) -> None:
    codec = SealedCodec(b"k" * KEY_BYTES, context="property")
    assert codec.decode(codec.encode(value, associated=associated), associated=associated) == value
