"""What every remote provider adapter shares: the SSRF guard on its addresses and the
mapping of an HTTP failure to a ``ProviderError`` that says whether to try again."""

from __future__ import annotations

import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime

from django.conf import settings

from momentum.generation.providers.base import ProviderError, Usage
from momentum.lib.problems import Invalid
from momentum.lib.safe_urls import check_public_url

# Statuses after which the same request may succeed later: timeouts, conflicts, throttling,
# Bedrock's ModelErrorException (424) and every server-side error.
RETRYABLE_STATUSES = frozenset({408, 409, 424, 425, 429})


def check_provider_url(url: str, *, provider: str, setting: str) -> str:
    """``url`` when a provider may be reached there: http(s) to a public host, or any host when
    MOMENTUM_ALLOW_PRIVATE_PROVIDER_URLS is on. Otherwise a ``ProviderError`` that is not retryable."""
    try:
        return check_public_url(url, field=setting, allow_private=settings.ALLOW_PRIVATE_PROVIDER_URLS)
    except Invalid as refused:
        rule = refused.errors[0].get("rule") if refused.errors else None
        detail = refused.errors[0]["message"] if refused.errors else str(refused)
        hint = (
            "; set MOMENTUM_ALLOW_PRIVATE_PROVIDER_URLS=true to use a server on a local or private network"
            if rule in ("url_public", "url_resolvable")
            else ""
        )
        raise ProviderError(
            f"{provider}: refused {setting}={url[:200]!r}: {detail}{hint}",
            provider=provider,
            retryable=rule == "url_resolvable",  # a name server may answer next time; the rest stays refused
        ) from None


def retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if not headers:
        return None
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    if value is None:
        value = next((v for k, v in headers.items() if k.lower() == "retry-after-ms"), None)
        try:
            return max(0.0, float(value) / 1000) if value is not None else None
        except ValueError:
            return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def http_error(
    provider: str,
    status: int,
    message: str,
    *,
    headers: Mapping[str, str] | None = None,
    usage: Usage | None = None,
) -> ProviderError:
    retryable = status in RETRYABLE_STATUSES or status >= 500
    return ProviderError(
        f"{provider}: HTTP {status}: {message[:500]}",
        provider=provider,
        retryable=retryable,
        retry_after=retry_after(headers) if retryable else None,
        http_status=status,
        usage=usage,
    )


def add_usage(a: Usage, b: Usage) -> Usage:
    return Usage(
        input_tokens=a.input_tokens + b.input_tokens,
        output_tokens=a.output_tokens + b.output_tokens,
        video_seconds=a.video_seconds + b.video_seconds,
        images=a.images + b.images,
    )
