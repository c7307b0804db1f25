"""The server's log format: text (default) or JSON, one object per line.

JSON lines carry ``time`` (UTC, ISO 8601), ``level``, ``logger``, ``message``,
``request_id`` (``-`` outside a request) and ``exception`` when there is one, for log
collectors that read structured lines. No record carries a token, a password or patient text
(the code never logs them).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from inbox_app.server.http.request_id import RequestIdFilter

FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(level: int, log_format: str = "text") -> None:
    """One stderr handler on the root logger in ``log_format``."""
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if log_format == "json"
                         else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # Python warnings (deprecations of libraries) become records too: one format per line
    logging.captureWarnings(True)
