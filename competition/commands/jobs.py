"""``podium worker``: run background jobs (certificate batches, imports, exports, backups).

Every server process already runs a worker of its own; separate workers take the heavy work off
the servers (then start the servers with ``PODIUM_WORKER=0``) or finish the jobs of a server that
died. Any number of workers may run at once, on any machine that reaches the database.
"""

from __future__ import annotations

import click


@click.command("worker")
@click.option("--once", is_flag=True, help="Run the jobs waiting now (and stale ones), then exit.")
@click.option("--poll", type=click.FloatRange(min=0.05), default=None,
              help="Seconds between two looks for new jobs (default PODIUM_JOB_POLL_SECONDS, or 2).")
def worker(once: bool, poll: float | None) -> None:
    """Run background jobs: claim a queued job (or one whose process died), run it, repeat.

    A running job whose heartbeat is older than PODIUM_JOB_STALE_SECONDS (30) is taken over;
    after 3 attempts it ends failed."""
    from flask import current_app

    from competition.commands import app_context
    from competition.services.job_worker import work

    with app_context():
        app = current_app._get_current_object()
        name = "once" if once else f"every {poll or 'PODIUM_JOB_POLL_SECONDS'} s"
        click.echo(f"worker: running jobs ({name})", err=True)
        try:
            ran = work(app, once=once, poll=poll, say=click.echo)
        except KeyboardInterrupt:
            return
        click.echo(f"worker: {ran} job(s) run, none left", err=True)


COMMANDS = [worker]
