"""``podium certificates``: print an event's (or a skill's) certificates into one PDF."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("certificates")
@click.option("--event", "event_code", required=True, help="The event's code.")
@click.option("--skill", "skill_code", help="Only this skill (its code).")
@click.option("--competitor", "competitor_code", help="Only this competitor (its code; needs --skill).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True), help="The PDF file to write.")
@click.option("--locked-only", is_flag=True, help="Leave out competitors whose results are not final, instead of refusing.")
def certificates(event_code: str, skill_code: str | None, competitor_code: str | None, out: str, locked_only: bool) -> None:
    """Issue and print certificates for final (locked) results, with a progress bar."""
    from flask import current_app, has_app_context
    from sqlalchemy import select

    from competition import create_app
    from competition.extensions import db
    from competition.models import Event
    from competition.services.certificates import CertificateRefused, print_certificates
    from competition.services.results import skill_by_code

    # Inside an app context (tests, a Flask shell) use that app; otherwise build one.
    app = current_app._get_current_object() if has_app_context() else create_app()
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.code == event_code))
        if event is None:
            raise click.ClickException(f"no event with code {event_code!r}")
        skill = competitor = None
        if skill_code:
            skill = skill_by_code(skill_code, event)
            if skill is None:
                raise click.ClickException(f"event {event_code} has no skill {skill_code!r}")
        if competitor_code:
            if skill is None:
                raise click.UsageError("--competitor needs --skill")
            competitor = next((c for c in skill.competitors if c.code == competitor_code), None)
            if competitor is None:
                raise click.ClickException(f"skill {skill_code} has no competitor {competitor_code!r}")
        bar = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                bar = click.progressbar(length=total, label="Certificates", show_pos=True)
                bar.__enter__()
            bar.update(done - bar.pos)

        Path(out).parent.mkdir(parents=True, exist_ok=True)
        try:
            pages = print_certificates(event, out, skill=skill, competitor=competitor, only_locked=locked_only, progress=progress)
        except CertificateRefused as err:
            raise click.ClickException(str(err)) from None
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
        click.echo(f"{pages} certificate(s) written to {out}")
