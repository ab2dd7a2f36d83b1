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
from ninja.errors import AuthenticationError, HttpError, ValidationError
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
    "int_parsing_size": "quá lớn", "float_parsing": "phải là số", "float_type": "phải là số",
    "finite_number": "phải là số hữu hạn",
    "bool_parsing": "phải là đúng hoặc sai", "bool_type": "phải là đúng hoặc sai",
    "string_type": "phải là chữ", "string_too_long": "quá dài",
    "string_too_short": "quá ngắn", "too_long": "có quá nhiều phần tử",
    "date_parsing": "phải là ngày dạng yyyy-mm-dd", "date_type": "phải là ngày dạng yyyy-mm-dd",
    "date_from_datetime_parsing": "phải là ngày dạng yyyy-mm-dd",
    "date_from_datetime_inexact": "phải là ngày dạng yyyy-mm-dd",
    "literal_error": "không thuộc các giá trị cho phép",
    "enum": "không thuộc các giá trị cho phép", "greater_than_equal": "nhỏ hơn giới hạn",
    "less_than_equal": "lớn hơn giới hạn", "json_invalid": "không phải JSON hợp lệ",
    "list_type": "phải là danh sách", "dict_type": "phải là một đối tượng",
    "model_attributes_type": "phải là một đối tượng", "model_type": "phải là một đối tượng",
}
#: Any other reason pydantic may give: still Vietnamese, still naming the field.
VI_OTHER = "không hợp lệ"
#: django-ninja's own 400 for a body it cannot parse (English, "Cannot parse request body").
NOT_JSON = "Nội dung gửi lên không phải JSON hợp lệ."
#: The name of the schema argument of our routes (`payload: InitiativeIn`): in `loc`, after
#: where the value came from ("body", "query", "form", "file"…), it is not a field.
PAYLOAD = "payload"


def _reason(error: dict) -> str:
    """One error as a Vietnamese sentence naming its field: «title» quá dài."""
    if error.get("type") == "value_error":  # our validators' own message, naming the field
        return str((error.get("ctx") or {}).get("error") or error.get("msg", ""))
    field = next((str(p) for p in reversed(tuple(error.get("loc", ()))[1:])
                  if isinstance(p, str) and p != PAYLOAD), "")
    reason = VI_REASONS.get(error.get("type"), VI_OTHER)
    return f"«{field}» {reason}." if field else f"Nội dung gửi lên {reason}."


@api.exception_handler(ValidationError)
def invalid(request, exc: ValidationError):
    """422 with django-ninja's `detail` list (clients rely on its `loc`), each `msg` in
    Vietnamese naming the field, and the whole as one sentence in `message`."""
    errors = [{**error, "msg": _reason(error)} for error in exc.errors]
    for error in errors:  # `ctx` may hold the exception itself, which JSON cannot carry
        if "ctx" in error:
            error["ctx"] = {k: str(v) for k, v in error["ctx"].items()}
    message = "Dữ liệu gửi lên chưa hợp lệ: " + " ".join(e["msg"] for e in errors)
    return api.create_response(request, {"detail": errors, "message": message,
                                         "code": "invalid"}, status=422)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    """Our own HttpErrors are Vietnamese already; django-ninja's "Cannot parse request body"
    (a body that is not JSON) becomes so."""
    detail = str(exc)
    if detail.startswith("Cannot parse request body"):
        return api.create_response(request, {"detail": NOT_JSON, "code": "not_json"},
                                   status=exc.status_code)
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


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
