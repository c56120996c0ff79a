"""Proof of residence: submit a document, the OCR worker decides, managers review the rest."""
