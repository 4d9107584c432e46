"""Kazakh inflection of names: every case form of a stem, and the stem of an inflected word.

Kazakh adds suffixes to the last word of a name (Тоқаев -> Тоқаевтың, Шанхай
Ынтымақтастық Ұйымы -> ... Ұйымының). A suffix's first consonant assimilates to the
stem's last sound, and its vowel follows the stem's vowels (back а/ы, front е/і):

    class of the last letter      gen     acc    dat    loc    abl     instr
    vowel                         -ның    -ны    -ға    -да    -дан    -мен
    м н ң                         -ның    -ды    -ға    -да    -нан    -мен
    л р й у                       -дың    -ды    -ға    -да    -дан    -мен
    з ж                           -дың    -ды    -ға    -да    -дан    -бен
    voiceless (and б в г д)       -тың    -ты    -қа    -та    -тан    -пен

(front forms -нің, -ні, -ге/-ке, -де/-те, -ден/-нен/-тен). After the 3rd-person
possessive (-ы/-і, -сы/-сі) the cases take a pronominal н: -ның, -н, -на, -нда, -нан,
-мен. The plural is -лар/-дар/-тар (front -лер/-дер/-тер); the locative adjective
adds -ғы/-гі (Қазақстандағы). Names from Russian often take back suffixes after
front vowels (Мирзиеевтың, Тоқаевқа), so both harmonies are accepted: a form is
still the whole stem plus a whole suffix, so no other word can match.

We generate forms rather than strip suffixes: a token is a mention when it is one
of the forms of a name, which is one dictionary lookup per token.
"""

from __future__ import annotations

from functools import cache, lru_cache

VOWELS = frozenset("аәеиоөұүыіэюяё")
NASALS = frozenset("мнң")
SONORANTS = frozenset("лрйу")
VOICED = frozenset("зж")
#: б в г д are devoiced at the end of a word and take the voiceless suffixes.
VOICELESS = frozenset("кқпстфхцчшщбвгд")

#: (back, front) vowel pairs of each suffix, by case, after each class of last letter.
_CASES: dict[str, dict[str, tuple[str, ...]]] = {
    "vowel": {
        "gen": ("ның", "нің"),
        "acc": ("ны", "ні"),
        "dat": ("ға", "ге"),
        "loc": ("да", "де"),
        "abl": ("дан", "ден"),
        "ins": ("мен", "менен"),
    },
    "nasal": {
        "gen": ("ның", "нің"),
        "acc": ("ды", "ді"),
        "dat": ("ға", "ге"),
        "loc": ("да", "де"),
        "abl": ("нан", "нен"),
        "ins": ("мен", "менен"),
    },
    "sonorant": {
        "gen": ("дың", "дің"),
        "acc": ("ды", "ді"),
        "dat": ("ға", "ге"),
        "loc": ("да", "де"),
        "abl": ("дан", "ден"),
        "ins": ("мен", "менен"),
    },
    "voiced": {
        "gen": ("дың", "дің"),
        "acc": ("ды", "ді"),
        "dat": ("ға", "ге"),
        "loc": ("да", "де"),
        "abl": ("дан", "ден"),
        "ins": ("бен", "бенен"),
    },
    "voiceless": {
        "gen": ("тың", "тің"),
        "acc": ("ты", "ті"),
        "dat": ("қа", "ке"),
        "loc": ("та", "те"),
        "abl": ("тан", "тен"),
        "ins": ("пен", "пенен"),
    },
}
#: Cases after a possessive ending (pronominal н).
_AFTER_POSSESSIVE: tuple[str, ...] = ("ның", "нің", "н", "на", "не", "нда", "нде", "нан", "нен", "мен", "менен")
#: The locative adjective: -дағы after the locative.
_ATTRIBUTIVE = ("ғы", "гі")


def sound_class(word: str) -> str:
    """The class of the last letter of `word`, which decides each suffix's first consonant."""
    last = word[-1:].lower()
    if last in VOWELS:
        return "vowel"
    if last in NASALS:
        return "nasal"
    if last in SONORANTS:
        return "sonorant"
    if last in VOICED:
        return "voiced"
    return "voiceless"


def _case_forms(stem: str, cls: str) -> set[str]:
    forms = set()
    for suffixes in _CASES[cls].values():
        forms.update(stem + suffix for suffix in suffixes)
    for loc, attr in zip(_CASES[cls]["loc"], _ATTRIBUTIVE, strict=True):  # back with back, front with front
        forms.add(stem + loc + attr)
    return forms


def _pronominal(stem: str) -> set[str]:
    """Case forms of a word ending in a possessive suffix (Ұйымы -> Ұйымының, Ұйымына)."""
    forms = {stem + suffix for suffix in _AFTER_POSSESSIVE}
    forms.update(stem + loc + attr for loc, attr in zip(("нда", "нде"), _ATTRIBUTIVE, strict=True))
    return forms


@cache
def forms(word: str, possessive: bool = False) -> frozenset[str]:
    """Every inflected form of `word` (lower case, ё read as е), the word itself included.

    `possessive=True` for the last word of a compound name that already ends in a
    possessive suffix (Ұйымы, Республикасы, банкі), which then declines with н.

    >>> "тоқаевтың" in forms("тоқаев") and "өзбекстанға" in forms("өзбекстан")
    True
    >>> "ұйымының" in forms("ұйымы", possessive=True)
    True
    """
    word = word.lower().replace("ё", "е")
    stem = word
    classes = {sound_class(word)}
    if word[-1:] in "иу":  # Дели, Мәскеу: written vowels read as ій / ұу
        classes |= {"vowel", "sonorant"}
    result = {word}
    for cls in classes:
        result |= _case_forms(stem, cls)
        # possessive 3rd person, then its cases: Астанасы, Астанасының; Бішкегі is rare for names
        possessive_suffixes = ("сы", "сі") if cls == "vowel" else ("ы", "і")
        for pos in possessive_suffixes:
            result.add(stem + pos)
            result |= _pronominal(stem + pos)
        # plural, plural + case, plural + possessive + case
        plural = ("лар", "лер") if cls in ("vowel",) or word[-1:] in "рйу" else ("дар", "дер")
        if cls == "voiceless":
            plural = ("тар", "тер")
        for pl in plural:
            result.add(stem + pl)
            result |= _case_forms(stem + pl, "sonorant")
            for pos in ("ы", "і"):
                result.add(stem + pl + pos)
                result |= _pronominal(stem + pl + pos)
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in VOWELS:
        result |= forms(word[:-1])  # Олкотт -> Олкоттың: a double final consonant is written once before a suffix
    if possessive:
        result |= _pronominal(word)
        # the plural of the head: Өзбекстан мен Қазақстан Үкіметтері (үкімет-тер-і), then its cases
        stem = word[:-2] if word.endswith(("сы", "сі")) else word[:-1]
        if len(stem) >= 3:
            cls = sound_class(stem)
            plural = (
                ("тар", "тер")
                if cls == "voiceless"
                else ("дар", "дер")
                if cls in ("nasal", "voiced") or stem[-1] == "л"
                else ("лар", "лер")
            )
            for pl, pos in zip(plural, ("ы", "і"), strict=True):
                result.add(stem + pl + pos)
                result |= _pronominal(stem + pl + pos)
    return frozenset(result)


@cache
def abbreviation_forms(abbreviation: str) -> frozenset[str]:
    """Forms of an abbreviation, which takes its suffixes after a hyphen (АҚШ-тың, ТМД-ға)."""
    stem = abbreviation.lower() + "-"
    result = {abbreviation.lower()}
    for cls in _CASES:
        result |= _case_forms(stem, cls)
    result |= {stem + suffix for suffix in ("ы", "і", "сы", "сі", "тар", "тер", "лар", "лер", "дар", "дер")}
    return frozenset(result)


def ends_possessive(word: str) -> bool:
    """True when `word` ends like a 3rd-person possessive (the head of a compound name)."""
    return word[-1:].lower() in ("ы", "і")


@lru_cache(maxsize=100_000)
def stem_of(word: str, *, min_stem: int = 3) -> str:
    """The uninflected form of a word that may carry case suffixes: the longest stem whose forms hold it.

    Used to name candidates (Бішкекте -> Бішкек, Жапаровқа -> Жапаров). Keeps the case
    of the original letters.

    >>> stem_of("Бішкекте"), stem_of("Алматыдағы"), stem_of("Иран")
    ('Бішкек', 'Алматы', 'Иран')
    """
    lower = word.lower().replace("ё", "е")
    for end in range(len(lower) - 1, min_stem - 1, -1):
        stem, suffix = lower[:end], lower[end:]
        if suffix in _POSSESSIVE_ONLY or not VOWELS & set(stem):
            continue  # Ұйымы stays whole: the possessive is part of a compound name
        if suffix not in _ALL_SUFFIXES():
            continue  # no suffix of any class ends the word here: no need to build the stem's forms
        if stem[-1] == stem[-2] and lower in forms(stem[:-1]):
            continue  # одаққа is одақ + қа, not a doubled одаққ
        if lower in forms(stem):
            return word[:end]
    return word


_POSSESSIVE_ONLY = frozenset(("ы", "і", "сы", "сі"))


@cache
def _ALL_SUFFIXES() -> frozenset[str]:  # noqa: N802 - a constant, computed once on first use
    """Every suffix string `forms` can add, whatever the stem (from one stem of each sound class)."""
    found: set[str] = set()
    for stem in ("ата", "атам", "атал", "атаз", "атак", "әте", "әтем", "әтел", "әтез", "әтек", "дели"):
        found |= {form[len(stem) :] for form in forms(stem) | forms(stem + "ы", possessive=True) if form != stem}
    return frozenset(found)
