"""Load the public site with mixed traffic while an editor saves records and an import runs.

    .venv/bin/python -m bench.load [--people 100000] [--seconds 60] [--clients 24]
                                   [--import-people 3000] [--edit-every 0.5]

1. Builds the `--people` demo once (cached under DATA_DIR, outside the repository) and serves
   it with `khronika serve --workers 2` (rate limit off: every request comes from one address).
2. For `--seconds`, `--clients` asyncio tasks ask for home, the gallery (plain and filtered),
   person pages of random public people, name searches, figures, the Atom feed and the API's
   person; meanwhile an editor process saves a new person and event every `--edit-every` s
   through the write path, and `khronika import` of `--import-people` synthetic people (one
   event each) starts a few seconds in.
3. Prints requests, errors, req/s and p50/p99 latency per route, what the writers did, and
   whether every record written during the run is in the database afterwards.

Any error (a non-200 answer, a failed connection, a failed write or a missing record) makes
the exit code 1. The demo build and the server start are not timed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx

from bench.common import DATA_DIR

__all__ = ["main"]

ROUTES = ["home", "gallery", "person", "search", "figures", "feed", "api_person"]
#: Gallery queries: plain pages and the filters the site links to.
GALLERY = ["", "?page=2", "?status=in_custody", "?sex=f", "?region=BY-MI", "?year=2021"]
SOURCE = {
    "type": "source",
    "id": "load-s1",
    "url": "https://demo.invalid/load/1",
    "title": "Load bench source (synthetic)",
    "publisher": "bench.load",
    "published": "2025-06-01",
    "visibility": "public",
}


def _person(pid: str, n: int) -> dict[str, Any]:
    """A synthetic public person `pid`."""
    return {
        "type": "person",
        "id": pid,
        "names": [{"name": f"Synthetic Loadperson{n}", "lang": "en", "primary": True}],
        "sex": "f" if n % 2 else "m",
        "region": "BY-MI",
        "visibility": "public",
    }


def _event(eid: str, pid: str, source: str) -> dict[str, Any]:
    """A detention of `pid` citing `source`."""
    return {
        "type": "event",
        "id": eid,
        "person": pid,
        "kind": "detained",
        "date": "2025-06-01",
        "sources": [source],
    }


def demo_database(people: int) -> str:
    """The URL of the cached `people` demo (seed 7), built on first use."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / f"load-demo-{people}.db"
    done = Path(f"{path}.done")
    url = f"sqlite:///{path}"
    if not done.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        print(f"building the {people:,}-person demo in {path} (once)…", file=sys.stderr)
        t = time.perf_counter()
        subprocess.run(
            [_cli(), "--db", url, "demo", "--people", str(people), "--seed", "7", "--no-serve"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"built in {time.perf_counter() - t:.0f} s", file=sys.stderr)
        done.touch()
    return url


def _cli() -> str:
    """The `khronika` command of this interpreter's environment."""
    return str(Path(sys.executable).with_name("khronika"))


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop a server started by a bench: terminate, and kill it after 30 s (a worker may
    still be building its catalogue)."""
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _server_env(url: str, name: str, **extra: str) -> tuple[Path, dict[str, str]]:
    """Return a fresh scratch folder and the environment a bench's `khronika serve` runs in.

    The server reads `url`, keeps its data (caches, catalogue) in the scratch folder, and has
    the public rate limit off so that the load measured is the bench's own.
    """
    tmp = Path(tempfile.mkdtemp(prefix=f"khronika-{name}-"))
    env = os.environ | {
        "KHRONIKA_DB_URL": url,
        "KHRONIKA_DATA_DIR": str(tmp / "data"),
        "KHRONIKA_WEB_RATE": "0",
        **extra,
    }
    return tmp, env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(base: str, server: subprocess.Popen[bytes], timeout: float = 600) -> float:
    """Wait until the server answers its home page; return how long that took."""
    t = time.perf_counter()
    while time.perf_counter() - t < timeout:
        if server.poll() is not None:
            raise SystemExit(f"server exited with {server.returncode}")
        try:
            if httpx.get(f"{base}/en/", timeout=60).status_code == 200:
                return time.perf_counter() - t
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"server did not answer within {timeout:.0f} s")


def _targets(base: str, pages: int = 10) -> tuple[list[str], list[str]]:
    """Ids of public people (from random API pages) and name fragments to search for."""
    first = httpx.get(f"{base}/api/v1/people?size=200", timeout=60).json()
    ids, words = [], []
    for k in random.Random(7).sample(range(1, first["pages"] + 1), min(pages, first["pages"])):
        body = httpx.get(f"{base}/api/v1/people?size=200&page={k}", timeout=60).json()
        for card in body["items"]:
            ids.append(card["id"])
            words.append(card["name"].split()[-1][:5])
    return ids, sorted(set(words))


def _path(rng: random.Random, route: str, ids: list[str], words: list[str]) -> str:
    """A random path of `route`."""
    if route == "home":
        return "/en/"
    if route == "gallery":
        return "/en/people" + rng.choice(GALLERY)
    if route == "person":
        return f"/en/people/{rng.choice(ids)}"
    if route == "search":
        return f"/en/people?q={rng.choice(words)}"
    if route == "figures":
        return "/en/figures"
    if route == "feed":
        return "/feed.atom"
    return f"/api/v1/people/{rng.choice(ids)}"


async def _traffic(
    base: str, seconds: float, clients: int, ids: list[str], words: list[str]
) -> tuple[dict[str, list[float]], dict[str, list[str]], float]:
    """Run `clients` tasks for `seconds`; return latencies and errors per route, and the
    wall time."""
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    # A connection idle longer than uvicorn keeps it (5 s) is closed by the server; reusing
    # it races that close (RemoteProtocolError). Expire it on our side well before.
    limits = httpx.Limits(
        max_connections=clients, max_keepalive_connections=clients, keepalive_expiry=2.0
    )
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:

        async def worker(n: int, until: float) -> None:
            rng = random.Random(n)
            while time.perf_counter() < until:
                route = rng.choice(ROUTES)
                path = _path(rng, route, ids, words)
                t = time.perf_counter()
                try:
                    r = await client.get(path)
                    await r.aread()
                    if r.status_code != 200:
                        errors[route].append(f"{r.status_code} {path}")
                except httpx.HTTPError as e:
                    errors[route].append(f"{type(e).__name__} {path}")
                latencies[route].append(time.perf_counter() - t)

        warm = time.perf_counter() + 3  # both workers warm, not counted
        await asyncio.gather(*(worker(n, warm) for n in range(clients)))
        latencies.clear()
        errors.clear()
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(1000 + n, t0 + seconds) for n in range(clients)))
        wall = time.perf_counter() - t0
    return latencies, errors, wall


def _editor_child(url: str, tag: str, seconds: float, every: float, out: str) -> None:
    """Save a new person and event (ids `TAG-load-pN`, `TAG-load-eN`) every `every` s for
    `seconds`; write what happened to `out` as JSON."""
    from khronika.interchange.importer import import_records
    from khronika.registry import RawRecord, add_record
    from khronika.storage import Database

    db = Database(url)
    saved, failed, times = [], [], []
    add_record(db, SOURCE, by="bench.load")
    t0 = time.perf_counter()
    n = 0
    while time.perf_counter() - t0 < seconds:
        n += 1
        pid, eid = f"{tag}-load-p{n}", f"{tag}-load-e{n}"
        t = time.perf_counter()
        try:
            import_records(
                db,
                [
                    RawRecord(f"<editor>:{n}", _person(pid, n)),
                    RawRecord(f"<editor>:{n}", _event(eid, pid, SOURCE["id"])),
                ],
                recorded_by="bench.load",
            )
            saved.append([pid, eid])
        except Exception as e:  # noqa: BLE001 - every failure is a finding
            failed.append(f"{pid}: {type(e).__name__}: {e}"[:300])
        times.append(time.perf_counter() - t)
        time.sleep(max(0.0, every - (time.perf_counter() - t)))
    db.dispose()
    Path(out).write_text(json.dumps({"saved": saved, "failed": failed, "times": times}))


def _import_file(path: Path, people: int, tag: str) -> list[list[str]]:
    """Write an NDJSON of `people` synthetic people with one detention each (ids
    `TAG-import-pN`, `TAG-import-eN`); return their [person, event] ids."""
    pairs = []
    with path.open("w", encoding="utf-8") as f:
        src = SOURCE | {"id": f"{tag}-import-s1", "url": "https://demo.invalid/load/import"}
        f.write(json.dumps(src) + "\n")
        for n in range(1, people + 1):
            pid, eid = f"{tag}-import-p{n}", f"{tag}-import-e{n}"
            f.write(json.dumps(_person(pid, n)) + "\n")
            f.write(json.dumps(_event(eid, pid, src["id"])) + "\n")
            pairs.append([pid, eid])
    return pairs


def _present(url: str, pairs: list[list[str]]) -> int:
    """How many [person, event] pairs are in the database, the event among the person's."""
    from khronika.errors import NotFound
    from khronika.registry import get_person
    from khronika.storage import Database

    db = Database(url)
    found = 0
    for pid, eid in pairs:
        try:
            view = get_person(db, pid)
        except NotFound:
            continue
        found += any(e["id"] == eid for e in view.events)
    db.dispose()
    return found


def _percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))] if s else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000, help="size of the demo")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=24, help="concurrent requests")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--import-people", type=int, default=3000)
    parser.add_argument("--import-after", type=float, default=5, help="seconds into the run")
    parser.add_argument("--edit-every", type=float, default=0.5, help="seconds between saves")
    parser.add_argument("--editor-child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.editor_child:
        url, tag, seconds, every, out = args.editor_child
        _editor_child(url, tag, float(seconds), float(every), out)
        return

    url = demo_database(args.people)
    tmp, env = _server_env(url, "load", KHRONIKA_USER="bench.load")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [_cli(), "serve", "--workers", str(args.workers), "--port", str(port)]
    log = (tmp / "server.log").open("wb")
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=log)
    try:
        up = _wait_until_up(base, server)
        ids, words = _targets(base)
        print(f"server up in {up:.1f} s; {len(ids):,} person ids, {len(words):,} search words")
        tag = f"r{int(time.time())}"  # new ids each run: the cached demo keeps earlier ones
        pairs = _import_file(tmp / "import.ndjson", args.import_people, tag)
        editor_out = tmp / "editor.json"
        editor = subprocess.Popen(
            [sys.executable, "-m", "bench.load", "--editor-child", url, tag, str(args.seconds)]
            + [str(args.edit_every), str(editor_out)],
            env=env,
        )
        importer: dict[str, Any] = {}

        async def run_all() -> Any:
            async def start_import() -> None:
                await asyncio.sleep(args.import_after)
                t = time.perf_counter()
                proc = await asyncio.create_subprocess_exec(
                    _cli(), "import", "--json", str(tmp / "import.ndjson"), env=env,
                    stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
                )  # fmt: skip
                out, err = await proc.communicate()
                importer.update(
                    rc=proc.returncode, seconds=time.perf_counter() - t, err=err.decode()[-500:]
                )

            traffic = _traffic(base, args.seconds, args.clients, ids, words)
            result, _ = await asyncio.gather(traffic, start_import())
            return result

        latencies, errors, wall = asyncio.run(run_all())
        editor.wait()
    finally:
        _stop(server)
        log.close()
    edits = json.loads(editor_out.read_text())
    _report(args, latencies, errors, wall, edits, importer, pairs, url, tmp)


def _report(
    args: argparse.Namespace,
    latencies: dict[str, list[float]],
    errors: dict[str, list[str]],
    wall: float,
    edits: dict[str, Any],
    importer: dict[str, Any],
    pairs: list[list[str]],
    url: str,
    tmp: Path,
) -> None:
    """Print the table and the writers' outcome; exit 1 on any error."""
    print(
        f"\nload: {args.seconds:.0f} s, {args.clients} clients, `khronika serve --workers "
        f"{args.workers}`, {args.people:,}-person demo (SQLite), {os.cpu_count()} cores"
    )
    print(f"| {'route':<11} | requests | errors |  req/s | p50 ms | p99 ms |")
    print("|-------------|----------|--------|--------|--------|--------|")
    every: list[float] = []
    for route in ROUTES:
        lat = latencies.get(route, [])
        every += lat
        print(
            f"| {route:<11} | {len(lat):>8} | {len(errors.get(route, [])):>6} | "
            f"{len(lat) / wall:>6.1f} | {_percentile(lat, 0.5) * 1000:>6.0f} | "
            f"{_percentile(lat, 0.99) * 1000:>6.0f} |"
        )
    n_errors = sum(len(e) for e in errors.values())
    print(
        f"| {'all':<11} | {len(every):>8} | {n_errors:>6} | {len(every) / wall:>6.1f} | "
        f"{_percentile(every, 0.5) * 1000:>6.0f} | {_percentile(every, 0.99) * 1000:>6.0f} |"
    )
    for route, errs in errors.items():
        for e in errs[:3]:
            print(f"  error {route}: {e}")
    saves = edits["times"]
    print(
        f"editor: {len(edits['saved'])} saves, {len(edits['failed'])} failed; "
        f"p50 {_percentile(saves, 0.5) * 1000:.0f} ms, max {max(saves, default=0) * 1000:.0f} ms"
    )
    for f in edits["failed"][:3]:
        print(f"  editor failure: {f}")
    print(
        f"import: {args.import_people:,} people + events, exit {importer.get('rc')}, "
        f"{importer.get('seconds', 0):.1f} s"
        + (f"\n  {importer['err']}" if importer.get("rc") else "")
    )
    written = edits["saved"] + (pairs if importer.get("rc") == 0 else [])
    present = _present(url, written)
    print(f"written during run: {len(written)}, present afterwards: {present} (person + event)")
    ok = not n_errors and not edits["failed"] and importer.get("rc") == 0
    ok = ok and present == len(written) == len(edits["saved"]) + len(pairs)
    print(f"server log: {tmp / 'server.log'}")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
