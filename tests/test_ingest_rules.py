"""Candidate rules added after the fresh evaluation set was committed, one test (or more) per rule.

Each rule came from a miss or a false candidate in the development data (the first and
held-out sets, the article, KazNERD sentences); the sentences here are our own.
"""

from __future__ import annotations

import pytest
from conftest import ARTICLE_DATA

from actorgraph.ingest import build_matcher, known_from_dataset
from actorgraph.ingest.candidates import find_candidates
from actorgraph.ingest.tokens import QUOTED_NAME, QUOTED_SENTENCE, line_languages, tokenise
from actorgraph.loaders import load_dataset


@pytest.fixture(scope="module")
def matcher():
    dataset = load_dataset(ARTICLE_DATA)
    return build_matcher(*known_from_dataset(dataset))[0]


def candidates(matcher, *lines: str) -> dict:
    tokens = matcher.tokenise(list(lines))
    return {c.name: c for c in find_candidates(tokens, matcher.find(tokens), line_languages(list(lines)))}


def test_a_quoted_sentence_opens_like_a_sentence_and_a_quoted_word_is_a_name():
    tokens = tokenise(
        [
            "Тұрғындар: « Пәтеріміз жылынбай , суық үйде отырмыз » , — деді .",
            "«Хабар» арнасы, « Аманат » партиясы, «Неге?» деген сұрақ, «Рухани жаңғыру» бағдарламасы .",
        ]
    )
    assert {t.text for t in tokens if t.quote == QUOTED_SENTENCE} == {"Пәтеріміз"}
    assert {t.text for t in tokens if t.quote == QUOTED_NAME} == {"Хабар", "Аманат"}


def test_a_common_word_opening_a_quote_is_no_candidate_and_a_quoted_word_opening_a_sentence_is(matcher):
    found = candidates(
        matcher,
        "Тұрғындар айтты : « Пәтеріміз жылынбай , суық үйде бүрісіп отырмыз » .",
        "« Аманат » партиясының өкілі сөйледі .",
    )
    assert not {"Пәтеріміз", "Пәтер"} & set(found)
    assert any(name.startswith("Аманат") for name in found)  # alone, or with the head noun after it


@pytest.mark.parametrize(
    "line",
    [
        "Тұрғындар жиналысқа келді .",  # a plural
        "Естеріңізде болса , жиын кеше өтті .",  # "your"
        "Еліміздің индустриялық орталығы жаңа зауыт салады .",  # "our" opening a run over lower-case words
        "Айтулы шараға көп адам қатысты .",  # an adjective in -лы
        "Белгілі болғандай , жиын кейінге қалды .",  # an adjective in -лі
        "Комиссия жұмысын аяқтады .",  # a Russian loanword the dictionary knows as a common noun
        "Әрбір үй жылытылады .",  # a determiner
        "Ұлы ақынның мерейтойы өтті .",  # ұлы alone is no surname
    ],
)
def test_kazakh_common_words_opening_a_sentence_are_no_candidates(matcher, line):
    assert candidates(matcher, line) == {}


@pytest.mark.parametrize(
    "line, name",
    [
        ("Қазалы ауданында жаңа көпір салынды .", "Қазалы"),  # a place in -лы, with its place word
        ("Атырауда жаңа зауыт ашылды .", "Атырау"),  # pymorphy knows it as a place, not a common noun
        ("Семейде жиын өтті .", "Семей"),  # a Russian common word only in an oblique case
        ("Берікұлы сөз сөйледі .", "Берікұлы"),  # a surname in -ұлы
        ("Қазақ ұлттық университетінің ғалымдары келді .", "Қазақ ұлттық университеті"),  # ethnonym opens the name
    ],
)
def test_names_opening_a_kazakh_sentence_are_still_candidates(matcher, line, name):
    assert name in candidates(matcher, line)
