"""A finer sample of the models' folded titles for PostgreSQL's planner.

With the default statistics (100), a word such as "4711" in `search_text LIKE '%4711%'` was
estimated to match 1 % of a million models (300 do): the planner then walked the whole
registrations list checking each model's title instead of asking the trigram index, and the
search took 0.9 s instead of 10 ms. 1,000 gives an estimate of 100. SQLite has no such
setting (and no trigram index)."""
from django.db import migrations

TABLE, COLUMN = "initiatives_initiative", "search_text"


def finer(apps, schema_editor, target=1000):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'ALTER TABLE "{TABLE}" ALTER COLUMN "{COLUMN}" SET STATISTICS {target}')
    schema_editor.execute(f'ANALYZE "{TABLE}" ("{COLUMN}")')


def default(apps, schema_editor):
    finer(apps, schema_editor, target=-1)


class Migration(migrations.Migration):

    dependencies = [
        ('initiatives', '0012_awarded_flag'),
    ]

    operations = [migrations.RunPython(finer, default)]
