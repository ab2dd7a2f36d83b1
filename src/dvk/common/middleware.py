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
from django.http import Http404, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect
from django.urls import get_resolver
from django.utils.http import url_has_allowed_host_and_scheme

from .payload import UNSTORABLE
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


def _cleaned(params: QueryDict) -> QueryDict:
    """The same parameters without UNSTORABLE characters (the object itself if none)."""
    if not any(UNSTORABLE.search(k) or any(UNSTORABLE.search(v) for v in values)
               for k, values in params.lists()):
        return params
    out = QueryDict(mutable=True, encoding=params.encoding)
    for key, values in params.lists():
        out.setlist(UNSTORABLE.sub("", key), [UNSTORABLE.sub("", v) for v in values])
    out._mutable = False
    return out


class CleanInputMiddleware:
    """The edge for characters no page can store or show: every query-string parameter and
    every field of a form POST (and an uploaded file's name) reaches the views without
    UNSTORABLE characters, so no filter, form or service sees a NUL byte or a lone surrogate.
    They are dropped, not refused: a browser never sends them on purpose (a pasted control
    character is invisible), and each view then answers the rest as usual. JSON bodies are
    checked by the API schemas instead (common/payload.Text, a 422 naming the field), and
    the API's bodies are left to it."""

    FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = _cleaned(request.GET)
        # The API reads its own bodies (JSON, checked by the schemas; a multipart body read
        # here could no longer be read as JSON there).
        if request.method == "POST" and request.content_type in self.FORMS \
                and not request.path.startswith("/api/"):
            try:
                request.POST = _cleaned(request.POST)
            except MultiPartParserError:  # a broken body: the views see it empty, as before
                return self.get_response(request)
            for _key, uploads in request.FILES.lists():
                for upload in uploads:
                    if UNSTORABLE.search(upload.name or ""):
                        upload.name = UNSTORABLE.sub("", upload.name) or "tep"
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
