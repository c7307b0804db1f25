"""The desktop client core: API, local cache, optimistic mutations, live sync. No Qt here.

The UI codes against :class:`InboxClient` and the types below (INTERFACES.md section C).

The names load on first use (PEP 562 ``__getattr__``), not when a submodule is imported:
the desktop app starts its keyring lookup (``security.keystore.find_keyring_early``) before
the facade and the contract models are loaded, so the two overlap (issue 13).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from inbox_app.client.actions.record import ActionKind, Mutation
    from inbox_app.client.errors import (
        ClientError,
        InvalidAnswerError,
        NotAvailableOffline,
        OfflineError,
        PendingActionsError,
        RejectedError,
        TooManyAttemptsError,
        TransientError,
        UnauthorizedError,
    )
    from inbox_app.client.inbox import InboxClient
    from inbox_app.client.views import (
        Change,
        ConnectionState,
        ConversationView,
        DetailView,
        PendingItem,
        Snapshot,
    )

_HOMES = {
    "inbox_app.client.actions.record": ("ActionKind", "Mutation"),
    "inbox_app.client.errors": (
        "ClientError",
        "InvalidAnswerError",
        "NotAvailableOffline",
        "OfflineError",
        "PendingActionsError",
        "RejectedError",
        "TooManyAttemptsError",
        "TransientError",
        "UnauthorizedError",
    ),
    "inbox_app.client.inbox": ("InboxClient",),
    "inbox_app.client.views": (
        "Change",
        "ConnectionState",
        "ConversationView",
        "DetailView",
        "PendingItem",
        "Snapshot",
    ),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "ActionKind",
    "Change",
    "ClientError",
    "ConnectionState",
    "ConversationView",
    "DetailView",
    "InboxClient",
    "InvalidAnswerError",
    "Mutation",
    "NotAvailableOffline",
    "OfflineError",
    "PendingActionsError",
    "PendingItem",
    "RejectedError",
    "Snapshot",
    "TooManyAttemptsError",
    "TransientError",
    "UnauthorizedError",
]


def __getattr__(name: str) -> Any:
    home = _HOME_OF.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # once: later lookups do not come here
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
