"""`acting("dinhhoa.vanthu")` → the Scope that user acts with (their first membership), for
tests that call services directly; services take the scope, never a bare user."""


def acting(who, membership=None):
    from django.contrib.auth import get_user_model

    from dvk.orgs.scope import scope_for

    user = get_user_model().objects.get(username=who) if isinstance(who, str) else who
    return scope_for(user, getattr(membership, "pk", membership))


def command_line():
    """The scope `dvk import_registrations` acts with: the whole tree, said why."""
    from dvk.orgs.scope import Scope

    return Scope.system("tests import as the command line does")
