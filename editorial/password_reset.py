"""Password reset for editors, inside the admin's look.

Only staff accounts get a reset email: a visitor's address on the form sends
nothing (and the page says the same either way, so it reveals no account).
Mail goes through EMAIL_BACKEND: the console in development, SMTP from the
environment in production (directory.settings).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.admin import site
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.urls import path, reverse_lazy


class EditorPasswordResetForm(PasswordResetForm):
    def get_users(self, email: str):
        return (user for user in super().get_users(email) if user.is_staff)


def _look() -> dict[str, str]:
    return {"site_header": site.site_header, "site_title": site.site_title}


urlpatterns = [
    path(
        f"{settings.ADMIN_URL}password_reset/",
        auth_views.PasswordResetView.as_view(
            form_class=EditorPasswordResetForm,
            extra_context=_look(),
            success_url=reverse_lazy("password_reset_done"),
        ),
        name="admin_password_reset",
    ),
    path(
        f"{settings.ADMIN_URL}password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(extra_context=_look()),
        name="password_reset_done",
    ),
    path(
        f"{settings.ADMIN_URL}reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            extra_context=_look(), success_url=reverse_lazy("password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        f"{settings.ADMIN_URL}reset/done/",
        auth_views.PasswordResetCompleteView.as_view(extra_context=_look()),
        name="password_reset_complete",
    ),
]
