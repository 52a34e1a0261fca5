"""Hostile images (issue #17), on both storages: each is skipped with its reason,
nothing is stored, the article stays and its page shows no image."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client

from cupure.articles.models import Article
from cupure.images.models import ArticleImage, StoredImage
from tests.images.conftest import Storage
from tests.images.helpers import article_with_images, fetch_images, lead_record
from tests.imaging import samples
from tests.loopback import LoopbackSite, Page

pytestmark = pytest.mark.django_db


def assert_skipped(
    article: Article, storage: Storage, client: Client, *reason_parts: str
) -> None:
    record = lead_record(article)
    assert record.status == ArticleImage.Status.SKIPPED
    for part in reason_parts:
        assert part in record.reason, record.reason
    assert record.attempts == 1
    assert Article.objects.filter(pk=article.pk).exists()
    assert StoredImage.objects.count() == 0
    assert storage.names() == []
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "<img" not in html
    assert record.source_url not in html


@pytest.fixture
def internal_service() -> Iterator[LoopbackSite]:
    """A service on 127.0.0.1 that must never be reached (an admin API, metadata)."""
    with LoopbackSite() as site:
        site.pages["/secret.png"] = Page(samples.photo(fmt="PNG"), "image/png")
        yield site


def test_a_redirect_to_an_internal_address_is_refused(
    image_storage: Storage,
    internal_service: LoopbackSite,
    settings,
    client: Client,
    django_capture_on_commit_callbacks,
) -> None:
    # The publisher lives on 127.0.0.2, the only address the fetcher may reach;
    # its image redirects to 127.0.0.1, an internal address like any other.
    settings.CUPURE_FETCH_ALLOW_PRIVATE = "127.0.0.2/32"
    with LoopbackSite(host="127.0.0.2") as publisher:
        publisher.pages["/photo.jpg"] = Page(
            b"", status=302, headers={"Location": internal_service.url("/secret.png")}
        )
        article = article_with_images(lead=publisher.url("/photo.jpg"))
        fetch_images(article, django_capture_on_commit_callbacks)
        assert publisher.requests == ["/photo.jpg"]
    assert internal_service.requests == []
    assert_skipped(article, image_storage, client, "127.0.0.1", "redirect")


# (what the publisher serves, its Content-Type, words the stored reason must have)
HOSTILE_FILES = {
    "png-bomb-50000x50000": (samples.png_bomb, "image/png", "pixels"),
    "svg-with-script": (lambda: samples.SVG_WITH_SCRIPT, "image/svg+xml", "SVG"),
    "truncated-jpeg": (samples.truncated_jpeg, "image/jpeg", "cut short"),
    "photo-40mb": (
        samples.forty_megabyte_photo,
        "image/jpeg",
        "larger than 10,485,760 bytes",
    ),
    "html-as-jpeg": (lambda: samples.HTML_PAGE, "image/jpeg", "HTML page"),
}


@pytest.mark.parametrize("case", list(HOSTILE_FILES))
def test_a_hostile_file_is_refused(
    case: str,
    image_storage: Storage,
    publisher_site: LoopbackSite,
    client: Client,
    django_capture_on_commit_callbacks,
) -> None:
    make, content_type, reason = HOSTILE_FILES[case]
    publisher_site.pages[f"/{case}"] = Page(make(), content_type)
    article = article_with_images(lead=publisher_site.url(f"/{case}"))
    fetch_images(article, django_capture_on_commit_callbacks)
    assert_skipped(article, image_storage, client, reason)


def test_a_missing_image_is_skipped_and_refetched_later(
    image_storage: Storage,
    publisher_site: LoopbackSite,
    client: Client,
    django_capture_on_commit_callbacks,
) -> None:
    from cupure.images.services import images_refetch

    article = article_with_images(lead=publisher_site.url("/later.jpg"))
    fetch_images(article, django_capture_on_commit_callbacks)
    assert_skipped(article, image_storage, client, "404")

    publisher_site.pages["/later.jpg"] = Page(samples.photo(), "image/jpeg")
    report = images_refetch()
    assert report.stored == 1
    record = lead_record(article)
    assert record.status == ArticleImage.Status.STORED
    assert record.reason == ""
    assert len(image_storage.names()) == 6


def test_a_storage_that_fails_costs_the_image_not_the_ingest(
    publisher_site: LoopbackSite,
    s3_endpoint: str,
    settings,
    monkeypatch: pytest.MonkeyPatch,
    client: Client,
    django_capture_on_commit_callbacks,
) -> None:
    from tests.images.conftest import use_s3

    # A bucket nobody created: every write fails.
    use_s3(settings, monkeypatch, s3_endpoint, "cupure-no-such-bucket")
    publisher_site.pages["/a.jpg"] = Page(samples.photo(), "image/jpeg")
    article = article_with_images(lead=publisher_site.url("/a.jpg"))
    fetch_images(article, django_capture_on_commit_callbacks)

    record = lead_record(article)
    assert record.status == ArticleImage.Status.SKIPPED
    assert "could not be stored" in record.reason
    assert "NoSuchBucket" in record.reason
    assert StoredImage.objects.count() == 0
    assert client.get(article.get_absolute_url()).status_code == 200
