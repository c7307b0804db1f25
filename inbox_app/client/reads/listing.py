"""The conversation list's rules: which tab and search show a conversation, and in what order.

Plain Python over :class:`ConversationView`, no Qt: the Qt model of the list only calls these
(tests/client/reads/test_listing.py tests them without a QApplication).
- Tabs: Open (open conversations), Archived, Unread (open with unread messages), Urgent (open
  and urgent).
- Search: accent- and case-insensitive over the patient's name and the last message's preview,
  and over the phone's digits whatever the punctuation (three digits at least). A search
  covers every tab, open and archived alike, and each result says in which tab it lives
  (:func:`home_tab`).
- Order: newest activity first, the larger id first on ties.
- Counts: how many conversations each tab holds (the tabs show Unread's and Urgent's, the
  window title Unread's), kept up to date one conversation at a time.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime
from enum import StrEnum

from inbox_app.client.views import ConversationView
from inbox_app.contract.models import ConversationSummary, Priority, Status

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: ascending for newest first (see :func:`sort_key`)
SortKey = tuple[float, int]
#: the shortest run of digits that searches phones (fewer would match nearly every phone)
MIN_PHONE_DIGITS = 3


class Filter(StrEnum):
    """The tabs above the list (Open, Archived, Unread, Urgent)."""

    OPEN = "open"
    ARCHIVED = "archived"
    UNREAD = "unread"
    URGENT = "urgent"


def sort_key(view: ConversationView) -> SortKey:
    """Ascending key for newest first: latest activity, then the larger id on ties."""
    summary = view.summary
    when = summary.last_message_at or summary.updated_at or _EPOCH
    return (-when.timestamp(), -summary.id)


def fold(text: str) -> str:
    """Lower case without accents, so "joao" finds "João"."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def digits(text: str) -> str:
    """Only the digits, so "(11) 98765" and "1198765" match the same phone."""
    return "".join(ch for ch in text if ch.isdigit())


def in_tab(summary: ConversationSummary, tab: Filter) -> bool:
    """Whether a tab shows this conversation (the search aside)."""
    wanted = Status.ARCHIVED if tab is Filter.ARCHIVED else Status.OPEN
    if summary.status != wanted:
        return False
    if tab is Filter.UNREAD:
        return summary.unread_count > 0
    if tab is Filter.URGENT:
        return summary.priority == Priority.URGENT
    return True


def home_tab(summary: ConversationSummary) -> Filter:
    """The tab a conversation lives in: Archived, or Open (Unread and Urgent are parts of
    Open), which a search result names."""
    return Filter.ARCHIVED if summary.status == Status.ARCHIVED else Filter.OPEN


class Search:
    """What the user typed, folded once; matches name, preview and phone digits."""

    __slots__ = ("digits", "text")

    def __init__(self, text: str) -> None:
        self.text = fold(text.strip())
        number = digits(self.text)
        self.digits = number if len(number) >= MIN_PHONE_DIGITS else ""

    def matches(self, haystack: tuple[str, str]) -> bool:
        """``haystack``: (folded name and preview, phone digits), see :meth:`ListFilter`."""
        if not self.text:
            return True
        words, phone = haystack
        return self.text in words or bool(self.digits and self.digits in phone)


class ListFilter:
    """The tab and the search the user chose, with what each conversation is searched by.

    The searchable text of a conversation is folded once and kept until its name, preview
    or phone changes, so a refilter over 100k rows folds nothing twice.
    """

    def __init__(self) -> None:
        self._filter = Filter.OPEN
        self._search = Search("")
        # id -> (name, preview, phone) it was made from, (folded words, phone digits)
        self._haystack: dict[int, tuple[tuple[str, str, str | None], tuple[str, str]]] = {}

    @property
    def filter(self) -> Filter:
        """The tab the user chose."""
        return self._filter

    @property
    def searching(self) -> bool:
        """Whether a search replaces the tab (results from every tab)."""
        return bool(self._search.text)

    @property
    def search(self) -> str:
        """The search as matched (folded), empty for none."""
        return self._search.text

    def set_filter(self, value: Filter) -> bool:
        """Chooses a tab; whether that changed anything."""
        changed = value is not self._filter
        self._filter = value
        return changed

    def set_search(self, text: str) -> bool:
        """Searches ``text``; whether that changed what matches."""
        search = Search(text)
        changed = search.text != self._search.text
        self._search = search
        return changed

    def accepts(self, view: ConversationView) -> bool:
        """Whether the chosen tab and search show this conversation (a search: every tab)."""
        summary = view.summary
        if self._search.text:
            return self._search.matches(self._haystack_of(summary))
        return in_tab(summary, self._filter)

    def visible(self, views: Iterable[ConversationView]) -> list[ConversationView]:
        """The conversations shown, in list order."""
        return sorted((v for v in views if self.accepts(v)), key=sort_key)

    def forget(self, conversation_id: int) -> None:
        """Drops what was kept for a conversation that left the list."""
        self._haystack.pop(conversation_id, None)

    def clear(self) -> None:
        """Drops everything kept (a new list)."""
        self._haystack.clear()

    def _haystack_of(self, summary: ConversationSummary) -> tuple[str, str]:
        source = (summary.patient_name, summary.last_message_preview, summary.patient_phone)
        cached = self._haystack.get(summary.id)
        if cached is not None and cached[0] == source:
            return cached[1]
        haystack = (
            fold(f"{summary.patient_name}\n{summary.last_message_preview}"),
            digits(summary.patient_phone or ""),
        )
        self._haystack[summary.id] = (source, haystack)
        return haystack


class TabCounts:
    """How many conversations each tab holds, updated per conversation (O(1) a change, so a
    change at 100k rows never recounts them all)."""

    def __init__(self) -> None:
        self._counts = dict.fromkeys(Filter, 0)

    def count(self, tab: Filter) -> int:
        """The conversations ``tab`` shows (the search aside)."""
        return self._counts[tab]

    def clear(self) -> None:
        """Counts nothing (a new list)."""
        self._counts = dict.fromkeys(Filter, 0)

    def add(self, summary: ConversationSummary) -> None:
        """Counts a conversation in every tab that shows it."""
        self._step(summary, 1)

    def remove(self, summary: ConversationSummary) -> None:
        """Stops counting a conversation (it changed or left the list)."""
        self._step(summary, -1)

    def _step(self, summary: ConversationSummary, delta: int) -> None:
        for tab in Filter:
            if in_tab(summary, tab):
                self._counts[tab] += delta

    def snapshot(self) -> dict[Filter, int]:
        """A copy of every tab's count."""
        return dict(self._counts)
