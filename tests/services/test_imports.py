"""Imports of organisations, competitors and teams, judges and assignments (CSV and XLSX)."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from competition.extensions import db
from competition.models import AuditEntry, Competitor, Organisation, SkillRole, User
from competition.services import effects
from competition.services.imports import apply, preview
from competition.services.imports.reading import column_letter, decode
from competition.services.setup import add_skill_from_scheme
from tests.conftest import SCHEMES
from tests.factories import tiny_event

ORGANISATIONS = """external_id,code,name,colour
o1,GD,Guangdong,
o2,BY,Bavaria,#0067a5
o3,WLS,Wales,
o4,IND,Independent,
o5,J1,Judges 1,
"""


@pytest.fixture
def setup(app, tmp_path):
    setup = tiny_event(tmp_path)
    add_skill_from_scheme(setup["event"], SCHEMES / "mechatronics.toml")
    effects.commit()
    return setup


def imported(kind, setup, text, filename="list.csv", encoding="utf-8"):
    report = apply(kind, setup["event"], text.encode(encoding) if isinstance(text, str) else text, filename, by=setup["organiser"])
    effects.commit()
    return report


def rows(model):
    return db.session.scalar(select(func.count()).select_from(model))


def messages(report):
    return [str(p) for p in report.problems]


def test_column_letters_are_those_excel_shows():
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 701, 702)] == ["A", "B", "Z", "AA", "AB", "ZZ", "AAA"]


def test_organisations_are_added_with_palette_colours_and_a_second_import_changes_nothing(setup):
    report = imported("organisations", setup, ORGANISATIONS)
    assert report.applied and report.counts == {"added": 5, "updated": 0, "unchanged": 0}
    colours = dict(db.session.execute(select(Organisation.code, Organisation.colour)).all())
    assert colours["BY"] == "#0067A5" and colours["GD"] == "#F3C300" and len(set(colours.values())) == 5
    again = imported("organisations", setup, ORGANISATIONS)
    assert again.counts == {"added": 0, "updated": 0, "unchanged": 5}
    renamed = imported("organisations", setup, ORGANISATIONS.replace("o3,WLS,Wales", "o3,CYM,Cymru"))
    assert renamed.counts == {"added": 0, "updated": 1, "unchanged": 4}
    assert db.session.scalar(select(Organisation.name).where(Organisation.external_id == "o3")) == "Cymru"


def test_organisations_without_external_ids_match_on_their_code(setup):
    text = "code,name\nGD,Guangdong\n"
    assert imported("organisations", setup, text).counts["added"] == 1
    assert imported("organisations", setup, "code,name\nGD,Guangdong Province\n").counts["updated"] == 1
    assert rows(Organisation) == 1


def test_a_bad_colour_and_a_duplicate_code_are_reported_and_nothing_is_written(setup):
    report = imported("organisations", setup, "external_id,code,name,colour\no1,GD,Guangdong,red\no2,GD,Gansu,\n")
    assert not report.ok and not report.applied
    assert messages(report) == [
        "row 2, column D (colour): red is not a colour: write it as #rrggbb, e.g. #0067A5, or leave it empty.",
        "row 3, column B (code): GD is also in row 2; each may appear once.",
    ]
    assert rows(Organisation) == 0


def test_competitors_and_teams_are_added_then_unchanged(setup):
    imported("organisations", setup, ORGANISATIONS)
    text = ("external_id,skill,code,name,organisation,entry_number,member1_name,member1_organisation,member2_name,member2_organisation\n"
            "c1,tiny,T-01,王芳,Guangdong,J001,,,,\n"
            "c9,tiny,T-09,Nia Evans,WLS,J009,,,,\n"
            "m1,mechatronics,M-01,Team Dragon,,K01,Rhys Jones,Wales,Ffion Hughes,WLS\n")
    report = imported("competitors", setup, text)
    assert report.applied and report.counts == {"added": 2, "updated": 1, "unchanged": 0}  # T-01 gets its external id
    team = db.session.scalar(select(Competitor).where(Competitor.code == "M-01"))
    assert team.organisation == "Wales" and [(m.name, m.organisation) for m in team.members] == [("Rhys Jones", "Wales"),
                                                                                                 ("Ffion Hughes", "Wales")]
    assert db.session.scalar(select(Competitor.entry_number).where(Competitor.code == "T-09")) == "J009"
    again = imported("competitors", setup, text)
    assert again.counts == {"added": 0, "updated": 0, "unchanged": 3}
    changed = imported("competitors", setup, text.replace("Ffion Hughes", "Ffion Price"))
    assert changed.counts["updated"] == 1 and changed.changes[2].fields == ("members",)
    db.session.expire_all()
    assert [m.name for m in db.session.get(Competitor, team.id).members] == ["Rhys Jones", "Ffion Price"]


def test_competitor_rows_name_every_problem(setup):
    imported("organisations", setup, ORGANISATIONS)
    text = ("skill,code,name,organisation,member1_name\n"
            "knitting,K-01,Ann,Guangdong,\n"                # unknown skill
            "tiny,,Bob,Atlantis,\n"                          # empty code, unknown organisation
            "mechatronics,M-01,Team,Wales,Solo\n"            # a team of one
            "tiny,T-05,Cy,Wales,Extra\n")                    # members in an individual skill
    report = imported("competitors", setup, text)
    assert messages(report) == [
        "row 2, column A (skill): knitting is not a skill of this event.",
        "row 3, column B (code): empty: give the code.",
        "row 3, column D (organisation): Atlantis is not an organisation of this event: import the organisations first.",
        "row 4: a team in mechatronics has 2 to 2 members, not 1.",
        "row 5: tiny is marked per competitor, not per team: leave the member columns empty.",
    ]
    assert rows(Competitor) == 3


def test_judges_get_accounts_without_passwords_and_a_second_import_changes_nothing(setup):
    imported("organisations", setup, ORGANISATIONS)
    text = "external_id,username,name,organisation,language\nj7,judge7,Judge Seven,Bavaria,zh\nj1,judge1,Judge One,J1,\n"
    report = imported("judges", setup, text)
    assert report.counts == {"added": 1, "updated": 1, "unchanged": 0}
    seven = db.session.scalar(select(User).where(User.username == "judge7"))
    assert seven.password_hash == "" and not seven.check_password("") and seven.language == "zh" and not seven.is_organiser
    assert imported("judges", setup, text).counts == {"added": 0, "updated": 0, "unchanged": 2}
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "import_judges")).first()
    assert entry.user_id == setup["organiser"].id and "1 added" in entry.detail


def test_judge_problems(setup):
    text = "username,name,language\nbad name,X,en\njudge1,Judge,fr\njudge1,Again,\n"
    assert messages(imported("judges", setup, text)) == [
        "row 2, column A (username): bad name is not a user name: use letters, digits and . _ @ -, starting with a letter or digit.",
        "row 3, column C (language): fr is not a language: write en, zh or leave it empty.",
        "row 4, column A (username): judge1 is also in row 3; each may appear once.",
    ]


def test_assignments_set_roles_and_list_conflicts_as_warnings(setup):
    imported("organisations", setup, ORGANISATIONS)
    imported("judges", setup, "username,name,organisation\nwj,Welsh Judge,Wales\n")
    text = "username,skill,role\nwj,tiny,裁判\njudge1,mechatronics,chief_expert\n"
    report = imported("assignments", setup, text)
    assert report.counts == {"added": 2, "updated": 0, "unchanged": 0}
    assert any("Wales" in str(w) and "T-03" in str(w) for w in report.warnings)
    assert imported("assignments", setup, text).counts["unchanged"] == 2
    assert rows(SkillRole) == 4 + 2


def test_a_skill_keeps_one_chief_expert_whatever_the_order_of_rows(setup):
    # judge1 becomes chief, the current chief becomes a judge: fine in either order
    text = "username,skill,role\njudge1,tiny,裁判长\nchief,tiny,judge\n"
    assert imported("assignments", setup, text).counts["updated"] == 2
    bad = imported("assignments", setup, "username,skill,role\njudge2,tiny,chief_expert\n")
    assert messages(bad) == ["row 2, column C (role): tiny would have 2 chief experts; a skill has one."]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_chinese_headers_and_names_in_every_encoding(setup, encoding):
    imported("organisations", setup, "代码,名称\nGD,广东\nSH,上海\n", encoding=encoding)
    text = "编号,赛项,代码,姓名,单位,检录号\nc1,tiny,T-07,李娜,广东,001\nc2,tiny,T-08,张伟,SH,002\n"
    report = imported("competitors", setup, text, encoding=encoding)
    assert report.applied, messages(report)
    assert db.session.scalar(select(Competitor.organisation).where(Competitor.name == "李娜")) == "广东"
    assert db.session.scalar(select(Competitor.entry_number).where(Competitor.name == "张伟")) == "002"


def test_decode_order():
    assert decode("名".encode("gb18030"), "x.csv") == "名"
    assert decode(b"\xef\xbb\xbfa", "x.csv") == "a"
    with pytest.raises(ValueError):
        decode(b"\xff\xff\xff", "x.csv")


def test_unreadable_bytes_name_the_file(setup):
    report = imported("organisations", setup, b"\xff\xfe\xff\x80", "orgs.csv")
    assert messages(report) == ["orgs.csv is neither UTF-8 nor GB18030 text: save it as CSV UTF-8 or as an Excel workbook (.xlsx)."]


def test_xlsx_first_sheet(setup):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["External ID", "Code", "Name", "Colour", "Notes"])
    sheet.append(["o1", "GD", "广东", None, "extra"])
    sheet.append([2, "SH", "上海", "#123456", None])
    out = io.BytesIO()
    book.save(out)
    report = imported("organisations", setup, out.getvalue(), "orgs.xlsx")
    assert report.applied and report.counts["added"] == 2
    assert [str(w) for w in report.warnings] == ["Columns not used by this import, ignored: E (Notes)."]
    assert db.session.scalar(select(Organisation.external_id).where(Organisation.code == "SH")) == "2"


def test_a_damaged_xlsx_is_a_clean_problem(setup):
    assert messages(imported("organisations", setup, b"PK\x03\x04garbage", "orgs.xlsx")) == [
        "orgs.xlsx cannot be read as an Excel workbook (.xlsx)."]


def test_a_missing_required_column_is_a_problem(setup):
    assert messages(imported("organisations", setup, "external_id,name\no1,Guangdong\n")) == [
        "row 1: the column code is missing from the first row."]


def test_three_bad_rows_are_all_reported_by_row_and_column_and_nothing_is_written(setup):
    imported("organisations", setup, ORGANISATIONS)
    before = rows(Competitor)
    text = ("external_id,skill,code,name,organisation,entry_number\n"
            "c1,tiny,T-11,Good One,Wales,1\n"
            "c2,tiny,T-12,,Wales,2\n"
            "c3,tiny,T-13,Bad Org,Narnia,3\n"
            "c4,tiny,T-14,Good Two,Wales,4\n"
            "c5,nothing,T-15,Bad Skill,Wales,5\n")
    report = imported("competitors", setup, text)
    assert messages(report) == [
        "row 3, column D (name): empty: give the name.",
        "row 4, column E (organisation): Narnia is not an organisation of this event: import the organisations first.",
        "row 6, column B (skill): nothing is not a skill of this event.",
    ]
    assert rows(Competitor) == before


def test_a_database_error_midway_undoes_every_row(setup, monkeypatch):
    from competition.services.imports import organisations as kind

    real = kind._adder
    calls = []

    def failing(event, values):
        write = real(event, values)
        calls.append(1)
        if len(calls) == 3:  # the third row collides with a row the database already has
            return lambda: (db.session.add(Organisation(event_id=event.id, code="DUP", name="x")),
                            db.session.add(Organisation(event_id=event.id, code="DUP", name="y")), db.session.flush())
        return write

    monkeypatch.setattr(kind, "_adder", failing)
    report = imported("organisations", setup, ORGANISATIONS)
    assert not report.applied and "nothing was written" in messages(report)[0]
    assert rows(Organisation) == 0 and rows(AuditEntry) == 0


def test_preview_writes_nothing(setup):
    report = preview("organisations", setup["event"], ORGANISATIONS.encode(), "o.csv")
    effects.commit()
    assert report.ok and report.counts["added"] == 5 and rows(Organisation) == 0


def test_progress_is_reported(setup):
    seen = []
    apply("organisations", setup["event"], ORGANISATIONS.encode(), "o.csv", by=None, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (5, 5)


def test_the_sample_files_import_into_the_demo_event_and_a_second_time_change_nothing(demo_event):
    from tests.conftest import ROOT

    samples = ROOT / "docs" / "samples"
    order = [("organisations", "organisations.csv"), ("judges", "judges.csv"), ("competitors", "competitors.csv"),
             ("competitors", "competitors-gb18030.csv"), ("assignments", "assignments.csv")]
    for kind, name in order:
        report = apply(kind, demo_event, (samples / name).read_bytes(), name, by=None)
        effects.commit()
        assert report.applied and report.counts["added"], (name, messages(report))
    for kind, name in order:
        report = apply(kind, demo_event, (samples / name).read_bytes(), name, by=None)
        assert report.counts["added"] == report.counts["updated"] == 0, name
    linhaoran = select(Competitor.organisation).where(Competitor.name == "林浩然", Competitor.code == "B-31")
    assert db.session.scalar(linhaoran) == "Guangdong 广东"


def test_a_renamed_organisation_keeps_its_competitors_members_and_judges(setup):
    imported("organisations", setup, ORGANISATIONS)
    imported("competitors", setup, "skill,code,name,member1_name,member1_organisation,member2_name,member2_organisation\n"
                                   "mechatronics,M-01,Team,Ann,Wales,Bo,Wales\n")
    imported("judges", setup, "username,name,organisation\nwj,Welsh Judge,Wales\n")
    imported("assignments", setup, "username,skill,role\nwj,tiny,judge\n")
    report = imported("organisations", setup, ORGANISATIONS.replace("o3,WLS,Wales", "o3,WLS,Cymru"))
    assert report.counts["updated"] == 1
    db.session.expire_all()
    assert db.session.scalar(select(Competitor.organisation).where(Competitor.code == "T-03")) == "Cymru"
    team = db.session.scalar(select(Competitor).where(Competitor.code == "M-01"))
    assert team.organisation == "Cymru" and {m.organisation for m in team.members} == {"Cymru"}
    assert db.session.scalar(select(User.organisation).where(User.username == "wj")) == "Cymru"


def test_organisation_codes_differ_by_more_than_case(setup):
    imported("organisations", setup, "code,name\nGD,Guangdong\n")
    report = imported("organisations", setup, "code,name\ngd,Guangdong\n")
    assert report.counts["updated"] == 1 and rows(Organisation) == 1
    assert messages(imported("organisations", setup, "code,name\nSH,Shanghai\nsh,Shanghai 2\n")) == [
        "row 3, column A (code): sh is also in row 2; each may appear once."]


def test_entry_numbers_are_one_per_competitor_of_a_skill(setup):
    imported("organisations", setup, ORGANISATIONS)
    imported("competitors", setup, "skill,code,name,organisation,entry_number\ntiny,T-01,王芳,Guangdong,001\n")
    report = imported("competitors", setup, "skill,code,name,organisation,entry_number\n"
                                            "tiny,T-02,Anna Schmidt,Bavaria,001\ntiny,T-03,Owen Jones,Wales,002\ntiny,T-04,Ann,Wales,002\n")
    assert messages(report) == [
        "row 2, column E (entry_number): 001 is already the entry number of 王芳 in tiny.",
        "row 4, column E (entry_number): 002 is also in row 3; each may appear once.",
    ]
