"""A skill's standings kept up to date mark by mark.

:func:`~competition.scoring.standings.compute_standings` aggregates every aspect of every
competitor each time (60 competitors x 150 aspects = 9,000 panels). After one new mark only
one panel changed: :class:`SkillStandings` keeps each competitor's aspect results,
re-aggregates the one aspect that changed, adds that competitor up again
(:func:`~competition.scoring.standings.result_from_aspects`, the same sums as a full
recompute) and ranks the skill again (:func:`~competition.scoring.standings.standings_of`:
ranks, the WorldSkills Scale and awards are over the whole field, so they are always redone).

The rows it gives equal those of ``compute_standings`` on the same entries (tested with
random sequences of marks). Pure: standard library only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from competition.scoring.model import MarkingScheme
from competition.scoring.rules import AspectResult, aggregate_aspect
from competition.scoring.standings import (
    CompetitorResult,
    Entries,
    Standing,
    competitor_result,
    result_from_aspects,
    standings_of,
)


class SkillStandings:
    """The standings of one skill, updated one panel at a time.

    ``entries_by_competitor``, ``tie_break`` and ``organisations`` as for
    :func:`~competition.scoring.standings.compute_standings`.
    """

    def __init__(
        self,
        scheme: MarkingScheme,
        entries_by_competitor: Mapping[str, Entries],
        tie_break: Iterable[str] | None = None,
        organisations: Mapping[str, str] | None = None,
    ):
        self.scheme = scheme
        self.tie_break = None if tie_break is None else tuple(tie_break)
        self.organisations = dict(organisations or {})
        self._aspects = {aspect.id: aspect for aspect in scheme.aspects}
        self._panels: dict[str, Mapping[str, AspectResult]] = {}
        self._results: dict[str, CompetitorResult] = {}
        for code, entries in entries_by_competitor.items():
            self._results[code] = result = competitor_result(scheme, code, entries)
            self._panels[code] = result.aspects  # copied before a change (set_entries)

    @property
    def aspect_ids(self) -> Mapping[str, object]:
        """The scheme's aspects by id (what :meth:`set_entries` takes)."""
        return self._aspects

    def set_entries(self, competitor: str, aspect_id: str, entries: Sequence[Decimal]) -> CompetitorResult:
        """The judges' entries for one aspect of one competitor are now ``entries`` (all of them,
        as :func:`compute_standings` would read them); a new competitor is added. Returns the
        competitor's new result."""
        aspect = self._aspects[aspect_id]  # KeyError: not an aspect of this scheme
        if competitor not in self._panels:
            self._panels[competitor] = {a.id: aggregate_aspect(a, ()) for a in self._aspects.values()}
        panels = dict(self._panels[competitor])  # results already handed out stay as they were
        panels[aspect_id] = aggregate_aspect(aspect, entries)
        self._panels[competitor] = panels
        self._results[competitor] = result = result_from_aspects(self.scheme, competitor, panels)
        return result

    def result(self, competitor: str) -> CompetitorResult:
        return self._results[competitor]

    def standings(self) -> list[Standing]:
        """The rows, as :func:`compute_standings` gives them for the current entries."""
        organisations = {code: org for code, org in self.organisations.items() if org}
        return standings_of(self.scheme, list(self._results.values()), self.tie_break, organisations)
