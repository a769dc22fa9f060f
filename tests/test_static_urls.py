"""Static URLs on a page are the storage's own, hashed by the manifest when deployed, and each is
worked out once per process (momentum/lib/static_storage.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from momentum.lib.static_storage import KeptUrlManifestStaticFilesStorage, KeptUrlStaticFilesStorage


def test_a_deployed_static_url_is_the_manifests_hashed_name_worked_out_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = {"version": "1.1", "paths": {"css/momentum.css": "css/momentum.0123abcd.css"}}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    storage = KeptUrlManifestStaticFilesStorage(location=str(tmp_path), base_url="/static/")
    asked: list[str] = []
    stored_name = storage.stored_name

    def counted(name: str) -> Any:
        asked.append(name)
        return stored_name(name)

    monkeypatch.setattr(storage, "stored_name", counted)

    assert storage.url("css/momentum.css") == "/static/css/momentum.0123abcd.css"
    assert storage.url("css/momentum.css") == "/static/css/momentum.0123abcd.css"
    assert asked == ["css/momentum.css"]
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        storage.url("css/not-collected.css")


def test_a_development_static_url_is_the_file_under_the_static_url() -> None:
    storage = KeptUrlStaticFilesStorage(base_url="/static/")

    assert storage.url("css/momentum.css") == "/static/css/momentum.css"
    assert storage.url("css/momentum.css") == "/static/css/momentum.css"
