"""The demonstration event: five skills, 12 competitors (or teams) each, judges and part of the marking.

The skills, in this order (their competitors' codes start with the letter):

A. ``cn-electrical-installation`` — Chinese national style, 5 judges; its first eight are signed off and locked;
B. ``cnc-milling`` — WorldSkills style;
C. ``port-logistics`` — anonymised (judges see codes only);
D. ``cn-industrial-robotics`` — bilingual, a theory module (points) and a practical one (0-10 in
   tenths, 5 judges, highest and lowest dropped), weighted 20/80, prize bands; competitors and
   judges with Chinese names, the judges reading Chinese;
E. ``mechatronics`` — a team skill: 12 teams of two, wholly marked, signed off and locked (its
   one variance flag resolved by the chief expert), so its results are final.

Skills A to D are left part-marked (two thirds of each fully marked, the rest partly), so the
judging pages, progress and provisional boards have work in hand to show; E is final, so the
certificates and the reveal ceremony can be shown without an organiser's override.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import uuid
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from competition.extensions import db
from competition.models import Competitor, Event, SkillRole, User
from competition.models.people import CHIEF_EXPERT, JUDGE
from competition.scoring.kinds import kind_of
from competition.services.judging import competitor_sheet, record_override, sign_off
from competition.services.marking import record_mark
from competition.services.organisations import add_organisation
from competition.services.people import set_language
from competition.services.setup import add_skill_from_scheme, add_team, add_user, assign, create_event

EVENT_CODE = "podium-2026"
DEMO_PASSWORD = "podium-demo"

# The demo's skills by scheme code, in order; the letter of each is its competitors' code prefix.
DEMO_SKILLS = ("cn-electrical-installation", "cnc-milling", "port-logistics", "cn-industrial-robotics", "mechatronics")
ANONYMISED = "port-logistics"

ORGANISATIONS = ["Guangdong 广东", "Jiangsu 江苏", "Shanghai 上海", "Bavaria", "Ontario", "Wales", "Singapore"]
# The organisations competing (each registered with the event, so boards give each its own colour).
REGISTERED = [("GD", "Guangdong 广东"), ("JS", "Jiangsu 江苏"), ("SH", "Shanghai 上海"), ("BY", "Bavaria"), ("ON", "Ontario"),
              ("WAL", "Wales"), ("SG", "Singapore"), ("BJ", "Beijing 北京"), ("CQ", "Chongqing 重庆")]

COMPETITORS = [
    ("王芳", "Guangdong 广东"), ("Anna Schmidt", "Bavaria"), ("李明", "Jiangsu 江苏"),
    ("Emily Tremblay", "Ontario"), ("张伟", "Shanghai 上海"), ("Owen Jones", "Wales"),
    ("Siti Nur Rahman", "Singapore"), ("陈静", "Guangdong 广东"), ("Lukas Meyer", "Bavaria"),
    ("刘洋", "Jiangsu 江苏"), ("Chloé Martin", "Ontario"), ("赵磊", "Shanghai 上海"),
    ("Rhys Evans", "Wales"), ("黄丽", "Singapore"), ("Jonas Weber", "Bavaria"),
    ("周杰", "Guangdong 广东"), ("Aiden Roy", "Ontario"), ("吴婷", "Shanghai 上海"),
]

# Judges come from organisations with no competitor in the skill they mark, so every panel
# is complete without anyone marking a compatriot.
JUDGES = [
    ("Maria Keller", "Austria"), ("孙强", "Tianjin 天津"), ("Daniel Côté", "Québec"),
    ("Gareth Price", "Scotland"), ("林晓", "Hong Kong 香港"), ("马建国", "Sichuan 四川"),
    ("Thomas Huber", "Switzerland"), ("Sophie Gagnon", "New Brunswick"), ("何敏", "Zhejiang 浙江"),
    ("Ian Morgan", "Ireland"), ("Tan Wei Ming", "Malaysia"), ("郑海", "Fujian 福建"),
    ("Pierre Lefebvre", "Belgium"), ("Ana Souza", "Brazil"), ("Kenji Sato", "Japan"),
]

# The Chinese national-style skill (D): competitors from Chinese provinces and vocational
# colleges' teams, judges from other provinces (no conflict of interest), all reading Chinese.
CN_COMPETITORS = [
    ("林浩然", "Guangdong 广东"), ("陈思远", "Jiangsu 江苏"), ("王雨桐", "Shanghai 上海"), ("张子涵", "Beijing 北京"),
    ("刘嘉怡", "Chongqing 重庆"), ("杨博文", "Guangdong 广东"), ("黄俊杰", "Jiangsu 江苏"), ("周欣怡", "Shanghai 上海"),
    ("吴昊天", "Beijing 北京"), ("徐梓萱", "Chongqing 重庆"), ("孙宇航", "Guangdong 广东"), ("胡晓东", "Jiangsu 江苏"),
]
CN_JUDGES = [
    ("高志远", "Hubei 湖北"), ("钱慧", "Hunan 湖南"), ("许文博", "Shandong 山东"), ("罗丽华", "Henan 河南"),
    ("冯涛", "Anhui 安徽"), ("谢国平", "Shaanxi 陕西"),
]

# The team skill (E): teams of two, each from one organisation.
TEAMS = [
    ("Bavaria Automation", "Bavaria", ("Lukas Meyer", "Jonas Weber")),
    ("广东 Mechatronics 一队", "Guangdong 广东", ("王芳", "陈静")),
    ("Ontario Robotics", "Ontario", ("Emily Tremblay", "Aiden Roy")),
    ("Wales Tech", "Wales", ("Owen Jones", "Rhys Evans")),
    ("江苏 Mechatronics", "Jiangsu 江苏", ("李明", "刘洋")),
    ("Singapore Precision", "Singapore", ("Siti Nur Rahman", "黄丽")),
    ("上海 Mechatronics", "Shanghai 上海", ("张伟", "吴婷")),
    ("Bavaria Mechatronik", "Bavaria", ("Anna Schmidt", "Felix Bauer")),
    ("Ontario Mechatronics", "Ontario", ("Chloé Martin", "Noah Wilson")),
    ("广东 Mechatronics 二队", "Guangdong 广东", ("周杰", "郭涛")),
    ("Wales Automation", "Wales", ("Megan Davies", "Cerys Hughes")),
    ("Singapore Automation", "Singapore", ("Lim Jia Hui", "Arjun Nair")),
]


def demo_exists() -> bool:
    return db.session.scalar(select(Event).where(Event.code == EVENT_CODE)) is not None


def build_demo(schemes_dir: Path, seed: int = 2026) -> Event:
    """Create the demo event through the services, as one unit of work (the caller commits).
    Marks go through the marking service like any other."""
    rng = random.Random(seed)
    event = create_event(
        EVENT_CODE,
        "Podium Skills Championship 2026",
        place="Shenzhen World Exhibition & Convention Center",
        starts_on=dt.date(2026, 11, 24),
        ends_on=dt.date(2026, 11, 27),
    )
    organiser = add_user("organiser", "Olivia Grant", DEMO_PASSWORD, organiser=True)
    for code, name in REGISTERED:
        add_organisation(event, code, name, by=organiser)
    skills, chiefs = [], []
    judge_numbers = itertools.count()
    for index, code in enumerate(DEMO_SKILLS):
        skill = add_skill_from_scheme(event, Path(schemes_dir) / f"{code}.toml", anonymised=code == ANONYMISED)
        letter = "ABCDE"[index]
        chinese = bool(skill.scheme.languages and "zh" in skill.scheme.languages)
        if skill.scheme.team_size is not None:
            for number, (team, organisation, members) in enumerate(TEAMS):
                add_team(skill, f"{letter}-{number + 1:02d}", team, [(member, organisation) for member in members])
        else:
            for number in range(12):
                if code == "cn-industrial-robotics":
                    name, organisation = CN_COMPETITORS[number]
                else:
                    name, organisation = COMPETITORS[(number + 5 * index) % len(COMPETITORS)]
                skill.competitors.append(Competitor(code=f"{letter}-{number + 1:02d}", name=name, organisation=organisation))
        panel = skill.scheme.panel_size
        chief = add_user(f"chief-{letter.lower()}", f"Chief Expert {letter}", DEMO_PASSWORD, organisation="Independent")
        chiefs.append(chief)
        if chinese:
            set_language(chief, "zh")  # a bilingual Chinese-style skill's chief expert reads Chinese
        assign(chief, skill, CHIEF_EXPERT)
        for j in range(panel):
            if code == "cn-industrial-robotics":
                name, organisation = CN_JUDGES[j]
            else:
                name, organisation = JUDGES[next(judge_numbers) % len(JUDGES)]
            judge = add_user(f"judge-{letter.lower()}{j + 1}", name, DEMO_PASSWORD, organisation=organisation)
            if any("\u4e00" <= ch <= "\u9fff" for ch in name):
                set_language(judge, "zh")  # Chinese judges have chosen 中文: their pages speak Chinese
            assign(judge, skill, JUDGE)
        skills.append(skill)
    db.session.flush()
    final = skills[-1]  # the team skill: wholly marked and locked
    for skill in skills:
        _mark_partially(skill, rng, complete=skill is final)
        # the first skill's first eight are signed off below; a disagreement blocks sign-off
        # (the final skill's is resolved by its chief expert before its panel signs off)
        unsigned = skill.competitors[8:] if skill is skills[0] else skill.competitors[1:]
        for competitor in unsigned:
            if _measurement_disagreement(competitor):
                break
    # The first skill's fully marked competitors are signed off by their whole panel (the
    # chief expert having resolved any variance flag), which locks them: their results are
    # final and certificates can be printed for them. The final skill's competitors are all
    # signed off, so the skill is final: its certificates print and its ceremony starts
    # without an override.
    _sign_off(skills[0], chiefs[0], skills[0].competitors[:8])
    _sign_off(final, chiefs[-1], final.competitors)
    return event


def _sign_off(skill, chief: User, competitors) -> None:
    for competitor in competitors:
        sheet = competitor_sheet(competitor)
        for aspect_id, state in sheet.aspects.items():
            if state.blocking:
                record_override(chief, competitor, aspect_id, "Work re-examined by the panel with the chief expert; the scores stand.")
        for judge in sheet.panel:
            sign_off(judge, competitor)


def _mark_partially(skill, rng: random.Random, *, complete: bool = False) -> None:
    """Two thirds of the competitors fully marked, the rest partly (``complete``: every one
    fully marked), by judges without a conflict.
    A measurement is entered once, by the first judge of the panel, for the panel (in
    consensus); every judge scores a judgement aspect."""
    scheme = skill.scheme
    roles = select(SkillRole).where(SkillRole.skill_id == skill.id, SkillRole.role == JUDGE).order_by(SkillRole.id)
    judges = [role.user for role in db.session.scalars(roles)]
    for position, competitor in enumerate(skill.competitors):
        ability = rng.uniform(0.45, 0.95)
        share = 1.0 if position < 8 or complete else rng.uniform(0.2, 0.6)
        for aspect in scheme.aspects:
            if rng.random() > share:
                continue
            entered = False
            for judge in judges:
                if judge.organisation == competitor.organisation and not skill.allow_compatriot_marking:
                    continue
                value, key = _entry(aspect, ability, rng), str(uuid.UUID(int=rng.getrandbits(128)))
                if entered and not aspect.is_judgement:
                    continue  # drawn all the same, so the judgement scores stay as they were
                record_mark(judge=judge, competitor_id=competitor.id, aspect_id=aspect.id, value=value, idempotency_key=key,
                            device="demo")
                entered = True


def _measurement_disagreement(competitor) -> bool:
    """A second judge enters the first measurement of ``competitor`` differently: the aspect
    is flagged for the panel and the chief expert, and blocks sign-off. False: ``competitor``
    has no measurement entered yet."""
    sheet = competitor_sheet(competitor)
    for state in sheet.aspects.values():
        if state.aspect.is_judgement or state.aspect.method == "points" or len(state.marks) != 1:
            continue  # (a theory score is imported from the test system, not measured twice)
        (first,) = state.marks.values()
        judge = next((j for j in sheet.panel if j.id != first.judge_id), None)
        if judge is None:
            return False
        entries = kind_of(state.aspect).entries(state.aspect)
        other = entries[0] if first.value != entries[0] else entries[-1]
        record_mark(judge=judge, competitor_id=competitor.id, aspect_id=state.aspect.id, value=other,
                    idempotency_key=f"demo-disagreement-{competitor.code}", device="demo")
        return True
    return False


def _entry(aspect, ability: float, rng: random.Random) -> Decimal:
    """An entry for a competitor of ``ability`` (0-1): the aspect's possible entries ordered
    from least to most worth, one picked about ``ability`` of the way up, give or take."""
    kind = kind_of(aspect)
    entries = sorted(kind.entries(aspect), key=lambda entry: kind.worth(aspect, entry))
    # judges differ by up to a level; on a fine scale (0-10 in tenths) by up to 4 % of it
    spread = max(0.7, 0.04 * (len(entries) - 1))
    index = round(ability * (len(entries) - 1) + rng.uniform(-spread, spread))
    return entries[max(0, min(len(entries) - 1, index))]


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, password, what they can do) for the printout."""
    rows = []
    for user in db.session.scalars(select(User).order_by(User.id)):
        if user.is_organiser:
            what = "organiser: the whole event"
        else:
            what = ", ".join(f"{'chief expert' if r.role == CHIEF_EXPERT else 'judge'} of {r.skill.name}" for r in user.roles)
            # Where signing in lands them: their marking work (see competition.web.auth.landing_url).
            chief = any(r.role == CHIEF_EXPERT for r in user.roles)
            what += "".join(f" → /{'chief' if chief else 'judge'}/{r.skill.event.code}/{r.skill.code}/" for r in user.roles[:1])
        rows.append((user.username, DEMO_PASSWORD, f"{user.display_name} — {what}"))
    return rows
