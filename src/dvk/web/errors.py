"""Error pages in the app's language and look, each with a way back to the home page.

403 and 404 render inside the full layout (menu, user). 400, 500 and the CSRF failure page use
errors/standalone.html, which needs neither the request nor the database: whatever failed may
be exactly one of those.
"""
from django.conf import settings
from django.http import Http404, HttpResponseServerError
from django.template import loader
from django.urls import get_resolver
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def server_error(request):
    try:
        html = loader.render_to_string("500.html")
    except Exception:  # the page must still say something if templates or static files fail
        html = (f"<!doctype html><title>500</title><h1>{_('Server error')}</h1>"
                f"<p><a href=\"/\">{_('Back to the home page')}</a></p>")
    return HttpResponseServerError(html)


def not_found_response(request, exception):
    handler = get_resolver(getattr(request, "urlconf", None)).resolve_error_handler(404)
    return handler(request, exception=exception)


class FriendlyNotFoundMiddleware:
    """The app's 404 page under DEBUG too.

    With DEBUG on (`make run`'s development server) Django answers a 404 with its technical
    page listing the URL patterns; demo users following a link to an object outside their
    scope would see it. A view's Http404 and an address no URL matches both get handler404,
    exactly as with DEBUG off; other errors keep Django's debugging pages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # No resolver match: the address matched no URL, the page above is the technical one.
        if settings.DEBUG and response.status_code == 404 and request.resolver_match is None:
            return not_found_response(request, Http404())
        return response

    def process_exception(self, request, exception):
        if settings.DEBUG and isinstance(exception, Http404):
            return not_found_response(request, exception)
        return None
