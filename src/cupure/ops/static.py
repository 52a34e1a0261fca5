"""Static files for production settings, collected by the command that needs them.

With ``cupure.settings.prod`` the pages name their stylesheets and icons by content
hash, from the manifest ``collectstatic`` writes under STATIC_ROOT (WhiteNoise then
serves them compressed and cached forever). Without that manifest every page failed
with a 500 (issue #20) until someone knew to run ``cupure manage collectstatic``.
``cupure serve`` now runs it itself whenever the manifest is missing or older than
the static files it was made from (an upgrade, an edited stylesheet), and says so;
when it is up to date, nothing is written (STATIC_ROOT may then be read-only).
"""

from __future__ import annotations

import contextlib
import fcntl
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.utils.module_loading import import_string


class StaticFilesError(Exception):
    """The static files could not be collected; the message says what to do."""


def _source_files() -> Iterator[tuple[str, Path]]:
    """Every static file the apps ship: (name under STATIC_URL, its path)."""
    ignore = ["CVS", ".*", "*~"]
    for finder in get_finders():
        for name, storage in finder.list(ignore):
            prefix = getattr(storage, "prefix", None)
            if prefix:
                name = f"{prefix}/{name}"
            yield name.replace("\\", "/"), Path(storage.path(name))


def _manifest_path() -> Path | None:
    """Where the manifest lives, or None when these settings use no manifest."""
    if not settings.STATIC_ROOT:
        return None
    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    storage_class = import_string(backend)
    if not issubclass(storage_class, ManifestFilesMixin):
        return None
    return Path(settings.STATIC_ROOT) / storage_class.manifest_name


def why_stale(manifest: Path) -> str | None:
    """Why the manifest must be made again, or None when it is up to date."""
    import json

    if not manifest.exists():
        return "no manifest yet"
    try:
        paths = json.loads(manifest.read_text())["paths"]
        made = manifest.stat().st_mtime
    except (OSError, ValueError, KeyError, TypeError):
        return "the manifest is unreadable"
    for name, path in _source_files():
        if name not in paths:
            return f"{name} is new"
        if path.stat().st_mtime > made:
            return f"{name} changed"
    return None


@contextlib.contextmanager
def _exclusive(directory: Path) -> Iterator[None]:
    """One collector at a time per directory (two servers starting at once)."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".collect.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def static_files_ensure(say: Callable[[str], None]) -> None:
    """Collect the static files when the manifest is missing or stale."""
    from django.core.management import call_command

    manifest = _manifest_path()
    if manifest is None:
        return  # development settings: WhiteNoise serves from the apps
    root = manifest.parent
    try:
        if why_stale(manifest) is None:
            return
        with _exclusive(root):
            reason = why_stale(manifest)  # another server may have just done it
            if reason is None:
                return
            say(f"Collecting static files into {root} ({reason})…")
            started = time.monotonic()
            call_command("collectstatic", interactive=False, verbosity=0)
    except (OSError, ValueError) as error:
        raise StaticFilesError(
            f"cannot collect the static files into {root} ({error}); run "
            "`cupure manage collectstatic --noinput` as a user who may write there "
            "(or set CUPURE_HOME to a writable directory), then start again"
        ) from error
    say(f"Static files collected in {time.monotonic() - started:.1f}s")
