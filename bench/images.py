"""Image benchmarks (issue #17): what serving our own renditions costs and saves.

Three parts, each printing its figures and the command that produced them:

``--ingest``
    The bundled demo publishers (pages and their images on 127.0.0.1, a process of
    their own) ingested by the real pipeline in one process, images off
    (``CUPURE_IMAGES=0``), on and made by the ingesting thread
    (``CUPURE_IMAGE_THREADS=0``), on and made in the image threads (the default),
    on fresh SQLite databases and an empty media folder each round: articles per
    second, time until the images are stored too, images stored, and the storage
    the renditions take per 1,000 articles.
``--renditions``
    ``cupure.imaging.process_image`` on a demo lead photo (1200×675 JPEG), an inline
    PNG and a 4000×3000 camera-size JPEG: milliseconds per image, bytes of the
    renditions; and AVIF (Pillow's own encoder) against our WebP on the same
    renditions: bytes and encoding time.
``--page-bytes URL``
    Image bytes a reader downloads for one view of the page at ``URL`` in Debian's
    Chromium (Playwright), as Lighthouse emulates it: mobile (412×823 CSS pixels at
    1.75×) and desktop (1350×940 at 1×), without scrolling (lazy images below the
    fold are not fetched). Run it against a site on main's code and on this one.

    .venv/bin/python bench/images.py --ingest --renditions [--rounds 3]
    .venv/bin/python bench/images.py --page-bytes http://127.0.0.1:8123/

``--lighthouse URL...``
    Lighthouse 12.2.3 (installed outside the repository, path in $LIGHTHOUSE) in
    Debian's Chromium, mobile and desktop presets, on each page of a running site:
    performance score, LCP, image bytes loaded, and the savings the image audits
    still see.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

ROUNDS = 3
# (name, CUPURE_IMAGES, CUPURE_IMAGE_THREADS): images off; made by the ingesting
# thread itself (as before the image threads); made in the image threads.
INGEST_MODES = (("off", False, 0), ("inline", True, 0), ("threads", True, 2))


# ------------------------------------------------------------------------ ingest


def ingest(rounds: int) -> dict:
    """Articles/s with images off and on; storage per 1,000 articles."""
    import ingest as ingest_bench

    work = Path(tempfile.mkdtemp(prefix="cupure-images-"))
    database = work / common.SQLITE_NAME
    template = work / "template.sqlite3"
    os.environ["CUPURE_FETCH_ALLOW_PRIVATE"] = "127.0.0.1/32"
    os.environ["CUPURE_LOG_LEVEL"] = "ERROR"
    results: dict = {}
    try:
        common.django_setup(common.sqlite_url(database), home=work)
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", interactive=False, verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
        shutil.copyfile(database, template)
        media = Path(settings.MEDIA_ROOT)
        from cupure.images.background import images_drain

        with ingest_bench.publishers_process() as demo:
            for mode, images, threads in INGEST_MODES:
                settings.CUPURE_IMAGES = images
                settings.CUPURE_IMAGE_THREADS = threads
                articles = seconds = until_images = 0.0
                stored = {}
                # Round 0 is untimed (imports, first-use caches).
                for number in range(rounds + 1):
                    ingest_bench._fresh_database(template, database)
                    ingest_bench._reset_process_state()
                    shutil.rmtree(media, ignore_errors=True)
                    started = time.perf_counter()
                    count, polled, _ = ingest_bench.pipeline_round(demo, 1)
                    images_drain()
                    drained = time.perf_counter() - started
                    if number == 0:
                        continue
                    articles += count
                    seconds += polled
                    until_images += drained
                    stored = _stored_figures(media, count)
                results[mode] = {
                    "articles": int(articles),
                    "seconds": seconds,
                    "until_images": until_images,
                    **stored,
                }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results


def _stored_figures(media: Path, articles: int) -> dict:
    from cupure.images.models import ArticleImage, StoredImage

    files = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
    on_disk = sum(p.stat().st_size for p in files)
    return {
        "articles_last_round": articles,
        "images": StoredImage.objects.count(),
        "uses": ArticleImage.objects.filter(status="stored").count(),
        "skipped": ArticleImage.objects.filter(status="skipped").count(),
        "files": len(files),
        "bytes": on_disk,
    }


def ingest_report(r: dict, rounds: int) -> str:
    off = r["off"]
    rate_off = off["articles"] / off["seconds"]
    labels = {
        "off": "images off (`CUPURE_IMAGES=0`)",
        "inline": "images on, made by the ingesting thread (`CUPURE_IMAGE_THREADS=0`)",
        "threads": "images on, made in 2 image threads beside ingest (the default)",
    }
    rows = []
    for mode, label in labels.items():
        figures = r[mode]
        rate = figures["articles"] / figures["seconds"]
        rows.append(
            [
                label,
                f"{figures['articles']:,}",
                f"{rate:.1f}",
                f"{rate / rate_off - 1:+.0%}" if mode != "off" else "",
                f"{figures['until_images'] / rounds:.1f} s",
            ]
        )
    on = r["threads"]
    per_thousand = on["bytes"] / on["articles_last_round"] * 1000
    return (
        f"The demo publishers' articles ingested {rounds} times on fresh SQLite "
        "databases and an empty media folder, one process (`cupure poll --all "
        "--workers 1`), no broker. Articles/s counts until the poll round returns "
        "(the articles are on the pages); the last column until every image is "
        "stored too (`images_drain()`):\n\n"
        + common.table(
            ["ingest", "articles", "articles/s", "against off", "round + images"],
            rows,
        )
        + f"\n\nEach round stored {on['images']} images ({on['uses']} uses by "
        f"articles, {on['skipped']} skipped) as {on['files']} files, "
        f"{on['bytes'] / 1_048_576:.1f} MiB: **{per_thousand / 1_048_576:.1f} MiB "
        "per 1,000 articles**. With `CUPURE_BROKER_URL` the images are Celery tasks "
        "of their own and ingest runs at the images-off rate."
    )


# -------------------------------------------------------------------- renditions


def _sample_images() -> dict[str, bytes]:
    from PIL import Image

    from cupure.demo.images import ImageCache, draw_image

    lead = ImageCache().jpeg("harbour-cranes-dawn", (1200, 675))
    big = draw_image("storm-over-the-bay").resize(
        (4000, 3000), Image.Resampling.BICUBIC
    )
    camera = io.BytesIO()
    big.save(camera, "JPEG", quality=90)
    inline = io.BytesIO()
    draw_image("hall-council-vote").resize((800, 450)).save(inline, "PNG")
    return {
        "demo lead, 1200×675 JPEG": lead,
        "inline figure, 800×450 PNG": inline.getvalue(),
        "camera-size photo, 4000×3000 JPEG": camera.getvalue(),
    }


def renditions(repeat: int = 5) -> dict:
    from cupure.imaging import process_image

    results = {}
    for label, data in _sample_images().items():
        timings = []
        processed = None
        for _ in range(repeat):
            started = time.perf_counter()
            processed = process_image(data)
            timings.append(time.perf_counter() - started)
        assert processed is not None
        results[label] = {
            "source_bytes": len(data),
            "ms": statistics.median(timings) * 1000,
            "renditions": len(processed.renditions),
            "rendition_bytes": sum(len(r.data) for r in processed.renditions),
            "widths": [r.width for r in processed.renditions],
        }
    lead = _sample_images()["demo lead, 1200×675 JPEG"]
    results["avif"] = _avif_against_webp(lead)
    results["webp_methods"] = _webp_methods(lead)
    return results


def _avif_against_webp(data: bytes) -> dict:
    """AVIF against our WebP on the same resized frames of one photo."""
    from PIL import features

    from cupure.imaging.process import encode_webp

    if not features.check("avif"):
        return {"available": False}
    encoders = {
        "WebP q78 (ours)": encode_webp,
        "AVIF q75 (Pillow's default)": lambda image: _encode_avif(image, 75),
        "AVIF q55": lambda image: _encode_avif(image, 55),
    }
    return {"available": True, "encoders": _compare_encoders(data, encoders)}


def _webp_methods(data: bytes) -> dict:
    """libwebp's effort settings (``method``, 0 fastest to 6) at our quality: the
    encoding is most of an image's cost, the bytes are every reader's."""
    from cupure.imaging.process import WEBP_METHOD, WEBP_QUALITY

    def webp(method: int):
        def encode(image) -> bytes:
            out = io.BytesIO()
            image.save(out, "WEBP", quality=WEBP_QUALITY, method=method)
            return out.getvalue()

        return encode

    encoders = {
        f"WebP q{WEBP_QUALITY} method {m}{' (ours)' if m == WEBP_METHOD else ''}": (
            webp(m)
        )
        for m in (0, 2, 3, 4, 6)
    }
    return {"available": True, "encoders": _compare_encoders(data, encoders)}


def _compare_encoders(data: bytes, encoders: dict) -> dict:
    """Each encoder on the same resized frames of one photo: bytes, encoding time
    and the mean error against the frame (0-255 per channel; lower is closer)."""
    from PIL import Image

    from cupure.imaging import rendition_widths

    source = Image.open(io.BytesIO(data)).convert("RGB")
    frames = [
        source.resize((w, round(source.height * w / source.width)), Image.LANCZOS)
        for w in rendition_widths(*source.size)
    ]
    totals = {}
    for name, encode in encoders.items():
        started = time.perf_counter()
        encoded = [encode(frame) for frame in frames]
        elapsed = time.perf_counter() - started
        errors = [
            _mean_error(frame, Image.open(io.BytesIO(blob)))
            for frame, blob in zip(frames, encoded, strict=True)
        ]
        totals[name] = {
            "bytes": sum(len(blob) for blob in encoded),
            "ms": elapsed * 1000,
            "error": statistics.mean(errors),
        }
    return totals


def _mean_error(reference, decoded) -> float:
    from PIL import ImageChops, ImageStat

    difference = ImageChops.difference(reference, decoded.convert("RGB"))
    return statistics.mean(ImageStat.Stat(difference).mean)


def _encode_avif(image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "AVIF", quality=quality)
    return out.getvalue()


def renditions_report(r: dict) -> str:
    rows = []
    for label, figures in r.items():
        if label in ("avif", "webp_methods"):
            continue
        rows.append(
            [
                label,
                f"{figures['source_bytes'] / 1024:,.0f} KiB",
                f"{figures['ms']:.0f} ms",
                ", ".join(str(w) for w in figures["widths"]),
                f"{figures['rendition_bytes'] / 1024:,.0f} KiB",
            ]
        )
    text = (
        "`cupure.imaging.process_image` (sniff, checks, decode, orientation, "
        "metadata stripped, every WebP rendition), median of 5, one core:\n\n"
        + common.table(
            ["image", "source", "time per image", "widths", "all renditions"], rows
        )
    )
    if r["avif"].get("available"):
        text += (
            "\n\nAVIF (Pillow's own encoder) against our WebP, on the same renditions "
            "of the demo lead (mean error per channel against the resized frame, "
            "0-255):\n\n" + _encoders_table(r["avif"]["encoders"])
        )
    text += (
        "\n\nWebP effort (`method`) on the same renditions of the demo lead:\n\n"
        + _encoders_table(r["webp_methods"]["encoders"])
    )
    return text


def _encoders_table(encoders: dict) -> str:
    rows = [
        [
            name,
            f"{v['bytes'] / 1024:,.1f} KiB",
            f"{v['ms']:.0f} ms",
            f"{v['error']:.2f}",
        ]
        for name, v in encoders.items()
    ]
    return common.table(["encoder", "all renditions", "encoding", "error"], rows)


# -------------------------------------------------------------------- page bytes

VIEWS = {
    "mobile": {
        "viewport": {"width": 412, "height": 823},
        "device_scale_factor": 1.75,
        "is_mobile": True,
    },
    "desktop": {
        "viewport": {"width": 1350, "height": 940},
        "device_scale_factor": 1,
        "is_mobile": False,
    },
}


def page_bytes(url: str) -> dict:
    """Bytes of images received for one view of ``url``, per form factor."""
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        try:
            for name, view in VIEWS.items():
                context = browser.new_context(**view)
                page = context.new_page()
                images: list[tuple[str, int]] = []

                def record(response, images=images) -> None:
                    if response.request.resource_type == "image":
                        try:
                            images.append((response.url, len(response.body())))
                        except Exception:  # a body Chromium did not keep
                            images.append((response.url, 0))

                page.on("response", record)
                page.goto(url, wait_until="networkidle")
                page.wait_for_timeout(500)
                results[name] = {
                    "requests": len(images),
                    "bytes": sum(size for _, size in images),
                }
                context.close()
        finally:
            browser.close()
    return results


def page_bytes_report(url: str, r: dict) -> str:
    rows = [
        [name, str(v["requests"]), f"{v['bytes'] / 1024:,.0f} KiB"]
        for name, v in r.items()
    ]
    return f"Images for one view of {url}:\n\n" + common.table(
        ["view", "image requests", "image bytes"], rows
    )


# ------------------------------------------------------------------- lighthouse

# Lighthouse is installed outside the repository (see bench/README.md), e.g.
#   cd SCRATCH && npm i -E lighthouse@12.2.3
# and named by LIGHTHOUSE=SCRATCH/node_modules/.bin/lighthouse.
LIGHTHOUSE = os.environ.get("LIGHTHOUSE", "lighthouse")
IMAGE_AUDITS = {
    "uses-responsive-images": "properly size images",
    "modern-image-formats": "next-gen formats",
    "offscreen-images": "defer offscreen images",
}


def lighthouse(url: str, form_factor: str) -> dict:
    """One Lighthouse run (Debian's Chromium, headless): the performance score,
    the image audits' savings and the image bytes the page loaded."""
    import json
    import subprocess

    command = [
        LIGHTHOUSE,
        url,
        "--output=json",
        "--quiet",
        "--only-categories=performance",
        "--chrome-flags=--headless --no-sandbox",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": "/usr/bin/chromium"}
    for attempt in range(3):
        done = subprocess.run(
            command, capture_output=True, text=True, env=env, timeout=300
        )
        if done.returncode == 0:
            break
        # Chromium now and then fails to start on a loaded machine: try again.
        print(f"lighthouse failed ({attempt + 1}/3): {done.stderr.strip()[-300:]}")
    else:
        raise RuntimeError(f"Lighthouse failed three times on {url} ({form_factor})")
    report = json.loads(done.stdout)
    audits = report["audits"]
    requests = audits["network-requests"]["details"]["items"]
    return {
        "score": round(report["categories"]["performance"]["score"] * 100),
        "savings": {
            audit: (audits[audit].get("details") or {}).get("overallSavingsBytes", 0)
            for audit in IMAGE_AUDITS
        },
        "image_bytes": sum(
            item.get("transferSize", 0)
            for item in requests
            if item.get("resourceType") == "Image"
        ),
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
    }


def lighthouse_report(label: str, urls: list[str]) -> str:
    rows = []
    for url in urls:
        for form_factor in ("mobile", "desktop"):
            r = lighthouse(url, form_factor)
            rows.append(
                [
                    label,
                    url,
                    form_factor,
                    str(r["score"]),
                    f"{r['lcp_ms'] / 1000:.1f} s",
                    f"{r['image_bytes'] / 1024:,.0f} KiB",
                    *(
                        f"{r['savings'][audit] / 1024:,.0f} KiB"
                        for audit in IMAGE_AUDITS
                    ),
                ]
            )
    return common.table(
        [
            "code",
            "page",
            "form factor",
            "performance",
            "LCP",
            "image bytes",
            *IMAGE_AUDITS.values(),
        ],
        rows,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ingest", action="store_true")
    parser.add_argument("--renditions", action="store_true")
    parser.add_argument("--page-bytes", metavar="URL")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument(
        "--lighthouse",
        nargs="+",
        metavar="URL",
        help="Lighthouse (mobile and desktop) on these pages of a running site",
    )
    parser.add_argument("--label", default="", help="names the code measured")
    args = parser.parse_args(argv)
    command = common.command_line("images.py", argv or sys.argv[1:])
    if args.lighthouse:
        print(lighthouse_report(args.label, args.lighthouse))
    if args.page_bytes:
        print(page_bytes_report(args.page_bytes, page_bytes(args.page_bytes)))
    if args.ingest:
        print(ingest_report(ingest(args.rounds), args.rounds))
    if args.renditions:
        print(renditions_report(renditions()))
    print(f"\nCommand: `{command}`  \nMachine: {common.machine_line()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
