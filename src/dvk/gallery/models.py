"""Which photos of a recognised model the public gallery shows.

An attachment is uploaded for the committee's file (photos, scans of certified reports,
Word forms) and is private to the unit's subtree. A photo reaches the public only when a
committee's secretariat publishes it here: a recognised model's images are not public by
default, since a scan or a picture of people may not be meant for everyone.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dvk.initiatives.models import Attachment, Initiative


class GalleryPhoto(models.Model):
    """A published photo. Public by construction (that is what the row says); the gallery
    still shows it only while its model is recognised (initiatives.queries)."""

    attachment = models.OneToOneField(Attachment, on_delete=models.CASCADE,
                                      related_name="gallery_photo", verbose_name=_("attachment"))
    # The model the photo illustrates: the attachment's own, or its registration's.
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("model"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("published by"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        ordering = ["published_at", "id"]
        verbose_name = _("gallery photo")
        verbose_name_plural = _("gallery photos")

    def __str__(self):
        return str(self.attachment)
