"""The one refusal handler of the screens.

A service or the rule book refuses with dvk.common.rules.Refused. A view that has a form to
re-render catches it and puts the message on the form; every other view lets it through,
and this middleware answers as the rule says: outside the subtree → the 404 page (nobody
learns the object exists), a role or level that may not act → the 403 page with the reason,
a state or input problem → the reason as a message, back on the page the user came from.
The API has its own handler (dvk.api.base), with the same statuses.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import get_resolver
from django.utils.http import url_has_allowed_host_and_scheme

from .rules import Refused
from .scoping import enforcing


class ScopedRequestMiddleware:
    """Every request reads user-facing models only through a scope (common/scoping.py),
    whatever the calling thread allowed (the test suite's set-up, a command)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with enforcing():
            return self.get_response(request)


class RefusalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exc):
        if not isinstance(exc, Refused) or request.path.startswith("/api/"):
            return None
        if exc.status in (403, 404):
            # The project's own 403/404 pages (also under DEBUG), as if the view had raised.
            error = Http404(exc.message) if exc.status == 404 else PermissionDenied(exc.message)
            handler = get_resolver(getattr(request, "urlconf", None)).resolve_error_handler(
                exc.status)
            return handler(request, exception=error)
        messages.error(request, exc.message)
        back = request.POST.get("next") or request.META.get("HTTP_REFERER") or ""
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
            back = "/"
        return redirect(back)
