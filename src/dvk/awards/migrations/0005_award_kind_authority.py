"""Fill the new facts of the award kinds (seed 003 §III.4) and of existing awards.

giấy khen: the Party committee of the same level, at every level below the province;
bằng khen: the provincial People's Committee, at the provincial level, on the committee's
proposal; cờ thi đua: the provincial People's Committee, to collectives (units) only.
Kinds added by hand keep the defaults (every level, Party committee, every recipient).
Awards without a registration went to a unit.
"""
from django.db import migrations

KINDS = {
    "giay-khen": {"given_at": "below_top", "authority": "party_committee",
                  "to_models": True, "to_units": True, "to_people": True},
    "bang-khen": {"given_at": "top", "authority": "peoples_committee",
                  "to_models": True, "to_units": True, "to_people": True},
    "co-thi-dua": {"given_at": "top", "authority": "peoples_committee",
                   "to_models": False, "to_units": True, "to_people": False},
}


def fill(apps, schema_editor):
    AwardKind = apps.get_model("awards", "AwardKind")
    Award = apps.get_model("awards", "Award")
    for code, values in KINDS.items():
        AwardKind.objects.filter(code=code).update(**values)
    Award.objects.filter(registration__isnull=True).update(recipient_type="unit")


def unfill(apps, schema_editor):
    pass  # the columns go away with 0004


class Migration(migrations.Migration):
    dependencies = [("awards", "0004_proposals_and_decisions")]
    operations = [migrations.RunPython(fill, unfill)]
