"""QR codes for printed pages, drawn on the server with segno.

The code is an SVG in a data: URI, which the Content-Security-Policy allows for images
(img-src 'self' data:), and which stays sharp at any print resolution. segno writes the
colours as attributes, never as style="" attributes, which the policy would block.
"""

import segno


def qr_code_data_uri(text: str) -> str:
    # Medium error correction survives a crease or a smudge on paper, and keeps the longest
    # routine address small enough to print at a scannable size. The white quiet zone of four
    # modules around the code is what scanners need to find it.
    code = segno.make(text, error="m", micro=False)
    return code.svg_data_uri(omitsize=True, dark="#000", light="#fff", border=4)
