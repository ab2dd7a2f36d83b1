from django.db import migrations

KINDS = [("giay-khen", "Giấy khen"), ("bang-khen", "Bằng khen"), ("co-thi-dua", "Cờ thi đua")]


def add_kinds(apps, schema_editor):
    AwardKind = apps.get_model("awards", "AwardKind")
    for order, (code, name) in enumerate(KINDS, start=1):
        AwardKind.objects.update_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]
    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
