"""Plain data describing a marking scheme.

These dataclasses are what :mod:`competition.scoring.schemes` builds from a scheme file and
what the rules and standings functions consume. They carry no behaviour beyond small
look-ups, and import nothing outside the standard library.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING

from competition.scoring.scales import DEFAULT as DEFAULT_SCALE
from competition.scoring.scales import Scale

if TYPE_CHECKING:
    from competition.scoring._toml_lines import SchemeProblem

JUDGEMENT = "judgement"  # aspect types (a scheme's `type`); the kinds are in competition.scoring.kinds
MEASUREMENT = "measurement"


@dataclass(frozen=True)
class RuleRef:
    """An aggregation rule by registered name, with its parameters (e.g. high=1, low=1)."""

    name: str
    params: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Aspect:
    """The smallest marked unit of a scheme.

    ``kind`` is the scheme's ``type`` (``"judgement"``: each judge scores on the aspect's
    ``scale``, 0-3 by default, against ``descriptors``; ``"measurement"``) and ``method`` the measurement method (``binary``,
    ``stepped`` with ``steps``, ``deduction`` with ``deduction_step`` and
    ``max_deductions``). Together they name the aspect's kind in the registry of
    :mod:`competition.scoring.kinds`, which says what a judge enters and how it is marked;
    this class is data only. ``settings`` holds the values of a kind that has no field here.
    """

    id: str
    description: str
    max_mark: Decimal
    kind: str
    rule: RuleRef
    method: str | None = None
    steps: tuple[Decimal, ...] = ()
    deduction_step: Decimal | None = None
    max_deductions: int | None = None
    descriptors: tuple[str, ...] = ()
    scale: Scale = DEFAULT_SCALE  # what each judge of a judgement aspect enters (competition.scoring.scales)
    panel_size: int = 3
    tolerance: Decimal = Decimal(1)
    criterion_id: str = ""
    sub_criterion_id: str = ""
    settings: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        if not isinstance(self.settings, MappingProxyType):
            object.__setattr__(self, "settings", MappingProxyType(dict(self.settings)))

    @property
    def is_judgement(self) -> bool:
        return self.kind == JUDGEMENT


@dataclass(frozen=True)
class SubCriterion:
    id: str
    name: str
    aspects: tuple[Aspect, ...]

    @property
    def max_mark(self) -> Decimal:
        return sum((a.max_mark for a in self.aspects), Decimal(0))


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    sub_criteria: tuple[SubCriterion, ...]
    marking_day: str | None = None

    @property
    def aspects(self) -> tuple[Aspect, ...]:
        return tuple(a for s in self.sub_criteria for a in s.aspects)

    @property
    def max_mark(self) -> Decimal:
        return sum((s.max_mark for s in self.sub_criteria), Decimal(0))


@dataclass(frozen=True)
class Module:
    """A group of criteria (模块), e.g. a theory test or one day's practical task.

    ``criteria`` are the ids of its criteria. ``weight`` is the module's share of the total,
    above 0 and at most 1 (the weights of a scheme add up to exactly 1), or ``None`` when the
    scheme's modules only group criteria (subtotals, tie-breaks) and the total stays the raw
    sum. ``marking_day`` is the default of its criteria that name none.
    """

    id: str
    name: str
    criteria: tuple[str, ...]
    weight: Decimal | None = None
    marking_day: str | None = None


@dataclass(frozen=True)
class MarkingScheme:
    """A skill's whole marking scheme, as loaded from ``scoring_schemes/*.toml``.

    Its texts (``name``, the criteria's and sub-criteria's names, the aspects' descriptions
    and descriptors) are :class:`~competition.scoring.text.Text` when parsed from a file.
    ``languages`` are the languages the file declares, and ``language_gaps`` where a text
    lacks one of them (warnings: see :mod:`competition.scoring.schemes`).
    """

    code: str
    name: str
    version: str
    criteria: tuple[Criterion, ...]
    panel_size: int = 3
    rule: RuleRef = RuleRef("worldskills_judgement")
    tolerance: Decimal = Decimal(1)
    expected_total: Decimal | None = None
    tie_break: tuple[str, ...] = ()
    competence_threshold: Decimal = Decimal("0.6")
    medallion_threshold: int = 700
    scale_points_per_sd: int = 100  # WorldSkills Scale points per standard deviation
    awards: RuleRef = RuleRef("worldskills")  # award rule (competition.scoring.awards) and its params
    modules: tuple[Module, ...] = ()  # groups of criteria with their weights; () when the scheme has none
    weighted_max: Decimal = Decimal(100)  # what a weighted total is out of (the scheme's `total`, default 100)
    team_size: tuple[int, int] | None = None  # (min, max) members of each team; None: individual competitors
    source: str = ""
    languages: tuple[str, ...] = ()
    language_gaps: tuple[SchemeProblem, ...] = field(default=(), compare=False)

    @property
    def aspects(self) -> tuple[Aspect, ...]:
        return tuple(a for c in self.criteria for a in c.aspects)

    @property
    def max_mark(self) -> Decimal:
        return sum((c.max_mark for c in self.criteria), Decimal(0))

    @property
    def weighted(self) -> bool:
        """The modules carry weights: the total is the weighted sum of the modules' shares."""
        return bool(self.modules) and all(m.weight is not None for m in self.modules)

    @property
    def total_max(self) -> Decimal:
        """What a total is out of: ``weighted_max`` for a weighted scheme, else :attr:`max_mark`."""
        return self.weighted_max if self.weighted else self.max_mark

    def module_max(self, module: Module) -> Decimal:
        """The raw maximum of ``module``: the max marks of its criteria added up."""
        return sum((self.criterion(c).max_mark for c in module.criteria), Decimal(0))

    @property
    def team_event(self) -> bool:
        """Competitors are teams (``[scheme] team_size``): judges mark the team, every member gets a certificate."""
        return self.team_size is not None

    def aspect(self, aspect_id: str) -> Aspect:
        for a in self.aspects:
            if a.id == aspect_id:
                return a
        raise KeyError(aspect_id)

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)
