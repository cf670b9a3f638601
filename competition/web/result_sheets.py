"""Checking a printed result sheet (/results/verify/<hash>): anyone who scans its QR code, or
types the document number printed under it, sees which skill and event it was printed from,
when, whether it was provisional, and whether the skill's results have changed since."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from competition.services.result_sheets import MIN_PREFIX, find_sheet

bp = Blueprint("result_sheets", __name__)


@bp.get("/results/verify")
def lookup():
    """The form under the page: a document number typed in."""
    reference = (request.args.get("hash") or "").strip().lower()
    if reference:
        return redirect(url_for(".verify", reference=reference))
    return render_template("results/sheet_verify.html", found=None, reference="", min_prefix=MIN_PREFIX)


@bp.get("/results/verify/<reference>")
def verify(reference: str):
    found = find_sheet(reference)
    response = render_template("results/sheet_verify.html", found=found, reference=reference, min_prefix=MIN_PREFIX)
    return response, 200 if found else 404, {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
