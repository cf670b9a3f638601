"""The draw (抽签): competitor numbers, workstations and encrypted numbers, from a seed.

A draw must be reproducible by anyone, years later, on any Python: given the recorded seed,
the skill's code, the kind of draw and the competitors drawn, :func:`draw` gives the same
result. So the permutation is a function of exactly these, computed here by hand:

- the *entrants* (competitor ids as decimal text) are sorted numerically first, so the order
  in which the database returns them never matters;
- a byte stream is SHA-256 in counter mode over the UTF-8 JSON of ``["podium-draw/1", seed,
  skill, kind, entrants]``: block ``i`` is ``SHA-256(material || i as 8 bytes big-endian)``;
- a Fisher–Yates shuffle takes its indices from that stream, 8 bytes (an unsigned big-endian
  integer) at a time, rejecting values at or above the largest multiple of ``n`` below 2^64,
  so every index below ``n`` is equally likely (no modulo bias);
- the i-th entrant of the shuffled list receives the i-th label (``01``, ``02``… padded to
  the width of the largest; encrypted numbers are prefixed ``J``, for 加密).

Why not ``random.Random(seed).shuffle``: Python promises only that ``random()`` gives the same
sequence for the same seed; ``shuffle`` and ``randrange`` are built on ``_randbelow``, whose
algorithm is not promised and has changed before (3.2, and ``shuffle`` lost its ``random``
argument in 3.11). SHA-256 and the few lines below do not change.

Standard library only: the scoring core imports no web framework or database.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

VERSION = "podium-draw/1"
NUMBERS, WORKSTATIONS, ENCRYPTION = "numbers", "workstations", "encryption"
KINDS = (NUMBERS, WORKSTATIONS, ENCRYPTION)
PREFIXES = {NUMBERS: "", WORKSTATIONS: "", ENCRYPTION: "J"}
MAX_SEED = 64  # characters, as stored


class _Stream:
    """Unbiased integers below ``n`` from SHA-256 in counter mode over ``material``."""

    def __init__(self, material: bytes) -> None:
        self.material = material
        self.counter = 0
        self.buffer = b""

    def _take(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self.buffer += hashlib.sha256(self.material + self.counter.to_bytes(8, "big")).digest()
            self.counter += 1
        head, self.buffer = self.buffer[:size], self.buffer[size:]
        return head

    def below(self, n: int) -> int:
        limit = (1 << 64) - (1 << 64) % n  # the largest multiple of n not above 2^64
        while True:
            value = int.from_bytes(self._take(8), "big")
            if value < limit:
                return value % n


def entrants_in_order(entrants: Sequence[int | str]) -> list[str]:
    """The entrants as the draw reads them: decimal text, in numeric order, each once."""
    ids = sorted({int(e) for e in entrants})
    return [str(i) for i in ids]


def shuffled(seed: str, skill: str, kind: str, entrants: Sequence[int | str]) -> list[str]:
    """The entrants in drawn order: Fisher–Yates driven by the SHA-256 stream of the inputs."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of draw {kind!r}")
    items = entrants_in_order(entrants)
    material = json.dumps([VERSION, seed, skill, kind, items], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    stream = _Stream(material)
    for i in range(len(items) - 1, 0, -1):
        j = stream.below(i + 1)
        items[i], items[j] = items[j], items[i]
    return items


def labels(kind: str, count: int) -> list[str]:
    """The numbers handed out, in order: ``01``…, padded to the widest; ``J01``… for encryption."""
    width = max(2, len(str(count)))
    return [f"{PREFIXES[kind]}{n:0{width}d}" for n in range(1, count + 1)]


def draw(seed: str, skill: str, kind: str, entrants: Sequence[int | str]) -> dict[str, str]:
    """{entrant id (text): label}: the first drawn gets label 1, the next label 2… Ordered by id."""
    order = shuffled(seed, skill, kind, entrants)
    given = dict(zip(order, labels(kind, len(order))))
    return {e: given[e] for e in entrants_in_order(entrants)}
