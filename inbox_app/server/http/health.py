"""Liveness and readiness, beside ``/api/health`` (which stays as the app knows it).

``/api/health/live``: the process answers (200, no I/O). ``/api/health/ready``: 200 when the
database answers and its schema is the revision this code needs, else 503; the cache state
is reported but not required (the server works without Redis, only slower).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from inbox_app.contract import VERSION
from inbox_app.server.db import schema_version
from inbox_app.server.http.state import state_of

router = APIRouter()


@router.get("/api/health/live")
async def live() -> JSONResponse:
    """The process is up and its event loop answers."""
    return JSONResponse({"status": "live", "version": VERSION})


@router.get("/api/health/ready")
async def ready(request: Request) -> JSONResponse:
    """Ready to serve: database reachable, schema current; the cache state as information."""
    state = state_of(request)
    db_up = await state.db.ping()
    schema: dict[str, str | None] = {"status": "unknown"}
    if db_up:
        try:
            found = await schema_version.state(state.db)
            schema = {"status": found.status, "current": found.current, "head": found.head}
        except Exception as exc:  # the database went away between the two questions
            schema = {"status": "unknown", "error": type(exc).__name__}
    is_ready = db_up and schema["status"] == "current"
    body = {"status": "ready" if is_ready else "not_ready", "db": "up" if db_up else "down",
            "schema": schema, "cache": state.cache.health(), "version": VERSION}
    return JSONResponse(body, status_code=200 if is_ready else 503)
