"""`momentum credential-keys generate|rotate|list`: the signing keys live in a 0600 file (or an
environment value), never in the database; rotating keeps old keys published so what they signed
still verifies; dev and test make a key on first use, staging and prod refuse to sign without one."""

from __future__ import annotations

import json
import stat
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from momentum.credentials import signing
from momentum.credentials.openbadges import dataintegrity, did
from momentum.sitesettings import config_checks

from .conftest import unsigned_credential


@pytest.fixture
def key_file(settings: Any, tmp_path: Path) -> Path:
    settings.CREDENTIAL_KEYS_FILE = tmp_path / "secrets" / "credential-keys.json"
    settings.CREDENTIAL_KEYS = ""
    settings.SITE_URL = "https://learn.example.org"
    return Path(settings.CREDENTIAL_KEYS_FILE)


def run(*args: str) -> str:
    out = StringIO()
    call_command("credential_keys", *args, stdout=out)
    return out.getvalue()


def test_generate_writes_a_key_ring_only_its_owner_can_read(key_file: Path) -> None:
    said = run("generate")

    assert said.startswith("Made the key ring")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700


def test_generating_again_keeps_the_key_it_has(key_file: Path) -> None:
    run("generate")
    before = key_file.read_text()

    assert run("generate").startswith("Kept the key ring")
    assert key_file.read_text() == before


@pytest.mark.django_db
def test_after_rotation_the_new_key_signs_and_old_credentials_still_verify(key_file: Path) -> None:
    run("generate")
    issuer = signing.issuer()
    old, _ = signing.sign(unsigned_credential(issuer))

    run("rotate")
    new, _ = signing.sign(unsigned_credential(issuer))

    document = signing.did_document()
    assert len(document["verificationMethod"]) == 2
    assert old["proof"][0]["verificationMethod"] != new["proof"][0]["verificationMethod"]
    assert new["proof"][0]["verificationMethod"] == document["verificationMethod"][-1]["id"]
    for credential in (old, new):
        assert dataintegrity.verify_proof(credential, signing.public_key)
    assert [key["kid"] for key in signing.jwks()["keys"]] == [m["id"] for m in document["verificationMethod"]]


def test_list_shows_which_key_signs_and_no_private_key(key_file: Path) -> None:
    run("generate")
    run("rotate")
    private = [key["private_key"] for key in json.loads(key_file.read_text())["keys"]]

    said = run("list")

    lines = said.splitlines()
    assert [line.split()[2] for line in lines] == ["verifies", "signs"]
    assert all(line.startswith("did:web:learn.example.org#key-") for line in lines)
    assert not any(secret in said for secret in private)


def test_rotating_without_a_key_ring_says_to_generate_first(key_file: Path) -> None:
    with pytest.raises(CommandError, match="generate one first"):
        run("rotate")


def test_a_deployed_profile_refuses_to_sign_without_a_key_and_check_config_says_so(
    key_file: Path, settings: Any
) -> None:
    settings.CREDENTIAL_KEYS_AUTOCREATE = False

    with pytest.raises(signing.CredentialKeysMissing, match="momentum credential-keys generate"):
        signing.key_ring()
    check = config_checks.credential_keys()

    assert not check["ok"]
    assert "credential-keys generate" in check["detail"]
    assert not key_file.exists()


def test_dev_and_test_make_a_key_on_first_use(key_file: Path) -> None:
    ring = signing.key_ring()

    assert key_file.exists()
    assert signing.key_ring().current.kid == ring.current.kid
    assert config_checks.credential_keys()["ok"]


def test_the_key_ring_can_come_from_the_environment_instead_of_a_file(key_file: Path, settings: Any) -> None:
    run("generate")
    settings.CREDENTIAL_KEYS = key_file.read_text()
    settings.CREDENTIAL_KEYS_FILE = key_file.parent / "elsewhere.json"

    assert signing.key_ring().current.public_multibase.startswith("z6Mk")
    with pytest.raises(CommandError, match="MOMENTUM_CREDENTIAL_KEYS holds the key ring"):
        run("rotate")


def test_a_damaged_key_file_is_named(key_file: Path) -> None:
    key_file.parent.mkdir(parents=True)
    key_file.write_text("{not json")

    with pytest.raises(CommandError, match=str(key_file)):
        run("list")


def test_the_issuer_is_the_did_web_of_the_sites_host(settings: Any) -> None:
    settings.SITE_URL = "http://127.0.0.1:8102"

    assert signing.issuer_id() == "did:web:127.0.0.1%3A8102"
    assert did.did_web("https://Learn.Example.org/") == "did:web:learn.example.org"


def test_the_keys_are_not_in_the_media_storage_or_the_backup_target(settings: Any) -> None:
    """Backups archive the database and the media storage (momentum/recovery): the key file is in neither."""
    key_file = Path(settings.CREDENTIAL_KEYS_FILE).resolve()

    for folder in (settings.MEDIA_ROOT, settings.BACKUP_TARGET, settings.STATIC_ROOT):
        assert not key_file.is_relative_to(Path(folder).resolve())
