"""Fixtures of the credentials tests: a learner's certificate; the published standards' artefacts,
a key ring in a temporary folder, an issuer and a signed credential."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from momentum.catalog.models import Course
from momentum.credentials.models import Credential
from momentum.credentials.openbadges import credential, dataintegrity, did, keys, statuslist
from tests.factories import make_certificate, make_course

REPO_ROOT = Path(__file__).resolve().parents[3]
SITE = "https://learn.example.org:8443"
ISSUED = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def standards_folder() -> Path:
    """../shared/standards beside the clone (MOMENTUM_STANDARDS_DIR names it elsewhere, e.g. in a worktree)."""
    folder = Path(os.environ.get("MOMENTUM_STANDARDS_DIR") or REPO_ROOT.parent / "shared" / "standards")
    if not (folder / "openbadges-3.0" / "achievementcredential.schema.json").is_file():
        pytest.fail(
            f"The published standards' artefacts are missing: no {folder}/openbadges-3.0/achievementcredential"
            ".schema.json. Put shared/ beside the clone, or set MOMENTUM_STANDARDS_DIR to its standards/ folder."
        )
    return folder


@pytest.fixture(scope="session")
def standards() -> Path:
    return standards_folder()


@pytest.fixture(scope="session")
def achievement_schema(standards: Path) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        (standards / "openbadges-3.0" / "achievementcredential.schema.json").read_text()
    )
    return schema


@pytest.fixture
def ring(tmp_path: Path) -> keys.KeyRing:
    made, _ = keys.generate(tmp_path / "secrets" / "keys.json", ISSUED)
    return made


@pytest.fixture
def issuer() -> credential.Issuer:
    return credential.Issuer(id=did.did_web(SITE), name="Momentum Academy", url=SITE)


def unsigned_credential(issuer: credential.Issuer, *, email: str = "ada@example.org", index: int = 7) -> dict[str, Any]:
    return credential.open_badge_credential(
        credential_id="urn:uuid:0f2b8f5e-4f7e-4e55-9d64-1b9a7f3c2d10",
        issuer=issuer,
        achievement=credential.Achievement(
            id=f"{SITE}/courses/python-in-7-days",
            name="Python in 7 days",
            description="A seven-day course on Python.",
            criteria="Completed every lesson and passed every quiz of the 7-day course.",
            achievement_type="Certificate",
        ),
        email=email,
        salt="b1c2d3e4f5a6",
        valid_from=ISSUED,
        credential_status=statuslist.entry(f"{SITE}/api/v1/credentials/status-lists/0", index),
        name="Python in 7 days: certificate",
    )


@pytest.fixture
def signed(ring: keys.KeyRing, issuer: credential.Issuer) -> dict[str, Any]:
    method = did.verification_method(issuer.id, ring.current.kid)
    return dataintegrity.add_proof(unsigned_credential(issuer), ring.current, method, ISSUED)


@pytest.fixture
def course(db: None) -> Course:
    return make_course("Sleep Better in Seven Days", slug="sleep-better", duration_days=7)


@pytest.fixture
def certificate(learner: Any, course: Course) -> Credential:
    return make_certificate(learner, course)
