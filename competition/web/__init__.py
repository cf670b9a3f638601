"""Blueprints, one per audience."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from competition.web.api import bp as api
    from competition.web.boards import bp as boards
    from competition.web.certificates import bp as certificates
    from competition.web.public import bp as public

    app.register_blueprint(public)
    app.register_blueprint(api, url_prefix="/api/v1")
    app.register_blueprint(certificates)
    from competition.web.result_sheets import bp as result_sheets  # checking printed result sheets

    app.register_blueprint(result_sheets)

    from competition.web.sign_in_links import bp as sign_in_links

    app.register_blueprint(sign_in_links)

    from competition.web.judging import register as register_judging

    register_judging(app)
    app.register_blueprint(boards)

    from competition.web.console import register as register_console

    register_console(app)
