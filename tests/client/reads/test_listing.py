"""Tests of inbox_app/client/reads/listing.py: tabs, accent-insensitive search, order. No Qt."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from inbox_app.client import ConversationView
from inbox_app.client.reads.listing import (
    Filter,
    ListFilter,
    TabCounts,
    fold,
    home_tab,
    sort_key,
)
from inbox_app.contract.models import ConversationSummary, Priority, Status

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def view(cid: int, minutes_ago: int, **changes: Any) -> ConversationView:
    """A conversation row of the demo shape, ``minutes_ago`` since its last message."""
    fields: dict[str, Any] = dict(
        id=cid, clinic_id=1, patient_id=cid, patient_name=f"Paciente {cid}", channel="whatsapp",
        status=Status.OPEN, priority=Priority.NORMAL, unread_count=0,
        last_message_preview=f"mensagem {cid}",
        last_message_at=NOW - timedelta(minutes=minutes_ago),
        updated_at=NOW - timedelta(minutes=minutes_ago), version=1,
        patient_phone=f"+55 11 9{cid:04d}-0000",
    )
    pending = changes.pop("pending", False)
    fields.update(changes)
    return ConversationView(ConversationSummary(**fields), pending=pending)


def bump(v: ConversationView, **changes: Any) -> ConversationView:
    """The same row with some summary fields changed."""
    return dataclasses.replace(v, summary=v.summary.model_copy(update=changes))


def ids(rules: ListFilter, views: list[ConversationView]) -> list[int]:
    return [v.id for v in rules.visible(views)]


@pytest.fixture
def rows() -> list[ConversationView]:
    return [view(i, minutes_ago=i * 10) for i in range(1, 11)]


def test_newest_first_and_the_larger_id_first_on_ties() -> None:
    rows = [view(1, 50), view(2, 5), view(3, 20), view(4, 20)]
    assert ids(ListFilter(), rows) == [2, 4, 3, 1]
    no_message = view(5, 0, last_message_at=None, updated_at=NOW - timedelta(minutes=30))
    assert sort_key(no_message) > sort_key(view(3, 20))  # falls back to updated_at


def test_the_open_tab_shows_open_conversations_only(rows: list[ConversationView]) -> None:
    rows[2] = bump(rows[2], status=Status.ARCHIVED)
    rules = ListFilter()
    assert rules.filter is Filter.OPEN
    assert 3 not in ids(rules, rows) and len(ids(rules, rows)) == 9
    assert rules.set_filter(Filter.ARCHIVED)
    assert ids(rules, rows) == [3]
    assert not rules.set_filter(Filter.ARCHIVED)  # the same tab again changes nothing


def test_unread_and_urgent_tabs(rows: list[ConversationView]) -> None:
    rows[1] = bump(rows[1], unread_count=1)
    rows[3] = bump(rows[3], priority=Priority.URGENT)
    rows[5] = bump(rows[5], unread_count=2, priority=Priority.URGENT, status=Status.ARCHIVED)
    rules = ListFilter()
    rules.set_filter(Filter.UNREAD)
    assert ids(rules, rows) == [2]  # an archived unread one stays in Archived
    rules.set_filter(Filter.URGENT)
    assert ids(rules, rows) == [4]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("joao", [3]),            # accents folded: "João"
        ("JOÃO", [3]),
        ("araujo", [3]),
        ("remarcar", [5]),        # preview
        ("9 0006", [6]),          # phone digits, whatever the punctuation
        ("90006", [6]),
        ("zzz", []),
        ("", list(range(1, 11))),
        ("  ", list(range(1, 11))),
    ],
)
def test_search_matches_name_phone_and_preview(
    rows: list[ConversationView], text: str, expected: list[int]
) -> None:
    rows[2] = bump(rows[2], patient_name="João Araújo")
    rows[4] = bump(rows[4], last_message_preview="Posso remarcar?")
    rules = ListFilter()
    rules.set_search(text)
    assert ids(rules, rows) == expected


def test_two_digits_do_not_search_phones(rows: list[ConversationView]) -> None:
    rules = ListFilter()
    rules.set_search("11")  # every phone has "11": too few digits to mean one
    assert ids(rules, rows) == []


def test_a_changed_name_is_searched_by_its_new_text(rows: list[ConversationView]) -> None:
    rules = ListFilter()
    rules.set_search("paciente 4")
    assert ids(rules, rows) == [4]
    rows[3] = bump(rows[3], patient_name="Outra Pessoa")
    assert ids(rules, rows) == []
    rules.set_search("outra")
    assert ids(rules, rows) == [4]


def test_search_changes_only_when_what_matches_changes() -> None:
    rules = ListFilter()
    assert rules.set_search("João")
    assert not rules.set_search(" joao ")  # folds to the same search
    assert rules.search == "joao"


def test_fold_removes_accents_and_case() -> None:
    assert fold("ÁGUEDA Conceição") == "agueda conceicao"


def test_tab_counts_follow_each_change() -> None:
    counts = TabCounts()
    base = _summary_for_counts()
    counts.add(base)
    assert [counts.count(t) for t in Filter] == [1, 0, 1, 0]
    urgent = base.model_copy(update={"priority": "urgent", "unread_count": 0})
    counts.remove(base)
    counts.add(urgent)
    assert [counts.count(t) for t in Filter] == [1, 0, 0, 1]
    archived = urgent.model_copy(update={"status": "archived"})
    counts.remove(urgent)
    counts.add(archived)
    assert [counts.count(t) for t in Filter] == [0, 1, 0, 0]
    counts.remove(archived)
    assert [counts.count(t) for t in Filter] == [0, 0, 0, 0]


def _summary_for_counts() -> ConversationSummary:
    now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    return ConversationSummary(
        id=1, clinic_id=1, patient_id=1, patient_name="Maria", channel="whatsapp",
        status="open", priority="normal", unread_count=2, last_message_preview="oi",
        last_message_at=now, updated_at=now, version=1)


def test_a_search_covers_every_tab_and_names_each_results_tab() -> None:
    opened = ConversationView(_summary_for_counts())
    archived = ConversationView(_summary_for_counts().model_copy(
        update={"id": 2, "status": "archived"}))
    rules = ListFilter()
    rules.set_filter(Filter.URGENT)
    assert rules.visible([opened, archived]) == []
    rules.set_search("maria")
    assert rules.searching
    assert {v.id for v in rules.visible([opened, archived])} == {1, 2}
    assert [home_tab(v.summary) for v in (opened, archived)] == [Filter.OPEN, Filter.ARCHIVED]
    rules.set_search("")
    assert rules.visible([opened, archived]) == []
