"""Benchmarks: ``python -m bench`` lists them, ``python -m bench.<name> --help`` tells how to run one."""

BENCHES = {
    "certificates": "pages per second and peak memory for a batch of certificates with CJK names and QR codes, "
    "against a bare ReportLab canvas",
    "ingest": "N judges posting marks over the JSON API with bearer tokens, a steady rate then a ramp to saturation: "
    "marks/s, p50/p99, every acknowledged mark checked in the database, against a bare insert-and-commit loop",
    "standings": "the scoring core ranking one skill (60 x 150 x 5), following one new mark, and an event of 100 skills, "
    "against the implementation at a fixed commit",
    "fanout": "N board connections, marks at a steady rate: mark-posted -> board-received latency, "
    "Podium against a bare python-socketio server broadcasting the same payload",
}
