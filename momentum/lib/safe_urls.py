"""Links to outside resources that must not point back into our own network (SSRF).

``check_public_url`` accepts http and https URLs whose host resolves only to public
addresses. Loopback, private, link-local (cloud metadata at 169.254.169.254), shared,
multicast and reserved addresses are refused unless the caller allows private hosts (by
default ``settings.ALLOW_PRIVATE_MEDIA_URLS``: a laptop demo pointing at a local media server;
the generation providers pass ``settings.ALLOW_PRIVATE_PROVIDER_URLS``). A host that does not resolve is
refused: a name that resolves later could resolve anywhere.

``check_url_form`` is for addresses the server never fetches (a lesson's external video, which
the learner's browser loads), or fetches only through ``lib/outbound.py``, which checks the
address each connection goes to (an LTI platform's, a push service's): the same rules on the form
of the URL alone, with no DNS look-up, so a mistake is refused when it is saved.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

from momentum.lib.problems import Invalid

SCHEMES = ("http", "https")
MAX_URL_LENGTH = 1000


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not (address.is_multicast or address.is_reserved or address.is_unspecified)


def resolve(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The addresses ``host`` stands for (itself when it is an IP literal)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


# Top-level names that never reach the public internet (RFC 6761, 6762, 8375 and common private use).
_PRIVATE_TLDS = (
    "localhost",
    "local",
    "internal",
    "invalid",
    "test",
    "example",
    "arpa",
    "lan",
    "home",
    "corp",
    "intranet",
)


def check_url_form(url: str, *, field: str, allow_private: bool | None = None) -> str:
    """``url`` when its form is that of a public http(s) address; ``Invalid(field, ...)`` otherwise.

    For addresses the server never fetches (a lesson's external video: the learner's browser
    loads it): no DNS is asked, so saving one works offline and takes no time. An IP literal
    must be public; a name must be a dotted domain under a real top-level name (not a machine
    name, not .localhost/.internal/..., not a numeric spelling of an address).
    """
    url, host = _checked_form(url, field=field)
    if settings.ALLOW_PRIVATE_MEDIA_URLS if allow_private is None else allow_private:
        return url
    bare = host.strip("[]").rstrip(".").lower()
    try:
        address = ipaddress.ip_address(bare)
    except ValueError:
        labels = bare.split(".")
        top = labels[-1]
        if len(labels) < 2 or top in _PRIVATE_TLDS or not (top.isalpha() or top.startswith("xn--")):
            raise Invalid(field, "must name a public host, e.g. www.youtube.com", rule="url_public") from None
        return url
    if not _is_public(address):
        raise Invalid(field, "points to a private, loopback or link-local address", rule="url_public")
    return url


def _checked_form(url: str, *, field: str) -> tuple[str, str]:
    """The stripped URL and its host, after the checks that need no network."""
    if len(url) > MAX_URL_LENGTH:
        raise Invalid(field, f"must be at most {MAX_URL_LENGTH} characters", rule="max_length")
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        parts.port  # noqa: B018  (raises ValueError on a malformed port)
    except ValueError:
        raise Invalid(field, "is not a valid URL", rule="url") from None
    if parts.scheme.lower() not in SCHEMES:
        raise Invalid(field, "must start with http:// or https://", rule="url_scheme")
    if not host:
        raise Invalid(field, "has no host name", rule="url")
    if parts.username or parts.password:
        raise Invalid(field, "must not contain a user name or password", rule="url_credentials")
    return url.strip(), host


def check_public_url(url: str, *, field: str, allow_private: bool | None = None) -> str:
    """``url`` when it is an http(s) URL to a public host; ``Invalid(field, ...)`` otherwise.
    For addresses the server fetches: the host is resolved, and every address must be public.

    ``allow_private`` (default: ``settings.ALLOW_PRIVATE_MEDIA_URLS``) lets any host through,
    the scheme and credential checks still apply.
    """
    url, host = _checked_form(url, field=field)
    if settings.ALLOW_PRIVATE_MEDIA_URLS if allow_private is None else allow_private:
        return url
    if host.rstrip(".").lower().endswith((".localhost", ".local", ".internal")) or host.lower() == "localhost":
        raise Invalid(field, "points to a local or internal host", rule="url_public")
    try:
        addresses = resolve(host.strip("[]"))
    except (OSError, UnicodeError):
        raise Invalid(field, f"host {host} could not be resolved", rule="url_resolvable") from None
    if not addresses or not all(_is_public(address) for address in addresses):
        raise Invalid(field, "points to a private, loopback or link-local address", rule="url_public")
    return url
