"""The installable app: the manifest, its icons and the service worker, as a browser fetches them;
the reminders page; the click-through of a push; what check-config says about push."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from PIL import Image

from momentum.sitesettings.config_checks import push

pytestmark = pytest.mark.django_db


def test_every_page_links_the_manifest_and_the_app_script(client: Client) -> None:
    page = client.get("/").content.decode()

    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert "js/pwa.js" in page


def test_the_manifest_makes_the_site_installable(client: Client) -> None:
    response = client.get("/manifest.webmanifest")

    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["display"] == "standalone"
    assert manifest["start_url"].startswith("/")
    assert manifest["scope"] == "/"
    assert manifest["theme_color"] == "#3340d6"
    assert {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]} == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("512x512", "maskable"),
    }


def test_the_manifests_icons_are_pngs_of_the_sizes_it_says(client: Client) -> None:
    for icon in json.loads(client.get("/manifest.webmanifest").content)["icons"]:
        response = client.get(icon["src"])
        assert response.status_code == 200, icon["src"]
        body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        image = Image.open(io.BytesIO(body))
        assert image.format == "PNG"
        assert f"{image.width}x{image.height}" == icon["sizes"]


def test_the_service_worker_is_served_from_the_root_so_it_controls_every_page(client: Client) -> None:
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    assert 'const VERSION = "1";' in script
    assert "{{" not in script
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_the_reminders_page_offers_the_subscribe_control_with_the_public_key(client: Client, learner: Any) -> None:
    client.force_login(learner)

    page = client.get("/profile/push/").content.decode()

    assert "data-push-subscribe" in page
    assert "data-public-key=" in page
    assert "No device yet." in page


def test_the_reminders_page_needs_an_account(client: Client) -> None:
    assert client.get("/profile/push/")["Location"].startswith("/accounts/login/")


def test_an_unknown_push_link_is_a_not_found_page(client: Client) -> None:
    response = client.get("/push/open/0b9b8f3e-61a1-4a39-a9a6-51f8a7a6c0de/")

    assert response.status_code == 404
    assert "This reminder link is not known." in response.content.decode()


def test_check_config_says_push_is_off_without_a_key_in_production(settings: Any) -> None:
    settings.DEPLOYED = True
    settings.VAPID_PRIVATE_KEY = ""

    result = push()

    assert result["configured"] == "off"
    assert result["ok"] is True  # optional: the site works without it
    assert "MOMENTUM_VAPID_PRIVATE_KEY" in result["detail"]
    assert "generate-vapid-keys" in result["detail"]


def test_check_config_fails_on_a_vapid_key_that_is_not_one(settings: Any) -> None:
    settings.VAPID_PRIVATE_KEY = "not a key"

    result = push()

    assert result["ok"] is False
    assert "not a P-256 private key" in result["detail"]


def test_generate_vapid_keys_prints_a_key_the_site_accepts(settings: Any) -> None:
    out = io.StringIO()
    call_command("generate_vapid_keys", stdout=out)
    line = next(line for line in out.getvalue().splitlines() if line.startswith("MOMENTUM_VAPID_PRIVATE_KEY="))
    settings.VAPID_PRIVATE_KEY = line.split("=", 1)[1].replace("\\n", "\n")

    assert push()["ok"] is True
    assert push()["configured"] == "vapid"
