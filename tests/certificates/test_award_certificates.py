"""Prize bands and score levels print certificates of achievement naming the prize or level,
as medals do; Best of Nation is never a certificate's result."""

from __future__ import annotations

import io

from competition.services import certificates as service
from tests.certificates.helpers import final_event, need_cjk_font, pdf_pages_text
from tests.factories import TINY_SCHEME

PRIZE_SCHEME = TINY_SCHEME.replace('tie_break = ["B"]\n', 'tie_break = ["B"]\n\n[scheme.awards]\nrule = "prize_bands"\n')


def test_prize_bands_print_first_second_and_third_prize_certificates(app, tmp_path):
    # 5 competitors, shares 10 / 20 / 30 % cumulative: 0.5 → 1, 1.5 → 2, 3.0 → 3 (half up):
    # T-01 first prize, T-02 second, T-03 third, T-04 and T-05 no prize.
    setup = final_event(tmp_path, scheme=PRIZE_SCHEME)
    by_code = {c.code: c for c in setup["skill"].competitors}
    certs = {cert.competitor_id: cert for cert in service.issue(list(by_code.values()))}
    assert [(certs[by_code[code].id].result, certs[by_code[code].id].layout) for code in ("T-01", "T-02", "T-03", "T-04")] == [
        ("first_prize", "medal"), ("second_prize", "medal"), ("third_prize", "medal"), (None, "participation")]


def test_a_chinese_prize_certificate_reads_yi_deng_jiang(app, tmp_path):
    need_cjk_font()
    setup = final_event(tmp_path, scheme=PRIZE_SCHEME)
    service.save_settings(setup["event"], language="zh", layout="auto", organiser_name="")
    out = io.BytesIO()
    service.print_certificates(setup["event"], out, skill=setup["skill"])
    pages = pdf_pages_text(out.getvalue())
    assert "一等奖" in pages[0] and "二等奖" in pages[1] and "三等奖" in pages[2]


def test_an_english_prize_certificate_names_the_prize(app, tmp_path):
    setup = final_event(tmp_path, scheme=PRIZE_SCHEME)
    out = io.BytesIO()
    service.print_certificates(setup["event"], out, skill=setup["skill"])
    pages = pdf_pages_text(out.getvalue())
    assert "FIRST PRIZE" in pages[0] and "SECOND PRIZE" in pages[1] and "Certificate of Participation" in pages[3]
