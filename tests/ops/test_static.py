"""`cupure serve` collects the static files when production settings need them."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.test import override_settings

from cupure.ops.static import StaticFilesError, static_files_ensure

MANIFEST_STORAGE = {
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
}


def production_static(root: Path):
    return override_settings(
        STATIC_ROOT=root, STORAGES=MANIFEST_STORAGE, WHITENOISE_USE_FINDERS=False
    )


def test_collects_when_missing_then_only_when_stale(tmp_path: Path) -> None:
    root = tmp_path / "static"
    said: list[str] = []
    with production_static(root):
        static_files_ensure(said.append)
        first = list(said)
        said.clear()
        static_files_ensure(said.append)
        unchanged = list(said)
        # The stylesheets are newer than this manifest (an upgrade installed them).
        manifest = root / "staticfiles.json"
        os.utime(manifest, (0, 0))
        static_files_ensure(said.append)

    assert first[0] == f"Collecting static files into {root} (no manifest yet)…"
    assert first[1].startswith("Static files collected in ")
    paths = json.loads(manifest.read_text())["paths"]
    assert "cupure/favicon.svg" in paths
    assert (root / paths["cupure/favicon.svg"]).exists()
    assert unchanged == [], "an up-to-date manifest is left alone"
    assert said[0].startswith(f"Collecting static files into {root} (")
    assert said[0].endswith(" changed)…")


def test_development_settings_collect_nothing(tmp_path: Path) -> None:
    said: list[str] = []
    static_files_ensure(said.append)  # the test settings serve from the apps
    assert said == []


def test_a_place_it_cannot_write_stops_with_the_command_that_fixes_it(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "home"
    blocker.write_text("a file where the home directory should be")
    with production_static(blocker / "static"), pytest.raises(StaticFilesError) as err:
        static_files_ensure(lambda _line: None)

    message = str(err.value)
    assert "cupure manage collectstatic --noinput" in message
    assert "\n" not in message
