"""The REST API (/api/v1/) with its OpenAPI schema. Each domain adds a router module.

Authentication is the web session (same login, same scope); requests.scope comes from
the ActingScopeMiddleware, so the API filters exactly like the UI.
"""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.security import SessionAuth

from dvk.common.rules import ROLE, Refused

api = NinjaAPI(
    title="DVK API",
    version="1",
    urls_namespace="api",
    auth=SessionAuth(),
    docs_url="/docs",
    # The docs page and the schema are for signed-in users, like every route.
    docs_decorator=login_required,
)


@api.exception_handler(Refused)
def refused(request, exc: Refused):
    """The one refusal handler of the API: every rule-book or service refusal becomes
    {"detail": Vietnamese message, "code": reason code} with its status (403 inside the
    subtree, 404 outside it, 409 conflicting state, 400 invalid input)."""
    return api.create_response(request, {"detail": exc.message, "code": exc.code},
                               status=exc.status)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": ROLE.message, "code": ROLE.code}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Không tìm thấy."}, status=404)
