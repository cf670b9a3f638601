"""Registers the judging side: sign-in, judges' pages, the chief expert's pages, the marks
API, and the service worker (served from the root so that it may control /judge/ pages)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, send_from_directory

from competition.scoring.numbers import plain


def register(app: Flask) -> None:
    from competition.web.auth import bp as auth
    from competition.web.chief import bp as chief
    from competition.web.judge import bp as judge
    from competition.web.marks_api import bp as marks_api
    from competition.web.offline import bp as offline

    app.register_blueprint(auth)
    app.register_blueprint(offline)  # before judge: /judge/offline is not a skill list
    app.register_blueprint(judge)
    app.register_blueprint(chief)
    app.register_blueprint(marks_api, url_prefix="/api/v1")
    app.add_template_filter(plain, "plain")  # marks and entries as people read them: 1.5, 10, – for none

    @app.get("/sw.js")
    def service_worker():
        response = send_from_directory(Path(app.static_folder) / "js", "sw.js", mimetype="text/javascript", max_age=0)
        response.headers["Cache-Control"] = "no-cache"
        response.headers["Service-Worker-Allowed"] = "/"
        return response
