"""QR codes for printed pages: zxing-cpp encodes the text, and this module draws the SVG.

The code is an SVG in a data: URI, which the Content-Security-Policy allows for images
(img-src 'self' data:), and which stays sharp at any print resolution. Its colours are
attributes, never style="" attributes, which the policy would block.

zxing-cpp is C++ (its encoder is the libzint it embeds), chosen for the CPU a routine page
spends on its code: with segno, in pure Python, making the code took about 1.1 ms for a
96-character routine address and 5 ms for the longest one; with zxing-cpp and the drawing
below, 0.12 and 0.41 ms (time.process_time, medians).
"""

import re
from urllib.parse import quote

import zxingcpp

# A QR code's data is XORed with one of eight mask patterns, and the code says which one in
# its format information, so any reader decodes any of them. The standard has the encoder try
# all eight and keep the one with the fewest features that can trouble a scanner (finder-like
# patterns, long runs, blocks, too much dark), which only fine-tunes robustness. zxing-cpp does
# that search, in C, unless it is given a mask, and even there it is about five sixths of the
# encoding's time (0.17 of 0.21 ms for a 96-character address, 0.95 of 1.1 ms for the longest
# routine address). Pattern 2 (every third column) is the one zxing-cpp's search picks most
# often for routine addresses (176 of 400 sampled), and scores close to the best for the rest
# (median 1%, at most 18% more penalty points, over 400 addresses scored by segno's search).
MASK = 2
# The white quiet zone of four modules around the code is what scanners need to find it.
BORDER = 4
# zxing-cpp's image is a byte a module, 0 (black) for a dark module and 255 for a light one.
DARK = b"\x00"
# A stretch of a row: light modules, if any, then dark ones.
STRETCH = re.compile(rb"\xff*\x00+")


class StretchCommands(dict):
    """The path commands that draw a stretch, by its bytes, each worked out the first time it
    is seen: move on past the light modules, then a line over the dark ones. A code has a few
    hundred stretches of a few dozen kinds (at most a few thousand kinds in the largest code a
    routine makes), so joining looked-up strings in C replaces a Python step a stretch: the
    drawing took 0.15 of a routine code's 0.2 ms before, 0.06 now."""

    def __missing__(self, stretch: bytes) -> str:
        light = stretch.find(DARK)
        commands = (f"m{light},0" if light else "") + f"h{len(stretch) - light}"
        self[stretch] = commands
        return commands


STRETCH_COMMANDS = StretchCommands()
DATA_URI = "data:image/svg+xml;charset=utf-8,"
# Spaces, <, > and # can't stand in a URL, and quotes would be escaped in the HTML: the
# SVG's own markup is escaped. Its path, most of it, is numbers, the letters M, m and h, and
# the signs ".,-", which a URL holds as they are, so it is left out of the escaping (quote()
# takes a Python step a character: a quarter of the code's CPU).
URL_SAFE = "/:="
SVG_END = quote("'/></svg>", safe=URL_SAFE)


def qr_code_data_uri(text: str) -> str:
    # Medium error correction survives a crease or a smudge on paper, and keeps the longest
    # routine address small enough to print at a scannable size. zxing-cpp takes its options as
    # keyword arguments and ignores any it does not know, so the tests read both back from the
    # drawn code's format information.
    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M", data_mask=MASK)
    image = memoryview(code.to_image(scale=1, add_quiet_zones=False))
    width = image.shape[1]
    pixels = image.tobytes()
    rows = [pixels[start : start + width] for start in range(0, len(pixels), width)]
    size = width + 2 * BORDER
    svg_start = (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {size} {size}'>"
        f"<path fill='#fff' d='M0 0h{size}v{size}h-{size}z'/><path stroke='#000' d='"
    )
    return DATA_URI + quote(svg_start, safe=URL_SAFE) + dark_modules_path(rows) + SVG_END


def dark_modules_path(rows) -> str:
    """The dark modules of rows of zxing-cpp's image, as lines one module high: each row from
    its start, then relative moves along it, with the numbers parted by commas. A regular
    expression finds a row's stretches in C."""
    commands = STRETCH_COMMANDS.__getitem__
    # The lines are stroked along the middle of their row, starting inside the quiet zone.
    return "".join(
        f"M{BORDER},{BORDER + y}.5" + "".join(map(commands, STRETCH.findall(row))) for y, row in enumerate(rows)
    )
