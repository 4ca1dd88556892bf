"""Names as staff will read them.

Bidirectional overrides and isolates (U+202A–202E, U+2066–2069) reorder what follows them on
screen, and zero-width characters (U+200B–200F, U+2060, U+FEFF) are invisible: either can make a
name display as another one, or two equal-looking names differ. Every name that comes in is
cleaned here, on every path (forms, the API, claims, the models' own save).
"""

import re

INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def name_clean(raw: str) -> str:
    """The name without invisible or reordering characters, whitespace runs made one space."""
    return " ".join(INVISIBLE.sub("", raw or "").split())
