"""What ``momentum check-config`` checks besides readiness: the AI providers, payments, mail and the site URL.

Each check answers ``{"configured": what the settings chose, "ok": bool, "detail": words for the
operator}``. Built-in (offline) providers are fine as they are; a remote one must answer now.
"""

from __future__ import annotations

import smtplib
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from django.conf import settings

# Providers that run on this machine, with nothing to reach.
OFFLINE_PROVIDERS = frozenset({"local", "slides", "sandbox"})
TIMEOUT_SECONDS = 5.0


def check(configured: str, ok: bool, detail: str) -> dict[str, Any]:
    return {"configured": configured, "ok": ok, "detail": detail}


def ai_providers() -> dict[str, dict[str, Any]]:
    """Text, video and thumbnail providers: built in (offline), or remote and answering a probe."""
    from momentum.generation.queries import provider_status

    result = {}
    for kind, status in provider_status().items():
        if status.provider in OFFLINE_PROVIDERS:
            detail = f"offline, built in ({status.detail})"
        elif status.answers:
            detail = f"reachable ({status.detail})"
        else:
            detail = f"not reachable: {status.detail}"
        result[kind] = check(status.provider, status.answers, detail)
    return result


def payments() -> dict[str, Any]:
    """The sandbox needs nothing; Stripe must accept the secret key (a read of the account's balance)."""
    if settings.PAYMENTS_PROVIDER == "sandbox":
        return check("sandbox", True, "offline test-mode checkout on this site: nothing is charged")
    request = urllib.request.Request(  # noqa: S310  (the configured Stripe API base)
        f"{settings.STRIPE_API_BASE}/v1/balance", headers={"Authorization": f"Bearer {settings.STRIPE_SECRET_KEY}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS):  # noqa: S310
            return check("stripe", True, f"{settings.STRIPE_API_BASE} answers and accepts the secret key")
    except urllib.error.HTTPError as error:
        refused = "refuses the secret key" if error.code in (401, 403) else f"answers {error.code}"
        return check("stripe", False, f"{settings.STRIPE_API_BASE} {refused}")
    except (OSError, ValueError) as error:
        return check("stripe", False, f"{settings.STRIPE_API_BASE} is not reachable: {error}")


def mail() -> dict[str, Any]:
    """SMTP: the server answers a greeting; files: the mail folder can be written."""
    if settings.EMAIL_URL:
        where = f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
        try:
            with smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=TIMEOUT_SECONDS) as server:
                code, _ = server.noop()
        except (OSError, smtplib.SMTPException) as error:
            return check("smtp", False, f"the SMTP server at {where} is not reachable: {error}")
        return check("smtp", code == 250, f"the SMTP server at {where} answers")
    folder = Path(settings.MAIL_DIR)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".check-config"
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
    except OSError as error:
        return check("files", False, f"mail cannot be written to {folder}: {error}")
    return check("files", True, f"each email is written as a file under {folder}")


def site_url() -> dict[str, Any]:
    """The address emails link to: a full http(s) URL whose host this site answers for (https when deployed)."""
    url = settings.SITE_URL
    parsed = urlparse(url)
    problems = []
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        problems.append("is not an http(s) address with a host")
    else:
        hosts = settings.ALLOWED_HOSTS
        if "*" not in hosts and not any(_host_matches(parsed.hostname, allowed) for allowed in hosts):
            problems.append(f"names host {parsed.hostname}, which MOMENTUM_ALLOWED_HOSTS does not list")
        if settings.DEPLOYED and parsed.scheme != "https":
            problems.append("must use https in staging and production")
    if problems:
        return check(url, False, "MOMENTUM_SITE_URL " + "; ".join(problems))
    return check(url, True, "links in emails point here")


def _host_matches(host: str, allowed: str) -> bool:
    allowed = allowed.strip("[]").lower()
    host = host.lower()
    if allowed.startswith("."):
        return host == allowed[1:] or host.endswith(allowed)
    return host == allowed


def credential_keys() -> dict[str, Any]:
    """Open Badges credentials need a signing key: staging and prod never make one by themselves."""
    from momentum.credentials import signing
    from momentum.credentials.openbadges.keys import KeyRingError

    where = "MOMENTUM_CREDENTIAL_KEYS" if settings.CREDENTIAL_KEYS else str(settings.CREDENTIAL_KEYS_FILE)
    try:
        ring = signing.key_ring()
    except (signing.CredentialKeysMissing, KeyRingError) as error:
        return check(where, False, str(error))
    return check(where, True, f"{len(ring.keys)} key(s); {ring.current.kid} signs")


def push() -> dict[str, Any]:
    """Web push: on with a VAPID key; off (not a failure) without one in staging and prod; a bad key fails."""
    from momentum.webpush.vapid import status

    on, detail = status()
    if on:
        return check("vapid", True, detail)
    return check("off", not settings.VAPID_PRIVATE_KEY, detail)


def xapi() -> dict[str, Any]:
    """xAPI: off (not a failure) without an LRS URL; on, it needs credentials, and https when deployed."""
    url = settings.XAPI_LRS_URL
    if not url:
        return check("off", True, "no LRS configured: no xAPI statement is recorded")
    problems = []
    if not (settings.XAPI_LRS_USERNAME and settings.XAPI_LRS_PASSWORD):
        problems.append("MOMENTUM_XAPI_LRS_USERNAME and MOMENTUM_XAPI_LRS_PASSWORD must be set")
    if settings.DEPLOYED and not url.startswith("https://"):
        problems.append("MOMENTUM_XAPI_LRS_URL must use https in staging and production")
    if problems:
        return check(url, False, "; ".join(problems))
    return check(url, True, "statements are sent to this LRS")


def lti_key() -> dict[str, Any]:
    """The LTI tool key: off (not a failure) without one in staging and prod; a key that does not parse fails."""
    from momentum.lti import keys

    where = "MOMENTUM_LTI_PRIVATE_KEY" if settings.LTI_PRIVATE_KEY else str(settings.LTI_KEY_FILE)
    try:
        key = keys.tool_key()
    except keys.LtiKeysMissing as error:
        return check("off", not settings.LTI_PRIVATE_KEY and not Path(settings.LTI_KEY_FILE).exists(), str(error))
    return check(where, True, f"kid {key.kid}")


def all_checks() -> dict[str, Any]:
    return {
        "ai_providers": ai_providers(),
        "payments": payments(),
        "mail": mail(),
        "site_url": site_url(),
        "credential_keys": credential_keys(),
        "push": push(),
        "xapi": xapi(),
        "lti_key": lti_key(),
    }


def failures(checks: dict[str, Any]) -> list[str]:
    """The names of the checks that failed ("ai_providers.text", "mail", ...)."""
    failed = [f"ai_providers.{kind}" for kind, item in checks["ai_providers"].items() if not item["ok"]]
    return failed + [
        name
        for name in ("payments", "mail", "site_url", "credential_keys", "push", "xapi", "lti_key")
        if not checks[name]["ok"]
    ]
