"""Imports fuzzed: random bad cells, encodings, extra and missing columns, random bytes. An
import either reports problems and writes nothing, or writes the whole file; it never raises."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from competition.extensions import db
from competition.models import Organisation
from competition.services import effects
from competition.services.imports import KINDS, apply
from competition.services.setup import add_skill_from_scheme
from tests.conftest import SCHEMES
from tests.factories import tiny_event
from tests.imports_fuzzing import files, state


@pytest.fixture
def setup(app, tmp_path):
    setup = tiny_event(tmp_path)
    add_skill_from_scheme(setup["event"], SCHEMES / "mechatronics.toml")
    db.session.add_all([Organisation(event_id=setup["event"].id, code="GD", name="Guangdong", colour="#F3C300"),
                        Organisation(event_id=setup["event"].id, code="WLS", name="Wales", colour="#875692")])
    effects.commit()
    return setup


@pytest.mark.parametrize("kind", sorted(KINDS))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_an_import_writes_all_or_nothing_and_never_raises(setup, kind, data):
    content, filename = data.draw(files(kind))
    before = state()
    report = apply(kind, setup["event"], content, filename, by=setup["organiser"])
    effects.commit()
    if not report.applied:
        assert report.problems and state() == before
        for problem in report.problems:
            assert str(problem)
        return
    assert report.ok
    again = apply(kind, setup["event"], content, filename, by=setup["organiser"])
    effects.commit()
    assert again.applied and again.counts["added"] == again.counts["updated"] == 0, [str(p) for p in again.problems]
