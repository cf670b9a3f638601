"""Benchmarks: ``python -m bench`` lists them, ``python -m bench.<name> --help`` tells how to run one."""

BENCHES = {
    "certificates": "pages per second and peak memory for a batch of certificates with CJK names and QR codes, "
    "against a bare ReportLab canvas",
    "fanout": "N board connections, marks at a steady rate: mark-posted -> board-received latency, "
    "Podium against a bare python-socketio server broadcasting the same payload",
}
