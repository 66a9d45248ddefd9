"""A word-level diff of two texts, for markdown and other prose: which words were removed
and which were added, with the unchanged text around them."""

import difflib
import re
from dataclasses import dataclass

from editing.values import plain

TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class Segment:
    kind: str  # "same", "removed" or "added"
    text: str


def word_diff(before, after):
    old, new = TOKENS.findall(plain(before)), TOKENS.findall(plain(after))
    segments = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("removed", "".join(old[i1:i2])))
        if j2 > j1:
            segments.append(Segment("added", "".join(new[j1:j2])))
    return segments
