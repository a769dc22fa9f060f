"""Short-lived JWT access tokens for the API (refresh tokens: see actions.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from django.conf import settings

from momentum.accounts.models import User

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


def _claims(token: str) -> dict[str, Any] | None:
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            settings.JWT_SIGNING_KEY,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            options={"require": ["sub", "exp", "iat", "aud"]},
        )
    except jwt.ExpiredSignatureError:
        raise TokenExpired from None
    except jwt.InvalidTokenError:
        return None
    return claims if claims.get("typ") == "access" else None


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
    user = User.objects.filter(pk=claims["sub"], is_active=True).first()
    if user is None or (user.password[-12:] if user.password else "") != claims.get("pwd"):
        return None
    return user
