"""The marking form draws each aspect through its kind's partial, with numbers written by the
one formatter: a stored entry pre-selects its choice without JavaScript (a stored 1.50 is the
step "1.5", a stored 10 is "10", never "1E+1"), and the counter carries its results."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from competition.extensions import db
from competition.models import MarkRevision
from tests.factories import TINY_SCHEME, mark
from tests.judging import judging_event, sign_in

TEN_STEPS = TINY_SCHEME.replace("steps = [0, 1.5, 3]\nmax = 3", "steps = [0, 1.5, 10]\nmax = 10").replace("total = 10", "total = 17")


def checked(page: str, name: str) -> list[str]:
    """The values of the checked radio buttons named ``name``."""
    return re.findall(rf'<input type="radio" class="choice-input" id="{name}-\d+" name="{name}" value="([^"]*)" checked>', page)


def test_a_stored_step_of_one_and_a_half_is_selected_without_script(app, client, tmp_path):
    setup = judging_event(tmp_path)
    judge, t2 = setup["judges"][0], setup["skill"].competitors[1]
    mark(judge, t2, "B1.2", "1.50", base_version=0)  # stored as Numeric(8, 2): 1.50
    sign_in(client, "judge1")
    page = client.get("/judge/test/tiny/T-02/B").get_data(as_text=True)
    assert checked(page, "a_B1_2") == ["1.5"]
    assert 'data-kind="stepped" data-widget="choices"' in page and 'data-value="1.5"' in page
    # Sent again as drawn, the form records nothing: "1.5" is the stored value.
    data = {"a_B1_2": "1.5", "a_B1_2_base": "1", "a_B1_2_key": "again-0001"}
    assert client.post("/judge/test/tiny/T-02/B", data=data).status_code == 302
    assert db.session.scalar(select(func.count(MarkRevision.id))) == 1


def test_whole_numbers_are_written_plainly_on_the_form_and_the_chief_experts_page(app, client, tmp_path):
    setup = judging_event(tmp_path, scheme=TEN_STEPS)
    judge, t2 = setup["judges"][0], setup["skill"].competitors[1]
    mark(judge, t2, "B1.2", 10, base_version=0)
    mark(judge, t2, "A1.2", 3, base_version=0)
    sign_in(client, "judge1")
    b = client.get("/judge/test/tiny/T-02/B").get_data(as_text=True)
    assert checked(b, "a_B1_2") == ["10"]
    assert '<span class="choice-num">10</span>' in b and '<span class="aspect-max">max 10</span>' in b
    a = client.get("/judge/test/tiny/T-02/A").get_data(as_text=True)
    assert '<div class="counter" data-results="2 1.5 1 0.5 0">' in a  # what 0, 1, 2, 3, 4 deductions leave of 2
    assert 'max="4" value="3" class="counter-input"' in a
    assert "Mark <strong data-result>0.5</strong> of 2<small>0.5 off each, at most 4</small>" in a
    assert '<span class="choice-num">Yes</span><span class="choice-text">2 of 2</span>' in a
    for page in (a, b):
        assert "1E+1" not in page and "10.00" not in page and "0.50" not in page
    chief = app.test_client()
    sign_in(chief, "chief")
    review = chief.get("/chief/test/tiny/T-02").get_data(as_text=True)
    assert re.search(r'<td class="num">10<small class="meta"> v1</small>', review)
    assert '<td class="num">10</td>' in review and '<td class="num">0.5</td>' in review  # aspect marks 10.00, 0.50
    assert "1E+1" not in review and "10.00" not in review


def test_each_aspect_is_drawn_by_its_kinds_partial(app, client, tmp_path):
    judging_event(tmp_path)
    sign_in(client, "judge1")
    a = client.get("/judge/test/tiny/T-02/A").get_data(as_text=True)
    b = client.get("/judge/test/tiny/T-02/B").get_data(as_text=True)
    for page, kinds in ((a, ("binary", "deduction")), (b, ("judgement", "stepped"))):
        for kind in kinds:
            assert f'data-kind="{kind}"' in page
    assert 'data-widget="counter"' in a and 'class="choices choices-binary"' in a
    assert 'class="choices choices-judgement"' in b and 'class="choices choices-stepped"' in b
