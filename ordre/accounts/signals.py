"""Receivers: logins, logouts, failures and lockouts become sessions and audit events."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from ordre.accounts import services
from ordre.accounts.models import User, UserSession
from ordre.audit.actors import SystemActor


@receiver(user_logged_in, dispatch_uid="ordre.accounts.logged_in")
def on_logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        services.session_opened(user=user, request=request)


@receiver(user_logged_out, dispatch_uid="ordre.accounts.logged_out")
def on_logged_out(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        services.session_logged_out(user=user, request=request)


@receiver(user_login_failed, dispatch_uid="ordre.accounts.login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    services.login_failed(username=credentials.get("username", ""), request=request)


@receiver(user_locked_out, dispatch_uid="ordre.accounts.locked_out")
def on_locked_out(sender, request, username, ip_address, **kwargs):
    services.login_locked_out(username=username or "", request=request)


@receiver(post_save, sender=User, dispatch_uid="ordre.accounts.user_saved")
def on_user_saved(sender, instance, created, **kwargs):
    """A user disabled by any path (admin form included) loses every open session."""
    if (
        not created
        and not instance.is_active
        and UserSession.objects.filter(user=instance, ended_at__isnull=True).exists()
    ):
        services.sessions_end_all(
            actor=SystemActor("signal:user-disabled"), user=instance, reason="user_disabled"
        )
