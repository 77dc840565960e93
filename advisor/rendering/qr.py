"""QR codes as SVG text (segno): the phone link on the kiosk and the console, the resume code on the web."""

from __future__ import annotations

import segno


def qr_svg(content: str, *, scale: int = 6, dark: str = "#1c2420") -> str:
    """A QR code (error correction M) as a standalone SVG document."""
    return str(segno.make(content, error="m").svg_inline(scale=scale, dark=dark, light="#ffffff"))
