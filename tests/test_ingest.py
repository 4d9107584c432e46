"""`actorgraph ingest`: morphology, matching, candidates, the draft, bad input, review before load.

Morphology tests use inflection tables of Kazakh grammar (case endings after vowels,
nasals, sonorants and voiceless consonants, in back and front harmony; possessive then
case; plural) and Russian forms from pymorphy3's dictionary. Matching runs against the
real graph's names (data/kz-uz-relations); the CLI runs as a user would, on real files.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import ARTICLE_DATA, MINI_DATA, TESTS, actorgraph

from actorgraph.ingest import build_matcher, kazakh, known_from_dataset
from actorgraph.ingest.candidates import find_candidates
from actorgraph.ingest.tokens import detect_language, line_languages
from actorgraph.loaders import load_dataset

NEWS = TESTS / "fixtures" / "ingest" / "news-kk.txt"
NO_ACTOR = TESTS / "fixtures" / "ingest" / "no-actor.txt"

# Kazakh declension tables: nominative, genitive, accusative, dative, locative, ablative, instrumental.
KAZAKH_TABLES = [
    ("Қазақстан", "Қазақстанның Қазақстанды Қазақстанға Қазақстанда Қазақстаннан Қазақстанмен"),  # nasal, back
    ("Астана", "Астананың Астананы Астанаға Астанада Астанадан Астанамен"),  # vowel, back
    ("Ресей", "Ресейдің Ресейді Ресейге Ресейде Ресейден Ресеймен"),  # sonorant й, front
    ("Қытай", "Қытайдың Қытайды Қытайға Қытайда Қытайдан Қытаймен"),  # sonorant й, back
    ("Ташкент", "Ташкенттің Ташкентті Ташкентке Ташкентте Ташкенттен Ташкентпен"),  # voiceless т, front
    ("Бішкек", "Бішкектің Бішкекті Бішкекке Бішкекте Бішкектен Бішкекпен"),  # voiceless к, front
    ("Мәскеу", "Мәскеудің Мәскеуді Мәскеуге Мәскеуде Мәскеуден Мәскеумен"),  # у, front
    ("Тоқаев", "Тоқаевтың Тоқаевты Тоқаевқа Тоқаевта Тоқаевтан Тоқаевпен"),  # devoiced в, back
    ("Мирзиеев", "Мирзиеевтің Мирзиеевтың Мирзиеевке Мирзиеевқа Мирзиеевпен"),  # both harmonies are written
    ("Әзірбайжан", "Әзірбайжанның Әзірбайжанды Әзірбайжанға Әзірбайжанда Әзірбайжаннан Әзірбайжанмен"),
    ("Оңтүстік Корея", "Кореяның Кореяны Кореяға Кореяда Кореядан Кореямен"),
]
# Locative adjective, plural, possessive then case (pronominal н).
KAZAKH_DERIVED = [
    ("Қазақстан", "Қазақстандағы"),
    ("Ташкент", "Ташкенттегі"),
    ("Мәскеу", "Мәскеудегі"),
    ("ел", "елдер елдердің елдерге елдерде елдерден елдері елдерінің"),
    ("қала", "қалалар қалалардың қаласы қаласының қаласына қаласында қаласынан"),
    ("мемлекет", "мемлекеттер мемлекеттердің мемлекеті мемлекетінің мемлекетіне"),
    ("ұйым", "ұйымдар ұйымдардың ұйымы ұйымының ұйымына"),
]


@pytest.mark.parametrize("stem, inflected", KAZAKH_TABLES + KAZAKH_DERIVED)
def test_kazakh_forms_hold_every_case(stem, inflected):
    last = stem.split()[-1]
    for form in inflected.split():
        assert form.lower() in kazakh.forms(last), form


def test_kazakh_compound_heads_decline_with_n():
    head = kazakh.forms("ұйымы", possessive=True)
    for form in ("ұйымының", "ұйымын", "ұйымына", "ұйымында", "ұйымынан", "ұйымымен", "ұйымындағы"):
        assert form in head
    assert {"ақш-тың", "ақш-қа", "тмд-ға", "шыұ-ның"} <= kazakh.abbreviation_forms("АҚШ") | kazakh.abbreviation_forms(
        "ТМД"
    ) | kazakh.abbreviation_forms("ШЫҰ")


@pytest.mark.parametrize(
    "stem, other",
    [
        ("ресей", "ресейлік"),  # an adjective: Russian, not Russia
        ("ташкент", "ташкенттік"),
        ("қазақстан", "қазақстандық"),
        ("қытай", "қытайша"),
        ("ира", "иран"),  # a different word that starts the same
        ("азия", "азиялық"),
    ],
)
def test_kazakh_forms_hold_no_other_word(stem, other):
    assert other not in kazakh.forms(stem)


@pytest.mark.parametrize(
    "word, stem",
    [
        ("Бішкекте", "Бішкек"),
        ("Жапаровқа", "Жапаров"),
        ("Алматыдағы", "Алматы"),
        ("Иран", "Иран"),
        ("Ұйымының", "Ұйымы"),
    ],
)
def test_kazakh_stem_of_inflected_names(word, stem):
    assert kazakh.stem_of(word) == stem


@pytest.fixture(scope="module")
def matcher():
    dataset = load_dataset(ARTICLE_DATA)
    return build_matcher(*known_from_dataset(dataset))


def found(matcher, text: str) -> set[str]:
    match, _ = matcher
    tokens = match.tokenise(text.splitlines())
    return {node for m in match.find(tokens) if not m.spelling.new for node in m.spelling.node_ids}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Тоқаевтың сапары басталды.", {"person:kassym-jomart-tokayev"}),
        ("Делегация Өзбекстанға барды.", {"country:uzbekistan"}),
        ("Кездесу Нұр-Сұлтанда өтті.", {"place:nur-sultan"}),
        ("Шанхай Ынтымақтастық Ұйымының саммиті.", {"org:sco"}),
        ("АҚШ-тың өкілі келді.", {"country:usa"}),
        ("Визит Токаева в Ташкент.", {"person:kassym-jomart-tokayev", "place:tashkent"}),
        ("Переговоры с Мирзиёевым.", {"person:shavkat-mirziyoyev"}),
        ("Саммит Шанхайской организации сотрудничества.", {"org:sco"}),
        ("Выборы в Киргизии.", {"country:kyrgyzstan"}),
        ("В Нур-Султане открылся центр.", {"place:nur-sultan"}),
        ("Uzbekistan's president met Tokayev.", {"country:uzbekistan", "person:kassym-jomart-tokayev"}),
        ("Қазақстан Республикасы Қорғаныс министрлігі хабарлады.", {"org:kazakhstan-ministry-of-defence"}),
        ("Қазақстан-Өзбекстан қатынастары.", {"country:kazakhstan", "country:uzbekistan"}),  # a compound of names
        ("Марта Олкоттың кітабы.", {"person:martha-brill-olcott"}),  # a double final consonant written once
        ("Өзбекстан мен Қазақстан Үкіметтері келісті.", {"country:uzbekistan", "org:government-of-kazakhstan"}),
        (  # a page break inside a sentence: a long line without a full stop, a blank line
            "Өзбекстан өңірдегі жалғыз мемлекет ретінде барлық елдермен шекаралас Орталық\n\nАзияның жүрегінде.",
            {"country:uzbekistan", "place:central-asia"},
        ),
        ("Дочь президента Гульнара Каримова.", set()),  # another person with the same surname
        ("Тұңғыш президент И. Каримов сөйледі.", {"person:islam-karimov"}),  # the title is Karimov's here
    ],
)
def test_known_names_in_any_form(matcher, text, expected):
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Қазақ халқы мен өзбек халқы.",  # ethnonyms, not countries
        "Ресейлік сарапшы сөйледі.",
        "Казахстанские и китайские компании.",
        "A roast turkey in Indiana.",  # lower-case turkey, and Indiana is not India
        "UNESCO and Scotland.",
    ],
)
def test_no_hit_on_words_that_merely_start_the_same(matcher, text):
    assert found(matcher, text) == set()


def test_candidates_for_new_names_with_kinds(matcher):
    match, _ = matcher
    lines = [
        "Қырғызстан Президенті Садыр Жапаров Бішкекте баспасөз мәслихатын өткізді.",
        "Пәкістан мен Иран Ауғанстанмен шекаралас.",
        "Азия даму банкінің сарапшылары Тәжікстанға барды.",
        "Министр иностранных дел России Сергей Лавров посетил Астану.",
    ]
    tokens = match.tokenise(lines)
    candidates = {c.name: c for c in find_candidates(tokens, match.find(tokens), line_languages(lines))}
    assert candidates["Садыр Жапаров"].kind == "Person"
    assert candidates["Садыр Жапаров"].near == {"country:kyrgyzstan"}
    assert candidates["Бішкек"].lines == {1}
    assert candidates["Азия даму банкі"].kind == "Organization"
    assert candidates["Сергей Лавров"].kind == "Person"
    countries = {c.proposed_id: c for c in candidates.values() if c.kind == "Country"}
    assert {"country:pakistan", "country:iran"} <= set(countries)


def test_candidates_across_sentences_written_with_spaced_punctuation(matcher):
    match, _ = matcher
    lines = [
        "Бұл жолы Павлодарда жаңа зауыт ашылды .",  # tokens and punctuation apart, as in KazNERD
        "Павлодарда жиын өтті , оған Бірлік Берікұлы Бекболат Базаров қатысты .",
        "Осыдан кейін делегация қайтты .",
    ]
    tokens = match.tokenise(lines)
    assert len({t.sentence for t in tokens}) == 3
    names = {c.name for c in find_candidates(tokens, match.find(tokens), line_languages(lines))}
    assert {"Павлодар", "Бірлік Берікұлы", "Бекболат Базаров"} <= names
    assert not names & {"Бұл", "Осыдан"}  # common words opening a sentence


def test_language_detection():
    assert detect_language(["Қазақстан мен Өзбекстан арасындағы қатынас."]) == "kk"
    assert detect_language(["Отношения между Казахстаном и Узбекистаном."]) == "ru"
    assert detect_language(["Relations between Kazakhstan and Uzbekistan."]) == "en"


# --------------------------------------------------------------------------- the CLI


def test_ingest_writes_a_draft_that_validate_refuses_until_reviewed(tmp_path):
    draft = tmp_path / "data" / "news" / "80-news.yaml"
    result = actorgraph("ingest", str(NEWS), "-o", str(draft), "--data", str(ARTICLE_DATA))
    assert result.returncode == 0, result.stderr
    assert "known nodes" in result.stdout
    text = draft.read_text(encoding="utf-8")
    assert "source: source:news-kk" in text
    assert 'title_kk: "Қазақстан мен Өзбекстан арасындағы жаңа кезең"' in text
    assert "from: person:shavkat-mirziyoyev, type: MENTIONED_IN, to: source:news-kk, line: 3" in text
    assert 'name: "Садыр Жапаров"' in text
    # validate names every open candidate and suggestion at its line of the draft
    (tmp_path / "data" / "sources").mkdir()
    (tmp_path / "data" / "sources" / NEWS.name).write_bytes(NEWS.read_bytes())
    shutil.copytree(ARTICLE_DATA / "kz-uz-relations", tmp_path / "data" / "article")
    result = actorgraph("validate", "--data", str(tmp_path / "data"))
    assert result.returncode == 2
    problems = [line for line in result.stderr.splitlines() if "80-news.yaml:" in line]
    candidate = next(p for p in problems if "unreviewed candidate 'Садыр Жапаров'" in p)
    line = int(candidate.split(":")[1])
    assert text.splitlines()[line - 1].strip() == '- name: "Садыр Жапаров"'
    assert any(
        "suggestions: unreviewed suggestion 'person:shavkat-mirziyoyev' -> 'country:uzbekistan'" in p for p in problems
    )
    assert all(": candidates: " in p or ": suggestions: " in p for p in problems), problems
    # a second text can be ingested while the first draft is under review: its names are left out
    second = tmp_path / "second.yaml"
    result = actorgraph(
        "ingest", str(NEWS), "-o", str(second), "--source-id", "source:news-2", "--data", str(tmp_path / "data")
    )
    assert result.returncode == 0, result.stderr
    assert "80-news.yaml is still under review: its names are not used" in result.stderr
    assert "from: person:shavkat-mirziyoyev, type: MENTIONED_IN, to: source:news-2" in second.read_text(
        encoding="utf-8"
    )


def test_ingest_never_overwrites_without_force(tmp_path):
    target = tmp_path / "existing.yaml"
    target.write_text("# curated by hand\n", encoding="utf-8")
    small = ("--data", str(MINI_DATA))  # the small fixture graph: quicker to load than the article's
    result = actorgraph("ingest", str(NEWS), "-o", str(target), *small)
    assert result.returncode == 2
    assert f"{target} exists; pass --force" in result.stderr
    assert target.read_text(encoding="utf-8") == "# curated by hand\n"
    result = actorgraph("ingest", str(NEWS), "-o", str(target), "--force", *small)
    assert result.returncode == 0, result.stderr
    assert "MENTIONED_IN" in target.read_text(encoding="utf-8")


def test_ingest_default_output_is_beside_the_user_not_in_data(tmp_path):
    result = actorgraph(
        "ingest",
        str(NEWS),
        "--language",
        "kk",
        "--source-id",
        "source:news-2024",
        "--data",
        str(MINI_DATA),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "news-kk.draft.yaml").read_text(encoding="utf-8")
    assert "source: source:news-2024" in text and "language: kk" in text


def test_ingest_a_text_with_no_known_actor_gives_an_empty_draft_that_says_why(tmp_path):
    out = tmp_path / "empty.yaml"
    result = actorgraph("ingest", str(NO_ACTOR), "-o", str(out), "--data", str(MINI_DATA))
    assert result.returncode == 0, result.stderr
    assert "no node of the graph is named in this text" in result.stderr
    text = out.read_text(encoding="utf-8")
    assert "# NOTE: no node of the graph is named in this text" in text
    assert "relations: []" in text


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "the file is empty"),
        ("blank.txt", b"  \n\n \n", "only white space"),
        ("binary.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL bytes: this is a binary file"),
        (
            "cp1251.txt",
            "Токаев прибыл в Ташкент с визитом.\n".encode("cp1251"),
            "not UTF-8 (byte 0xd2); save it as UTF-8. It looks like CP1251",
        ),
        ("utf16.txt", "Токаев\n".encode("utf-16"), "is UTF-16; save it as UTF-8"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    out = tmp_path / "draft.yaml"
    result = actorgraph("ingest", str(path), "-o", str(out))
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_a_200_megabyte_line_is_refused_quickly(tmp_path):
    path = tmp_path / "one-line.txt"
    with path.open("wb") as stream:
        block = "Қазақстан ".encode() * 52_429  # about 1 MB
        for _ in range(200):
            stream.write(block)
    out = tmp_path / "draft.yaml"
    result = actorgraph("ingest", str(path), "-o", str(out), timeout=60)
    assert result.returncode == 2
    assert "one-line.txt:1: the line is longer than 1,000,000 bytes" in result.stderr
    assert not out.exists()


def test_bad_options(tmp_path):
    result = actorgraph("ingest", str(NEWS), "--source-id", "news", "-o", str(tmp_path / "x.yaml"))
    assert result.returncode == 2 and "expected source:SLUG" in result.stderr
    result = actorgraph("ingest", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "x.yaml"))
    assert result.returncode == 2 and "no such file" in result.stderr
    result = actorgraph(
        "ingest", str(NEWS), "--source-id", "source:mini", "-o", str(tmp_path / "x.yaml"), "--data", str(MINI_DATA)
    )
    assert result.returncode == 2 and "already has a node 'source:mini'" in result.stderr
    assert not (tmp_path / "x.yaml").exists()
