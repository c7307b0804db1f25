"""A sender the test scripts by hand, for the pure engine tests (no network involved).

Each ``send`` parks on a future the test resolves with an answer or an error, so tests decide
the order of server answers exactly, without sleeps.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime

from inbox_app.client.actions.record import ActionKind, Mutation, apply
from inbox_app.contract.models import ConversationSummary, Message, Note


def summary(conversation_id: int = 1, **changes: object) -> ConversationSummary:
    base = ConversationSummary(
        id=conversation_id, clinic_id=1, patient_id=conversation_id, patient_name="Paciente",
        channel="whatsapp", status="open", priority="normal", unread_count=2,
        last_message_preview="Olá", last_message_at=datetime(2026, 1, 1, tzinfo=UTC),
        updated_at=datetime(2026, 1, 1, tzinfo=UTC), version=1,
    )
    return base.model_copy(update=changes)


@dataclass
class Call:
    mutation: Mutation
    future: asyncio.Future[object]

    def answer(self, value: object) -> None:
        self.future.set_result(value)

    def fail(self, exc: BaseException) -> None:
        self.future.set_exception(exc)


@dataclass
class ScriptedSender:
    calls: asyncio.Queue[Call] = field(default_factory=asyncio.Queue)
    sent_ids: list[str] = field(default_factory=list)

    async def send(self, mutation: Mutation) -> object:
        self.sent_ids.append(mutation.id)
        future: asyncio.Future[object] = asyncio.get_running_loop().create_future()
        await self.calls.put(Call(mutation.copy(), future))
        return await future

    async def next(self) -> Call:
        return await asyncio.wait_for(self.calls.get(), 5.0)


def server_answer(mutation: Mutation, current: ConversationSummary) -> object:
    """What a faithful server answers for ``mutation`` applied to ``current``."""
    now = datetime.now(UTC)
    if mutation.kind is ActionKind.ADD_NOTE:
        return Note(id=abs(hash(mutation.id)) % 10**6 + 1, conversation_id=current.id,
                    author_id=1, author_name="Ana", body=mutation.args["body"], created_at=now)
    if mutation.kind is ActionKind.REPLY:
        return Message(id=abs(hash(mutation.id)) % 10**6 + 1, conversation_id=current.id,
                       direction="outbound", body=mutation.args["body"], author_id=1,
                       sent_at=now)
    return apply(mutation, current).model_copy(update={"version": current.version + 1})
