"""What every service module shares: refusing with a Vietnamese message."""
from __future__ import annotations

from ..workflow import TransitionRefused


def _refuse(message: str, status: int = 400, code: str = "invalid"):
    raise TransitionRefused(message, status=status, code=code)


def _user(actor):
    return actor if (actor is not None and getattr(actor, "is_authenticated", False)) else None
