"""pylti1p3's view of our registrations: a ToolConf that reads LtiPlatform / LtiDeployment rows and
signs with the tool key (momentum/lti/keys.py). One issuer may register several client IDs."""

from __future__ import annotations

from typing import Any

from pylti1p3.deployment import Deployment
from pylti1p3.registration import Registration
from pylti1p3.tool_config.abstract import ToolConfAbstract

from momentum.lti import keys
from momentum.lti.models import LtiDeployment, LtiPlatform


def registration_of(platform: LtiPlatform) -> Registration:
    key = keys.tool_key()
    registration = Registration()
    registration.set_issuer(platform.issuer)
    registration.set_client_id(platform.client_id)
    registration.set_auth_login_url(platform.auth_login_url)
    registration.set_auth_token_url(platform.auth_token_url)
    registration.set_key_set_url(platform.keyset_url)
    if platform.auth_audience:
        registration.set_auth_audience(platform.auth_audience)
    registration.set_tool_private_key(key.private_pem)
    registration.set_tool_public_key(key.public_pem)
    return registration


class PlatformToolConf(ToolConfAbstract):  # type: ignore[type-arg]
    def __init__(self) -> None:
        self.issuers_relation_types = {}

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def _platform(self, iss: str, client_id: str | None) -> LtiPlatform | None:
        platforms = LtiPlatform.objects.filter(issuer=iss)
        if client_id:
            return platforms.filter(client_id=client_id).first()
        # An OIDC login may omit client_id: it is enough when the issuer has one registration.
        found = list(platforms[:2])
        return found[0] if len(found) == 1 else None

    # pylti1p3 answers a None registration with its own "not found" error: None is part of the contract.
    def find_registration_by_issuer(self, iss: str, *args: Any, **kwargs: Any) -> Registration | None:  # type: ignore[override]
        platform = self._platform(iss, None)
        return registration_of(platform) if platform else None

    def find_registration_by_params(  # type: ignore[override]
        self, iss: str, client_id: str, *args: Any, **kwargs: Any
    ) -> Registration | None:
        platform = self._platform(iss, client_id)
        return registration_of(platform) if platform else None

    def find_deployment(self, iss: str, deployment_id: str) -> Deployment | None:
        platform = self._platform(iss, None)
        return self._deployment(platform, deployment_id)

    def find_deployment_by_params(
        self, iss: str, deployment_id: str, client_id: str, *args: Any, **kwargs: Any
    ) -> Deployment | None:
        return self._deployment(self._platform(iss, client_id), deployment_id)

    def _deployment(self, platform: LtiPlatform | None, deployment_id: str) -> Deployment | None:
        if (
            platform is None
            or not LtiDeployment.objects.filter(platform=platform, deployment_id=deployment_id).exists()
        ):
            return None
        return Deployment().set_deployment_id(deployment_id)

    def get_jwks(self, iss: str | None = None, client_id: str | None = None, **kwargs: Any) -> dict[str, Any]:
        return keys.jwks()
