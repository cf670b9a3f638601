"""A scheme's panels, looked up rather than aggregated again: the hot loop of the standings.

A skill of 60 competitors x 150 aspects is 9,000 panels; aggregating each through its rule
(:func:`~competition.scoring.rules.aggregate_aspect`: entries to Decimals, the rule, the
rounding, a new :class:`~competition.scoring.rules.AspectResult`) costs some 80 ms, far more
than a board can wait after every mark. But an aspect's result depends on nothing but the
aspect and its panel's entries, and a panel's entries come from a small set (a 0-3 judgement
by five judges has 4^5 = 1,024 possible panels, a yes/no 32). So :class:`SchemePanels` keeps,
per aspect, the results of the panels it has already aggregated, keyed by the entries as
given (their order included), and hands the same frozen result out again.

What this changes: nothing in the results. A panel is aggregated by its rule exactly once
per distinct entries (per process and scheme), and a later equal panel gets an equal result;
entries are compared as numbers (``Decimal("2")`` and ``Decimal("2.00")`` are one panel: the
mark is rounded to 0.01 either way; only the unrounded ``spread`` may keep the exponent of
the entries first seen, which every display writes through
:func:`~competition.scoring.numbers.plain`). Each aspect keeps at most
:data:`MAX_PANELS` results; beyond that a panel is aggregated every time. A rule registered
again under the same name (tests do) starts the tables afresh.

Pure: standard library only.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Mapping, Sequence
from decimal import Decimal

from competition.scoring.model import Aspect, MarkingScheme
from competition.scoring.rules import RULES, AspectResult, aggregate_aspect

MAX_PANELS = 4096  # results kept per aspect (a 0-3 panel of five has 1,024 possible entries)
ZERO = Decimal(0)


class SchemePanels:
    """One scheme's aspects in order, the shape of its criteria, and each aspect's results so far.

    ``layout``: per criterion ``(criterion id, ((sub-criterion id, number of aspects), …))``,
    the aspects of :attr:`ids` in that order.
    """

    def __init__(self, scheme: MarkingScheme):
        self.aspects = scheme.aspects
        self.ids = tuple(a.id for a in self.aspects)
        self.layout = tuple(
            (c.id, tuple((s.id, len(s.aspects)) for s in c.sub_criteria)) for c in scheme.criteria
        )
        self._rules = {a.rule.name: RULES.get(a.rule.name) for a in self.aspects}
        self._tables: list[dict[tuple, AspectResult]] = [{} for _ in self.aspects]
        self._plan = tuple(zip(self.aspects, self.ids, self._tables))
        # the plan again, nested as the criteria are: ((criterion id, ((sub id, plan items), …)), …)
        items = iter(self._plan)
        self.nested = tuple(
            (c.id, tuple((s.id, tuple(next(items) for _ in s.aspects)) for s in c.sub_criteria)) for c in scheme.criteria
        )

    def current(self) -> bool:
        """The rules are still those the tables were filled with."""
        return all(RULES.get(name) is rule for name, rule in self._rules.items())

    def results(self, entries: Mapping[str, Sequence[Decimal]]) -> list[AspectResult]:
        """Every aspect's result for one competitor's ``entries`` (aspect id -> the judges'
        entries), in :attr:`ids` order, as :func:`aggregate_aspect` gives them."""
        get = entries.get
        out = []
        append = out.append
        for aspect, ident, table in self._plan:
            raw = get(ident)
            key = () if raw is None else tuple(raw)
            try:
                result = table.get(key)
            except TypeError:  # an unhashable entry (or a signalling NaN): aggregate it as it is
                result = aggregate_aspect(aspect, key)
            else:
                if result is None:
                    result = aggregated(aspect, table, key)
            append(result)
        return out


def aggregated(aspect: Aspect, table: dict[tuple, AspectResult], key: tuple) -> AspectResult:
    """``aspect``'s result for the entries ``key`` that ``table`` does not hold yet, kept there
    while it has room."""
    result = aggregate_aspect(aspect, key)
    if len(table) < MAX_PANELS:
        table[key] = result
    return result


_lock = threading.Lock()
_panels: dict[int, tuple[weakref.ref, SchemePanels]] = {}


def panels_of(scheme: MarkingScheme) -> SchemePanels:
    """The :class:`SchemePanels` of ``scheme`` (one per scheme object, dropped with it)."""
    key = id(scheme)
    held = _panels.get(key)
    if held is not None and held[0]() is scheme and held[1].current():
        return held[1]
    panels = SchemePanels(scheme)
    with _lock:
        _panels[key] = (weakref.ref(scheme, lambda _ref, key=key: _forget(key, _ref)), panels)
    return panels


def _forget(key: int, ref: weakref.ref) -> None:
    with _lock:
        held = _panels.get(key)
        if held is not None and held[0] is ref:
            del _panels[key]
