"""``Cache-Control: no-store`` on every answer the platform builds: pages, API answers and
downloads all carry personal data, which no browser or proxy cache may keep. Static files
(served by WhiteNoise before this middleware runs) keep their long cache headers."""

from __future__ import annotations

NO_STORE = "no-store"


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            response["Cache-Control"] = NO_STORE
            response.headers.pop("Expires", None)
        return response
