"""Tests for inbox_app/client/security/codec.py: the swap point for encryption at rest.

The cache and the outbox take any codec; with the data-protection codec (SealedCodec) the
bytes on disk hold no patient text, and an entry moved under another key is refused.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from inbox_app.client.actions.outbox import Outbox
from inbox_app.client.actions.record import ActionKind, Mutation
from inbox_app.client.reads.cache import LocalCache
from inbox_app.client.security.codec import JsonCodec, KeyedCodec, takes_associated
from inbox_app.client.security.crypto import SealedCodec, TamperedError, new_key
from inbox_app.contract.models import Patient
from inbox_app.contract.policy import patient_key


def patient(pid: int, name: str) -> tuple[Patient, dict]:
    model = Patient(id=pid, clinic_id=1, name=name, phone="+55 11 91234-5678")
    return model, model.model_dump(mode="json")


def test_keyed_codec_binds_only_when_supported() -> None:
    assert not takes_associated(JsonCodec())
    sealed = SealedCodec(new_key(), context="cache")
    assert takes_associated(sealed)
    keyed = KeyedCodec(sealed)
    entry = keyed.encode("a", {"x": 1})
    assert keyed.decode("a", entry) == {"x": 1}
    with pytest.raises(TamperedError):
        keyed.decode("b", entry)  # copied under another key: refused
    plain = KeyedCodec(JsonCodec())
    assert plain.decode("b", plain.encode("a", {"x": 1})) == {"x": 1}  # nothing to bind with


async def test_sealed_cache_hides_text_and_refuses_swapped_entries(tmp_path: Path) -> None:
    codec = SealedCodec(new_key(), context="cache")
    cache = LocalCache(tmp_path / "c", codec=codec)
    await cache.put(patient_key(1), *patient(1, "Joana Canário"))
    await cache.put(patient_key(2), *patient(2, "Pedro Sabiá"))
    await cache.close()
    db = tmp_path / "c" / "cache.db"
    with sqlite3.connect(db) as conn:
        blobs = [bytes(v) for (v,) in conn.execute("select value from Cache where value "
                                                   "is not null")]
        assert blobs and not any("Canário".encode() in b or b"Joana" in b for b in blobs)
        # an attacker swaps the two patients' entries
        one = conn.execute("select value from Cache where key=?", (patient_key(1),)).fetchone()
        conn.execute("update Cache set value=? where key=?", (one[0], patient_key(2)))
    cache = LocalCache(tmp_path / "c", codec=codec)
    assert (await cache.get(patient_key(1), Patient.model_validate)).value.name == \
        "Joana Canário"  # type: ignore[union-attr]
    assert await cache.get(patient_key(2), Patient.model_validate) is None
    await cache.close()


def test_sealed_outbox_round_trip(tmp_path: Path) -> None:
    codec = SealedCodec(new_key(), context="outbox")
    box = Outbox(tmp_path, codec=codec)
    note = Mutation(kind=ActionKind.ADD_NOTE, conversation_id=1, args={"body": "segredo"})
    box.put(note)
    assert b"segredo" not in next(tmp_path.glob("*.action")).read_bytes()
    assert [m.args for m in Outbox(tmp_path, codec=codec).load()] == [{"body": "segredo"}]
    other = Outbox(tmp_path, codec=SealedCodec(new_key(), context="outbox")).load()
    assert other == []  # another user's key: moved aside, not shown, not lost
    assert len(list((tmp_path / "corrupt").iterdir())) == 1
