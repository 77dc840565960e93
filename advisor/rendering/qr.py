"""QR codes as SVG text (segno): the phone link on the kiosk and the console, the resume code on the web."""

from __future__ import annotations

import io

import segno


def qr_svg(content: str, *, scale: int = 6, dark: str = "#1c2420") -> str:
    """A QR code (error correction M) as a standalone SVG document: with the SVG namespace, without which a
    browser shows no picture for it as an image of its own (`<img src=…svg>`)."""
    out = io.BytesIO()
    segno.make(content, error="m").save(out, kind="svg", scale=scale, dark=dark, light="#ffffff", xmldecl=False,
                                        nl=False)  # fmt: skip
    return out.getvalue().decode()
