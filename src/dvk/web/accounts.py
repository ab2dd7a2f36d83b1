"""Passwords in the app: a person sets their own (one-time link of `dvk import_users` or of
"forgot your password?"), changes it when signed in, resets it by email. Django's views and
forms with the app's layout; the policy is AUTH_PASSWORD_VALIDATORS (common/passwords.py).
Templates are named under web/: django.contrib.admin ships registration/password_*.html
and comes first among the apps, so those names would show the admin's pages."""
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy


class ResetForm(auth_forms.PasswordResetForm):
    def get_users(self, email):
        """Django's choice, plus accounts still waiting to set their first password: an
        invited person whose link expired gets a new one at the address on their account."""
        model = auth_forms.UserModel
        field = model.get_email_field_name()
        return (u for u in model._default_manager.filter(**{f"{field}__iexact": email,
                                                             "is_active": True})
                if auth_forms._unicode_ci_compare(email, getattr(u, field)))


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "web/password_change.html"
    success_url = reverse_lazy("password_change_done")


class PasswordChangeDone(auth_views.PasswordChangeDoneView):
    template_name = "web/password_change_done.html"


class PasswordReset(auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = "web/password_reset.html"
    email_template_name = "web/email/password_reset.txt"
    subject_template_name = "web/email/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetDone(auth_views.PasswordResetDoneView):
    template_name = "web/password_reset_done.html"


class PasswordSet(auth_views.PasswordResetConfirmView):
    """The one-time link: a new account's first password, or a reset. Used once: the token
    depends on the password, so it stops working as soon as one is set."""
    template_name = "web/password_set.html"
    success_url = reverse_lazy("password_reset_complete")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["first_password"] = self.user is not None and not self.user.has_usable_password()
        return ctx


class PasswordSetDone(auth_views.PasswordResetCompleteView):
    template_name = "web/password_set_done.html"
