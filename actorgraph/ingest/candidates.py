"""Propose names the graph does not know yet: people, countries, cities, organizations.

A candidate is a run of capitalised words that no known name covers, stretched over
lower-case words up to an organisation's head noun (Ұжымдық қауіпсіздік шарты ұйымы,
Азия даму банкі, Всемирный банк). A capital at the start of a sentence proves nothing,
so a lone first word is kept only when something else says it is a name: it is a
CLDR country, it is capitalised elsewhere in mid-sentence, it is joined by "and" to
another name, it looks like a surname, (Russian) pymorphy3 knows it as a proper
name, or (Kazakh) it is a case form of a CLDR city or a dictionary place (Анкарада)
or the body "the chairman of" which follows (Сенат төрағасы). The kind is guessed from
those same clues; the reviewer decides.

What belongs to a name, and what stands beside it:

- Titles and professions are no part of a name, in any case form (Председатель, Премьер-
  министрі, Саясаттанушы, Chancellor); an abbreviation or (Russian) a body named by an
  ordinary noun before a person is a name of its own (ГКНБ | Камчыбек Ташиев, Сената |
  Маулен Ашимбаев).
- Head nouns. An institution is called by its head noun, so university, institute, bank,
  organisation, council, commission, ministry, centre stay in the name (Назарбаев
  Университеті, Колумбия университеті, Халық банкі, Еуропалық комиссия). A classifier --
  company, corporation, concern, holding, agency, fund -- is the kind of thing a brand
  name is, written beside it: it is dropped when the word next to it is a name by itself
  (CNPC компаниясы, «Самұрық-Қазына» қоры, Фонд «Самрук-Казына»), with any adjective
  before that name (Ресейлік Газпром компаниясы), and kept when the words next to it
  are lower case (Халықаралық валюта қоры, Международный валютный фонд) or a Russian
  genitive (Фонд Сороса: someone's fund).
- A known person's name right before a capitalised head noun is the name of something
  named after them (Назарбаев Университеті): no mention of the person, a new candidate.
- Region words belong to the name right before them, since a region is not its town
  (Ақмола облысы, Баткенская область); city and port words do not (Түркістан қаласы).
- Lower-case particles inside a person's name belong to it (Урсула фон дер Ляйен, Лула
  да Силва; Kazakh да/де, which also means "too", only inside a name of two words or more
  before one bare word).
- Kazakh inflects only a name's last word: a word in a case form ends its name
  (Дашогуздан | Хорезмге, Петропавлда | облыс), and a relative adjective after a person's
  name opens the next one (Айдос Сарым | Конституциялық соттың).
- A known place in a longer name is no mention of the place (Түркістан облысы, Еуропа
  Кеңесі, Қазақстан темір жолы, Банк развития Казахстана): `without_nested`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from actorgraph.ingest import kazakh, russian
from actorgraph.ingest.matcher import Match
from actorgraph.ingest.names import cldr_cities
from actorgraph.ingest.tokens import KAZAKH_LETTERS, QUOTED_NAME, QUOTED_PHRASE, QUOTED_SENTENCE, Token, normalise

#: Head nouns of organisation names (Kazakh stems, Russian lemmas, English), and of natural places.
ORG_HEADS = frozenset(
    """ұйым ұйымы одақ одағы банк банкі кеңес кеңесі қор қоры институт институты университет университеті
    министрлік министрлігі орталық орталығы агенттік агенттігі комитет комитеті партия партиясы департамент
    департаменті академия академиясы компания компаниясы корпорация корпорациясы қауымдастық қауымдастығы
    организация союз совет фонд министерство центр агентство комитет партия академия ассоциация содружество
    корпорация госдепартамент комиссия комиссиясы концерн концерні холдинг холдингі госкорпорация
    сот соты кабинет кабинеті комбинат комбинаты бағдарлама бағдарламасы жолы жолдары
    комбинат консорциум дума программа суд ұлан ұланы гвардия кенеш маркетплейс маркетплейсі
    organization organisation union bank council fund institute university ministry centre center agency
    committee party department academy company corporation association commonwealth commission consortium
    programme program court cabinet group duma""".split()
)
#: Classifiers: a company's, agency's or fund's generic word, which a brand name stands beside
#: (CNPC компаниясы, «Самұрық-Қазына» қоры, JICA агенттігі, Фонд «Самрук-Казына», Госкорпорация
#: Росатом). Beside a word that is a name by itself the classifier is no part of the name;
#: after lower-case words it is (Халықаралық валюта қоры, Международный валютный фонд). The
#: other head nouns (university, bank, institute, council...) always stay: an institution is
#: called by them (Назарбаев Университеті, Колумбия университеті, Халық банкі).
CLASSIFIERS = frozenset(
    """компания компаниясы корпорация корпорациясы концерн концерні холдинг холдингі агенттік агенттігі
    қор қоры госкорпорация агентство фонд маркетплейс маркетплейсі company corporation agency fund""".split()
)
PLACE_HEADS = frozenset("теңіз теңізі көл көлі өзен өзені тау таулары море озеро река sea lake river".split())
#: Region words belong to the name: a region is not the town it is named after (Ақмола облысы,
#: Баткенская область, Джети-Огузский район); city and port words do not (Түркістан қаласы).
REGION_WORDS = frozenset("облыс облысы аудан ауданы өлке өлкесі область район край province region oblast".split())
#: Words around a name that say it is a place.
PLACE_WORDS = frozenset(
    "қала қаласы облыс облысы аудан ауданы порт порты город область порт city province region port".split()
)
#: Titles and other capitalised words that are not names themselves.
NOT_NAMES = frozenset(
    """президент президенті премьер премьер-министр министр министрі төраға төрағасы елбасы басшы басшысы
    генерал профессор доктор академик сенатор депутат мемлекет республика республикасы
    president prime minister foreign secretary secretary-general general chairman professor doctor senator
    the a an this that these those in on at of for and but with by from to as it its he she they we our
    mr mrs ms dr chancellor king queen emir prince crown speaker ambassador governor mayor premier journalist
    economist analyst""".split()
)
#: Kazakh titles and professions (stems): written with a capital before a name, never part of it.
KAZAKH_TITLES = frozenset(
    """президент премьер премьер-министр вице-премьер министр төраға басшы әкім елші хатшы спикер канцлер король
    әмір ханзада директор депутат орынбасар сенатор журналист экономист саясаттанушы сарапшы зерттеуші
    профессор академик генерал елбасы""".split()
)
#: A Kazakh agent noun in -шы/-ші, -кер/-гер (саясаттанушы, сарапшы, кәсіпкер) names a profession, not a person.
_KAZAKH_AGENT = re.compile(r"\w{4,}(шы|ші|кер|гер)$")
#: Frequent sentence starters in Kazakh (no dictionary tells us they are common words).
KAZAKH_STARTERS = frozenset(
    """бұл осы сол ол олар алайда сондай-ақ сонымен дегенмен яғни себебі мысалы қазіргі соңғы бүгін біз
    біздің мұнда сонда сондықтан жалпы негізінен әрине бірақ және ал егер кейін бірінші екінші автор
    зерттеу зерттеушілер сарапшылар сарапшы мақалада қазақ өзбек орыс қырғыз тәжік түрікмен
    осыдан осымен оны онымен сондай сондықтан бүгін кеше ертең мен сен сіз біз қазір рақмет қорытынды
    ең енді тек тіпті әлі де да та осындай мұндай сонымен қатар сол себепті мәселен мысал мұны мұның бұны
    бұның әр әрбір барлық бүкіл күллі кейбір көптеген бірнеше""".split()
)
#: Kazakh numerals: "Екі компания" is two companies, never a name.
KAZAKH_NUMERALS = frozenset("бір екі үш төрт бес алты жеті сегіз тоғыз он жиырма отыз қырық елу жүз мың".split())
_ALL_HEADS = ORG_HEADS | PLACE_HEADS | PLACE_WORDS | REGION_WORDS
_STRETCH_HEADS = ORG_HEADS | PLACE_HEADS | REGION_WORDS
#: How a Kazakh region word is written in a region's name, by its root.
_KAZAKH_REGIONS = {"облыс": "облысы", "аудан": "ауданы", "өлке": "өлкесі"}
#: Lower-case particles inside a person's name (Урсула фон дер Ляйен, Лула да Силва, Мухаммед бин
#: Салман). Kazakh да/де/та/те are also the particle "too" between two names (Ақтау да Атырау да),
#: and Kazakh writes әл with a hyphen (әл-Фараби), so in Kazakh lines those join nothing.
NAME_PARTICLES = frozenset(
    "фон дер ван де да ди дю ла ле бин ибн аль ас әл von van der den de da di du la le bin ibn al".split()
)
_KAZAKH_NOT_PARTICLES = frozenset("да де та те ас әл аль ал".split())
CONJUNCTIONS = frozenset("мен пен бен және и and".split())
#: Surname endings, after a stem of two letters or more (Ким is no -ин name); "son of", "daughter of" after four (Берікұлы, not Ұлы, Айтулы).
_SURNAME = re.compile(
    r"((?<=\w\w)(ов|ев|ин|ын|ова|ева|ина|ына|ov|ev|yev|ova|eva)|(?<=\w{4})(ұлы|улы|қызы|кызы|uly|kyzy))$"
)
#: Endings of Kazakh plurals, verbs and participles: such a word opening a sentence is no name.
_PLURAL_OR_VERB = re.compile(
    r"(лар|лер|дар|дер|тар|тер|ған|ген|қан|кен|ады|еді|ды|ді|ты|ті|мыз|міз|сыз|сіз|йды|йді|ып|іп|а|е)$"
)
SENTENCE_STARTERS_EN = frozenset("the a an this that in on at it".split())
#: Kazakh endings no name carries: "our", "your" (Еліміздің, Естеріңізде).
_KAZAKH_POSSESSIVE = re.compile(r"(мыз|міз|ңыз|ңіз)(дың|дің|ға|ге|да|де|дан|ден|ды|ді|бен|ша|ше)?$")
#: The Kazakh adjective in -лы/-лі (Әйгілі, Айтулы, Белгілі); a few places end so too (Қазалы ауданы).
_KAZAKH_ADJECTIVE = re.compile(r"(?<!ұ)(лы|лі)$")
_KAZAKH_PLURALS = ("лар", "лер", "дар", "дер", "тар", "тер")


@dataclass
class Candidate:
    """A new name: how it is written, where, its guessed kind and the known nodes beside it."""

    name: str
    kind: str
    forms: set[str] = field(default_factory=set)
    lines: set[int] = field(default_factory=set)
    first: tuple[int, int, int] = (0, 0, 0)  # line, first word index, last word index of the first mention
    near: set[str] = field(default_factory=set)  # known node ids in the same sentences
    proposed_id: str | None = None
    names: dict[str, str] = field(default_factory=dict)  # language -> name, when CLDR knows it


def find_candidates(tokens: list[Token], matches: list[Match], languages: Sequence[str]) -> list[Candidate]:
    """Candidates in order of first appearance; CLDR countries among `matches` are candidates too."""
    covered = [False] * len(tokens)
    known_in_sentence: dict[int, set[str]] = defaultdict(set)
    for match in matches:
        for index in range(match.start, match.end):
            covered[index] = True
        if not match.spelling.new:
            known_in_sentence[tokens[match.start].sentence].update(match.spelling.node_ids)
    starts = _sentence_starts(tokens)
    usage = _Usage.of(tokens, starts)
    found: dict[str, Candidate] = {}
    for match in matches:
        if match.spelling.new:
            _add(found, tokens, match.start, match.end, "Country", known_in_sentence, match=match)
    index = 0
    while index < len(tokens):
        if covered[index] or not tokens[index].capitalised:  # most words: no name starts here
            index += 1
            continue
        end = _span(tokens, covered, index, languages)
        if end == index:
            index += 1
            continue
        start = index
        opener = tokens[start]
        if (
            end - start > 1
            and start in starts
            and _head(opener) not in ORG_HEADS
            and _common_starter(opener, languages)
            and (
                tokens[start + 1].capitalised
                or _KAZAKH_POSSESSIVE.search(opener.norm)
                or opener.norm in KAZAKH_NUMERALS
                or _head(tokens[start + 1]) in REGION_WORDS  # Бүгін облыс ...: "today the region"
            )
        ):  # but an ethnonym may open an organisation's name: Қазақ ұлттық университеті
            start += 1  # Жители Ферганы, Заседание Организации ...: a common word opens the sentence
        for piece_start, piece_end in _pieces(tokens, start, end, languages):
            span = tokens[piece_start:piece_end]
            if not span[0].capitalised:
                continue  # Еліміздің | индустриялық орталығы: what is left once a common opener is off
            if _is_name(span, piece_start, tokens, starts, usage, languages):
                kind = _kind(span, tokens, piece_start, piece_end, languages)
                trimmed = _without_classifier(tokens, piece_start, piece_end, languages)
                bare = trimmed != (piece_start, piece_end)  # the classifier took the endings: CNPC компаниясының
                if bare:
                    piece_start, piece_end, kind = *trimmed, "Organization"
                _add(found, tokens, piece_start, piece_end, kind, known_in_sentence, languages=languages, bare=bare)
        index = end
    return sorted(found.values(), key=lambda c: c.first)


#: A Kazakh relative adjective (Ресейлік, Еуропалық, Халықаралық): it qualifies a name, it is none.
_KAZAKH_RELATIVE = re.compile(r"(лық|лік|дық|дік|тық|тік)$")


def _without_classifier(tokens: list[Token], start: int, end: int, languages: Sequence[str]) -> tuple[int, int]:
    """The span without a classifier beside a name (see CLASSIFIERS), nor the adjectives before that name.

    CNPC компаниясы -> CNPC; Ресейлік Газпром компаниясы -> Газпром; Фонд «Самрук-Казына» ->
    Самрук-Казына. Kept: Халықаралық валюта қоры (the word before is no name), Фонд Сороса (a
    Russian genitive after the classifier: the fund of someone).
    """
    if end - start < 2:
        return start, end
    if _head(tokens[end - 1]) in CLASSIFIERS and not tokens[end - 1].capitalised:
        named = max((i for i in range(start, end - 1) if tokens[i].capitalised), default=start)
        if named < end - 2 and _latin(tokens[named].norm):
            return start, named + 1  # Air Astana әуе компаниясы: a brand in Latin letters, what it does, its classifier
    if _head(tokens[end - 1]) in CLASSIFIERS and _name_word(tokens[end - 2], languages):
        end -= 1
        while end - start > 1 and _relative_adjective(tokens[start], languages) and tokens[start + 1].capitalised:
            start += 1
    elif _head(tokens[start]) in CLASSIFIERS and tokens[start].capitalised and _name_word(tokens[start + 1], languages):
        following = tokens[start + 1]
        named_after = languages[following.line - 1] == "ru" and following.quote != QUOTED_NAME
        if not (named_after and _russian_word(following.norm) and russian.is_genitive_noun(following.norm)):
            start += 1
    return start, end


def _name_word(token: Token, languages: Sequence[str]) -> bool:
    """A capitalised word that can name something by itself: no adjective (CNPC, Газпром, Самрук-Казына)."""
    return token.capitalised and not _relative_adjective(token, languages)


def _relative_adjective(token: Token, languages: Sequence[str]) -> bool:
    if _KAZAKH_RELATIVE.search(token.norm) and languages[token.line - 1] == "kk":
        return True
    return languages[token.line - 1] == "ru" and _russian_word(token.norm) and russian.is_adjective(token.norm)


def without_named_after(tokens: list[Token], matches: list[Match], people: Callable[[str], bool]) -> list[Match]:
    """Matches less a known person's name that opens an institution's name (Назарбаев Университеті).

    A capitalised head noun right after a person's name makes the two one name, of something
    named after the person, who is not mentioned; after a lower-case word the person is
    (Назарбаев үкіметі, Tokayev's government). The words then become a candidate.
    """
    kept, starts = [], {match.start for match in matches}  # Санат Күшкімбаев | Орталық Азия: another name
    for match in matches:
        after = tokens[match.end] if match.end < len(tokens) else None
        if (
            after is not None
            and match.end not in starts
            and after.capitalised
            and after.sentence == tokens[match.start].sentence
            and _head(after) in ORG_HEADS
            and all(people(node_id) for node_id in match.spelling.node_ids)
        ):
            continue
        kept.append(match)
    return kept


#: Kazakh head nouns with the possessive that make a known place's name part of a longer name
#: (Түркістан облысы, Еуропа Кеңесі, Қазақстан темір жолы, Қазақстан даму банкі).
_KAZAKH_NESTING_HEADS = frozenset(
    h for h in ORG_HEADS | REGION_WORDS if h.endswith(("ы", "і")) and h not in CLASSIFIERS | {"бағдарламасы"}
)  # a programme named after a region is about the region: Орталық Азия аймақтық бағдарламасы
#: Russian head nouns whose genitive complement a known place can be (Банк развития Казахстана,
#: Университет Центральной Азии); not ministries or councils, whose "of Kazakhstan" names the country.
_RUSSIAN_NESTING_HEADS = frozenset("банк университет институт академия фонд центр".split())


def without_nested(
    tokens: list[Token], matches: list[Match], languages: Sequence[str], places: Callable[[str], bool]
) -> list[Match]:
    """Matches less a known place or country that is part of a longer, new name.

    Kazakh: the place's name in no case form, then up to two bare lower-case words and a
    head noun with the possessive (Түркістан облысында, Еуропа Кеңесінің, Қазақстан темір
    жолы, Батыс Қазақстан облысы). Russian: a capitalised name opened or headed by bank,
    university, institute, academy, fund or centre, with the place as its genitive
    (Банк развития Казахстана, Университет Центральной Азии). The words become a candidate.
    """
    kept = []
    covered = {index for match in matches for index in range(match.start, match.end)}
    starts = _sentence_starts(tokens)
    for match in matches:
        if match.spelling.new or not match.spelling.actor or not all(places(i) for i in match.spelling.node_ids):
            kept.append(match)
            continue
        language = languages[tokens[match.start].line - 1]
        if language == "kk" and _kazakh_nested(tokens, match):
            continue
        if language == "ru" and _russian_nested(tokens, match):
            continue
        if _latin_nested(tokens, match, covered, starts, language):
            continue
        kept.append(match)
    return kept


def _kazakh_nested(tokens: list[Token], match: Match) -> bool:
    last = tokens[match.end - 1]
    if last.norm != match.spelling.words[-1]:
        return False  # Қазақстанның ... : a genitive is the place itself
    sentence = last.sentence
    for step in range(match.end, min(match.end + 3, len(tokens))):
        token = tokens[step]
        if token.sentence != sentence:
            return False
        if _head(token) in _KAZAKH_NESTING_HEADS:
            return step == match.end or not token.capitalised
        if token.capitalised or _kazakh_inflected(token) or token.norm in CONJUNCTIONS or _title(token.norm):
            return False
        if kazakh.stem_of(token.norm) != token.norm:
            return False  # Ташкент арасындағы жол: a word in a case form is no part of a name
    return False


#: English words that may open a sentence right before a place's name without being part of it
#: (From Astana, Neighbouring Uzbekistan); any other capitalised word there makes one name with it.
_ENGLISH_OPENERS = frozenset(
    """from across outside inside beyond within near like unlike both neither only even also since until after
    before during throughout through between among including despite besides both today yesterday meanwhile
    for with without about against around over under while when where if unless as to by of on in at into onto
    upon so yet but and or nor then now here there all most many some several each every such no not
    new key main major other further recent first last next""".split()
)
#: Words of direction before a country's or region's name make a region of it (East Kazakhstan).
_COMPASS = frozenset("north south east west northern southern eastern western central greater upper lower".split())


def _latin_nested(tokens: list[Token], match: Match, covered: set[int], starts: set[int], language: str) -> bool:
    """A known place written in Latin letters after a capitalised Latin word: one longer name (Air Astana, East Kazakhstan).

    At an English sentence start the word before may be an ordinary word (From Astana,
    Neighbouring Uzbekistan): there a direction word or any word that is no preposition,
    adverb or participle counts.
    """
    first = tokens[match.start]
    if match.start == 0 or not _latin(first.norm):
        return False
    before = tokens[match.start - 1]
    if before.sentence != first.sentence or not before.capitalised or not _latin(before.norm):
        return False
    if match.start - 1 in covered or before.norm in NOT_NAMES or before.text.isupper():
        return False  # Kazakhstan Uzbekistan, President Tokayev's, US: a name or a title of its own
    if language == "en" and match.start - 1 in starts:
        if before.norm in _COMPASS:
            return True
        return not (before.norm in _ENGLISH_OPENERS or before.norm.endswith(("ing", "ed", "ly", "s")))
    return True


def _russian_nested(tokens: list[Token], match: Match) -> bool:
    sentence = tokens[match.start].sentence
    for step in range(match.start - 1, max(match.start - 4, -1), -1):
        token = tokens[step]
        if token.sentence != sentence:
            return False
        if _head(token) in _RUSSIAN_NESTING_HEADS:
            if token.capitalised:
                return True  # Банк развития Казахстана
            before = tokens[step - 1] if step > 0 else None  # Национального банка Казахстана
            return (
                before is not None
                and before.sentence == sentence
                and before.capitalised
                and (_russian_word(before.norm) and russian.is_adjective(before.norm))
            )
        if token.capitalised or not _russian_word(token.norm) or not russian.is_genitive_noun(token.norm):
            return False
    return False


def _common_starter(token: Token, languages: Sequence[str]) -> bool:
    """A capitalised word that opens a sentence and is an ordinary word of its language."""
    if token.norm in KAZAKH_STARTERS or token.norm in SENTENCE_STARTERS_EN or token.norm in NOT_NAMES:
        return True
    if token.norm in KAZAKH_NUMERALS:
        return True
    if languages[token.line - 1] == "kk" and _KAZAKH_POSSESSIVE.search(token.norm):
        return True  # Еліміздің индустриялық орталығы: "our country's" opens no name
    if languages[token.line - 1] == "kk" and _KAZAKH_AGENT.match(token.norm):
        return True  # Саясаттанушы Досым Сәтпаев: a profession in -шы/-ші (not Түрікменбашы inside a sentence)
    if languages[token.line - 1] == "kk" and _russian_word(token.norm) and russian.is_loanword_noun(token.norm):
        return True  # Колледж, Комиссия: a Russian common noun opening a Kazakh sentence
    if languages[token.line - 1] == "ru" and "\u0400" <= token.norm[:1] <= "\u04ff":
        # a common noun or verb; an adjective may open a name (Всемирный банк, Евразийский союз)
        return russian.is_common_noun(token.norm) and russian.proper_lemma(token.norm) is None
    return False


def _pieces(tokens: list[Token], start: int, end: int, languages: Sequence[str]) -> list[tuple[int, int]]:
    """Split a run of capitalised words where one name ends and the next begins.

    Kazakh inflects only the last word of a name, so in a run of three or more words
    whose last word carries a case suffix (Садыр Жапаров Бішкекте, Эмомали Рахмон
    Душанбеде) that word is a name of its own, unless it is an organisation's head noun.
    A surname inside a longer run ends a person's name (Наталья Бестемьянова | Светлана).
    An abbreviation, or (Russian) a body named by an ordinary noun, before two or more name
    words is a name of its own: ГКНБ | Камчыбек Ташиев, Сената | Маулен Ашимбаев.
    """
    if languages[tokens[start].line - 1] == "kk":
        for index in range(start, end - 1):  # Дашогуздан | Хорезмге: a case form ends its name
            token, following = tokens[index], tokens[index + 1]
            if following.capitalised and _kazakh_case_form(token) and _head(token) not in _STRETCH_HEADS:
                return [*_pieces(tokens, start, index + 1, languages), *_pieces(tokens, index + 1, end, languages)]
        for index in range(start + 2, end):  # Айдос Сарым | Конституциялық соттың: an adjective opens a new name
            if _KAZAKH_RELATIVE.search(tokens[index].norm) and not _KAZAKH_RELATIVE.search(tokens[index - 1].norm):
                return [(start, index), *_pieces(tokens, index, end, languages)]
    first = tokens[start]
    if (
        end - start >= 2
        and languages[first.line - 1] == "ru"
        and _latin(tokens[start + 1].norm)
        and _russian_word(first.norm)
        and russian.is_adjective(first.norm)
    ):  # Китайская | BYD: an adjective says where a brand is from, it is no part of its name
        return [(start, start + 1), *_pieces(tokens, start + 1, end, languages)]
    if end - start >= 3 and _body_before_person(tokens[start], tokens[start + 1 : end], languages):
        return [(start, start + 1), *_pieces(tokens, start + 1, end, languages)]
    for index in range(start + 1, end - 2):  # State Duma | Vyacheslav Volodin: a body's head noun, then a person
        if _head(tokens[index]) in ORG_HEADS and _person_after(tokens[index + 1 : end], languages):
            return [(start, index + 1), *_pieces(tokens, index + 1, end, languages)]
    if end - start >= 3:  # a surname ends a person's name: Бірлік Берікұлы | Бекболат Базаров
        for index in range(start + 1, end - 1):
            if _looks_like_surname(tokens[index], languages[tokens[index].line - 1]):
                return [(start, index + 1), *_pieces(tokens, index + 1, end, languages)]
    last = tokens[end - 1]
    kazakh_word = any(ch in KAZAKH_LETTERS for ch in last.norm) or languages[last.line - 1] == "kk"
    if end - start >= 3 and kazakh_word:
        stem = kazakh.stem_of(last.norm)
        if stem != last.norm and _head(last) not in _STRETCH_HEADS:  # Батыс Қазақстан облысының stays whole
            return [(start, end - 1), (end - 1, end)]
    return [(start, end)]


def _person_after(rest: list[Token], languages: Sequence[str]) -> bool:
    """Two name words or three, no head noun; in Russian the last a surname (Vyacheslav Volodin, Нурланбек Шакиев)."""
    if len(rest) not in (2, 3) or any(_head(t) in _ALL_HEADS or t.text.isupper() for t in rest):
        return False
    last = rest[-1]
    if languages[last.line - 1] != "ru":
        return all(t.capitalised for t in rest)
    return _looks_like_surname(last, "ru") or (_russian_word(last.norm) and _russian_person_word(last.norm))


def _body_before_person(first: Token, rest: list[Token], languages: Sequence[str]) -> bool:
    """ГКНБ Камчыбек Ташиев, Сената Маулен Ашимбаев: the first word names a body, the rest a person;
    Казани Ильсур Метшин: a town in the genitive names whose mayor he is."""
    if any(len(t.text) > 1 and t.text.isupper() for t in rest):
        return False
    if len(first.text) >= 2 and first.text.isupper():
        return True
    if languages[first.line - 1] == "ru" and _russian_word(first.norm) and russian.is_genitive_place(first.norm):
        return _person_after(rest, languages)
    if languages[first.line - 1] != "ru" or not _russian_word(first.norm) or not russian.is_common_word(first.norm):
        return False
    return not any(russian.is_common_word(t.norm) for t in rest)  # Совета Безопасности ООН stays whole


def _sentence_starts(tokens: list[Token]) -> set[int]:
    """Where a capital proves nothing: the first word of a sentence, or of a quoted sentence."""
    return {
        i for i, t in enumerate(tokens) if i == 0 or tokens[i - 1].sentence != t.sentence or t.quote == QUOTED_SENTENCE
    }


#: Russian titles, matched by lemma in any case form (Президента, Председателю): never part of a name.
RUSSIAN_TITLES = frozenset(
    """президент председатель глава министр премьер-министр вице-премьер посол генсек аким хоким
    губернатор мэр спикер сенатор депутат профессор академик эксперт политолог аналитик автор
    канцлер король эмир принц журналист экономист секретарь советник представитель директор""".split()
)


def _usable(token: Token) -> bool:
    if not token.capitalised or token.text.isdigit() or token.norm in NOT_NAMES:
        return False
    return not _title(token.norm)


@lru_cache(maxsize=100_000)
def _title(norm: str) -> bool:
    """A Cyrillic title in any case form (Президента, Премьер-министрі); English ones are in NOT_NAMES."""
    if not "\u0400" <= norm[:1] <= "\u04ff":
        return False
    if _russian_word(norm) and russian.lemmas(norm) & RUSSIAN_TITLES:
        return True
    stem = kazakh.stem_of(norm)
    if norm[len(stem) :].startswith(_KAZAKH_PLURALS):
        return False  # Министрлер Кабинеті: ministers in the plural name a body, not a person's title
    bare = stem[:-2] if stem.endswith(("сы", "сі")) else stem[:-1] if stem.endswith(("ы", "і")) else stem
    return any(word in KAZAKH_TITLES for word in (norm, stem, bare))


def _title_of(norm: str) -> bool:
    """A Kazakh title with the possessive ending, "the X of": төрағасы, басшысы, әкімі (not сарапшы)."""
    for ending in ("сы", "сі", "ы", "і"):
        if norm.endswith(ending) and norm[: -len(ending)] in KAZAKH_TITLES:
            return True
    return False


def _latin(norm: str) -> bool:
    """A word in Latin letters (Glencore, Air): in a Kazakh or Russian line, a name or part of one."""
    return "a" <= norm[:1] <= "z" or norm[:1] in "àáâãäåçèéêëìíîïñòóôõöùúûüýčšžğışő"


def _russian_word(norm: str) -> bool:
    """Cyrillic without Kazakh letters: a word pymorphy3 can read."""
    return "\u0400" <= norm[:1] <= "\u04ff" and not any(ch in KAZAKH_LETTERS for ch in norm)


def _span(tokens: list[Token], covered: list[bool], start: int, languages: Sequence[str]) -> int:
    """End (exclusive) of the candidate run starting at `start`, or `start` if none starts there."""
    if covered[start] or not _usable(tokens[start]) or _title_modifier(tokens, start):
        return start
    end = start + 1
    sentence = tokens[start].sentence
    if tokens[start].quote == QUOTED_PHRASE and (quoted := _quoted_company(tokens, covered, start)) > start:
        return quoted  # ОАО «Российские железные дороги»: the quoted words are the name, as written
    if _legal_form(tokens, covered, start):
        return start  # ОАО, АО: the legal form before a quoted name is no name
    while end < len(tokens) and not covered[end] and tokens[end].sentence == sentence:
        if end - start > 1 and len(tokens[end - 1].text) == 1 and tokens[end].line != tokens[end - 1].line:
            break  # Ван И. | Национальный банк: a one-letter name ends its line; an initial opens a name
        if _title_modifier(tokens, end):
            break  # ЮНЕСКО | Бас директоры
        if tokens[end].quote == QUOTED_PHRASE or _legal_form(tokens, covered, end):
            break  # ОАО | «Российские железные дороги»: a quote opens a name of its own
        if _usable(tokens[end]):
            end += 1
            continue
        after = _after_particles(tokens, covered, end, languages, run=end - start)  # Урсула фон дер | Ляйен
        if after == end:
            break
        end = after + 1
    kazakh_line = languages[tokens[end - 1].line - 1] == "kk"
    # stretch over lower-case words to a head noun: Азия даму банкі, Ұжымдық қауіпсіздік шарты ұйымы;
    # not after a Kazakh word in a case form, which ends its name (Петропавлда | облыс кәсіпкерлерімен)
    last = end if kazakh_line and _kazakh_inflected(tokens[end - 1]) else min(end + 4, len(tokens))
    for step in range(end, last):
        token = tokens[step]
        if covered[step] or token.sentence != sentence or token.capitalised:
            break
        head = _head(token)
        if head in REGION_WORDS and step > end:
            break  # a region word belongs to the name right before it only: Караганде | аким области
        if head in REGION_WORDS and languages[token.line - 1] == "en":
            break  # Khatlon | province: English names a region without the word
        if kazakh_line and head in _KAZAKH_REGIONS and not token.norm.startswith(_KAZAKH_REGIONS[head]):
            break  # облыс without the possessive is "the region", no region's name (Ақмола облысы)
        if kazakh_line and head not in _STRETCH_HEADS and (head in PLACE_WORDS or _kazakh_case_form(token)):
            break  # Ош қаласында | өзбек компанияларының: a city word or a case form ends the name
        if head in _STRETCH_HEADS:
            end = step + 1
            break
        if _title(token.norm):
            break
        hyphen_part = (
            step + 1 < len(tokens) and tokens[step + 1].word == token.word and tokens[step + 1].line == token.line
        )
        if (
            _russian_word(token.norm)
            and not hyphen_part  # горно-металлургический: горно is no word by itself
            and not russian.is_adjective_or_noun(token.norm)
            and languages[tokens[start].line - 1] == "ru"
        ):
            break  # В Оше | открылся ... центр: a verb ends the stretch
    # a Russian head noun takes genitive complements: Азиатский банк развития, Совет глав государств
    if _head(tokens[end - 1]) in ORG_HEADS and languages[tokens[end - 1].line - 1] == "ru":
        while end < len(tokens) and end - start < 8 and not covered[end] and tokens[end].sentence == sentence:
            token = tokens[end]
            if not _russian_word(token.norm) or not russian.is_genitive_noun(token.norm):
                break
            if token.capitalised and (_title(token.norm) or _russian_person_word(token.norm)):
                break  # Национального банка | Тимура Сулейменова: a person follows the body
            end += 1  # Банк развития Казахстана, Университет Центральной Азии: a place completes the name
    return end


def _legal_form(tokens: list[Token], covered: list[bool], index: int) -> bool:
    """ОАО, АО in «...»: an abbreviation in capitals right before a quoted name of a few words."""
    following = index + 1
    return (
        following < len(tokens)
        and tokens[following].quote == QUOTED_PHRASE
        and tokens[index].text.isupper()
        and _quoted_company(tokens, covered, following) > following
    )


def _quoted_company(tokens: list[Token], covered: list[bool], start: int) -> int:
    """End of a quoted name of a few words beside a legal form in capitals (ОАО «...», «...» АҚ), or `start`."""
    first = tokens[start]
    end = start
    while (
        end < len(tokens)
        and not covered[end]
        and tokens[end].line == first.line
        and tokens[end].word < first.word + first.quote_words
    ):
        end += 1
    if end - start < 2 or end < start + 1 or any(covered[i] for i in range(start, end)):
        return start
    beside = [tokens[i] for i in (start - 1, end) if 0 <= i < len(tokens) and tokens[i].sentence == first.sentence]
    legal = any(2 <= len(t.text) <= 4 and t.text.isupper() and not _latin(t.norm) for t in beside)
    return end if legal else start


def _russian_person_word(norm: str) -> bool:
    found = russian.proper_lemma(norm)
    return found is not None and found[1] in ("Name", "Surn", "Patr")


def _after_particles(
    tokens: list[Token], covered: list[bool], index: int, languages: Sequence[str], run: int = 1
) -> int:
    """Index of the capitalised word after one or two name particles starting at `index`, or `index`.

    In Kazakh, да/де join only a name of two words or more to one last word in no case form
    (Луис Инасиу Лула да Силва; not Ақтау да Атырауға).
    """
    if tokens[index].norm not in NAME_PARTICLES:  # nearly always: no particle, no need for the line's language
        return index
    kazakh_line = languages[tokens[index].line - 1] == "kk"
    step = index
    while step < min(index + 2, len(tokens)) and tokens[step].norm in NAME_PARTICLES and not tokens[step].capitalised:
        if kazakh_line and tokens[step].norm in _KAZAKH_NOT_PARTICLES and not _kazakh_name_particle(tokens, step, run):
            return index
        step += 1
    if step == index or step >= len(tokens) or covered[step] or tokens[step].sentence != tokens[index].sentence:
        return index
    return step if _usable(tokens[step]) and not tokens[step].text.isupper() else index


def _kazakh_name_particle(tokens: list[Token], index: int, run: int) -> bool:
    """Kazakh да/де inside a person's name: two name words or more before, one bare name word after."""
    if run < 2 or tokens[index].norm not in ("да", "де") or index + 1 >= len(tokens):
        return False
    after = tokens[index + 1]
    if not after.capitalised or after.sentence != tokens[index].sentence or _kazakh_inflected(after):
        return False
    beyond = tokens[index + 2] if index + 2 < len(tokens) else None
    return beyond is None or beyond.sentence != after.sentence or not beyond.capitalised or _kazakh_inflected(beyond)


def _title_modifier(tokens: list[Token], index: int) -> bool:
    """Kazakh Бас before a title in lower case is part of the title (Бас директоры, Бас хатшысы), and
    State in Secretary of State."""
    if tokens[index].norm == "state" and index >= 2:
        return tokens[index - 1].norm == "of" and tokens[index - 2].norm == "secretary"
    if tokens[index].norm != "бас" or index + 1 >= len(tokens):
        return False
    after = tokens[index + 1]
    return not after.capitalised and after.sentence == tokens[index].sentence and _title(after.norm)


@lru_cache(maxsize=100_000)
def _kazakh_inflected_norm(norm: str) -> bool:
    if norm.endswith("стан") or norm in cldr_cities():
        return False  # Қазақстан (not Қазақс + -тан), Қызылорда (not Қызылор + -да): whole names
    stem = kazakh.stem_of(norm)
    return stem != norm and len(stem) >= 3 and bool(_KAZAKH_OBLIQUE.fullmatch(norm[len(stem) :]))


def _kazakh_case_form(token: Token) -> bool:
    """A Kazakh case form, surely: a suffix of three letters or more (Дашогуздан), or a place's stem (Страсбургте).

    Many first names end like a short suffix (Саида, Айдана), so -да, -ға alone prove nothing.
    """
    if not _kazakh_inflected(token):
        return False
    stem = kazakh.stem_of(token.norm)
    return len(token.norm) - len(stem) >= 3 or _kazakh_place_form(token.norm, stem)


def _kazakh_inflected(token: Token) -> bool:
    """A Kazakh word in a case form (Петропавлда, Дашогуздан, Сарымның): the last word of its name."""
    return "\u0400" <= token.norm[:1] <= "\u04ff" and _kazakh_inflected_norm(token.norm)


def _head(token: Token) -> str:
    """A word's dictionary form when it is a head noun or place word (Kazakh stem, Russian lemma), else the word."""
    return _head_of(token.norm)


@lru_cache(maxsize=100_000)
def _head_of(norm: str) -> str:
    if norm in _ALL_HEADS:
        return norm
    if "\u0400" <= norm[:1] <= "\u04ff":
        stem = kazakh.stem_of(norm)
        if stem in _ALL_HEADS:
            return stem
        if stem.endswith("н") and stem[:-1] in _ALL_HEADS:
            return stem[:-1]  # ауданында: possessive, pronominal н, case
        for cut in range(len(norm) - 1, 2, -1):  # өлкесінен: stem_of stops at өлкес (+ і + нен)
            head = norm[:cut]
            if head in _ALL_HEADS and not norm[cut:].startswith(_KAZAKH_PLURALS):  # компаниялары: many, no name
                if norm in kazakh.forms(head, possessive=kazakh.ends_possessive(head)):
                    return head
        hit = russian.lemmas(norm) & _ALL_HEADS
        return min(hit) if hit else norm
    singular = norm.removesuffix("s")
    return singular if singular in _ALL_HEADS else norm


@dataclass(frozen=True)
class _Usage:
    """How the text writes its words: capitalised inside sentences, or in lower case anywhere."""

    capitalised: frozenset[str]  # words and Kazakh stems written with a capital inside a sentence
    lower: frozenset[str]  # Kazakh stems of words written in lower case

    @classmethod
    def of(cls, tokens: list[Token], starts: set[int]) -> _Usage:
        inside = {t.norm for i, t in enumerate(tokens) if t.capitalised and i not in starts}
        lower = {t.norm for t in tokens if not t.capitalised}
        inside = (inside | {kazakh.stem_of(norm) for norm in inside}) - lower  # Павлодарда / Павлодар
        return cls(frozenset(inside), frozenset(kazakh.stem_of(norm) for norm in lower if len(norm) > 3))


def _is_name(
    span: list[Token],
    start: int,
    tokens: list[Token],
    starts: set[int],
    usage: _Usage,
    languages: Sequence[str],
) -> bool:
    if len(span) > 1:
        return not _russian_plural_common(span, languages)
    token = span[0]
    if start not in starts:
        after = tokens[start + 1] if start + 1 < len(tokens) else None
        if languages[token.line - 1] == "kk" and _KAZAKH_RELATIVE.search(token.norm) and after is not None:
            # АҚШ Мемлекеттік хатшысы: an adjective in a title ("State secretary"), not Достық станциясы
            return after.sentence != token.sentence or after.capitalised or not _title(after.norm)
        # Центральноазиатского, Первого: a Russian adjective the dictionary knows is no name alone,
        # unless it stands for a town after "in", "from" (в Рудном, из Рудного: not в Рудном районе)
        if languages[token.line - 1] == "ru" and _russian_word(token.norm) and russian.is_adjective(token.norm):
            return _town_after_preposition(tokens, start)
        return True
    if len(token.text) < 2:
        return False
    if token.text.isupper() and len(token.text) >= 2:
        return True  # an abbreviation: ЕАЭО, WTO
    if "." in token.text:
        return True  # a web name: Kaspi.kz
    if token.quote == QUOTED_NAME:
        return True  # «Аманат» азаматтық платформасы: quotes around one word mark a name
    language = languages[token.line - 1]
    if language in ("kk", "ru") and _latin(token.norm):
        return True  # TotalEnergies договорилась ...: no Kazakh or Russian sentence opens with a Latin common word
    stem = kazakh.stem_of(token.norm)
    if token.norm in KAZAKH_STARTERS or token.norm in SENTENCE_STARTERS_EN or stem in KAZAKH_STARTERS:
        return False  # Бұл, The, Онымен
    if token.norm in usage.capitalised or stem in usage.capitalised:
        return True
    if language == "kk" and _kazakh_place_form(token.norm, stem):
        return True  # Анкарада, Варшавадан: a place by the dictionary or CLDR, in a case form
    after = tokens[start + 1] if start + 1 < len(tokens) else None
    if language == "kk" and after and after.sentence == token.sentence and not after.capitalised:
        if _title_of(after.norm):
            return True  # Сенат төрағасы, Ұлттық банк басшысы: "the chairman of" X names a body
    if language == "kk" and len(token.norm) > 3 and stem not in usage.lower and not _kazakh_common(token.norm, stem):
        return True  # Kazakh has no dictionary here: never written in lower case, and no common-word ending
    if language == "kk" and token.norm[len(stem) :].startswith(_KAZAKH_PLURALS):
        return False  # Тұрғындар: a plural, whatever its stem looks like
    following = tokens[start + 1 : start + 3]
    if len(following) == 2 and following[0].norm in CONJUNCTIONS and (following[1].capitalised):
        return True
    if following and following[0].sentence == token.sentence and _head(following[0]) in PLACE_WORDS:
        return True  # Ақтау портынан, Түркістан қаласында: a place word follows the name
    if _looks_like_surname(token, language):
        return True
    if language == "ru" and "\u0400" <= token.norm[:1] <= "\u04ff":
        return russian.proper_lemma(token.norm) is not None and not russian.is_common_word(token.norm)
    return language == "en" and _english_subject_name(tokens, start)


#: English finite verbs that often follow a sentence's subject, and their endings.
_ENGLISH_FINITE = frozenset("is was has had will would may might can could should must does did".split())
#: Words that open the object after a verb in -s (Glencore runs the complex).
_ENGLISH_OBJECT_OPENERS = frozenset("the a an its their his her new more".split())
#: English adjectives of nationality opening a sentence (Uzbek officials met ...): no names themselves.
_ENGLISH_ETHNONYMS = frozenset("kazakh uzbek kyrgyz tajik turkmen afghan thai greek czech dutch swiss".split())


def _english_subject_name(tokens: list[Token], start: int) -> bool:
    """Glencore runs ..., Rosneft increased ...: one capitalised word, then a finite verb.

    English has no dictionary here, so the word must not look like a common word: no
    function word, no plural or -ly, -ing, -ed form, no adjective of nationality.
    """
    token = tokens[start]
    following = tokens[start + 1] if start + 1 < len(tokens) else None
    norm = token.norm
    if following is None or following.sentence != token.sentence or following.capitalised or not _latin(norm):
        return False
    if len(norm) < 3 or norm in _ENGLISH_OPENERS or norm in _ENGLISH_ETHNONYMS:
        return False
    if norm.endswith(("s", "ly", "ing", "ed", "ian", "ese", "ish")):
        return False
    verb = following.norm
    if verb in _ENGLISH_FINITE or verb.endswith("ed"):
        return True
    # runs, sells: a verb when an object follows (Glencore runs the ...), not a plural (New approaches to)
    after = tokens[start + 2] if start + 2 < len(tokens) else None
    return (
        verb.endswith("s")
        and not verb.endswith("ss")
        and after is not None
        and after.sentence == token.sentence
        and after.norm in _ENGLISH_OBJECT_OPENERS
    )


#: Russian prepositions before a place: "в Рудном" is a town when no noun follows the adjective.
_RUSSIAN_PLACE_PREPOSITIONS = frozenset("в во из под над до около возле близ у".split())


def _town_after_preposition(tokens: list[Token], index: int) -> bool:
    """в Рудном, из Рудного: a capitalised adjective after a place preposition, with no noun after it."""
    before = tokens[index - 1] if index > 0 else None
    if before is None or before.sentence != tokens[index].sentence or before.norm not in _RUSSIAN_PLACE_PREPOSITIONS:
        return False
    after = tokens[index + 1] if index + 1 < len(tokens) else None
    if after is None or after.sentence != tokens[index].sentence or after.capitalised:
        return True
    return not (_russian_word(after.norm) and russian.is_adjective_or_noun(after.norm))


#: Kazakh case endings no verb takes (locative, ablative, dative, genitive, instrumental, -дағы).
_KAZAKH_OBLIQUE = re.compile(
    r"(да|де|та|те|дан|ден|тан|тен|нан|нен|ға|ге|қа|ке|на|не|ның|нің|дың|дің|тың|тің|мен|бен|пен|дағы|дегі|тағы|тегі)$"
)


def _kazakh_place_form(norm: str, stem: str) -> bool:
    """A case form of a place name: its stem is a CLDR city or a place pymorphy3 knows (Анкарада)."""
    if stem == norm or not _KAZAKH_OBLIQUE.search(norm[len(stem) :]):
        return False
    if stem in cldr_cities():
        return True
    return _russian_word(stem) and russian.is_known_place(stem)


def _russian_plural_common(span: list[Token], languages: Sequence[str]) -> bool:
    """Китайские компании: an organisation's head noun in the plural, after a plural adjective, names no one."""
    if languages[span[0].line - 1] != "ru" or _head(span[-1]) not in ORG_HEADS:
        return False
    first, head = span[0], span[-1]  # the adjective's number decides: Китайские компании, not Совета глав
    return (
        _russian_word(first.norm)
        and russian.is_adjective(first.norm)
        and russian.is_plural(first.norm)
        and russian.is_plural(head.norm, likeliest=False)
    )


def _kazakh_common(norm: str, stem: str) -> bool:
    """A Kazakh word that opens a sentence and reads as a common word by its form alone.

    A plural (Тұрғындар), a verb or participle ending (_PLURAL_OR_VERB), a possessive of
    "our" or "your" or an adjective in -лы/-лі, or a Russian loanword
    the dictionary knows as an ordinary noun (Комиссия, Спорт, Эксклюзивті).
    """
    if _PLURAL_OR_VERB.search(stem) or _KAZAKH_POSSESSIVE.search(norm) or _KAZAKH_ADJECTIVE.search(norm):
        return True
    if _KAZAKH_RELATIVE.search(norm):
        return True  # Отандық, Қазақстандық: an adjective alone is no name
    if norm[len(stem) :].startswith(_KAZAKH_PLURALS):
        return True
    return not any(ch in KAZAKH_LETTERS for ch in stem) and russian.is_loanword_noun(stem.lower())


def _kind(span: list[Token], tokens: list[Token], start: int, end: int, languages: Sequence[str]) -> str:
    heads = {_head(token) for token in span}
    if heads & ORG_HEADS:
        return "Organization"
    if heads & (PLACE_HEADS | REGION_WORDS):
        return "Place"
    around = [tokens[i] for i in (start - 1, end) if 0 <= i < len(tokens)]
    if any(_head(t) in PLACE_WORDS or t.norm in PLACE_WORDS for t in around):
        return "Place"
    if len(span) == 1 and (span[0].text.isupper() or "." in span[0].text):
        return "Organization"  # an abbreviation or a web name (Vlast.kz)
    if languages[span[0].line - 1] in ("kk", "ru") and all(_latin(t.norm) for t in span):
        return "Organization"  # a brand keeps its Latin letters (TotalEnergies); places are written in Cyrillic
    if len(span) == 1 and _russian_word(span[0].norm) and russian.is_adjective(span[0].norm):
        return "Place"  # в Рудном: a town named by an adjective
    if languages[span[0].line - 1] == "ru" and all(
        _russian_word(t.norm) and russian.is_common_word(t.norm) for t in span
    ):
        return "Organization"  # Сената, Правительства: an ordinary noun with a capital inside a sentence
    if languages[span[0].line - 1] == "ru":
        grammemes = {hit[1] for t in span if (hit := russian.proper_lemma(t.norm))}
        if grammemes & {"Name", "Surn", "Patr"}:
            return "Person"
        if "Geox" in grammemes:
            return "Place"
        if "Orgn" in grammemes:
            return "Organization"
    words = [t for t in span if t.capitalised]  # Урсула фон дер Ляйен: particles aside
    if _looks_like_surname(span[-1], languages[span[-1].line - 1]) or len(words) in (2, 3):
        return "Person"
    if len(words) > 3 and any(t.norm in NAME_PARTICLES and not t.capitalised for t in span):
        return "Person"  # Луис Инасиу Лула да Силва
    return "Place"


def _looks_like_surname(token: Token, language: str) -> bool:
    """Жапаровқа, Садыра Жапарова, Tokayev: a surname ending once case suffixes are off."""
    norm = token.norm
    if "\u0400" <= norm[:1] <= "\u04ff" and language == "ru" and not any(ch in KAZAKH_LETTERS for ch in norm):
        found = russian.proper_lemma(norm)
        return found is not None and found[1] == "Surn"
    if any(ch in KAZAKH_LETTERS for ch in norm) or language == "kk":
        norm = kazakh.stem_of(norm)
    return bool(_SURNAME.search(norm))


@lru_cache(maxsize=50_000)
def _display_of(texts: tuple[str, ...], kind: str, language: str) -> str:
    """`_display` of words as written, once per spelling: a long text repeats its names."""
    span = [Token(text, normalise(text), 1, 0, 0, text[:1].isupper()) for text in texts]
    return _display(span, kind, [language])


def _display(span: list[Token], kind: str, languages: Sequence[str]) -> str:
    """The name in its dictionary form: Kazakh suffixes off the last word, Russian words in the nominative."""
    words = [t.text for t in span]
    language = languages[span[0].line - 1]
    if any(ch in KAZAKH_LETTERS for t in span for ch in t.norm) or language == "kk":
        region = next((word for root, word in _KAZAKH_REGIONS.items() if span[-1].norm.startswith(root)), None)
        head = _head(span[-1])
        if region and len(span) > 1:
            words[-1] = region  # облысының, ауданда -> облысы, ауданы: as a region's name has it
        elif head in _ALL_HEADS and head != span[-1].norm:  # университетінің -> университеті
            words[-1] = head.capitalize() if span[-1].capitalised else head
        elif head in _ALL_HEADS:
            pass  # жолдары, as written: a head noun written whole
        else:
            words[-1] = kazakh.stem_of(words[-1])
    elif language == "ru" and kind == "Person":
        words = _russian_person(span) or words
    elif language == "ru" and kind == "Place" and len(span) == 1 and (town := _russian_town(span[0].norm)):
        words = [_cased_like(town, span[0].text)]  # в Рудном -> Рудный
    elif language == "ru":
        lemmas = [russian.proper_lemma(t.norm) for t in span]
        if kind in ("Place", "Country") and all(lemmas):
            words = [_cased_like(lemma[0], t.text) for lemma, t in zip(lemmas, span, strict=True) if lemma]
        elif kind in ("Place", "Organization") and (phrase := russian.phrase_nominative([t.norm for t in span])):
            words = [_cased_like(word, t.text) for word, t in zip(phrase, span, strict=True)]
    elif language == "en":
        words[-1] = re.sub(r"['’]s$", "", words[-1])
    return " ".join(words)


def _russian_town(norm: str) -> str | None:
    """A town named by an adjective, in the nominative (Рудном -> рудный); None for other words."""
    if not _russian_word(norm) or not russian.is_adjective(norm) or russian.proper_lemma(norm):
        return None
    return russian.adjective_nominative(norm)


def _russian_person(span: list[Token]) -> list[str] | None:
    """A Russian person's name in the nominative; particles (фон, бин) stay as written."""
    named = russian.person_nominative([t.norm for t in span if t.norm not in NAME_PARTICLES or t.capitalised])
    if not named:
        return None
    words, declined = [], iter(named)
    for token in span:
        if token.norm in NAME_PARTICLES and not token.capitalised:
            words.append(token.text)
        else:
            words.append(_cased_like(next(declined), token.text))
    return words


def _cased_like(lemma: str, written: str) -> str:
    """`lemma` with the capitals of the word as written, part by part: Иссык-Куля -> Иссык-Куль, not Иссык-куль."""
    if len(written) > 1 and written.isupper():
        return written  # an abbreviation: МИД, not Мид
    parts, written_parts = lemma.split("-"), written.split("-")
    if len(parts) != len(written_parts):
        return lemma.capitalize()
    return "-".join(p.capitalize() if w[:1].isupper() else p for p, w in zip(parts, written_parts, strict=True))


def _written(span: list[Token]) -> tuple[str, ...]:
    """The words as written, parts of a hyphenated word joined again (горно-металлургический)."""
    words: list[str] = []
    for index, token in enumerate(span):
        previous = span[index - 1] if index else None
        if previous is not None and previous.line == token.line and previous.word == token.word:
            words[-1] += "-" + token.text
        else:
            words.append(token.text)
    return tuple(words)


def _add(
    found: dict[str, Candidate],
    tokens: list[Token],
    start: int,
    end: int,
    kind: str,
    known_in_sentence: dict[int, set[str]],
    *,
    match: Match | None = None,
    languages: Sequence[str] | None = None,
    bare: bool = False,
) -> None:
    span = tokens[start:end]
    if match is not None:
        node_id = match.spelling.node_ids[0]
        key, name = node_id, node_id
    else:
        texts = _written(span)
        name = " ".join(texts) if bare else _display_of(texts, kind, (languages or [])[span[0].line - 1])
        key = name.lower()
    candidate = found.get(key)
    if candidate is None:
        candidate = Candidate(name, kind, first=(span[0].line, span[0].word, span[-1].word))
        if match is not None:
            candidate.proposed_id = match.spelling.node_ids[0]
        found[key] = candidate
    candidate.forms.add(" ".join(_written(span)))
    candidate.lines.add(span[0].line)
    candidate.near |= known_in_sentence.get(span[0].sentence, set())
