"""`khronika review list|show|accept|reject|unsure|undo`: the human review queue."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from khronika.cli.common import CliContext, current_user, echo_json, json_option, pass_cli

__all__ = ["register"]

_KINDS = click.Choice(["person-person", "entry-person", "mention-person", "claim-person"])


def _declare_kinds() -> None:
    """Import the areas that declare review kinds (the queue itself knows none)."""
    import khronika.listwatch  # noqa: F401  entry-person
    import khronika.media  # noqa: F401  mention-person, claim-person
    import khronika.registry  # noqa: F401  person-person


@click.group("review")
def review_group() -> None:
    """Decide proposed pairs: duplicates, list matches, media mentions.

    \b
    Example:
      khronika review list --kind entry-person
      khronika review accept 12 --reason "same birth date and patronymic"
    """


def _line(c: dict[str, Any]) -> str:
    ctx = c["context"]
    names = (
        f"{ctx.get('entry_name') or ctx.get('a_name') or c['a']} ~ {ctx.get('b_name') or c['b']}"
    )
    return (
        f"{c['id']:>6}  {c['score']:.3f}  {c['kind']:<14} {c['status']:<8} {c['a']} ~ {c['b']}"
        f"  ({names})"
    )


@review_group.command("list")
@click.option("--kind", type=_KINDS, help="Only pairs of this kind.")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(["open", "unsure", "accepted", "rejected", "all"]),
    help="Repeatable; default: open and unsure (still to decide).",
)
@click.option("--limit", type=int, help="At most this many.")
@json_option()
@pass_cli
def list_cmd(
    ctx: CliContext, kind: str | None, statuses: tuple[str, ...], limit: int | None, as_json: bool
) -> None:
    """List candidates, best score first.

    \b
    Example:
      khronika review list --kind person-person --json
    """
    _declare_kinds()
    from khronika.review import STATUSES, list_queue

    wanted = STATUSES if "all" in statuses else (statuses or ("open", "unsure"))
    rows = list_queue(ctx.database(), kind=kind, status=wanted, limit=limit)
    if as_json:
        echo_json(rows)
        return
    for c in rows:
        click.echo(_line(c))
    click.echo(f"{len(rows)} candidate(s)")


@review_group.command("show")
@click.argument("candidate_id", type=int)
@json_option()
@pass_cli
def show(ctx: CliContext, candidate_id: int, as_json: bool) -> None:
    """Show a candidate: both sides, the explanation, every judgement.

    \b
    Example:
      khronika review show 12 --json
    """
    _declare_kinds()
    from khronika.review import show_candidate

    data = show_candidate(ctx.database(), candidate_id)
    if as_json:
        echo_json(data)
        return
    _print(data)


def _print(data: dict[str, Any]) -> None:
    import orjson

    click.echo(_line(data))
    for side in ("a", "b"):
        click.echo(f"  {side}: {orjson.dumps(data['sides'][side]).decode()}")
    click.echo(f"  explanation: {orjson.dumps(data['explanation']).decode()}")
    for j in data.get("judgements", []):
        undone = (
            f" — undone {j['retracted']} by {j['retracted_by']}: {j['retraction_reason']}"
            if j["retracted"]
            else ""
        )
        click.echo(
            f"  [{j['id']}] {j['decision']} {j['recorded']} by {j['recorded_by']}: "
            f"{j['reason']}{undone}"
        )
    for what, ids in data.get("effects", {}).items():
        if ids:
            click.echo(f"  {what.replace('_', ' ')}: {', '.join(ids)}")


def _decide(decision: str, help_text: str, example: str) -> Callable[..., None]:
    @click.argument("candidate_id", type=int)
    @click.option("--reason", required=True, help="Why (stored with the judgement).")
    @json_option("Print the candidate as JSON.")
    @pass_cli
    def command(ctx: CliContext, candidate_id: int, reason: str, as_json: bool) -> None:

        _declare_kinds()
        from khronika.review import judge

        data = judge(ctx.database(), candidate_id, decision, reason=reason, by=current_user())
        if as_json:
            echo_json(data)
        else:
            _print(data)

    command.__doc__ = f"{help_text}\n\n    \\b\n    Example:\n      {example}\n"
    return command


review_group.command("accept")(
    _decide(
        "positive",
        "Accept: the two are the same person (merges people; links a list entry).",
        'khronika review accept 12 --reason "same birth date, patronymic and photo"',
    )
)
review_group.command("reject")(
    _decide(
        "negative",
        "Reject: not the same person (never proposed again).",
        'khronika review reject 13 --reason "father and son"',
    )
)
review_group.command("unsure")(
    _decide(
        "unsure",
        "Mark as looked at but undecided (stays in the queue).",
        'khronika review unsure 14 --reason "need the birth date"',
    )
)


@review_group.command("undo")
@click.argument("candidate_id", type=int)
@click.option("--reason", required=True, help="Why the judgement is withdrawn.")
@json_option("Print the candidate as JSON.")
@pass_cli
def undo_cmd(ctx: CliContext, candidate_id: int, reason: str, as_json: bool) -> None:
    """Undo the current judgement (kept, marked retracted): a merge splits, list events go.

    \b
    Example:
      khronika review undo 12 --reason "different mothers' names in the verdict"
    """

    _declare_kinds()
    from khronika.review import undo

    data = undo(ctx.database(), candidate_id, reason=reason, by=current_user())
    if as_json:
        echo_json(data)
    else:
        _print(data)


def register(cli: click.Group) -> None:
    """Add this module's commands to the CLI."""
    cli.add_command(review_group)
