"""Personal API tokens: a script calls the API as its user, acting for one membership.

The token itself is shown once, when it is created; only its SHA-256 digest is kept (a
token is 256 random bits, so a plain hash is enough, and a look-up is one indexed read).
It stops working when revoked, when it expires, when its membership ends or when its user
is deactivated (api/tokens.py: `authenticate`).
"""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens", verbose_name=_("user"))
    # The role and unit the token acts for. Empty only for a superuser's whole-system token.
    membership = models.ForeignKey("orgs.Membership", on_delete=models.CASCADE, null=True,
                                   blank=True, related_name="api_tokens",
                                   verbose_name=_("acting as"))
    name = models.CharField(_("name"), max_length=100)
    # The token's first characters, to recognise it in the list ("dvk_AbC1…").
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created on"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()
