"""`khronika names compare|variants|screen|dedupe`: the name matcher from the command line.

`compare` and `variants` need no database; `screen` looks in the registry and the lists;
`dedupe` proposes registry duplicates into the review queue (`khronika review`).
"""

from __future__ import annotations

import csv
import sys
from typing import Any, TextIO

import click

from khronika.cli.common import echo_json, json_option

__all__ = ["register"]


@click.group("names")
def names_group() -> None:
    """Compare names across Belarusian, Russian and Latin spellings.

    \b
    Example:
      khronika names compare "Ганна Кандыбовіч" "Anna Kandybovich"
    """


@names_group.command("compare")
@click.argument("a", required=False)
@click.argument("b", required=False)
@click.option(
    "--mention",
    type=click.Choice(["a", "b"]),
    help="Which side comes from running text (may be inflected).",
)
@click.option(
    "--pairs",
    "pairs_file",
    type=click.File("r", encoding="utf-8"),
    help="CSV with columns a,b[,mention]; other columns ignored ('-' for stdin).",
)
@click.option("--birth-date-a", help="Birth date of A (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--birth-date-b", help="Birth date of B.")
@json_option()
def compare_cmd(
    a: str | None,
    b: str | None,
    mention: str | None,
    pairs_file: TextIO | None,
    birth_date_a: str | None,
    birth_date_b: str | None,
    as_json: bool,
) -> None:
    """Score two names (or every pair of a CSV file) with an explanation.

    Prints {"a", "b", "score", "match", "explanation"}; with --pairs, a JSON list of those
    objects in input order.

    \b
    Examples:
      khronika names compare "Ганна Кандыбовіч" "Hanna Kandybovich" --json
      khronika names compare "Анны Кандыбович" "Ганна Кандыбовіч" --mention a
      khronika names compare --pairs pairs.csv --json
    """
    from khronika.names.scoring import compare

    if pairs_file is not None:
        if a or b:
            raise click.UsageError("give either A B or --pairs, not both")
        results = []
        for row in csv.DictReader(pairs_file):
            side = (row.get("mention") or "").strip() or None
            if side not in (None, "a", "b"):
                raise click.UsageError(f"mention must be a, b or empty, got {side!r}")
            results.append(compare(row["a"], row["b"], mention=side).as_dict())
        if as_json:
            echo_json(results)
        else:
            for r in results:
                click.echo(f"{r['score']:.3f}\t{'yes' if r['match'] else 'no'}\t{r['a']}\t{r['b']}")
        return
    if not a or not b:
        raise click.UsageError("give two names (A B) or --pairs FILE")
    m = compare(a, b, mention=mention, birth_date_a=birth_date_a, birth_date_b=birth_date_b)
    if as_json:
        echo_json(m.as_dict())
        return
    click.echo(
        f"score {m.score:.3f}: {'same person' if m.match else 'not the same person'}"
        f" (threshold {m.explanation['threshold']})"
    )
    for part in m.explanation.get("parts", []):
        sim = "-" if part["similarity"] is None else f"{part['similarity']:.2f}"
        click.echo(
            f"  {part['part']:<10} {part['a']!s:<20} {part['b']!s:<20} {part['rule']:<24} "
            f"sim {sim} weight {part['weight']}"
        )
    for note in m.explanation.get("notes", []):
        click.echo(f"  note: {note}")
    if "birth_date" in m.explanation:
        d = m.explanation["birth_date"]
        click.echo(f"  birth date: {d['rule']} ({d['adjustment']:+.2f})")


@names_group.command("variants")
@click.argument("name")
@json_option()
def variants_cmd(name: str, as_json: bool) -> None:
    """List the spellings khronika would recognise for NAME.

    \b
    Example:
      khronika names variants "Ганна Кандыбовіч"
    """
    from khronika.names.variants import variants

    v = variants(name)
    if as_json:
        echo_json(v)
        return
    parsed = v["parsed"]
    click.echo(f"{v['name']}  [{parsed['language']}; {parsed['order']}; sex {parsed['sex']}]")
    for system, text in v["transliterations"].items():
        click.echo(f"  {system:<14} {text}")
    if v["given_name_forms"]:
        click.echo("  given name:    " + ", ".join(v["given_name_forms"]))
    for word, keys in v["keys"].items():
        click.echo(f"  key {word}: {' '.join(keys)}")
    sys.stdout.flush()


def register(cli: click.Group) -> None:
    """Add this module's commands to the CLI."""
    cli.add_command(names_group)


@names_group.command("screen")
@click.argument("name")
@click.option("--birth-date", help="Partial birth date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--mention", is_flag=True, help="NAME comes from running text (may be inflected).")
@click.option("--limit", default=10, show_default=True)
@json_option()
@click.pass_obj
def screen_cmd(
    ctx: Any, name: str, birth_date: str | None, mention: bool, limit: int, as_json: bool
) -> None:
    """Find the people and official-list entries whose names match NAME, explained.

    The index of every registry name and list entry is cached under the data directory
    and rebuilt when the registry or a list changes.

    \b
    Example:
      khronika names screen "Hanna Kandybovich" --birth-date 1989
      khronika names screen "Ганны Кандыбовіч" --mention --json
    """
    from khronika.names.screen import screen_name

    found = screen_name(ctx.database(), name, birth_date=birth_date, mention=mention, limit=limit)
    if as_json:
        echo_json(found)
        return
    for r in found:
        ref = r["id"] if r["kind"] == "person" else f"{r['list']}/{r['key']}"
        born = f" b. {r['birth_date']}" if r["birth_date"] else ""
        click.echo(
            f"{r['score']:.3f} {'MATCH' if r['match'] else '     '} {r['kind']:<10} "
            f"{ref:<24} {r['matched_name']}{born}"
        )
    if not found:
        click.echo("no candidates", err=True)


# --- dedupe: added with the review queue (review branch) ---
@names_group.command("dedupe")
@click.option(
    "--threshold", type=float, help="Where the name scorer says same (default: the matcher's)."
)
@click.option(
    "--min-points",
    type=float,
    help="Least evidence a proposal has (default 8: a name and more than a year of birth).",
)
@click.option(
    "--max-block",
    type=int,
    default=500,
    show_default=True,
    help="Skip name blocks with more spellings than this.",
)
@json_option("Print the report as JSON.")
@click.pass_obj
def dedupe_cmd(
    ctx: Any, threshold: float | None, min_points: float | None, max_block: int, as_json: bool
) -> None:
    """Propose likely duplicate people into the review queue (pairs proposed before are skipped).

    \b
    Example:
      khronika names dedupe --json
      khronika review list --kind person-person
    """
    from khronika.registry.dedupe import MIN_POINTS, propose_duplicates

    report = propose_duplicates(
        ctx.database(),
        threshold=threshold,
        max_block=max_block,
        min_points=MIN_POINTS if min_points is None else min_points,
    )
    if as_json:
        echo_json(report.to_json())
        return
    click.echo(
        f"{report.people} people, {report.pairs_scored} pairs scored in {report.blocks} "
        f"blocks ({report.skipped_blocks} too large, skipped): {report.new} new "
        f"candidate(s), {report.already_known} already in the queue"
    )
