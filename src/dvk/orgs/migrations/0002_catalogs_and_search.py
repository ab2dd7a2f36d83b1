from django.db import migrations

SECTORS = [
    ("dang", "Đảng", False),
    ("chinh-quyen", "Chính quyền", False),
    ("mat-tran-doan-the", "Mặt trận - Đoàn thể", True),
    ("hoi-quan-chung", "Hội quần chúng", True),
    ("quan-su", "Quân sự", False),
    ("cong-an", "Công an", False),
    ("bien-phong", "Biên phòng", False),
    ("doanh-nghiep", "Doanh nghiệp", False),
    ("khac", "Khác", False),
]


def add_sectors(apps, schema_editor):
    Sector = apps.get_model("orgs", "Sector")
    for order, (code, name, mass) in enumerate(SECTORS, start=1):
        Sector.objects.update_or_create(
            code=code, defaults={"name": name, "order": order, "is_mass_organisation": mass})


def trigram_indexes(apps, schema_editor):
    # Accent-insensitive "contains" search on PostgreSQL uses trigram indexes on the
    # folded search column; SQLite scans the (much smaller) single-province tables.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS orgs_unit_search_trgm "
        "ON orgs_unit USING gin (search_text gin_trgm_ops)")


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS orgs_unit_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [
        migrations.RunPython(add_sectors, migrations.RunPython.noop),
        migrations.RunPython(trigram_indexes, drop_trigram_indexes),
    ]
