"""One-time sign-in links and the QR codes of judges' sign-in cards: ``/sign-in/link/<token>``.

Opening the link shows whom it signs in, with one button; pressing it uses the link up and
signs the person in. Opening alone changes nothing, so a chat app or mail scanner that fetches
the link to preview it does not spend it. A link that is unknown, used or expired answers a
page that says so (404 or 410).
"""

from __future__ import annotations

from flask import Blueprint, make_response, redirect, render_template
from flask_login import login_user

from competition.services.accounts import check_sign_in_link, use_sign_in_link
from competition.web.auth import landing_url

bp = Blueprint("sign_in_links", __name__)


@bp.get("/sign-in/link/<token>")
def confirm(token: str):
    link, user = check_sign_in_link(token)
    response = make_response(render_template("auth/sign_in_link.html", person=user, link=link))
    # the token is in this page's address: keep it out of caches and of other sites' Referer
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.post("/sign-in/link/<token>")
def use(token: str):
    user = use_sign_in_link(token)
    login_user(user)
    return redirect(landing_url(user))
