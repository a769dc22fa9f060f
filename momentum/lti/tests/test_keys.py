"""The tool's key and its public key set."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from jwcrypto.jwk import JWK

from momentum.lti import keys


@pytest.fixture
def key_file(tmp_path: Path, settings) -> Path:
    settings.LTI_PRIVATE_KEY = ""
    settings.LTI_KEY_FILE = tmp_path / "secrets" / "lti.pem"
    return settings.LTI_KEY_FILE  # type: ignore[no-any-return]


def test_dev_and_test_make_a_private_key_file_on_first_use(key_file: Path) -> None:
    key = keys.tool_key()
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert key.kid == JWK.from_pem(key.private_pem.encode()).thumbprint()


def test_the_key_set_publishes_only_the_public_key(key_file: Path, db: None) -> None:
    body = Client().get("/lti/jwks/").json()
    [jwk] = body["keys"]
    assert (jwk["kty"], jwk["alg"], jwk["use"], jwk["kid"]) == ("RSA", "RS256", "sig", keys.tool_key().kid)
    assert "d" not in jwk
    assert "p" not in jwk


def test_a_deployed_site_without_a_key_refuses_rather_than_invents_one(key_file: Path, settings, db: None) -> None:
    settings.LTI_KEYS_AUTOCREATE = False
    with pytest.raises(keys.LtiKeysMissing, match="lti-keys generate"):
        keys.tool_key()
    assert Client().get("/lti/jwks/").status_code == 503
    assert not key_file.exists()
