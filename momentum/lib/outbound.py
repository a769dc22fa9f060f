"""HTTP sessions for requests to addresses someone else chose: an LTI platform's key set and
services (a registered platform, and the URLs its launches carry), a learner's push service.

Checking such a URL when it is saved (``safe_urls``) cannot be enough: its name may resolve to
another address later, or to an inward one only when the server asks (DNS rebinding). A session
from ``session_to_public_hosts`` resolves the host when it opens each connection, refuses a
loopback, private, link-local (cloud metadata), shared or reserved address, and connects to the
address it checked, with the name kept for TLS (SNI, certificate) and the Host header; every
redirect is checked the same way. A refused address raises ``requests_hardened``'s
``InvalidIPAddress``, a ``requests.RequestException`` like any connection error. Built on
requests-hardened (ADR 0026). Each request is bounded by ``timeout`` unless it names its own.
"""

from __future__ import annotations

import requests
from requests_hardened import Config, HTTPSession
from requests_hardened.ip_filter import InvalidIPAddress

__all__ = ["InvalidIPAddress", "session_to_public_hosts"]


def session_to_public_hosts(*, timeout: float, allow_private: bool, user_agent: str | None = None) -> requests.Session:
    """A session whose connections go only to public addresses (any, with ``allow_private``: a
    platform or push service on the operator's own network, or the tests' stand-ins)."""
    session: requests.Session = HTTPSession(
        Config(
            ip_filter_enable=not allow_private,
            ip_filter_allow_loopback_ips=False,
            never_redirect=False,
            default_timeout=(timeout, timeout),
            user_agent_override=user_agent,
        )
    )
    return session
