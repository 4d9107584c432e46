"""Find a node from a name in any language or spelling.

`Mirziyoyev`, `mirziyoev`, `Мирзиёев` and `Мирзиеев` all find the same person:
names are folded (case, diacritics, ё→е, Kazakh letters to their Russian neighbours,
Cyrillic transliterated to Latin, a looser key that ignores y/h/doubled letters) and
matched against id, name, name_kk, name_ru and aliases. An exact match wins; several
equally good matches raise `AmbiguousName` with the candidates; none raises
`UnknownName` with the nearest names.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
import weakref
from dataclasses import dataclass

from actorgraph.errors import UsageError
from actorgraph.graph.engine import Engine

KAZAKH_TO_RUSSIAN = str.maketrans(
    {"қ": "к", "ғ": "г", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и", "ә": "а", "ё": "е"}
)
CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i", "й": "y",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "yu", "я": "ya",
}  # fmt: skip
NAMES_CYPHER = (
    "MATCH (n) WHERE NOT n:Source "
    "RETURN n.id AS id, n.name AS name, n.name_kk AS name_kk, n.name_ru AS name_ru, n.aliases AS aliases, "
    "labels(n) AS labels"
)


class ResolveError(UsageError, LookupError):
    """A name could not be resolved to exactly one node (exit status 2)."""


class UnknownName(ResolveError):
    pass


class AmbiguousName(ResolveError):
    pass


@dataclass(frozen=True)
class Candidate:
    id: str
    name: str
    labels: tuple[str, ...]


def fold(text: str) -> str:
    """A spelling-insensitive key: lower case, no diacritics, Cyrillic in Latin letters."""
    text = text.casefold().translate(KAZAKH_TO_RUSSIAN)
    text = "".join(CYRILLIC_TO_LATIN.get(char, char) for char in text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.findall(r"[a-z0-9]+", text))


def loose(text: str) -> str:
    """A looser key for transliteration variants (Mirziyoyev / Mirzieev / Mirziyoev)."""
    key = fold(text).replace(" ", "")
    key = re.sub(r"[yhj']", "", key).replace("c", "k").replace("x", "ks")
    return re.sub(r"(.)\1+", r"\1", key)


class _Index:
    """Every spelling of every node, folded, for lookups."""

    def __init__(self, rows: list[dict]) -> None:
        self.candidates: dict[str, Candidate] = {}
        self.exact: dict[str, set[str]] = {}
        self.loose: dict[str, set[str]] = {}
        self.names: dict[str, set[str]] = {}  # spellings other than ids, for partial matches
        self.spellings: dict[str, set[str]] = {}  # spellings as written, for suggestions
        for row in rows:
            candidate = Candidate(row["id"], row.get("name") or row["id"], tuple(row.get("labels") or ()))
            self.candidates[candidate.id] = candidate
            spellings = [
                row["id"],
                row.get("name"),
                row.get("name_kk"),
                row.get("name_ru"),
                *(row.get("aliases") or []),
            ]
            for spelling in filter(None, spellings):
                self.exact.setdefault(fold(spelling), set()).add(candidate.id)
                self.loose.setdefault(loose(spelling), set()).add(candidate.id)
                if spelling != row["id"]:
                    self.names.setdefault(fold(spelling), set()).add(candidate.id)
                    self.spellings.setdefault(spelling, set()).add(candidate.id)


_INDEXES: weakref.WeakKeyDictionary[Engine, _Index] = weakref.WeakKeyDictionary()


def _index(engine: Engine) -> _Index:
    if engine not in _INDEXES:
        _INDEXES[engine] = _Index(engine.run(NAMES_CYPHER))
    return _INDEXES[engine]


def forget(engine: Engine) -> None:
    """Drop the cached names of an engine (after a build)."""
    _INDEXES.pop(engine, None)


def resolve(engine: Engine, name: str) -> Candidate:
    """The one node `name` refers to; raises UnknownName or AmbiguousName."""
    return _lookup(_index(engine), name)


def resolve_among(nodes: list[dict], name: str) -> Candidate:
    """The same lookup over node-link nodes (for maps drawn from an export)."""
    return _lookup(_Index(nodes), name)


def _lookup(index: _Index, name: str) -> Candidate:
    if name in index.candidates:
        return index.candidates[name]
    for table, key in ((index.exact, fold(name)), (index.loose, loose(name))):
        found = table.get(key, set())
        if len(found) == 1:
            return index.candidates[next(iter(found))]
        if len(found) > 1:
            raise AmbiguousName(_ambiguous(name, [index.candidates[i] for i in found]))
    key = fold(name)
    partial = {i for spelling, ids in index.names.items() if key and f" {key} " in f" {spelling} " for i in ids}
    actors = {i for i in partial if "Actor" in index.candidates[i].labels}
    if len(partial) == 1 or len(actors) == 1:
        return index.candidates[next(iter(actors or partial))]
    if len(partial) > 1:
        raise AmbiguousName(_ambiguous(name, [index.candidates[i] for i in partial]))
    names = suggestions(index, name)
    hint = f"; did you mean {', '.join(names)}?" if names else ""
    raise UnknownName(f"no actor or node is called {name!r}{hint}")


def is_cyrillic(text: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in text)


def same_script_key(text: str) -> str:
    """A spelling folded within its own script: case, diacritics, ё/е and Kazakh letters, never transliterated."""
    text = text.casefold().translate(KAZAKH_TO_RUSSIAN)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", text))


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance between a and b, or `limit + 1` once it is certainly above `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def allowed_typos(key: str, *, across_scripts: bool = False, word: bool = False) -> int:
    """How many edits still count as a misspelling of a name this long.

    One in five letters within a script (`Uzbekstan`, `Karimow`); one in six against a
    single word of a longer name; through a transliteration, which blurs spellings
    already, one in eight. `Putin` is two edits from `Pekin` (Beijing, in Russian): no
    suggestion rather than a wrong one.
    """
    return len(key) // (8 if across_scripts else 6 if word else 5)


def suggestions(index: _Index, name: str, limit: int = 3) -> list[str]:
    """Names close in spelling to `name`: in its own script, or through the transliteration of both.

    Whole spellings come first; then a word inside a longer name (a surname), or a word
    that begins the name with a suffix added (`Tolopovski` for Tolipov), only when no
    whole spelling is close. Among equals, actors before other nodes.
    """
    query_cyrillic = is_cyrillic(name)
    own, latin = same_script_key(name), fold(name)
    whole: dict[str, int] = {}
    partial: dict[str, int] = {}
    for spelling, ids in index.spellings.items():
        across = is_cyrillic(spelling) != query_cyrillic
        key, target = (latin, fold(spelling)) if across else (own, same_script_key(spelling))
        if not key or not target:
            continue
        allowed = allowed_typos(key, across_scripts=across)
        distance = edit_distance(key, target, allowed) if allowed else allowed + 1
        found = whole
        if distance > allowed and " " not in key:
            distance, allowed = _word_distance(key, target, across)
            found = partial
        if allowed and distance <= allowed:
            for node_id in ids:
                found[node_id] = min(distance, found.get(node_id, distance))
    chosen = whole or partial
    ranked = sorted(
        chosen,
        key=lambda i: (chosen[i], "Actor" not in index.candidates[i].labels, index.candidates[i].name),
    )
    return list(dict.fromkeys(index.candidates[i].name for i in ranked))[:limit]


def _word_distance(key: str, target: str, across: bool) -> tuple[int, int]:
    """(edits, edits allowed) between a one-word `key` and the closest word of `target` or its stem."""
    allowed = allowed_typos(key, across_scripts=across, word=True)
    best = allowed + 1
    for word in target.split():
        if len(word) < 4:
            continue
        if " " in target:
            best = min(best, edit_distance(key, word, allowed))
        if 5 <= len(word) < len(key) and 3 * len(word) >= 2 * len(key):  # the name with a suffix added
            stem_allowed = allowed_typos(word, across_scripts=across, word=True)
            if edit_distance(key[: len(word)], word, stem_allowed) <= stem_allowed:
                best = min(best, allowed)
    return best, allowed


def _ambiguous(name: str, candidates: list[Candidate]) -> str:
    listing = "; ".join(f"{c.name} ({c.id})" for c in sorted(candidates, key=lambda c: c.id)[:10])
    return f"{name!r} could mean several nodes: {listing}. Use a fuller name or the id."


def search(engine: Engine, text: str, limit: int = 20) -> list[Candidate]:
    """Every node `text` may name, best first: exact spelling, transliteration variant, word start, part.

    The same folding as `resolve`, but listing all matches (for a search box) instead of
    insisting on one. Parts of names are found by one C-speed scan of all folded
    spellings joined in a single string, so a search stays fast on 100,000 nodes.
    """
    index = _index(engine)
    key, lkey = fold(text), loose(text)
    if not key:
        return []
    ranked: dict[str, int] = {}
    if text in index.candidates:
        ranked[text] = 0
    for node_id in index.exact.get(key, set()):
        ranked[node_id] = 0
    for node_id in index.loose.get(lkey, set()) if lkey else ():
        ranked.setdefault(node_id, 1)
    blob, starts, spellings = _blob(index)
    # names with a word starting with the text first; parts of words only if those are too few
    for rank, needles in ((2, ("\n" + key, " " + key)), (3, (key,))):
        if len(ranked) >= limit:
            break
        for needle in needles:
            at = blob.find(needle)
            for _ in range(SEARCH_SCAN_LIMIT):
                if at < 0:
                    break
                which = bisect.bisect_right(starts, at + len(needle) - len(key)) - 1
                for node_id in index.names[spellings[which]]:
                    ranked.setdefault(node_id, rank)
                at = blob.find(needle, at + 1)
    order = sorted(
        ranked, key=lambda i: (ranked[i], "Actor" not in index.candidates[i].labels, index.candidates[i].name)
    )
    return [index.candidates[i] for i in order[:limit]]


SEARCH_SCAN_LIMIT = 1000  # matches looked at per pass (the rest would not be shown anyway)
_BLOBS: weakref.WeakKeyDictionary[_Index, tuple[str, list[int], list[str]]] = weakref.WeakKeyDictionary()


def _blob(index: _Index) -> tuple[str, list[int], list[str]]:
    """All folded spellings in one string, each after a newline, with where each starts."""
    if index not in _BLOBS:
        spellings = sorted(index.names)
        starts, at = [], 1
        for spelling in spellings:
            starts.append(at)
            at += len(spelling) + 1
        _BLOBS[index] = ("\n" + "\n".join(spellings) + "\n", starts, spellings)
    return _BLOBS[index]


def candidate(engine: Engine, node_id: str) -> Candidate | None:
    """The node with this id (any kind but Source), from the cached index."""
    return _index(engine).candidates.get(node_id)


def candidates(engine: Engine) -> dict[str, Candidate]:
    """Every node but the sources, by id (loading the index if needed)."""
    return _index(engine).candidates


def load_index(engine: Engine, rows: list[dict]) -> None:
    """Give an engine its name index from rows read elsewhere (NAMES_CYPHER's columns), e.g. in the background."""
    _INDEXES[engine] = _Index(rows)


def has_index(engine: Engine) -> bool:
    return engine in _INDEXES
