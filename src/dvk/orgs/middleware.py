from django.utils.functional import SimpleLazyObject

from .scope import scope_for

SESSION_KEY = "dvk_membership"


class ActingScopeMiddleware:
    """Attach request.scope: the unit and role the user currently acts for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = SimpleLazyObject(
            lambda: scope_for(request.user, request.session.get(SESSION_KEY))
        )
        return self.get_response(request)
