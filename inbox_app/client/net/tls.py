"""Certificates and plain HTTP: how the app trusts a clinic's server.

HTTPS is verified against the operating system's trust store (the ``truststore`` package:
the same certificates the browser trusts, a clinic's CA installed by its IT included), plus
an optional CA file (``INBOX_CA_FILE``) for a clinic's own CA that is not installed. A
certificate that does not verify is a :class:`~inbox_app.client.errors.CertificateError`
with the reason, never a silent fallback to no verification.

Plain ``http://`` is fine on loopback (the embedded demo); to any other host it sends the
password and patient data in the clear, so the UI asks once per server
(:func:`needs_confirmation`).
"""

from __future__ import annotations

import functools
import ipaddress
import os
import ssl
from urllib.parse import urlsplit

CA_FILE_VARIABLE = "INBOX_CA_FILE"


@functools.cache
def ssl_context(ca_file: str | None = None) -> ssl.SSLContext:
    """The verifying context for HTTPS and WSS: the OS trust store plus ``ca_file`` (default
    ``INBOX_CA_FILE``). One per CA file, shared by every connection."""
    # imported at the first connection, not with this module: the app paints its window
    # before it talks to the server (issue 13)
    import truststore

    context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    extra = ca_file or os.environ.get(CA_FILE_VARIABLE) or None
    if extra:
        context.load_verify_locations(cafile=extra)
    return context


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def needs_confirmation(url: str) -> bool:
    """Whether ``url`` is plain HTTP to a host beyond this machine."""
    parts = urlsplit(url)
    return parts.scheme == "http" and not is_loopback(parts.hostname or "")


def with_scheme(text: str) -> str:
    """A typed server address as a URL: ``https://`` unless a scheme was given, or the host
    is this machine (the demo server speaks plain HTTP on loopback)."""
    value = text.strip()
    if "://" in value:
        return value
    host = urlsplit(f"//{value}").hostname or ""
    return f"{'http' if is_loopback(host) else 'https'}://{value}"
