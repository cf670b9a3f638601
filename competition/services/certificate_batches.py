"""Large certificate batches, printed by a background job into a PDF to download.

The request checks the batch (unlocked results are refused at once, with names), records a
:class:`CertificateBatch` and queues a job of kind ``certificates`` for it
(:mod:`competition.services.jobs`); once that is committed, a worker of any process — this
one's, another server's or ``podium worker`` — claims it. The job issues the certificates and
commits them (one transaction: the event's numbering is held only while issuing), then draws the
certificates page by page, writing its progress to the batch row (and the job's) so any server
process can report it. The PDF is drawn into the job's folder, then stored in the database in
1 MiB pieces (:class:`CertificateBatchPart`) in the same commit that marks the batch done, and
the file is deleted: any server process can send the download, with no disk shared between them.

The batch's state follows its job: if the drawing process dies, the job is claimed again and the
batch drawn again (issuing reuses the certificates already issued); a job that fails, or dies
too often, marks its batch failed with its message.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from competition.extensions import db
from competition.models import CertificateBatch, CertificateBatchPart, Competitor, Event, Job, Skill, User
from competition.models.certificates import DONE, FAILED, PART_BYTES, RUNNING
from competition.models.marking import utcnow
from competition.services.certificates import draw_certificates, issue_for, recipients, select_competitors
from competition.services.effects import transaction
from competition.services.jobs import JobContext, dump, enqueue, job_kind

KIND = "certificates"


def certificate_dir(app: Flask) -> Path:
    folder = Path(app.config.get("CERTIFICATE_DIR") or Path(app.instance_path) / "certificates")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def start_batch(event: Event, *, skill: Skill | None = None, only_locked: bool = False, by: User | None = None) -> CertificateBatch:
    """Check and record a batch and its job; a worker draws it once the caller committed."""
    competitors: list[Competitor] = select_competitors(event, skill=skill, only_locked=only_locked)
    label = f"{event.name} — {skill.name}" if skill else f"{event.name} — whole event"
    batch = CertificateBatch(event_id=event.id, skill_id=skill.id if skill else None, only_locked=only_locked, label=label,
                             total=sum(len(recipients(c)) for c in competitors), requested_by_id=by.id if by else None)
    db.session.add(batch)
    db.session.flush()
    enqueue(KIND, {"batch_id": batch.id}, event=event, by=by)
    return batch


def job_for(batch: CertificateBatch) -> Job | None:
    """The job that draws (or drew) the batch."""
    return db.session.scalar(select(Job).where(Job.kind == KIND, Job.params == dump({"batch_id": batch.id})).order_by(Job.id.desc()))


def _set(batch_id: int, **values) -> None:
    # A connection of its own: progress must not commit (or expire) the drawing session's work.
    with db.engine.begin() as conn:
        conn.execute(update(CertificateBatch).where(CertificateBatch.id == batch_id).values(**values))


def _batch_failed(params: dict, message: str) -> None:
    db.session.execute(update(CertificateBatch).where(CertificateBatch.id == params["batch_id"], CertificateBatch.status != DONE)
                       .values(status=FAILED, error=message[:1000], finished_at=utcnow()))


@job_kind(KIND, label=_l("Certificate batch"), on_failed=_batch_failed)
def run_batch(job: JobContext, params: dict) -> dict:
    """Issue and draw one batch (again, if an earlier attempt's process died half-way)."""
    batch_id = params["batch_id"]
    batch = db.session.get(CertificateBatch, batch_id)
    if batch is None:
        raise LookupError(f"certificate batch {batch_id} does not exist")
    if batch.status == DONE:  # an earlier attempt stored it and died before the job was marked done
        return {"batch_id": batch_id, "pages": batch.done}
    partial = job.output_path(f"batch-{batch_id}.pdf")
    try:
        _set(batch_id, status=RUNNING, error="")
        last = [0.0]

        def progress(done: int, total: int) -> None:
            now = time.monotonic()
            if now - last[0] >= 0.25 or done == total:
                last[0] = now
                _set(batch_id, done=done, total=total)
            job.progress(done, total)

        by = db.session.get(User, batch.requested_by_id) if batch.requested_by_id else None
        event, skill = batch.event, batch.skill
        with transaction():
            certificates = issue_for(event, skill=skill, only_locked=batch.only_locked, by=by)
        pages = draw_certificates(event, certificates, str(partial), skill=skill, progress=progress)
        with transaction():
            _store(batch_id, partial)
            db.session.execute(update(CertificateBatch).where(CertificateBatch.id == batch_id)
                               .values(status=DONE, done=pages, total=pages, finished_at=utcnow()))
        return {"batch_id": batch_id, "pages": pages}
    finally:
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
    """Block until the batch is done or failed (whichever worker draws it), or the time is up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with db.engine.connect() as conn:
            status = conn.scalar(select(CertificateBatch.status).where(CertificateBatch.id == batch_id))
        if status in (DONE, FAILED, None):
            return
        time.sleep(0.05)


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
