"""Hypothesis profiles: "ci" (the default, bounded: `make test`) and "soak" (`make soak`,
HYPOTHESIS_PROFILE=soak). No example database is kept (the suite leaves nothing behind)."""
import os

from hypothesis import HealthCheck, settings

_COMMON = dict(deadline=None, database=None, derandomize=False,
               suppress_health_check=[HealthCheck.function_scoped_fixture,
                                      HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("ci", max_examples=15, **_COMMON)
settings.register_profile("soak", max_examples=600, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def soak_examples(ci: int) -> int:
    """How many examples a test runs: its own bound in `make test`, the profile's in soak."""
    return settings.default.max_examples if os.environ.get("HYPOTHESIS_PROFILE") == "soak" \
        else ci
