"""The client's log scrubbing: the contract's filter (inbox_app/contract/redaction.py).

The filter moved to the contract so the server installs the very same one (issue 16); this
module keeps the client's import path.
"""

from __future__ import annotations

from inbox_app.contract.redaction import (
    REDACTED,
    SENSITIVE_FIELDS,
    ScrubFilter,
    install,
    scrub_text,
    scrub_value,
)

__all__ = ["REDACTED", "SENSITIVE_FIELDS", "ScrubFilter", "install", "scrub_text",
           "scrub_value"]
