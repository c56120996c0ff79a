"""Bytes in, upright cleaned-up page images out; then tesseract text (eng + afr).

Most documents arrive upright and clean, and despeckling and orientation
detection cost a third and all of a reading, so each page is read first;
only a poor reading (few confident words) is read again despeckled, and only
a page still poor is turned when tesseract says it lies on its side or upside
down. The pages of a PDF are read in parallel, one tesseract
process per core.
"""

from __future__ import annotations

import io
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pypdfium2 as pdfium
import pytesseract
from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one thread per page; we run pages in parallel

DPI = 300
MAX_PAGES = 5
LANGUAGES = "eng+afr"
READ_CONFIG = "--psm 4"
# A reading is good enough when it has this many words tesseract is sure of
# (confidence >= CONFIDENT) and they are most of what it found.
CONFIDENT = 60
MIN_CONFIDENT_WORDS = 8
MIN_CONFIDENT_SHARE = 0.8
WORKERS = max(1, min(MAX_PAGES, os.cpu_count() or 1))


class UnreadableDocument(ValueError):
    """The bytes are not an image or PDF we can read; the message says why."""


@dataclass(frozen=True)
class Reading:
    text: str
    words: int
    confident: int

    @property
    def good(self) -> bool:
        return (self.confident >= MIN_CONFIDENT_WORDS
                and self.confident >= MIN_CONFIDENT_SHARE * self.words)


def render(data: bytes) -> list[Image.Image]:
    """Page images of a PDF (rendered at 300 dpi) or of an image file."""
    if data[:5] == b"%PDF-":
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise UnreadableDocument("the PDF could not be opened") from exc
        try:
            return [pdf[i].render(scale=DPI / 72).to_pil()
                    for i in range(min(len(pdf), MAX_PAGES))]
        finally:
            pdf.close()
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError) as exc:
        raise UnreadableDocument("the file is not an image or PDF we can read") from exc
    return [ImageOps.exif_transpose(image) or image]


def prepare(image: Image.Image) -> Image.Image:
    """Greyscale, small images enlarged, contrast stretched (cheap)."""
    grey = ImageOps.grayscale(image)
    if min(grey.size) < 1000:
        factor = 1000 / min(grey.size)
        grey = grey.resize((int(grey.width * factor), int(grey.height * factor)))
    return ImageOps.autocontrast(grey)


def despeckle(image: Image.Image) -> Image.Image:
    """A median filter against salt-and-pepper noise (a third of a second on an A4 page)."""
    return ImageOps.autocontrast(image.filter(ImageFilter.MedianFilter(3)))


def clean(image: Image.Image) -> Image.Image:
    """Greyscale, despeckle, stretch contrast."""
    return despeckle(prepare(image))


def rotation(image: Image.Image) -> int:
    """Degrees to turn the page upright, by tesseract's orientation detection (0 if unsure)."""
    try:
        osd = pytesseract.image_to_osd(image, config="--psm 0")
    except pytesseract.TesseractError:
        return 0
    match = re.search(r"Rotate: (\d+)", osd)
    return int(match.group(1)) if match else 0


def read(image: Image.Image) -> Reading:
    """One tesseract pass: the text in reading order, and how sure it was of its words."""
    data = pytesseract.image_to_data(image, lang=LANGUAGES, config=READ_CONFIG,
                                     output_type=pytesseract.Output.DICT)
    lines: dict[tuple[int, int, int], list[str]] = {}
    words = confident = 0
    for i, word in enumerate(data["text"]):
        if not word.strip():
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        lines.setdefault(key, []).append(word)
        words += 1
        if float(data["conf"][i]) >= CONFIDENT and sum(c.isalnum() for c in word) >= 2:
            confident += 1
    text = "\n".join(" ".join(line) for line in lines.values())
    return Reading(text=text, words=words, confident=confident)


def page_text(image: Image.Image) -> str:
    """The cheap reading first; despeckle, then turn the page, only while it reads poorly."""
    page = prepare(image)
    best = read(page)
    if best.good:
        return best.text
    page = despeckle(page)
    cleaned = read(page)
    best = cleaned if cleaned.confident > best.confident else best
    if best.good:
        return best.text
    angle = rotation(page)
    if not angle:
        return best.text
    turned = read(page.rotate(-angle, expand=True))
    return turned.text if turned.confident > best.confident else best.text


def document_text(data: bytes) -> str:
    """All the text tesseract reads in the document, pages separated by form feeds."""
    pages = render(data)
    if len(pages) == 1:
        return page_text(pages[0])
    with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="ocr") as pool:
        return "\f".join(pool.map(page_text, pages))
