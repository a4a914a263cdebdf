"""Check that a change kept the demo byte-identical: its history export and every public page.

A refactoring (issue 14: shapes, not behaviour) must leave what khronika shows and exports
exactly as it was. This builds the same demo with the code of two trees — a base revision
(extracted with `git archive`) and the working tree — and compares, digest by digest, the
`export --history` of each and every public URL a crawler reaches from the site's entry
points (every language, each page's JSON twin, feeds, exports, the API and charts).

Usage:
    python -m bench.identity --base 16c8141            # base revision vs the working tree
    python -m bench.identity --base HEAD~3 --people 1000

Exits 1 and names the first differing URLs when anything differs. Each side runs in its own
process with PYTHONPATH pointing at its tree, so the two never share imported code.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[1]

#: Where the crawl starts, in each language prefix; everything else is reached by links.
ENTRY = [
    "/",
    "/people",
    "/figures",
    "/check",
    "/feed.atom",
    "/openapi.json",
    "/api/v1/meta",
    "/api/v1/people?size=200",
    "/api/v1/events?size=200",
    "/api/v1/sources?size=200",
    "/exports/khronika-public.ndjson",
    "/exports/khronika-public-csv.zip",
    "/people?q=kluklybka",
    "/api/v1/search?q=ivan",
]
_LINK = re.compile(r'(?:href|src)="([^"#]+)"')
#: A fixed "today" for both sides, after the demo media items were recorded (demo.media).
TODAY = date(2026, 2, 1)


def _crawl(app_client: object, limit: int) -> dict[str, str]:
    """Digest every same-site URL reachable from ENTRY: {url: sha256 of status, type and body}."""
    seen: dict[str, str] = {}
    todo = [lang + e for lang in ("", "/ru", "/en") for e in ENTRY]
    todo.reverse()
    while todo and len(seen) < limit:
        url = todo.pop()
        if url in seen:
            continue
        r = app_client.get(url)  # type: ignore[attr-defined]
        kind = r.headers.get("content-type", "")
        seen[url] = hashlib.sha256(f"{r.status_code}\n{kind}\n".encode() + r.content).hexdigest()
        if "html" not in kind:
            continue
        found = []
        for href in _LINK.findall(r.text):
            parts = urlsplit(urljoin(url, href.replace("&amp;", "&")))
            if parts.netloc and parts.netloc != "testserver":
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path.startswith("/console"):
                continue
            found.append(path)
            if not path.startswith(("/static", "/exports", "/api", "/feed", "/openapi")) and (
                ".json" not in parts.path and ".svg" not in parts.path
            ):
                found.append(
                    parts.path.rstrip("/") + ".json" + (f"?{parts.query}" if parts.query else "")
                )
        todo.extend(reversed(found))
    return seen


def digest_tree(people: int, seed: int, limit: int, out: Path) -> None:
    """Build the demo with the code on sys.path, and write the digests of what it shows."""
    from fastapi.testclient import TestClient

    from khronika.storage import Database
    from khronika.web.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/demo.db"
        khronika = [sys.executable, "-m", "khronika", "--db", url]
        demo = [*khronika, "demo", "--people", str(people), "--seed", str(seed), "--no-serve"]
        subprocess.run(demo, check=True, capture_output=True)
        export = subprocess.run(
            [*khronika, "export", "--history"], check=True, capture_output=True
        ).stdout
        digests = {"export --history": hashlib.sha256(export).hexdigest()}
        db = Database(url)
        app = create_app(db, data_dir=tmp, clock=lambda: TODAY, refresh=0, background=False)
        with TestClient(app) as client:
            digests.update(_crawl(client, limit))
        db.dispose()
    out.write_text(json.dumps(digests, indent=0, sort_keys=True))


def _extract(rev: str, into: Path) -> Path:
    """Extract the tree of `rev` (git archive) under `into` and return it."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", rev], check=True, capture_output=True
    ).stdout
    tree = into / "base"
    tree.mkdir()
    with tempfile.TemporaryFile() as f:
        f.write(archive)
        f.seek(0)
        with tarfile.open(fileobj=f) as tar:
            tar.extractall(tree, filter="data")
    return tree


def _digests_of(tree: Path, args: argparse.Namespace, out: Path) -> dict[str, str]:
    """Run digest_tree in a child whose imports come from `tree`."""
    # The script itself comes from the working tree (the base may predate it); khronika from `tree`.
    cmd = [sys.executable, str(Path(__file__).resolve()), "--digest", str(out)]
    cmd += ["--people", str(args.people), "--seed", str(args.seed), "--limit", str(args.limit)]
    # No rate limit: a crawl is one address making thousands of requests, and which of
    # them a limit refused would depend on timing.
    env = {"PYTHONPATH": str(tree), "PATH": "/usr/bin", "KHRONIKA_WEB_RATE": "0"}
    subprocess.run(cmd, check=True, cwd=tree, env=env)
    loaded: dict[str, str] = json.loads(out.read_text())
    return loaded


def main(argv: list[str] | None = None) -> int:
    """Compare the base revision's demo with the working tree's; 0 when byte-identical."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="the revision to compare with (e.g. HEAD~1)")
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=int, default=4000, help="most URLs to crawl")
    parser.add_argument("--digest", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.digest:
        digest_tree(args.people, args.seed, args.limit, args.digest)
        return 0
    if not args.base:
        parser.error("--base REV is required")
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        base = _digests_of(_extract(args.base, Path(tmp)), args, Path(tmp) / "base.json")
        head = _digests_of(ROOT, args, Path(tmp) / "head.json")
    differ = sorted(u for u in base.keys() | head.keys() if base.get(u) != head.get(u))
    seconds = time.monotonic() - started
    print(f"{len(base)} URLs and exports at {args.base}, {len(head)} in the working tree")
    print(f"demo of {args.people} people, seed {args.seed}; {seconds:.0f} s")
    if not differ:
        print("byte-identical")
        return 0
    print(f"{len(differ)} differ:")
    for url in differ[:40]:
        print(f"  {url}: {'missing' if url not in base else ''}{'gone' if url not in head else ''}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
