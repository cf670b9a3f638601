"""Adding an aspect kind takes one module and one template partial.

This module is the module: it defines a new measurement kind, ``scale`` (the panel rates on
a scale from 0 to ``points``; mark = max x rating / points), with its scheme key, its entry
check, its choices and its rule. The partial is written by the test into a templates folder
of its own. Nothing else in Podium is changed, and the kind works end to end: a scheme using
it loads and is checked with line-numbered problems, entries are parsed, the rule
aggregates, and the marking form draws it through its partial and records it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

import pytest
from jinja2 import ChoiceLoader, FileSystemLoader
from sqlalchemy import select

from competition.extensions import db
from competition.models import Mark
from competition.scoring.entries import EntryError, parse_entry
from competition.scoring.kinds import KINDS, AspectKind, AspectTable, Choice, register_kind
from competition.scoring.model import MEASUREMENT, Aspect, RuleRef
from competition.scoring.rules import RULES, AspectResult, aggregate_aspect, lower_median, measurement_result, register
from competition.scoring.schemes import SchemeError, parse_scheme
from competition.services.standings import standings_payload
from tests.factories import TINY_SCHEME
from tests.judging import judging_event, sign_in

# -- the kind: what would be competition/scoring/kinds/scale.py ------------------------------


def scale_median(aspect: Aspect, entries: Sequence[Decimal]) -> AspectResult:
    """A rating on a scale from 0 to the aspect's ``points``: mark = max x lower median / points."""
    if not entries:
        return measurement_result(aspect, entries, None)
    return measurement_result(aspect, entries, aspect.max_mark * lower_median(entries) / aspect.settings["points"])


class Scale(AspectKind):
    type = MEASUREMENT
    method = "scale"
    keys = ("points",)
    default_rule = "scale_median"

    def read(self, table: AspectTable) -> dict[str, object]:
        if "points" not in table:
            table.problem("points", "scale aspects need points, the top of the scale, e.g. points = 5")
        return {"settings": {"points": table.integer("points", 2, 10) or 0}}

    def choices(self, aspect: Aspect) -> list[Choice]:
        return [Choice(str(n), str(n)) for n in range(aspect.settings["points"] + 1)]


# -- the partial: what would be templates/judge/kinds/scale.html ----------------------------

PARTIAL = """\
{% from "judge/kinds/_widgets.html" import choices %}
{% call(choice) choices(kind, aspect, form[name]) %}<span class="choice-num">{{ choice.label }}</span>\
<span class="choice-text scale-worth">{{ kind.worth(aspect, choice.value)|plain }} of {{ aspect.max_mark|plain }}</span>{% endcall %}
"""


@pytest.fixture
def scale_kind():
    """Register the kind and its rule for one test (the module would register them on import)."""
    register("scale_median", kinds=("scale",))(scale_median)
    kind = register_kind(Scale())
    yield kind
    del KINDS["scale"], RULES["scale_median"]


# -- a scheme using it ------------------------------------------------------------------------

SCALE_ASPECT = """
[[criterion.sub.aspect]]
id = "B1.3"
description = "Overall tidiness, 0 to 5"
type = "measurement"
method = "scale"
points = 5
max = 2
"""
SCHEME = TINY_SCHEME.replace("total = 10", "total = 12") + SCALE_ASPECT
POINTS_LINE = SCHEME.splitlines().index("points = 5") + 1
ASPECT = "criterion[1].sub[0].aspect[2]"


def problems(text: str) -> list[str]:
    with pytest.raises(SchemeError) as caught:
        parse_scheme(text, "scale.toml")
    return [str(p) for p in caught.value.problems]


def test_a_scheme_using_the_new_kind_loads_and_is_checked(scale_kind):
    aspect = parse_scheme(SCHEME).aspect("B1.3")
    assert (aspect.kind, aspect.method, aspect.rule) == ("measurement", "scale", RuleRef("scale_median"))
    assert dict(aspect.settings) == {"points": 5}
    assert parse_scheme(SCHEME).max_mark == 12

    assert problems(SCHEME.replace("points = 5", "points = 11")) == [
        f"scale.toml:{POINTS_LINE}: {ASPECT}.points: must be a whole number between 2 and 10, not 11"
    ]
    assert problems(SCHEME.replace("points = 5", "steps = [0, 2]")) == [
        f"scale.toml:{POINTS_LINE - 5}: {ASPECT}.points: scale aspects need points, the top of the scale, e.g. points = 5",
        f"scale.toml:{POINTS_LINE}: {ASPECT}.steps: scale aspects take no steps; remove it or change the method",
    ]
    assert problems(SCHEME.replace('method = "scale"', 'method = "scales"')) == [
        f"scale.toml:{POINTS_LINE - 1}: {ASPECT}.method: unknown method 'scales'; use one of: binary, stepped, deduction, points, scale"
    ]


def test_entries_are_parsed_and_the_rule_aggregates(scale_kind):
    aspect = parse_scheme(SCHEME).aspect("B1.3")
    assert [parse_entry(aspect, v) for v in ("0", 3, "5.0")] == [0, 3, 5]
    with pytest.raises(EntryError, match=r"aspect B1.3 takes one of 0, 1, 2, 3, 4, 5, not 6"):
        parse_entry(aspect, 6)
    # lower median of 4, 2, 3 is 3: 2 x 3/5 = 1.20
    result = aggregate_aspect(aspect, [Decimal(4), Decimal(2), Decimal(3)])
    assert (result.mark, result.complete, result.flagged) == (Decimal("1.20"), True, False)
    assert scale_kind.worth(aspect, "5") == Decimal("2.00")


def test_the_marking_form_draws_it_through_its_partial_and_records_it(app, client, tmp_path, scale_kind):
    folder = tmp_path / "templates"
    (folder / "judge" / "kinds").mkdir(parents=True)
    (folder / "judge" / "kinds" / "scale.html").write_text(PARTIAL, encoding="utf-8")
    app.jinja_env.loader = ChoiceLoader([FileSystemLoader(folder), app.jinja_env.loader])

    setup = judging_event(tmp_path, scheme=SCHEME)
    sign_in(client, "judge1")
    page = client.get("/judge/test/tiny/T-02/B").get_data(as_text=True)
    assert 'data-aspect="B1.3" data-kind="scale" data-widget="choices"' in page
    assert '<div class="choices choices-scale" role="radiogroup">' in page
    assert page.count('name="a_B1_3"') == 6
    assert '<span class="choice-num">3</span><span class="choice-text scale-worth">1.2 of 2</span>' in page

    # Without JavaScript: the form posts it, record_mark checks it, the form shows it selected.
    response = client.post("/judge/test/tiny/T-02/B", data={"a_B1_3": "3", "a_B1_3_base": "0", "a_B1_3_key": "scale-0001"})
    assert response.status_code == 302
    assert db.session.scalar(select(Mark.value).where(Mark.aspect_id == "B1.3")) == 3
    page = client.get("/judge/test/tiny/T-02/B").get_data(as_text=True)
    assert re.search(r'name="a_B1_3" value="3" checked>', page)

    # The marks API refuses what the kind does not take, with the kind's message.
    t2 = setup["skill"].competitors[1]
    body = {"competitor_id": t2.id, "aspect": "B1.3", "value": 6, "idempotency_key": "scale-0002", "base_version": 1}
    refused = client.post("/api/v1/marks", json=body)
    assert refused.status_code == 422
    assert refused.get_json()["error"]["message"] == "aspect B1.3 takes one of 0, 1, 2, 3, 4, 5, not 6"

    # The standings add the new kind's mark: criterion B of T-02 is 1.20.
    rows = {r["code"]: r for r in standings_payload(setup["skill"])["standings"]}
    assert rows["T-02"]["criteria"]["B"] == "1.20"
