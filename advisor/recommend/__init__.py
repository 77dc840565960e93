"""Recommendations: the in-memory catalog index, filtering, scoring, reasons, relaxations, critiques, why-not."""
