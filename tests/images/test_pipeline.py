"""Images from ingest to page, on both storages: fetched after the article is
committed, stored once, served by the site (or the bucket) for good, shown with
their real size and renditions, removed with the last article using them."""

from __future__ import annotations

import io
import json
import re
import urllib.request

import pytest
from django.test import Client
from PIL import Image

from cupure.articles.models import Article
from cupure.images.models import ArticleImage, StoredImage
from cupure.sources.services import feed_poll
from tests.images.conftest import Storage
from tests.images.helpers import article_with_images, fetch_images, lead_record
from tests.imaging import samples
from tests.loopback import LoopbackSite, Page
from tests.sources.conftest import subscribe

pytestmark = pytest.mark.django_db

IMG_TAG = re.compile(r"<img [^>]*>")


def attribute(tag: str, name: str) -> str:
    found = re.search(rf'\s{name}="([^"]*)"', tag)
    assert found, (name, tag)
    return found.group(1)


def fetch_url(client: Client, url: str) -> tuple[int, dict[str, str], bytes]:
    """GET a rendition as a browser would: from the site, or from the bucket."""
    if url.startswith("/"):
        response = client.get(url)
        body = b"".join(response.streaming_content)
        return response.status_code, dict(response.headers), body
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def test_ingest_fetches_the_images_after_the_article_is_committed(
    gazette: LoopbackSite,
    image_storage: Storage,
    client: Client,
    django_capture_on_commit_callbacks,
) -> None:
    gazette.pages["/img/bridge.jpg"] = Page(
        samples.photo(1200, 675, gps=True), "image/jpeg"
    )
    gazette.pages["/img/crane.jpg"] = Page(
        samples.photo(800, 450, fmt="PNG"), "image/png"
    )
    feed = subscribe(gazette, "/rss.xml")
    with django_capture_on_commit_callbacks() as callbacks:
        result = feed_poll(feed=feed)
        assert result.ingested == 2
        # Stored, and not one image asked for before the commit.
        assert not [p for p in gazette.requests if p.startswith("/img/")]
        assert ArticleImage.objects.filter(status="pending").count() == 2
    for callback in callbacks:
        callback()

    bridge = Article.objects.get(canonical_url=gazette.url("/news/bridge-reopens"))
    lead = lead_record(bridge)
    assert lead.status == ArticleImage.Status.STORED, lead.reason
    assert lead.source_url == gazette.url("/img/bridge.jpg")
    assert (lead.image.width, lead.image.height) == (1200, 675)
    figure = ArticleImage.objects.get(article=bridge, figure__isnull=False)
    assert figure.status == ArticleImage.Status.STORED
    assert gazette.requests.count("/img/bridge.jpg") == 1

    # Licensed in full, so its page shows the inline figure too (cupure.rights).
    bridge.publisher.display_policy = "full"
    bridge.publisher.save(update_fields=["display_policy"])
    page = client.get(bridge.get_absolute_url()).content.decode()
    tags = IMG_TAG.findall(page)
    assert len(tags) == 2
    lead_tag, figure_tag = tags
    assert (attribute(lead_tag, "width"), attribute(lead_tag, "height")) == (
        "1200",
        "675",
    )
    assert "loading" not in lead_tag, "the lead is above the fold"
    assert attribute(figure_tag, "loading") == "lazy"
    assert (attribute(figure_tag, "width"), attribute(figure_tag, "height")) == (
        "800",
        "450",
    )
    for tag in tags:
        assert attribute(tag, "decoding") == "async"
        assert attribute(tag, "sizes")
    srcset = attribute(lead_tag, "srcset").split(", ")
    assert [item.rsplit(" ", 1)[1] for item in srcset] == [
        "320w",
        "400w",
        "560w",
        "720w",
        "960w",
        "1200w",
    ]
    # The caption keeps the credit; the publisher's image URL is not in the page.
    assert "Ole Brandt" in page
    assert gazette.url("/img/") not in page

    # The rendition is served, as WebP, cached for good, without the GPS position.
    status, headers, body = fetch_url(client, srcset[-1].rsplit(" ", 1)[0])
    assert status == 200
    lowered = {k.lower(): v for k, v in headers.items()}
    assert lowered["content-type"] == "image/webp"
    assert "immutable" in lowered["cache-control"]
    assert "max-age=31536000" in lowered["cache-control"]
    image = Image.open(io.BytesIO(body))
    assert image.format == "WEBP" and image.size == (1200, 675)
    assert not image.getexif()


def test_the_same_image_is_stored_once_and_removed_with_its_last_article(
    publisher_site: LoopbackSite,
    image_storage: Storage,
    django_capture_on_commit_callbacks,
) -> None:
    photo = samples.photo(1000, 500)
    publisher_site.pages["/a.jpg"] = Page(photo, "image/jpeg")
    publisher_site.pages["/copy-of-a.jpg"] = Page(photo, "image/jpeg")
    publisher_site.pages["/b.jpg"] = Page(samples.photo(640, 480), "image/jpeg")
    first = article_with_images(lead=publisher_site.url("/a.jpg"))
    second = article_with_images(
        lead=publisher_site.url("/copy-of-a.jpg"),
        figures=(publisher_site.url("/b.jpg"),),
    )
    third = article_with_images(lead=publisher_site.url("/a.jpg"))
    for article in (first, second, third):
        fetch_images(article, django_capture_on_commit_callbacks)

    assert StoredImage.objects.count() == 2
    # The same URL is not fetched again for another article.
    assert publisher_site.requests.count("/a.jpg") == 1
    shared = lead_record(first).image
    assert lead_record(second).image == shared == lead_record(third).image
    files = image_storage.names()
    assert len(files) == len(shared.renditions) + 4  # b.jpg: 320, 400, 560, 640
    assert {r["name"] for r in shared.renditions} <= set(files)

    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
        third.delete()
    assert set(image_storage.names()) == set(files), "still used by the second"
    with django_capture_on_commit_callbacks(execute=True):
        second.delete()
    assert StoredImage.objects.count() == 0
    assert image_storage.names() == []


def test_a_rolled_back_deletion_keeps_the_files(
    publisher_site: LoopbackSite,
    image_storage: Storage,
    django_capture_on_commit_callbacks,
) -> None:
    from django.db import transaction

    publisher_site.pages["/a.jpg"] = Page(samples.photo(), "image/jpeg")
    article = article_with_images(lead=publisher_site.url("/a.jpg"))
    fetch_images(article, django_capture_on_commit_callbacks)
    files = image_storage.names()
    assert files

    class Abort(Exception):
        pass

    def delete_then_fail() -> None:
        with transaction.atomic():
            article.delete()
            raise Abort

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Abort):
        delete_then_fail()
    assert image_storage.names() == files
    assert StoredImage.objects.count() == 1


def test_pages_without_images_have_no_image_boxes(
    publisher_site: LoopbackSite, client: Client, django_capture_on_commit_callbacks
) -> None:
    # One article with an image that failed, one never had one: no <img> anywhere.
    failed = article_with_images(lead=publisher_site.url("/gone.jpg"))
    fetch_images(failed, django_capture_on_commit_callbacks)
    plain = article_with_images()
    for url in ("/", failed.get_absolute_url(), plain.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "<img" not in html, url
        assert "<figure" not in html, url


def test_the_csp_allows_only_our_images(image_storage: Storage, client: Client) -> None:
    policy = client.get("/")["Content-Security-Policy"]
    img_src = next(d for d in policy.split("; ") if d.startswith("img-src"))
    if image_storage.kind == "filesystem":
        assert img_src == "img-src 'self'"
    else:
        # The bucket's origin, and nothing else (no http:, https:, data:).
        assert img_src == f"img-src 'self' {image_storage.endpoint}"


def test_the_site_serves_only_rendition_names(
    image_storage: Storage, client: Client
) -> None:
    for path in (
        "/media/../settings.py",
        "/media/ab/cupure.sqlite3",
        "/media/ab/0123456789abcdef0123456789abcd-320.svg",
    ):
        assert client.get(path).status_code == 404, path


def test_images_can_be_turned_off(
    gazette: LoopbackSite, settings, django_capture_on_commit_callbacks
) -> None:
    settings.CUPURE_IMAGES = False
    with django_capture_on_commit_callbacks(execute=True):
        assert feed_poll(feed=subscribe(gazette, "/rss.xml")).ingested == 2
    assert ArticleImage.objects.count() == 0
    assert not [p for p in gazette.requests if p.startswith("/img/")]


def test_cupure_images_reports_refetches_and_prunes(
    publisher_site: LoopbackSite,
    image_storage: Storage,
    capsys: pytest.CaptureFixture[str],
    django_capture_on_commit_callbacks,
) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from cupure.cli import _say_lost_image_files, main

    publisher_site.pages["/ok.jpg"] = Page(samples.photo(), "image/jpeg")
    publisher_site.pages["/page.jpg"] = Page(samples.HTML_PAGE, "image/jpeg")
    good = article_with_images(lead=publisher_site.url("/ok.jpg"))
    bad = article_with_images(lead=publisher_site.url("/page.jpg"))
    for article in (good, bad):
        fetch_images(article, django_capture_on_commit_callbacks)
    stray = "ab/" + "0" * 30 + "-320.webp"
    default_storage.save(stray, ContentFile(b"left by a crash"))

    assert main(["images", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["images"] == 1 and report["renditions"] == 6
    assert report["lost_files"] == 0
    assert report["uses"] == {"pending": 0, "stored": 1, "skipped": 1}
    assert report["skipped"][0]["url"] == publisher_site.url("/page.jpg")
    assert "HTML page" in report["skipped"][0]["reason"]

    # The publisher fixed its image; a rendition file went missing.
    publisher_site.pages["/page.jpg"] = Page(samples.photo(500, 300), "image/jpeg")
    default_storage.delete(lead_record(good).image.renditions[0]["name"])
    # Said by `cupure images`, and by `cupure restore` (a backup holds no files).
    assert main(["images"]) == 0
    assert "1 images have lost files" in capsys.readouterr().out
    _say_lost_image_files()
    assert "Restored images have no files here (1 of" in capsys.readouterr().err
    assert main(["images", "--refetch", "--prune"]) == 0
    out = capsys.readouterr().out
    assert "refetch: 2 stored" in out
    assert "prune: 0 unused images and 1 stray files removed" in out
    assert lead_record(bad).status == ArticleImage.Status.STORED
    assert stray not in image_storage.names()
    expected = {
        r["name"] for image in StoredImage.objects.all() for r in image.renditions
    }
    assert set(image_storage.names()) == expected


def test_refetch_fetches_the_images_of_articles_stored_before(
    publisher_site: LoopbackSite, image_storage: Storage
) -> None:
    from cupure.images.services import images_refetch

    publisher_site.pages["/old.jpg"] = Page(samples.photo(), "image/jpeg")
    publisher_site.pages["/old-figure.png"] = Page(
        samples.photo(500, 300, fmt="PNG"), "image/png"
    )
    # Stored without any image record, as before this feature (or with it off).
    article = article_with_images(
        lead=publisher_site.url("/old.jpg"),
        figures=(publisher_site.url("/old-figure.png"),),
    )
    assert ArticleImage.objects.count() == 0

    assert images_refetch().stored == 2
    assert lead_record(article).status == ArticleImage.Status.STORED
    assert ArticleImage.objects.get(figure__isnull=False).status == "stored"
    assert images_refetch().stored == 0, "nothing left to do"


# Six reports that share no sentence (copies would be folded into one card).
REPORTS = [
    "Ferry crews went on strike over pay on Tuesday morning.",
    "A storm flooded the market; traders counted their losses at noon.",
    "The museum opened a new wing about shipbuilding and sailmakers.",
    "Engineers finished the tunnel two months early and under budget.",
    "The library will open on Sundays from March, the council decided.",
    "Station staff tested new ticket gates during the night shift.",
]


@pytest.mark.parametrize("path", ["/", "/publishers/the-test-gazette/", "/search/"])
def test_pictures_cost_the_same_queries_for_few_and_many_articles(
    client: Client, path: str
) -> None:
    """One query per list of cards, however many pictures it shows (no query per
    card)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.images.helpers import attach_stored_images

    def queries_with(count: int) -> tuple[int, int]:
        for number in range(Article.objects.count(), count):
            article = article_with_images(
                lead=f"https://gazette.example/img/{number}.jpg",
                text=REPORTS[number] + " The story was reported.",
            )
            attach_stored_images(article)
        url = path + ("?q=reported" if path == "/search/" else "")
        client.get(url)  # caches filled once (trending topics…), as in a live site
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        return len(queries), html.count("<img ")

    few_queries, few_images = queries_with(2)
    many_queries, many_images = queries_with(6)
    assert few_images >= 2
    assert many_images >= 6
    assert many_queries == few_queries


def test_a_takedown_removes_the_articles_images(
    publisher_site: LoopbackSite,
    image_storage: Storage,
    django_capture_on_commit_callbacks,
) -> None:
    """Issue #18: a taken-down article's images go with it (files and records),
    except those another article still shows."""
    from cupure.rights.services import takedown

    publisher_site.pages["/own.jpg"] = Page(samples.photo(900, 500), "image/jpeg")
    publisher_site.pages["/shared.jpg"] = Page(samples.photo(700, 400), "image/jpeg")
    gone = article_with_images(
        lead=publisher_site.url("/own.jpg"),
        figures=(publisher_site.url("/shared.jpg"),),
    )
    # Another event told in other words (not a copy, which would go too).
    kept = article_with_images(
        lead=publisher_site.url("/shared.jpg"),
        text="Storm Edda floods Lowbridge.\n\nThe river Sund rose two metres.",
    )
    for article in (gone, kept):
        fetch_images(article, django_capture_on_commit_callbacks)
    shared = lead_record(kept).image
    assert StoredImage.objects.count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        takedown(urls=[gone.url], reason="licence withdrawn", requested_by="editor")

    assert list(StoredImage.objects.all()) == [shared]
    assert set(image_storage.names()) == {r["name"] for r in shared.renditions}
