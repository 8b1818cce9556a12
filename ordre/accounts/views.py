"""Login, second factor, re-authentication, account and sessions pages (thin)."""

from functools import wraps

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ordre.accounts import selectors, services, session_state
from ordre.accounts.forms import (
    CodeForm,
    EnrolForm,
    LoginForm,
    OrdrePasswordChangeForm,
    ProfileForm,
    ReauthForm,
)


def _next_url(request, default: str = "portal:home") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default)


def require_recent_authentication(view):
    """The view needs a password or TOTP entered within the last 5 minutes."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not session_state.has_recent_authentication(request):
            back = (
                request.get_full_path() if request.method == "GET" else reverse("accounts:account")
            )
            return redirect(f"{reverse('accounts:reauth')}?{urlencode({'next': back})}")
        return view(request, *args, **kwargs)

    return wrapper


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["session_expired"] = self.request.GET.get("expiree") == "1"
        return context


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


@login_required
def otp_enrol(request):
    user = request.user
    verified = session_state.is_session_verified(request)
    if not verified and selectors.has_second_factor(user):
        # Someone with the password alone must not replace the factor.
        return redirect(f"{reverse('accounts:otp_verify')}?{request.GET.urlencode()}")
    if (
        verified
        and selectors.has_totp(user)
        and not session_state.has_recent_authentication(request)
    ):
        return redirect(
            f"{reverse('accounts:reauth')}?{urlencode({'next': request.get_full_path()})}"
        )
    device = services.totp_enrolment_start(actor=user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_enrolment_confirm(
            actor=user, request=request, token=form.cleaned_data["code"]
        )
        if codes is not None:
            return render(
                request,
                "accounts/backup_codes.html",
                {"codes": codes, "next": _next_url(request), "enrolled": True},
            )
        form.add_error("code", _("Code incorrect ou expiré : réessayez avec le code affiché."))
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/otp_enrol.html",
        {
            "form": form,
            "qr_data_uri": qr.svg_data_uri(scale=5, dark="#000091"),
            "secret": _base32(device),
            "next": request.GET.get("next", request.POST.get("next", "")),
        },
    )


def _base32(device) -> str:
    from base64 import b32encode

    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@login_required
def otp_verify(request):
    user = request.user
    if session_state.is_session_verified(request):
        return redirect(_next_url(request))
    if not selectors.has_second_factor(user):
        return redirect(f"{reverse('accounts:otp_enrol')}?{request.GET.urlencode()}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        method = services.otp_verify(actor=user, request=request, token=form.cleaned_data["code"])
        if method is not None:
            if method == "backup_code":
                remaining = selectors.backup_codes_remaining(user)
                messages.warning(
                    request,
                    _(
                        "Code de secours accepté ; il ne fonctionnera plus. Il vous en reste "
                        "%(count)d : pensez à les régénérer depuis votre compte."
                    )
                    % {"count": remaining},
                )
            return redirect(_next_url(request))
        form.add_error(
            "code",
            _("Code incorrect, expiré ou déjà utilisé. Après plusieurs erreurs, patientez."),
        )
    return render(
        request,
        "accounts/otp_verify.html",
        {
            "form": form,
            "next": request.GET.get("next", request.POST.get("next", "")),
            "has_webauthn": selectors.has_webauthn(user),
        },
    )


@login_required
def reauth(request):
    form = ReauthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok = services.reauthenticate(
            actor=request.user,
            request=request,
            password=form.cleaned_data["password"],
            token=form.cleaned_data["code"],
        )
        if ok:
            return redirect(_next_url(request, default="accounts:account"))
        form.add_error(None, _("Mot de passe ou code incorrect."))
    return render(
        request,
        "accounts/reauth.html",
        {
            "form": form,
            "next": request.GET.get("next", request.POST.get("next", "")),
            "has_totp": selectors.has_totp(request.user),
        },
    )


@login_required
def account(request):
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "has_totp": selectors.has_totp(user),
            "webauthn_count": selectors.webauthn_count(user),
            "recent_authentication": session_state.has_recent_authentication(request),
            "backup_codes_remaining": selectors.backup_codes_remaining(user),
            "verification_method": session_state.verification_method(request),
            "roles": sorted(user.groups.values_list("name", flat=True)),
        },
    )


@login_required
@require_recent_authentication
def profile_edit(request):
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={"first_name": user.first_name, "last_name": user.last_name, "email": user.email},
    )
    if request.method == "POST" and form.is_valid():
        services.profile_update(
            actor=request.user,
            user=request.user,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            email=form.cleaned_data["email"],
        )
        messages.success(request, _("Vos informations ont été enregistrées."))
        return redirect("accounts:account")
    return render(request, "accounts/profile_edit.html", {"form": form})


@login_required
def password_change(request):
    """The current password is asked again: this is the re-authentication."""
    form = OrdrePasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        ended = services.password_change(
            actor=request.user, request=request, new_password=form.cleaned_data["new_password1"]
        )
        messages.success(
            request,
            _("Votre mot de passe a été changé ; %(count)d autre(s) session(s) terminée(s).")
            % {"count": ended},
        )
        return redirect("accounts:account")
    return render(request, "accounts/password_change.html", {"form": form})


@require_POST
@login_required
@require_recent_authentication
def backup_codes_regenerate(request):
    codes = services.backup_codes_regenerate(actor=request.user, user=request.user)
    return render(
        request,
        "accounts/backup_codes.html",
        {"codes": codes, "next": reverse("accounts:account"), "enrolled": False},
    )


@login_required
def sessions(request):
    rows = list(selectors.active_sessions_of(request.user))
    return render(
        request,
        "accounts/sessions.html",
        {"rows": rows, "current_key": request.session.session_key},
    )


@require_POST
@login_required
def session_end(request, pk: int):
    user_session = selectors.active_sessions_of(request.user).filter(pk=pk).first()
    if user_session is None:
        raise Http404
    if user_session.session_key == request.session.session_key:
        return LogoutView.as_view()(request)
    services.session_end(actor=request.user, user_session=user_session, reason="ended_by_user")
    messages.success(request, _("La session a été terminée."))
    return redirect("accounts:sessions")


@require_POST
@login_required
def sessions_end_others(request):
    count = services.sessions_end_all(
        actor=request.user,
        user=request.user,
        except_session_key=request.session.session_key,
        reason="ended_by_user",
    )
    messages.success(request, _("%(count)d autre(s) session(s) terminée(s).") % {"count": count})
    return redirect("accounts:sessions")
