"""Events judged by placing rather than marks: the Skating System and Borda count.

Here each judge places every competitor 1, 2, 3 … (no ties), and the competitors are ranked
from those placings alone. This is not a per-aspect rule (it needs every competitor's
placings at once), so these are functions of their own, with one interface::

    method(placings: Mapping[judge, Mapping[competitor, int]]) -> list[(competitor, place)]

``judge`` and ``competitor`` are any hashable keys (ids); the result lists every competitor
by place, best first, places as :class:`~decimal.Decimal` (the Skating System shares places
it cannot separate: two couples tied for 2nd and 3rd are both 2.5). Competitors sharing a
place are listed by ``str`` of their key. :data:`METHODS` names them for a setting to choose.
A judge who does not place every competitor exactly once raises :class:`ValueError`.

Pure: standard library only.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from decimal import Decimal
from typing import TypeVar

from competition.scoring.i18n import N_

C = TypeVar("C", bound=Hashable)
J = TypeVar("J", bound=Hashable)

Placings = Mapping[J, Mapping[C, int]]
Ranking = list[tuple[C, Decimal]]


def _competitors(placings: Placings) -> list[C]:
    """The competitors, checked: every judge places each of them once, 1 to n."""
    if not placings:
        raise ValueError("no judge has placed the competitors")
    competitors = list(next(iter(placings.values())))
    expected = list(range(1, len(competitors) + 1))
    for judge, marks in placings.items():
        if set(marks) != set(competitors):
            raise ValueError(f"judge {judge!r} must place the same competitors as the others")
        if sorted(marks.values()) != expected:
            raise ValueError(f"judge {judge!r} must place the competitors 1 to {len(competitors)}, each place once")
    return competitors


def _ranking(places: Mapping[C, Decimal]) -> Ranking:
    return sorted(places.items(), key=lambda item: (item[1], str(item[0])))


def _shared(first: int, count: int) -> Decimal:
    """The place shared by ``count`` competitors tied from ``first``: the mean of the places."""
    return Decimal(sum(range(first, first + count))) / count


class _Marks:
    """Each competitor's marks (placings) as one sorted list, for majority counting."""

    def __init__(self, marks: Mapping[C, Sequence[int]], columns: int):
        self.marks = {c: sorted(m) for c, m in marks.items()}
        self.majority = len(next(iter(self.marks.values()))) // 2 + 1 if self.marks else 1
        self.columns = columns

    def count(self, competitor: C, column: int) -> int:
        """How many marks are ``column`` or better ("1st to column" places)."""
        return sum(1 for m in self.marks[competitor] if m <= column)

    def total(self, competitor: C, column: int) -> int:
        """The sum of those marks."""
        return sum(m for m in self.marks[competitor] if m <= column)

    def best(self, candidates: Sequence[C], column: int) -> list[C]:
        """Rules 6 and 7: of ``candidates`` (each with a majority at ``column``), the greater
        majority, then the lower total of the marks forming it; still equal, the next place
        is included (rule 7b) and the same asked again, to the last place. More than one
        returned: they cannot be separated."""
        group = list(candidates)
        for col in range(column, self.columns + 1):
            most = max(self.count(c, col) for c in group)
            group = [c for c in group if self.count(c, col) == most]
            least = min(self.total(c, col) for c in group)
            group = [c for c in group if self.total(c, col) == least]
            if len(group) == 1:
                break
        return group

    def first_majority(self, candidates: Sequence[C], column: int) -> list[C]:
        """From ``column`` on, the best of the candidates at the first column where any of
        them has a majority (rule 6: none has one, include the next place)."""
        for col in range(column, self.columns + 1):
            with_majority = [c for c in candidates if self.count(c, col) >= self.majority]
            if with_majority:
                return self.best(with_majority, col)
        return list(candidates)


def skating_system(placings: Placings) -> Ranking:
    """One dance (or any single event) ranked by the Skating System, rules 5 to 8.

    Source: the Skating System of the (British) Official Board of Ballroom Dancing, now the
    British Dance Council (A. Dawson, 1937; rules 10 and 11 last amended 1956), as adopted by
    the WDSF (Competition Rules, the Skating System) and its member bodies:

    - rule 5: the winner is the competitor placed 1st by an absolute majority of judges
      (more than half); 2nd, the competitor placed 2nd or higher by a majority; and so on.
    - rule 6: several with a majority for the place under review: the greater majority takes
      it, the next greater the next place; none has one: the next place is included (3rd
      and higher…), until someone has.
    - rule 7: equal majorities: (a) the lower total of the marks forming the majority; (b)
      equal totals: the next place is included in the count, for those competitors only,
      and (a) asked again, down to the last place.
    - rule 8: still equal after the last place: the competitors tie and share the places
      (the mean: 2nd and 3rd tied are 2.5 each); the next competitor takes the next place
      after them (4th).

    The columns ("1st", "1st–2nd", "1st–3rd"…) are worked from left to right; every
    competitor with a majority in a column is placed before the next column is opened.

    >>> skating_system({"A": {"x": 1, "y": 2}, "B": {"x": 1, "y": 2}, "C": {"x": 2, "y": 1}})
    [('x', Decimal('1')), ('y', Decimal('2'))]
    """
    competitors = _competitors(placings)
    marks = _Marks({c: [placings[j][c] for j in placings] for c in competitors}, len(competitors))
    places: dict[C, Decimal] = {}
    place = 1
    for column in range(1, len(competitors) + 1):
        while True:
            candidates = [c for c in competitors if c not in places and marks.count(c, column) >= marks.majority]
            if not candidates:
                break
            best = marks.best(candidates, column)
            for competitor in best:
                places[competitor] = _shared(place, len(best))
            place += len(best)
    return _ranking(places)


def skating_system_summary(dances: Mapping[Hashable, Placings]) -> Ranking:
    """Several dances ranked together by the Skating System, rules 9 to 11.

    Each dance is placed by :func:`skating_system` (rules 5–8), then:

    - rule 9: the places of each competitor in all dances are added; the lowest total wins,
      and so on.
    - rule 10: competitors with equal totals, for the place under review (say 2nd): the one
      placed 2nd or higher in the most dances takes it; equal, the lower sum of those
      places; the others go on to the next place under review (3rd) under rule 10 again.
    - rule 11: still equal under rule 10: all the judges' marks of all dances are taken as
      one dance (majority: more than half of judges × dances) and rules 5–8 applied to
      those competitors for the place under review; still equal, they share the places.

    >>> d = {"A": {"x": 1, "y": 2}, "B": {"x": 2, "y": 1}, "C": {"x": 1, "y": 2}}
    >>> skating_system_summary({"waltz": d, "tango": d})
    [('x', Decimal('1')), ('y', Decimal('2'))]
    """
    if not dances:
        raise ValueError("no dance has been placed")
    per_dance = {dance: dict(skating_system(p)) for dance, p in dances.items()}
    competitors = list(next(iter(per_dance.values())))
    if any(set(places) != set(competitors) for places in per_dance.values()):
        raise ValueError("every dance must place the same competitors")
    dance_places = {c: [places[c] for places in per_dance.values()] for c in competitors}
    totals = {c: sum(dance_places[c], Decimal(0)) for c in competitors}
    all_marks = _Marks({c: [p[j][c] for p in dances.values() for j in p] for c in competitors}, len(competitors))

    result: dict[C, Decimal] = {}
    place = 1
    for total in sorted(set(totals.values())):
        remaining = [c for c in competitors if totals[c] == total]
        while remaining:
            best = _rule_10(remaining, place, dance_places)
            if len(best) > 1:
                best = all_marks.first_majority(best, place)  # rule 11
            for competitor in best:
                result[competitor] = _shared(place, len(best))
            place += len(best)
            remaining = [c for c in remaining if c not in best]
    return _ranking(result)


def _rule_10(tied: Sequence[C], place: int, dance_places: Mapping[C, Sequence[Decimal]]) -> list[C]:
    """Rule 10 for the place under review: most dances placed ``place`` or higher, then the
    lower sum of those places."""
    if len(tied) == 1:
        return list(tied)

    def won(c: C) -> list[Decimal]:
        return [p for p in dance_places[c] if p <= place]

    most = max(len(won(c)) for c in tied)
    group = [c for c in tied if len(won(c)) == most]
    least = min(sum(won(c), Decimal(0)) for c in group)
    return [c for c in group if sum(won(c), Decimal(0)) == least]


def borda_points(placings: Placings) -> dict[C, int]:
    """Borda points: with n competitors, a judge's 1st gets n − 1 points, 2nd n − 2, …, last 0.

    Source: J.-C. de Borda, *Mémoire sur les élections au scrutin*, Histoire de l'Académie
    royale des sciences, Paris, 1781 (published 1784); the textbook form with n − i points
    for an i-th place (the points differ from Borda's 1781 n − i + 1 only by a constant
    per judge, which changes no ranking).
    """
    competitors = _competitors(placings)
    n = len(competitors)
    points = dict.fromkeys(competitors, 0)
    for marks in placings.values():
        for competitor, placed in marks.items():
            points[competitor] += n - placed
    return points


def borda(placings: Placings) -> Ranking:
    """Competitors ranked by Borda points (:func:`borda_points`), most first.

    Equal points share the better place and the next place is skipped ("1224"), as
    Podium ranks equal totals.

    >>> borda({"A": {"x": 1, "y": 2, "z": 3}, "B": {"y": 1, "x": 2, "z": 3}})
    [('x', Decimal('1')), ('y', Decimal('1')), ('z', Decimal('3'))]
    """
    points = borda_points(placings)
    return _ranking({c: Decimal(1 + sum(1 for other in points.values() if other > p)) for c, p in points.items()})


#: The placing methods a skill may be ranked by, with a label for people.
METHODS: dict[str, tuple[Callable[[Placings], Ranking], str]] = {
    "skating_system": (skating_system, N_("Skating System (majority of placings)")),
    "borda": (borda, N_("Borda count")),
}
