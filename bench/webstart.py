"""How soon a freshly started server answers, page by page, on the 100k demo.

    .venv/bin/python -m bench.webstart [--people 100000] [--workers 2] [--seconds 120]

Starts `khronika serve --workers N` on the cached demo (`bench.load.demo_database`) with
empty caches, and from the moment the command is started asks, every 0.1 s, for the page
of a random public person (ids read from the database beforehand), while one request each
waits for the gallery, a name search and the home page. Prints when each first answered
200, and the latency of the person pages asked before the workers' catalogues were built.
Issue 13's budget: a worker answers its first request within 3 s of starting. With
`--warm`, a first start runs until a worker has kept its catalogue (`khronika.web.warm`),
and the second start, which loads it, is the one measured.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import subprocess
import threading
import time
from pathlib import Path

import httpx

from bench.load import _cli, _free_port, _server_env, _stop, demo_database
from khronika.storage import Database
from khronika.storage.reads import public_ids

__all__ = ["main"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=180, help="give up after this long")
    parser.add_argument(
        "--steady", type=float, default=20, help="then this long of person pages, 32 at a time"
    )
    parser.add_argument(
        "--warm",
        action="store_true",
        help="start once first, until a worker has kept its catalogue (khronika.web.warm), "
        "and measure the second start",
    )
    args = parser.parse_args()
    url = demo_database(args.people)
    db = Database(url)
    with db.connect() as conn:
        ids = sorted(public_ids(conn, "person"))
    db.dispose()
    rng = random.Random(7)
    tmp, env = _server_env(url, "webstart")
    if args.warm:
        took = _keep_a_catalogue(env, tmp / "data" / "cache", args.workers, args.seconds)
        print(f"first start: a catalogue kept after {took:.0f} s")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    firsts: dict[str, float] = {}
    t0 = time.perf_counter()
    server = subprocess.Popen(
        [_cli(), "serve", "--workers", str(args.workers), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp / "server.log").open("wb"),
    )

    def wait_for(name: str, path: str) -> None:
        with httpx.Client(timeout=args.seconds) as c:
            while time.perf_counter() - t0 < args.seconds:
                try:
                    if c.get(base + path).status_code == 200:
                        firsts[name] = time.perf_counter() - t0
                        return
                except httpx.TransportError:
                    time.sleep(0.1)  # not listening yet

    word = ids[len(ids) // 2]
    waiters = [
        threading.Thread(target=wait_for, args=(name, path), daemon=True)
        for name, path in (
            ("gallery", "/en/people"),
            ("home", "/en/"),
            ("search", f"/api/v1/search?q={word}"),
        )
    ]
    for w in waiters:
        w.start()
    warm: list[float] = []  # person pages answered before the gallery could be
    when: list[float] = []  # … and when each was asked
    try:
        with httpx.Client(timeout=30) as c:
            while time.perf_counter() - t0 < args.seconds and "gallery" not in firsts:
                pid = rng.choice(ids)
                t = time.perf_counter()
                try:
                    r = c.get(f"{base}/en/people/{pid}")
                except httpx.TransportError:
                    time.sleep(0.05)
                    continue
                if r.status_code != 200:
                    raise SystemExit(f"/en/people/{pid}: {r.status_code}")
                firsts.setdefault("person", time.perf_counter() - t0)
                warm.append(time.perf_counter() - t)
                when.append(t - t0)
                time.sleep(0.1)
        for w in waiters:
            w.join(args.seconds)
        steady = asyncio.run(_steady(base, ids, args.steady)) if args.steady else None
    finally:
        _stop(server)
    print(
        f"khronika serve --workers {args.workers}, {len(ids):,} public people ({args.people:,} demo)"
    )
    for name in ("person", "gallery", "search", "home"):
        shown = f"{firsts[name]:.1f} s" if name in firsts else f"not within {args.seconds:.0f} s"
        print(f"  first 200 of {name:<8} {shown} after the command started")
    if warm:
        q = statistics.quantiles(warm, n=100) if len(warm) > 1 else [warm[0]] * 99
        print(
            f"  person pages before the gallery answered: {len(warm)}, "
            f"p50 {statistics.median(warm) * 1000:.0f} ms, p99 {q[98] * 1000:.0f} ms"
        )
        slowest = sorted(zip(warm, when, strict=True), reverse=True)[:3]
        print(
            "  the slowest: "
            + ", ".join(f"{w * 1000:.0f} ms (asked at {t:.1f} s)" for w, t in slowest)
        )
    if steady:
        n, seconds, lat = steady
        q = statistics.quantiles(lat, n=100)
        print(
            f"  then {n} person pages in {seconds:.0f} s, 32 at a time: {n / seconds:.0f} req/s, "
            f"p50 {statistics.median(lat) * 1000:.0f} ms, p99 {q[98] * 1000:.0f} ms "
            "(the client shares the 2 cores)"
        )


def _keep_a_catalogue(env: dict[str, str], cache: Path, workers: int, limit: float) -> float:
    """Serve until a worker has written its kept catalogue; return how long that took."""
    t0 = time.perf_counter()
    server = subprocess.Popen(
        [_cli(), "serve", "--workers", str(workers), "--port", str(_free_port())],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while not list(cache.glob("catalogue-*.pickle")):
            if time.perf_counter() - t0 > limit:
                raise SystemExit(f"no catalogue kept in {cache} within {limit:.0f} s")
            time.sleep(0.2)
        return time.perf_counter() - t0
    finally:
        _stop(server)


async def _steady(base: str, ids: list[str], seconds: float) -> tuple[int, float, list[float]]:
    """Random person pages from 32 concurrent clients for `seconds`: (count, wall, latencies)."""
    lat: list[float] = []
    rng = random.Random(11)
    end = time.perf_counter() + seconds
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=32)) as c:

        async def one() -> None:
            while time.perf_counter() < end:
                t = time.perf_counter()
                r = await c.get(f"{base}/en/people/{rng.choice(ids)}")
                if r.status_code != 200:
                    raise SystemExit(f"{r.url}: {r.status_code}")
                lat.append(time.perf_counter() - t)

        t0 = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(32)))
    return len(lat), time.perf_counter() - t0, lat


if __name__ == "__main__":
    main()
