"""Questionnaire files: format, loading with positions, migration, and file-level checks."""
