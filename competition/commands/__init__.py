"""The ``podium`` commands for setting up and running an event, one module per area; each
module's ``COMMANDS`` are added to the ``podium`` group by ``competition.cli``."""


def app_context():
    """The running app's context when there is one (tests, ``flask shell``), else a new app's."""
    from contextlib import nullcontext

    from flask import has_app_context

    from competition import create_app

    return nullcontext() if has_app_context() else create_app().app_context()
