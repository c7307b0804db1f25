"""Clinic Inbox: a desktop inbox for clinic receptionists, and its server."""

from inbox_app.contract import VERSION as __version__

__all__ = ["__version__"]
