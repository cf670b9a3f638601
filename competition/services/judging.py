"""A competitor's marking as judges and the chief expert see it; sign-off, variance
overrides, discussions and open-form presence.

Rules:
- a judgement aspect is *flagged* when its panel's spread exceeds the scheme's tolerance
  (``AspectResult.flagged`` from the scoring core). Its judges see that it is flagged, not
  the others' scores — unless the chief expert opened a discussion of that aspect;
- a measurement aspect is flagged when the entries of several judges disagree more than
  its ``agreement`` allows (:mod:`competition.scoring.kinds.agreement`). Measurement is
  entered by the panel in consensus, so the whole panel sees the flag and what disagrees
  ("the panel entered yes/no/no"): the entries are read off the work, not opinions;
- a judge may sign a competitor off when they marked every judgement aspect, every
  measurement aspect has an entry (measurement is entered once, by consensus), and no
  aspect is flagged without the chief expert's documented override;
- when every judge of the panel (the skill's judges without a conflict) has signed, the
  competitor is locked (:func:`competition.services.locking.lock_competitor`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from competition.extensions import db
from competition.models import AspectDiscussion, Competitor, FormPresence, Mark, SignOff, User, VarianceOverride
from competition.models.marking import utcnow
from competition.scoring.entries import entry_text
from competition.scoring.kinds import kind_of
from competition.scoring.kinds.agreement import Disagreement
from competition.scoring.model import Aspect
from competition.scoring.numbers import plain
from competition.scoring.rules import AspectResult, aggregate_aspect
from competition.services.access import conflicted, is_chief, panel, shown_code
from competition.services.audit import audit
from competition.services.effects import MarksChanged, after_commit
from competition.services.errors import ServiceError
from competition.services.locking import hold_competitor, lock_competitor
from competition.services.windows import closed_keys, closed_reason

PRESENCE_SECONDS = 30
PRESENCE_KEPT_SECONDS = 15 * 60  # a presence row not renewed for this long is deleted
PRESENCE_DEVICES = 10  # the most devices of one judge remembered; a device id is whatever the tablet sends


class _Joined:
    """Problems joined for a message, in the language the message is read in (evaluated late,
    like the lazy message around it)."""

    def __init__(self, problems: list):
        self.problems = problems

    def __str__(self) -> str:
        return str(_l("; ")).join(str(p) for p in self.problems)


class _EntryWords:
    """A disagreement's entries as its flag shows them ("yes/no/no", "0, 1, 2"), in the
    language the message is read in (evaluated late, like the lazy message around it)."""

    def __init__(self, aspect: Aspect, disagreement: Disagreement):
        self.kind, self.entries = kind_of(aspect), disagreement.entries

    def __str__(self) -> str:
        words = [self.kind.entry_word(e) for e in self.entries]
        return self.kind.entry_separator.join(gettext(w) if self.kind.entry_words_translated else w for w in words)


def disagreement_text(aspect: Aspect, disagreement: Disagreement):
    """What disagrees, as a lazy message: "the panel entered yes/no/no", "deduction counts
    0, 1, 2 differ by more than 0"."""
    return _l(kind_of(aspect).disagreement_wording, entries=_EntryWords(aspect, disagreement), allowed=disagreement.allowed)


class JudgingError(ServiceError):
    """A sign-off, override or discussion that is refused; ``problems`` lists every reason."""

    status = 409

    def __init__(self, field: str, message: str, status: int | None = None, *, code: str | None = None,
                 problems: list[str] | None = None):
        super().__init__(field, message, status, code=code, problems=problems)

    @property
    def problems(self) -> list[str]:
        return self.extra.get("problems") or []


@dataclass
class AspectState:
    aspect: Aspect
    marks: dict[int, Mark]  # judge id -> mark
    result: AspectResult
    override: VarianceOverride | None
    discussion: AspectDiscussion | None
    closed: str | None
    disagreement: Disagreement | None = None  # measurement entries that disagree (the flag's reason)

    @property
    def flagged(self) -> bool:
        return self.result.flagged

    @property
    def disagreement_text(self):
        """What disagrees ("the panel entered yes/no/no"), or None."""
        return disagreement_text(self.aspect, self.disagreement) if self.disagreement else None

    @property
    def blocking(self) -> bool:
        return self.result.flagged and self.override is None


@dataclass
class CompetitorSheet:
    competitor: Competitor
    aspects: dict[str, AspectState]
    signed: dict[int, SignOff] = field(default_factory=dict)
    panel: list[User] = field(default_factory=list)

    @property
    def flagged(self) -> list[str]:
        return [a for a, s in self.aspects.items() if s.blocking]


def competitor_sheet(competitor: Competitor) -> CompetitorSheet:
    """Every aspect of the competitor with each judge's mark, the aggregate and its flag."""
    skill = competitor.skill
    by_aspect: dict[str, dict[int, Mark]] = defaultdict(dict)
    for mark in db.session.scalars(select(Mark).where(Mark.competitor_id == competitor.id).order_by(Mark.judge_id)):
        by_aspect[mark.aspect_id][mark.judge_id] = mark
    overrides = {
        o.aspect_id: o for o in db.session.scalars(select(VarianceOverride).where(VarianceOverride.competitor_id == competitor.id))
    }
    discussions = {
        d.aspect_id: d
        for d in db.session.scalars(
            select(AspectDiscussion).where(AspectDiscussion.competitor_id == competitor.id, AspectDiscussion.closed_at.is_(None))
        )
    }
    closed = closed_keys(skill)
    aspects = {}
    for aspect in skill.scheme.aspects:
        marks = by_aspect.get(aspect.id, {})
        values = [m.value for m in marks.values()]
        result = aggregate_aspect(aspect, values)
        disagreement = kind_of(aspect).disagreement(aspect, values) if result.flagged and not aspect.is_judgement else None
        aspects[aspect.id] = AspectState(aspect, marks, result, overrides.get(aspect.id), discussions.get(aspect.id),
                                         closed_reason(skill, aspect, closed), disagreement)
    signed = {s.judge_id: s for s in db.session.scalars(select(SignOff).where(SignOff.competitor_id == competitor.id))}
    return CompetitorSheet(competitor, aspects, signed, panel(skill, competitor))


def missing_for(judge: User, state: AspectState) -> bool:
    """True when the aspect still needs this judge: a judgement aspect without their score,
    or a measurement aspect without any entry."""
    if state.aspect.is_judgement:
        return judge.id not in state.marks
    return not state.marks


def judge_view(judge: User, sheet: CompetitorSheet, aspects: list[Aspect] | None = None) -> dict[str, dict]:
    """What a judge may see per aspect: their own mark, whether it is flagged, and the
    panel's scores only while a discussion is open. Other judges' judgement scores are never
    included otherwise; a measurement flag is the whole panel's and says what disagrees
    (``disagreement``: its text, the entries in reading order and what the aspect allows)."""
    view = {}
    chief = is_chief(judge, sheet.competitor.skill)
    for aspect in aspects or [s.aspect for s in sheet.aspects.values()]:
        state = sheet.aspects[aspect.id]
        own = state.marks.get(judge.id)
        entry = {
            "aspect": aspect.id,
            "value": entry_text(own.value) if own else None,
            "version": own.version if own else 0,
            "missing": missing_for(judge, state),
            "entered_by_panel": bool(state.marks) and own is None and not aspect.is_judgement,
            "flagged": state.flagged and (own is not None or chief or not aspect.is_judgement),
            "overridden": state.override is not None,
            "closed": state.closed,
            "discussion": None,
            "disagreement": None,
        }
        if state.disagreement is not None:
            entry["disagreement"] = {"text": state.disagreement_text, "entries": [entry_text(e) for e in state.disagreement.entries],
                                     "allowed": state.disagreement.allowed}
        if state.discussion is not None and entry["flagged"]:
            entry["discussion"] = [entry_text(m.value) for m in state.marks.values()]
        view[aspect.id] = entry
    return view


def sign_off_problems(judge: User, sheet: CompetitorSheet) -> list[str]:
    competitor = sheet.competitor
    if competitor.locked:
        return [_l("%(competitor)s is already locked", competitor=shown_code(judge, competitor))]
    if judge.id not in {j.id for j in sheet.panel}:
        if conflicted(judge, competitor):
            return [_l("conflict of interest: you do not mark or sign off this competitor")]
        return [_l("you are not on the judging panel of this skill")]
    problems = []
    for aspect_id, state in sheet.aspects.items():
        if missing_for(judge, state):
            problems.append(_l("%(aspect)s: not marked yet", aspect=aspect_id))
        elif state.blocking and state.disagreement is not None:
            problems.append(_l("%(aspect)s: %(disagreement)s; measure again and re-enter, or ask the chief expert",
                               aspect=aspect_id, disagreement=state.disagreement_text))
        elif state.blocking:
            tolerance = plain(state.aspect.tolerance)
            problems.append(_l("%(aspect)s: the panel's scores differ by more than %(tolerance)s; re-score or ask the chief expert",
                               aspect=aspect_id, tolerance=tolerance))
    return problems


def sign_off(judge: User, competitor: Competitor) -> bool:
    """Sign the competitor's form off; lock it when the whole panel has signed.

    Holds the competitor's row first, so the sheet it checks is the one it signs: no mark can
    land between this check and the lock. Returns True when this signature locked the
    competitor. Raises :class:`JudgingError` with every problem when the form cannot be signed yet.
    """
    hold_competitor(competitor)
    sheet = competitor_sheet(competitor)
    problems = sign_off_problems(judge, sheet)
    if problems:
        raise JudgingError("competitor", _l("%(competitor)s cannot be signed off yet: %(problems)s",
                                            competitor=shown_code(judge, competitor),
                                            problems=_Joined(problems)), code="sign_off_blocked", problems=problems)
    if judge.id not in sheet.signed:
        db.session.add(SignOff(competitor_id=competitor.id, judge_id=judge.id))
        audit("signed_off", by=judge, competitor=competitor)
        db.session.flush()
    signed = set(db.session.scalars(select(SignOff.judge_id).where(SignOff.competitor_id == competitor.id)))
    locked = all(j.id in signed for j in sheet.panel)
    if locked:
        lock_competitor(competitor, by=judge)
    after_commit(MarksChanged(competitor.skill_id, competitor.id))
    return locked


def record_override(chief: User, competitor: Competitor, aspect_id: str, reason: str) -> VarianceOverride:
    """The chief expert's documented decision that a flagged aspect stands."""
    if not is_chief(chief, competitor.skill):
        raise JudgingError("user", _l("only the chief expert of the skill can override a variance flag"), 403, code="not_chief")
    reason = " ".join((reason or "").split())
    if len(reason) < 10:
        raise JudgingError("reason", _l("document the override: give a reason of at least 10 characters"), 422, code="invalid_value")
    hold_competitor(competitor)
    sheet = competitor_sheet(competitor)
    state = sheet.aspects.get(aspect_id)
    if state is None or not state.flagged:
        raise JudgingError("aspect", _l("aspect %(aspect)s is not flagged for %(competitor)s", aspect=aspect_id,
                                        competitor=shown_code(chief, competitor)), code="not_flagged")
    entries = ", ".join(entry_text(m.value) for m in state.marks.values())
    override = state.override or VarianceOverride(competitor_id=competitor.id, aspect_id=aspect_id, by_user_id=chief.id)
    override.reason, override.entries, override.by_user_id, override.at = reason, entries, chief.id, utcnow()
    db.session.add(override)
    audit("variance_override", by=chief, competitor=competitor, detail=f"{aspect_id}: {entries}", reason=reason)
    after_commit(MarksChanged(competitor.skill_id, competitor.id))
    db.session.flush()
    return override


def set_discussion(chief: User, competitor: Competitor, aspect_id: str, open: bool) -> None:
    """Open (or close) a discussion: the aspect's panel sees each other's scores."""
    if not is_chief(chief, competitor.skill):
        raise JudgingError("user", _l("only the chief expert of the skill can open a discussion"), 403, code="not_chief")
    try:
        competitor.skill.scheme.aspect(aspect_id)
    except KeyError:
        raise JudgingError("aspect", _l("no aspect %(aspect)s", aspect=repr(aspect_id)), 404, code="unknown_aspect") from None
    current = db.session.scalar(
        select(AspectDiscussion).where(
            AspectDiscussion.competitor_id == competitor.id, AspectDiscussion.aspect_id == aspect_id, AspectDiscussion.closed_at.is_(None)
        )
    )
    if open and current is None:
        db.session.add(AspectDiscussion(competitor_id=competitor.id, aspect_id=aspect_id, opened_by_id=chief.id))
    elif not open and current is not None:
        current.closed_at = utcnow()
    audit("discussion_opened" if open else "discussion_closed", by=chief, competitor=competitor, detail=aspect_id)
    after_commit(MarksChanged(competitor.skill_id, competitor.id))
    db.session.flush()


def heartbeat(judge: User, competitor: Competitor, device_id: str) -> int:
    """Note that ``device_id`` has the judge's form for ``competitor`` open; return how many
    other devices of the same judge have it open now."""
    device_id = (device_id or "unknown")[:64]
    now = utcnow()
    row = db.session.scalar(
        select(FormPresence).where(
            FormPresence.judge_id == judge.id, FormPresence.competitor_id == competitor.id, FormPresence.device_id == device_id
        )
    )
    if row is None:
        db.session.add(FormPresence(judge_id=judge.id, competitor_id=competitor.id, device_id=device_id, seen_at=now))
    else:
        row.seen_at = now
    db.session.flush()
    _forget_presence(judge, now)
    since = now - dt.timedelta(seconds=PRESENCE_SECONDS)
    others = db.session.scalars(
        select(FormPresence).where(
            FormPresence.judge_id == judge.id, FormPresence.competitor_id == competitor.id, FormPresence.device_id != device_id
        )
    )
    return sum(1 for o in others if _aware(o.seen_at) >= since)


def _forget_presence(judge: User, now: dt.datetime) -> None:
    """Presence rows expire: rows nobody renewed for :data:`PRESENCE_KEPT_SECONDS` go (anyone's,
    so the table holds only the forms open now), and of one judge's rows only the newest
    :data:`PRESENCE_DEVICES` stay, so invented device ids cannot grow the table either."""
    stale = now - dt.timedelta(seconds=PRESENCE_KEPT_SECONDS)
    db.session.execute(delete(FormPresence).where(FormPresence.seen_at < stale))
    newest = (select(FormPresence.id).where(FormPresence.judge_id == judge.id)
              .order_by(FormPresence.seen_at.desc(), FormPresence.id.desc()).limit(PRESENCE_DEVICES))
    db.session.execute(delete(FormPresence).where(FormPresence.judge_id == judge.id, FormPresence.id.not_in(
        select(newest.subquery().c.id))))


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
