"""The ``podium`` command's entry point.

``podium serve`` and ``podium demo`` serve with gevent, whose monkey-patching must come before
anything else is imported (threading, socket, ssl, the Redis client, psycopg): so this module
imports nothing of Podium's, Flask's or SQLAlchemy's, looks at the command line, patches when
that command will serve with gevent, and only then loads the command line proper.
"""

from __future__ import annotations

import sys


def serves_with_gevent(args: list[str]) -> bool:
    """Whether these ``podium`` arguments start gevent's server (``serve``/``demo`` without
    ``--dev``, ``--no-serve`` or ``--help``)."""
    command = next((a for a in args if not a.startswith("-")), None)
    return command in ("serve", "demo") and not {"--dev", "--no-serve", "--help"} & set(args)


def main() -> None:
    if serves_with_gevent(sys.argv[1:]):
        from gevent import monkey

        monkey.patch_all()
    from competition.cli import main as podium

    podium()


if __name__ == "__main__":
    main()
