"""The channel's part of a running server, started and stopped with the app's lifespan."""

from __future__ import annotations

from inbox_app.server.db.database import Database
from inbox_app.server.db.writes import Writer
from inbox_app.server.demo.delivery import SimulatedSender
from inbox_app.server.live.bus import Bus
from inbox_app.server.settings import Settings
from inbox_app.server.whatsapp.graph import GraphApi, Sender
from inbox_app.server.whatsapp.outbound import Outbound
from inbox_app.server.whatsapp.worker import DeliveryWorker


def start_delivery(settings: Settings, db: Database, writer: Writer, bus: Bus) -> DeliveryWorker:
    """Replies queued with their transaction (the writer's reply hook) and the worker that
    sends them: through the Graph API, or the demo's simulation (``--simulate-delivery``)."""
    simulated = settings.simulate_delivery
    writer.reply_hook = Outbound(simulated=simulated is not None)
    sender: Sender = (
        SimulatedSender(writer, simulated) if simulated is not None else GraphApi(settings.whatsapp)
    )
    worker = DeliveryWorker(db, writer, settings.whatsapp, sender)
    worker.start(bus)
    return worker
