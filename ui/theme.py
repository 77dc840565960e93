"""The kiosk's look: brand colours, sizes readable from a metre away, and the style sheet made from them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

# The focus ring (ui/focus.py): a dark ring of RING px in the focus colour outside a light halo of HALO px.
RING, HALO = 3, 2


@dataclass(frozen=True)
class Theme:
    """Colours and sizes; a store can set its brand colours and logo (configuration comes with the kiosk setup)."""

    background: str = "#f4f1ea"
    surface: str = "#ffffff"
    primary: str = "#1f4d3a"
    on_primary: str = "#ffffff"
    accent: str = "#b5500f"
    on_accent: str = "#ffffff"
    text: str = "#1c2420"
    muted: str = "#4d5a53"
    border: str = "#d5d0c4"
    track: str = "#d5d0c4"  # the progress bar's empty part, behind the primary colour's fill
    selected: str = "#e3efe7"
    positive: str = "#1d6b3e"
    negative: str = "#9c2f1c"
    focus: str = "#0b5cad"
    base_size: int = 20
    logo: str = "logo.svg"

    def scaled(self, factor: float) -> Theme:
        return replace(self, base_size=round(self.base_size * factor))

    @classmethod
    def from_config(cls, colours: Mapping[str, Any], logo: str | None = None) -> Theme:
        """A store's theme: its colours from the configuration (keys as here), its logo if it has one."""
        known = {name: value for name, value in colours.items() if name in cls.__dataclass_fields__}
        theme = cls(**known)
        return replace(theme, logo=logo) if logo else theme


# Accessibility mode: black on white, larger text (every pair well above WCAG AA); a blue focus ring that stands
# out against the white and against the black borders beside it (more than 4:1 against both).
HIGH_CONTRAST = Theme(
    background="#ffffff", surface="#ffffff", primary="#000000", on_primary="#ffffff", accent="#7a1f00",
    on_accent="#ffffff", text="#000000", muted="#222222", border="#000000", track="#c4c4c4", selected="#fff3b0",
    positive="#0b4d26", negative="#7a1200", focus="#1a66ff",
).scaled(1.35)  # fmt: skip

# (foreground, background, what it is, the ratio WCAG 2.2 AA asks for): 4.5 for text, 3 for large text and
# for the focus ring and borders of controls (non-text contrast, 1.4.11).
CONTRAST_PAIRS = (
    ("text", "background", "text", 4.5), ("text", "surface", "text on cards", 4.5),
    ("muted", "background", "secondary text", 4.5), ("muted", "surface", "secondary text on cards", 4.5),
    ("primary", "background", "titles and button text", 4.5), ("primary", "surface", "button text", 4.5),
    ("on_primary", "primary", "main buttons", 4.5), ("on_accent", "accent", "talk button", 4.5),
    ("positive", "surface", "reasons", 4.5), ("negative", "surface", "trade-offs", 4.5),
    ("text", "selected", "chosen answers", 4.5), ("primary", "selected", "hovered buttons", 4.5),
    ("focus", "background", "focus ring", 3.0), ("focus", "surface", "focus ring on cards and its halo", 3.0),
    ("focus", "selected", "focus ring by chosen answers", 3.0), ("focus", "border", "focus ring by borders", 3.0),
    ("primary", "background", "button borders", 3.0), ("primary", "track", "the progress bar's fill", 3.0),
)  # fmt: skip


def luminance(colour: str) -> float:
    """Relative luminance of an sRGB colour "#rrggbb" (WCAG 2.2)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two colours, from 1 to 21."""
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def contrast_problems(theme: Theme) -> list[str]:
    """Colour pairs of a theme below WCAG 2.2 AA, said plainly (empty when the theme passes)."""
    problems = []
    for foreground, background, what, needed in CONTRAST_PAIRS:
        ratio = contrast(getattr(theme, foreground), getattr(theme, background))
        if ratio < needed:
            problems.append(
                f"{what}: {foreground} {getattr(theme, foreground)} on {background} {getattr(theme, background)} "
                f"has contrast {ratio:.2f}:1, WCAG AA asks for {needed:g}:1"
            )
    return problems


def style_sheet(theme: Theme) -> str:
    """The application style sheet for a theme."""
    t = theme
    s = t.base_size
    return f"""
* {{ font-family: "DejaVu Sans"; color: {t.text}; }}
QMainWindow, QStackedWidget, #Screen {{ background: {t.background}; }}
QLabel {{ font-size: {s}px; background: transparent; }}
QLabel#Title {{ font-size: {round(s * 1.8)}px; font-weight: bold; color: {t.primary}; }}
QLabel#Subtitle {{ font-size: {round(s * 1.15)}px; color: {t.muted}; }}
QLabel#Question {{ font-size: {round(s * 1.6)}px; font-weight: bold; color: {t.primary}; }}
QLabel#Help {{ font-size: {s}px; color: {t.text}; background: {t.selected}; border-radius: 12px; padding: 14px; }}
QLabel#Muted, QLabel#Progress, QLabel#LiveCount {{ font-size: {round(s * 0.9)}px; color: {t.muted}; }}
QLabel#LiveCount {{ font-weight: bold; color: {t.primary}; }}
QLabel#MoreBelow {{ font-size: {round(s * 0.9)}px; font-weight: bold; color: {t.primary};
    border-top: 2px dashed {t.primary}; padding-top: 4px; }}
QLabel#Price {{ font-size: {round(s * 1.2)}px; font-weight: bold; color: {t.primary}; }}
QLabel#CardTitle {{ font-size: {round(s * 1.15)}px; font-weight: bold; }}
QLabel#Reason {{ color: {t.positive}; }}
QLabel#Tradeoff {{ color: {t.negative}; }}
QLabel#Section {{ font-size: {round(s * 1.15)}px; font-weight: bold; color: {t.primary}; padding-top: 8px;
    qproperty-indent: 0; }}
#TopBar {{ background: {t.surface}; border-bottom: 1px solid {t.border}; }}
#Card, #OptionCard, #ProductCard {{ background: {t.surface}; border: 2px solid {t.border}; border-radius: 16px; }}
#OptionCard:hover, #ProductCard:hover {{ border-color: {t.primary}; }}
#TopPick {{ background: {t.surface}; border: 3px solid {t.primary}; border-radius: 16px; }}
#AltRow {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: 12px; }}
QLabel#Badge {{ font-size: {round(s * 0.85)}px; font-weight: bold; color: {t.on_primary}; background: {t.primary};
    border-radius: 8px; padding: 2px 10px; }}
QLabel#TopName {{ font-size: {round(s * 1.45)}px; font-weight: bold; }}
QLabel#AltPrice {{ font-weight: bold; color: {t.primary}; }}
#CompareHeader {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: 12px; }}
QLabel#CompareName {{ font-weight: bold; color: {t.muted}; }}
QLabel#Better {{ font-weight: bold; color: {t.positive}; }}
#OptionCard[selected="true"] {{ border: 3px solid {t.primary}; background: {t.selected}; }}
QLabel#CheckBadge {{ background: {t.primary}; color: {t.on_primary}; border-radius: 18px; font-size: {round(s * 1.2)}px;
    font-weight: bold; }}
QLabel#CardIcon {{ color: {t.primary}; }}
QPushButton {{
    font-size: {s}px; min-height: {round(s * 3)}px; padding: 0 {s}px; border-radius: 12px;
    background: {t.surface}; border: 2px solid {t.primary}; color: {t.primary};
}}
QPushButton:hover {{ background: {t.selected}; }}
QPushButton:pressed {{ background: {t.border}; }}
QPushButton:checked {{ background: {t.selected}; border-width: 3px; }}
QPushButton:disabled {{ color: {t.muted}; border-color: {t.border}; border-style: dashed; }}
QPushButton#Primary {{ background: {t.primary}; color: {t.on_primary}; font-weight: bold; border: none; }}
QPushButton#Primary:hover {{ background: {t.text}; }}
QLabel#ButtonText {{ color: {t.primary}; background: transparent; }}
QPushButton#Primary QLabel#ButtonText {{ color: {t.on_primary}; font-weight: bold; }}
QPushButton#Accent {{ background: {t.accent}; color: {t.on_accent}; font-weight: bold; border: none; }}
QPushButton#Primary:disabled, QPushButton#Accent:disabled {{ background: {t.surface}; color: {t.muted};
    border: 2px dashed {t.border}; }}
QPushButton#Link {{ border: none; background: transparent; text-decoration: underline;
    min-height: {round(s * 2.4)}px; }}
#TouchKeyboard {{ background: {t.selected}; border-top: 2px solid {t.border}; }}
QPushButton#Key {{ font-size: {round(s * 1.15)}px; min-height: 52px; padding: 0 4px; border-radius: 8px;
    border: 1px solid {t.border}; color: {t.text}; }}
QPushButton#Key:checked {{ background: {t.primary}; color: {t.on_primary}; }}
QPushButton#OptionCard {{ text-align: left; padding: 12px; color: {t.text}; border-color: {t.border}; }}
QPushButton:focus, #OptionCard:focus {{ outline: none; }}
#FocusRing {{ border: {RING}px solid {t.focus}; border-radius: 16px; background: transparent; }}
#FocusHalo {{ border: {HALO}px solid {t.surface}; border-radius: 13px; background: transparent; }}
QScrollArea {{ border: none; background: transparent; }}
QScrollArea > QWidget > QWidget {{ background: transparent; }}
QScrollBar:vertical {{ width: 14px; background: {t.background}; }}
QScrollBar::handle:vertical {{ background: {t.border}; border-radius: 7px; min-height: 40px; }}
QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0; border: none; background: none; }}
QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{ background: none; }}
QSlider::groove:horizontal {{ height: 10px; background: {t.border}; border-radius: 5px; }}
QSlider::handle:horizontal {{ width: {round(s * 2.2)}px; height: {round(s * 2.2)}px; margin: -{round(s * 0.8)}px 0;
    border-radius: {round(s * 1.1)}px; background: {t.primary}; }}
QLabel#NumberValue {{ font-size: {round(s * 2.4)}px; font-weight: bold; color: {t.primary}; }}
QTableWidget {{ font-size: {round(s * 0.95)}px; background: {t.surface}; gridline-color: {t.border}; border: none; }}
QHeaderView::section {{ background: {t.selected}; font-weight: bold; padding: 8px; border: none; }}
QMainWindow[narrow="true"] QPushButton {{ font-size: {round(s * 0.8)}px; padding: 0 {round(s * 0.45)}px; }}
QProgressBar {{ border: none; background: {t.track}; height: 8px; border-radius: 4px; }}
QProgressBar::chunk {{ background: {t.primary}; border-radius: 4px; }}
"""
