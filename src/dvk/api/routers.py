"""Mount each domain's router. One line per domain; routers live next to their domain."""
from .base import api
from dvk.orgs.api import router as orgs_router

api.add_router("/", orgs_router)
