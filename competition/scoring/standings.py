"""Standings: totals per competitor, ranks with ties and tie-break, awards, WorldSkills Scale scores.

Input is plain data: the scheme and, per competitor, the judges' entries per aspect.
Output is a list of :class:`Standing` rows: the complete competitors in rank order, then the
competitors still being marked (no rank, no scale score, no award).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType

from competition.scoring.awards import (  # noqa: F401 (medal names and medal_for, re-exported)
    BRONZE,
    GOLD,
    MEDAL_BY_RANK,
    MEDALLION,
    SILVER,
    Placed,
    award,
    medal_for,
    medal_of,
)
from competition.scoring.model import MarkingScheme, Module
from competition.scoring.numbers import round_mark
from competition.scoring.panels import ZERO, SchemePanels, aggregated, panels_of
from competition.scoring.rules import AspectResult, aggregate_aspect

# entries[aspect_id] = the judges' entries for that aspect
Entries = Mapping[str, Sequence[Decimal]]


@dataclass(frozen=True)
class CompetitorResult:
    """One competitor's aspect results and the sums built from them.

    ``modules``: each module's raw subtotal (its criteria added up); ``module_scores``: what
    each module adds to ``total`` — its weighted score in a weighted scheme (see
    :func:`competitor_result`), else the subtotal itself. Both are empty without modules.
    """

    competitor: str
    aspects: Mapping[str, AspectResult]
    sub_criteria: Mapping[str, Decimal]
    criteria: Mapping[str, Decimal]
    total: Decimal
    marked: int
    of: int
    flagged: tuple[str, ...] = ()
    modules: Mapping[str, Decimal] = field(default_factory=lambda: MappingProxyType({}))
    module_scores: Mapping[str, Decimal] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def progress(self) -> float:
        """Share of aspects with a complete panel, 0.0-1.0."""
        return self.marked / self.of if self.of else 1.0

    @property
    def complete(self) -> bool:
        """Every aspect has a complete panel (or consensus entry)."""
        return self.marked == self.of


@dataclass(frozen=True)
class Standing:
    """One competitor's row. ``in_marking``: not every aspect is complete yet; such a row has
    no ``rank``, ``standardised`` score, ``medal`` or ``awards`` (all None / empty).

    ``awards`` are what the scheme's award rule gave (main award first, see
    :mod:`competition.scoring.awards`); ``medal`` is the WorldSkills medal among them
    (gold, silver, bronze, medallion) or None.
    """

    competitor: str
    result: CompetitorResult
    rank: int | None
    standardised: int | None
    medal: str | None = None
    extra: dict = field(default_factory=dict)
    in_marking: bool = False
    awards: tuple[str, ...] = ()


def competitor_result(scheme: MarkingScheme, competitor: str, entries: Entries) -> CompetitorResult:
    """Aggregate every aspect, then add up sub-criteria, criteria, modules and the total.

    Unmarked aspects count 0 towards the sums and are not "complete".

    Without weights the total is the sum of the criteria. With weighted modules
    (:attr:`MarkingScheme.weighted`) each module's score is its weight's share of
    ``weighted_max`` (the scheme's ``total``, default 100) in proportion to its raw subtotal,
    rounded once to 0.01, half away from zero; the total adds these rounded scores, so it
    equals the sum of the module scores a competitor sees::

        score_m = round(weight_m x subtotal_m / max_m x weighted_max)      total = sum of score_m

    E.g. theory (weight 0.2, out of 50) 43 and practical (0.8, out of 60) 47.5, total out of
    100: 0.2 x 43/50 x 100 = 17.20 and 0.8 x 47.5/60 x 100 = 63.333… -> 63.33; total 80.53.
    """
    return _competitor(scheme, panels_of(scheme), competitor, entries)


def result_from_aspects(scheme: MarkingScheme, competitor: str, aspects: Mapping[str, AspectResult]) -> CompetitorResult:
    """The sums of a competitor's aspect results (every aspect of ``scheme``, in its order):
    sub-criteria, criteria, the total, how many aspects are complete, which are flagged.

    Split from :func:`competitor_result` so that an incremental update
    (:class:`competition.scoring.incremental.SkillStandings`) re-aggregates only the aspect
    that changed and adds up exactly as a full recompute does."""
    panels = panels_of(scheme)
    return _added_up(scheme, panels, competitor, [aspects[ident] for ident in panels.ids])


def _competitor(scheme: MarkingScheme, panels: SchemePanels, competitor: str, entries: Entries) -> CompetitorResult:
    """:func:`competitor_result` in one walk over the scheme: each panel's result looked up
    (:class:`~competition.scoring.panels.SchemePanels`) and added up where it belongs, as
    :func:`_added_up` adds them up (a mark of 0 or none adds nothing)."""
    get = entries.get
    results: list[AspectResult] = []
    append = results.append
    subs: dict[str, Decimal] = {}
    crits: dict[str, Decimal] = {}
    marked = 0
    for criterion_id, sub_criteria in panels.nested:
        crit_sum = ZERO
        for sub_id, items in sub_criteria:
            sub_sum = ZERO
            for aspect, ident, table in items:
                raw = get(ident)
                key = () if raw is None else tuple(raw)
                try:
                    result = table.get(key)
                except TypeError:  # an unhashable entry (or a signalling NaN): aggregated as it is
                    result = aggregate_aspect(aspect, key)
                else:
                    if result is None:
                        result = aggregated(aspect, table, key)
                append(result)
                if result.complete:
                    marked += 1
                mark = result.mark
                if mark:
                    sub_sum += mark
            subs[sub_id] = sub_sum
            crit_sum += sub_sum
        crits[criterion_id] = crit_sum
    return _result(scheme, panels, competitor, results, subs, crits, marked)


def _added_up(scheme: MarkingScheme, panels: SchemePanels, competitor: str, results: Sequence[AspectResult]) -> CompetitorResult:
    """The sums of ``results`` (one per aspect, in the scheme's order), criterion by criterion,
    sub-criterion by sub-criterion. A mark of 0 or none adds nothing: every mark is rounded to
    0.01, so adding ``Decimal(0)`` would change neither the sum nor how it is written."""
    subs: dict[str, Decimal] = {}
    crits: dict[str, Decimal] = {}
    marked = 0
    position = 0
    for criterion_id, sub_criteria in panels.layout:
        crit_sum = ZERO
        for sub_id, count in sub_criteria:
            sub_sum = ZERO
            for result in results[position : position + count]:
                marked += result.complete
                sub_sum += result.mark or ZERO
            position += count
            subs[sub_id] = sub_sum
            crit_sum += sub_sum
        crits[criterion_id] = crit_sum
    return _result(scheme, panels, competitor, results, subs, crits, marked)


def _result(scheme: MarkingScheme, panels: SchemePanels, competitor: str, results: Sequence[AspectResult],
            subs: dict[str, Decimal], crits: dict[str, Decimal], marked: int) -> CompetitorResult:
    """The competitor's result from the sub-criteria and criteria added up: modules and the total."""
    modules = {m.id: sum((crits[c] for c in m.criteria), ZERO) for m in scheme.modules}
    scores = modules
    total = sum(crits.values(), ZERO)
    if scheme.weighted:
        scores = {m.id: _module_score(scheme, m, modules[m.id]) for m in scheme.modules}
        total = sum(scores.values(), ZERO)
    ids = panels.ids
    return CompetitorResult(
        competitor=competitor,
        aspects=dict(zip(ids, results)),
        sub_criteria=subs,
        criteria=crits,
        total=total,
        marked=marked,
        of=len(ids),
        flagged=tuple(ident for ident, result in zip(ids, results) if result.flagged),
        modules=MappingProxyType(modules),
        module_scores=MappingProxyType(scores),
    )


def _module_score(scheme: MarkingScheme, module: Module, subtotal: Decimal) -> Decimal:
    """``module``'s weighted score: weight x subtotal / max x weighted_max, rounded to 0.01
    (computed as weight x subtotal x weighted_max / max: one division, one rounding)."""
    maximum = scheme.module_max(module)
    if not maximum:
        return Decimal(0)
    return round_mark(module.weight * subtotal * scheme.weighted_max / maximum)


def _part(result: CompetitorResult, ident: str) -> Decimal:
    """A criterion's total or a module's raw subtotal, by id (tie-breaks compare these)."""
    if ident in result.criteria:
        return result.criteria[ident]
    return result.modules.get(ident, Decimal(0))


def standardise(totals: Sequence[Decimal], centre: int = 700, points_per_sd: int = 100) -> list[int]:
    """The WorldSkills Scale: ``centre + points_per_sd x (x - median) / sd``, to whole points.

    Sources: SkillsHub, "WorldSkills Scale" (https://skillshub.io/worldskills-scale/), a
    summary of WorldSkills assessment: marks are "standardized on the WorldSkills scale" by the Competition Information System,
    which "positions all competitors with the median mark in their skill competition at the
    700-point position"; other scores "typically fall between 600 and 800". The scale lets
    results of skills with different marking be compared (WorldSkills International, "Albert
    Vidal Award", https://worldskills.org/what/competitions/albert-vidal-award: the scale
    converting each skill's marks out of 100 to a common point scale, in use since 1988).

    What is computed, for the raw totals of one skill's COMPLETE competitors (the caller
    leaves out competitors still being marked):

    * ``median``: the middle total; for an even count the mean of the two middle totals.
    * ``sd``: the POPULATION standard deviation of the totals about their mean,
      ``sqrt(sum((x - mean)^2) / N)``. The sources do not say which standard deviation the
      CIS uses; the complete competitors are the whole field, not a sample of a larger one,
      hence the population form (dividing by ``N``, not ``N - 1``).
    * ``points_per_sd`` (the scheme's ``scale_points_per_sd``, default 100) points per
      standard deviation above or below the median. The sources found do not state the
      points per standard deviation; 100 puts a competitor one standard deviation from the
      median at 600 or 800, the range the source says scores "typically fall" in.
    * Rounding: computed exactly in decimals (the square root to 28 significant digits),
      rounded once at the end, half away from zero, to whole points.
    * One competitor, or all totals equal (sd = 0): everyone gets ``centre``. No totals: ``[]``.

    >>> standardise([Decimal(50), Decimal(60), Decimal(70)])  # median 60, sd 8.165
    [578, 700, 822]
    """
    if not totals:
        return []
    values = [Decimal(t) for t in totals]
    ordered = sorted(values)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    sd = Decimal(statistics.pstdev(values)) if len(values) > 1 else Decimal(0)
    if sd == 0:
        return [centre] * len(values)
    return [int((centre + points_per_sd * (v - median) / sd).quantize(Decimal(1), rounding=ROUND_HALF_UP)) for v in values]


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


def compute_standings(
    scheme: MarkingScheme,
    entries_by_competitor: Mapping[str, Entries],
    tie_break: Iterable[str] | None = None,
    organisations: Mapping[str, str] | None = None,
) -> list[Standing]:
    """Rank the complete competitors of one skill by total, highest first; then the rest.

    Only COMPLETE competitors (every aspect complete, :attr:`CompetitorResult.complete`) are
    ranked, placed on the WorldSkills Scale (:func:`standardise` over their totals, with the
    scheme's ``scale_points_per_sd``) and given awards by the scheme's award rule
    (:func:`competition.scoring.awards.award`; ``organisations`` maps competitor codes to
    organisations, for Best of Nation).

    Tie-break rule: when totals are equal, the criterion totals or module subtotals named in
    ``tie_break`` (default: the scheme's ``tie_break``; ``tie_break = "modules_reverse"`` in a
    scheme file names the modules from last to first) are compared in that order, highest first;
    competitors still equal share the rank ("1224" ranking) and the medal. Rows are returned
    in rank order; equal ranks keep competitor-code order.

    Competitors still being marked come after all complete ones, in competitor-code order,
    with ``in_marking=True``, no rank, no scale score and no award: a partial total is not
    comparable with another (different aspects may be marked), so no provisional order is
    implied; a board shows them as "in marking".
    """
    panels = panels_of(scheme)
    results = [_competitor(scheme, panels, code, entries) for code, entries in entries_by_competitor.items()]
    return standings_of(scheme, results, tie_break, organisations)


def standings_of(
    scheme: MarkingScheme,
    results: Sequence[CompetitorResult],
    tie_break: Iterable[str] | None = None,
    organisations: Mapping[str, str] | None = None,
) -> list[Standing]:
    """:func:`compute_standings` from the competitors' results already aggregated: ranks,
    the WorldSkills Scale and awards over the complete ones, then those in marking."""
    order = tuple(scheme.tie_break if tie_break is None else tie_break)
    complete = [r for r in results if r.complete]
    keys = [(r.total, *(_part(r, c) for c in order)) for r in complete]
    ranks = rank_1224(keys)
    scale = standardise([r.total for r in complete], points_per_sd=scheme.scale_points_per_sd)
    placed = [Placed(r.competitor, rank, r.total, s) for r, rank, s in zip(complete, ranks, scale)]
    awarded = award(scheme, placed, organisations)
    rows = [
        Standing(r.competitor, r, p.rank, p.standardised, medal_of(awarded[p.competitor]), awards=awarded[p.competitor])
        for r, p in zip(complete, placed)
    ]
    rows.sort(key=lambda row: (row.rank, row.competitor))
    marking = sorted((r for r in results if not r.complete), key=lambda r: r.competitor)
    rows.extend(Standing(r.competitor, r, None, None, in_marking=True) for r in marking)
    return rows
