"""Standings: totals per competitor, ranks with ties and tie-break, medals, standardised scores.

Input is plain data: the scheme and, per competitor, the judges' entries per aspect.
Output is a list of :class:`Standing` rows in rank order.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from competition.scoring.model import MarkingScheme
from competition.scoring.rules import AspectResult, aggregate_aspect

GOLD, SILVER, BRONZE = "gold", "silver", "bronze"
MEDALLION = "medallion"
MEDAL_BY_RANK = {1: GOLD, 2: SILVER, 3: BRONZE}

# entries[aspect_id] = the judges' entries for that aspect
Entries = Mapping[str, Sequence[Decimal]]


@dataclass(frozen=True)
class CompetitorResult:
    """One competitor's aspect results and the sums built from them."""

    competitor: str
    aspects: Mapping[str, AspectResult]
    sub_criteria: Mapping[str, Decimal]
    criteria: Mapping[str, Decimal]
    total: Decimal
    marked: int
    of: int
    flagged: tuple[str, ...] = ()

    @property
    def progress(self) -> float:
        """Share of aspects with a complete panel, 0.0-1.0."""
        return self.marked / self.of if self.of else 1.0


@dataclass(frozen=True)
class Standing:
    competitor: str
    result: CompetitorResult
    rank: int
    standardised: int
    medal: str | None = None
    extra: dict = field(default_factory=dict)


def competitor_result(scheme: MarkingScheme, competitor: str, entries: Entries) -> CompetitorResult:
    """Aggregate every aspect, then add up sub-criteria, criteria and the total.

    Unmarked aspects count 0 towards the sums and are not "complete".
    """
    aspects: dict[str, AspectResult] = {}
    subs: dict[str, Decimal] = {}
    crits: dict[str, Decimal] = {}
    marked = 0
    for criterion in scheme.criteria:
        crit_sum = Decimal(0)
        for sub in criterion.sub_criteria:
            sub_sum = Decimal(0)
            for aspect in sub.aspects:
                result = aggregate_aspect(aspect, entries.get(aspect.id, ()))
                aspects[aspect.id] = result
                marked += result.complete
                sub_sum += result.mark or Decimal(0)
            subs[sub.id] = sub_sum
            crit_sum += sub_sum
        crits[criterion.id] = crit_sum
    return CompetitorResult(
        competitor=competitor,
        aspects=aspects,
        sub_criteria=subs,
        criteria=crits,
        total=sum(crits.values(), Decimal(0)),
        marked=marked,
        of=len(aspects),
        flagged=tuple(a for a, r in aspects.items() if r.flagged),
    )


def standardise(totals: Sequence[Decimal], centre: int = 700, scale: int = 100) -> list[int]:
    """Map raw totals onto a scale centred on ``centre``: ``centre + scale x (x - mean) / sd``.

    ``sd`` is the population standard deviation of the skill's totals; this is the
    WorldSkills standardisation (scores re-centred on 700 with 100 points per standard
    deviation), which lets results of skills with different marking be compared. When all
    totals are equal (sd = 0) or there is one competitor, everyone gets ``centre``. Results
    are rounded half away from zero to whole points.
    """
    if not totals:
        return []
    values = [Decimal(t) for t in totals]
    mean = sum(values, Decimal(0)) / len(values)
    sd = Decimal(statistics.pstdev(values)) if len(values) > 1 else Decimal(0)
    if sd == 0:
        return [centre] * len(values)
    return [int((centre + scale * (v - mean) / sd).quantize(Decimal(1), rounding=ROUND_HALF_UP)) for v in values]


def rank_1224(keys: Sequence[tuple]) -> list[int]:
    """Standard competition ranking ("1224"): equal keys share a rank, the next rank skips.

    Higher keys rank first.

    >>> rank_1224([(10,), (8,), (10,), (5,)])
    [1, 3, 1, 4]
    """
    ordered = sorted(keys, reverse=True)
    first_position = {}
    for position, key in enumerate(ordered, start=1):
        first_position.setdefault(key, position)
    return [first_position[k] for k in keys]


def medal_for(rank: int, standardised: int, medallion_threshold: int) -> str | None:
    """Gold, silver and bronze by rank (tied ranks share the medal, and with "1224" ranking
    two golds mean no silver); otherwise the Medallion for Excellence at or above the
    threshold on the standardised scale; otherwise none."""
    if rank in MEDAL_BY_RANK:
        return MEDAL_BY_RANK[rank]
    if standardised >= medallion_threshold:
        return MEDALLION
    return None


def compute_standings(
    scheme: MarkingScheme,
    entries_by_competitor: Mapping[str, Entries],
    tie_break: Iterable[str] | None = None,
) -> list[Standing]:
    """Rank competitors of one skill by total, highest first.

    Tie-break rule: when totals are equal, the criterion totals named in ``tie_break``
    (default: the scheme's ``tie_break``) are compared in that order, highest first;
    competitors still equal share the rank ("1224" ranking) and the medal. Standardised
    scores come from :func:`standardise` over every competitor's raw total. Rows are
    returned in rank order; equal ranks keep competitor-code order.
    """
    order = tuple(scheme.tie_break if tie_break is None else tie_break)
    results = [competitor_result(scheme, code, entries) for code, entries in entries_by_competitor.items()]
    keys = [(r.total, *(r.criteria.get(c, Decimal(0)) for c in order)) for r in results]
    ranks = rank_1224(keys)
    std = standardise([r.total for r in results])
    rows = [
        Standing(r.competitor, r, rank, s, medal_for(rank, s, scheme.medallion_threshold))
        for r, rank, s in zip(results, ranks, std)
    ]
    rows.sort(key=lambda row: (row.rank, row.competitor))
    return rows
