"""Certificates on the competition floor, in a real headless Chromium: the address in the QR
codes is shown and confirmed, printing again names the certificates it would revoke and asks,
a skill's certificates wait until every competitor is locked, the verify page names the
certificate as printed, and a batch's download button stays hidden until the PDF is ready.

Browser, server and sign-in: tests/e2e/conftest.py.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.factories import TINY_SCHEME

pytestmark = pytest.mark.e2e

DESK = {"width": 1366, "height": 768}
COMPETITORS = (("T-01", "Wang Fang", "Guangdong"), ("T-02", "Anna Schmidt", "Bavaria"), ("T-03", "Owen Jones", "Wales"),
               ("T-04", "Li Ming", "Jiangsu"), ("T-05", "Chloe Martin", "Ontario"))
MARKS = {"T-01": (1, 0, 3, "3"), "T-02": (1, 0, 0, "1.5"), "T-03": (0, 4, 1, "0"), "T-04": (0, 4, 0, "0"), "T-05": (0, 4, 0, "0")}


def _marked(live_server, seed, *, lock=("T-01", "T-02", "T-03", "T-04", "T-05"), public_url: str = ""):
    """The tiny skill fully marked (T-01 gold with two units, T-03 bronze without a unit); the
    competitors in ``lock`` locked; the event's public address as given."""
    seeded = seed(TINY_SCHEME, competitors=COMPETITORS)
    from competition.extensions import db
    from competition.models import Competitor, Event, User
    from competition.services.locking import lock_competitor
    from tests.factories import mark

    with live_server.transaction():
        judges = [db.session.get(User, j.id) for j in seeded.judges]
        for code, (a11, a12, b11, b12) in MARKS.items():
            competitor = db.session.get(Competitor, seeded.competitors[code])
            for aspect, judges_, values in (("A1.1", judges[:1], [a11]), ("A1.2", judges[:1], [a12]),
                                            ("B1.1", judges, [b11] * 3), ("B1.2", judges[:1], [b12])):
                for judge, value in zip(judges_, values):
                    mark(judge, competitor, aspect, value, commit=False)
        for code in lock:
            lock_competitor(db.session.get(Competitor, seeded.competitors[code]))
        event = db.session.scalar(db.select(Event).where(Event.code == seeded.event))
        event.public_url = public_url
    return seeded


def _desk(new_page, sign_in, seeded):
    page = new_page(DESK)
    sign_in(page, seeded.organiser)
    page.goto(f"/certificates/{seeded.event}")
    return page


def _download(page, click) -> bytes:
    with page.expect_download() as info:
        click()
    return Path(info.value.path()).read_bytes()


def _text(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def test_a_local_qr_address_is_warned_about_and_printing_asks_first_naming_it(live_server, seed, new_page, sign_in):
    seeded = _marked(live_server, seed)
    page = _desk(new_page, sign_in, seeded)
    address = live_server.app.config["PUBLIC_URL"].rstrip("/")
    warning = page.locator("#qr-address")
    assert address in warning.inner_text() and warning.locator(".warn").is_visible()
    page.locator(f"#skill-{seeded.skill} header form button").click()
    page.wait_for_selector("#confirm-address")
    assert address in page.locator("#confirm-address").inner_text()
    assert page.locator("#confirm-superseded").count() == 0
    pdf = _download(page, page.locator("button[data-confirm=print]").click)
    assert len(_text(pdf)) == 5


def test_printing_again_names_the_certificates_it_would_revoke_and_asks(live_server, seed, new_page, sign_in):
    seeded = _marked(live_server, seed, public_url="https://results.example.org")
    page = _desk(new_page, sign_in, seeded)
    assert not page.locator("#qr-address .warn").count()
    first = _download(page, page.locator(f"#skill-{seeded.skill} header form button").click)  # nothing to confirm
    numbers = sorted(set(re.findall(r"E2E-\d+-\d{5}", " ".join(_text(first)))))
    assert len(numbers) == 5
    from competition.extensions import db
    from competition.models import Certificate, Event
    from competition.services.certificates import save_settings

    with live_server.transaction():
        event = db.session.scalar(db.select(Event).where(Event.code == seeded.event))
        save_settings(event, language="en", layout="participation", organiser_name="The Organiser")
    page.goto(f"/certificates/{seeded.event}")
    page.locator(f"#skill-{seeded.skill} header form button").click()
    listed = page.locator("#confirm-superseded")
    listed.wait_for()
    text = listed.inner_text()
    assert all(number in text for number in numbers) and "Wang Fang" in text and "Owen Jones" in text
    page.get_by_role("link", name="Cancel").click()
    with live_server.transaction():
        assert not db.session.scalar(db.select(Certificate).where(Certificate.revoked_at.is_not(None), Certificate.number.in_(numbers)))
    page.locator(f"#skill-{seeded.skill} header form button").click()
    again = _download(page, page.locator("button[data-confirm=print]").click)
    assert "The Organiser" in _text(again)[0]
    with live_server.transaction():
        revoked = db.session.scalars(db.select(Certificate.number).where(Certificate.revoked_at.is_not(None))).all()
        assert set(numbers) <= set(revoked)


def test_no_medal_certificate_while_the_skill_has_competitors_not_locked(live_server, seed, new_page, sign_in):
    seeded = _marked(live_server, seed, lock=("T-01", "T-02", "T-03", "T-04"), public_url="https://results.example.org")
    page = _desk(new_page, sign_in, seeded)
    section = page.locator(f"#skill-{seeded.skill}")
    assert section.locator("header form button").is_disabled()
    assert "No certificates yet" in section.inner_text()
    assert section.locator("td.actions form button").count() == 0, "no Print button for a single competitor either"
    token = page.locator("input[name=csrf_token]").first.input_value()
    answer = page.request.post(f"/certificates/{seeded.event}/print",
                               form={"csrf_token": token, "competitor": str(seeded.competitors["T-01"])})
    assert answer.headers["content-type"].startswith("text/html")
    assert "No certificates for" in answer.text() and "Chloe Martin" in answer.text()


def test_the_verify_page_names_the_certificate_as_printed(live_server, seed, new_page, sign_in):
    seeded = _marked(live_server, seed, public_url="https://results.example.org")
    from competition.extensions import db
    from competition.models import Certificate, Event
    from competition.services.certificates import certificate_data, save_settings

    with live_server.transaction():  # recognition of competence for everyone: no medal on the paper
        save_settings(db.session.scalar(db.select(Event).where(Event.code == seeded.event)), language="en", layout="participation",
                      organiser_name="")
    page = _desk(new_page, sign_in, seeded)
    expected = (("T-01", "Certificate of Competence", "Gold Medal"), ("T-03", "Certificate of Participation", "Bronze Medal"))
    for code, title, medal in expected:
        row = page.locator(f"#skill-{seeded.skill} tr", has_text=code)
        printed = _text(_download(page, row.locator("td.actions form button").click))[0]
        assert title in printed and medal not in printed
        with live_server.transaction():
            cert = db.session.scalar(db.select(Certificate).where(Certificate.competitor_id == seeded.competitors[code]))
            path = "/verify/" + certificate_data(cert).verify_url.rsplit("/verify/", 1)[1]
        verify = new_page({"width": 390, "height": 844})
        verify.goto(path)
        assert verify.locator(".cert-title").inner_text() == title
        assert medal not in verify.locator("main").inner_text()
        page.goto(f"/certificates/{seeded.event}")


def test_the_download_button_stays_hidden_while_the_batch_runs(live_server, seed, new_page, sign_in):
    seeded = _marked(live_server, seed, public_url="https://results.example.org")
    from competition.extensions import db
    from competition.models import CertificateBatch, Event
    from competition.models.certificates import RUNNING

    with live_server.transaction():
        event = db.session.scalar(db.select(Event).where(Event.code == seeded.event))
        batch = CertificateBatch(event_id=event.id, label="running", status=RUNNING, done=2, total=5)
        db.session.add(batch)
        db.session.flush()
        batch_id = batch.id
    page = new_page(DESK)
    sign_in(page, seeded.organiser)
    page.goto(f"/certificates/batches/{batch_id}")
    download = page.locator("[data-field=download]")
    assert download.get_attribute("hidden") is not None
    page.wait_for_timeout(1000)  # the page has polled the status at least once
    assert not download.is_visible() and download.evaluate("e => getComputedStyle(e).display") == "none"
