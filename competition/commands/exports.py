"""``podium export``, ``podium result-sheet`` and ``podium marking-forms``: an event's results
as files — standings and raw marks (CSV, XLSX, JSON), a skill's result sheet (PDF, recorded so
its QR code can be verified) and its blank paper marking forms (PDF).

Bad input exits 1 with every problem printed, before anything is written.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from competition.commands import app_context

LANGUAGES = ("en", "zh")


def _find(event_code: str, skill_code: str | None, problems: list[str]):
    """The event and skill named, or None with the problem added."""
    from competition.services.errors import ServiceError
    from competition.services.lookup import event_by_code, skill_in_event

    try:
        event = event_by_code(event_code)
    except ServiceError:
        problems.append(f"--event: there is no event {event_code!r}")
        return None, None
    skill = None
    if skill_code:
        try:
            skill = skill_in_event(event, skill_code)
        except ServiceError:
            codes = ", ".join(s.code for s in event.skills) or "none"
            problems.append(f"--skill: event {event.code} has no skill {skill_code!r} (its skills: {codes})")
    return event, skill


def _fail(problems: list[str]) -> None:
    for problem in problems:
        click.echo(problem, err=True)
    sys.exit(1)


@click.command("export")
@click.argument("kind", metavar="standings|marks")
@click.option("--event", "event_code", required=True, help="The event's code.")
@click.option("--skill", "skill_code", help="Only this skill (its code); default every skill of the event.")
@click.option("--format", "fmt", help="csv, xlsx or json (default: the extension of --out).")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="The file to write.")
def export(kind: str, event_code: str, skill_code: str | None, fmt: str | None, out: str) -> None:
    """Export the standings, or every raw mark with its revision history."""
    from competition.services.exports import FORMATS, KINDS
    from competition.services.exports import export as write

    fmt = (fmt or Path(out).suffix.lstrip(".")).lower()
    problems = []
    if kind not in KINDS:
        problems.append(f"KIND: export standings or marks, not {kind!r}")
    if fmt not in FORMATS:
        problems.append(f"--format: one of {', '.join(FORMATS)}, not {fmt!r}")
    with app_context():
        event, skill = _find(event_code, skill_code, problems)
        if problems:
            _fail(problems)
        with click.progressbar(length=1, label=f"Exporting {kind}") as bar:
            def progress(done: int, total: int) -> None:
                bar.length = max(total, 1)
                bar.update(done - bar.pos)

            count = write(kind, event, out, fmt, skill=skill, progress=progress)
        what = "competitor(s)" if kind == "standings" else "mark(s)"
        click.echo(f"{count} {what} written to {out}")


@click.command("result-sheet")
@click.option("--event", "event_code", required=True, help="The event's code.")
@click.option("--skill", "skill_code", required=True, help="The skill's code.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="The PDF file to write.")
@click.option("--language", help="en or zh (default: the event's language).")
def result_sheet(event_code: str, skill_code: str, out: str, language: str | None) -> None:
    """Print a skill's result sheet (成绩单) and record its document hash for verification."""
    from competition.services.effects import transaction
    from competition.services.result_sheets import print_result_sheet

    problems = []
    if language is not None and language not in LANGUAGES:
        problems.append(f"--language: en or zh, not {language!r}")
    with app_context():
        _, skill = _find(event_code, skill_code, problems)
        if problems:
            _fail(problems)
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        with transaction():  # the record of the sheet is kept only if the PDF was written
            sheet = print_result_sheet(skill, out, language=language)
        state = "provisional" if sheet.provisional else "final"
        click.echo(f"result sheet of {skill.code} ({state}, {len(sheet.rows)} competitor(s)) written to {out}")
        click.echo(f"document {sheet.digest}: {sheet.verify_url}")


@click.command("marking-forms")
@click.option("--event", "event_code", required=True, help="The event's code.")
@click.option("--skill", "skill_code", required=True, help="The skill's code.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="The PDF file to write.")
@click.option("--language", help="en or zh (default: the event's language).")
@click.option("--blank", is_flag=True, help="One form per judge with the competitor left to fill in.")
def marking_forms(event_code: str, skill_code: str, out: str, language: str | None, blank: bool) -> None:
    """Print a skill's paper marking forms, the fallback when the tablets fail."""
    from competition.services.paper_forms import print_marking_forms

    problems = []
    if language is not None and language not in LANGUAGES:
        problems.append(f"--language: en or zh, not {language!r}")
    with app_context():
        _, skill = _find(event_code, skill_code, problems)
        if problems:
            _fail(problems)
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        count = print_marking_forms(skill, out, language=language, blank=blank)
        click.echo(f"{count} marking form(s) of {skill.code} written to {out}")


COMMANDS = [export, result_sheet, marking_forms]
