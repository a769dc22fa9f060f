"""An issued credential is an Open Badges 3.0 OpenBadgeCredential: 1EdTech's published JSON Schema
accepts it, with the validator its $schema names, and it names the learner only by a salted hash."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from momentum.credentials.openbadges import contexts, credential

from .conftest import unsigned_credential


def validator(schema: dict[str, Any]) -> jsonschema.protocols.Validator:
    assert schema["$schema"].startswith("https://json-schema.org/draft/2019-09/schema")
    return jsonschema.Draft201909Validator(schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER)


def test_a_signed_credential_validates_against_1edtechs_achievement_credential_schema(
    signed: dict[str, Any], achievement_schema: dict[str, Any]
) -> None:
    errors = [error.message for error in validator(achievement_schema).iter_errors(signed)]

    assert errors == []
    assert signed["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert signed["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"


def test_the_schema_refuses_a_credential_without_its_achievement(
    signed: dict[str, Any], achievement_schema: dict[str, Any]
) -> None:
    del signed["credentialSubject"]["achievement"]

    assert not validator(achievement_schema).is_valid(signed)


def test_the_learner_is_named_by_a_salted_sha256_of_their_email_never_the_address(issuer: credential.Issuer) -> None:
    issued = unsigned_credential(issuer, email="Ada@Example.org")
    identity = issued["credentialSubject"]["identifier"][0]

    assert "ada@example.org" not in json.dumps(issued).lower()
    assert identity["hashed"] is True
    assert identity["identityType"] == "emailAddress"
    # A verifier holding the address checks it the way the spec says: sha256 of the address + salt.
    expected = "sha256$" + hashlib.sha256(("ada@example.org" + identity["salt"]).encode()).hexdigest()
    assert identity["identityHash"] == expected


def test_the_credential_names_its_status_list_entry(issuer: credential.Issuer) -> None:
    status = unsigned_credential(issuer, index=42)["credentialStatus"]

    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    assert status["statusListIndex"] == "42"
    assert status["id"] == status["statusListCredential"] + "#42"


@pytest.mark.parametrize(
    ("url", "shipped"),
    [
        (contexts.VC_V2, Path("w3c-vc-2.0/credentials-v2.jsonld")),
        (contexts.OB_V3, Path("openbadges-3.0/context-3.0.3.json")),
    ],
)
def test_the_shipped_json_ld_contexts_are_the_published_ones_unchanged(
    standards: Path, url: str, shipped: Path
) -> None:
    published = json.loads((standards / shipped).read_text())

    assert contexts.load_context(url)["document"] == published
