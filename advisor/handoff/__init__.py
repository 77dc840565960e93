"""Handoff: stored advice sessions with resume codes, and requests to staff moving through their states."""
