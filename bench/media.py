"""Benchmark and score the media pipeline.

    .venv/bin/python -m bench.media [--items 300] [--people 100000] [--ingest 10000]

1. Quality on the labelled synthetic set (tests/fixtures/media/eval.jsonl): mention recall,
   linking precision, narrative F1 and targeting accuracy, per language.
2. Throughput: analysis of ~2 KB items against a registry of `--people` demo people
   (items/s), with peak memory.
3. Ingest: `--ingest` items into SQLite with linking against that registry (items/s), in a
   child process whose peak memory is the pipeline's alone.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from khronika.media import Analyser

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "media"

__all__ = ["eval_analyser", "load_eval", "main", "score"]


def load_eval() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return (registry records, labelled items) of the evaluation set."""

    def read(name: str) -> list[dict[str, Any]]:
        lines = (FIXTURES / name).read_text("utf-8").splitlines()
        return [json.loads(line) for line in lines if line]

    return read("eval_registry.ndjson"), read("eval.jsonl")


def eval_analyser(registry: list[dict[str, Any]]) -> Analyser:
    """An analyser over the evaluation registry's people."""
    people = [
        (r["id"], [n["name"] for n in r["names"]], r.get("birth_date"))
        for r in registry
        if r["type"] == "person"
    ]
    return Analyser(people)


def score(items: list[dict[str, Any]], analyser: Analyser) -> dict[str, dict[str, float]]:
    """Score the analyser on labelled items; return metrics per language (and `all`)."""
    c: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for item in items:
        got = analyser.analyse(item["text"])
        for lang in (item["lang"], "all"):
            k = c[lang]
            found = {(m.start, m.end): m for m in got.mentions}
            for want in item["mentions"]:
                k["mentions"] += 1
                m = found.get((want["start"], want["end"]))
                if m is None:
                    continue
                k["found"] += 1
                k["targeted_ok"] += int(m.targeted == want["targeted"])
                k["normal_ok"] += int(m.normal == want["normal"])
            labelled = {(w["start"], w["end"]): w for w in item["mentions"]}
            for m in got.mentions:
                linked = m.person if m.link == "auto" else None
                if linked is None:
                    continue
                k["linked"] += 1
                want = labelled.get((m.start, m.end))
                k["linked_ok"] += int(want is not None and want["person"] == linked)
            tags = {n.tag for n in got.narratives}
            wanted = set(item["narratives"])
            k["tp"] += len(tags & wanted)
            k["fp"] += len(tags - wanted)
            k["fn"] += len(wanted - tags)
    out = {}
    for lang, k in sorted(c.items()):
        p = k["tp"] / max(1, k["tp"] + k["fp"])
        r = k["tp"] / max(1, k["tp"] + k["fn"])
        out[lang] = {
            "mentions": k["mentions"],
            "mention_recall": round(k["found"] / max(1, k["mentions"]), 4),
            "linked": k["linked"],
            "linking_precision": round(k["linked_ok"] / max(1, k["linked"]), 4),
            "narrative_f1": round(2 * p * r / max(1e-9, p + r), 4),
            "targeting_accuracy": round(k["targeted_ok"] / max(1, k["found"]), 4),
            "normal_accuracy": round(k["normal_ok"] / max(1, k["found"]), 4),
        }
    return out


def _big_items(n: int, items: list[dict[str, Any]]) -> list[str]:
    """2 KB texts (UTF-8): labelled items joined, with filler paragraphs in between."""
    filler = (
        "Как сообщили в ведомстве, работа в этом направлении будет продолжена. "
        "Подробности — в нашем материале. "
    ) * 3
    texts = []
    for i in range(n):
        parts = [items[(i * 5 + j) % len(items)]["text"] for j in range(5)]
        text = "\n".join(f"{p}\n{filler}" for p in parts)
        texts.append(text.encode()[:2048].decode(errors="ignore"))
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--ingest", type=int, default=0, help="also ingest this many items")
    parser.add_argument("--ingest-child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ingest_child:
        db_path, texts_path, n, people = args.ingest_child
        _ingest_child(db_path, texts_path, int(n), int(people))
        return
    registry, items = load_eval()
    print("quality on the synthetic evaluation set")
    for lang, m in score(items, eval_analyser(registry)).items():
        print(f"  {lang:<4} " + "  ".join(f"{k} {v}" for k, v in m.items()))

    from khronika.demo.generate import DemoConfig, generate

    demo = [
        r for r in generate(DemoConfig(people=args.people, seed=1)) if r.get("type") == "person"
    ]
    people = [(r["id"], [n["name"] for n in r["names"]], r.get("birth_date")) for r in demo] + [
        (r["id"], [n["name"] for n in r["names"]], None) for r in registry if r["type"] == "person"
    ]
    t0 = time.perf_counter()
    analyser = Analyser(people)
    texts = _big_items(args.items, items)
    analyser.analyse(texts[0])  # models loaded once, before timing
    t1 = time.perf_counter()
    for text in texts:
        analyser.analyse(text)
    t2 = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = sum(len(t.encode()) for t in texts) / len(texts)
    print(
        f"analysis: {len(texts)} items of {size / 1024:.1f} KB against {len(people):,} people: "
        f"{len(texts) / (t2 - t1):.1f} items/s (index built in {t1 - t0:.1f} s); "
        f"peak memory {peak:.0f} MB"
    )
    if args.ingest:
        _bench_ingest(args.ingest, texts, demo, registry)


def _bench_ingest(n: int, texts: list[str], demo: list[dict[str, Any]], registry: list) -> None:
    """Import the registry here, then ingest in a child process: its peak memory is the
    pipeline's alone (this process holds the generated registry too)."""
    import subprocess
    import sys

    from khronika.interchange import import_records
    from khronika.registry import RawRecord
    from khronika.storage import Database

    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.db"
        db = Database(f"sqlite:///{db_path}")
        db.migrate()
        records = [*demo, *(r for r in registry if r["type"] == "person")]
        import_records(db, [RawRecord(f"<bench>:{i}", r) for i, r in enumerate(records, 1)])
        db.engine.dispose()
        items = Path(tmp) / "texts.json"
        items.write_text(json.dumps(texts), "utf-8")
        subprocess.run(
            [sys.executable, "-m", "bench.media", "--ingest-child", str(db_path), str(items),
             str(n), str(len(records))],
            check=True,
        )  # fmt: skip


def _own_peak_mb() -> float:
    """Peak memory of this process alone, in MB.

    Not `ru_maxrss`: on Linux a process started by another keeps, through exec, the peak of
    the one that started it (here the parent holding the generated registry). VmHWM is the
    high-water mark of this process's own memory.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ingest_child(db_path: str, texts_path: str, n: int, people: int) -> None:
    from khronika.media import ItemIn, ingest_items
    from khronika.storage import Database

    texts = json.loads(Path(texts_path).read_text("utf-8"))
    db = Database(f"sqlite:///{db_path}")
    batch = [
        ItemIn(
            where=f"<bench>:{i}",
            text=f"{texts[i % len(texts)]}\n№ {i}",
            external_id=f"b{i}",
            outlet="belta",
            published="2025-01-14",
        )
        for i in range(n)
    ]
    t0 = time.perf_counter()
    report = ingest_items(db, batch)
    dt = time.perf_counter() - t0
    peak = _own_peak_mb()
    print(
        f"ingest: {n} items into SQLite with linking against {people:,} people: "
        f"{n / dt:.1f} items/s ({report.mentions} mentions, {report.linked} linked, "
        f"{report.proposed} for review); peak memory of the ingest process {peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
