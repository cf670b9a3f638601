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

    from competition import create_app
    from competition.services.certificate_checks import check_print
    from competition.services.certificates import print_certificates, select_competitors
    from competition.services.effects import transaction
    from competition.services.errors import ServiceError
    from competition.services.lookup import competitor_in_skill, event_by_code, skill_in_event

    # Inside an app context (tests, a Flask shell) use that app; otherwise build one.
    app = current_app._get_current_object() if has_app_context() else create_app()
    with app.app_context():
        if competitor_code and not skill_code:
            raise click.UsageError("--competitor needs --skill")
        try:
            event = event_by_code(event_code)
            skill = skill_in_event(event, skill_code) if skill_code else None
            competitor = competitor_in_skill(skill, competitor_code) if competitor_code else None
        except ServiceError as err:
            raise click.ClickException(err.message) from None
        bar = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                bar = click.progressbar(length=total, label="Certificates", show_pos=True)
                bar.__enter__()
            bar.update(done - bar.pos)

        Path(out).parent.mkdir(parents=True, exist_ok=True)
        try:
            check = check_print(event, select_competitors(event, skill=skill, competitor=competitor, only_locked=locked_only))
            with transaction():  # the issued certificates are kept only if the PDF was written
                pages = print_certificates(event, out, skill=skill, competitor=competitor, only_locked=locked_only, progress=progress)
        except ServiceError as err:
            raise click.ClickException(err.message) from None
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
        click.echo(f"{pages} certificate(s) written to {out}")
        if check.address_warning is not None:
            click.echo(f"warning: {check.address_warning}", err=True)
        if check.superseded:
            click.echo(f"note: {len(check.superseded)} certificate(s) handed out before are now revoked as superseded: "
                       + ", ".join(f"{c.number} ({c.competitor_name})" for c in check.superseded), err=True)
