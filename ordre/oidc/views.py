"""The relying party's pages: start a login or a link, the provider's callback,
logout through the provider, and the "Identités de connexion" page of the account.

Protocol work is in `protocol`, writes in `services`; these views move the browser.
"""

from __future__ import annotations

import contextlib
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ordre.accounts import session_state
from ordre.oidc import enums, protocol, selectors, services
from ordre.oidc.conf import ProviderConfig, get_provider
from ordre.oidc.models import ExternalIdentity, LoginState

logger = logging.getLogger(__name__)

BINDING_SESSION_KEY = enums.BINDING_SESSION_KEY
LOGIN_SESSION_KEY = enums.LOGIN_SESSION_KEY
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _enabled(provider_key: str) -> ProviderConfig:
    config = get_provider(provider_key)
    if config is None or not config.enabled:
        raise Http404
    return config


def _binding(request) -> str:
    binding = request.session.get(BINDING_SESSION_KEY)
    if not binding:
        binding = services.new_binding()
        request.session[BINDING_SESSION_KEY] = binding
    return binding


def _safe_next(request, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def _failure(request, message, *, status: int = 403):
    return render(request, "oidc/error.html", {"message": message}, status=status)


def _refuse(request, config_key: str, error: protocol.ProtocolError):
    log = logger.error if error.configuration else logger.warning
    log("oidc refusal provider=%s reason=%s detail=%s", config_key, error.reason, error.detail)
    services.refusal_record(actor=request.user, provider_key=config_key, reason=error.reason)
    message = enums.CONFIGURATION_FAILURE if error.configuration else enums.GENERIC_FAILURE
    return _failure(request, message)


@require_GET
def begin(request, provider: str):
    """Send the browser to the provider (a 302: no form posts to another origin)."""
    config = _enabled(provider)
    purpose = LoginState.Purpose.LOGIN
    if request.GET.get("lier"):
        # Linking adds a way into the account: only from a session past its 2FA.
        if not session_state.is_session_verified(request):
            return redirect_to_login(request.get_full_path())
        purpose = LoginState.Purpose.LINK
    state = services.login_state_create(
        actor=request.user,
        provider=config,
        purpose=purpose,
        binding=_binding(request),
        redirect_uri=request.build_absolute_uri(reverse("oidc:callback", args=[config.key])),
        next_url=_safe_next(request, request.GET.get("next", "")),
    )
    try:
        url = protocol.authorization_url(
            config,
            state=state.state,
            nonce=state.nonce,
            redirect_uri=state.redirect_uri,
            verifier=state.code_verifier,
        )
    except protocol.ProtocolError as error:
        return _refuse(request, config.key, error)
    return HttpResponseRedirect(url)


@require_GET
def callback(request, provider: str):
    config = _enabled(provider)
    params = request.GET
    binding = request.session.get(BINDING_SESSION_KEY)
    purposes = (LoginState.Purpose.LOGIN, LoginState.Purpose.LINK)
    if "error" in params:
        error = params.get("error", "")[:64]
        # Burn the state so it cannot serve again.
        with contextlib.suppress(protocol.ProtocolError):
            services.login_state_consume(
                provider_key=config.key, state=params.get("state", ""), purposes=purposes,
                binding=binding,
            )  # fmt: skip
        services.refusal_record(
            actor=request.user, provider_key=config.key, reason=f"provider_error:{error}"
        )
        message = enums.PROVIDER_ERROR_MESSAGES.get(error)
        if message is None:
            logger.error("oidc provider=%s returned error=%s: check configuration", provider, error)
            message = enums.CONFIGURATION_FAILURE
        return _failure(request, message)

    try:
        state = services.login_state_consume(
            provider_key=config.key, state=params.get("state", ""), purposes=purposes,
            binding=binding,
        )  # fmt: skip
        code = params.get("code", "")
        if not code:
            raise protocol.ProtocolError("no_code")
        tokens = protocol.exchange_code(
            config, code=code, redirect_uri=state.redirect_uri, verifier=state.code_verifier
        )
        claims = protocol.validate_id_token(config, tokens["id_token"], nonce=state.nonce)
        userinfo = protocol.fetch_userinfo(
            config, access_token=tokens["access_token"], subject=claims["sub"]
        )
    except protocol.ProtocolError as error:
        return _refuse(request, config.key, error)

    if state.purpose == LoginState.Purpose.LINK:
        return _finish_link(request, config, state, claims, userinfo)

    try:
        user = services.login_complete(provider=config, claims=claims, userinfo=userinfo)
    except services.LinkRefused as refused:
        services.refusal_record(actor=None, provider_key=config.key, reason=refused.reason)
        return _failure(request, refused.message)
    auth_login(request, user, backend=MODEL_BACKEND)
    acr = str(claims.get("acr", ""))
    if acr and acr in config.strong_acr:
        from ordre.accounts.services import mark_session_strongly_authenticated

        mark_session_strongly_authenticated(request, method=f"{config.key}-{acr}")
    request.session[LOGIN_SESSION_KEY] = {
        "provider": config.key,
        "id_token": tokens["id_token"],
        "acr": acr,
        # Pro Santé Connect: the practice sites declared by the national directory.
        "activities": services.psc_activities(userinfo),
    }
    return HttpResponseRedirect(state.next_url or reverse(settings.LOGIN_REDIRECT_URL))


def _finish_link(request, config, state, claims, userinfo):
    if not session_state.is_session_verified(request) or request.user.pk != state.user_id:
        error = protocol.ProtocolError("link_session_changed")
        return _refuse(request, config.key, error)
    try:
        services.identity_link(
            actor=request.user, provider=config, claims=claims, userinfo=userinfo
        )
    except services.LinkRefused as refused:
        services.refusal_record(
            actor=request.user,
            provider_key=config.key,
            reason=refused.reason,
            action="oidc.identity.link_refused",
        )
        return _failure(request, refused.message)
    messages.success(
        request,
        _("Votre identité %(provider)s est liée à votre compte.") % {"provider": config.label},
    )
    return redirect("oidc:identities")


@require_POST
def logout(request):
    """Log out here, then at the provider when the session came from one."""
    data = request.session.get(LOGIN_SESSION_KEY) or {}
    user = request.user
    config = get_provider(data.get("provider", "")) if data else None
    end_session = None
    if config is not None and config.enabled and data.get("id_token"):
        try:
            protocol.endpoint(config, "end_session")
            end_session = config
        except protocol.ProtocolError:
            end_session = None
    auth_logout(request)
    if end_session is None:
        return redirect(settings.LOGOUT_REDIRECT_URL)
    binding = services.new_binding()
    request.session[BINDING_SESSION_KEY] = binding
    state = services.login_state_create(
        actor=None, provider=end_session, purpose=LoginState.Purpose.LOGOUT, binding=binding
    )
    services.logout_record(actor=user, provider_key=end_session.key, action=enums.LOGOUT_REQUESTED)
    url = protocol.end_session_url(
        end_session,
        id_token_hint=data["id_token"],
        state=state.state,
        post_logout_redirect_uri=request.build_absolute_uri(
            reverse("oidc:logout_return", args=[end_session.key])
        ),
    )
    return HttpResponseRedirect(url)


@require_GET
def logout_return(request, provider: str):
    config = _enabled(provider)
    try:
        services.login_state_consume(
            provider_key=config.key,
            state=request.GET.get("state", ""),
            purposes=(LoginState.Purpose.LOGOUT,),
            binding=request.session.get(BINDING_SESSION_KEY),
        )
    except protocol.ProtocolError as error:
        logger.warning("oidc logout refusal provider=%s reason=%s", provider, error.reason)
        services.logout_record(
            actor=None, provider_key=config.key, action=enums.LOGOUT_REFUSED, reason=error.reason
        )
        message = _(
            "Vous êtes déconnecté de l'Ordre, mais la déconnexion auprès de %(provider)s n'a "
            "pas pu être confirmée. Fermez votre navigateur pour terminer votre session."
        ) % {"provider": config.label}
        return _failure(request, message, status=400)
    request.session.pop(BINDING_SESSION_KEY, None)
    services.logout_record(actor=None, provider_key=config.key, action=enums.LOGOUT_CONFIRMED)
    return render(request, "oidc/logged_out.html", {"provider": config})


@login_required
def identities(request):
    linked = selectors.identities_of(request.user)
    providers = selectors.enabled_provider_list()
    labels = {p.key: p.label for p in providers}
    for identity in linked:
        identity.label = labels.get(identity.provider, identity.provider)
    linked_keys = {identity.provider for identity in linked}
    return render(
        request,
        "oidc/identities.html",
        {
            "identities": linked,
            "linkable": [p for p in providers if p.key not in linked_keys],
        },
    )


@login_required
@require_POST
def unlink(request, pk: int):
    identity = get_object_or_404(ExternalIdentity, pk=pk, user=request.user)
    try:
        services.identity_unlink(actor=request.user, identity=identity)
    except services.LinkRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("L'identité a été déliée de votre compte."))
    return redirect("oidc:identities")
