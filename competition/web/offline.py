"""What a judge's tablet keeps for working offline.

``GET /judge/offline.json`` lists every page of the signed-in judge's assigned work: their
skills, each competitor list, every criterion form of every competitor they may mark (not a
conflict of interest, not waiting for the encryption draw), the page shown for anything
else, and the scripts and styles those pages load. The service worker (static/js/sw.js)
fetches the list after the first online visit and keeps a copy of each page, refreshed while
online, so the whole of a judge's work can be marked when the network drops. The list names
its person: a tablet shared by several judges keeps only the signed-in judge's copy.

``GET /judge/offline`` is that "not in the offline copy" page, with the site's navigation.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, url_for
from flask_login import current_user, login_required

from competition.services.access import conflicted, may_mark_skill, shown_code, skills_of

bp = Blueprint("offline", __name__)

# What judge pages load besides the page itself (templates/base.html, judge/_layout.html, judge/form.html).
ASSETS = ("css/podium.css", "css/judge.css", "css/offline.css", "js/i18n.js", "js/mark-queue.js", "js/marking.js", "js/competitor-list.js",
          "js/offline.js", "vendor/socket.io.min.js")


def assigned_pages(user) -> list[str]:
    """Every judge page ``user`` may need offline, in the order a judge meets them."""
    pages = [url_for("judge.skills"), url_for("offline.page")]
    for skill in skills_of(user):
        if not may_mark_skill(user, skill):
            continue
        event, code = skill.event.code, skill.code
        pages.append(url_for("judge.competitors", event_code=event, skill_code=code))
        criteria = [c.id for c in skill.scheme.criteria]
        for competitor in sorted(skill.competitors, key=lambda c: shown_code(user, c)):
            shown = shown_code(user, competitor)
            if not shown or conflicted(user, competitor):
                continue
            pages.append(url_for("judge.competitor", event_code=event, skill_code=code, competitor_code=shown))
            pages.extend(url_for("judge.form", event_code=event, skill_code=code, competitor_code=shown, criterion_id=c)
                         for c in criteria)
    return pages


@bp.get("/judge/offline.json")
@login_required
def manifest():
    """The signed-in judge's pages and the files they load, for the service worker."""
    response = jsonify(user=current_user.id, pages=assigned_pages(current_user),
                       assets=[url_for("static", filename=name) for name in ASSETS])
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/judge/offline")
@login_required
def page():
    """Shown by the service worker, offline, for a judge page it holds no copy of."""
    return render_template("judge/offline.html")
