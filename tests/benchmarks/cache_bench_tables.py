"""The tables of bench_server_cache.py's section 3c (issue 14 side by side): what each
variant's server counted (its /api/metrics, per window) and what its clients met, printed as
Markdown (tests/benchmarks/README.md keeps a run).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field

from tests.benchmarks.cache_bench_clients import Ledger, Opens

KINDS = ("conversations_list", "conversation_detail", "patient_data")
#: The per-kind counters of /api/metrics the tables subtract and sum.
COUNTERS = (
    "hits",
    "misses",
    "skipped",
    "loads",
    "refreshes",
    "patches",
    "early_refreshes",
    "coalesced",
    "errors",
)
#: the order of the tables' "(detail, list, patient)" cells
LOADED = ("conversation_detail", "conversations_list", "patient_data")


@dataclass(frozen=True)
class Variant:
    label: str
    redis: bool
    prefetch: bool
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Window:
    """What one window cost the server, and what the clients met in it."""

    metrics: dict
    seconds: float
    opens: Opens
    requests: int
    prefetch_requests: int
    writes: int

    def kind(self, kind: str) -> dict[str, int]:
        return self.metrics["cache"][kind]

    def hit_rate(self, kind: str, *, asked: bool = False) -> float | None:
        """Hits over reads; ``asked``: over the reads Redis was asked (the breaker closed)."""
        figures = self.kind(kind)
        reads = figures["hits"] + figures["misses"] + (0 if asked else figures["skipped"])
        return figures["hits"] / reads if reads else None

    def reads(self, kind: str) -> int:
        figures = self.kind(kind)
        return figures["hits"] + figures["misses"] + figures["skipped"]

    @property
    def db_reads(self) -> int:
        db = self.metrics["db"]
        return db["queries"] - db["write_queries"]

    @property
    def db_writes(self) -> int:
        return self.metrics["db"]["write_queries"]

    @property
    def load_queries(self) -> int:
        """The read queries of the cache loads: two a detail (conversation with messages,
        notes), one a list or a patient (inbox_app/server/db/store.py)."""
        return (
            2 * self.kind("conversation_detail")["loads"]
            + self.kind("conversations_list")["loads"]
            + self.kind("patient_data")["loads"]
        )


@dataclass
class Result:
    variant: Variant
    session: Window
    measured: Window
    warmed: tuple[int, int]  # lists, and unread details and patients, loaded at start
    ledger: Ledger


def delta(before: dict, after: dict) -> dict:
    """``after - before`` of the counters of two /api/metrics answers."""
    cache = {
        kind: {k: after["cache"][kind][k] - before["cache"][kind][k] for k in COUNTERS}
        for kind in KINDS
    }
    db = {k: after["db"][k] - before["db"][k] for k in ("queries", "write_queries")}
    return {
        "cache": cache,
        "db": db,
        "requests": after["requests"]["total"] - before["requests"]["total"],
    }


ZERO = {
    "cache": {
        kind: dict.fromkeys(
            COUNTERS,
            0,
        )
        for kind in KINDS
    },
    "db": {"queries": 0, "write_queries": 0},
    "requests": {"total": 0},
}


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.1%}"


def _fewer(value: int, base: int | None) -> str:
    return "—" if not base else f"{1 - value / base:.1%}"


def report(args: argparse.Namespace, results: list[Result]) -> None:
    baseline = next((r for r in results if r.variant.label.startswith("C")), None)
    print(
        f"\n### 3c. Issue 14 side by side: real InboxClient receptionists, "
        f"{args.warmup} warm-up steps and {args.steps} measured, think {args.think:.2f} s\n"
    )
    for title, pick in (
        (
            "Session: from each server's start (warming, 20 sign-ins and their "
            "prefetch, every step)",
            lambda r: r.session,
        ),
        ("Measured steps only (after the warm-up; comparable with 3a)", lambda r: r.measured),
    ):
        windows = [pick(r) for r in results]
        base = pick(baseline).db_reads if baseline is not None else None
        print(f"#### {title}\n")
        print("| | " + " | ".join(r.variant.label for r in results) + " |")
        print("|---|" + "---:|" * len(results))

        def line(name: str, cells: list[str]) -> None:
            print(f"| {name} | " + " | ".join(cells) + " |")

        line("server detail reads", [str(w.reads("conversation_detail")) for w in windows])
        line(
            "detail hit rate (target >= 90%)",
            [_pct(w.hit_rate("conversation_detail")) for w in windows],
        )
        line(
            "list hit rate (target >= 99%)",
            [_pct(w.hit_rate("conversations_list")) for w in windows],
        )
        line("patient hit rate", [_pct(w.hit_rate("patient_data")) for w in windows])
        line(
            "DB loads of cached values (detail, list, patient)",
            [", ".join(str(w.kind(k)["loads"]) for k in LOADED) for w in windows],
        )
        line(
            "- of which write-through (detail, list, patient)",
            [", ".join(str(w.kind(k)["refreshes"]) for k in LOADED) for w in windows],
        )
        line(
            "- of which early refresh (all kinds)",
            [str(sum(w.kind(k)["early_refreshes"] for k in KINDS)) for w in windows],
        )
        if any(w.kind(k)["errors"] or w.kind(k)["skipped"] for w in windows for k in KINDS):
            line(
                "Redis failures; reads that skipped Redis while its breaker was open "
                "(detail, list, patient)",
                [
                    f"{sum(w.kind(k)['errors'] for k in KINDS)}; "
                    + ", ".join(str(w.kind(k)["skipped"]) for k in LOADED)
                    for w in windows
                ],
            )
            line(
                "- hit rate of the reads Redis was asked (detail, list)",
                [
                    f"{_pct(w.hit_rate('conversation_detail', asked=True))}, "
                    f"{_pct(w.hit_rate('conversations_list', asked=True))}"
                    if w.reads("conversation_detail") and w.kind("conversation_detail")["hits"]
                    else "—"
                    for w in windows
                ],
            )
        line(
            "values patched in place by writes (detail, list)",
            [
                f"{w.kind('conversation_detail')['patches']}, "
                f"{w.kind('conversations_list')['patches']}"
                for w in windows
            ],
        )
        line("DB read queries", [str(w.db_reads) for w in windows])
        line("- fewer than C (target >= 80%)", [_fewer(w.db_reads, base) for w in windows])
        line(
            "- of which cache loads (2 queries a detail, 1 a list or patient)",
            [str(w.load_queries) for w in windows],
        )
        line(
            "- of which the rest: token checks (each session's every 5 s), sign-ins, "
            "live hellos, outbox polls",
            [str(w.db_reads - w.load_queries) for w in windows],
        )
        line("DB write statements (no cache removes them)", [str(w.db_writes) for w in windows])
        line("writes sent (actions, patient messages)", [str(w.writes) for w in windows])
        line(
            "HTTP requests from the clients (prefetch lane)",
            [f"{w.requests} ({w.prefetch_requests})" for w in windows],
        )
        line("receptionist opens", [str(w.opens.total) for w in windows])
        line(
            "- detail from the local cache, no request (fresh)",
            [_pct(w.opens.fresh / w.opens.total) if w.opens.total else "—" for w in windows],
        )
        line(
            "- detail from the local cache, re-read behind (stale)",
            [_pct(w.opens.stale / w.opens.total) if w.opens.total else "—" for w in windows],
        )
        line(
            "- waited for the network",
            [_pct(w.opens.network / w.opens.total) if w.opens.total else "—" for w in windows],
        )
        line(
            "- patient from the local cache too",
            [
                _pct(w.opens.patient_local / w.opens.total) if w.opens.total else "—"
                for w in windows
            ],
        )
        if any(w.opens.failed for w in windows):
            line(
                "opens that failed (the window shows an error)",
                [str(w.opens.failed) for w in windows],
            )
        line("wall time s", [f"{w.seconds:.1f}" for w in windows])
        print()
    print(
        "Warming at start (lists; unread details and their patients) loaded: "
        + "; ".join(f"{r.variant.label[0]} {r.warmed[0]}, {r.warmed[1]}" for r in results)
    )
    print(
        "\nWhere the session's cached reads came from, and the cold ones among them (the "
        "first read of a key in its clinic that neither warming nor a write-through had "
        "put in Redis; they bound the hit rate):\n"
    )
    print(
        "| kind | source | "
        + " | ".join(f"{r.variant.label[0]} reads (cold)" for r in results)
        + " |"
    )
    print("|---|---|" + "---:|" * len(results))
    sources = ("open", "prefetch", "background")
    for kind in KINDS:
        for source in sources:
            cells = [
                f"{r.ledger.count(kind).get(source, 0)} "
                f"({r.ledger.count(kind, cold=True).get(source, 0)})"
                for r in results
            ]
            if any(not c.startswith("0 ") for c in cells):
                print(f"| {kind} | {source} | " + " | ".join(cells) + " |")
    if baseline is not None:
        c = baseline.session
        first = (
            2 * sum(baseline.ledger.count("conversation_detail", cold=True).values())
            + sum(baseline.ledger.count("conversations_list", cold=True).values())
            + sum(baseline.ledger.count("patient_data", cold=True).values())
        )
        rest = c.db_reads - c.load_queries
        print(
            f"\nA bound on 'fewer than C' (session): a cache that loaded each key the "
            f"receptionists read exactly once, and nothing else, would still leave C's "
            f"{rest} reads that are not cache loads and the {first} queries of those first "
            f"loads: at best {_fewer(rest + first, c.db_reads)} fewer than C."
        )
    print("\nBest hit rate possible (1 - cold / reads), session and measured steps:\n")
    for r in results:
        if r.variant.redis:
            print(
                f"- {r.variant.label}: "
                + "; ".join(
                    f"{kind} {_best(r.ledger, kind)}, {_best(r.ledger, kind, since_mark=True)}"
                    for kind in KINDS
                )
            )


def _best(ledger: Ledger, kind: str, *, since_mark: bool = False) -> str:
    reads = sum(ledger.count(kind, since_mark=since_mark).values())
    cold = sum(ledger.count(kind, cold=True, since_mark=since_mark).values())
    return _pct(1 - cold / reads) if reads else "—"
