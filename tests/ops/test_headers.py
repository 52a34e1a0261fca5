"""Permissions-Policy on every response; gzip only where no secret is compressed."""

from __future__ import annotations

import gzip

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cupure.articles.models import Article

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/about/", "/no/such/page/", "/healthz"])
def test_every_response_sends_a_permissions_policy(client: Client, path: str) -> None:
    policy = client.get(path)["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


@pytest.mark.django_db
def test_an_anonymous_page_is_gzipped(client: Client, article: Article) -> None:
    plain = client.get(article.get_absolute_url())
    packed = client.get(article.get_absolute_url(), **GZIP)

    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 2


@pytest.mark.django_db
def test_a_form_page_is_gzipped_with_its_csrf_token_masked(client: Client) -> None:
    """The login form carries a CSRF token: Django masks it anew in every response,
    so the compressed bodies never hold the same secret twice (BREACH)."""
    first = client.get("/accounts/login/", **GZIP)
    second = client.get("/accounts/login/", **GZIP)

    assert first["Content-Encoding"] == "gzip"
    tokens = [
        gzip.decompress(r.content)
        .decode()
        .split('name="csrfmiddlewaretoken" value="')[1][:64]
        for r in (first, second)
    ]
    assert tokens[0] != tokens[1]


@pytest.mark.django_db
def test_a_signed_in_readers_pages_are_never_compressed(
    client: Client, article: Article
) -> None:
    reader = get_user_model().objects.create_user(
        username="mara", password="a long enough password"
    )
    client.force_login(reader)

    for path in ("/", article.get_absolute_url(), "/accounts/"):
        response = client.get(path, follow=True, **GZIP)
        assert response.status_code == 200, path
        assert "Content-Encoding" not in response, path
        assert "mara" in response.content.decode(), path
