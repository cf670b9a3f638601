"""Security headers on every answer, and the proxy in front of Podium.

Why: before this any site could frame the chief expert's unlock and override forms and the
ceremony remote, nothing stopped an injected script from running, and behind nginx every mark
revision recorded the proxy's address instead of the tablet's.

Rules:
- every response — pages, errors, static files, the service worker — carries a Content-Security-
  Policy with scripts from Podium only (no inline script: the JSON data blocks,
  ``type="application/json"``, are data, not script), no framing (``frame-ancestors 'none'`` and
  ``X-Frame-Options: DENY``; boards are opened as pages, never framed), ``nosniff`` and
  ``Referrer-Policy: same-origin``. A view that sets a header itself keeps its value (the one-time
  sign-in link's page sends ``no-referrer``);
- style attributes (progress bars' widths, organisation colours) are allowed, ``<style>``
  elements are not where the browser knows ``style-src-elem``;
- Socket.IO connects to the page's own host (``ws:``/``wss:`` there only);
- ``X-Forwarded-For``/``-Proto``/``-Host`` are believed only from as many proxies as
  ``PODIUM_TRUSTED_PROXIES`` says (nginx in front: 1); unset or 0, they are ignored, as a client
  could send them itself.
"""

from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; style-src-elem 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self' {sockets}; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def content_security_policy() -> str:
    host = request.host
    return POLICY.format(sockets=f"ws://{host} wss://{host}")


def init_app(app: Flask) -> None:
    proxies = int(app.config.get("PODIUM_TRUSTED_PROXIES") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies)

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response
