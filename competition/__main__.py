"""``python -m competition``: the ``podium`` command."""

from competition.launch import main

main()
