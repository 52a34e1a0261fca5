"""Fixtures for the image tests: both storages (the file system, and S3 on a real
S3-compatible server that the suite starts on 127.0.0.1), and a publisher."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.loopback import LoopbackSite
from tests.sources.conftest import gazette  # noqa: F401 - a fixture used here

S3_KEY = "cupure-test"
S3_SECRET = "cupure-test-secret"
S3_REGION = "us-east-1"


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server, in server mode on 127.0.0.1 (an ephemeral port): real HTTP
    requests from boto3, as against any S3-compatible store."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@dataclass
class Storage:
    """The storage a test runs on, and how to list what it holds."""

    kind: str
    root: Path | None = None
    bucket: str = ""
    endpoint: str = ""

    def names(self) -> list[str]:
        if self.root is not None:
            return sorted(
                str(p.relative_to(self.root))
                for p in self.root.rglob("*")
                if p.is_file()
            )
        listing = s3_client(self.endpoint).list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))


def s3_client(endpoint: str):  # type: ignore[no-untyped-def]
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=S3_KEY,
        aws_secret_access_key=S3_SECRET,
        region_name=S3_REGION,
    )


@pytest.fixture(params=["filesystem", "s3"])
def image_storage(
    request: pytest.FixtureRequest,
    settings: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Storage:
    """Each test using this runs twice: renditions on the file system, then in an
    S3 bucket of its own (configured as a site owner would, by environment)."""
    from cupure.settings.base import image_storage as storage_config

    if request.param == "filesystem":
        settings.MEDIA_ROOT = tmp_path / "media"
        settings.STORAGES = {**settings.STORAGES, "default": storage_config("")}
        return Storage("filesystem", root=tmp_path / "media")
    endpoint = request.getfixturevalue("s3_endpoint")
    bucket = f"cupure-{uuid.uuid4().hex[:12]}"
    s3_client(endpoint).create_bucket(Bucket=bucket)
    use_s3(settings, monkeypatch, endpoint, bucket)
    return Storage("s3", bucket=bucket, endpoint=endpoint)


def use_s3(
    settings: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    endpoint: str,
    bucket: str,
) -> None:
    """Configure the renditions' storage as a site owner would for a bucket."""
    from cupure.settings.base import image_storage as storage_config

    for name, value in {
        "CUPURE_S3_ENDPOINT_URL": endpoint,
        "CUPURE_S3_ACCESS_KEY": S3_KEY,
        "CUPURE_S3_SECRET_KEY": S3_SECRET,
        "CUPURE_S3_REGION": S3_REGION,
    }.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "default": storage_config(bucket)}


@pytest.fixture
def publisher_site(allow_loopback: None) -> Iterator[LoopbackSite]:
    """A publisher's web server on 127.0.0.1 (which the fetcher may reach)."""
    with LoopbackSite() as site:
        yield site
