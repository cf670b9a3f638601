"""Panel rules of judged sports, each as its rule book states it.

These rules mark an aspect with the sport's own number — a dive's points, a gymnast's
E-score, a skater's GOE — from the judges' entries, which may be any Decimal (a 0–10 scale
in half points, GOE grades −5…+5, E-scores with one decimal…). Unlike the generic
judgement rules of :mod:`competition.scoring.rules` they do not scale the result to the
aspect's max, and they round (or truncate) as their rule book says, not always to two
places: a scheme that uses one gives the aspect the sport's maximum as ``max``. Judges enter on
the rule book's scale (``scale`` of :func:`~competition.scoring.rules.register`: diving
awards 0–10 in half points, GOE grades −5…+5…), which an aspect gets unless it declares its
own ``scale``; the IJRU rule has none (its judges' scales differ by score), so its aspects
declare one.

Each rule is registered like the others, so a scheme names it with ``rule = "diving"`` and
``rule_params = { degree_of_difficulty = 3.2 }``; its ``check`` refuses parameters and panel
sizes the rule book does not have. While a panel is still marking (fewer entries than the
panel size) a rule gives a provisional mark from the entries present — trimmed as far as
their number allows and, for rules that add the counting awards, scaled to the number of
awards that count — and the result is incomplete.

All rules flag the aspect when the entries spread more than the aspect's ``tolerance``.
Rules that take placings rather than marks (the Skating System, Borda count) are in
:mod:`competition.scoring.placings`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from competition.scoring.i18n import N_
from competition.scoring.model import JUDGEMENT, Aspect
from competition.scoring.numbers import as_decimal, round_mark
from competition.scoring.rules import AspectResult, RuleProblem, register, trimming_check
from competition.scoring.scales import Scale

TEN = Decimal(10)
THOUSANDTH = Decimal("0.001")

# The judges' scales of the rule books (an aspect using the rule gets it unless it declares a
# scale; see competition.scoring.scales). The rules themselves never scale to the aspect's max.
PROGRAM_COMPONENTS = Scale(Decimal("0.25"), TEN, Decimal("0.25"))  # ISU Rule 353: 0.25 to 10 in 0.25
GOE_GRADES = Scale(Decimal(-5), Decimal(5))  # ISU Communication 2186: −5 … +5
TENTHS = Scale(Decimal(0), TEN, Decimal("0.1"))  # FIG E-scores (10 − deductions in tenths)
HALF_POINTS = Scale(Decimal(0), TEN, Decimal("0.5"))  # World Aquatics awards 0 to 10 in half points
STYLE_POINTS = Scale(Decimal(0), Decimal(20), Decimal("0.5"))  # FIS style: at most 20 in half points

#: The rules of this module, by name, with a label for people (translated where shown).
SPORT_RULES: dict[str, str] = {
    "isu_trimmed_mean": N_("Figure skating (ISU): trimmed mean of the panel"),
    "isu_goe": N_("Figure skating (ISU): grade of execution"),
    "fig_execution": N_("Gymnastics (FIG): execution score"),
    "diving": N_("Diving (World Aquatics): individual dive"),
    "diving_synchro": N_("Diving (World Aquatics): synchronised dive"),
    "ski_jumping_style": N_("Ski jumping (FIS): style points"),
    "ijru_closest_pair": N_("Rope skipping (IJRU): closest scores averaged"),
}


# -- shared arithmetic --------------------------------------------------------------------


def middle(entries: Sequence[Decimal], low: int, high: int) -> list[Decimal]:
    """The entries, sorted, without the ``low`` lowest and the ``high`` highest; all of them
    when fewer than one would remain (a panel still marking).

    >>> middle([Decimal(v) for v in (7, 9, 6, 8, 8)], 1, 1)
    [Decimal('7'), Decimal('8'), Decimal('8')]
    """
    ordered = sorted(entries)
    if len(ordered) - low - high < 1:
        return ordered
    return ordered[low : len(ordered) - high]


def _mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def _counted_sum(entries: Sequence[Decimal], drop: int, counted: int) -> Decimal:
    """The sum of the ``counted`` middle awards after dropping ``drop`` at each end — exactly
    the rule book's sum when the panel is complete; otherwise the mean of what remains times
    ``counted`` (a provisional figure on the same scale)."""
    kept = middle(entries, drop, drop)
    total = sum(kept, Decimal(0))
    return total if len(kept) == counted else total * counted / len(kept)


def _result(aspect: Aspect, entries: Sequence[Decimal], mark: Decimal | None) -> AspectResult:
    if not entries or mark is None:
        return AspectResult(aspect.id, None, 0, False)
    spread = max(entries) - min(entries)
    return AspectResult(aspect.id, mark, len(entries), len(entries) >= aspect.panel_size, spread > aspect.tolerance, spread)


def _isu_trimmed(values: Sequence[Decimal]) -> Decimal:
    """ISU trimmed mean: one highest and one lowest value removed for panels of five or
    more judges, the plain mean for smaller panels."""
    return _mean(middle(values, 1, 1) if len(values) >= 5 else list(values))


# -- parameter checks ---------------------------------------------------------------------


def _positive(params: Mapping[str, object], key: str) -> list[RuleProblem]:
    if key not in params:
        return []  # a missing required parameter is reported from the rule's signature
    value = params[key]
    try:
        if isinstance(value, bool):
            raise ValueError
        number = as_decimal(value)
        if not number.is_finite() or number <= 0:
            raise ValueError
    except (ValueError, TypeError, InvalidOperation):
        return [RuleProblem(f"must be a number above 0, not {value!r}", key)]
    return []


def _flag(params: Mapping[str, object], key: str) -> list[RuleProblem]:
    value = params.get(key)
    return [] if isinstance(value, bool) else [RuleProblem(f"must be true or false, not {value!r}", key)]


def _panel(rule: str, panel_size: int, allowed: Sequence[int], why: str) -> list[RuleProblem]:
    if panel_size in allowed:
        return []
    sizes = " or ".join(str(n) for n in allowed)
    return [RuleProblem(f"{rule} needs a panel of {sizes} judges ({why}), not {panel_size}", panel_size=True)]


def _check_goe(params: Mapping[str, object], panel_size: int) -> list[RuleProblem]:
    return _positive(params, "base_value") + _flag(params, "add_base")


def _check_fig(params: Mapping[str, object], panel_size: int) -> list[RuleProblem]:
    return _flag(params, "deductions") + trimming_check("fig_execution")(params, panel_size)


def _check_diving(params: Mapping[str, object], panel_size: int) -> list[RuleProblem]:
    return _positive(params, "degree_of_difficulty") + _panel("diving", panel_size, (5, 7), "World Aquatics D 5.2")


SYNCHRO_PANELS = {"execution": (3, 4), "synchronisation": (5,)}


def _check_synchro(params: Mapping[str, object], panel_size: int) -> list[RuleProblem]:
    found = _positive(params, "degree_of_difficulty")
    role = params.get("role")
    if role not in SYNCHRO_PANELS:
        found.append(RuleProblem(f"must be 'execution' or 'synchronisation', not {role!r}", "role"))
        return found
    why = {"execution": "3 per diver of 11 judges, or the 4 of both divers of 9", "synchronisation": "5"}[str(role)]
    return found + _panel("diving_synchro", panel_size, SYNCHRO_PANELS[str(role)], why)


def _check_ski_jumping(params: Mapping[str, object], panel_size: int) -> list[RuleProblem]:
    return _panel("ski_jumping_style", panel_size, (5,), "five style judges")


# -- the rules ----------------------------------------------------------------------------


@register("isu_trimmed_mean", kinds=(JUDGEMENT,), scale=PROGRAM_COMPONENTS)
def isu_trimmed_mean(aspect: Aspect, entries: Sequence[Decimal]) -> AspectResult:
    """ISU trimmed mean of the panel (figure skating: program components, or any panel mark).

    Source: ISU Special Regulations & Technical Rules, Single & Pair Skating and Ice Dance
    (2018 and later editions), Rule 353 paragraph 1 — for each program component (and for
    the GOE, see :func:`isu_goe`) the highest and the lowest of the judges' marks are
    deleted and the average of the remaining marks, the *trimmed mean*, is rounded to two
    decimal places. One highest and one lowest are deleted whatever the panel size (5 to 9
    judges; since 2010/11 no panel drops more). Panels of fewer than five judges (national
    competitions) take the plain mean, as no mark can be spared.

    mark = round(trimmed mean, 2), half up — the component's panel mark, before the
    component's factor.
    """
    return _result(aspect, entries, round_mark(_isu_trimmed(entries)) if entries else None)


@register("isu_goe", kinds=(JUDGEMENT,), check=_check_goe, scale=GOE_GRADES)
def isu_goe(aspect: Aspect, entries: Sequence[Decimal], base_value: object, add_base: bool = False) -> AspectResult:
    """ISU grade of execution (GOE) of one element; entries are the judges' grades −5 … +5.

    Source: ISU Special Regulations & Technical Rules, Single & Pair Skating and Ice Dance
    (2018 and later editions), Rule 353 paragraph 1, with the ±5 GOE scale in force since
    ISU Communication 2186 (2018/19): each GOE step is worth 10 % of the element's base
    value, as listed (to two decimals) in the Scale of Values. The panel's GOE is the
    trimmed mean of the judges' GOE values (highest and lowest deleted, see
    :func:`isu_trimmed_mean`), rounded to two decimals.

    Each grade's value = round(grade × base_value / 10, 2); panel GOE = round(trimmed mean of
    the values, 2). ``mark`` is the panel GOE, or with ``add_base`` the element's score,
    base_value + GOE.
    """
    if not entries:
        return _result(aspect, entries, None)
    base = as_decimal(base_value)
    values = [round_mark(grade * base / TEN) for grade in entries]
    goe = round_mark(_isu_trimmed(values))
    return _result(aspect, entries, base + goe if add_base else goe)


@register("fig_execution", kinds=(JUDGEMENT,), check=_check_fig, scale=TENTHS)
def fig_execution(aspect: Aspect, entries: Sequence[Decimal], high: int = 1, low: int = 1, deductions: bool = False) -> AspectResult:
    """FIG execution score (E-score): the middle of the E-panel averaged, truncated.

    Source: FIG Codes of Points 2022–2024 (Men's and Women's Artistic Gymnastics), E-score
    calculation, with the FIG Technical Regulations: of the E-judges' scores the highest and
    the lowest are eliminated (``high`` = ``low`` = 1 for an E-panel of five; give 2 and 2
    where a panel of seven eliminates two at each end) and the remaining ones are averaged;
    scores are stated to three decimals, *truncated*, never rounded (8.5666… is 8.566).

    Entries are the judges' E-scores (10 − their deductions); with ``deductions`` they are
    the deductions themselves and E = 10 − the average of the middle deductions. The
    truncation applies to the E-score.
    """
    if not entries:
        return _result(aspect, entries, None)
    average = _mean(middle(entries, low, high))
    score = TEN - average if deductions else average
    return _result(aspect, entries, score.quantize(THOUSANDTH, rounding=ROUND_DOWN))


@register("diving", kinds=(JUDGEMENT,), check=_check_diving, scale=HALF_POINTS)
def diving(aspect: Aspect, entries: Sequence[Decimal], degree_of_difficulty: object) -> AspectResult:
    """World Aquatics individual diving: the middle three awards summed, times the DD.

    Source: World Aquatics (formerly FINA) Diving Rules (2017–2021 and 2022– editions),
    D 5.2.1–D 5.2.2 (panels of seven judges at the Olympic Games, World Championships and
    World Cups, five elsewhere) and the calculation of a dive's points by the secretariat:
    with five judges the highest and lowest awards are cancelled, with seven the two highest
    and the two lowest; the remaining three are added and the sum multiplied by the dive's
    degree of difficulty (``degree_of_difficulty``, a parameter of the aspect).

    The panel size (5 or 7, ``panel_size``) decides how many are cancelled. Awards are in
    half points and the DD has one decimal, so the product is exact to two decimals; marks
    off that scale are rounded to two decimals, half up.
    """
    if not entries:
        return _result(aspect, entries, None)
    drop = 2 if aspect.panel_size >= 7 else 1
    points = _counted_sum(entries, drop, 3) * as_decimal(degree_of_difficulty)
    return _result(aspect, entries, round_mark(points))


@register("diving_synchro", kinds=(JUDGEMENT,), check=_check_synchro, scale=HALF_POINTS)
def diving_synchro(aspect: Aspect, entries: Sequence[Decimal], degree_of_difficulty: object, role: str = "execution") -> AspectResult:
    """World Aquatics synchronised diving: one group of the panel, worth its share of the dive.

    Source: World Aquatics (FINA) Diving Rules, D 5.2.1 (eleven judges: three judge the
    execution of one diver, three of the other, five the synchronisation), D 5.2.2 (nine
    judges: two, two and five) and D 9 (judging synchronised diving): the highest and the
    lowest award of each execution group and of the synchronisation group are cancelled
    (with nine judges, the highest and lowest of the four execution awards together), the
    remaining five awards are added, and the sum is multiplied by the degree of difficulty
    and by 3/5 (0.6) — so that a synchronised dive's points compare with an individual
    dive's three awards.

    A judge's entry carries no role, so a synchronised dive is scheme-side three aspects
    (``role = "execution"`` for each diver with a panel of 3, ``"synchronisation"`` with 5)
    or two (execution with a panel of 4, for nine judges). Each aspect's mark is its
    counting awards × DD × 3/5; the aspects add up to the dive's points exactly (awards in
    half points and a one-decimal DD keep every product at two decimals).
    """
    if not entries:
        return _result(aspect, entries, None)
    counted = {3: 1, 4: 2, 5: 3}.get(aspect.panel_size, 1)
    awards = _counted_sum(entries, 1, counted)
    return _result(aspect, entries, round_mark(awards * as_decimal(degree_of_difficulty) * 3 / 5))


@register("ski_jumping_style", kinds=(JUDGEMENT,), check=_check_ski_jumping, scale=STYLE_POINTS)
def ski_jumping_style(aspect: Aspect, entries: Sequence[Decimal]) -> AspectResult:
    """FIS ski-jumping style points: five judges, the highest and lowest cancelled, the
    middle three added (at most 3 × 20 = 60 points).

    Source: FIS International Competition Rules (ICR), Book III Ski Jumping (edition
    2022/23 and earlier), the section on judging and style points: each of five judges
    gives at most 20 points in half points; the highest and the lowest marks are deleted
    and the remaining three added to make the jump's style points. Half points keep the
    sum exact.
    """
    if not entries:
        return _result(aspect, entries, None)
    return _result(aspect, entries, round_mark(_counted_sum(entries, 1, 3)))


@register("ijru_closest_pair", kinds=(JUDGEMENT,))
def ijru_closest_pair(aspect: Aspect, entries: Sequence[Decimal]) -> AspectResult:
    """IJRU (rope skipping) averaging of the judges of one type.

    Source: IJRU Rule Book, Technical Manual, "Calculation of scores and results" —
    Averaging (versions 3.0.0 and 4.0.0): two judges, the mean; three judges, the mean of
    the two closest scores, and when the scores are equally spaced the benefit goes to the
    athlete and the two higher scores are averaged; four or more, the highest and lowest
    dropped and the rest averaged. Results are rounded to two decimal places (half up).

    Not monotone: raising the top score of 0, 5, 10 to 10.5 moves the closest pair to 0
    and 5 (the mark falls from 7.5 to 2.5) — that is the rule.
    """
    if not entries:
        return _result(aspect, entries, None)
    if len(entries) == 3:
        low, mid, high = sorted(entries)
        score = (mid + high) / 2 if high - mid <= mid - low else (low + mid) / 2
    else:
        score = _mean(middle(entries, 1, 1) if len(entries) >= 4 else list(entries))
    return _result(aspect, entries, round_mark(score))
