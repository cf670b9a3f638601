"""The judge's competitor list says what each competitor needs, in the words of the sign-off: a
flagged competitor is never "Ready to sign"; the list filters without JavaScript (``?q=`` and
``?state=``); and the form's sign-off state is read again as JSON in the judge's language."""

from __future__ import annotations

import re

from tests.factories import mark, mark_panel
from tests.judging import judging_event, sign_in

LIST = "/judge/test/tiny/"
EVERY_ASPECT = {"A1.1": 1, "A1.2": 0, "B1.1": 3, "B1.2": "1.5"}


def rows(page: str) -> dict[str, tuple[str, bool]]:
    """code -> (the row's states, whether it is shown) as the list draws them."""
    found = re.findall(r'<li class="competitor-row[^"]*"\s+data-states="([^"]*)" data-search="([^"]*)"\s*(hidden)?>', page)
    return {search.split()[0]: (states, not hidden) for states, search, hidden in found}


def test_a_flagged_competitor_is_never_ready_to_sign(app, client, tmp_path):
    setup = judging_event(tmp_path)
    judges, (_, t2, t3) = setup["judges"], setup["skill"].competitors
    for aspect, value in EVERY_ASPECT.items():
        mark(judges[0], t2, aspect, value)
        mark(judges[0], t3, aspect, value)
    mark_panel(judges[1:], t3, "B1.1", [0])  # 3 against 0: flagged
    sign_in(client, "judge1")
    page = client.get(LIST).get_data(as_text=True)
    assert rows(page)["T-02"] == ("ready", True)
    assert rows(page)["T-03"] == ("flagged", True)
    assert rows(page)["T-01"] == ("to-mark", True)
    assert page.count("Ready to sign</span>") == 1  # T-02's pill (the summary's chip is a link)
    assert re.search(r'data-state-count="flagged">Flagged <strong>1</strong>', page)


def test_the_list_filters_without_script(app, client, tmp_path):
    setup = judging_event(tmp_path)
    judge, t2 = setup["judges"][0], setup["skill"].competitors[1]
    for aspect, value in EVERY_ASPECT.items():
        mark(judge, t2, aspect, value)
    sign_in(client, "judge1")
    shown = {code for code, (_, visible) in rows(client.get(LIST + "?state=ready").get_data(as_text=True)).items() if visible}
    assert shown == {"T-02"}
    shown = {code for code, (_, visible) in rows(client.get(LIST + "?q=owen").get_data(as_text=True)).items() if visible}
    assert shown == {"T-03"}
    page = client.get(LIST + "?state=signed").get_data(as_text=True)
    assert not any(visible for _, visible in rows(page).values())
    assert re.search(r'<p class="list-none" id="list-none" >', page)  # "No competitor matches this filter." shown
    unknown = client.get(LIST + "?state=nonsense")  # an unknown state filters nothing
    assert unknown.status_code == 200 and all(visible for _, visible in rows(unknown.get_data(as_text=True)).values())


def test_the_sign_off_state_follows_the_marks(app, client, tmp_path):
    setup = judging_event(tmp_path)
    judge, t2 = setup["judges"][0], setup["skill"].competitors[1]
    sign_in(client, "judge1")
    state = client.get("/judge/test/tiny/T-02/sign-off").get_json()
    assert state["why"].startswith("4 to resolve: A1.1: not marked yet; A1.2: not marked yet; B1.1: not marked yet…")
    assert (state["locked"], state["signed"], len(state["problems"])) == (False, False, 4)
    for aspect, value in EVERY_ASPECT.items():
        mark(judge, t2, aspect, value)
    assert client.get("/judge/test/tiny/T-02/sign-off").get_json() == {"locked": False, "signed": False, "problems": [], "why": ""}
    client.post("/language", data={"language": "zh"})
    mark_panel(setup["judges"][1:], t2, "B1.1", [0])
    why = client.get("/judge/test/tiny/T-02/sign-off").get_json()["why"]
    assert why.startswith("1 项待处理：B1.1")  # in the judge's language


def test_the_form_leads_to_the_next_competitor_at_the_same_criterion(app, client, tmp_path):
    judging_event(tmp_path)
    sign_in(client, "judge1")
    page = client.get("/judge/test/tiny/T-01/B").get_data(as_text=True)
    assert 'href="/judge/test/tiny/T-02/B">Next competitor, same criterion: T-02 · B ›</a>' in page
    assert 'id="next-competitor"' not in client.get("/judge/test/tiny/T-03/B").get_data(as_text=True)  # the last one
