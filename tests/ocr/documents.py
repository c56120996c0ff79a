"""Bills rendered the way a phone photo or a PDF statement would arrive (Pillow + DejaVu)."""

from __future__ import annotations

import io
import random
from datetime import date

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

ENGLISH = [
    ("{municipality}", True),
    ("MUNICIPAL ACCOUNT", True),
    ("", False),
    ("Account holder: {name}", False),
    ("Account number: 5512 3344 01", False),
    ("Statement date: {date_en}", False),
    ("Service address: {street}", False),
    ("{town}, {postcode}", False),
    ("", False),
    ("Water 342.10", False),
    ("Electricity 1 204.55", False),
    ("Amount due: R 1 546.65", False),
]
AFRIKAANS = [
    ("{municipality}", True),
    ("MUNISIPALE REKENING", True),
    ("", False),
    ("Rekeninghouer: {name}", False),
    ("Rekeningnommer: 7781 2201 09", False),
    ("Datum: {date_af}", False),
    ("Adres: {street}", False),
    ("{town}, {postcode}", False),
    ("", False),
    ("Water 210.00", False),
    ("Elektrisiteit 880.40", False),
    ("Bedrag verskuldig: R 1 090.40", False),
]
AF_MONTHS = ["Januarie", "Februarie", "Maart", "April", "Mei", "Junie", "Julie", "Augustus",
             "September", "Oktober", "November", "Desember"]


def bill(*, municipality: str, name: str, street: str, town: str, postcode: str, when: date,
         afrikaans: bool = False, dpi: int = 150) -> Image.Image:
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    page = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(page)
    size = int(dpi * 0.16)
    values = {"municipality": municipality, "name": name, "street": street, "town": town,
              "postcode": postcode, "date_en": when.strftime("%d %B %Y"),
              "date_af": f"{when.day} {AF_MONTHS[when.month - 1]} {when.year}"}
    y = int(dpi * 0.8)
    for template, bold in AFRIKAANS if afrikaans else ENGLISH:
        font = ImageFont.truetype(BOLD if bold else FONT, size)
        draw.text((int(dpi * 0.8), y), template.format(**values), fill="black", font=font)
        y += int(size * 1.7)
    return page


def noisy(image: Image.Image, *, amount: float = 0.04, seed: int = 7) -> Image.Image:
    rng = random.Random(seed)
    out = image.copy()
    pixels = out.load()
    assert pixels is not None
    for _ in range(int(out.width * out.height * amount)):
        x, y = rng.randrange(out.width), rng.randrange(out.height)
        pixels[x, y] = (0, 0, 0) if rng.random() < 0.5 else (255, 255, 255)
    return out


def as_bytes(image: Image.Image, fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    image.save(buf, format=fmt, **({"resolution": 150.0} if fmt == "PDF" else {}))
    return buf.getvalue()
