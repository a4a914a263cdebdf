"""The areas import only what docs/architecture.md allows, in functions too: no cycles."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "khronika"
GROUND = {"errors", "settings", "lazy"}  # everyone may import these
TOP = {"web", "cli"}  # "every area below it" / "every area"


def allowed_map() -> dict[str, set[str] | None]:
    """Area -> areas it may import, read from the doc's table (None: any)."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    out: dict[str, set[str] | None] = {}
    for area, may in re.findall(r"^\| `(\w+)` \|[^|]*\| ([^|]*) \|$", text, flags=re.M):
        out[area] = None if area in TOP else {a.strip() for a in may.split(",") if a.strip() != "—"}
    return out


def area_of(path: Path) -> str:
    return path.relative_to(PACKAGE).with_suffix("").parts[0]


def imported_areas(path: Path) -> set[tuple[str, int]]:
    """(area, line) of every khronika import in the file, at any depth."""
    found: set[tuple[str, int]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if parts[0] != "khronika":
                continue
            if len(parts) > 1:
                found.add((parts[1], node.lineno))
            else:  # from khronika import settings, stats
                found |= {(a.name, node.lineno) for a in node.names}
        elif isinstance(node, ast.Import):
            for a in node.names:
                parts = a.name.split(".")
                if parts[0] == "khronika" and len(parts) > 1:
                    found.add((parts[1], node.lineno))
    return found


def test_every_area_is_on_the_map() -> None:
    areas = {
        area_of(p)
        for p in PACKAGE.rglob("*.py")
        if area_of(p) not in {"__init__", "__main__", *GROUND}
    }
    assert areas == set(allowed_map())


def test_imports_follow_the_map() -> None:
    allowed = allowed_map()
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        area = area_of(path)
        if area not in allowed:
            continue
        may = allowed[area]
        for target, line in sorted(imported_areas(path)):
            if target == area or target in GROUND:
                continue
            if may is None:
                if area == "web" and target == "cli":
                    wrong.append(f"{path.relative_to(ROOT)}:{line}: web imports cli")
                continue
            if target not in may:
                wrong.append(f"{path.relative_to(ROOT)}:{line}: {area} imports {target}")
    assert wrong == []


def test_the_map_has_no_cycle() -> None:
    allowed = {a: (m if m is not None else set()) for a, m in allowed_map().items()}
    state: dict[str, str] = {}

    def visit(a: str, trail: list[str]) -> None:
        state[a] = "open"
        for b in sorted(allowed.get(a, set())):
            assert state.get(b) != "open", " -> ".join([*trail, a, b])
            if b not in state:
                visit(b, [*trail, a])
        state[a] = "done"

    for a in sorted(allowed):
        if a not in state:
            visit(a, [])


def test_the_check_sees_imports_inside_functions(tmp_path: Path) -> None:
    f = tmp_path / "x.py"
    f.write_text("def f():\n    from khronika.listwatch import entries\n", encoding="utf-8")
    assert imported_areas(f) == {("listwatch", 2)}
