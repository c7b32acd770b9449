"""Tokenising and normalising for alias matching.

Aliases and input text go through the same tokenizer so that "al-Qaeda", "al Qaeda" and
"Al-Qaida"-style variants share keys, "U.S." stays one token, and possessive "'s" is split off
(so "China's" still names China). Offsets always point into the original text.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

# "U.S." / "U.N." (dotted initialisms) | words (letters, digits, inner apostrophes) | possessive 's
# | hyphen (dropped but remembered) | any other single non-space char.
_TOKEN_RE = re.compile(
    r"(?:[A-Za-z]\.){2,}|\w+(?:['’](?!s\b)\w+)*|['’]s\b|-|\S",
    re.UNICODE,
)


class Token(NamedTuple):
    """One token: ``norm`` is the matching key, ``text`` the surface, offsets into the source.

    A named tuple: every phrase the coder resolves is tokenised, and tuples are built several
    times faster than frozen dataclasses."""

    text: str
    norm: str
    start: int
    end: int
    joined: bool = False  # attached to the previous token by a hyphen ("Jae-in")

    @property
    def is_cap(self) -> bool:
        return self.text[:1].isupper()


def fold(s: str) -> str:
    """Lower-case, strip accents, unify apostrophes: the normal form used for all keys."""
    if s.isascii():
        return s.lower()
    s = s.replace("’", "'").replace("‘", "'")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return s.lower()


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens; hyphens are dropped and mark the next token as ``joined``."""
    out: list[Token] = []
    joined = False
    for m in _TOKEN_RE.finditer(text):
        t = m.group(0)
        if t == "-":
            joined = bool(out) and out[-1].end == m.start()
            continue
        norm = t.lower() if t.isascii() else fold(t)
        out.append(Token(t, norm, m.start(), m.end(), joined and out[-1].end + 1 == m.start()))
        joined = False
    return out


def key_of(s: str) -> tuple[str, ...]:
    """The token key of an alias string (what the index is keyed on)."""
    return tuple(t.norm for t in tokenize(s))


def is_acronym(s: str) -> bool:
    """Short all-capital aliases ("WHO", "US", "UN") only match in that exact case."""
    letters = [c for c in s if c.isalpha()]
    return (
        bool(letters) and len(letters) <= 6 and all(c.isupper() for c in letters) and " " not in s
    )


def edit1(a: str, b: str) -> bool:
    """True if ``a`` and ``b`` differ by exactly one insertion, deletion or substitution."""
    if a == b:
        return False
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]
