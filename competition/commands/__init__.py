"""The ``podium`` commands for setting up and running an event, one module per area; each
module's ``COMMANDS`` are added to the ``podium`` group by ``competition.cli``."""
