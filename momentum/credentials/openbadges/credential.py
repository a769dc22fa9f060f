"""An ``OpenBadgeCredential`` (VC Data Model 2.0 + Open Badges 3.0) built from plain facts.

The learner is named by a salted hash of their email address (an IdentityObject with
``identityHash`` = ``sha256$`` + hex(sha256(email + salt)), ``hashed: true``), never the address:
whoever holds the address and the credential can check the match, nobody else can read it.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from momentum.credentials.openbadges.contexts import OB_V3, VC_V2


@dataclass(frozen=True)
class Issuer:
    id: str  # the did:web
    name: str
    url: str


@dataclass(frozen=True)
class Achievement:
    id: str  # a URL naming the course or the badge
    name: str
    description: str
    criteria: str  # a narrative (Markdown allowed by OB 3.0)
    achievement_type: str  # OB 3.0 AchievementType: Certificate, Badge...
    image_url: str | None = None


def hashed_email(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()


def iso(moment: datetime) -> str:
    """An XML Schema dateTimeStamp in UTC, to the second."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def open_badge_credential(
    *,
    credential_id: str,
    issuer: Issuer,
    achievement: Achievement,
    email: str,
    salt: str,
    valid_from: datetime,
    credential_status: dict[str, Any],
    name: str,
) -> dict[str, Any]:
    """The unsigned credential: sign it with dataintegrity.add_proof and vcjwt.sign."""
    achievement_body: dict[str, Any] = {
        "id": achievement.id,
        "type": ["Achievement"],
        "achievementType": achievement.achievement_type,
        "name": achievement.name,
        "description": achievement.description,
        "criteria": {"narrative": achievement.criteria},
        "creator": {"id": issuer.id, "type": ["Profile"], "name": issuer.name, "url": issuer.url},
    }
    if achievement.image_url:
        achievement_body["image"] = {"id": achievement.image_url, "type": "Image"}
    return {
        "@context": [VC_V2, OB_V3],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": name,
        "issuer": {"id": issuer.id, "type": ["Profile"], "name": issuer.name, "url": issuer.url},
        "validFrom": iso(valid_from),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": hashed_email(email, salt),
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": salt,
                }
            ],
            "achievement": achievement_body,
        },
        "credentialStatus": credential_status,
    }
