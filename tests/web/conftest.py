"""Fixtures for the web UI tests."""
import pytest


@pytest.fixture
def committee_of(db):
    """committee_of("KG-GQ", "2021-2025") → that unit's steering committee for the phase."""
    from dvk.phases.models import SteeringCommittee

    def get(unit_code, phase_code="2021-2025"):
        return SteeringCommittee.objects.select_related("unit", "phase").get(
            unit__code=unit_code, phase__code=phase_code)

    return get

