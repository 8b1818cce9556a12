"""Who may download a document: its owner, or anyone a registered rule lets in.

Domain apps extend access without the kernel importing them: in their AppConfig.ready(),

    from ordre.documents.permissions import register_access_rule

    @register_access_rule
    def clerk_of_the_dossier_council(user, document) -> bool:
        return document.purpose == "tableau.piece" and ...

A rule returns True to grant, anything else to abstain; it must not raise.
"""

from collections.abc import Callable

AccessRule = Callable[[object, object], bool]
_ACCESS_RULES: list[AccessRule] = []


def register_access_rule(rule: AccessRule) -> AccessRule:
    if rule not in _ACCESS_RULES:
        _ACCESS_RULES.append(rule)
    return rule


def unregister_access_rule(rule: AccessRule) -> None:
    if rule in _ACCESS_RULES:
        _ACCESS_RULES.remove(rule)


def can_download(user, document) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if document.owner_id == user.pk:
        return True
    return any(rule(user, document) is True for rule in _ACCESS_RULES)
