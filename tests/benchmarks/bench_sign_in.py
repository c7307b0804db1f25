"""What a sign-in costs with argon2id versus the former scrypt (issue 16).

1. One password check, side by side in interleaved rounds: the former scrypt (N=2**14, r=8,
   p=1), argon2id at OWASP's cost (m=19 MiB, t=2, p=1, what ships), and argon2-cffi's default
   profile (RFC 9106 low memory: m=64 MiB, t=3, p=4) for scale.
2. ``POST /api/auth/login`` end to end on a real server (small demo, SQLite, no Redis),
   sequential, one connection: what a receptionist waits for.

Command: ``.venv/bin/python -m tests.benchmarks.bench_sign_in`` (~30 s).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from argon2 import PasswordHasher

from inbox_app.server.auth import hash_password, legacy_scrypt_hash, verify_password
from tests.support import DEMO_PASSWORD, ServerProcess, SqliteTemplates

PASSWORD = "correct horse battery"


def timed_ms(check: Callable[[], object], count: int) -> list[float]:
    times = []
    for _ in range(count):
        start = time.perf_counter()
        check()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--checks", type=int, default=5, help="checks per variant and round")
    parser.add_argument("--logins", type=int, default=40)
    args = parser.parse_args()
    default = PasswordHasher()
    default_hash = default.hash(PASSWORD)
    scrypt_hash, argon2_hash = legacy_scrypt_hash(PASSWORD), hash_password(PASSWORD)
    variants: dict[str, Callable[[], object]] = {
        "scrypt N=2^14 (before)": lambda: verify_password(PASSWORD, scrypt_hash),
        "argon2id m=19MiB t=2 p=1 (ships)": lambda: verify_password(PASSWORD, argon2_hash),
        "argon2id m=64MiB t=3 p=4 (lib default)": lambda: default.verify(default_hash, PASSWORD),
    }
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(args.rounds):
        for name, check in variants.items():
            samples[name] += timed_ms(check, args.checks)
    base = statistics.median(samples["scrypt N=2^14 (before)"])
    print(f"1. one password check, {args.rounds} rounds x {args.checks}, interleaved")
    print(f"{'variant':<40}{'p50 ms':>9}{'p95 ms':>9}{'x before':>10}")
    for name, values in samples.items():
        p50 = statistics.median(values)
        p95 = statistics.quantiles(values, n=20)[18]
        print(f"{name:<40}{p50:>9.1f}{p95:>9.1f}{p50 / base:>10.2f}")
    with tempfile.TemporaryDirectory() as folder:
        url = SqliteTemplates(Path(folder)).copy("small", Path(folder) / "inbox.db")
        server = ServerProcess(url).start()
        try:
            with httpx.Client(base_url=server.url, timeout=30) as http:
                body = {"email": "ana@aurora.example", "password": DEMO_PASSWORD}
                http.post("/api/auth/login", json=body).raise_for_status()  # warm-up
                times = timed_ms(lambda: http.post("/api/auth/login", json=body)
                                 .raise_for_status(), args.logins)
        finally:
            server.stop()
    print(f"2. POST /api/auth/login end to end, {args.logins} sequential: "
          f"p50 {statistics.median(times):.1f} ms, "
          f"p95 {statistics.quantiles(times, n=20)[18]:.1f} ms")


if __name__ == "__main__":
    main()
