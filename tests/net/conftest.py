"""Fixtures: loopback route servers (plain and TLS) and a throwaway certificate."""

from __future__ import annotations

import ssl
import subprocess
from collections.abc import Iterator

import pytest

from tests.net.servers import Certificate, RouteServer


@pytest.fixture
def server() -> Iterator[RouteServer]:
    """A plain-HTTP route server on 127.0.0.1."""
    instance = RouteServer()
    instance.start()
    yield instance
    instance.stop()


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    """A self-signed certificate for ``feed.test`` and 127.0.0.1 (made by openssl)."""
    directory = tmp_path_factory.mktemp("tls")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec",
            "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", str(key), "-out", str(cert), "-days", "2",
            "-subj", "/CN=feed.test",
            "-addext", "subjectAltName=DNS:feed.test,IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return Certificate(cert, key)


@pytest.fixture
def tls_server(certificate: Certificate) -> Iterator[RouteServer]:
    """An HTTPS route server on 127.0.0.1 presenting the self-signed certificate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate.cert, certificate.key)
    instance = RouteServer(tls=context)
    instance.start()
    yield instance
    instance.stop()
