"""`khronika import` and `khronika export`: khronika NDJSON v1 and CSV zips."""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from khronika.cli.common import CliContext, current_user, echo_json, json_option, pass_cli
from khronika.cli.progress import progress_bar
from khronika.errors import ImportRejected

# khronika.interchange and khronika.audit are imported inside the commands: they pull in
# the model (pydantic) and SQLAlchemy, and `import --help` needs neither.

__all__ = ["current_user", "register"]


@click.command("import")
@click.argument("file", type=click.Path(allow_dash=True, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ndjson", "csv"]),
    help="File format (default: from the extension; .zip is csv).",
)
@click.option("--prefix", help="Namespace the file's ids as PREFIX:id (another group's data).")
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Import the valid records and report the others (default: all or nothing).",
)
@json_option("Print the report as JSON.")
@pass_cli
def import_cmd(
    ctx: CliContext,
    file: str,
    fmt: str | None,
    prefix: str | None,
    skip_invalid: bool,
    as_json: bool,
) -> None:
    """Import a khronika NDJSON file or CSV zip: all or nothing, idempotent.

    Invalid records are reported as FILE:LINE: field: reason. Without --skip-invalid
    nothing is written when any record is invalid, and the exit code is 1.

    \b
    Example:
      khronika import viasna-2025-05.ndjson
      khronika import --prefix other other-group.zip
    """
    from khronika.interchange import import_records, read_ndjson
    from khronika.interchange.csvzip import read_csv_zip

    db = ctx.database()
    fmt = fmt or ("csv" if file.endswith(".zip") else "ndjson")
    name = "<stdin>" if file == "-" else os.path.basename(file)
    stream = sys.stdin.buffer if file == "-" else open(file, "rb")  # noqa: SIM115
    try:
        records = read_csv_zip(stream, name) if fmt == "csv" else read_ndjson(stream, name)
        with progress_bar() as progress:
            try:
                report = import_records(
                    db,
                    records,
                    prefix=prefix,
                    skip_invalid=skip_invalid,
                    recorded_by=current_user(),
                    progress=progress,
                )
            except ImportRejected as e:
                for line in e.problems:
                    click.echo(line, err=True)
                click.echo(
                    f"{len(e.problems)} problem(s); nothing imported (use --skip-invalid to "
                    "import the valid records)",
                    err=True,
                )
                sys.exit(1)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    for line in report.problems:
        click.echo(line, err=True)
    if as_json:
        echo_json(
            {
                "added": dict(report.added),
                "unchanged": dict(report.unchanged),
                "superseded": report.retracted,
                "rejected": report.problems,
            }
        )
    else:
        click.echo(report.summary())
    if report.problems:
        sys.exit(1)


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["ndjson", "csv"]), default="ndjson")
@click.option(
    "--scope",
    type=click.Choice(["full", "public"]),
    default="full",
    show_default=True,
    help="public leaves out what may not be published.",
)
@click.option("--history", is_flag=True, help="Every version, with recorded/retracted.")
@click.option("--known-on", help="The versions known on this date or time.")
@click.option(
    "-o", "--output", default="-", type=click.Path(allow_dash=True), help="File (default: stdout)."
)
@click.option(
    "--audit-head",
    "with_head",
    is_flag=True,
    help="Begin an NDJSON export with a header naming the audit head it was taken at.",
)
@pass_cli
def export_cmd(
    ctx: CliContext,
    fmt: str,
    scope: str,
    history: bool,
    known_on: str | None,
    output: str,
    with_head: bool,
) -> None:
    """Export the database canonically (stable record and key order).

    Import → export → import into an empty database → export gives identical bytes.
    The CSV format is a zip of one CSV file per record type. `--audit-head` puts first a
    line `{"type":"export","audit_head":{"seq":…,"hash":…},…}` that ties the file to the
    audit log (`khronika audit log`); imports skip it. It is off by default because two
    databases holding the same records have different logs, and the round trip above must
    stay byte-identical. The head is always said on standard error with `-o`.

    \b
    Example:
      khronika export -o backup.ndjson --history
      khronika export -o evidence.ndjson --history --audit-head
      khronika export --format csv --scope public -o public.zip
    """
    from khronika.audit import audit_head
    from khronika.interchange import export_header, export_records

    db = ctx.database()
    if fmt == "csv" and output == "-" and sys.stdout.isatty():
        raise click.UsageError("a CSV export is a zip: give -o FILE.zip")
    if with_head and fmt != "ndjson":
        raise click.UsageError("--audit-head is for NDJSON exports")
    head = audit_head(db)
    records: Iterable[dict[str, Any]] = export_records(
        db, scope=scope, history=history, known_on=known_on
    )
    if with_head:
        header = export_header(head, scope=scope, history=history, known_on=known_on)
        records = itertools.chain([header], records)
    if output == "-":
        stream = sys.stdout.buffer
        _write(fmt, records, stream)
        stream.flush()
    else:
        path = Path(output)
        tmp = path.with_name(path.name + ".part")
        with open(tmp, "wb") as stream:
            n = _write(fmt, records, stream)
        tmp.replace(path)
        at = f"audit head #{head['seq']} {head['hash'][:16]}" if head else "no audit log yet"
        click.echo(f"{n} records → {path} ({at})", err=True)


def _write(fmt: str, records: object, stream: object) -> int:
    from khronika.interchange import write_ndjson
    from khronika.interchange.csvzip import write_csv_zip

    if fmt == "csv":
        return write_csv_zip(records, stream)  # type: ignore[arg-type]
    return write_ndjson(records, stream)  # type: ignore[arg-type]


def register(cli: click.Group) -> None:
    """Add this module's commands to the CLI."""
    cli.add_command(import_cmd)
    cli.add_command(export_cmd)
