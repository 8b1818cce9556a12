"""The main navigation of the portal, which apps extend without touching the layout.

An app registers its entry once, from its `AppConfig.ready()`:

    from ordre.portal.navigation import register
    register(label=_("Annuaire"), url_name="tableau:directory", order=20)

Only entries whose URL resolves are shown, so a link never points to a page that
does not exist. Building the menu runs no database query for anonymous visitors; a
`visible` predicate may look at the user (it is called only for the current request).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    order: int = 100
    # Called with the request's user; the entry is shown when it returns True.
    visible: Callable | None = None
    # Mark the entry current for every path under its URL (not only an exact match).
    match_prefix: bool = True


_entries: dict[str, NavEntry] = {}


def register(
    *,
    label,
    url_name: str,
    order: int = 100,
    visible: Callable | None = None,
    match_prefix: bool = True,
) -> None:
    """Add (or replace) the entry for `url_name` in the main navigation."""
    _entries[url_name] = NavEntry(
        label=label, url_name=url_name, order=order, visible=visible, match_prefix=match_prefix
    )


def unregister(url_name: str) -> None:
    _entries.pop(url_name, None)


register(label=_("Accueil"), url_name="portal:home", order=0, match_prefix=False)


def entries_for(request) -> list[dict]:
    """The entries to show to this request, each with its URL and whether it is current."""
    user = getattr(request, "user", None)
    path = getattr(request, "path", "")
    items = []
    for entry in sorted(_entries.values(), key=lambda e: (e.order, str(e.label))):
        if entry.visible is not None and (user is None or not entry.visible(user)):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        current = path == url or (entry.match_prefix and url != "/" and path.startswith(url))
        items.append({"label": entry.label, "url": url, "current": current})
    return items
