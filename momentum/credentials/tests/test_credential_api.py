"""The Open Badges forms over HTTP, as a third-party verifier meets them: download the credential,
validate it against 1EdTech's schema, resolve the issuer's keys at /.well-known/, verify both
proofs with other libraries, and read revocation from the status list."""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
from django.test import Client
from django.urls import reverse
from jwcrypto import jwk, jws, jwt
from PIL import Image

from conftest import ApiClient
from momentum.accounts.models import User
from momentum.credentials import actions
from momentum.credentials.models import Credential
from tests.factories import make_certificate, make_history

from .test_openbadges_proofs import independently_verified
from .test_openbadges_statuslist import bit, bits_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keys(settings: Any, tmp_path: Any) -> None:
    settings.CREDENTIAL_KEYS_FILE = tmp_path / "secrets" / "credential-keys.json"
    settings.CREDENTIAL_KEYS = ""


def did_document(client: Client) -> dict[str, Any]:
    response = client.get("/.well-known/did.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    document: dict[str, Any] = response.json()
    return document


def test_a_certificates_credential_validates_and_its_proof_verifies_with_the_published_did_document(
    learner: User, api: ApiClient, client: Client, achievement_schema: dict[str, Any], standards: Any
) -> None:
    certificate = make_certificate(learner)

    response = api.get(f"/certificates/{certificate.id}/credential")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    credential = json.loads(response.content)
    assert list(jsonschema.Draft201909Validator(achievement_schema).iter_errors(credential)) == []
    assert credential["credentialSubject"]["achievement"]["achievementType"] == "Certificate"
    assert "every lesson" in credential["credentialSubject"]["achievement"]["criteria"]["narrative"]
    assert learner.email not in response.content.decode()
    document = did_document(client)
    assert document["id"] == credential["issuer"]["id"]
    assert independently_verified(credential, document, standards)


def test_a_certificates_vc_jwt_verifies_with_jwcrypto_and_the_published_jwks(
    learner: User, api: ApiClient, client: Client
) -> None:
    certificate = make_certificate(learner)

    response = api.get(f"/certificates/{certificate.id}/credential.jwt")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    token = response.content.decode()
    header = jws.JWS()
    header.deserialize(token)
    key_set = jwk.JWKSet.from_json(client.get("/.well-known/jwks.json").content)
    checked = jwt.JWT(jwt=token, key=key_set.get_key(header.jose_header["kid"]), algs=["EdDSA"])
    claims = json.loads(checked.claims)
    assert header.jose_header["typ"] == "vc+jwt"
    assert claims["jti"] == f"urn:uuid:{certificate.id}"
    assert claims == {k: v for k, v in json.loads(api.get(f"/certificates/{certificate.id}/credential").content).items()
                      if k != "proof"} | {k: claims[k] for k in ("iss", "jti", "nbf", "iat")}  # fmt: skip


def test_the_credential_is_signed_once_at_issue_and_read_back_unchanged(learner: User, api: ApiClient) -> None:
    certificate = make_certificate(learner)
    stored = Credential.objects.get(pk=certificate.pk)

    first = api.get(f"/certificates/{certificate.id}/credential").json()
    again = api.get(f"/certificates/{certificate.id}/credential").json()

    assert stored.signed_credential == first == again
    assert stored.credential_jwt == api.get(f"/certificates/{certificate.id}/credential.jwt").content.decode()


def test_revoking_sets_the_credentials_bit_in_the_signed_status_list(
    learner: User, admin: User, api_as: Any, client: Client, standards: Any
) -> None:
    api = api_as(None)
    certificate = make_certificate(learner)
    status = api.get(f"/certificates/{certificate.id}/credential").json()["credentialStatus"]
    index = int(status["statusListIndex"])
    before = client.get(status["statusListCredential"].removeprefix(_site()))

    assert api_as(admin).post(f"/certificates/{certificate.id}/revoke", {"reason": "Plagiarism"}).status_code == 200
    after = client.get(status["statusListCredential"].removeprefix(_site()))

    assert before.status_code == after.status_code == 200
    assert after["Content-Type"] == "application/ld+json"
    listed = after.json()
    assert listed["id"] == status["statusListCredential"]
    assert bit(bits_of(before.json()["credentialSubject"]["encodedList"]), index) == 0
    assert bit(bits_of(listed["credentialSubject"]["encodedList"]), index) == 1
    assert independently_verified(listed, did_document(client), standards)


def _site() -> str:
    from django.conf import settings

    return str(settings.SITE_URL)


def test_a_learners_badges_link_their_credential_and_a_png_with_it_baked_in(
    learner: User, api_as: Any, achievement_schema: dict[str, Any]
) -> None:
    history = make_history(learner)

    item = api_as(learner).get("/me/badges").json()["items"][0]
    credential = api_as(learner).get(urlsplit(item["credential_url"]).path).json()
    image = api_as(learner).get(urlsplit(item["credential_image_url"]).path)

    assert item["credential_url"].endswith(f"/badge-credentials/{history.badge_credential.id}/credential")
    assert credential["credentialSubject"]["achievement"]["achievementType"] == "Badge"
    assert jsonschema.Draft201909Validator(achievement_schema).is_valid(credential)
    assert image["Content-Type"] == "image/png"
    png = Image.open(io.BytesIO(image.content))
    png.load()
    assert json.loads(png.text["openbadgecredential"]) == credential  # type: ignore[attr-defined]
    jwt_text = api_as(learner).get(urlsplit(item["credential_url"]).path + ".jwt")
    assert jwt_text["Content-Type"] == "application/vc+jwt"


@pytest.mark.parametrize(
    "path",
    [
        "/certificates/{badge}/credential",
        "/badge-credentials/{certificate}/credential.jwt",
        "/badge-credentials/{certificate}/image.png",
        "/certificates/00000000-0000-4000-8000-000000000000/credential.jwt",
    ],
)
def test_an_unknown_credential_or_one_of_the_other_kind_is_a_404_problem(
    learner: User, api: ApiClient, path: str
) -> None:
    history = make_history(learner)

    response = api.get(path.format(badge=history.badge_credential.id, certificate=history.certificate.id))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_an_erased_learners_credentials_are_gone_from_every_form(learner: User, api: ApiClient) -> None:
    from momentum.credentials import personal_data

    history = make_history(learner)

    personal_data.erase(learner)

    assert api.get(f"/certificates/{history.certificate.id}/credential").status_code == 404
    assert api.get(f"/badge-credentials/{history.badge_credential.id}/image.png").status_code == 404
    erased = Credential.objects.get(pk=history.certificate.pk)
    assert erased.signed_credential is None
    assert erased.credential_jwt == ""


def test_a_status_list_past_the_last_one_in_use_is_a_404_and_a_negative_number_a_422(api: ApiClient) -> None:
    assert api.get("/credentials/status-lists/0").status_code == 200
    assert api.get("/credentials/status-lists/1").status_code == 404
    assert api.get("/credentials/status-lists/-1").status_code == 422


def test_without_a_signing_key_a_deployed_site_still_issues_and_signs_once_a_key_is_made(
    learner: User, api: ApiClient, settings: Any
) -> None:
    settings.CREDENTIAL_KEYS_AUTOCREATE = False

    certificate = make_certificate(learner)
    missing = api.get(f"/certificates/{certificate.id}/credential")

    assert missing.status_code == 503
    assert missing.json()["code"] == "credential_keys_missing"
    assert Credential.objects.get(pk=certificate.pk).signed_credential is None

    settings.CREDENTIAL_KEYS_AUTOCREATE = True  # as after `momentum credential-keys generate`
    assert api.get(f"/certificates/{certificate.id}/credential").status_code == 200
    assert Credential.objects.get(pk=certificate.pk).signed_credential is not None


def test_signing_again_keeps_the_credential_first_signed(learner: User) -> None:
    certificate = make_certificate(learner)
    first = Credential.objects.get(pk=certificate.pk).signed_credential

    actions.do_sign_credential(Credential.objects.get(pk=certificate.pk))

    assert Credential.objects.get(pk=certificate.pk).signed_credential == first


def test_the_did_document_and_jwks_name_the_same_keys(client: Client) -> None:
    document = did_document(client)
    keys = client.get(reverse("credentials:jwks")).json()["keys"]

    assert [key["kid"] for key in keys] == [method["id"] for method in document["verificationMethod"]]
    assert all(key["kty"] == "OKP" and key["crv"] == "Ed25519" and "d" not in key for key in keys)
    assert document["assertionMethod"] == [method["id"] for method in document["verificationMethod"]]
