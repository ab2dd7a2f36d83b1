"""The REST API (/api/v1/) with its OpenAPI schema. Each domain adds a router module.

Two ways in, one scope: the web session (same login; request.scope from the
ActingScopeMiddleware, CSRF checked on writes) or a personal API token,
`Authorization: Bearer dvk_…` (api/tokens.py; no CSRF, no cookie), which acts for the
membership chosen when it was made. Either way the API filters exactly like the UI.
Requests are rate-limited per user (DVK_API_RATE), unauthenticated ones per address.
"""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from dvk.common import ratelimit
from dvk.common.rules import ROLE, Refused

from . import tokens

UNAUTHENTICATED = "Cần đăng nhập, hoặc gửi khóa API hợp lệ (Authorization: Bearer …)."


class TokenAuth(HttpBearer):
    """A personal API token. A Bearer header that names no valid token is refused (401);
    it never falls back to the session."""

    def __call__(self, request):
        scheme, _, raw = (request.headers.get("Authorization") or "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        return self.authenticate(request, raw.strip())

    def authenticate(self, request, token):
        found = tokens.authenticate(token)
        if found is None:
            raise AuthenticationError
        api_token, scope = found
        ratelimit.limit("api", f"user:{api_token.user_id}")
        request.user = api_token.user
        request.scope = scope
        request.api_token = api_token
        return api_token


class ApiSessionAuth(SessionAuth):
    """The browser's session; ninja checks CSRF on unsafe methods first."""

    def authenticate(self, request, key):
        if not request.user.is_authenticated:
            return None
        ratelimit.limit("api", f"user:{request.user.pk}")
        return request.user


api = NinjaAPI(
    title="DVK API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), ApiSessionAuth()],
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


# pydantic's own reasons, in Vietnamese; our validators (common/payload) already speak it.
VI_REASONS = {
    "missing": "bắt buộc phải có", "int_parsing": "phải là số nguyên",
    "int_type": "phải là số nguyên", "int_from_float": "phải là số nguyên",
    "float_parsing": "phải là số", "bool_parsing": "phải là đúng hoặc sai",
    "string_type": "phải là chữ", "string_too_long": "quá dài",
    "date_parsing": "phải là ngày dạng yyyy-mm-dd", "date_from_datetime_parsing":
    "phải là ngày dạng yyyy-mm-dd", "literal_error": "không thuộc các giá trị cho phép",
    "enum": "không thuộc các giá trị cho phép", "greater_than_equal": "nhỏ hơn giới hạn",
    "less_than_equal": "lớn hơn giới hạn", "json_invalid": "không phải JSON hợp lệ",
    "list_type": "phải là danh sách", "dict_type": "phải là một đối tượng",
    "model_attributes_type": "phải là một đối tượng",
}


@api.exception_handler(ValidationError)
def invalid(request, exc: ValidationError):
    """422 with django-ninja's `detail` list (clients rely on its `loc`), each `msg` in
    Vietnamese naming the field, and the whole as one sentence in `message`."""
    errors = []
    for error in exc.errors:
        field = next((str(p) for p in reversed(error.get("loc", ())) if isinstance(p, str)), "")
        reason = VI_REASONS.get(error.get("type"))
        msg = f"«{field}» {reason}." if reason and field else error.get("msg", "")
        errors.append({**error, "msg": msg})
    message = "Dữ liệu gửi lên chưa hợp lệ: " + " ".join(e["msg"] for e in errors)
    return api.create_response(request, {"detail": errors, "message": message,
                                         "code": "invalid"}, status=422)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": ROLE.message, "code": ROLE.code}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Không tìm thấy."}, status=404)


@api.exception_handler(ratelimit.RateLimited)
def rate_limited(request, exc: ratelimit.RateLimited):
    response = api.create_response(
        request, {"detail": ratelimit.message(exc.wait), "code": "rate_limited"}, status=429)
    response["Retry-After"] = str(exc.wait)
    return response


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    """401 in Vietnamese; unauthenticated requests count against their address's limit, so
    guessing tokens is as slow as the rate says."""
    try:
        ratelimit.limit("api", f"ip:{ratelimit.client_address(request)}")
    except ratelimit.RateLimited as limited:
        return rate_limited(request, limited)
    return api.create_response(request, {"detail": UNAUTHENTICATED, "code": "unauthenticated"},
                               status=401)
