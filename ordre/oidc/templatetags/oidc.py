"""`{% load oidc %}{% oidc_buttons %}`: the login buttons of the enabled providers.

FranceConnect gets its official button ("S'identifier avec FranceConnect", DSFR
`fr-connect`); other providers a DSFR button. They are links (GET): the browser is
sent to the provider by a 302, so no form posts to another origin.
"""

from django import template
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from ordre.oidc.conf import FRANCECONNECT, enabled_providers

register = template.Library()


@register.inclusion_tag("oidc/buttons.html", takes_context=True)
def oidc_buttons(context, next_url: str = ""):
    request = context.get("request")
    if not next_url and request is not None:
        next_url = request.GET.get("next", "")
    if (
        next_url
        and request is not None
        and not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        next_url = ""
    buttons = []
    for provider in enabled_providers():
        url = reverse("oidc:begin", args=[provider.key])
        if next_url:
            url += "?" + urlencode({"next": next_url})
        buttons.append(
            {
                "key": provider.key,
                "label": provider.label,
                "url": url,
                "franceconnect": provider.profile == FRANCECONNECT,
            }
        )
    return {"buttons": buttons}
