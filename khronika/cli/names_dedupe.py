"""`khronika names dedupe`: propose likely duplicate people into the review queue.

Until the name matcher's own `khronika/cli/names.py` is merged, this module creates the
`names` group with `dedupe` only; the merge moves `dedupe` there.
"""

from __future__ import annotations

import click

from khronika.cli.common import CliContext, echo_json, pass_cli

__all__ = ["dedupe", "register"]


@click.group("names")
def names_group() -> None:
    """The name matcher: registry duplicates for review.

    \b
    Example:
      khronika names dedupe
    """


@click.command("dedupe")
@click.option("--threshold", type=float, help="Least score proposed (default: the scorer's).")
@click.option(
    "--max-block",
    type=int,
    default=500,
    show_default=True,
    help="Skip name blocks with more people than this.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_cli
def dedupe(ctx: CliContext, threshold: float | None, max_block: int, as_json: bool) -> None:
    """Propose likely duplicate people into the review queue (pairs judged before are skipped).

    \b
    Example:
      khronika names dedupe --json
      khronika review list --kind person-person
    """
    from khronika.registry.dedupe import propose_duplicates

    report = propose_duplicates(ctx.database(), threshold=threshold, max_block=max_block)
    if as_json:
        echo_json(report.to_json())
        return
    click.echo(
        f"{report.people} people, {report.pairs_scored} pairs scored in "
        f"{report.blocks} blocks ({report.skipped_blocks} too large, skipped): "
        f"{report.new} new candidate(s), {report.already_known} already in the queue"
    )


names_group.add_command(dedupe)


def register(cli: click.Group) -> None:
    """Add this module's commands to the CLI."""
    cli.add_command(names_group)
