"""The About page: what cupure does and every source it reads, linked (issue #23)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from cupure.sources.services import publisher_get_or_create

pytestmark = pytest.mark.django_db


def test_about_says_no_sources_before_any(client: Client) -> None:
    response = client.get("/about/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>About and sources — cupure</title>" in html
    assert '<h1 class="page-title">About cupure</h1>' in html
    assert "Every article belongs to its publisher." in html
    assert "<li>No sources yet.</li>" in html


def test_about_links_every_publisher(client: Client) -> None:
    gazette = publisher_get_or_create(
        name="The Test Gazette", homepage_url="https://gazette.example/"
    )
    herald = publisher_get_or_create(
        name="Harbour <Herald>", homepage_url="https://herald.example/"
    )
    html = client.get("/about/").content.decode()
    sources = html[html.index("<h2>Sources</h2>") :]
    links = re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', sources)
    assert sorted(links) == sorted(
        [
            (gazette.get_absolute_url(), "The Test Gazette"),
            (herald.get_absolute_url(), "Harbour &lt;Herald&gt;"),
        ]
    )
    assert "No sources yet." not in html
