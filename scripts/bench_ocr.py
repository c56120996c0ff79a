"""Benchmark body for scripts/bench_ocr (run that, not this).

Seconds per upright 300-dpi page, before (orientation detection on every page,
then the reading; pages one after another) and after (read first, detect
orientation only when the reading is poor; PDF pages in parallel), medians of
three rounds measured alternately in one run.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pytesseract  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from app.ocr import pages as ocr  # noqa: E402

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def page() -> Image.Image:
    image = Image.new("RGB", (2480, 3508), "white")  # A4 at 300 dpi
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 48)
    lines = ["Stellenbosch Local Municipality", "Account holder: T Mokoena",
             f"Statement date: {date.today():%d %B %Y}", "Service address: 12 Dorp Street",
             "Stellenbosch, 7600", "Water 342.10", "Amount due: R 1 546.65"]
    for i, line in enumerate(lines * 3):
        draw.text((200, 200 + i * 110), line, fill="black", font=font)
    return image


def before_page_text(image: Image.Image) -> str:
    """The previous pipeline: orientation first on every page, then the reading."""
    cleaned = ocr.clean(image)  # grey, despeckled, contrast: as every page was
    angle = ocr.rotation(cleaned)
    cleaned = cleaned.rotate(-angle, expand=True) if angle else cleaned
    text: str = pytesseract.image_to_string(cleaned, lang=ocr.LANGUAGES, config="--psm 4")
    return text


def before_document_text(data: bytes) -> str:
    return "\f".join(before_page_text(p) for p in ocr.render(data))


def timed(fn, data: bytes, pages: int) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    fn(data)
    return (time.perf_counter() - started) / pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pdf-pages", type=int, default=3)
    args = parser.parse_args()
    image = page()
    png = io.BytesIO()
    image.save(png, format="PNG")
    pdf = io.BytesIO()
    image.save(pdf, format="PDF", resolution=300.0, save_all=True,
               append_images=[image] * (args.pdf_pages - 1))
    runs: dict[str, list[float]] = {k: [] for k in
                                    ("page_before", "page_after", "pdf_before", "pdf_after")}
    for _ in range(args.rounds):
        runs["page_before"].append(timed(before_document_text, png.getvalue(), 1))
        runs["page_after"].append(timed(ocr.document_text, png.getvalue(), 1))
        runs["pdf_before"].append(timed(before_document_text, pdf.getvalue(), args.pdf_pages))
        runs["pdf_after"].append(timed(ocr.document_text, pdf.getvalue(), args.pdf_pages))
    medians = {k: round(statistics.median(v), 3) for k, v in runs.items()}
    report = {
        "bench": "ocr", "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(), "rounds": args.rounds, "pdf_pages": args.pdf_pages,
        "seconds_per_upright_page": {"before": medians["page_before"],
                                     "after": medians["page_after"]},
        "seconds_per_pdf_page": {"before": medians["pdf_before"],
                                 "after": medians["pdf_after"]},
        "runs": {k: [round(x, 3) for x in v] for k, v in runs.items()},
        "target_seconds_per_upright_page": 1.3,
    }
    print(f"upright page: {medians['page_before']} s -> {medians['page_after']} s"
          f"  ({args.pdf_pages}-page PDF, per page: {medians['pdf_before']} s"
          f" -> {medians['pdf_after']} s; medians of {args.rounds})")
    out = ROOT / "bench-results" / "bench_ocr.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"saved {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
