"""The printed routine's QR code: the SVG drawn from zxing-cpp's modules, read back into a grid
of modules, scans with another decoder (zbar) as exactly the address it was made from, at the
error correction level and mask the code is meant to have."""

import re
import shutil
import subprocess
from urllib.parse import unquote

import pytest
from PIL import Image, ImageDraw

from routines.links import MAX_LENGTH, parse_routine_path
from routines.qr_codes import BORDER, MASK, qr_code_data_uri
from routines.steps import MAX_GUIDES

PREFIX = "data:image/svg+xml;charset=utf-8,"
PIXELS_PER_MODULE = 4
# Format information: 5 bits (error correction level, then mask) and 10 of BCH code, XORed with
# this mask so that it is never all light. The level's bits are 01 for L, 00 M, 11 Q and 10 H.
FORMAT_MASK = 0b101010000010010
LEVELS = {0b01: "L", 0b00: "M", 0b11: "Q", 0b10: "H"}


def zbarimg():
    """zbarimg's path, or a failure that says how to install it: a code never scanned must not pass."""
    path = shutil.which("zbarimg")
    if path is None:
        pytest.fail("zbarimg is not installed: run scripts/install-system-deps.sh (zbar-tools).")
    return path


def longest_routine_address():
    """The longest address a valid routine can have: every guide with a slug of the longest
    length and both overrides at their longest."""
    spec = "+".join(f"{'a' * 49}{n}~120x30" for n in range(MAX_GUIDES))
    assert len(spec) == MAX_LENGTH
    assert len(parse_routine_path(spec)) == MAX_GUIDES
    return f"https://example.org/routines/custom/{spec}/"


def modules_of(data_uri):
    """The drawing read back: the viewBox's grid of modules, True where the stroked path covers
    one. Only what the drawing says counts: absolute and relative moves, and horizontal lines
    along the middle of a row of modules (the stroke is one module wide)."""
    assert data_uri.startswith(PREFIX)
    # Nothing a URL can't hold as it is, and no quote that would end the src attribute.
    assert re.fullmatch(r"[A-Za-z0-9_.~/:=,%-]*", data_uri.removeprefix(PREFIX))
    svg = unquote(data_uri.removeprefix(PREFIX))
    assert "style" not in svg
    size = int(re.fullmatch(r"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 (\d+) \1'>.*", svg)[1])
    assert f"<path fill='#fff' d='M0 0h{size}v{size}h-{size}z'/>" in svg
    path = re.search(r"<path stroke='#000' d='([^']*)'/></svg>$", svg)[1]
    grid = [[False] * size for _ in range(size)]
    x = y = 0.0
    commands = re.findall(r"([Mmh])(-?[\d.]+)(?:,(-?[\d.]+))?", path)
    assert "".join(f"{c}{a}" + (f",{b}" if b else "") for c, a, b in commands) == path, "only M, m and h"
    for command, first, second in commands:
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:
            length = float(first)
            row = y - 0.5
            assert length > 0 and row == int(row) and x == int(x), f"a run off the module grid at {x} {y}"
            for column in range(int(x), int(x + length)):
                grid[int(row)][column] = True
            x += length
    return grid


def format_information(grid):
    """The level and mask that both copies of the format information give, in a code that
    starts BORDER modules in."""
    n = len(grid) - 2 * BORDER

    def module(row, column):
        return grid[BORDER + row][BORDER + column]

    # Bits 14 to 0: along row 8 beside the top-left finder and up column 8; and up column 8
    # beside the bottom-left finder, then along row 8 beside the top-right finder.
    around_top_left = [module(8, c) for c in (0, 1, 2, 3, 4, 5, 7, 8)] + [module(r, 8) for r in (7, 5, 4, 3, 2, 1, 0)]
    split = [module(r, 8) for r in range(n - 1, n - 8, -1)] + [module(8, c) for c in range(n - 8, n)]
    readings = []
    for bits in (around_top_left, split):
        word = int("".join("1" if bit else "0" for bit in bits), 2) ^ FORMAT_MASK
        data, check = word >> 10, word & 0x3FF
        remainder = data << 10
        for shift in range(4, -1, -1):  # the BCH code's generator, x^10 + x^8 + x^5 + x^4 + x^2 + x + 1
            if remainder & (1 << (shift + 10)):
                remainder ^= 0b10100110111 << shift
        assert remainder == check, "format information that is not a valid code word"
        readings.append((LEVELS[data >> 3], data & 0b111))
    assert readings[0] == readings[1]
    return readings[0]


@pytest.mark.parametrize(
    "address",
    ["https://example.org/routines/morning/", longest_routine_address()],
    ids=["short", "longest"],
)
def test_the_qr_code_scans_as_its_address(address, tmp_path):
    grid = modules_of(qr_code_data_uri(address))
    size = len(grid)
    n = size - 2 * BORDER
    assert n >= 21 and (n - 17) % 4 == 0, f"{n} modules is no QR code version's size"
    # The quiet zone is light all round, and the code fills the rest: its three finder patterns
    # have their dark 7-module outer rings in the corners.
    dark = [(x, y) for y, row in enumerate(grid) for x, is_dark in enumerate(row) if is_dark]
    assert min(x for x, _ in dark) == min(y for _, y in dark) == BORDER
    assert max(x for x, _ in dark) == max(y for _, y in dark) == size - BORDER - 1
    assert format_information(grid) == ("M", MASK)

    image = Image.new("L", (size * PIXELS_PER_MODULE,) * 2, 255)
    draw = ImageDraw.Draw(image)
    for x, y in dark:
        left, top = x * PIXELS_PER_MODULE, y * PIXELS_PER_MODULE
        draw.rectangle((left, top, left + PIXELS_PER_MODULE - 1, top + PIXELS_PER_MODULE - 1), fill=0)
    image.save(tmp_path / "code.png")
    scan = subprocess.run(
        [zbarimg(), "--raw", "-q", str(tmp_path / "code.png")], capture_output=True, text=True, check=False
    )
    assert scan.returncode == 0, f"zbarimg found no code: {scan.stderr}"
    assert scan.stdout == address + "\n"
