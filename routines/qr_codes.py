"""QR codes for printed pages: segno encodes the text, and this module draws the SVG.

The code is an SVG in a data: URI, which the Content-Security-Policy allows for images
(img-src 'self' data:), and which stays sharp at any print resolution. Its colours are
attributes, never style="" attributes, which the policy would block.
"""

import re
from urllib.parse import quote

import segno

# A QR code's data is XORed with one of eight mask patterns, and the code says which one in
# its format information, so any reader decodes any of them. The standard has the encoder try
# all eight and keep the one with the fewest features that can trouble a scanner (finder-like
# patterns, long runs, blocks, too much dark), which only fine-tunes robustness; segno's search,
# in pure Python, was about four fifths of the time it took to make a routine page's code.
# Pattern 2 (every third column) is the one the search picks most often for routine addresses,
# and scores close to the best for the rest (median 1%, at most 18% more penalty points).
MASK = 2
# The white quiet zone of four modules around the code is what scanners need to find it.
BORDER = 4
DARK_RUN = re.compile(rb"\x01+")


def qr_code_data_uri(text: str) -> str:
    # Medium error correction survives a crease or a smudge on paper, and keeps the longest
    # routine address small enough to print at a scannable size.
    code = segno.make(text, error="m", micro=False, mask=MASK)
    size = len(code.matrix) + 2 * BORDER
    svg = (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {size} {size}'>"
        f"<path fill='#fff' d='M0 0h{size}v{size}h-{size}z'/>"
        f"<path stroke='#000' d='{dark_modules_path(code.matrix)}'/></svg>"
    )
    # Spaces, <, > and # can't stand in a URL, and quotes would be escaped in the HTML; the
    # rest is left as it is, which keeps the page shorter.
    return "data:image/svg+xml;charset=utf-8," + quote(svg, safe="/:=")


def dark_modules_path(matrix) -> str:
    """The dark modules, row by row, as lines one module high, drawn with relative moves as
    segno draws them. segno's writer looks at every module in Python; a regular expression
    finds a row's runs of dark modules in C, in a fraction of the time."""
    # The lines are stroked along the middle of their row, starting inside the quiet zone.
    commands = [f"M{BORDER} {BORDER}.5"]
    pen_x = pen_y = 0
    for y, row in enumerate(matrix):
        for run in DARK_RUN.finditer(row):
            start, end = run.span()
            commands.append(f"m{start - pen_x} {y - pen_y}h{end - start}")
            pen_x, pen_y = end, y
    return "".join(commands)
