"""The names to look for: every spelling of every known node, and CLDR country names.

Known nodes come from the curated data (`name`, `name_kk`, `name_ru`, `aliases`; for a
person also the surname alone, as texts often write it). Countries that are not in the
graph yet come from CLDR through babel, in Kazakh, Russian and English, so a text that
names Pakistan proposes a new Country with all three names filled in.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from actorgraph.ingest.tokens import TOKEN, normalise

#: Kinds whose nodes are matched and scored as actors (one match per stretch of text).
ACTOR_KINDS = ("Actor", "Place")
#: Other kinds that get MENTIONED_IN too when their name appears (agreements, events, ...).
OTHER_KINDS = ("Agreement", "Event", "Initiative")
#: Words that look like a surname at the end of a name but are titles (Тұңғыш Президент).
_NOT_SURNAMES = frozenset(("президент", "president", "министр", "minister", "республикасы", "республика"))
_SURNAME = re.compile(r"(ов|ев|ин|ын|ова|ева|ина|ұлы|улы|қызы|кызы|ov|ev|yev|ova|eva|in|uly|ski|sky|ский|ская)$")
#: CLDR territory codes that are not countries.
_NOT_COUNTRIES = frozenset(("EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AQ"))


@dataclass(frozen=True, eq=False)  # hashed by identity: each spelling is built once
class Spelling:
    """One way of writing a node's name, split into normalised words."""

    node_ids: tuple[str, ...]
    words: tuple[str, ...]
    capitalised: bool  # the name starts with a capital: the text must too
    abbreviation: bool  # one word in capitals (ШЫҰ, SCO): matched case-sensitively
    actor: bool  # an actor or place (else an agreement, event, ...)
    new: bool = False  # a CLDR country not in the graph: proposed as a candidate
    surname: bool = False  # one word naming a person: another first name before it is another person


@dataclass
class Known:
    """A node the text may mention: its id, labels and names (for candidates: what CLDR says)."""

    id: str
    labels: tuple[str, ...]
    name: str
    names: dict[str, str] = field(default_factory=dict)  # language -> name (CLDR countries)


def words_of(spelling: str) -> tuple[str, ...]:
    """The normalised words of a spelling, tokenised as texts are (Ш. Мирзиеев -> ш, мирзиеев)."""
    return tuple(normalise(match.group()) for match in TOKEN.finditer(spelling))


def spellings_of(
    nodes: Iterable[Known], props: dict[str, dict], new_ids: frozenset[str] = frozenset()
) -> list[Spelling]:
    """Every spelling of every node; a spelling shared by several nodes names them all.

    Spellings of `new_ids` (CLDR countries not in the graph) are kept apart from known ones.
    """
    by_words: dict[tuple[tuple[str, ...], bool, bool, bool, bool, bool], list[str]] = defaultdict(list)
    for node in nodes:
        kind_actor = _is_actor(node.labels)
        if not kind_actor and not set(node.labels) & set(OTHER_KINDS):
            continue
        texts = _names(props.get(node.id, {}))
        surnames = _surnames(texts) - texts if "Person" in node.labels else set()
        for text in texts | surnames:
            words = words_of(text)
            if not words or (len(words) == 1 and len(words[0]) < 2):
                continue
            capital = text.strip()[:1].isupper()
            abbreviation = len(words) == 1 and text.strip().isupper() and len(text.strip()) <= 6
            surname = len(words) == 1 and "Person" in node.labels
            key = (words, capital, abbreviation, kind_actor, node.id in new_ids, surname)
            if node.id not in by_words[key]:
                by_words[key].append(node.id)
    return [
        Spelling(tuple(ids), words, capital, abbreviation, actor, new, surname)
        for (words, capital, abbreviation, actor, new, surname), ids in by_words.items()
    ]


def _is_actor(labels: Iterable[str]) -> bool:
    return bool(set(labels) & set(ACTOR_KINDS))


def _names(props: dict) -> set[str]:
    names = {props.get(key) for key in ("name", "name_kk", "name_ru")}
    names |= set(props.get("aliases") or [])
    return {name for name in names if isinstance(name, str) and name.strip()}


def _surnames(names: set[str]) -> set[str]:
    """The surname alone, from a person's full names (Ислам Каримов -> Каримов)."""
    found = set()
    for name in names:
        words = name.split()
        if len(words) >= 2 and all(word[:1].isupper() for word in words):
            last = words[-1]
            if last.lower() not in _NOT_SURNAMES and len(last) >= 4 and _SURNAME.search(last.lower()):
                found.add(last)
    return found


@cache
def cldr_countries() -> dict[str, dict[str, str]]:
    """Country code -> {language: name} from CLDR (babel), for kk, ru and en."""
    from babel import Locale

    names: dict[str, dict[str, str]] = defaultdict(dict)
    for language in ("en", "kk", "ru"):
        for code, name in Locale(language).territories.items():
            if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES:
                names[code][language] = name
    return dict(names)


@cache
def cldr_cities() -> frozenset[str]:
    """City names CLDR gives its time zones (Ташкент, Варшава, Anchorage), lower case, for kk, ru and en."""
    from babel import Locale

    return frozenset(
        zone["city"].lower().replace("ё", "е")
        for language in ("en", "kk", "ru")
        for zone in Locale(language).time_zones.values()
        if "city" in zone
    )


def with_cldr(known: list[Known], props: dict[str, dict]) -> tuple[list[Known], dict[str, dict]]:
    """Add CLDR names to the countries the graph knows, and CLDR countries it does not know.

    A known country is recognised by any of its spellings equal to a CLDR name; it then
    also answers to CLDR's other names (Соединенные Штаты for the USA). Unknown
    countries get a proposed id `country:<english-slug>` and are marked new.
    """
    spelled: dict[str, str] = {}
    for node in known:
        if "Country" in node.labels:
            for name in _names(props.get(node.id, {})):
                spelled[" ".join(words_of(name))] = node.id
    known = list(known)
    props = {key: dict(value) for key, value in props.items()}
    for code, names in sorted(cldr_countries().items()):
        ids = {spelled.get(" ".join(words_of(name))) for name in names.values()} - {None}
        if ids:
            node_id = sorted(ids)[0]
            aliases = list(props[node_id].get("aliases") or [])
            props[node_id]["aliases"] = aliases + [name for name in names.values() if name not in aliases]
            continue
        node_id = "country:" + slug(names.get("en", code))
        props[node_id] = {"name": names.get("en", code), "aliases": list(names.values())}
        known.append(Known(node_id, ("Country", "Actor"), names.get("en", code), names))
    return known, props


_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
        "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya a g q n o u u h i".split(),
        strict=True,
    )
)


def slug(name: str) -> str:
    """A lower-case ASCII slug for an id (Садыр Жапаров -> sadyr-zhaparov)."""
    import unicodedata

    out = []
    for ch in name.lower():
        if ch in _TRANSLIT:
            out.append(_TRANSLIT[ch].replace("-", ""))
        else:
            out.append(unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode())
    text = re.sub(r"[^a-z0-9]+", "-", "".join(out)).strip("-")
    return text or "unnamed"
