"""Issuing, reissuing, revoking and refusing certificates (services and CLI)."""

from __future__ import annotations

import io

import pytest
import sqlalchemy
from click.testing import CliRunner
from sqlalchemy import select

from competition.cli_certificates import certificates as certificates_command
from competition.extensions import db
from competition.models import Certificate
from competition.services import certificates as service
from competition.services.errors import ServiceError
from competition.services.locking import lock_competitor
from tests.certificates.helpers import final_event, need_cjk_font, pdf_pages_text
from tests.factories import TINY_SCHEME


def test_units_of_competence_follow_the_threshold(app, tmp_path):
    setup = final_event(tmp_path)
    certs = {c.competitor.code: c for c in service.issue(list(setup["skill"].competitors))}
    # threshold 0.6: Accuracy max 4 needs 2.4, Finish max 6 needs 3.6
    assert certs["T-01"].units == ("Accuracy", "Finish")
    assert certs["T-02"].units == ("Accuracy",)  # A 4/4, B 1.5/6
    assert certs["T-03"].units == ()
    assert [(certs[k].result, certs[k].layout) for k in ("T-01", "T-02", "T-03", "T-04")] == [
        ("gold", "medal"), ("silver", "medal"), ("bronze", "medal"), (None, "participation")]
    assert len({c.number for c in certs.values()}) == 5


def test_printing_a_skill_puts_names_in_both_scripts_skill_result_and_units_in_the_pdf(app, tmp_path):
    need_cjk_font()
    setup = final_event(tmp_path)
    out = io.BytesIO()
    assert service.print_certificates(setup["event"], out, skill=setup["skill"]) == 5
    pages = pdf_pages_text(out.getvalue())
    assert "王芳" in pages[0] and "GOLD MEDAL" in pages[0] and "Tiny Skill" in pages[0] and "Accuracy" in pages[0] and "Finish" in pages[0]
    assert "Anna Schmidt" in pages[1] and "SILVER MEDAL" in pages[1]
    assert "李明" in pages[3] and "Certificate of Participation" in pages[3]
    assert "Chief Expert" in pages[0] and "Test Championship" in pages[0]


def test_reprinting_reuses_the_certificate_and_a_changed_setting_supersedes_it(app, tmp_path):
    setup = final_event(tmp_path)
    t1 = setup["by_code"]["T-01"]
    first = service.issue([t1])[0].number
    assert service.issue([t1])[0].number == first
    service.save_settings(setup["event"], language="zh", layout="auto", organiser_name="Olivia Grant")
    second = service.issue([t1])[0]
    assert second.number != first and second.language == "zh"
    old = db.session.scalar(select(Certificate).where(Certificate.number == first))
    assert old.revoked and second.number in old.revoked_reason


def test_a_locked_result_still_being_marked_is_refused(app, tmp_path):
    from competition.models import Mark, MarkRevision

    setup = final_event(tmp_path, lock=False)
    t5 = setup["by_code"]["T-05"]
    gone = select(Mark.id).where(Mark.competitor_id == t5.id, Mark.aspect_id == "B1.2")
    db.session.execute(sqlalchemy.delete(MarkRevision).where(MarkRevision.mark_id.in_(gone)))
    db.session.execute(sqlalchemy.delete(Mark).where(Mark.competitor_id == t5.id, Mark.aspect_id == "B1.2"))
    for competitor in setup["skill"].competitors:  # the whole skill locked: only T-05's missing mark is left
        lock_competitor(competitor)
    db.session.commit()
    with pytest.raises(service.CertificateRefused) as refused:
        service.issue([t5])
    assert "T-05 Chloé Martin" in str(refused.value) and "still being marked" in str(refused.value)


def test_unlocked_result_is_refused_naming_the_competitor(app, tmp_path):
    setup = final_event(tmp_path, lock=("T-01", "T-02"))
    with pytest.raises(service.CertificateRefused) as refused:
        service.print_certificates(setup["event"], io.BytesIO(), competitor=setup["by_code"]["T-03"])
    assert "T-03 Owen Jones" in str(refused.value) and "not final" in str(refused.value)
    with pytest.raises(service.CertificateRefused) as refused:
        service.print_certificates(setup["event"], io.BytesIO(), skill=setup["skill"])
    assert "3 result(s) not final" in str(refused.value) and "李明" in str(refused.value)
    assert db.session.scalar(select(Certificate)) is None, "nothing issued"
    # The two locked results get no certificate either while the skill is not final: their places can change.
    with pytest.raises(service.CertificateRefused) as refused:
        service.print_certificates(setup["event"], io.BytesIO(), skill=setup["skill"], only_locked=True)
    assert "No certificates for" in str(refused.value) and "Owen Jones" in str(refused.value)
    with pytest.raises(service.CertificateRefused):
        service.print_certificates(setup["event"], io.BytesIO(), competitor=setup["by_code"]["T-01"])
    assert db.session.scalar(select(Certificate)) is None, "nothing issued"


def test_revoking_needs_a_reason_and_is_recorded(app, tmp_path):
    setup = final_event(tmp_path)
    cert = service.issue([setup["by_code"]["T-02"]])[0]
    with pytest.raises(ServiceError, match="reason"):
        service.revoke(cert, "  ", by=setup["organiser"])
    service.revoke(cert, "Marks entered against the wrong competitor", by=setup["organiser"])
    assert cert.revoked_at and cert.revoked_by_id == setup["organiser"].id and "wrong competitor" in cert.revoked_reason
    with pytest.raises(ServiceError, match="already revoked"):
        service.revoke(cert, "again", by=setup["organiser"])
    assert service.issue([setup["by_code"]["T-02"]])[0].number != cert.number, "a fresh certificate after revocation"


def test_cli_prints_a_skill_with_progress_and_refuses_unlocked(app, tmp_path):
    need_cjk_font()
    setup = final_event(tmp_path, lock=("T-01", "T-02", "T-03", "T-04"))
    out = tmp_path / "skill.pdf"
    runner = CliRunner()
    refused = runner.invoke(certificates_command, ["--event", "test", "--skill", "tiny", "--out", str(out)])
    assert refused.exit_code == 1 and "T-05 Chloé Martin" in refused.output and "not final" in refused.output
    assert not out.exists()
    not_final = runner.invoke(certificates_command, ["--event", "test", "--skill", "tiny", "--locked-only", "--out", str(out)])
    assert not_final.exit_code == 1 and "No certificates for" in not_final.output and not out.exists()
    one = runner.invoke(certificates_command, ["--event", "test", "--skill", "tiny", "--competitor", "T-05", "--out", str(out)])
    assert one.exit_code == 1 and "T-05 Chloé Martin" in one.output
    lock_competitor(setup["by_code"]["T-05"])
    db.session.commit()
    whole = runner.invoke(certificates_command, ["--event", "test", "--out", str(out)])
    assert whole.exit_code == 0 and "5 certificate(s)" in whole.output and "Certificates" in whole.output
    assert "王芳" in pdf_pages_text(out.read_bytes())[0]
    service.save_settings(setup["event"], language="en", layout="participation", organiser_name="")
    setup["event"].public_url = ""
    db.session.commit()
    again = runner.invoke(certificates_command, ["--event", "test", "--skill", "tiny", "--out", str(out)])
    assert again.exit_code == 0, again.output
    assert "3 certificate(s) handed out before are now revoked as superseded" in again.output and "TEST-00001" in again.output
    assert "only this computer can reach" in again.output
    assert runner.invoke(certificates_command, ["--event", "nope", "--out", str(out)]).exit_code == 1


def test_two_batches_at_once_share_no_number_and_issue_each_competitor_once(app, tmp_path):
    """Two organisers print overlapping batches of one event at the same moment."""
    import threading

    from competition.models import Competitor

    setup = final_event(tmp_path)
    ids = [c.id for c in setup["skill"].competitors]
    db.session.commit()
    start = threading.Barrier(2)
    errors: list[Exception] = []

    def batch(chosen):
        with app.app_context():
            try:
                competitors = [db.session.get(Competitor, i) for i in chosen]
                start.wait()
                service.issue(competitors)
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - the test reports whatever went wrong
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=batch, args=(order,)) for order in (ids, ids[::-1])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    certificates = db.session.scalars(select(Certificate)).all()
    assert len(certificates) == 5, [c.number for c in certificates]
    assert len({c.number for c in certificates}) == 5
    assert sorted(c.competitor_id for c in certificates if c.revoked_at is None) == sorted(ids)


BILINGUAL_TINY = (TINY_SCHEME.replace('name = "Tiny Skill"', 'name = { en = "Tiny Skill", zh = "微型赛项" }')
                  .replace('name = "Accuracy"', 'name = { en = "Accuracy", zh = "精度" }')
                  .replace('name = "Finish"', 'name = { en = "Finish", zh = "表面质量" }'))


def test_a_certificate_names_the_skill_and_units_in_its_own_language(app, tmp_path):
    setup = final_event(tmp_path, scheme=BILINGUAL_TINY)
    t1 = setup["by_code"]["T-01"]
    english = service.issue([t1])[0]
    assert (english.skill_name, english.units) == ("Tiny Skill", ("Accuracy", "Finish"))
    service.save_settings(setup["event"], language="zh", layout="auto", organiser_name="")
    chinese = service.issue([t1])[0]
    assert (chinese.skill_name, chinese.units) == ("微型赛项", ("精度", "表面质量"))
    data = service.certificate_data(chinese)
    assert data.skill_name == "微型赛项" and data.units == ("精度", "表面质量")
