"""Rate limits: a fixed-window counter per (limit, client) in Django's cache.

A rate is "N/period" with period s, m, h or d ("120/m", "20/min", "1000/h"); empty, "0"
or "off" turns the limit off. Each window is one cache key created with `add` and counted
with `incr`, both atomic in Redis (shared by every app server when CACHE_URL/REDIS_URL is
set, settings.py) and in the local-memory cache (one process). A client may send up to
twice the rate across a window boundary; that is the price of one key per window.

`hit(name, client)` counts one request and answers how long to wait when the limit is
exceeded (None otherwise). The client is whatever identifies the caller (an address, a
user); it is hashed, so any text is a valid key.
"""
from __future__ import annotations

import hashlib
import ipaddress
import math
import time

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured

PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400,
           "day": 86400}
# The setting that holds each limit's rate.
LIMITS = {"api": "DVK_API_RATE", "login": "DVK_LOGIN_RATE"}


class RateLimited(Exception):
    """Too many requests: answered 429 with Retry-After (the API's handler, the login view)."""

    def __init__(self, wait: int):
        self.wait = wait
        super().__init__(f"rate limited, retry after {wait} s")


def message(wait: int) -> str:
    return f"Quá nhiều yêu cầu trong thời gian ngắn. Vui lòng thử lại sau {wait} giây."


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    """"120/m" → (120, 60); None when the limit is off."""
    text = (rate or "").strip().lower()
    if text in ("", "0", "off", "none"):
        return None
    count, slash, period = text.partition("/")
    unit = period.lstrip("0123456789") or "s"
    multiple = period[:len(period) - len(unit)] or "1"
    if not slash or not count.isdigit() or unit not in PERIODS or not multiple.isdigit():
        raise ImproperlyConfigured(f"rate {rate!r}: expected N/s, N/m, N/h or N/d, e.g. 120/m")
    if int(count) == 0:
        return None
    return int(count), int(multiple) * PERIODS[unit]


def _now() -> float:
    return time.time()


def rate_of(name: str) -> tuple[int, int] | None:
    return parse_rate(getattr(settings, LIMITS[name], ""))


def hit(name: str, client: str) -> int | None:
    """Count one request of `client` against limit `name`; seconds to wait when over it."""
    rate = rate_of(name)
    if rate is None:
        return None
    limit, period = rate
    now = _now()
    window = int(now // period)
    digest = hashlib.sha256(client.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    key = f"dvk:rate:{name}:{digest}:{window}"
    cache = caches[getattr(settings, "DVK_RATE_LIMIT_CACHE", "default")]
    cache.add(key, 0, timeout=period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period + 1)
        count = 1
    if count <= limit:
        return None
    return max(1, math.ceil((window + 1) * period - now))


def limit(name: str, client: str) -> None:
    """Count one request; raise RateLimited when over the limit."""
    wait = hit(name, client)
    if wait is not None:
        raise RateLimited(wait)


def client_address(request) -> str:
    """The client's address, for the rate limits and the sign-in lockout alike
    (AXES_CLIENT_IP_CALLABLE). Behind DVK_PROXY_COUNT reverse proxies, each appending the
    address it received from to X-Forwarded-For, the client is the Nth entry from the right;
    entries further left are whatever the client sent and are never believed."""
    remote = request.META.get("REMOTE_ADDR") or ""
    proxies = getattr(settings, "DVK_PROXY_COUNT", 0)
    if proxies:
        chain = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                 if a.strip()]
        if len(chain) >= proxies and _is_address(chain[-proxies]):
            return chain[-proxies]
    return remote if _is_address(remote) else "0.0.0.0"


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
