"""Small scheme builders for scoring tests."""

from __future__ import annotations

from decimal import Decimal as D
from types import MappingProxyType

from competition.scoring.model import Aspect, Criterion, MarkingScheme, RuleRef, SubCriterion

DESCRIPTORS = ("below standard", "meets standard", "exceeds in some respects", "excellent")


def judgement(aspect_id="J1", max_mark="3", rule="worldskills_judgement", panel=3, tolerance="1", **params):
    return Aspect(
        aspect_id, "judged", D(max_mark), "judgement", RuleRef(rule, MappingProxyType(params)),
        descriptors=DESCRIPTORS, panel_size=panel, tolerance=D(tolerance),
    )


def measurement(aspect_id, method, max_mark="1", steps=(), step=None, max_deductions=None):
    return Aspect(
        aspect_id, "measured", D(max_mark), "measurement", RuleRef(method), method=method,
        steps=tuple(D(s) for s in steps), deduction_step=D(step) if step else None, max_deductions=max_deductions,
    )


def scheme(criteria: dict[str, list[Aspect]], tie_break=(), medallion=700) -> MarkingScheme:
    built = []
    for cid, aspects in criteria.items():
        tagged = tuple(
            Aspect(**{**a.__dict__, "criterion_id": cid, "sub_criterion_id": f"{cid}1"}) for a in aspects
        )
        built.append(Criterion(cid, f"Criterion {cid}", (SubCriterion(f"{cid}1", f"Sub {cid}1", tagged),)))
    return MarkingScheme("test", "Test skill", "1", tuple(built), tie_break=tuple(tie_break), medallion_threshold=medallion)
