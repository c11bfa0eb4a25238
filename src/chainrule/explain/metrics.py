"""How wide a line of text is drawn, without a font library: DejaVu Sans advance widths.

The pictures name the font stack ``Helvetica, Arial, 'DejaVu Sans', sans-serif``;
of those DejaVu Sans is the widest (and matplotlib's default, so PNG text is
measured exactly), so a box sized with these widths holds its text in any of them.

>>> round(text_width("w1 = x + y", 12), 1)
67.0
>>> shorten("w8 = sum(w7, axis=None, keepdims=False)", 12, 120)
'w8 = sum(w7, ax…'
>>> text_width(shorten("w8 = sum(w7, axis=None, keepdims=False)", 12, 120), 12) <= 120
True
"""

import unicodedata

__all__ = ["text_width", "shorten", "FONT_FAMILY"]

FONT_FAMILY = "Helvetica, Arial, 'DejaVu Sans', sans-serif"

# Advance widths in thousandths of an em for ASCII 32..126 (DejaVu Sans, regular and bold),
# read once from the font files matplotlib ships.
_REGULAR = [
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698,
    770, 631, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732,
    684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635,
    634, 278, 279, 579, 278, 974, 634, 611, 635, 635, 412, 521, 392, 634, 592, 818, 592, 592,
    525, 637, 337, 636, 838]
_BOLD = [
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696,
    696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734,
    830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812,
    774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716,
    712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652,
    582, 712, 365, 712, 838]
# The non-ASCII characters the tables use; anything else counts a full em (never too narrow).
_OTHER = {"∂": 544, "·": 380, "‖": 500, "∇": 697, "…": 1000, "≈": 838, "′": 264, "→": 838,
          "⇒": 838, "ᵀ": 450, "×": 838, "₂": 450, "⊤": 838}


def text_width(text, size, bold=False):
    """Width in pixels of ``text`` at font size ``size`` px (combining marks take none)."""
    table = _BOLD if bold else _REGULAR
    units = 0
    for c in str(text):
        o = ord(c)
        if 32 <= o < 127:
            units += table[o - 32]
        elif unicodedata.combining(c):
            continue
        else:
            units += _OTHER.get(c, 1000)
    return units * size / 1000.0


def shorten(text, size, max_width, bold=False):
    """``text`` cut to fit ``max_width`` pixels, ending in '…' when cut."""
    text = str(text)
    if text_width(text, size, bold) <= max_width:
        return text
    room = max_width - text_width("…", size, bold)
    out = ""
    for c in text:
        if text_width(out + c, size, bold) > room:
            break
        out += c
    return out.rstrip() + "…"
