"""The desktop client core: API, local cache, optimistic mutations, live sync. No Qt here.

The UI codes against :class:`InboxClient` and the types below (INTERFACES.md section C).
"""

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
