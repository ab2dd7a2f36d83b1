"""The password policy's validators (AUTH_PASSWORD_VALIDATORS) with messages of our own.

Django's checks, worded for this app and translated in its catalogue: Django 5.2's length
message ("…at least %d characters") has no Vietnamese translation in Django's own
catalogue, so it showed in English; the similarity message named the field by Django's
verbose name ("Tên đăng nhập", "Họ", "địa chỉ email", mixed case). Demo and test accounts
get their passwords directly (set_password), which no validator sees.
"""
from django.contrib.auth import password_validation as django_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# What the similarity message calls each attribute a password is compared with.
ATTRIBUTE_NAMES = {
    "username": gettext_lazy("your username"),
    "first_name": gettext_lazy("your name"),
    "last_name": gettext_lazy("your name"),
    "email": gettext_lazy("your email address"),
}


class MinimumLengthValidator(django_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext("This password is too short: it must have at least %(min)d character.",
                        "This password is too short: it must have at least %(min)d characters.",
                        self.min_length) % {"min": self.min_length}

    def get_help_text(self):
        return ngettext("At least %(min)d character.", "At least %(min)d characters.",
                        self.min_length) % {"min": self.min_length}


class UserAttributeSimilarityValidator(django_validation.UserAttributeSimilarityValidator):
    def validate(self, password, user=None):
        # Django's check, one attribute at a time, to name the attribute in our words.
        for attribute in self.user_attributes:
            try:
                django_validation.UserAttributeSimilarityValidator(
                    (attribute,), self.max_similarity).validate(password, user)
            except ValidationError:
                raise ValidationError(
                    _("The password is too similar to %(what)s.")
                    % {"what": ATTRIBUTE_NAMES.get(attribute, attribute)},
                    code="password_too_similar") from None

    def get_help_text(self):
        return _("Not like your username, name or email address.")


class CommonPasswordValidator(django_validation.CommonPasswordValidator):
    def get_error_message(self):
        return _("This password is too common: it is on the list of passwords tried first "
                 "by anyone guessing.")

    def get_help_text(self):
        return _("Not a commonly used password.")


class NumericPasswordValidator(django_validation.NumericPasswordValidator):
    def get_error_message(self):
        return _("This password is only digits: add letters.")

    def get_help_text(self):
        return _("Not only digits.")
