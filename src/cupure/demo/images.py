"""Illustrations for the demo articles, drawn by code (Pillow) instead of shipped.

An image id such as ``harbour-cranes-dawn`` picks a composition by its first word
(``harbour``) and seeds every other choice (palette, positions) from the whole id,
so the same id always gives the same picture. Rendered JPEGs are cached in memory.
"""

from __future__ import annotations

import hashlib
import io
import math
import random
import threading
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageOps

# Every composition is drawn on this canvas and scaled down: one drawing per id
# looks the same at every size, and 16:9 is what news sites crop leads to.
CANVAS = (1200, 675)
LEAD_SIZE = (1200, 675)
INLINE_SIZE = (800, 450)
# Only these sizes are served: an open-ended size in the URL would let one
# request make the server render (and cache) an arbitrarily large image.
SIZES: frozenset[tuple[int, int]] = frozenset(
    {LEAD_SIZE, INLINE_SIZE, (600, 338), (400, 225)}
)
# Quality 85 keeps gradients free of visible banding at about 60 KB per lead.
JPEG_QUALITY = 85

Color = tuple[int, int, int]
Palette = tuple[Color, Color, Color, Color]
PALETTES: tuple[Palette, ...] = (
    # (sky top, sky bottom, shape, accent)
    ((24, 44, 84), (240, 160, 110), (30, 34, 48), (255, 214, 120)),
    ((10, 60, 90), (160, 210, 220), (20, 40, 55), (250, 245, 220)),
    ((60, 30, 80), (250, 120, 90), (35, 20, 45), (255, 230, 150)),
    ((110, 150, 190), (225, 235, 240), (45, 60, 75), (230, 90, 60)),
    ((20, 24, 40), (70, 90, 130), (12, 14, 22), (255, 200, 90)),
    ((40, 90, 70), (200, 225, 170), (25, 50, 40), (250, 220, 120)),
)


def _rng(image_id: str) -> random.Random:
    digest = hashlib.sha256(image_id.encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _gradient(top: Color, bottom: Color) -> Image.Image:
    ramp = Image.linear_gradient("L").resize(CANVAS)
    return ImageOps.colorize(ramp, black=top, white=bottom).convert("RGB")


def _mix(a: Color, b: Color, t: float) -> Color:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def _sun(draw: ImageDraw.ImageDraw, rng: random.Random, color: Color) -> None:
    x, y, r = rng.randint(150, 1050), rng.randint(90, 260), rng.randint(40, 90)
    draw.ellipse((x - r, y - r, x + r, y + r), fill=color)


def _skyline(
    draw: ImageDraw.ImageDraw, rng: random.Random, base: int, shape: Color, lit: Color
) -> None:
    x = 0
    while x < CANVAS[0]:
        width = rng.randint(40, 110)
        height = rng.randint(80, 300)
        draw.rectangle((x, base - height, x + width, base), fill=shape)
        for wy in range(base - height + 14, base - 10, 22):
            for wx in range(x + 8, x + width - 10, 18):
                if rng.random() < 0.35:
                    draw.rectangle((wx, wy, wx + 7, wy + 10), fill=lit)
        if rng.random() < 0.2:
            draw.line(
                (x + width // 2, base - height, x + width // 2, base - height - 40),
                fill=shape,
                width=4,
            )
        x += width + rng.randint(0, 12)


def _water(
    draw: ImageDraw.ImageDraw, rng: random.Random, top: int, deep: Color, glint: Color
) -> None:
    draw.rectangle((0, top, CANVAS[0], CANVAS[1]), fill=deep)
    for _ in range(60):
        y = rng.randint(top + 8, CANVAS[1] - 6)
        x = rng.randint(-40, CANVAS[0])
        length = rng.randint(30, 160)
        draw.line((x, y, x + length, y), fill=_mix(deep, glint, 0.35), width=2)


def _hills(
    draw: ImageDraw.ImageDraw, rng: random.Random, far: Color, near: Color
) -> None:
    layers = 4
    for layer in range(layers):
        color = _mix(far, near, layer / (layers - 1))
        base = 330 + layer * 85
        amp = rng.randint(25, 70)
        phase = rng.random() * math.tau
        freq = rng.uniform(1.2, 3.0)
        points = [(0, CANVAS[1])]
        for x in range(0, CANVAS[0] + 40, 40):
            y = base + amp * math.sin(phase + freq * math.tau * x / CANVAS[0])
            points.append((x, round(y)))
        points.append((CANVAS[0], CANVAS[1]))
        draw.polygon(points, fill=color)


def _draw_harbour(img: Image.Image, rng: random.Random, pal: Palette) -> None:
    draw = ImageDraw.Draw(img)
    _sun(draw, rng, pal[3])
    _skyline(draw, rng, 430, _mix(pal[2], pal[1], 0.45), pal[3])
    for _ in range(rng.randint(2, 4)):
        x = rng.randint(80, 1100)
        draw.line((x, 440, x, 180), fill=pal[2], width=10)
        draw.line((x - 140, 200, x + 90, 200), fill=pal[2], width=9)
        draw.line((x, 180, x - 140, 200), fill=pal[2], width=3)
        draw.line((x - 110, 200, x - 110, 300), fill=pal[2], width=2)
    for x in range(0, CANVAS[0], 64):
        stack = rng.randint(0, 3)
        for level in range(stack):
            color = rng.choice(((190, 60, 50), (40, 110, 160), (220, 160, 40), pal[3]))
            draw.rectangle(
                (x, 430 - (level + 1) * 26, x + 58, 430 - level * 26 - 3), fill=color
            )
    _water(draw, rng, 440, _mix(pal[0], pal[2], 0.5), pal[3])


def _draw_skyline(img: Image.Image, rng: random.Random, pal: Palette) -> None:
    draw = ImageDraw.Draw(img)
    _sun(draw, rng, pal[3])
    _skyline(draw, rng, 520, _mix(pal[2], pal[1], 0.35), pal[3])
    _skyline(draw, rng, 675, pal[2], pal[3])


def _draw_storm(img: Image.Image, rng: random.Random, pal: Palette) -> None:
    draw = ImageDraw.Draw(img)
    grey = (70, 78, 92)
    for _ in range(14):
        x, y = rng.randint(-100, 1200), rng.randint(-60, 220)
        w, h = rng.randint(220, 420), rng.randint(90, 160)
        draw.ellipse((x, y, x + w, y + h), fill=_mix(grey, (40, 44, 54), rng.random()))
    _skyline(draw, rng, 470, (28, 32, 40), (220, 190, 120))
    _water(draw, rng, 470, (60, 70, 72), (150, 160, 150))
    for _ in range(420):
        x, y = rng.randint(0, 1260), rng.randint(0, 675)
        draw.line((x, y, x - 18, y + 46), fill=(175, 185, 200), width=1)
    if rng.random() < 0.7:
        x = rng.randint(300, 900)
        bolt = [(x, 120), (x - 30, 230), (x + 10, 230), (x - 40, 360)]
        draw.line(bolt, fill=(255, 250, 210), width=5)


def _draw_hills(img: Image.Image, rng: random.Random, pal: Palette) -> None:
    draw = ImageDraw.Draw(img)
    _sun(draw, rng, pal[3])
    _hills(draw, rng, _mix(pal[1], pal[2], 0.3), pal[2])


def _draw_rail(img: Image.Image, rng: random.Random, pal: Palette) -> None:
    draw = ImageDraw.Draw(img)
    _sun(draw, rng, pal[3])
    _hills(draw, rng, _mix(pal[1], pal[2], 0.3), _mix(pal[2], pal[1], 0.2))
    draw.rectangle((0, 500, 1200, 520), fill=(60, 55, 50))
    for x in range(0, 1200, 30):
        draw.rectangle((x, 518, x + 14, 530), fill=(90, 70, 50))
    start = rng.randint(80, 400)
    cars = rng.randint(3, 6)
    for car in range(cars):
        x = start + car * 150
        draw.rounded_rectangle((x, 430, x + 140, 500), radius=14, fill=(40, 60, 110))
        draw.rectangle((x + 6, 446, x + 134, 470), fill=pal[3])
        draw.rectangle((x, 486, x + 140, 492), fill=(200, 60, 60))


def _draw_stadium(img: Image.Image, rng: random.Random, pal: Palette) -> None:
    draw = ImageDraw.Draw(img)
    draw.polygon([(0, 675), (140, 380), (1060, 380), (1200, 675)], fill=(40, 130, 70))
    for stripe in range(8):
        t0, t1 = stripe / 8, (stripe + 0.5) / 8
        y0, y1 = 380 + 295 * t0, 380 + 295 * t1
        draw.polygon(
            [
                (140 - 140 * t0, y0),
                (1060 + 140 * t0, y0),
                (1060 + 140 * t1, y1),
                (140 - 140 * t1, y1),
            ],
            fill=(48, 145, 80),
        )
    draw.rectangle((0, 250, 1200, 380), fill=(30, 30, 42))
    for _ in range(900):
        x, y = rng.randint(0, 1200), rng.randint(255, 375)
        draw.point((x, y), fill=rng.choice(((220, 60, 60), (240, 240, 240), pal[3])))
    for x in (120, 1080):
        draw.line((x, 250, x, 60), fill=(90, 90, 100), width=8)
        draw.rectangle((x - 40, 40, x + 40, 70), fill=(255, 250, 220))
    draw.line((600, 380, 600, 675), fill=(230, 240, 230), width=4)


def _draw_lab(img: Image.Image, rng: random.Random, pal: Palette) -> None:
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randint(18, 30)):
        x, y, r = rng.randint(0, 1200), rng.randint(0, 675), rng.randint(20, 110)
        ring = _mix(pal[1], pal[3], rng.random())
        draw.ellipse(
            (x - r, y - r, x + r, y + r),
            outline=ring,
            width=6,
            fill=_mix(pal[0], pal[1], rng.random() * 0.6),
        )
        draw.ellipse((x - r // 4, y - r // 4, x + r // 4, y + r // 4), fill=pal[3])
    for _ in range(120):
        x, y = rng.randint(0, 1200), rng.randint(0, 675)
        draw.ellipse((x - 3, y - 3, x + 3, y + 3), fill=pal[3])


def _draw_lighthouse(img: Image.Image, rng: random.Random, pal: Palette) -> None:
    draw = ImageDraw.Draw(img)
    x = rng.randint(650, 950)
    beam = [(x, 170), (0, rng.randint(40, 120)), (0, rng.randint(230, 320))]
    draw.polygon(beam, fill=_mix(pal[1], (255, 250, 220), 0.6))
    draw.polygon(
        [(x - 300, 520), (x - 120, 420), (x + 160, 430), (x + 340, 520)],
        fill=(70, 64, 60),
    )
    draw.polygon(
        [(x - 45, 430), (x - 28, 190), (x + 28, 190), (x + 45, 430)],
        fill=(245, 242, 235),
    )
    for band in range(3):
        y = 230 + band * 70
        draw.rectangle(
            (x - 36 + band * 3, y, x + 36 - band * 3, y + 30), fill=(200, 50, 45)
        )
    draw.rectangle((x - 34, 150, x + 34, 190), fill=pal[3])
    draw.polygon([(x - 40, 150), (x, 115), (x + 40, 150)], fill=(40, 40, 45))
    _water(draw, rng, 500, _mix(pal[0], (20, 60, 80), 0.5), pal[3])


def _draw_hall(img: Image.Image, rng: random.Random, pal: Palette) -> None:
    draw = ImageDraw.Draw(img)
    stone = _mix((225, 215, 195), pal[1], 0.2)
    draw.polygon([(260, 200), (600, 90), (940, 200)], fill=stone)
    draw.rectangle((280, 200, 920, 560), fill=_mix(stone, pal[2], 0.15))
    columns = rng.choice((6, 8))
    for i in range(columns):
        cx = 320 + i * (560 // (columns - 1))
        draw.rectangle((cx - 18, 215, cx + 18, 540), fill=stone)
    for step in range(5):
        draw.rectangle(
            (240 - step * 20, 560 + step * 22, 960 + step * 20, 582 + step * 22),
            fill=_mix(stone, (120, 110, 100), step / 6),
        )
    draw.line((600, 90, 600, 30), fill=pal[2], width=4)
    draw.polygon([(600, 30), (660, 45), (600, 60)], fill=pal[3])


def _draw_stage(img: Image.Image, rng: random.Random, pal: Palette) -> None:
    draw = ImageDraw.Draw(img)
    red = rng.choice(((140, 20, 40), (110, 30, 90), (30, 50, 120)))
    for x in range(300, 901, 60):
        lamp = rng.choice(((255, 210, 120), (250, 120, 90), (140, 190, 255), pal[3]))
        draw.ellipse((x - 9, 20, x + 9, 38), fill=lamp)
    spot = rng.randint(400, 800)
    draw.polygon(
        [(spot - 40, 0), (spot + 40, 0), (spot + 260, 560), (spot - 260, 560)],
        fill=(120, 110, 92),
    )
    draw.ellipse((spot - 260, 520, spot + 260, 600), fill=(205, 190, 150))
    for side in (0, 1):
        for fold in range(6):
            x0 = fold * 45 if side == 0 else 1200 - (fold + 1) * 45
            shade = _mix(red, (0, 0, 0), 0.15 * (fold % 2))
            draw.rectangle((x0, 0, x0 + 45, 675), fill=shade)
    draw.rectangle((0, 600, 1200, 675), fill=(60, 40, 30))
    for _ in range(40):
        x = rng.randint(300, 900)
        shade = _mix((10, 10, 14), (60, 50, 60), rng.random())
        draw.ellipse((x - 14, 630, x + 14, 675), fill=shade)


def _draw_portrait(img: Image.Image, rng: random.Random, pal: Palette) -> None:
    draw = ImageDraw.Draw(img)
    for _ in range(8):
        x, y, r = rng.randint(0, 1200), rng.randint(0, 675), rng.randint(60, 200)
        draw.ellipse(
            (x - r, y - r, x + r, y + r), fill=_mix(pal[0], pal[1], rng.random())
        )
    x = rng.randint(420, 780)
    draw.ellipse((x - 90, 150, x + 90, 350), fill=pal[2])
    draw.rounded_rectangle((x - 230, 360, x + 230, 800), radius=150, fill=pal[2])


def _draw_abstract(img: Image.Image, rng: random.Random, pal: Palette) -> None:
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randint(10, 18)):
        color = _mix(pal[rng.randint(0, 3)], pal[rng.randint(0, 3)], rng.random())
        x, y = rng.randint(-100, 1200), rng.randint(-100, 675)
        size = rng.randint(80, 320)
        if rng.random() < 0.5:
            draw.ellipse((x, y, x + size, y + size), fill=color)
        else:
            draw.rectangle((x, y, x + size * 1.4, y + size * 0.6), fill=color)


COMPOSITIONS: dict[str, Callable[[Image.Image, random.Random, Palette], None]] = {
    "harbour": _draw_harbour,
    "skyline": _draw_skyline,
    "storm": _draw_storm,
    "hills": _draw_hills,
    "rail": _draw_rail,
    "stadium": _draw_stadium,
    "lab": _draw_lab,
    "lighthouse": _draw_lighthouse,
    "hall": _draw_hall,
    "stage": _draw_stage,
    "portrait": _draw_portrait,
    "abstract": _draw_abstract,
}


def draw_image(image_id: str) -> Image.Image:
    """The full-size (CANVAS) picture for ``image_id``; unknown styles are abstract."""
    rng = _rng(image_id)
    palette = rng.choice(PALETTES)
    style = image_id.split("-", 1)[0]
    compose = COMPOSITIONS.get(style, _draw_abstract)
    if style == "storm":
        img = _gradient((35, 40, 52), (110, 118, 130))
    elif style == "stage":
        img = _gradient((8, 6, 12), _mix(palette[0], (0, 0, 0), 0.5))
    elif style == "lab":
        img = _gradient(palette[0], _mix(palette[0], palette[1], 0.4))
    else:
        img = _gradient(palette[0], palette[1])
    compose(img, rng, palette)
    return img


class ImageCache:
    """JPEG bytes per (image id, size), rendered once and kept (thread-safe)."""

    def __init__(self) -> None:
        self._jpegs: dict[tuple[str, int, int], bytes] = {}
        self._lock = threading.Lock()

    def jpeg(self, image_id: str, size: tuple[int, int]) -> bytes:
        """Encode ``image_id`` at ``size`` (one of SIZES) as JPEG.

        Raises ValueError for a size outside SIZES.
        """
        if size not in SIZES:
            raise ValueError(f"size {size} is not one of {sorted(SIZES)}")
        key = (image_id, *size)
        with self._lock:
            cached = self._jpegs.get(key)
            if cached is None:
                img = draw_image(image_id)
                if size != CANVAS:
                    img = img.resize(size, Image.Resampling.LANCZOS)
                out = io.BytesIO()
                img.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
                cached = self._jpegs[key] = out.getvalue()
        return cached
