"""Guided product advice: questionnaires, catalog, recommendations and handoff, without Qt."""

__version__ = "0.1.0"
