"""Benchmarks: ``python -m bench`` lists them, ``python -m bench.<name> --help`` tells how to run one."""

BENCHES = {
    "fanout": "N board connections, marks at a steady rate: mark-posted -> board-received latency, "
    "Podium against a bare python-socketio server broadcasting the same payload",
}
