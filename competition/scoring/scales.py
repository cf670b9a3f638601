"""Judging scales: what each judge of a judgement aspect enters, and what it is worth.

A scale runs from ``min`` to ``max`` in steps of ``step`` (every number exact, in
:class:`~decimal.Decimal`, at most two decimals as marks are stored). The default is the
WorldSkills scale, 0 to 3 in whole points with four descriptors. A scheme declares another
in ``[scheme]`` (for every judgement aspect) or on one aspect:

- ``scale = { min = 0, max = 10, step = 0.1 }`` — any range and step;
- ``scale = { min = 1, max = 5, descriptors = ["poor", …] }`` — descriptors, one per level,
  for a scale of at most :data:`MAX_BUTTONS` levels (an aspect's own ``descriptors`` win);
- ``scale = "points"`` or ``scale = { points = true, step = 0.5 }`` — the judge awards the
  marks themselves, from 0 to the aspect's ``max``.

Rules aggregate the raw entries on the scale; the aspect mark is the scaled share of the
aspect's max, ``max_mark × (aggregate − min) / (max − min)`` (:meth:`Scale.share`) — which
is the points themselves on a points scale (min 0, max the aspect's max) and
``max_mark × aggregate / 3`` on the default scale.

Pure: standard library only.

>>> s = Scale(Decimal(0), Decimal(10), Decimal("0.1"))
>>> s.levels, s.buttons, s.contains(Decimal("8.7")), s.contains(Decimal("8.75")), s.contains(Decimal(11))
(101, False, True, False, False)
>>> Scale(Decimal(1), Decimal(5)).values()
(Decimal('1'), Decimal('2'), Decimal('3'), Decimal('4'), Decimal('5'))
>>> Scale(Decimal(1), Decimal(5)).share(Decimal(4))
Decimal('0.75')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from competition.scoring.numbers import plain

if TYPE_CHECKING:
    from competition.scoring._toml_lines import FieldChecker

MAX_BUTTONS = 11  # a scale of at most this many levels is entered by tapping a button per level
SCALE_KEYS = ("min", "max", "step", "points", "descriptors")
EXAMPLE = "e.g. scale = { min = 0, max = 10, step = 0.1 }"


@dataclass(frozen=True)
class Scale:
    """A judging scale. ``max`` is None only for a points scale not yet given its aspect's
    max (a scheme-wide ``scale = "points"``); :meth:`for_max` gives it one."""

    min: Decimal = Decimal(0)
    max: Decimal | None = Decimal(3)
    step: Decimal = Decimal(1)
    points: bool = False
    descriptors: tuple[str, ...] = ()  # the scale's own labels, one per level (or none)

    def for_max(self, max_mark: Decimal) -> Scale:
        """The scale of an aspect worth ``max_mark``: a points scale runs up to it."""
        return replace(self, max=max_mark) if self.points else self

    @property
    def levels(self) -> int:
        """How many values a judge may enter."""
        return int((self.top - self.min) / self.step) + 1

    @property
    def top(self) -> Decimal:
        if self.max is None:
            raise ValueError("a points scale has no max until it is given its aspect's max")
        return self.max

    @property
    def buttons(self) -> bool:
        """Few enough levels for one button each (else a keypad)."""
        return self.levels <= MAX_BUTTONS

    def values(self) -> tuple[Decimal, ...]:
        """Every value of the scale, lowest first."""
        return tuple(self.min + i * self.step for i in range(self.levels))

    def contains(self, value: Decimal) -> bool:
        """Whether ``value`` is on the scale: within min and max, a whole number of steps from min."""
        return self.min <= value <= self.top and (value - self.min) % self.step == 0

    def share(self, score: Decimal) -> Decimal:
        """The share of the aspect's max that ``score`` (a raw aggregate on the scale) gives."""
        return (score - self.min) / (self.top - self.min)

    @property
    def is_default(self) -> bool:
        return self == DEFAULT

    def describe(self) -> str:
        """The scale as people write it: ``0–10, step 0.1``; ``points 0–5, step 0.5``."""
        text = f"{plain(self.min)}–{plain(self.max) if self.max is not None else 'max'}"
        if self.step != 1:
            text += f", step {plain(self.step)}"
        return f"points {text}" if self.points else text


DEFAULT = Scale()


def scale_problems(scale: Scale) -> list[tuple[str, str]]:
    """(key, problem) for a scale whose numbers do not make a scale (``max`` may be None)."""
    found = []
    if scale.step <= 0:
        found.append(("step", f"must be greater than 0, not {plain(scale.step)}"))
    if scale.max is not None and scale.min >= scale.max:
        found.append(("max", f"{plain(scale.max)} must be greater than min {plain(scale.min)}"))
    elif scale.max is not None and scale.step > 0 and (scale.max - scale.min) % scale.step:
        found.append(("step", f"max − min = {plain(scale.max - scale.min)} is not a whole number of steps of "
                              f"{plain(scale.step)}; choose a step that divides it, or change min or max"))
    return found


def read_scale(check: FieldChecker, value: object, path: str) -> Scale | None:
    """The scale written at ``path`` (``scheme.scale``, ``criterion[0]…aspect[1].scale``), or
    None after recording its problems with ``check``."""
    if value == "points":
        return Scale(Decimal(0), None, Decimal(1), points=True)
    if not isinstance(value, Mapping):
        check.add(path, f'must be a table, {EXAMPLE}, or "points" (scale = "points": points from 0 to the aspect\'s max)')
        return None
    check.keys(dict(value), path, SCALE_KEYS, "the scale")
    points = value.get("points", False)
    if not isinstance(points, bool):
        check.add(f"{path}.points", f"must be true or false, not {points!r}")
        return None
    numbers = {key: check.number(dict(value), path, key, places=True, required=key == "max" and not points)
               for key in ("min", "max", "step")}
    if points:
        for key in ("min", "max"):
            if key in value:
                check.add(f"{path}.{key}", "a points scale runs from 0 to the aspect's max; remove it")
        if "descriptors" in value:
            check.add(f"{path}.descriptors", "a points scale takes no descriptors; remove them")
        if numbers["step"] is None and "step" in value:
            return None
        scale = Scale(Decimal(0), None, numbers["step"] if numbers["step"] is not None else Decimal(1), points=True)
    else:
        if numbers["max"] is None or (numbers["min"] is None and "min" in value) or (numbers["step"] is None and "step" in value):
            return None
        scale = Scale(numbers["min"] if numbers["min"] is not None else Decimal(0), numbers["max"],
                      numbers["step"] if numbers["step"] is not None else Decimal(1))
    found = scale_problems(scale)
    for key, message in found:
        check.add(f"{path}.{key}", message)
    if found:
        return None
    if "descriptors" in value and not points:
        texts = read_descriptors(check, value["descriptors"], f"{path}.descriptors", scale)
        return replace(scale, descriptors=texts) if texts is not None else None
    return scale


def read_descriptors(check: FieldChecker, value: object, path: str, scale: Scale) -> tuple[str, ...] | None:
    """Descriptors for ``scale``: one text per level (a string or ``{ en = "…", zh = "…" }``),
    only on a scale of at most :data:`MAX_BUTTONS` levels; None after recording problems."""
    if not scale.buttons:
        check.add(path, f"descriptors fit a scale of at most {MAX_BUTTONS} levels, and {scale.describe()} has "
                        f"{scale.levels}; remove them or use a coarser step")
        return None
    values = [plain(v) for v in scale.values()]
    count = "four" if len(values) == 4 else str(len(values))
    fix = f"give {count} descriptors, one for each score {', '.join(values)}"
    if not isinstance(value, list):
        check.add(path, f"must be a list of strings; {fix}")
        return None
    if len(value) != len(values):
        check.add(path, f"has {len(value)} descriptor{'s' if len(value) != 1 else ''}; {fix}")
    texts = [check.as_words(text, f"{path}[{i}]", "", f"must be a non-empty string describing score {values[i] if i < len(values) else i}")
             for i, text in enumerate(value)]
    if len(value) != len(values) or any(t is None for t in texts):
        return None
    return tuple(texts)
