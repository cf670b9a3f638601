"""Awards: which complete competitors of a skill get what, by the rule the scheme chooses.

A scheme names its award rule in ``[scheme.awards]`` (``rule = "worldskills"``, the default,
``"prize_bands"`` or ``"thresholds"``) with the rule's own settings; :data:`AWARD_RULES` is
the registry, like :data:`competition.scoring.rules.RULES` for aggregation rules. Each rule
reads and checks its settings (:meth:`AwardRule.read`, used by the scheme parser so that
``podium check-scheme`` reports ``FILE:LINE: field: problem``) and is called with the
*complete* competitors only (:class:`Placed`: rank among the complete competitors, raw
total, WorldSkills Scale score); competitors still being marked get no award.

A rule returns, per competitor, a tuple of award codes, the main award first (e.g.
``("gold", "best_of_nation")``), or ``()``. Codes are stable identifiers; :data:`LABELS` gives
the English label of each (marked for translation with :func:`~competition.scoring.i18n.N_`).

:func:`medal_table` adds up WorldSkills medals per organisation with WorldSkills' medal
points (gold 4, silver 3, bronze 2, Medallion for Excellence 1; source: WorldSkills
International, "WorldSkills Results and Reports", Member Comparison Reports, "Comparison by
Total Medal Points").

Pure: standard library only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from competition.scoring.i18n import N_
from competition.scoring.model import MarkingScheme

GOLD, SILVER, BRONZE, MEDALLION = "gold", "silver", "bronze", "medallion"
BEST_OF_NATION = "best_of_nation"
FIRST_PRIZE, SECOND_PRIZE, THIRD_PRIZE = "first_prize", "second_prize", "third_prize"
PRIZES = (FIRST_PRIZE, SECOND_PRIZE, THIRD_PRIZE)
MEDAL_BY_RANK = {1: GOLD, 2: SILVER, 3: BRONZE}
MEDAL_POINTS = {GOLD: 4, SILVER: 3, BRONZE: 2, MEDALLION: 1}
MEDALS = tuple(MEDAL_POINTS)

DEFAULT_SHARES = (Decimal("0.1"), Decimal("0.2"), Decimal("0.3"))
DEFAULT_LEVELS = (("pass", Decimal("0.5")), ("merit", Decimal("0.7")), ("distinction", Decimal("0.85")))

LABELS = {
    GOLD: N_("Gold medal"),
    SILVER: N_("Silver medal"),
    BRONZE: N_("Bronze medal"),
    MEDALLION: N_("Medallion for Excellence"),
    BEST_OF_NATION: N_("Best of Nation"),
    FIRST_PRIZE: N_("First prize"),
    SECOND_PRIZE: N_("Second prize"),
    THIRD_PRIZE: N_("Third prize"),
    "pass": N_("Pass"),
    "merit": N_("Merit"),
    "distinction": N_("Distinction"),
}


def label(award: str) -> str:
    """The English label of an award code (a threshold level's own name if it has none)."""
    return LABELS.get(award, award)


@dataclass(frozen=True)
class Placed:
    """A complete competitor as the award rules see it."""

    competitor: str
    rank: int  # "1224" rank among the complete competitors, after the tie-break
    total: Decimal
    standardised: int  # on the WorldSkills Scale


Awarded = dict[str, tuple[str, ...]]  # competitor -> award codes, the main award first
AwardFunction = Callable[..., Awarded]


@dataclass(frozen=True)
class AwardProblem:
    """A bad award setting: ``field`` is the path below ``scheme.awards`` (e.g. ``shares[1]``)."""

    field: str
    message: str


Reader = Callable[[Mapping[str, object]], tuple[dict[str, Any], list[AwardProblem]]]


class AwardRule:
    """A registered award rule: ``func(placed, scheme, organisations, **params)``.

    ``keys`` are the settings it takes in ``[scheme.awards]`` (besides ``rule``); ``reader``
    turns them into ``params`` and lists the problems with them.
    """

    def __init__(self, name: str, func: AwardFunction, keys: tuple[str, ...], reader: Reader):
        self.name, self.func, self.keys, self.reader = name, func, keys, reader

    def __repr__(self) -> str:
        return f"<AwardRule {self.name!r}>"

    def __call__(self, placed: Sequence[Placed], scheme: MarkingScheme, organisations: Mapping[str, str], **params) -> Awarded:
        return self.func(placed, scheme, organisations, **params)

    def read(self, table: Mapping[str, object]) -> tuple[dict[str, Any], list[AwardProblem]]:
        """The params from the settings of ``table`` (``[scheme.awards]``) and every problem with them."""
        problems = []
        for key in table:
            if key != "rule" and key not in self.keys:
                allowed = ", ".join(("rule", *self.keys))
                problems.append(AwardProblem(key, f"award rule {self.name!r} takes no setting {key!r}; allowed: {allowed}"))
        params, found = self.reader({k: v for k, v in table.items() if k in self.keys})
        return params, problems + found


AWARD_RULES: dict[str, AwardRule] = {}
DEFAULT_AWARD_RULE = "worldskills"


def register(name: str, *, keys: tuple[str, ...] = (), reader: Reader | None = None) -> Callable[[AwardFunction], AwardFunction]:
    """Register the decorated function as award rule ``name``; it is returned unchanged."""

    def wrap(func: AwardFunction) -> AwardFunction:
        AWARD_RULES[name] = AwardRule(name, func, keys, reader or (lambda table: ({}, [])))
        return func

    return wrap


def award(scheme: MarkingScheme, placed: Sequence[Placed], organisations: Mapping[str, str] | None = None) -> Awarded:
    """Apply the scheme's award rule (``scheme.awards``) to the complete competitors."""
    rule = AWARD_RULES[scheme.awards.name]
    awarded = rule(placed, scheme, organisations or {}, **dict(scheme.awards.params))
    return {p.competitor: tuple(awarded.get(p.competitor, ())) for p in placed}


def medal_of(awards: Sequence[str]) -> str | None:
    """The WorldSkills medal among ``awards`` (the main award when it is one), else None."""
    return awards[0] if awards and awards[0] in MEDAL_POINTS else None


# -- worldskills ----------------------------------------------------------------------------


def medal_for(rank: int, standardised: int, medallion_threshold: int) -> str | None:
    """Gold, silver and bronze by rank (tied ranks share the medal, and with "1224" ranking
    two golds mean no silver); otherwise the Medallion for Excellence at or above the
    threshold on the WorldSkills Scale; otherwise none."""
    if rank in MEDAL_BY_RANK:
        return MEDAL_BY_RANK[rank]
    if standardised >= medallion_threshold:
        return MEDALLION
    return None


class _Ranked(Protocol):
    competitor: str
    rank: int | None


def best_per_organisation(
    rows: Iterable[_Ranked], organisations: Mapping[str, str], score: Callable[[Any], object] | None = None
) -> set[str]:
    """The best competitor(s) of each organisation: the highest ``score`` (default: the best,
    i.e. lowest, rank); competitors with an equal best score all get it. Competitors without
    an organisation, and rows without a rank (still being marked), are left out.

    Within one skill the rank decides (the tie-break included). WorldSkills gives Best of
    Nation once per Member over all skills, to the competitor with the highest WorldSkills
    Scale score: pass the rows of every skill with ``score=lambda r: r.standardised``.
    """
    score = score or (lambda row: -row.rank)
    best: dict[str, list] = {}
    for row in rows:
        organisation = organisations.get(row.competitor)
        if not organisation or row.rank is None:
            continue
        value = score(row)
        held = best.get(organisation)
        if held is None or value > held[0]:
            best[organisation] = [value, {row.competitor}]
        elif value == held[0]:
            held[1].add(row.competitor)
    return {code for _, codes in best.values() for code in codes}


def _read_worldskills(table: Mapping[str, object]) -> tuple[dict[str, Any], list[AwardProblem]]:
    value = table.get("best_of_nation", True)
    if not isinstance(value, bool):
        return {}, [AwardProblem("best_of_nation", f"must be true or false, not {value!r}")]
    return {"best_of_nation": value}, []


@register("worldskills", keys=("best_of_nation",), reader=_read_worldskills)
def worldskills(placed: Sequence[Placed], scheme: MarkingScheme, organisations: Mapping[str, str], best_of_nation: bool = True) -> Awarded:
    """WorldSkills awards: gold, silver and bronze by rank, shared on ties ("1224": two golds,
    then bronze); the Medallion for Excellence to the others at or above the scheme's
    ``medallion_threshold`` (700 by default) on the WorldSkills Scale; Best of Nation (when
    ``best_of_nation``, the default) to each organisation's best competitor(s) by rank, when
    ``organisations`` are given.

    Sources: WorldSkills International, Competition Rules (WSI_OD03); the Medallion for
    Excellence at 700 points or more on the WorldSkills Scale and the Best of Nation title as
    reported for WorldSkills 2017 (db.lv, "Latvijas komandai WorldSkills 2017 konkursā trīs
    medaļas par izcilību"). See :func:`competition.scoring.standings.standardise` for the scale.
    """
    out = {}
    for p in placed:
        medal = medal_for(p.rank, p.standardised, scheme.medallion_threshold)
        out[p.competitor] = (medal,) if medal else ()
    if best_of_nation:
        for code in best_per_organisation(placed, organisations):
            out[code] += (BEST_OF_NATION,)
    return out


# -- prize_bands ----------------------------------------------------------------------------


def _share(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = Decimal(str(value))
    return number if number.is_finite() else None


def _read_prize_bands(table: Mapping[str, object]) -> tuple[dict[str, Any], list[AwardProblem]]:
    raw = table.get("shares", None)
    if raw is None:
        return {"shares": DEFAULT_SHARES}, []
    if not isinstance(raw, list) or not 1 <= len(raw) <= len(PRIZES):
        return {}, [AwardProblem("shares", f"must be a list of 1 to {len(PRIZES)} shares of the field, e.g. shares = [0.1, 0.2, 0.3]")]
    problems, shares = [], []
    for i, value in enumerate(raw):
        share = _share(value)
        if share is None or not 0 < share <= 1:
            problems.append(AwardProblem(f"shares[{i}]", f"{value!r} must be a share above 0 and at most 1, e.g. 0.1 for 10 %"))
        else:
            shares.append(share)
    if not problems and sum(shares) > 1:
        percent = f"{sum(shares) * 100:f}".rstrip("0").rstrip(".")
        problems.append(AwardProblem("shares", f"the shares add up to {percent} %, more than 100 % of the competitors"))
    return ({"shares": tuple(shares)} if not problems else {}), problems


def band_quotas(shares: Sequence[Decimal], n: int) -> list[int]:
    """Cumulative places of each band for ``n`` complete competitors: the first ``k`` bands
    together get at most ``round_half_up(n x (share_1 + ... + share_k))`` places.

    >>> band_quotas([Decimal("0.1"), Decimal("0.2"), Decimal("0.3")], 15)  # 1.5, 4.5, 9.0
    [2, 5, 9]
    """
    quotas, running = [], Decimal(0)
    for share in shares:
        running += Decimal(str(share))
        quotas.append(int((running * n).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
    return quotas


@register("prize_bands", keys=("shares",), reader=_read_prize_bands)
def prize_bands(placed: Sequence[Placed], scheme: MarkingScheme, organisations: Mapping[str, str], shares=DEFAULT_SHARES) -> Awarded:
    """一等奖, 二等奖, 三等奖 (first, second, third prize) as shares of the complete competitors.

    The shares (default 10 %, 20 %, 30 %) follow Chinese national skills competitions, e.g.
    a 2012 national vocational skills competition notice of the Ministry of Human Resources
    and Social Security (http://fsou.com/html/text/chl/1764/176474_2.html): "全国决赛各组别分别
    设立一等奖(占本组别参赛选手的10%)、二等奖(占本组别参赛选手的20%)和三等奖(占本组别参赛选手的
    30%)" — each band a share of the competitors of the group. The notice says nothing of
    rounding or ties; the choices below are Podium's.

    Rounding, on cumulative counts (:func:`band_quotas`): with ``N`` complete competitors the
    first ``k`` bands together hold at most ``Q_k = round_half_up(N x (s_1 + ... + s_k))``
    places (``N`` = 15: 1.5 -> 2 first prizes, 4.5 -> 5 places for the first two bands, 9 for
    all three). Rounding the cumulative share (rather than each band's) means the bands
    together never exceed the total share by more than the one rounding.

    Ties are never split, and a tie across a band's edge gets the LOWER prize: a competitor
    whose tie group (equal rank after the tie-break) occupies places ``r .. r + size - 1``
    gets the best band ``k`` with ``r + size - 1 <= Q_k``, or no prize. So the first ``k``
    bands never hold more than ``Q_k`` places; a band may get more than its own share when
    a tie pushed places down from the band above, never more than the cumulative one.
    """
    shares = tuple(Decimal(str(s)) for s in shares)
    quotas = band_quotas(shares, len(placed))
    size = Counter(p.rank for p in placed)
    out: Awarded = {}
    for p in placed:
        last = p.rank + size[p.rank] - 1
        band = next((k for k, quota in enumerate(quotas) if last <= quota), None)
        out[p.competitor] = (PRIZES[band],) if band is not None else ()
    return out


# -- thresholds -----------------------------------------------------------------------------


def _read_thresholds(table: Mapping[str, object]) -> tuple[dict[str, Any], list[AwardProblem]]:
    raw = table.get("level", None)
    if raw is None:
        return {"levels": DEFAULT_LEVELS}, []
    if not isinstance(raw, list) or not raw or not all(isinstance(v, dict) for v in raw):
        return {}, [AwardProblem("level", 'must be [[scheme.awards.level]] tables, each with name = "pass" and at = 0.5')]
    problems, levels, previous = [], [], None
    for i, level in enumerate(raw):
        for key in level:
            if key not in ("name", "at"):
                problems.append(AwardProblem(f"level[{i}].{key}", "unknown key in [[scheme.awards.level]]; allowed: name, at"))
        name, at = level.get("name"), _share(level.get("at"))
        if not isinstance(name, str) or not name.strip():
            problems.append(AwardProblem(f"level[{i}].name", 'required: a non-empty name, e.g. name = "merit"'))
        elif name in (n for n, _ in levels):
            problems.append(AwardProblem(f"level[{i}].name", f"level {name!r} is listed twice; name each level once"))
        if at is None or not 0 < at <= 1:
            message = f"{level.get('at')!r} must be a share of the maximum total above 0 and at most 1, e.g. at = 0.7"
            problems.append(AwardProblem(f"level[{i}].at", message))
        elif previous is not None and at <= previous:
            message = f"{at} must be higher than the level before ({previous}); list levels from lowest to highest"
            problems.append(AwardProblem(f"level[{i}].at", message))
        if at is not None and 0 < at <= 1:
            previous = at
        levels.append((name, at))
    return ({"levels": tuple(levels)} if not problems else {}), problems


@register("thresholds", keys=("level",), reader=_read_thresholds)
def thresholds(placed: Sequence[Placed], scheme: MarkingScheme, organisations: Mapping[str, str], levels=DEFAULT_LEVELS) -> Awarded:
    """Named levels by raw total: each competitor gets the highest level whose share ``at``
    of the scheme's maximum total they reach (``total >= at x max``, exact decimals). The
    default levels are pass at 50 %, merit at 70 %, distinction at 85 %; levels are listed
    from lowest to highest. No ranking is involved, so ties cannot be split. A weighted
    scheme's maximum is what its weighted total is out of (:attr:`MarkingScheme.total_max`).
    """
    maximum = scheme.total_max
    out: Awarded = {}
    for p in placed:
        reached = [name for name, at in levels if p.total >= Decimal(str(at)) * maximum]
        out[p.competitor] = (reached[-1],) if reached else ()
    return out


# -- medal table ----------------------------------------------------------------------------


class _Medalled(Protocol):
    competitor: str
    medal: str | None


@dataclass(frozen=True)
class MedalRow:
    organisation: str
    gold: int
    silver: int
    bronze: int
    medallion: int
    points: int
    competitors: int


def medal_table(rows: Iterable[_Medalled], organisations: Mapping[str, str]) -> list[MedalRow]:
    """Medals per organisation, with medal points gold 4, silver 3, bronze 2, Medallion 1.

    ``rows`` are standings (of one skill or of several, with competitor codes unique across
    them) and ``organisations`` maps each competitor to an organisation; competitors without
    one are left out. Every organisation with a competitor gets a row, also with no medal.
    Rows are sorted by points, then golds, silvers, bronzes, Medallions (all highest first),
    then organisation name.
    """
    counts: dict[str, Counter] = {}
    for row in rows:
        organisation = organisations.get(row.competitor)
        if not organisation:
            continue
        count = counts.setdefault(organisation, Counter())
        count["competitors"] += 1
        if row.medal in MEDAL_POINTS:
            count[row.medal] += 1
    table = [
        MedalRow(org, c[GOLD], c[SILVER], c[BRONZE], c[MEDALLION], sum(c[m] * p for m, p in MEDAL_POINTS.items()), c["competitors"])
        for org, c in counts.items()
    ]
    table.sort(key=lambda r: (-r.points, -r.gold, -r.silver, -r.bronze, -r.medallion, r.organisation))
    return table
