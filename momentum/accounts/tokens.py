"""Short-lived JWT access tokens for the API (refresh tokens: see actions.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

import jwt
from django.conf import settings

from momentum.accounts.models import User, by_id

ALGORITHM = "HS256"
AUDIENCE = "momentum-api"


class TokenExpired(Exception):
    pass


def issue_access_token(user: User, *, now: datetime | None = None) -> str:
    issued = now or datetime.now(UTC)
    claims = {
        "sub": str(user.pk),
        "aud": AUDIENCE,
        "typ": "access",
        "iat": int(issued.timestamp()),
        "exp": int((issued + timedelta(seconds=settings.ACCESS_TOKEN_TTL_SECONDS)).timestamp()),
        # Changes when the password does, so a password change ends old tokens.
        "pwd": user.password[-12:] if user.password else "",
    }
    return jwt.encode(claims, settings.JWT_SIGNING_KEY, algorithm=ALGORITHM)


@lru_cache(maxsize=8192)
def _signed_claims(token: str, key: str) -> dict[str, Any] | None:
    """The claims of an access token whose signature, audience and claims' shape hold; its times
    are checked at each use (``_claims``). Kept per token: a request decodes its token twice
    (the rate limit, then authentication), and a client sends the same one for minutes."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            options={"require": ["sub", "exp", "iat", "aud"], "verify_exp": False, "verify_iat": False},
        )
    except jwt.InvalidTokenError:
        return None
    if claims.get("typ") != "access" or not all(isinstance(claims[name], int) for name in ("exp", "iat")):
        return None
    return claims


def _claims(token: str) -> dict[str, Any] | None:
    claims = _signed_claims(token, settings.JWT_SIGNING_KEY)
    if claims is None:
        return None
    now = datetime.now(UTC).timestamp()  # as PyJWT's own checks, with no leeway
    if claims["iat"] > now:
        return None
    if claims["exp"] <= now:
        raise TokenExpired
    return dict(claims)


def subject_of(token: str) -> str | None:
    """The account a genuine, unexpired access token names, without asking the database (rate limits)."""
    try:
        claims = _claims(token)
    except TokenExpired:
        return None
    return str(claims["sub"]) if claims else None


def user_for_access_token(token: str) -> User | None:
    """The active user a valid access token names; None for a token that is not ours."""
    claims = _claims(token)
    if claims is None:
        return None
    user = by_id(User._meta.pk.to_python(claims["sub"]))
    if user is None or not user.is_active or (user.password[-12:] if user.password else "") != claims.get("pwd"):
        return None
    return user
