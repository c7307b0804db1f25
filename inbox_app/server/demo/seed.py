"""Demo data: two clinics with realistic Brazilian Portuguese patients and conversations.

Seeded once (idempotently: a database that already has the demo clinics is left alone) with a
fixed Faker seed, so every seed of one size holds the same data. Logins are fixed and printed
at start: see :data:`DEMO_LOGINS`.
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select

from inbox_app.contract.models import Direction, Priority, Status, preview
from inbox_app.server.auth import hash_password
from inbox_app.server.db.database import Database
from inbox_app.server.db.schema import (
    clinic_seq,
    clinics,
    conversations,
    messages,
    notes,
    patients,
    users,
)
from inbox_app.server.demo import stories

log = logging.getLogger(__name__)

DEMO_PASSWORD = "demo1234"
#: (clinic name, [(name, email)]): the first of each clinic is the documented login.
DEMO_CLINICS: list[tuple[str, list[tuple[str, str]]]] = [
    ("Clínica Aurora", [
        ("Ana Ribeiro", "ana@aurora.example"),
        ("Carla Mendes", "carla@aurora.example"),
        ("Eduarda Lima", "eduarda@aurora.example"),
    ]),
    ("Clínica Boa Vista", [
        ("Bruno Costa", "bruno@boavista.example"),
        ("Diego Almeida", "diego@boavista.example"),
        ("Fernanda Rocha", "fernanda@boavista.example"),
    ]),
]
DEMO_LOGINS = [email for _clinic, people in DEMO_CLINICS for _name, email in people[:2]]
#: (patients, conversations) per clinic. ``large`` is a clinic at scale for load tests and
#: benchmarks: more than 5,000 of its conversations are open and unread.
SIZES = {"small": (20, 30), "full": (200, 500), "large": (10000, 15000)}

_INSURANCES = ["Unimed", "Bradesco Saúde", "SulAmérica", "Amil", "Hapvida", "Porto Saúde",
               None]
#: A patient's usual channel; some also write on another one.
_CHANNELS = ["whatsapp"] * 6 + ["sms", "instagram"]
_ALL_CHANNELS = ["whatsapp", "sms", "instagram", "email"]
#: A conversation beyond one per patient is, this often, the patient on another channel
#: (else an earlier, finished conversation on the same channel, archived).
_SECOND_CHANNEL_SHARE = 0.4
#: The newest conversations that wait for the clinic (the patient wrote last), and the
#: finished ones the receptionists archived.
_WAITING_SHARE = 0.35
#: A clinic at scale is a busy morning: most patients' newest conversation waits.
_WAITING_SHARE_OF = {"large": 0.9}
_ARCHIVED_SHARE = 0.5


async def seed(db: Database, size: str = "full") -> bool:
    """Seeds the demo clinics unless present; answers whether it seeded."""
    n_patients, n_conversations = SIZES[size]
    async with db.setup_lock():
        async with db.read() as conn:
            present = (await conn.execute(
                select(clinics.c.id).where(clinics.c.name == DEMO_CLINICS[0][0])
            )).first()
        if present is not None:
            return False
        # one hash for every demo user (they share the password): argon2id costs tens of
        # milliseconds a hash, and the tests seed often
        one = await asyncio.to_thread(hash_password, DEMO_PASSWORD)
        hashes = [one for _clinic, people in DEMO_CLINICS for _ in people]
        now = datetime.now(UTC).replace(microsecond=0)
        async with db.write() as conn:
            for index, (clinic_name, people) in enumerate(DEMO_CLINICS):
                await _seed_clinic(conn, index, clinic_name, people,
                                   hashes[index * 3: index * 3 + 3], n_patients,
                                   n_conversations, now,
                                   waiting=_WAITING_SHARE_OF.get(size, _WAITING_SHARE))
    log.info("seeded demo data (%s)", size)
    return True


async def _seed_clinic(  # noqa: PLR0917 - one call site, every value named there
    conn: Any, index: int, clinic_name: str, people: list[tuple[str, str]],
    hashes: list[str], n_patients: int, n_conversations: int, now: datetime,
    *, waiting: float = _WAITING_SHARE,
) -> None:
    # Faker (~0.1 s of imports) only when seeding: a server whose database holds the demo
    # already starts without it (issue 13)
    from faker import Faker

    fake = Faker("pt_BR")
    fake.seed_instance(1000 + index)
    rng = random.Random(2000 + index)
    clinic_id = (await conn.execute(
        insert(clinics).values(name=clinic_name).returning(clinics.c.id)
    )).scalar_one()
    await conn.execute(insert(clinic_seq).values(clinic_id=clinic_id, seq=0))
    user_ids = (await conn.execute(
        insert(users).returning(users.c.id, sort_by_parameter_order=True),
        [{"clinic_id": clinic_id, "name": name, "email": email, "role": "receptionist",
          "password_hash": pw} for (name, email), pw in zip(people, hashes, strict=True)],
    )).scalars().all()

    phones: set[str] = set()
    names: set[str] = set()  # one name, one person: two rows of a name are one patient
    patient_rows: list[dict[str, Any]] = []
    writers: list[stories.Person] = []  # the patients, as their messages need them
    while len(patient_rows) < n_patients:
        phone = fake.cellphone_number()
        female = rng.random() < 0.55
        first = fake.first_name_female() if female else fake.first_name_male()
        name = f"{first} {fake.last_name()}"
        if phone in phones or name in names:
            continue
        phones.add(phone)
        names.add(name)
        birth = fake.date_of_birth(minimum_age=18, maximum_age=92)
        insurance = rng.choice(_INSURANCES)
        patient_rows.append({
            "clinic_id": clinic_id, "name": name, "phone": phone, "birth_date": birth,
            "insurance": insurance,
            "last_visit_at": now - timedelta(days=rng.randint(1, 400), hours=rng.randint(0, 9))
            if rng.random() < 0.8 else None,
        })
        age = now.year - birth.year - ((now.month, now.day) < (birth.month, birth.day))
        writers.append(stories.Person(first, female, age, insurance))
    patient_ids = (await conn.execute(
        insert(patients).returning(patients.c.id, sort_by_parameter_order=True), patient_rows
    )).scalars().all()

    plans = _plan(rng, writers, n_conversations, now, waiting)
    plans.sort(key=lambda plan: plan.said[0][2])  # ids grow with time, as in real use
    conversation_ids = (await conn.execute(
        insert(conversations).returning(conversations.c.id, sort_by_parameter_order=True),
        [_conversation_row(plan, clinic_id, patient_ids[plan.person]) for plan in plans],
    )).scalars().all()
    message_rows: list[dict[str, Any]] = []
    note_rows = []
    for conversation_id, plan in zip(conversation_ids, plans, strict=True):
        message_rows.extend({
            "conversation_id": conversation_id, "direction": direction.value, "body": body,
            "author_id": rng.choice(user_ids) if direction is Direction.OUTBOUND else None,
            "sent_at": at,
        } for direction, body, at in plan.said)
        if rng.random() < 0.15:
            last_direction, _body, last_at = plan.said[-1]
            choices = [*plan.story.notes, stories.MORNING_NOTE]
            if last_direction is Direction.OUTBOUND:  # the clinic waits for the patient
                choices.append(stories.NO_ANSWER_NOTE)
            choices = list(dict.fromkeys(choices))
            for body in rng.sample(choices, min(len(choices), rng.randint(1, 2))):
                note_rows.append({
                    "conversation_id": conversation_id, "author_id": rng.choice(user_ids),
                    "body": body, "created_at": last_at,
                })
    await conn.execute(insert(messages), message_rows)
    if note_rows:
        await conn.execute(insert(notes), note_rows)


@dataclass
class _Plan:
    """One demo conversation before it has an id."""

    person: int  # index into the clinic's patients
    channel: str
    story: stories.Story
    said: list[tuple[Direction, str, datetime]]
    current: bool  # the newest of the patient's conversations on its channel
    priority: Priority
    luck: float  # drawn with the rest: decides read or not, archived or not


def _plan(rng: random.Random, people: list[stories.Person], count: int, now: datetime,
          waiting: float = _WAITING_SHARE) -> list[_Plan]:
    """The clinic's conversations: one per patient, then more for some patients: another
    channel (at most one conversation open per patient and channel), or an earlier,
    finished conversation on the same one (archived)."""
    threads: list[tuple[int, str, stories.Story]] = []
    channels: dict[int, list[str]] = {}  # each patient's channels, the usual one first
    for person in range(len(people)):
        channel = rng.choice(_CHANNELS)
        channels[person] = [channel]
        threads.append((person, channel, _story(rng, people[person])))
    while len(threads) < count:
        person = rng.randrange(len(people))
        unused = [c for c in _ALL_CHANNELS if c not in channels[person]]
        if unused and rng.random() < _SECOND_CHANNEL_SHARE:
            channel = rng.choice(unused)
            channels[person].append(channel)
            threads.append((person, channel, stories.SECOND_CHANNEL))
        else:
            threads.append((person, rng.choice(channels[person]), _story(rng, people[person])))
    plans: list[_Plan] = []
    by_pair: dict[tuple[int, str], list[stories.Story]] = {}
    for person, channel, story in threads:
        by_pair.setdefault((person, channel), []).append(story)
    for (person, channel), told in by_pair.items():
        first_channel = channels[person][0]
        # earlier conversations on this channel: finished weeks ago; the newest is recent
        at = now - timedelta(days=30 + 20 * len(told))
        for number, story in enumerate(told):
            current = number == len(told) - 1
            start = stories.start_time(rng, now, within_days=20) if current else \
                stories.start_time(rng, at + timedelta(days=15), within_days=0, not_before=at)
            # some of the newest wait for the clinic's answer
            lines = stories.waiting_cut(story, rng) if current and \
                rng.random() < waiting else None
            said = stories.tell(story, people[person], start, now, rng, lines=lines,
                                first_channel=labels_of_channel(first_channel))
            if not current:
                at = said[-1][2] + timedelta(days=1)
            plans.append(_Plan(person, channel, story, said, current,
                               stories.priority_of(story, rng), rng.random()))
    return plans


def _story(rng: random.Random, person: stories.Person) -> stories.Story:
    return rng.choice(stories.stories_for(person))


def labels_of_channel(channel: str) -> str:
    """A channel as a patient names it."""
    return {"whatsapp": "WhatsApp", "sms": "SMS", "instagram": "Instagram",
            "email": "e-mail"}.get(channel, channel)


def _conversation_row(plan: _Plan, clinic_id: int, patient_id: int) -> dict[str, Any]:
    """The conversation's row: read or not, archived or open, as its last message says."""
    direction, body, at = plan.said[-1]
    waiting = direction is Direction.INBOUND
    finished = len(plan.said) == len(plan.story.lines)
    # a patient's message waits for an answer, unread (mostly) or read; a finished
    # conversation is often archived, and an earlier one on the channel always
    unread = 1 if waiting and not finished and plan.luck < 0.8 else 0
    archived = not plan.current or (finished and plan.luck < _ARCHIVED_SHARE)
    return {
        "clinic_id": clinic_id, "patient_id": patient_id, "channel": plan.channel,
        "status": Status.ARCHIVED.value if archived else Status.OPEN.value,
        "priority": plan.priority.value, "unread_count": unread,
        "last_message_preview": preview(body), "last_message_at": at, "updated_at": at,
        "version": 1,
    }
