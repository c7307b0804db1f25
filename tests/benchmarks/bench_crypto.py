"""Encrypted versus plain cache read of the 500-conversation list (issue 7), side by side.

    .venv/bin/python tests/benchmarks/bench_crypto.py [--rounds 30] [--per-round 50]

Each read is what the client does on a cache hit: a raw diskcache ``get`` of the stored bytes,
then decoding to Python objects. Variants, interleaved round by round in one run so that
machine noise hits all of them alike:

- plain:        diskcache's default Disk, JSON bytes, ``orjson.loads`` (the floor)
- safedisk:     SafeDisk (bytes only, no pickle), same JSON bytes, ``orjson.loads``
- sealed:       SafeDisk, AES-256-GCM sealed entry, ``SealedCodec.decode`` (what ships)
- sealed-file:  as sealed, but stored as a value file (diskcache's default 32 KB threshold)

Target: sealed within 1.5x of plain (median).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import diskcache
import orjson
from faker import Faker

from inbox_app.client.security.crypto import SealedCodec, new_key
from inbox_app.client.security.safe_disk import SafeDisk
from inbox_app.contract import policy
from inbox_app.contract.models import ConversationSummary

KEY = policy.list_key(1)
TARGET = 1.5


def conversation_list(count: int = 500) -> list[dict]:
    """A realistic inbox list, validated against the contract, as JSON-ready dicts."""
    fake = Faker("pt_BR")
    Faker.seed(1)
    now = datetime(2026, 11, 24, 12, tzinfo=UTC)
    rows = []
    for i in range(1, count + 1):
        summary = ConversationSummary(
            id=i, clinic_id=1, patient_id=1000 + i, patient_name=fake.name(),
            channel="whatsapp", status="open" if i % 7 else "archived",
            priority=("low", "normal", "high", "urgent")[i % 4], unread_count=i % 5,
            last_message_preview=fake.text(max_nb_chars=180).replace("\n", " "),
            last_message_at=now - timedelta(minutes=i), updated_at=now - timedelta(minutes=i),
            version=i % 9, patient_phone=fake.cellphone_number(),
        )
        rows.append(summary.model_dump(mode="json"))
    return rows


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--per-round", type=int, default=50)
    args = parser.parse_args(argv)

    rows = conversation_list()
    plain_bytes = orjson.dumps(rows)
    codec = SealedCodec(new_key(), context=b"cache")
    sealed_bytes = codec.encode(rows, associated=KEY)

    with tempfile.TemporaryDirectory(prefix="bench-crypto-") as tmp:
        big = 1 << 22  # values stay inline in SQLite (ARCHITECTURE.md section 9)
        caches = {
            "plain": diskcache.Cache(f"{tmp}/plain", disk_min_file_size=big),
            "safedisk": diskcache.Cache(f"{tmp}/safe", disk=SafeDisk, disk_min_file_size=big),
            "sealed": diskcache.Cache(f"{tmp}/sealed", disk=SafeDisk, disk_min_file_size=big),
            "sealed-file": diskcache.Cache(f"{tmp}/sealedf", disk=SafeDisk),
        }
        caches["plain"].set(KEY, plain_bytes)
        caches["safedisk"].set(KEY, plain_bytes)
        caches["sealed"].set(KEY, sealed_bytes)
        caches["sealed-file"].set(KEY, sealed_bytes)

        reads: dict[str, Callable[[], object]] = {
            "plain": lambda: orjson.loads(caches["plain"].get(KEY)),
            "safedisk": lambda: orjson.loads(caches["safedisk"].get(KEY)),
            "sealed": lambda: codec.decode(caches["sealed"].get(KEY), associated=KEY),
            "sealed-file": lambda: codec.decode(caches["sealed-file"].get(KEY), associated=KEY),
        }
        for name, read in reads.items():  # the same answer from each, and warm-up
            assert read() == rows, name

        samples: dict[str, list[float]] = {name: [] for name in reads}
        clock = time.perf_counter_ns
        for _ in range(args.rounds):
            for name, read in reads.items():
                bucket = samples[name]
                for _ in range(args.per_round):
                    start = clock()
                    read()
                    bucket.append((clock() - start) / 1e6)

        # The crypto alone, to show where the time goes.
        parts: dict[str, list[float]] = {"orjson.loads": [], "AES-GCM open": []}
        for _ in range(args.rounds * args.per_round):
            start = clock()
            codec.unseal(sealed_bytes, associated=KEY)
            parts["AES-GCM open"].append((clock() - start) / 1e6)
            start = clock()
            orjson.loads(plain_bytes)
            parts["orjson.loads"].append((clock() - start) / 1e6)
        for cache in caches.values():
            cache.close()

    floor = statistics.median(samples["plain"])
    print(f"500-conversation list: {len(plain_bytes) / 1024:.0f} KiB JSON, "
          f"{len(sealed_bytes) / 1024:.0f} KiB sealed; "
          f"{args.rounds} rounds x {args.per_round} reads per variant, interleaved")
    print(f"{'variant':<14}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'x plain (p50)':>15}")
    for name, values in [*samples.items(), *parts.items()]:
        p50 = statistics.median(values)
        print(f"{name:<14}{p50:>9.3f}{percentile(values, 0.95):>9.3f}"
              f"{percentile(values, 0.99):>9.3f}{p50 / floor:>15.2f}")
    ratio = statistics.median(samples["sealed"]) / floor
    verdict = "within" if ratio <= TARGET else "OVER"
    print(f"sealed / plain = {ratio:.2f}x: {verdict} the {TARGET}x target")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
