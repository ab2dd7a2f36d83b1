"""Every model gets a code: those created in the app (and imported without one) before
this migration get MH-0000123 from their id, as new ones do (initiatives/codes.py)."""
from django.db import IntegrityError, migrations, transaction
from django.db.models import Case, CharField, Q, Value, When
from django.db.models.functions import Cast, Concat, LPad

PREFIX, DIGITS = "MH-", 7


def fill(apps, schema_editor):
    Initiative = apps.get_model("initiatives", "Initiative")
    todo = Initiative.objects.filter(Q(code__isnull=True) | Q(code=""))
    digits = Cast("id", output_field=CharField())
    code = Concat(Value(PREFIX), Case(When(id__gte=10 ** DIGITS, then=digits),
                                      default=LPad(digits, DIGITS, Value("0")),
                                      output_field=CharField()), output_field=CharField())
    try:
        with transaction.atomic():
            todo.update(code=code)
            return
    except IntegrityError:  # a file already used one of these codes: one by one
        pass
    for pk in todo.values_list("pk", flat=True).order_by("pk").iterator():
        base, suffix = f"{PREFIX}{pk:0{DIGITS}d}", 1
        while True:
            candidate = base if suffix == 1 else f"{base}-{suffix}"
            if not Initiative.objects.filter(code=candidate).exclude(pk=pk).exists():
                Initiative.objects.filter(pk=pk).update(code=candidate)
                break
            suffix += 1


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0007_initiative_request_token")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
