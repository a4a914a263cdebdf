"""Issue 13's web figures with wrk: random paths per route on the 100k demo, cold page caches.

    .venv/bin/python -m bench.wrk [--people 100000] [--workers 2] [--seconds 30]
                                  [--connections 32] [--routes person,gallery,search,figures]

Starts `khronika serve --workers N` (rate limit off) on the cached demo
(`bench.load.demo_database`), waits until both workers answer list pages from a complete
catalogue, then runs `wrk -t2 -cC -dS --latency` once per route with a Lua script that asks
for a random path of that route each request (seeded; thousands of distinct paths, so the
page caches start empty and mostly miss): person pages of random public people in three
languages, the gallery with random filters and pages, name searches in Cyrillic and Latin
letters, and the figures page with its charts. Prints req/s, p50, p99 and errors per route
next to the issue's budgets. wrk runs on the same cores as the server, as in the issue's own
measurement. Exits 2 with a clear message when `wrk` is not installed.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import time
from urllib.parse import quote

import httpx

from bench.load import _cli, _free_port, _server_env, _stop, _wait_until_up, demo_database

__all__ = ["main"]

LANGS = ("en", "ru", "be")
STATUSES = ("", "in_custody", "released", "died")
SEXES = ("", "f", "m")
#: Each route's budget from issue 13: (minimum req/s or None, maximum p99 in ms).
BUDGETS = {"person": (500, 100), "gallery": (None, 200), "search": (None, 200)}
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--routes", default="person,gallery,search,figures")
    args = parser.parse_args()
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit("wrk is not installed (apt-get install wrk)")
    url = demo_database(args.people)
    tmp, env = _server_env(url, "wrk")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [_cli(), "serve", "--workers", str(args.workers), "--port", str(port)]
    server = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=(tmp / "server.log").open("wb")
    )
    try:
        up = _wait_until_up(base, server)
        ready = _wait_for_catalogues(base, args.workers)
        ids, names = _targets(base)
        print(
            f"khronika serve --workers {args.workers} on the {args.people:,}-person demo: "
            f"up in {up:.1f} s, catalogues complete {ready:.1f} s later; "
            f"wrk -t2 -c{args.connections} -d{args.seconds}s, random paths per route"
        )
        print("| route | req/s | p50 | p99 | errors | budget |\n|---|---|---|---|---|---|")
        rng = random.Random(13)
        for route in args.routes.split(","):
            paths = _paths(rng, route, ids, names)
            script = tmp / f"{route}.lua"
            script.write_text(_lua(paths), encoding="utf-8")
            out = subprocess.run(
                [wrk, "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--latency"]
                + ["-s", str(script), base],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            rps, p50, p99, errors = _read(out)
            print(
                f"| {route} ({len(set(paths)):,} paths) | {rps:,.0f} | {p50:.0f} ms "
                f"| {p99:.0f} ms | {errors} | {_verdict(route, rps, p99)} |"
            )
    finally:
        _stop(server)


def _wait_for_catalogues(base: str, workers: int, timeout: float = 600) -> float:
    """Wait until list pages answer fast in a row (every worker's catalogue complete).

    Each probe asks for a distinct gallery page past the last one (empty, but only a
    complete catalogue knows it), so no page cache answers it and the pages measured
    stay cold."""
    t0 = time.perf_counter()
    fast, k = 0, 0
    with httpx.Client(timeout=timeout) as c:
        while fast < 8 * workers:
            if time.perf_counter() - t0 > timeout:
                raise SystemExit(f"catalogues not complete within {timeout:.0f} s")
            k += 1
            t = time.perf_counter()
            r = c.get(f"{base}/en/people", params={"page": 90_000 - k})
            r.raise_for_status()
            fast = fast + 1 if time.perf_counter() - t < 0.5 else 0
    return time.perf_counter() - t0


def _targets(base: str, pages: int = 15) -> tuple[list[str], list[str]]:
    """Ids of public people (random API pages) and their names in every script stored."""
    first = httpx.get(f"{base}/api/v1/people?size=200", timeout=60).json()
    ids: list[str] = []
    names: set[str] = set()
    for k in random.Random(7).sample(range(1, first["pages"] + 1), min(pages, first["pages"])):
        body = httpx.get(f"{base}/api/v1/people?size=200&page={k}", timeout=60).json()
        for card in body["items"]:
            ids.append(card["id"])
            for n in card["names"]:
                names.add(n["name"])
                names.add(n["name"].split()[0].lower())  # a lone surname, typed in lower case
    return ids, sorted(names)


def _paths(rng: random.Random, route: str, ids: list[str], names: list[str]) -> list[str]:
    """2,000 random paths of `route` (repeats allowed, as readers repeat)."""
    out = []
    for _ in range(2000):
        lang = rng.choice(LANGS)
        if route == "person":
            out.append(f"/{lang}/people/{rng.choice(ids)}")
        elif route == "gallery":
            query = {
                "status": rng.choice(STATUSES),
                "sex": rng.choice(SEXES),
                "year": rng.choice(("", "", "2020", "2021", "2022", "2023", "2024")),
                "page": str(rng.choice((1, 1, 2, 3, rng.randint(4, 200)))),
            }
            qs = "&".join(f"{k}={v}" for k, v in query.items() if v and v != "1")
            out.append(f"/{lang}/people" + (f"?{qs}" if qs else ""))
        elif route == "search":
            out.append(f"/{lang}/people?q={quote(rng.choice(names))}")
        elif route == "figures":
            out.append(rng.choice((f"/{lang}/figures", f"/{lang}/figures.json")))
        else:
            raise SystemExit(f"unknown route {route!r}")
    return out


def _lua(paths: list[str]) -> str:
    """A wrk script asking for a random one of `paths` each request."""
    listed = ",\n".join(f'  "{p}"' for p in paths)
    return (
        f"local paths = {{\n{listed}\n}}\n"
        "math.randomseed(13)\n"
        "request = function()\n"
        '  return wrk.format("GET", paths[math.random(#paths)])\n'
        "end\n"
    )


def _read(out: str) -> tuple[float, float, float, int]:
    """Req/s, p50 and p99 (ms) and the error count from wrk's `--latency` output."""

    def ms(pct: str) -> float:
        m = re.search(rf"^\s*{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if m is None:
            raise SystemExit(f"no {pct}% line in wrk's output:\n{out}")
        return float(m[1]) * _UNITS[m[2]]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if rps is None:
        raise SystemExit(f"no Requests/sec in wrk's output:\n{out}")
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return float(rps[1]), ms("50"), ms("99"), errors + (int(bad[1]) if bad else 0)


def _verdict(route: str, rps: float, p99: float) -> str:
    """The route's budget and whether it was met."""
    if route not in BUDGETS:
        return ""
    least, most = BUDGETS[route]
    ok = p99 <= most and (least is None or rps >= least)
    wanted = (f"≥ {least} req/s, " if least else "") + f"p99 ≤ {most} ms"
    return f"{wanted}: {'met' if ok else 'NOT met'}"


if __name__ == "__main__":
    main()
