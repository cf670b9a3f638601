"""Large certificate batches, printed by a background thread into a file to download.

The request checks the batch (unlocked results are refused at once, with names) and records a
:class:`CertificateBatch`; once that is committed, the thread starts. The thread issues the
certificates and commits them (one transaction: the event's numbering is held only while
issuing), then draws the
certificates page by page, writing its progress to the batch row so any server process can
report it. The PDF is drawn into a temporary file, then stored in the database in 1 MiB
pieces (:class:`CertificateBatchPart`) in the same commit that marks the batch done, and the
file is deleted: any server process can send the download, with no disk shared between them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import func, select, update

from competition.extensions import db
from competition.models import CertificateBatch, CertificateBatchPart, Competitor, Event, Skill, User
from competition.models.certificates import DONE, FAILED, PART_BYTES, RUNNING
from competition.models.marking import utcnow
from competition.services.certificates import CertificateRefused, draw_certificates, issue_for, recipients, select_competitors
from competition.services.effects import after_commit, transaction

log = logging.getLogger(__name__)
_threads: dict[int, threading.Thread] = {}


def certificate_dir(app: Flask) -> Path:
    folder = Path(app.config.get("CERTIFICATE_DIR") or Path(app.instance_path) / "certificates")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def start_batch(event: Event, *, skill: Skill | None = None, only_locked: bool = False, by: User | None = None) -> CertificateBatch:
    """Check and record a batch; it starts drawing in the background once the caller committed."""
    competitors: list[Competitor] = select_competitors(event, skill=skill, only_locked=only_locked)
    label = f"{event.name} — {skill.name}" if skill else f"{event.name} — whole event"
    batch = CertificateBatch(event_id=event.id, skill_id=skill.id if skill else None, only_locked=only_locked, label=label,
                             total=sum(len(recipients(c)) for c in competitors), requested_by_id=by.id if by else None)
    db.session.add(batch)
    db.session.flush()
    app = current_app._get_current_object()
    batch_id = batch.id
    thread = threading.Thread(target=run_batch, args=(app, batch_id), name=f"certificates-batch-{batch_id}", daemon=True)

    def start() -> None:
        _threads[batch_id] = thread
        thread.start()

    after_commit(start)
    return batch


def _set(batch_id: int, **values) -> None:
    # A connection of its own: progress must not commit (or expire) the drawing session's work.
    with db.engine.begin() as conn:
        conn.execute(update(CertificateBatch).where(CertificateBatch.id == batch_id).values(**values))


def run_batch(app: Flask, batch_id: int) -> None:
    with app.app_context():
        partial: Path | None = None
        try:
            batch = db.session.get(CertificateBatch, batch_id)
            partial = certificate_dir(app) / f"batch-{batch_id}.part"
            _set(batch_id, status=RUNNING)
            last = [0.0]

            def progress(done: int, total: int) -> None:
                now = time.monotonic()
                if now - last[0] >= 0.25 or done == total:
                    last[0] = now
                    _set(batch_id, done=done, total=total)

            by = db.session.get(User, batch.requested_by_id) if batch.requested_by_id else None
            event, skill = batch.event, batch.skill
            with transaction():
                certificates = issue_for(event, skill=skill, only_locked=batch.only_locked, by=by)
            pages = draw_certificates(event, certificates, str(partial), skill=skill, progress=progress)
            with transaction():
                _store(batch_id, partial)
                db.session.execute(update(CertificateBatch).where(CertificateBatch.id == batch_id)
                                   .values(status=DONE, done=pages, total=pages, finished_at=utcnow()))
        except CertificateRefused as err:
            _set(batch_id, status=FAILED, error=str(err)[:1000], finished_at=utcnow())
        except Exception as err:  # reported on the batch page; the traceback goes to the log
            log.exception("certificate batch %s failed", batch_id)
            _set(batch_id, status=FAILED, error=f"Printing failed: {err}"[:1000], finished_at=utcnow())
        finally:
            db.session.remove()
            _threads.pop(batch_id, None)
            if partial is not None:
                partial.unlink(missing_ok=True)


def _store(batch_id: int, path: Path) -> None:
    """Add the drawn PDF to the session in pieces (committed with the batch's DONE status)."""
    with open(path, "rb") as pdf:
        for seq, data in enumerate(iter(lambda: pdf.read(PART_BYTES), b"")):
            part = CertificateBatchPart(batch_id=batch_id, seq=seq, data=data)
            db.session.add(part)
            db.session.flush()
            db.session.expunge(part)  # a 4,000-page batch never sits in memory whole


def batch_pdf(batch: CertificateBatch) -> tuple[int, Iterator[bytes]] | None:
    """The finished batch's PDF as (size in bytes, pieces read one at a time); None if it has none."""
    part = CertificateBatchPart
    size = db.session.scalar(select(func.sum(func.length(part.data))).where(part.batch_id == batch.id))
    if not size:
        return None
    ids = db.session.scalars(select(part.id).where(part.batch_id == batch.id).order_by(part.seq)).all()
    return int(size), (db.session.scalar(select(part.data).where(part.id == i)) for i in ids)


def wait_for_batch(batch_id: int, timeout: float = 60) -> None:
    """Block until the batch's thread (in this process) has finished."""
    thread = _threads.get(batch_id)
    if thread is not None:
        thread.join(timeout)


def batch_status(batch: CertificateBatch) -> dict:
    return {
        "id": batch.id,
        "label": batch.label,
        "status": batch.status,
        "done": batch.done,
        "total": batch.total,
        "percent": round(100 * batch.done / batch.total) if batch.total else (100 if batch.status == DONE else 0),
        "error": batch.error or None,
        "finished": batch.status in (DONE, FAILED),
    }
