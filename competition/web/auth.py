"""Signing in and out, bearer tokens, and CSRF for the JSON API.

Rules:
- pages use the session cookie (Flask-Login) and every state-changing form carries a CSRF
  token (Flask-WTF);
- a request with ``Authorization: Bearer <token>`` is authenticated by that token alone —
  the session cookie is ignored — so it needs no CSRF token: a browser never adds the
  header to a cross-site request by itself;
- the API blueprints check CSRF themselves (:func:`api_csrf`): session requests must send
  ``X-CSRFToken``, bearer requests need not;
- after signing in, a judge lands on their skill's competitor list, a chief expert on
  their skill's overview, an organiser on the home page.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, g, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import AnonymousUserMixin, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from competition.extensions import csrf, login
from competition.models import User
from competition.services import accounts
from competition.services.access import skills_of
from competition.services.tokens import user_for_token
from competition.web import throttling
from competition.web.errors import error_response


def organiser_required(view):
    """Signed-in organisers only: anonymous visitors are sent to sign in, others get 403."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_organiser:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


bp = Blueprint("auth", __name__)


class SignInForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(_l("Enter your user name.")),
                                                         Length(max=80, message=_l("At most %(max)d characters."))],
                           render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))],
                             render_kw={"autocomplete": "current-password"})


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    return None


@bp.before_app_request
def authenticate_bearer():
    """A bearer token, when sent, decides who the request is (the cookie is ignored)."""
    token = bearer_token()
    if token is None:
        return None
    # Flask-Login keeps the request's user in g._login_user; setting it here makes the
    # header win over any session cookie.
    g._login_user = user_for_token(token) or AnonymousUserMixin()
    g.bearer = True
    return None


def api_csrf():
    """``before_request`` of API blueprints: CSRF for session requests, none for bearer ones."""
    if g.get("bearer") or not current_app.config.get("WTF_CSRF_ENABLED", True):
        return None
    csrf.protect()
    return None


@login.unauthorized_handler
def unauthorised():
    if request.path.startswith("/api/") or request.method != "GET":
        if request.path.startswith("/api/"):
            return jsonify(error={"field": "authorization", "message": "sign in, or send Authorization: Bearer <token>",
                                  "code": "unauthenticated", "retry": True}), 401
        return error_response(401, "authorization", _l("Sign in first."), "unauthenticated")
    return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))


def landing_url(user: User) -> str:
    if user.is_organiser:
        return url_for("public.home")
    skills = skills_of(user)
    chief = [s for s in skills if user.role_in(s.id) == "chief_expert"]
    if chief:
        return url_for("chief.overview", event_code=chief[0].event.code, skill_code=chief[0].code)
    if len(skills) == 1:
        return url_for("judge.competitors", event_code=skills[0].event.code, skill_code=skills[0].code)
    return url_for("judge.skills")


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path on this site, else None: never a redirect to another site
    (``//host``, a scheme, or ``/\\host``, which browsers read as ``//host``)."""
    if not target or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//") else None


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    form = SignInForm()
    if form.validate_on_submit():
        wait = throttling.sign_in_locked(form.username.data)
        if wait is not None:  # refused before the password is even looked at: the right one too
            minutes = -(-wait // 60)
            refused = ngettext("Too many failed attempts to sign in. Try again in %(num)s minute or ask the organiser for a sign-in link.",
                               "Too many failed attempts to sign in. Try again in %(num)s minutes or ask the organiser for a sign-in link.",
                               minutes)
            response = make_response(render_template("auth/sign_in.html", form=form, refused=refused), 429)
            response.headers["Retry-After"] = str(wait)
            return response
        user = accounts.password_holder(form.username.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(safe_next(request.args.get("next")) or landing_url(user))
        throttling.sign_in_failed(form.username.data)
        flash(_("User name or password is not right."), "error")
    return render_template("auth/sign_in.html", form=form), 200 if request.method == "GET" else 401 if form.is_submitted() else 200


@bp.post("/sign-out")
@login_required
def sign_out():
    accounts.end_sessions(current_user._get_current_object())  # a copy of this cookie, wherever it is, stops working too
    logout_user()
    return redirect(url_for("auth.sign_in"))


@bp.get("/auth/csrf")
@login_required
def fresh_csrf():
    """A fresh CSRF token for a page whose token expired (a long offline spell)."""
    return jsonify(csrf_token=generate_csrf())
