"""A logging filter that keeps patient data, tokens and hashes out of the logs, both sides.

Issue 7: logs never contain patient data; issue 16: nor tokens or password hashes, on the
server too. The code logs ids, keys and error kinds, not values; this filter is the net under
that rule for what slips through anyway. It lives in the contract because what it hides is
the contract's knowledge (which fields carry patient data, what a token looks like), and the
client and the server must hide the same things; it does no I/O of its own. It catches:

- pydantic validation errors quote the offending input (``input_value='Maria Silva'``), and
  they reach the log inside "answer breaks the contract" messages;
- a contract model, dict or list passed as a log argument (its patient name, phone, preview,
  message or note body);
- JSON or repr text with such fields (``"body": "..."``, ``'patient_name': '...'``);
- phone numbers anywhere in the text;
- bearer tokens (``Authorization: Bearer …``, ``?token=…`` in an access log line), password
  hashes (argon2, scrypt) and SHA-256 hex digests (how the server stores token hashes).

Install it on the handlers (a filter on a logger does not see its children's records)::

    redaction.install()         # every handler of the root logger, after logging is set up

It rewrites ``record.msg``/``record.args`` into the scrubbed text, and pre-renders the
exception and stack text scrubbed, so every formatter downstream sees only the scrubbed form.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

REDACTED = "<redacted>"

#: Fields of the contract that hold patient data or free text.
SENSITIVE_FIELDS = frozenset({
    "body", "text", "name", "patient_name", "phone", "patient_phone", "email",
    "last_message_preview", "preview", "notes", "birth_date", "document", "insurance",
    "password", "password_hash", "token", "token_hash",
})

_FIELD_ALT = "|".join(sorted(SENSITIVE_FIELDS, key=len, reverse=True))
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # tokens: a query parameter (a live socket's URL in the access log) or a bearer header
    (re.compile(r"([?&](?:token|access_token)=)[^&\s\"']*", re.IGNORECASE), rf"\1{REDACTED}"),
    (re.compile(r"(\bbearer\s+)[\w.~+/=\-]+", re.IGNORECASE), rf"\1{REDACTED}"),
    # password hashes: $argon2id$v=19$m=...,t=...,p=...$salt$hash, and scrypt$n$r$p$salt$hash
    (re.compile(r"\$argon2(?:id|i|d)\$[^\s'\"]+"), REDACTED),
    (re.compile(r"\bscrypt\$[^\s'\"]+"), REDACTED),
    # SHA-256 hex digests (token hashes)
    (re.compile(r"(?<![0-9a-fA-F])[0-9a-fA-F]{64}(?![0-9a-fA-F])"), REDACTED),
    # pydantic: "[type=string_type, input_value='Maria', input_type=str]"
    (re.compile(r"input_value=.*?(?=, input_type=)", re.DOTALL), f"input_value={REDACTED}"),
    # JSON text: "body": "...", with escapes
    (re.compile(rf'("(?:{_FIELD_ALT})"\s*:\s*)"(?:[^"\\]|\\.)*"'), rf'\1"{REDACTED}"'),
    # Python repr: 'body': '...' or "..." and keyword form body='...'
    (re.compile(rf"""((?:'(?:{_FIELD_ALT})'\s*:\s*)|(?<![\w])(?:{_FIELD_ALT})=)"""
                r"""(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""), rf"\1'{REDACTED}'"),
    # phone numbers: +55 (11) 98765-4321, 11 98765 4321, 1198765-4321, (11) 3456-7890 ...
    # not parts of ids, uuids or dotted numbers.
    (re.compile(r"(?<![\w.\-])(?:\+\d{1,3}[\s.\-]?)?(?:\(?\d{2,3}\)?[\s.\-]?)?"
                r"9?\d{4}[\s.\-]?\d{4}(?![\w\-])"), REDACTED),
]


def scrub_text(text: str) -> str:
    """``text`` with pydantic inputs, sensitive JSON/repr fields and phone numbers redacted."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def scrub_value(value: Any) -> Any:
    """A log argument made safe: models and containers lose their sensitive fields."""
    if isinstance(value, BaseModel):
        return f"<{type(value).__name__} {_ids(value.model_dump())}>"
    if isinstance(value, Mapping):
        return {k: (REDACTED if str(k) in SENSITIVE_FIELDS else scrub_value(v))
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub_value(v) for v in value]
    if isinstance(value, int | float | bool) or value is None:
        return value
    return scrub_text(str(value))


def _ids(fields: Mapping[str, Any]) -> str:
    """Only the id-like fields of a model, for a log line that still says which one."""
    return " ".join(f"{k}={v}" for k, v in fields.items()
                    if (k == "id" or k.endswith("_id")) and isinstance(v, int))


class ScrubFilter(logging.Filter):
    """Rewrites each record so no handler downstream sees patient data. Never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            if record.args:
                args = record.args
                if isinstance(args, Mapping):
                    safe: Any = {k: scrub_value(v) for k, v in args.items()}
                else:
                    safe = tuple(scrub_value(a) for a in args)
                message = str(record.msg) % safe
            else:
                message = str(record.msg)
            record.msg = scrub_text(message)
            record.args = None
        except Exception:  # a badly formatted call must not lose the record, nor leak it
            record.msg = f"<unformattable log message from {record.name}:{record.lineno}>"
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = scrub_text(_FORMATTER.formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = scrub_text(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub_text(record.stack_info)
        return True


_FORMATTER = logging.Formatter()


def install(logger: logging.Logger | None = None) -> ScrubFilter:
    """Adds one :class:`ScrubFilter` to every handler of ``logger`` (default: the root)."""
    logger = logger if logger is not None else logging.getLogger()
    scrubber = ScrubFilter()
    for handler in logger.handlers:
        if not any(isinstance(f, ScrubFilter) for f in handler.filters):
            handler.addFilter(scrubber)
    return scrubber
