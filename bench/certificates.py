"""Certificate printing speed and memory: ``python -m bench.certificates [--pages 1000]``.

Draws a batch of certificates with Chinese names and QR codes through the real renderer
(``competition.certificates.render``), then, in the same process, the same strings and the
same QR codes on a bare ReportLab canvas (the baseline), and reports pages per second for
both, their ratio and the peak memory (RSS) of the real run. Pinned to one CPU core.

Targets (issue 5): ≥ 100 pages/s, ≥ 0.7 × the baseline, 4,000 pages in < 256 MB RSS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from competition.certificates.content import MEDAL, PARTICIPATION, ZH, CertificateData, format_dates, result_label, title_of, words
from competition.certificates.fonts import load_fonts
from competition.certificates.qr import draw_qr
from competition.certificates.render import StreamingCanvas, write_certificates
from competition.certificates.tokens import verify_url

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国玉兰梅鑫波斌宇浩凯晨轩子涵欣怡梓"
    "萱雨泽博文思远志鹏晓东海燕红霞春梅丹丹佳琪俊杰嘉怡家豪"
)
UNITS = ("Work organisation and management", "Communication and interpersonal skills", "Design and planning",
         "Installation and commissioning", "Measurement and quality control", "Fault finding and repair")
SECRET = "benchmark-secret"


def certificates(pages: int, seed: int = 5) -> Iterator[CertificateData]:
    """Synthetic certificates: Chinese names, both languages and layouts, a unique signed URL each."""
    rng = random.Random(seed)
    for i in range(pages):
        number = f"BENCH-2026-{i + 1:05d}"
        result = rng.choice(("gold", "silver", "bronze", "medallion", None, None, None, None))
        yield CertificateData(
            number=number, verify_url=verify_url("https://results.example.org", number, SECRET),
            language=ZH if i % 2 else "en", layout=MEDAL if result else PARTICIPATION,
            competitor_name=rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
            organisation=rng.choice(("Guangdong 广东", "Jiangsu 江苏", "Shanghai 上海", "Zhejiang 浙江")),
            skill_name=rng.choice(("Electrical Installation 电气安装", "CNC Milling", "Port Logistics")),
            event_name="Podium Skills Championship 2026", place="Shenzhen World Exhibition & Convention Center",
            starts_on=dt.date(2026, 11, 24), ends_on=dt.date(2026, 11, 27), result=result, standardised=rng.randint(560, 880),
            units=tuple(u for u in UNITS if rng.random() < 0.6), chief_expert="Maria Keller", organiser="Olivia Grant",
        )


def baseline(items, out: str, canvas_class=Canvas) -> int:
    """The same strings and QR codes on a bare canvas: one font per string, fixed positions."""
    fonts = load_fonts()
    width, height = landscape(A4)
    canvas = canvas_class(out, pagesize=(width, height), pageCompression=1)
    pages = 0
    for data in items:
        w = words(data.language)
        dates = format_dates(data.starts_on, data.ends_on, data.language)
        strings = (data.event_name, title_of(data), w["certify"], data.competitor_name, data.organisation,
                   result_label(data.result, data.language), f"{data.skill_name} {data.event_name}", f"{data.place} {dates}",
                   w["standardised"].format(score=data.standardised), w["units"], "  ·  ".join(data.units),
                   data.chief_expert, data.organiser, w["chief_expert"], w["organiser"], f"{w['number']} {data.number}")
        y = height - 80
        for text in strings:
            canvas.setFont(fonts.cjk or fonts.sans, 12)
            canvas.drawCentredString(width / 2, y, text)
            y -= 28
        draw_qr(canvas, data.verify_url, width - 134, 58, 74)
        canvas.showPage()
        pages += 1
    canvas.save()
    return pages


def _rate(run) -> float:
    started = time.perf_counter()
    pages = run()
    return pages / (time.perf_counter() - started)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports kB


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000, help="certificates in the batch (default 1000)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the bare-canvas baseline")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, the best counts (default 3)")
    parser.add_argument("--keep", type=Path, help="keep the rendered PDF at this path")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    fonts = load_fonts()
    print(f"CJK font: {fonts.cjk_path or 'NONE (Chinese prints as ?)'}; pages: {args.pages}; Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        out = str(args.keep or Path(tmp) / "podium.pdf")
        start_rss = peak_rss_mb()
        ours = _rate(lambda: write_certificates(certificates(args.pages), out))
        peak = peak_rss_mb()  # before anything else runs: the real renderer's peak
        size = os.path.getsize(out) / 1e6
        runs = {"ours": [ours], "bare": [], "bare-streaming": []}
        for _ in range(args.repeat):  # interleaved, best of each: a busy machine hurts both alike
            if not args.no_baseline:
                runs["bare"].append(_rate(lambda: baseline(certificates(args.pages), str(Path(tmp) / "b.pdf"))))
                runs["bare-streaming"].append(_rate(lambda: baseline(certificates(args.pages), str(Path(tmp) / "c.pdf"), StreamingCanvas)))
            if len(runs["ours"]) < args.repeat:
                runs["ours"].append(_rate(lambda: write_certificates(certificates(args.pages), out)))
        ours = max(runs["ours"])
        print(f"podium renderer : {ours:8.1f} pages/s   {args.pages} pages, {size:.1f} MB PDF, "
              f"peak RSS {peak:.0f} MB (process before: {start_rss:.0f} MB); best of {len(runs['ours'])}")
        ok = ours >= 100 and (args.pages < 4000 or peak < 256)
        if not args.no_baseline:
            base, fair = max(runs["bare"]), max(runs["bare-streaming"])
            print(f"bare canvas     : {base:8.1f} pages/s   (same strings and QR codes, stock ReportLab Canvas)")
            print(f"ratio           : {ours / base:8.2f} x baseline")
            print(f"bare canvas, compressing each page as ours does: {fair:.1f} pages/s (ratio {ours / fair:.2f})")
            ok = ok and ours / base >= 0.7
    print("targets (>= 100 pages/s, >= 0.7 x baseline, < 256 MB for 4,000 pages):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
