"""Find the known names in a token stream, in any inflected form.

Three ways for a spelling to match tokens, tried together (texts mix languages, and the
article quotes Russian names inside Kazakh sentences):

- Kazakh: every word as written but the last, which may carry suffixes
  (`kazakh.forms`): Шанхай Ынтымақтастық Ұйымының, Тоқаевқа, АҚШ-тың;
- Russian: every word's lemmas (pymorphy3) meet the spelling's: Шанхайской организации
  сотрудничества, Мирзиёевым;
- exact: the words as written (English, and anything else), with 's allowed.

A name that starts with a capital must start with one in the text (Turkey, not a roast
turkey); an abbreviation must be in capitals. Where matches overlap, the longest wins
(Қазақстан Республикасы Қорғаныс министрлігі is the ministry, not also the country);
agreements and events are matched in a layer of their own, so a long agreement name
does not hide the countries it names.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache

from actorgraph.ingest import kazakh, russian
from actorgraph.ingest.names import Spelling, cldr_cities
from actorgraph.ingest.tokens import Token, all_capitalised, normalise, tokenise


@dataclass(frozen=True)
class Match:
    """Tokens `start`..`end` (exclusive) name `spelling`."""

    spelling: Spelling
    start: int
    end: int


_CYRILLIC = re.compile("[\u0400-\u04ff]")
#: Last words of aliases that are titles (Тұңғыш Президент for Nazarbayev).
_TITLES = frozenset(("президент", "президенті", "president", "елбасы", "премьер-министр", "министр"))


def _cyrillic(word: str) -> bool:
    return _CYRILLIC.search(word) is not None


class Matcher:
    """An index of spellings by the forms and lemmas of their first word."""

    def __init__(self, spellings: list[Spelling]) -> None:
        self._part_starts = _part_starts(spellings)
        spellings = [_resplit(spelling, self._part_starts) for spelling in spellings]
        self._abbreviations = frozenset().union(
            *(kazakh.abbreviation_forms(s.words[0]) for s in spellings if s.abbreviation)
        )
        self.spellings = spellings
        self._given: dict[str, set[str]] = defaultdict(set)  # person id -> first words of their full names
        for spelling in spellings:
            if len(spelling.words) > 1:
                for node_id in spelling.node_ids:
                    self._given[node_id].add(spelling.words[0])
        self._forms: dict[str, list[Spelling]] = defaultdict(list)
        self._lemmas: dict[str, list[Spelling]] = defaultdict(list)
        self._last_forms: dict[Spelling, frozenset[str]] = {}
        self._lemma_sets: dict[Spelling, tuple[frozenset[str], ...]] = {}
        self.hyphenated: set[str] = set()
        for spelling in spellings:
            words = spelling.words
            last = words[-1]
            if spelling.abbreviation:
                last_forms = kazakh.abbreviation_forms(last)
            elif _cyrillic(last):
                last_forms = kazakh.forms(last, possessive=len(words) > 1 and kazakh.ends_possessive(last))
            else:
                last_forms = frozenset((last,))
            self._last_forms[spelling] = last_forms
            first_keys = last_forms if len(words) == 1 else {words[0]}
            for key in first_keys:
                self._forms[key].append(spelling)
                if "-" in key:
                    self.hyphenated.add(key)
            if _cyrillic(words[0]) and not spelling.abbreviation:
                sets = tuple(russian.lemmas(word) for word in words)
                self._lemma_sets[spelling] = sets
                for lemma in sets[0]:
                    self._lemmas[lemma].append(spelling)
                    if "-" in lemma:
                        self.hyphenated.add(lemma)

    def split_hyphenated(self, text: str) -> bool:
        """Should a hyphenated word be split into its parts?

        Kept whole: an abbreviation with its suffix (АҚШ-тың), a known hyphenated name or its
        form (Нұр-Сұлтанда, Нур-Султане), a run of capitalised parts (Нью-Дели, Иссык-Куля).
        Split: a word one of whose parts starts a known name (Қазақстан-Өзбекстан,
        Астана-Моторс, whose spelling is split the same way) and every other compound.
        """
        norm = normalise(text)
        if norm in self._abbreviations:
            return False
        parts = [part for part in norm.split("-") if part]
        if any(part in self._part_starts for part in parts):
            return True
        if norm in self.hyphenated or (_cyrillic(norm) and not russian.lemmas(norm).isdisjoint(self.hyphenated)):
            return False
        return not all_capitalised(text)

    def tokenise(self, lines: list[str]) -> list[Token]:
        """The text's tokens, hyphenated words kept whole or split as this matcher's names need."""
        return tokenise(lines, self.split_hyphenated)

    def find(self, tokens: list[Token]) -> list[Match]:
        """Every match, overlaps resolved (longest first) within actors and within other kinds."""
        found: dict[bool, list[Match]] = {True: [], False: []}
        candidates_of = lru_cache(maxsize=None)(self._candidates)  # one lookup per distinct word
        for index, token in enumerate(tokens):
            for spelling in candidates_of(token.norm):
                if self._verify(spelling, tokens, index):
                    found[spelling.actor].append(Match(spelling, index, index + len(spelling.words)))
        return _resolve(found[True]) + _resolve(found[False])

    def _candidates(self, norm: str) -> tuple[Spelling, ...]:
        """Spellings whose first word may be `norm`: by its Kazakh forms, or by its Russian lemmas."""
        found = list(self._forms.get(norm, ()))
        if _cyrillic(norm):
            for lemma in russian.lemmas(norm):
                found += self._lemmas.get(lemma, ())
        return tuple(dict.fromkeys(found))

    def _verify(self, spelling: Spelling, tokens: list[Token], start: int) -> bool:
        first = tokens[start]
        if spelling.capitalised and not first.capitalised:
            return False
        words = spelling.words
        end = start + len(words)
        if end > len(tokens) or tokens[end - 1].sentence != first.sentence:
            return False
        if spelling.abbreviation and not first.text.split("-")[0].isupper():
            return False
        if spelling.words[-1] in _TITLES and end < len(tokens) and tokens[end].capitalised:
            if tokens[end].sentence == first.sentence:
                return False  # Тұңғыш президент И. Каримов: a title before a name is that person's, not an alias
        if (
            spelling.surname
            and start > 0
            and self._first_name_before(tokens[start - 1], first)
            and not (start > 1 and self._first_name_before(tokens[start - 2], tokens[start - 1]))
        ):  # Марко Рубио Тоқаевпен: a first name before the word before makes that word a surname
            given = set().union(*(self._given.get(node_id, set()) for node_id in spelling.node_ids))
            if tokens[start - 1].norm not in given:
                return False  # Гульнара Каримова is not Islam Karimov (Марта Олкоттың is Martha Olcott)
        span = tokens[start:end]
        if all(t.norm == w for t, w in zip(span[:-1], words[:-1], strict=True)) and (
            span[-1].norm in self._last_forms[spelling]
        ):
            return True
        sets = self._lemma_sets.get(spelling)
        return bool(sets) and all(
            not russian.lemmas(t.norm).isdisjoint(lemma_set) and _cyrillic(t.norm)
            for t, lemma_set in zip(span, sets, strict=True)
        )

    def _first_name_before(self, previous: Token, surname: Token) -> bool:
        """Is `previous` a first name standing right before `surname`?

        pymorphy3 guesses a Name for many unknown words, so a case form of a known place
        or of a CLDR city is no first name (Астанада Тоқаевпен, Женевада Тоқаевпен).
        """
        if not _first_name_before(previous, surname):
            return False
        return not self._place_form(previous.norm)

    def _place_form(self, norm: str) -> bool:
        """`norm` is an inflected form (not the bare word) of a known one-word name, or a Kazakh case form of a CLDR city."""
        if any(len(s.words) == 1 and s.words[0] != norm and s.actor for s in self._forms.get(norm, ())):
            return True
        stem = kazakh.stem_of(norm)
        return stem != norm and stem in cldr_cities()


def _part_starts(spellings: list[Spelling]) -> frozenset[str]:
    """Words (and their Kazakh forms) that begin a known actor's name: a hyphen part equal to one is a name."""
    starts: set[str] = set()
    for spelling in spellings:
        first = spelling.words[0]
        if not spelling.actor or "-" in first or len(first) < 3 or spelling.abbreviation:
            continue
        starts.add(first)
        if len(spelling.words) == 1 and _cyrillic(first):
            starts |= kazakh.forms(first)
    return frozenset(starts)


def _resplit(spelling: Spelling, part_starts: frozenset[str]) -> Spelling:
    """Split a spelling's hyphenated words as texts are split (Астана-Моторс -> астана, моторс)."""
    words: list[str] = []
    for word in spelling.words:
        parts = [part for part in word.split("-") if part]
        words += parts if len(parts) > 1 and any(part in part_starts for part in parts) else [word]
    return spelling if tuple(words) == spelling.words else replace(spelling, words=tuple(words))


def _first_name_before(previous: Token, surname: Token) -> bool:
    """Is `previous` a first name (pymorphy3's Name) standing right before `surname`?"""
    if previous.sentence != surname.sentence or not previous.capitalised or not _cyrillic(previous.norm):
        return False
    found = russian.proper_lemma(previous.norm)
    return found is not None and found[1] == "Name"


def _resolve(matches: list[Match]) -> list[Match]:
    """Keep the longest of overlapping matches (earliest, then known before new, on ties)."""
    kept: list[Match] = []
    taken: set[int] = set()
    for match in sorted(matches, key=lambda m: (-(m.end - m.start), m.start, m.spelling.new)):
        if taken.isdisjoint(range(match.start, match.end)):
            kept.append(match)
            taken.update(range(match.start, match.end))
    return sorted(kept, key=lambda m: m.start)
