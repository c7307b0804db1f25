"""``--simulate-inbound``: a patient message every so many seconds, through the webhook's
own write path (:meth:`Writer.inbound`), so a demo feels alive."""

from __future__ import annotations

import asyncio
import logging
import random

from sqlalchemy import func, select

from inbox_app.contract.models import InboundRequest
from inbox_app.server.db.database import Database
from inbox_app.server.db.schema import conversations, patients
from inbox_app.server.db.writes import Writer

log = logging.getLogger(__name__)

_LINES = [
    "Oi, tudo bem? Queria confirmar meu horário de amanhã.",
    "Bom dia! Vocês têm horário para hoje à tarde?",
    "Preciso cancelar minha consulta, surgiu um imprevisto.",
    "O resultado do meu exame já saiu?",
    "Vocês atendem pelo convênio Amil?",
    "Obrigada! Deu tudo certo.",
    "Qual o endereço da clínica mesmo?",
]


async def simulate_inbound(writer: Writer, db: Database, every_seconds: float) -> None:
    """Forever: wait ``every_seconds``, then a random patient of a random clinic writes."""
    rng = random.Random()
    while True:
        await asyncio.sleep(every_seconds)  # the demo's pace, by definition a timer
        try:
            async with db.read() as conn:
                count = (await conn.execute(
                    select(func.count()).select_from(conversations)
                )).scalar_one()
                if not count:
                    continue
                row = (await conn.execute(
                    select(patients.c.clinic_id, patients.c.phone, patients.c.name,
                           conversations.c.channel)
                    .select_from(patients.join(
                        conversations, conversations.c.patient_id == patients.c.id))
                    .order_by(conversations.c.id).limit(1).offset(rng.randrange(count))
                )).first()
            if row is None:
                continue
            clinic_id, phone, name, channel = row
            await writer.run(writer.inbound(InboundRequest(
                clinic_id=clinic_id, phone=phone, name=name, body=rng.choice(_LINES),
                channel=channel,
            )))
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("simulated inbound message failed")
