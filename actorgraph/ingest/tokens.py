"""Split a text into word tokens that remember their line, word position and sentence.

Evidence phrases are cut from a line's whitespace-separated words, so every token keeps
the index of the word it came from. Sentences run across line breaks (articles wrap
their lines) and end at . ! ? or a blank line, but not after an initial (Ш. Мирзиеев)
or a short abbreviation (2021 ж., т.б.).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

#: A word, hyphenated or with an apostrophe; a web name keeps its domain (Vlast.kz, CABAR.asia, Kun.uz).
TOKEN = re.compile(r"\w+(?:[-'’]\w+)*(?:\.(?i:kz|uz|kg|tj|tm|ru|asia|com|org|net|info|io)(?!\w))?", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?…]")
#: Punctuation that may stand around a word ("«Қазақстан:", "(ШЫҰ),"); not hyphens or apostrophes.
_PUNCTUATION = '.,;:!?…«»()[]{}"“”„<>/*'
#: Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    "ж жж т б с г гг им проф акад др мр стр см тб тт млн млрд трлн mr mrs dr prof st no vs etc".split()
)
#: Quotation marks that open and close a quote.
_OPENING_QUOTES = '«“„"'
_CLOSING_QUOTES = '»”“"'
#: A quote that closes within this many words is a quoted name («Хабар», «Астана Моторс»), not a sentence.
QUOTED_NAME_WORDS = 4
QUOTED_SENTENCE, QUOTED_NAME, QUOTED_PHRASE = 1, 2, 3
#: A line with at least this many words and no final full stop is wrapped prose, not a heading.
WRAPPED_LINE_WORDS = 7
KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


@dataclass(slots=True)
class Token:
    """One word token: as written, normalised (lower case, ё as е, no 's), and where it stands."""

    text: str
    norm: str
    line: int  # 1-based line of the source
    word: int  # index of the whitespace-separated word on that line
    sentence: int
    capitalised: bool = False
    quote: int = 0  # QUOTED_SENTENCE: first word of a quoted sentence; QUOTED_NAME: first word of a quoted name
    quote_words: int = 0  # QUOTED_PHRASE: a quote of a few words opening with a capital, how many words it has


@lru_cache(maxsize=200_000)
def normalise(word: str) -> str:
    """Lower case, ё read as е, an English possessive dropped (Uzbekistan's -> uzbekistan)."""
    word = word.lower().replace("ё", "е")
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    return word.replace("’", "'")


def _split_unless_capitalised(text: str) -> bool:
    return not all_capitalised(text)


def tokenise(lines: Iterable[str], split: Callable[[str], bool] = _split_unless_capitalised) -> list[Token]:
    """Tokens of every line. A hyphenated word is split into its parts when `split` says so
    (`Matcher.split_hyphenated`: Қазақстан-Өзбекстан yes, Нұр-Сұлтанда and АҚШ-тың no).

    Texts taken from PDFs break pages with blank lines inside sentences, so a blank line
    ends a sentence only after a short line (a heading) or sentence punctuation."""
    tokens: list[Token] = []
    norms: dict[str, str] = {}  # word -> normalised word, for this text
    sentence = 0
    previous: list[str] = []  # words of the last non-blank line
    for line_number, line in enumerate(lines, 1):
        words = line.split()
        if not words:
            if len(previous) < WRAPPED_LINE_WORDS or previous[-1][-1:] in '.!?…:;»"':
                sentence += 1  # a blank line after a heading or a finished sentence ends it
            continue
        previous = words
        quoted = _quotes(words) if any(q in line for q in _OPENING_QUOTES) else {}
        for word_index, word in enumerate(words):
            if word.isalpha():  # the most common case: a plain word
                norm = norms.get(word)
                if norm is None:
                    norm = norms[word] = normalise(word)
                tokens.append(Token(word, norm, line_number, word_index, sentence, word[0].isupper()))
                if word_index in quoted:
                    tokens[-1].quote, tokens[-1].quote_words = quoted[word_index]
                continue
            first_token = len(tokens)
            core = word.strip(_PUNCTUATION)
            if core.isalpha():  # a plain word with punctuation around it
                tokens.append(Token(core, normalise(core), line_number, word_index, sentence, core[0].isupper()))
                if word_index in quoted:
                    tokens[-1].quote, tokens[-1].quote_words = quoted[word_index]
                tail = word[len(word.rstrip(_PUNCTUATION)) :]
                if tail and _SENTENCE_END.search(tail) and not _abbreviation(core):
                    sentence += 1
                continue
            matches = list(TOKEN.finditer(word))
            if not matches and _SENTENCE_END.search(word):
                sentence += 1  # punctuation written apart: "... жолға қойылды ."
            for position, match in enumerate(matches):
                text = match.group()
                parts = [text]
                if "-" in text and split(text):
                    parts = [part for part in text.split("-") if part]
                for part in parts:
                    tokens.append(Token(part, normalise(part), line_number, word_index, sentence, part[0].isupper()))
                    if word_index in quoted and len(tokens) == first_token + 1:
                        tokens[-1].quote, tokens[-1].quote_words = quoted[word_index]
                following = word[match.end() : matches[position + 1].start() if position + 1 < len(matches) else None]
                if _SENTENCE_END.search(following) and not _abbreviation(text):
                    sentence += 1
    return tokens


def _quotes(words: list[str]) -> dict[int, tuple[int, int]]:
    """The words that open a quote, with how many words it has: QUOTED_SENTENCE when it does not
    close within a few words, QUOTED_NAME when it closes right after its one word, QUOTED_PHRASE
    when it closes after a few words, the first capitalised (ОАО «Российские железные дороги»).

    «Пәтеріміз жылынбай, суық үйде отырмыз» opens with a common word written with a capital;
    «Хабар» арнасында and « Аманат » are quoted names; «Неге?» and «Рухани жаңғыру» are neither.
    """
    openers: dict[int, tuple[int, int]] = {}
    for index, word in enumerate(words):
        if word[0] not in _OPENING_QUOTES:
            continue
        first = index if word.strip(_PUNCTUATION) else index + 1  # "« Хабар »": the quote stands apart
        if first >= len(words):
            continue
        window = words[first : first + QUOTED_NAME_WORDS]
        window[0] = window[0].lstrip(_OPENING_QUOTES)
        closing = next((i for i, w in enumerate(window) if _closes(w)), None)
        if closing is None:
            openers[first] = (QUOTED_SENTENCE, 0)
        elif (closing == 0 or (closing == 1 and window[1].strip(_CLOSING_QUOTES + ".,;:)") == "")) and window[0][
            :1
        ].isalpha():
            if not _SENTENCE_END.search(window[0]):  # «Неге?» is a question, not a name
                openers[first] = (QUOTED_NAME, 1)
        elif window[0][:1].isupper() and not any(
            _SENTENCE_END.search(w.rstrip(_CLOSING_QUOTES)) for w in window[:closing]
        ):
            alone = window[closing].strip(_CLOSING_QUOTES + ".,;:)") == ""  # "дороги »": the mark stands apart
            openers[first] = (QUOTED_PHRASE, closing if alone else closing + 1)
    return openers


def _closes(word: str) -> bool:
    """True when `word` ends a quote: a closing mark at its end, before any comma or full stop."""
    last = word.rstrip(".,;:)")[-1:]
    return bool(last) and last in _CLOSING_QUOTES


def all_capitalised(text: str) -> bool:
    """Every part of a hyphenated word capitalised (Нью-Дели), or all but short particles inside (Mazar-i-Sharif)."""
    parts = [part for part in text.split("-") if part]
    if len(parts) < 2 or not parts[0][:1].isupper() or not parts[-1][:1].isupper():
        return False
    return all(part[:1].isupper() or (len(part) <= 2 and part.islower()) for part in parts[1:-1])


def _abbreviation(text: str) -> bool:
    """An initial (a single capital letter) or a short abbreviation: its full stop ends no sentence."""
    return (len(text) == 1 and text.isalpha()) or text.lower() in ABBREVIATIONS


_CYRILLIC = re.compile("[\u0400-\u04ff]")
_KAZAKH = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_LATIN = re.compile("[A-Za-z]")


def _counts(line: str) -> tuple[int, int, int]:
    return len(_CYRILLIC.findall(line)), len(_KAZAKH.findall(line)), len(_LATIN.findall(line))


def _language(cyrillic: int, kazakh: int, latin: int) -> str:
    if latin > cyrillic:
        return "en"
    if cyrillic and kazakh / cyrillic > 0.01:
        return "kk"
    return "ru" if cyrillic else "en"


def detect_language(lines: list[str], sample: int = 5000) -> str:
    """kk, ru or en, from the letters of the first `sample` lines: Kazakh-only letters mark Kazakh."""
    totals = [0, 0, 0]
    for line in lines[:sample]:
        for index, count in enumerate(_counts(line)):
            totals[index] += count
    return _language(*totals)


class LineLanguages(Sequence[str]):
    """The language around each line (its paragraph-sized neighbourhood), for texts that mix languages.

    Computed on demand and remembered: only lines where a candidate name stands are asked.
    """

    def __init__(self, lines: list[str], window: int = 4) -> None:
        self._lines = lines
        self._window = window
        self._counts: dict[int, tuple[int, int, int]] = {}
        self._languages: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._lines)

    def __getitem__(self, index: int) -> str:
        block = index // self._window  # lines are judged in blocks: neighbours share their neighbourhood
        found = self._languages.get(block)
        if found is None:
            totals = [0, 0, 0]
            first = max(0, block * self._window - self._window)
            for near in range(first, min(len(self._lines), block * self._window + 2 * self._window)):
                counts = self._counts.get(near)
                if counts is None:
                    counts = self._counts[near] = _counts(self._lines[near])
                for k in range(3):
                    totals[k] += counts[k]
            found = self._languages[block] = _language(*totals)
        return found


def line_languages(lines: list[str], window: int = 4) -> LineLanguages:
    """The language around each line, as a sequence computed on demand (see `LineLanguages`)."""
    return LineLanguages(lines, window)
