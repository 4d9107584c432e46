"""Matching names across scripts and transliterations: Karimov / Каримов, Nazarbayev / Назарбаев.

A name's *skeleton* is its Latin transliteration with the letters that transliteration
systems disagree on (y, j, h, apostrophes) dropped and doubled letters folded, so that
`Nazarbayev`, `Nazarbaev` and `Назарбаев` all become `nazarbaev`.
"""

from __future__ import annotations

import re
import unicodedata

_CYRILLIC = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "і": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "n",
    "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u", "ф": "f",
    "х": "kh", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
_DROPPED = re.compile(r"[yjh'’`ʼ\W_\d]")
_DOUBLED = re.compile(r"(.)\1+")


def latin(text: str) -> str:
    """Lower-case Latin letters for any Cyrillic (Russian, Kazakh) or accented Latin text."""
    lowered = text.lower()
    spelled = "".join(_CYRILLIC.get(char, char) for char in lowered)
    decomposed = unicodedata.normalize("NFKD", spelled)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def skeleton(text: str) -> str:
    """The transliteration-independent key of a name (see the module docstring)."""
    letters = _DROPPED.sub("", latin(text).replace("q", "k").replace("x", "ks"))
    return _DOUBLED.sub(r"\1", letters)


def surname(text: str) -> str:
    """The last word of a name: what data sets such as Archigos record for most leaders."""
    words = [word for word in re.split(r"[\s.]+", text.strip()) if word]
    return words[-1] if words else ""


def slug(text: str) -> str:
    """`United States of America` -> `united-states-of-america` (for ids)."""
    return re.sub(r"[^a-z0-9]+", "-", latin(text)).strip("-")
