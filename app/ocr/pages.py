"""Bytes in, upright cleaned-up page images out; then tesseract text (eng + afr)."""

from __future__ import annotations

import io
import os
import re

import pypdfium2 as pdfium
import pytesseract
from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one thread per page; we run pages in parallel

DPI = 300
MAX_PAGES = 5
LANGUAGES = "eng+afr"


class UnreadableDocument(ValueError):
    """The bytes are not an image or PDF we can read; the message says why."""


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


def clean(image: Image.Image) -> Image.Image:
    """Greyscale, despeckle, stretch contrast."""
    grey = ImageOps.grayscale(image)
    if min(grey.size) < 1000:
        factor = 1000 / min(grey.size)
        grey = grey.resize((int(grey.width * factor), int(grey.height * factor)))
    return ImageOps.autocontrast(grey.filter(ImageFilter.MedianFilter(3)))


def upright(image: Image.Image) -> Image.Image:
    """Turn a page the right way up using tesseract's orientation detection."""
    try:
        osd = pytesseract.image_to_osd(image, config="--psm 0")
    except pytesseract.TesseractError:
        return image
    match = re.search(r"Rotate: (\d+)", osd)
    angle = int(match.group(1)) if match else 0
    return image.rotate(-angle, expand=True) if angle else image


def page_text(image: Image.Image) -> str:
    page = upright(clean(image))
    text: str = pytesseract.image_to_string(page, lang=LANGUAGES, config="--psm 4")
    return text


def document_text(data: bytes) -> str:
    """All the text tesseract reads in the document, pages separated by form feeds."""
    return "\f".join(page_text(page) for page in render(data))
