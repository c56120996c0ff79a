"""Proof-of-residence OCR: pages from images and PDFs, tesseract (eng + afr), field extraction."""
