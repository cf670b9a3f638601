"""Podium: judging and scoring for skills competitions.

``create_app`` is imported lazily so that ``import competition.scoring`` (the pure core)
never pulls in Flask or SQLAlchemy.
"""


def create_app(config=None):
    """Build the Flask application; ``config`` (a mapping) overrides environment settings."""
    from competition.app import create_app as _create_app

    return _create_app(config)
