"""The server's logs hold no patient data, token, password or hash, at any level (issue 16).

Three layers, because each source leaks differently:

- SQLAlchemy logs statements with their parameters at INFO and result rows at DEBUG (a note
  body, a patient's name, a token hash): the engine is created with ``hide_parameters=True``
  (db/database.py) and ``sqlalchemy.engine`` never goes below INFO, where rows are logged;
  ``websockets`` never below INFO either (its DEBUG lines quote every frame, events and all);
- uvicorn's access log writes the request line, and a live socket's URL carries ``?token=``:
  its loggers get the redaction filter directly (uvicorn's handlers do not propagate to the
  root);
- everything else reaches the root's handlers, which get the same filter: the contract's
  :class:`~inbox_app.contract.redaction.ScrubFilter`, shared with the client so both sides
  hide the same fields and token shapes.
"""

from __future__ import annotations

import logging

from inbox_app.contract import redaction

#: loggers whose DEBUG lines quote data (result rows, websocket frames): never below INFO
_QUOTING_LOGGERS = ("sqlalchemy.engine", "sqlalchemy.pool", "websockets", "aiosqlite")
#: uvicorn's loggers write through their own, non-propagating handlers
_UVICORN_LOGGERS = ("uvicorn", "uvicorn.error")


class AccessFilter(logging.Filter):
    """Redacts uvicorn's access lines argument by argument: its formatter unpacks the
    arguments (client, method, path, version, status), so they must stay a tuple."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redaction.scrub_text(a) if isinstance(a, str) else a
                                for a in record.args)
        return True


def install() -> None:
    """Puts the redaction filter on the root's handlers and uvicorn's loggers, and keeps
    the data-quoting loggers at INFO or above. Call after logging and uvicorn's config."""
    redaction.install()
    for name in _QUOTING_LOGGERS:
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < logging.INFO:
            logger.setLevel(logging.INFO)
    scrubber = redaction.ScrubFilter()
    for name in _UVICORN_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, redaction.ScrubFilter) for f in logger.filters):
            logger.addFilter(scrubber)
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, AccessFilter) for f in access.filters):
        access.addFilter(AccessFilter())
