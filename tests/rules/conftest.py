"""The annual-cycle fixtures (a fresh Định Hòa model at every step) serve the rule book too."""
from tests.initiatives.conftest import *  # noqa: F401,F403
