"""Which live events say that a patient wrote, and what they wrote.

The server sends ``message.created`` for every new message, the clinic's replies included,
and ``conversation.created`` when a patient's first message opens a conversation (a
conversation exists only because a patient wrote: ``POST /api/inbound``). The client reads
the answer from the event itself, never from how the list's rows changed.
"""

from __future__ import annotations

import logging

from pydantic import ValidationError

from inbox_app.contract.events import EventType, LiveEvent
from inbox_app.contract.models import ConversationSummary, Direction, Message, preview

log = logging.getLogger(__name__)


def patient_wrote(event: LiveEvent) -> str | None:
    """What a patient just wrote (its preview, as the list shows it) when ``event`` is a
    patient's message, else None."""
    if event.data is None:
        return None
    try:
        if event.type is EventType.MESSAGE_CREATED:
            message = Message.model_validate(event.data)
            return preview(message.body) if message.direction is Direction.INBOUND else None
        if event.type is EventType.CONVERSATION_CREATED:
            summary = ConversationSummary.model_validate(event.data)
            return summary.last_message_preview if summary.unread_count > 0 else None
    except ValidationError as exc:
        # the error names fields, never their values (contract models hide their input)
        log.warning("live: %s event data breaks the contract: %s", event.type, exc)
    return None
