"""A local OpenID Connect provider for development and tests, never routed in production.

It speaks the protocol of FranceConnect v2 (ES256 id_token, userinfo as a signed JWT,
`acr` eidas1, logout through `/session/end`) and of Pro Santé Connect (its endpoint
layout, its claims `SubjectNameID` and `SubjectRefPro`, `acr` eidas2 for a card login)
on loopback, with demonstration identities and switches to misbehave in tests.

It is a plain WSGI application without Django: run it with
`python -m ordre.oidc.provider --port 8090` (`make run` starts it in development).
"""

from ordre.oidc.provider.server import MODES, LocalProvider, serve_in_thread

__all__ = ["MODES", "LocalProvider", "serve_in_thread"]
