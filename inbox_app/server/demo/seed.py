"""Demo data: two clinics with realistic Brazilian Portuguese patients and conversations.

Seeded once (idempotently: a database that already has the demo clinics is left alone) with a
fixed Faker seed, so every seed of one size holds the same data. Logins are fixed and printed
at start: see :data:`DEMO_LOGINS`.
"""

from __future__ import annotations

import asyncio
import logging
import random
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
#: (patients, conversations) per clinic.
SIZES = {"small": (20, 30), "full": (200, 500)}

_INSURANCES = ["Unimed", "Bradesco Saúde", "SulAmérica", "Amil", "Hapvida", "Porto Saúde",
               None]
_CHANNELS = ["whatsapp"] * 6 + ["sms", "instagram"]
_SPECIALTIES = ["cardiologista", "dermatologista", "pediatra", "ortopedista", "ginecologista",
                "clínico geral", "oftalmologista"]
_INBOUND = [
    "Olá, bom dia! Gostaria de marcar uma consulta com o {spec}.",
    "Boa tarde, vocês aceitam o convênio {ins}?",
    "Oi, preciso remarcar minha consulta de {day}. É possível?",
    "Qual o horário de funcionamento no sábado?",
    "Meu exame já ficou pronto? Fiz na {day}.",
    "Bom dia, estou com dor desde ontem, tem horário para hoje?",
    "Vocês fazem exame de sangue sem agendamento?",
    "Obrigado pelo atendimento! Até a próxima.",
    "Preciso de uma segunda via do pedido de exame, por favor.",
    "Quanto custa a consulta particular com o {spec}?",
    "Posso levar meu filho junto na consulta?",
    "Chego uns 15 minutos atrasado, tudo bem?",
]
_OUTBOUND = [
    "Olá! Temos horário na {day} às {hour}h com o {spec}. Podemos confirmar?",
    "Sim, aceitamos {ins}. Lembre de trazer a carteirinha.",
    "Consulta remarcada para {day} às {hour}h. Qualquer dúvida, estamos à disposição.",
    "Funcionamos aos sábados das 8h às 12h.",
    "Seu exame já está disponível na recepção.",
    "Pode vir hoje às {hour}h, vamos encaixar você.",
    "Por favor, envie uma foto do pedido médico.",
    "Combinado! Até lá.",
]
_NOTES = [
    "Paciente prefere contato pela manhã.",
    "Confirmar cobertura do convênio antes da consulta.",
    "Pediu retorno do Dr. sobre o resultado do exame.",
    "Paciente idoso: reservar horário com acompanhante.",
    "Já ligamos duas vezes, sem resposta.",
]
_DAYS = ["segunda", "terça", "quarta", "quinta", "sexta"]


def _text(rng: random.Random, templates: list[str], insurance: str | None) -> str:
    return rng.choice(templates).format(
        spec=rng.choice(_SPECIALTIES), ins=insurance or "Unimed", day=rng.choice(_DAYS),
        hour=rng.randint(8, 17),
    )


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
                                   n_conversations, now)
    log.info("seeded demo data (%s)", size)
    return True


async def _seed_clinic(  # noqa: PLR0917 - one call site, every value named there
    conn: Any, index: int, clinic_name: str, people: list[tuple[str, str]],
    hashes: list[str], n_patients: int, n_conversations: int, now: datetime,
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
    patient_rows: list[dict[str, Any]] = []
    while len(patient_rows) < n_patients:
        phone = fake.cellphone_number()
        if phone in phones:
            continue
        phones.add(phone)
        patient_rows.append({
            "clinic_id": clinic_id, "name": fake.name(), "phone": phone,
            "birth_date": fake.date_of_birth(minimum_age=1, maximum_age=95),
            "insurance": rng.choice(_INSURANCES),
            "last_visit_at": now - timedelta(days=rng.randint(1, 400), hours=rng.randint(0, 9))
            if rng.random() < 0.8 else None,
        })
    patient_ids = (await conn.execute(
        insert(patients).returning(patients.c.id, sort_by_parameter_order=True), patient_rows
    )).scalars().all()
    insurance_of = dict(zip(patient_ids, (p["insurance"] for p in patient_rows), strict=True))

    plans = []  # (conversation row, [message rows without conversation_id])
    for n in range(n_conversations):
        patient_id = patient_ids[n % len(patient_ids)] if n < len(patient_ids) else \
            rng.choice(patient_ids)
        start = now - timedelta(minutes=rng.randint(10, 60 * 24 * 30))
        msgs: list[dict[str, Any]] = []
        at = start
        direction = Direction.INBOUND
        for _ in range(rng.randint(1, 9)):
            at += timedelta(minutes=rng.randint(1, 240))
            at = min(at, now)
            outbound = direction is Direction.OUTBOUND
            msgs.append({
                "direction": direction.value,
                "body": _text(rng, _OUTBOUND if outbound else _INBOUND, insurance_of[patient_id]),
                "author_id": rng.choice(user_ids) if outbound else None, "sent_at": at,
            })
            direction = Direction.INBOUND if outbound or rng.random() < 0.3 else \
                Direction.OUTBOUND
        last = msgs[-1]
        unread = rng.randint(1, 3) if last["direction"] == "inbound" and rng.random() < 0.6 \
            else 0
        plans.append(({
            "clinic_id": clinic_id, "patient_id": patient_id, "channel": rng.choice(_CHANNELS),
            "status": Status.ARCHIVED.value if unread == 0 and rng.random() < 0.25
            else Status.OPEN.value,
            "priority": rng.choices([p.value for p in Priority], weights=[1, 3, 12, 4])[0],
            "unread_count": unread, "last_message_preview": preview(last["body"]),
            "last_message_at": last["sent_at"], "updated_at": last["sent_at"], "version": 1,
        }, msgs))
    conversation_ids = (await conn.execute(
        insert(conversations).returning(conversations.c.id, sort_by_parameter_order=True),
        [row for row, _msgs in plans],
    )).scalars().all()
    message_rows: list[dict[str, Any]] = []
    note_rows = []
    for conversation_id, (row, msgs) in zip(conversation_ids, plans, strict=True):
        message_rows.extend({**m, "conversation_id": conversation_id} for m in msgs)
        if rng.random() < 0.15:
            for _ in range(rng.randint(1, 2)):
                note_rows.append({
                    "conversation_id": conversation_id, "author_id": rng.choice(user_ids),
                    "body": rng.choice(_NOTES), "created_at": row["updated_at"],
                })
    await conn.execute(insert(messages), message_rows)
    if note_rows:
        await conn.execute(insert(notes), note_rows)
