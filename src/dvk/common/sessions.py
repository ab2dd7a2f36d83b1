"""Sliding sessions without a database write on every request.

Sessions end after SESSION_COOKIE_AGE idle seconds. Django's SESSION_SAVE_EVERY_REQUEST
gets that by rewriting the session row (a transaction and a WAL flush) on every page,
which under load costs as much as a list's own queries. Instead the session is saved
again only when it was last saved more than REFRESH_SECONDS ago: the idle limit then
holds to within those few minutes.
"""
import time

from django.conf import settings

REFRESH_SECONDS = 300
KEY = "_dvk_refreshed"


class SlidingSessionMiddleware:
    """Inside SessionMiddleware, so its mark is seen when the response goes out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():  # anonymous: nothing to keep alive
            return response
        now = int(time.time())
        refresh = min(REFRESH_SECONDS, settings.SESSION_COOKIE_AGE // 10)
        if now - session.get(KEY, 0) >= refresh:
            session[KEY] = now  # marks it modified: SessionMiddleware saves it
        return response
