"""Russian inflection through pymorphy3 (OpenCorpora dictionaries from PyPI).

A Russian name is found in any case form by comparing lemmas: Токаева, Токаеву and
Токаевым all have the lemma токаев; Шанхайской организации сотрудничества has the
lemmas of Шанхайская организация сотрудничества word by word. pymorphy3 also guesses
lemmas of words missing from its dictionary (Мирзиёевым -> мирзиеев) from their endings.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

#: Grammemes pymorphy3 gives proper names: first names, surnames, patronymics, places, organizations.
PROPER = frozenset(("Name", "Surn", "Patr", "Geox", "Orgn", "Trad"))


@cache
def analyzer() -> Any:
    """The pymorphy3 analyser (loads its dictionary once, ~0.1 s)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def lemmas(word: str) -> frozenset[str]:
    """Every lemma pymorphy3 offers for `word` (lower case, ё read as е), and the word itself."""
    word = word.lower().replace("ё", "е")
    found = {parse.normal_form.replace("ё", "е") for parse in analyzer().parse(word)}
    found.add(word)
    return frozenset(found)


@lru_cache(maxsize=100_000)
def proper_lemma(word: str) -> tuple[str, str] | None:
    """(lemma, grammeme) when pymorphy3 reads `word` as a proper name (Садыра -> садыр, Name), else None."""
    for parse in analyzer().parse(word.lower()):
        hit = PROPER & parse.tag.grammemes
        if hit and parse.score >= 0.05:
            return parse.normal_form.replace("ё", "е"), sorted(hit)[0]
    return None


@lru_cache(maxsize=100_000)
def is_common_word(word: str) -> bool:
    """True when the dictionary knows `word` as an ordinary (not proper) word: a capital then means a sentence start."""
    parses = analyzer().parse(word.lower())
    return any(parse.is_known and not (PROPER & parse.tag.grammemes) for parse in parses[:1])


@lru_cache(maxsize=100_000)
def is_genitive_noun(word: str) -> bool:
    """True when the likeliest reading of `word` is a noun or adjective in the genitive (развития, глав)."""
    parses = analyzer().parse(word.lower())
    return bool(parses) and parses[0].tag.case == "gent" and parses[0].tag.POS in ("NOUN", "ADJF")


@lru_cache(maxsize=100_000)
def is_common_noun(word: str) -> bool:
    """True when the dictionary's likeliest reading of `word` is an ordinary noun, verb or adverb (Заседание, Жители)."""
    parses = analyzer().parse(word.lower())
    if not parses or not parses[0].is_known or PROPER & parses[0].tag.grammemes:
        return False
    return parses[0].tag.POS in ("NOUN", "VERB", "INFN", "ADVB", "PREP", "CONJ", "PRCL", "NPRO")


@lru_cache(maxsize=100_000)
def is_loanword_noun(word: str) -> bool:
    """True when the dictionary knows `word` only as an ordinary noun in the nominative singular.

    For a Kazakh sentence opener borrowed from Russian (Комиссия, Спорт): no reading of it is a
    name (Роза, Вера, Атырау have one), and oblique forms are left alone (Семей, Орал).
    """
    parses = analyzer().parse(word.lower())
    if not parses or not parses[0].is_known or parses[0].score < 0.5:
        return False
    tag = parses[0].tag
    if tag.POS != "NOUN" or tag.case != "nomn" or tag.number != "sing":
        return False
    return not any(PROPER & parse.tag.grammemes for parse in parses)


@lru_cache(maxsize=100_000)
def is_adjective(word: str) -> bool:
    """True when the dictionary's likeliest reading of `word` is an ordinary adjective (Центральноазиатского)."""
    parses = analyzer().parse(word.lower())
    return bool(parses) and parses[0].is_known and parses[0].tag.POS == "ADJF" and not PROPER & parses[0].tag.grammemes


@lru_cache(maxsize=100_000)
def is_plural(word: str, *, likeliest: bool = True) -> bool:
    """True when the likeliest reading of `word` (or, with likeliest=False, any reading) is a
    plural in the nominative: Китайские; компании (also a genitive singular)."""
    parses = analyzer().parse(word.lower())
    return any(p.tag.number == "plur" and p.tag.case == "nomn" for p in parses[: 1 if likeliest else None])


def person_nominative(words: list[str]) -> list[str] | None:
    """A person's name put in the nominative, keeping its gender: Гульнары Каримовой -> гульнара каримова.

    The first name decides the gender and case (Садыра Жапарова is a man in the genitive, Гульнара
    Каримова a woman in the nominative); each word is then read in that gender and case and put in
    the nominative. None when the first word is no first name pymorphy3 knows.
    """
    first = [  # one person: a plural reading (Маулен as if of "Маулена") is a guess gone wrong
        p
        for p in analyzer().parse(words[0])
        if "Name" in p.tag.grammemes and p.score >= 0.05 and p.tag.number != "plur" and p.tag.case != "voct"
    ]
    if not first:
        return None
    gender, case = first[0].tag.gender, first[0].tag.case
    result = []
    for word in words:
        parses = [p for p in analyzer().parse(word) if PROPER & p.tag.grammemes and p.tag.case == case]
        agreeing = [p for p in parses if p.tag.gender == gender] or parses
        if not agreeing:  # an indeclinable first name, or a surname read in another case: its own lemma
            lemma = proper_lemma(word)
            result.append(word if case == "nomn" else lemma[0] if lemma else "")  # Саидов stays Саидов
            continue
        inflected = agreeing[0].inflect({"nomn", "sing"} | ({gender} if gender else set()))
        result.append((inflected.word if inflected else word).replace("ё", "е"))
    return result if all(result) else None


@lru_cache(maxsize=100_000)
def is_adjective_or_noun(word: str) -> bool:
    """True unless the likeliest reading of `word` is a verb, adverb or function word (открылся, в, и)."""
    parses = analyzer().parse(word.lower())
    return not parses or parses[0].tag.POS in ("ADJF", "NOUN", "PRTF", "NUMR", None)


def phrase_nominative(words: list[str]) -> list[str] | None:
    """A name of adjectives and a head noun put in the nominative, the words after the head kept.

    Баткенской области -> баткенская область; Всемирной торговой организации -> всемирная торговая
    организация; Азиатского банка развития -> азиатский банк развития. The head is the first word
    the dictionary knows as a noun (else the first that may be one). None when there is none, or an
    adjective before it does not agree with it.
    """
    morph = analyzer()
    readings = [[p for p in morph.parse(word) if p.tag.POS == "NOUN"] for word in words]
    known = [i for i, nouns in enumerate(readings) if any(p.is_known for p in nouns)]
    guessed = [i for i, nouns in enumerate(readings) if nouns]
    if not guessed:
        return None
    head_index = (known or guessed)[0]
    head = next((p for p in readings[head_index] if p.is_known), readings[head_index][0])
    case, number, gender = head.tag.case, head.tag.number or "sing", head.tag.gender
    wanted = {"nomn", number} | ({gender} if number == "sing" and gender else set())
    result = []
    for word in words[:head_index]:
        *before, last = word.split("-")  # Джети-Огузском: only the last part declines
        agreeing = [
            p for p in morph.parse(last) if p.tag.POS == "ADJF" and p.tag.case == case and p.tag.number == number
        ]
        agreeing = [p for p in agreeing if number == "plur" or p.tag.gender == gender] or agreeing
        inflected = agreeing[0].inflect(wanted) if agreeing else None
        if inflected is None:
            return None
        result.append("-".join([*(part.lower() for part in before), inflected.word]))
    inflected = head.inflect({"nomn", number})
    if inflected is None:
        return None
    return [*result, inflected.word, *(w.lower() for w in words[head_index + 1 :])]


@lru_cache(maxsize=100_000)
def is_known_place(word: str) -> bool:
    """True when the dictionary itself (not a guess from the ending) lists `word` as a place name (Анкара)."""
    word = word.lower().replace("ё", "е")
    return any(
        p.is_known and "Geox" in p.tag.grammemes and p.normal_form.replace("ё", "е") == word
        for p in analyzer().parse(word)
    )


def adjective_nominative(word: str) -> str | None:
    """An adjective in the masculine nominative singular (Рудном -> рудный), as a town named by one is written."""
    for parse in analyzer().parse(word.lower()):
        if parse.tag.POS == "ADJF":
            inflected = parse.inflect({"nomn", "sing", "masc"})
            return inflected.word if inflected else None
    return None


@lru_cache(maxsize=100_000)
def is_genitive_place(word: str) -> bool:
    """True when one reading of `word` is a place name in the genitive (Казани, which may also be a locative)."""
    return any(
        "Geox" in p.tag.grammemes and p.tag.case == "gent" and p.score >= 0.05 for p in analyzer().parse(word.lower())
    )
