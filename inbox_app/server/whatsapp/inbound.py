"""A notification applied: patient messages through the inbound write path, statuses as
delivery changes.

Each item is its own transaction, so a repeated, late or broken item never leaves another
half-written. A message goes in through :meth:`Writer.inbound`, the very path of
``POST /api/inbound`` (the same event, cache patching and write-through), for the clinic
whose channel owns the receiving phone number id, and only when that channel's app secret
signed the notification. Meta retries deliveries and may repeat a message: its ``wamid`` is
stored once (a unique column), and a repeat changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError

from inbox_app.contract.models import InboundRequest
from inbox_app.server.db.writes import Writer
from inbox_app.server.whatsapp import delivery
from inbox_app.server.whatsapp.channels import Channel
from inbox_app.server.whatsapp.notifications import Notification
from inbox_app.server.whatsapp.outbound import WHATSAPP

log = logging.getLogger(__name__)


async def apply(
    writer: Writer, notification: Notification, signed_for: Mapping[str, Channel]
) -> tuple[int, int]:
    """Stores ``notification``'s messages and statuses of the phone number ids in
    ``signed_for`` (phone number id -> its channel, among those whose app secret signed it);
    (messages added, statuses that moved a reply)."""
    added = moved = 0
    for message in notification.messages:
        channel = signed_for.get(message.phone_number_id)
        if channel is None:
            log.warning(
                "whatsapp: a message for a phone number id no channel signed for was ignored"
            )
            continue
        try:
            request = InboundRequest(
                clinic_id=channel.clinic_id,
                phone=message.phone,
                name=message.name,
                body=message.body,
                channel=WHATSAPP,
                message_id=message.wamid,
            )
        except ValidationError as exc:
            log.warning(
                "whatsapp: a message that does not fit the inbox was skipped: %s", exc.error_count()
            )
            continue
        added += await _store(writer, request, message.wamid)
    for update in notification.statuses:
        channel = signed_for.get(update.phone_number_id)
        if channel is None:
            log.warning(
                "whatsapp: a status for a phone number id no channel signed for was ignored"
            )
            continue
        _status, answer = await writer.run(
            delivery.status(
                channel.clinic_id, update.wamid, update.state, update.error_code, update.error_title
            )
        )
        moved += answer != b"null"
    return added, moved


async def _store(writer: Writer, request: InboundRequest, wamid: str) -> bool:
    """Whether the message was new. A concurrent twin (Meta's retry racing the first
    delivery, or the same new patient's second message) breaks a unique constraint and rolls
    back; the second run then finds the message, or the patient, the twin stored."""
    try:
        status, _answer = await writer.run(writer.inbound(request, wamid=wamid))
    except IntegrityError:
        log.info("whatsapp: a concurrent delivery raced this message; trying once more")
        status, _answer = await writer.run(writer.inbound(request, wamid=wamid))
    return status == 201
