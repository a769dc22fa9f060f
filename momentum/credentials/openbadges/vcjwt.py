"""The VC-JWT: the credential secured with JOSE (W3C VC-JOSE-COSE, which Open Badges 3.0's
JWT proof format follows): a compact JWS whose payload is the credential itself.

    header   {"alg": "EdDSA", "kid": "<did>#<kid>", "typ": "vc+jwt", "cty": "vc"}
    payload  the credential without its embedded proof, plus iss (issuer id), jti (credential id),
             nbf (validFrom) and iat, which restate it and never disagree with it
    media    application/vc+jwt

Signed with `cryptography` here; the tests verify it with jwcrypto.
"""

import json
from datetime import datetime
from typing import Any

from momentum.credentials.openbadges import multibase
from momentum.credentials.openbadges.keys import SigningKey

MEDIA_TYPE = "application/vc+jwt"


def _segment(value: dict[str, Any]) -> str:
    return multibase.b64url_encode(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def sign(credential: dict[str, Any], key: SigningKey, verification_method: str, issued_at: datetime) -> str:
    payload = {name: value for name, value in credential.items() if name != "proof"}
    issuer = payload["issuer"]
    payload["iss"] = issuer["id"] if isinstance(issuer, dict) else issuer
    payload["jti"] = payload["id"]
    payload["nbf"] = int(datetime.fromisoformat(payload["validFrom"]).timestamp())
    payload["iat"] = int(issued_at.timestamp())
    header = {"alg": "EdDSA", "kid": verification_method, "typ": "vc+jwt", "cty": "vc"}
    signing_input = f"{_segment(header)}.{_segment(payload)}"
    return f"{signing_input}.{multibase.b64url_encode(key.sign(signing_input.encode('ascii')))}"
