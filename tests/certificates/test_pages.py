"""The organiser's certificate pages, background batches, and the public /verify page."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from sqlalchemy import func, select

from competition.extensions import db
from competition.models import Certificate, CertificateBatchPart, User
from competition.services.certificate_batches import wait_for_batch
from tests.certificates.helpers import PUBLIC_URL, decode_qr, final_event, need_cjk_font, organiser_client, pdf_pages_text


def test_pages_need_an_organiser(app, client, tmp_path):
    setup = final_event(tmp_path)
    anonymous = client.get("/certificates/test")
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.headers["Location"]
    judge = organiser_client(client, setup["judges"][0])
    assert judge.get("/certificates/test").status_code == 403
    assert judge.post("/certificates/test/print", data={"skill": "tiny"}).status_code == 403


def test_printed_qr_code_verifies_and_an_altered_token_does_not(app, client, tmp_path):
    setup = final_event(tmp_path)
    organiser = organiser_client(client, setup["organiser"])
    t1 = setup["by_code"]["T-01"]
    response = organiser.post("/certificates/test/print", data={"competitor": t1.id})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = tmp_path / "t1.pdf"
    pdf.write_bytes(response.data)
    url = decode_qr(pdf)
    assert url.startswith(PUBLIC_URL + "/verify/")
    path = urlsplit(url).path
    page = client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Genuine certificate" in html and "王芳" in html and "Gold Medal" in html and "Accuracy" in html and "Finish" in html
    number = db.session.scalar(select(Certificate.number).where(Certificate.competitor_id == t1.id))
    assert number in html
    token = path.rsplit("/", 1)[1]
    for position in (0, len(number) + 5, len(token) - 1):
        char = token[position]
        altered = token[:position] + ("B" if char != "B" else "C") + token[position + 1:]
        bad = client.get(f"/verify/{altered}")
        assert bad.status_code == 404 and "Not genuine" in bad.get_data(as_text=True) and "王芳" not in bad.get_data(as_text=True)


def test_revoked_certificate_shows_as_revoked_with_the_reason(app, client, tmp_path):
    setup = final_event(tmp_path)
    organiser = organiser_client(client, setup["organiser"])
    t2 = setup["by_code"]["T-02"]
    pdf = tmp_path / "t2.pdf"
    pdf.write_bytes(organiser.post("/certificates/test/print", data={"competitor": t2.id}).data)
    cert = db.session.scalar(select(Certificate).where(Certificate.competitor_id == t2.id))
    no_reason = organiser.post(f"/certificates/revoke/{cert.number}", data={"reason": ""}, follow_redirects=True)
    assert "Give a reason" in no_reason.get_data(as_text=True)
    done = organiser.post(f"/certificates/revoke/{cert.number}", data={"reason": "Scoring error in B1.2"}, follow_redirects=True)
    assert "is revoked" in done.get_data(as_text=True) and "Scoring error in B1.2" in done.get_data(as_text=True)
    page = client.get(urlsplit(decode_qr(pdf)).path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Revoked" in html and "Scoring error in B1.2" in html and "Genuine certificate" not in html


def test_unlocked_result_is_refused_with_a_clear_message(app, client, tmp_path):
    setup = final_event(tmp_path, lock=("T-01",))
    organiser = organiser_client(client, setup["organiser"])
    t3 = setup["by_code"]["T-03"]
    page = organiser.post("/certificates/test/print", data={"competitor": t3.id}, follow_redirects=True)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "No certificate for T-03 Owen Jones" in html and "not final" in html
    api = organiser.post("/certificates/test/print", data={"skill": "tiny"}, headers={"Accept": "application/json"})
    assert api.status_code == 409
    error = api.get_json()["error"]
    assert "4 result(s) not final" in error["message"]
    assert {c["code"] for c in error["competitors"]} == {"T-02", "T-03", "T-04", "T-05"}
    assert db.session.scalar(select(Certificate)) is None


def test_large_batch_runs_in_the_background_with_progress_and_download(app, client, tmp_path):
    need_cjk_font()
    app.config["CERTIFICATE_SYNC_LIMIT"] = 2
    setup = final_event(tmp_path)
    organiser = organiser_client(client, setup["organiser"])
    started = organiser.post("/certificates/test/print", data={"skill": "tiny"}, headers={"Accept": "application/json"})
    assert started.status_code == 202
    body = started.get_json()
    assert body["batch"]["total"] == 5
    batch_page = organiser.get(body["page_url"]).get_data(as_text=True)
    assert 'role="progressbar"' in batch_page and "certificates.js" in batch_page
    assert 'href="/console/jobs/' in batch_page  # the job that draws it, on the console
    wait_for_batch(body["batch"]["id"], timeout=60)
    deadline = time.monotonic() + 30
    while (status := organiser.get(body["status_url"]).get_json())["status"] not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert status["status"] == "done", status
    assert status["done"] == status["total"] == 5 and status["percent"] == 100
    # The PDF is kept in the database, not on this process's disk: any process can send it.
    assert not [p.name for p in (tmp_path / "certificates").glob("batch-*")]
    assert db.session.scalar(select(func.count(CertificateBatchPart.id)).where(CertificateBatchPart.batch_id == body["batch"]["id"]))
    download = organiser.get(status["download_url"])
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert int(download.headers["Content-Length"]) == len(download.data)
    assert f'filename="certificates-test-batch-{body["batch"]["id"]}.pdf"' in download.headers["Content-Disposition"]
    pages = pdf_pages_text(download.data)
    assert len(pages) == 5 and "王芳" in pages[0]
    # a form post (no JSON) lands on the progress page
    again = organiser.post("/certificates/test/print", data={"skill": "tiny"})
    assert again.status_code == 302 and "/certificates/batches/" in again.headers["Location"]
    wait_for_batch(int(again.headers["Location"].rstrip("/").rsplit("/", 1)[1]), timeout=60)


def test_settings_choose_language_layout_signatory_and_logo(app, client, tmp_path):
    need_cjk_font()
    import io

    from PIL import Image

    setup = final_event(tmp_path)
    organiser = organiser_client(client, setup["organiser"])
    logo = io.BytesIO()
    Image.new("RGB", (80, 40), (200, 30, 30)).save(logo, "PNG")
    form = {"language": "zh", "layout": "participation", "organiser_name": "Olivia Grant",
            "logo": (io.BytesIO(logo.getvalue()), "logo.png", "image/png")}
    saved = organiser.post("/certificates/test/settings", data=form, content_type="multipart/form-data", follow_redirects=True)
    assert "settings saved" in saved.get_data(as_text=True)
    pdf = organiser.post("/certificates/test/print", data={"competitor": setup["by_code"]["T-01"].id}).data
    text = pdf_pages_text(pdf)[0]
    assert "职业能力证书" in text and "Olivia Grant" in text and "组委会" in text and "王芳" in text
    assert b"/Subtype /Image" in pdf
    bad = organiser.post("/certificates/test/settings", data={"language": "fr", "layout": "auto"}, follow_redirects=True)
    assert "language must be one of" in bad.get_data(as_text=True)


def test_demo_organiser_sees_why_the_demo_skill_prints_no_certificate_yet(app, client, demo_event):
    organiser = organiser_client(client, db.session.scalar(select(User).where(User.is_organiser)))
    page = organiser.get("/certificates/", follow_redirects=True).get_data(as_text=True)
    first = demo_event.skills[0]  # eight of its twelve competitors locked: not final
    assert first.name in page and "Print the 8 final certificates" in page and "No certificates yet" in page
    assert 'href="/certificates/">Certificates</a>' in organiser.get("/").get_data(as_text=True)
    response = organiser.post(f"/certificates/{demo_event.code}/print", data={"skill": first.code, "only_locked": "1"},
                              follow_redirects=True)
    assert response.mimetype == "text/html" and "No certificates for" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Certificate.id))) == 0


def test_a_done_batch_whose_pdf_is_gone_answers_410_naming_the_batch(app, client, tmp_path):
    from competition.models import CertificateBatch
    from competition.models.certificates import DONE

    setup = final_event(tmp_path)
    batch = CertificateBatch(event_id=setup["event"].id, label="old", status=DONE, total=5, done=5,
                             path=str(tmp_path / "gone.pdf"))
    db.session.add(batch)
    db.session.commit()
    signed_in = organiser_client(client, setup["organiser"])
    answer = signed_in.get(f"/certificates/batches/{batch.id}/download", headers={"Accept": "application/json"})
    assert answer.status_code == 410
    error = answer.get_json()["error"]
    assert (error["field"], error["code"]) == ("batch", "gone")
    assert error["message"] == "The batch's PDF is no longer available: print it again."
    page = signed_in.get(f"/certificates/batches/{batch.id}/download")  # a person following the link gets a page
    assert page.status_code == 410 and "no longer available" in page.get_data(as_text=True)


def test_pages_speak_chinese_and_the_verify_page_names_the_certificate_as_printed(app, client, tmp_path):
    need_cjk_font()
    setup = final_event(tmp_path)
    organiser = organiser_client(client, setup["organiser"])
    zh = {"Accept-Language": "zh-CN"}
    page = organiser.get("/certificates/test", headers=zh).get_data(as_text=True)
    assert "本赛事的证书设置" in page and "证书语言" in page and "Settings for this event" not in page
    pdf = organiser.post("/certificates/test/print", data={"competitor": setup["by_code"]["T-01"].id}).data
    assert "Certificate of Achievement" in pdf_pages_text(pdf)[0]  # the certificate's language (English), not the reader's
    path = urlsplit(decode_qr_bytes(pdf, tmp_path)).path
    client.post("/sign-out", headers=zh)
    chinese = client.get(path, headers=zh).get_data(as_text=True)
    assert "证书真实有效" in chinese and "获证人" in chinese
    assert '<span lang="en">Certificate of Achievement</span> · 荣誉证书' in chinese
    assert '<span lang="en">Gold Medal</span> · 金牌' in chinese
    english = client.get(path).get_data(as_text=True)
    assert '<span lang="en">Gold Medal</span></p>' in english and "金牌" not in english


def test_refusals_read_in_the_page_language_and_in_english_for_the_api(app, client, tmp_path):
    setup = final_event(tmp_path, lock=("T-01",))
    organiser = organiser_client(client, setup["organiser"])
    t3 = setup["by_code"]["T-03"]
    page = organiser.post("/certificates/test/print", data={"competitor": t3.id}, headers={"Accept-Language": "zh-CN"},
                          follow_redirects=True).get_data(as_text=True)
    assert "无法为T-03 Owen Jones" in page and "成绩尚未最终确定" in page
    api = organiser.post("/certificates/test/print", data={"skill": "tiny"},
                         headers={"Accept": "application/json", "Accept-Language": "zh-CN"})
    assert "4 result(s) not final" in api.get_json()["error"]["message"]


def decode_qr_bytes(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "one.pdf"
    path.write_bytes(pdf)
    return decode_qr(path)
