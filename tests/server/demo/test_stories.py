"""Tests of inbox_app/server/demo/seed.py and stories.py: the demo tells a believable story.

The demo is the first thing a newcomer sees (issue 13). Seeded as ``--demo-data`` does, in
both sizes, each conversation must read in order (the patient asks, the clinic answers), at
believable hours, with words that fit the patient (age, "meu filho", Obrigado/Obrigada),
and a patient on two channels must be one person, told apart by the channel.
"""

from __future__ import annotations

import itertools
import re
import sqlite3
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from faker.providers.person.pt_BR import Provider as Names

from inbox_app.contract.models import preview

CLINIC_TZ = timezone(timedelta(hours=-3))  # the demo clinics are in Brasília time
GREETINGS = {"Bom dia": range(5, 12), "Boa tarde": range(12, 18), "Boa noite": range(18, 24)}
AREAS = (
    "cardiologia",
    "dermatologia",
    "ortopedia",
    "ginecologia",
    "oftalmologia",
    "clínica geral",
    "endocrinologia",
)
INSURANCES = ("Unimed", "Bradesco Saúde", "SulAmérica", "Amil", "Hapvida", "Porto Saúde")


class Demo:
    """One seeded database, read with plain SQL."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path)
        self.seeded = datetime.fromtimestamp(path.stat().st_mtime, CLINIC_TZ)
        self.patients = {
            row[0]: row[1:]
            for row in self.db.execute(
                "SELECT id, clinic_id, name, phone, birth_date, insurance FROM patients"
            )
        }
        self.conversations = {
            row[0]: row[1:]
            for row in self.db.execute(
                "SELECT id, patient_id, channel, status, unread_count, last_message_preview, "
                "last_message_at FROM conversations"
            )
        }
        self.messages: dict[int, list[tuple[str, str, datetime]]] = defaultdict(list)
        for cid, direction, body, sent in self.db.execute(
            "SELECT conversation_id, direction, body, sent_at FROM messages "
            "ORDER BY conversation_id, sent_at, id"
        ):
            self.messages[cid].append((direction, body, self.time(sent)))
        self.notes = list(self.db.execute("SELECT conversation_id, body FROM notes"))

    @staticmethod
    def time(stored: str) -> datetime:
        """A stored UTC time, in the clinic's time zone."""
        return datetime.fromisoformat(stored).replace(tzinfo=UTC).astimezone(CLINIC_TZ)

    def age(self, patient_id: int) -> int:
        born = date.fromisoformat(self.patients[patient_id][3])
        today = self.seeded.date()
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@pytest.fixture(scope="module", params=["small", "full"])
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Demo]:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "inbox_app.server",
            "--database-url",
            f"sqlite:///{path}",
            "--demo-data",
            "--demo-size",
            request.param,
            "--init-only",
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    seeded = Demo(path)
    yield seeded
    seeded.db.close()


def test_each_conversation_reads_in_order(demo: Demo) -> None:
    for cid, said in demo.messages.items():
        directions = [d for d, _body, _at in said]
        assert directions[0] == "inbound", (cid, said[0])  # the patient writes first
        # the clinic answers what was asked: never twice without the patient in between
        assert "outbound,outbound" not in ",".join(directions), (cid, said)
        times = [at for _d, _body, at in said]
        assert times == sorted(times) and len(set(times)) == len(times), cid
        assert times[-1] <= demo.seeded + timedelta(minutes=1)
        # the list row shows the newest message
        _pid, _channel, _status, _unread, shown, last_at = demo.conversations[cid]
        assert shown == preview(said[-1][1]) and demo.time(last_at) == times[-1], cid


def test_people_write_at_believable_hours_and_greet_by_the_clock(demo: Demo) -> None:
    for cid, said in demo.messages.items():
        for direction, body, at in said:
            hours = range(7, 22) if direction == "inbound" else range(8, 18)
            assert at.hour in hours, (cid, direction, at, body)
            for word, fitting in GREETINGS.items():
                if body.startswith(word):
                    assert at.hour in fitting, (cid, at, body)


def test_what_the_clinic_answers_fits_what_was_asked(demo: Demo) -> None:
    for cid, said in demo.messages.items():
        patient = demo.conversations[cid][0]
        insurance = demo.patients[patient][4]
        text = " ".join(body for _d, body, _at in said)
        # one specialty per conversation, the one the patient asked about
        assert len({area for area in AREAS if area in text}) <= 1, (cid, text)
        named = {name for name in INSURANCES if name in text}
        assert named <= {insurance}, (cid, insurance, text)  # the patient's own plan
        name = demo.patients[patient][1]
        for _d, body, _at in said:
            addressed = re.search(
                r"^(?:Bom dia|Boa tarde|Boa noite|[^,.!]+), ([A-ZÀ-Ú][\w ]+)!", body
            )
            if _d == "outbound" and addressed:
                assert name.startswith(addressed.group(1)), (cid, name, body)


def test_phrases_fit_the_patients_age_and_gender(demo: Demo) -> None:
    female = set(Names.first_names_female)
    male = set(Names.first_names_male)
    assert all(demo.age(pid) >= 18 for pid in demo.patients)  # patients write themselves
    for cid, said in demo.messages.items():
        patient = demo.conversations[cid][0]
        age, name = demo.age(patient), demo.patients[patient][1]
        inbound = " ".join(body for d, body, _at in said if d == "inbound")
        # a young child ("minha filha, de 5 anos", "levar meu filho junto"): a young parent
        if re.search(r"\b(meu filho|minha filha)(, de \d+ anos| junto)", inbound):
            assert 22 <= age <= 55, (cid, age, inbound)
        if "entrar com minha filha" in inbound:  # a grown-up daughter helps
            assert age >= 65, (cid, age)
        first = (
            name.split(" ")[0]
            if name.split(" ")[0] in female | male
            else " ".join(name.split(" ")[:2])
        )
        if re.search(r"\b(Obrigada|obrigada|atrasada)\b", inbound):
            assert first in female, (cid, name, inbound)
        if re.search(r"\b(Obrigado|obrigado|atrasado)\b", inbound):
            assert first in male, (cid, name, inbound)
    for cid, body in demo.notes:
        if "idoso" in body:
            assert demo.age(demo.conversations[cid][0]) >= 65, (cid, body)


def test_one_person_on_two_channels_is_one_patient_told_apart_by_the_channel(demo: Demo) -> None:
    by_clinic_name: dict[tuple[int, str], set[int]] = defaultdict(set)
    for pid, (clinic, name, _phone, _born, _ins) in demo.patients.items():
        by_clinic_name[clinic, name].add(pid)
    # a name is one person: two rows with one name are one patient (one phone)
    assert all(len(ids) == 1 for ids in by_clinic_name.values())
    threads: dict[tuple[int, str], list[int]] = defaultdict(list)
    for cid, (pid, channel, *_rest) in sorted(demo.conversations.items()):
        threads[pid, channel].append(cid)
    channels_of: dict[int, set[str]] = defaultdict(set)
    for (pid, channel), ids in threads.items():
        channels_of[pid].add(channel)
        # at most one open conversation per patient and channel: the newest, where a new
        # message of that patient on that channel arrives (the webhook picks the newest)
        opened = [c for c in ids if demo.conversations[c][2] == "open"]
        assert opened in ([], [ids[-1]]), (pid, channel, ids)
        for older, newer in itertools.pairwise(ids):
            assert demo.messages[older][-1][2] < demo.messages[newer][0][2]
    assert any(len(chs) > 1 for chs in channels_of.values()), "nobody on two channels"
    spoken = {"WhatsApp": "whatsapp", "SMS": "sms", "Instagram": "instagram", "e-mail": "email"}
    for cid, said in demo.messages.items():
        other = re.search(r"Mandei mensagem pelo (\S+) também", said[0][1])
        if other:
            pid, channel = demo.conversations[cid][:2]
            assert spoken[other.group(1)] in channels_of[pid] - {channel}, (cid, said[0])


def test_unread_and_archived_follow_the_last_message(demo: Demo) -> None:
    unread_open = 0
    for cid, (_pid, _channel, status, unread, *_rest) in demo.conversations.items():
        said = demo.messages[cid]
        trailing = len(said) - max(
            (i + 1 for i, (d, _b, _a) in enumerate(said) if d == "outbound"), default=0
        )
        assert unread <= trailing, (cid, unread, said)  # only what the patient wrote last
        assert not (unread and status == "archived"), cid
        unread_open += bool(unread)
    assert unread_open > 0  # the inbox has work waiting
