"""Publishing and withdrawing a model's photos (the gallery's one door for writes)."""
from __future__ import annotations

from django.db import transaction

from dvk.common import history
from dvk.common.rules import check

from .models import GalleryPhoto
from .rules import model_of


def publish_photo(attachment, *, scope) -> GalleryPhoto:
    check("gallery.publish", scope, attachment)
    model = model_of(attachment)
    with transaction.atomic():
        photo, created = GalleryPhoto.objects.get_or_create(
            attachment=attachment,
            defaults={"initiative": model, "published_by": _user(scope.user)})
        if created:
            history.record(model, "gallery_publish", actor=scope.user,
                           comment=attachment.original_name)
    return photo


def withdraw_photo(attachment, *, scope) -> None:
    check("gallery.publish", scope, attachment)
    model = model_of(attachment)
    with transaction.atomic():
        deleted, _ = GalleryPhoto.objects.filter(attachment=attachment).delete()
        if deleted:
            history.record(model, "gallery_withdraw", actor=scope.user,
                           comment=attachment.original_name)


def _user(user):
    return user if getattr(user, "is_authenticated", False) else None
