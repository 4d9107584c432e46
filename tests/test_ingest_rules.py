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
        ("Қазалы ауданында жаңа көпір салынды .", "Қазалы ауданы"),  # a place in -лы; a region keeps its word
        ("Атырауда жаңа зауыт ашылды .", "Атырау"),  # pymorphy knows it as a place, not a common noun
        ("Семейде жиын өтті .", "Семей"),  # a Russian common word only in an oblique case
        ("Берікұлы сөз сөйледі .", "Берікұлы"),  # a surname in -ұлы
        ("Қазақ ұлттық университетінің ғалымдары келді .", "Қазақ ұлттық университеті"),  # ethnonym opens the name
    ],
)
def test_names_opening_a_kazakh_sentence_are_still_candidates(matcher, line, name):
    assert name in candidates(matcher, line)


def test_russian_titles_in_any_case_are_not_names(matcher):
    found = candidates(matcher, "Визит Президента Республики Беларусь прошёл спокойно.", "Речь Председателя Сената.")
    assert not any(word in name for name in found for word in ("Президента", "Председателя"))


def test_a_lone_russian_adjective_is_no_name_but_a_name_beside_it_is(matcher):
    found = candidates(matcher, "Развитие Центральноазиатского сотрудничества обсудили в Душанбе.")
    assert "Душанбе" in found
    assert not any("Центральноазиатск" in name for name in found)


def test_a_plural_adjective_and_plural_head_name_no_organisation(matcher):
    found = candidates(matcher, "Итальянские компании открыли офисы.", "Всемирный банк открыл офис.")
    assert not any("компании" in name for name in found)
    assert found["Всемирный банк"].kind == "Organization"  # a singular head still names one


@pytest.mark.parametrize(
    "line, name",
    [
        ("Дочь политика Гульнара Каримова дала интервью.", "Гульнара Каримова"),  # a woman keeps her ending
        ("Победу одержала партия Садыра Жапарова.", "Садыр Жапаров"),  # a man in the genitive
        ("Интервью Натальи Ивановой вышло вчера.", "Наталья Иванова"),  # a woman in the genitive
        ("С министром встретился Бахтиёр Саидов.", "Бахтиер Саидов"),  # not read as the plural of Саид
    ],
)
def test_russian_person_names_are_shown_in_the_nominative_of_their_gender(matcher, line, name):
    found = candidates(matcher, line)
    assert found[name].kind == "Person"


def test_a_hyphenated_russian_name_keeps_its_capitals(matcher):
    assert "Иссык-Куль" in candidates(matcher, "Отдых на берегу Иссык-Куля подорожал.")


# Rules added after the fresh set was run (it is development data now) and before the unseen
# set (unseen_*) is run: one test or more per rule, each with sentences of our own.


@pytest.mark.parametrize(
    "line, name, not_name",
    [
        ("Саясаттанушы Досым Сәтпаев сайлау туралы жазды .", "Досым Сәтпаев", "Саясаттанушы"),  # a profession in -шы
        ("Журналист Гүлнар Бажкенова сұхбат берді .", "Гүлнар Бажкенова", "Журналист"),  # a profession from a list
        (
            "Председатель Сената Маулен Ашимбаев открыл сессию.",
            "Маулен Ашимбаев",
            "Сената",
        ),  # a body before a first name
        ("Глава ГКНБ Камчыбек Ташиев выступил.", "Камчыбек Ташиев", "ГКНБ"),  # an abbreviation before a name
        ("ГКНБ Камчыбек Ташиевтің сөзін жариялады .", "Камчыбек Ташиев", "ГКНБ"),  # the same in Kazakh
    ],
)
def test_titles_professions_and_abbreviations_come_off_the_front_of_a_name(matcher, line, name, not_name):
    found = candidates(matcher, line)
    assert name in found
    assert not any(not_name in other.split() for other in found if other != not_name.rstrip("а"))


def test_the_body_before_a_russian_first_name_is_a_name_of_its_own(matcher):
    found = candidates(matcher, "Председатель Сената Маулен Ашимбаев открыл сессию.")
    assert "Сенат" in found


@pytest.mark.parametrize(
    "line, name",
    [
        ("Қытайдың CNPC компаниясы құбыр салады .", "CNPC"),  # Kazakh: the classifier after a Latin name
        ("«Самұрық-Қазына» қоры акцияларын сатады .", "Самұрық-Қазына"),  # after a quoted name
        ("Жапонияның JICA агенттігі несие берді .", "JICA"),  # an agency
        ("Ресейлік Газпром компаниясы газ жеткізеді .", "Газпром"),  # and the adjective before it goes too
        ("Фонд «Самрук-Казына» продаст акции.", "Самрук-Казына"),  # Russian: the classifier before the name
        ("Госкорпорация Росатом построит станцию.", "Росатом"),
    ],
)
def test_a_classifier_beside_a_name_is_no_part_of_it(matcher, line, name):
    found = candidates(matcher, line)
    assert name in found
    assert found[name].kind == "Organization"


@pytest.mark.parametrize(
    "line, name",
    [
        ("Халықаралық валюта қоры болжамын жариялады .", "Халықаралық валюта қоры"),  # the fund is what it is called
        ("Международный валютный фонд снизил прогноз.", "Международный валютный фонд"),
        ("Грант выдал Фонд Сороса.", "Фонд Сороса"),  # a Russian genitive after the classifier: someone's fund
        ("Колледж Гарриман университетінің жанында .", "Гарриман университеті"),  # an institution keeps its noun
        ("Еуропалық комиссияның өкілі келді .", "Еуропалық комиссия"),  # a commission is an institution
    ],
)
def test_an_institution_or_a_name_built_with_its_noun_keeps_the_noun(matcher, line, name):
    assert name in candidates(matcher, line)


def test_a_capitalised_institution_named_after_a_known_person_is_a_new_name_not_the_person(matcher, tmp_path):
    from actorgraph.ingest import ingest

    text = tmp_path / "t.txt"
    text.write_text(
        "Назарбаев Университетінің ғалымдары зерттеу бастады .\nНазарбаев үкіметі отставкаға кетті .\n",
        encoding="utf-8",
    )
    dataset = load_dataset(ARTICLE_DATA)
    matcher, nodes = build_matcher(*known_from_dataset(dataset))
    draft = ingest(text, matcher, nodes, language="kk")
    assert draft.mentions.get("person:nursultan-nazarbayev") == [2]  # his government is still about him
    assert any(c.name == "Назарбаев Университеті" for c in draft.candidates)


@pytest.mark.parametrize(
    "line, name",
    [
        ("Урсула фон дер Ляйен Астанаға келді .", "Урсула фон дер Ляйен"),
        ("С ним встретилась Урсула фон дер Ляйен.", "Урсула фон дер Ляйен"),
        ("He met Ursula von der Leyen in Brussels.", "Ursula von der Leyen"),
        ("Министр принял Абдаллу бин Заида.", "Абдалла бин Заид"),
    ],
)
def test_lower_case_particles_inside_a_persons_name_belong_to_it(matcher, line, name):
    found = candidates(matcher, line)
    assert name in found or any(name.split()[-1][:4] in n and " " in n for n in found), found


def test_a_kazakh_particle_between_two_names_joins_nothing(matcher):
    found = candidates(matcher, "Ақтау да Атырау да жаңа мектептер салады .")
    assert not any(" да " in name for name in found)


@pytest.mark.parametrize(
    "lines, name",
    [
        (["Анкарада келіссөздер өтті ."], "Анкара"),  # a CLDR city, in a case form, opening a sentence
        (["Қарағандыда форум өтті .", "Делегация Қарағандыға барды ."], "Қарағанды"),  # capitalised elsewhere
        (["Сенат төрағасы делегацияны қабылдады ."], "Сенат"),  # "the chairman of X": X is a body
    ],
)
def test_a_single_name_opening_a_kazakh_sentence_is_proposed(matcher, lines, name):
    assert name in candidates(matcher, *lines)


@pytest.mark.parametrize(
    "line",
    [
        "Қалада жаңа мектеп ашылды .",  # "in the city": a common noun in a case form
        "Келгенде бәрі дайын болды .",  # a participle in a case form
        "Барады ма , жоқ па , белгісіз .",  # a verb
    ],
)
def test_common_kazakh_words_in_a_case_form_opening_a_sentence_are_still_no_names(matcher, line):
    assert candidates(matcher, line) == {}


def test_a_russian_name_stretches_to_a_region_word_but_not_over_a_verb(matcher):
    found = candidates(matcher, "Сель прошёл в Баткенской области.", "В Оше открылся приграничный торговый центр.")
    assert "Баткенская область" in found
    assert found["Баткенская область"].kind == "Place"
    assert "Ош" in found or "Оше" in found
    assert not any("центр" in name for name in found)


def test_a_one_letter_name_closing_a_line_ends_the_name(matcher):
    found = candidates(matcher, "Министр встретился с главой МИД Ван И.", "Национальный банк повысил ставку.")
    assert "Ван И" in found
    assert not any("Национальн" in name and "Ван" in name for name in found)


def test_an_initial_closing_a_line_before_a_known_surname_still_finds_it(matcher, tmp_path):
    from actorgraph.ingest import ingest

    text = tmp_path / "t.txt"
    text.write_text("Сапар барысында Президент Т.\nТоқаев сөз сөйледі .\n", encoding="utf-8")
    dataset = load_dataset(ARTICLE_DATA)
    matcher, nodes = build_matcher(*known_from_dataset(dataset))
    assert ingest(text, matcher, nodes, language="kk").mentions.get("person:kassym-jomart-tokayev")


@pytest.mark.parametrize(
    "line",
    [
        "Отандық сарапшы жаңа баяндама жазды .",  # a profession without the possessive: no "chairman of"
        "Екі компанияның ынтымақтастығы өсті .",  # a numeral before a classifier
    ],
)
def test_an_adjective_or_numeral_before_a_kazakh_common_noun_is_no_name(matcher, line):
    assert candidates(matcher, line) == {}


def test_a_name_ending_like_a_profession_inside_a_sentence_is_still_a_name(matcher):
    assert "Түрікменбашы" in candidates(matcher, "Кеше паром Түрікменбашы портына жетті .")


def test_a_region_word_joins_only_the_name_right_before_it(matcher):
    found = candidates(matcher, "На форуме в Караганде аким области выступил.")
    assert not any("аким" in name for name in found)


def test_a_known_person_before_another_known_name_is_still_found(matcher, tmp_path):
    from actorgraph.ingest import ingest

    text = tmp_path / "t.txt"
    text.write_text("Сарапшы Санат Күшкімбаев Орталық Азия туралы жазды .\n", encoding="utf-8")
    dataset = load_dataset(ARTICLE_DATA)
    matcher, nodes = build_matcher(*known_from_dataset(dataset))
    assert ingest(text, matcher, nodes, language="kk").mentions.get("person:sanat-kushkumbayev") == [1]


# Rules added after the unseen set's run, each from a miss read there (the holdout set was
# committed before them). The sentences here are our own and used nowhere else.


def _ingest(tmp_path, text: str, language: str):
    from actorgraph.ingest import ingest

    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    dataset = load_dataset(ARTICLE_DATA)
    matcher, nodes = build_matcher(*known_from_dataset(dataset))
    return ingest(path, matcher, nodes, language=language)


@pytest.mark.parametrize(
    "line",
    [
        "Сапар соңында Ташкентте Тоқаевпен келіссөз жүргізілді .",  # a known place in a case form
        "Өткен аптада Варшавада Тоқаевпен кездесу өтті .",  # a CLDR city in a case form
    ],
)
def test_a_case_form_of_a_place_before_a_surname_is_no_first_name(tmp_path, line):
    draft = _ingest(tmp_path, line + "\n", "kk")
    assert draft.mentions.get("person:kassym-jomart-tokayev") == [1]


def test_a_first_name_before_a_known_surname_still_means_another_person(tmp_path):
    draft = _ingest(tmp_path, "Кеше Дильноза Мирзиёева Самарқандта сөйледі .\n", "kk")
    assert "person:shavkat-mirziyoyev" not in draft.mentions


def test_a_web_name_is_one_word_and_a_name(matcher):
    tokens = tokenise(["Кеше Orda.kz сайты жариялады . Tengrinews.kz."])
    assert [t.text for t in tokens][:2] == ["Кеше", "Orda.kz"]
    assert tokens[-1].text == "Tengrinews.kz" and tokens[-1].sentence == tokens[1].sentence + 1
    found = candidates(matcher, "Кеше Orda.kz сайты мақала жариялады .", "Zakon.kz компаниясы жаңа бөлім ашты .")
    assert found["Orda.kz"].kind == "Organization"
    assert "Zakon.kz" in found


@pytest.mark.parametrize(
    ("text", "language", "place", "name"),
    [
        ("Қостанай облысында жаңа зауыт ашылды .", "kk", "place:kostanay", "Қостанай облысы"),
        ("Өзбекстан темір жолдары жаңа вагондар сатып алды .", "kk", "country:uzbekistan", "Өзбекстан темір жолдары"),
        ("Кеше Еуропа Кеңесінің делегациясы келді .", "kk", "place:europe", "Еуропа Кеңесі"),
        (
            "Доклад подготовил Институт истории Узбекистана .",
            "ru",
            "country:uzbekistan",
            "Институт истории Узбекистана",
        ),
    ],
)
def test_a_known_place_inside_a_longer_name_is_no_mention_and_the_name_a_candidate(
    tmp_path, text, language, place, name
):
    draft = _ingest(tmp_path, text + "\n", language)
    assert place not in draft.mentions
    if name:
        assert name in {c.name for c in draft.candidates}


@pytest.mark.parametrize(
    ("text", "language", "place"),
    [
        ("Қазақстанның Ұлттық банкі жаңа теңге шығарды .", "kk", "country:kazakhstan"),  # a genitive: the country
        ("Қостанай арасындағы жол жөнделді .", "kk", "place:kostanay"),  # a case form between: no name
        ("Президент Казахстана выступил в Совете .", "ru", "country:kazakhstan"),  # a title, not an institution
        ("Глава национального банка Узбекистана выступил .", "ru", "country:uzbekistan"),  # lower case: no name
    ],
)
def test_a_known_place_beside_a_common_head_noun_is_still_a_mention(tmp_path, text, language, place):
    assert _ingest(tmp_path, text + "\n", language).mentions.get(place) == [1]


def test_a_kazakh_region_word_joins_only_with_its_possessive(matcher):
    found = candidates(matcher, "Кеше Павлодарда облыс басшылары жиналды .", "Жамбыл облысына жаңа әкім келді .")
    assert "Павлодар" in found and not any("облыс" in name and "Павлодар" in name for name in found)
    assert "Жамбыл облысы" in found


def test_a_whole_city_name_ending_like_a_case_is_no_case_form(matcher):
    found = candidates(matcher, "Кеше Қызылорда гуманитарлық университеті жаңа корпус ашты .")
    assert "Қызылорда гуманитарлық университеті" in found


def test_a_plural_title_inside_a_body_is_part_of_its_name(matcher):
    found = candidates(matcher, "Кеше Беларусь Министрлер Кеңесінің отырысы өтті .")
    assert "Министрлер Кеңесі" in found


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Кеше Ақтөбеден Орынборға жүк жеткізілді .", {"Ақтөбе", "Орынбор"}),  # a case form ends a name
        ("Сарапшы Жанар Сейіт Конституциялық кеңестің шешімін сынады .", {"Жанар Сейіт", "Конституциялық кеңес"}),
    ],
)
def test_a_case_form_or_an_adjective_starts_a_new_name_in_a_kazakh_run(matcher, line, names):
    assert names <= set(candidates(matcher, line))


def test_bas_before_a_title_is_part_of_the_title(matcher):
    found = candidates(matcher, "Кеше ЮНИСЕФ Бас директоры Кэтрин Рассел келді .")
    assert "ЮНИСЕФ" in found and "Кэтрин Рассел" in found


def test_kazakh_da_inside_a_long_persons_name_joins_it(matcher):
    found = candidates(matcher, "Кеше экономист Жуан Карлус да Силвейра баяндама жасап , сұраққа жауап берді .")
    assert found["Жуан Карлус да Силвейра"].kind == "Person"


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Качканарский горно-обогатительный комбинат выпустил отчёт .", "Качканарский горно-обогатительный комбинат"),
        ("Акционеры Карачаганакского нефтяного консорциума собрались .", "Карачаганакский нефтяной консорциум"),
        ("Кеше Жоғарғы сот шешім шығарды .", "Жоғарғы сот"),
    ],
)
def test_more_head_nouns_and_hyphenated_words_stay_whole(matcher, line, name):
    assert name in candidates(matcher, line)


def test_english_region_and_inner_particles(matcher):
    found = candidates(matcher, "Floods hit Sughd province last spring .", "Ships sailed to Bandar-e-Abbas last week .")
    assert "Sughd" in found and "Bandar-e-Abbas" in found


# Rules added after the holdout set's run, each from a miss read there or left in the unseen
# set (the holdout2 set was committed before them). Sentences our own, used nowhere else.


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Кеше Вьетнам Премьері Фам Минь Тинь Ханойда болды .", "Фам Минь Тинь"),  # Премьер + possessive
        ("Vietnamese Premier Pham Minh Chinh visited Hanoi .", "Pham Minh Chinh"),
        ("Кеше US Secretary of State Antony Blinken flew home .", "Antony Blinken"),  # State is the title's
    ],
)
def test_premier_and_secretary_of_state_are_titles_not_names(matcher, line, name):
    assert name in candidates(matcher, line)


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Кеше Ұлттық ұланның әскерилері жаттығу өткізді .", "Ұлттық ұлан"),
        ("Вчера Национальной гвардией командовал генерал .", "Национальная гвардия"),
        ("Маркетплейс Ozon открыл склад под Павлодаром .", "Ozon"),  # a classifier, as компания
        ("Кеше Ozon маркетплейсі Павлодарда қойма ашты .", "Ozon"),
        ("The Eurasian Resources Group opened a plant .", "Eurasian Resources Group"),
    ],
)
def test_guard_marketplace_and_group_are_head_nouns(matcher, line, name):
    found = candidates(matcher, line)
    assert name in found and found[name].kind == "Organization"


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Chevron подписала соглашение с Казахстаном .", "Chevron"),  # no Russian sentence opens with a Latin word
        ("Корейская Samsung открыла завод в Ташкенте .", "Samsung"),  # the adjective says where it is from
        ("Eni компаниясы Қазақстанда жаңа кен орнын игереді .", "Eni"),
    ],
)
def test_latin_brands_in_cyrillic_lines(matcher, line, name):
    found = candidates(matcher, line)
    assert name in found and found[name].kind == "Organization"
    assert not any(other != name and name in other for other in found)  # not "Корейская Samsung"


def test_a_known_surname_after_another_persons_name_is_still_found(matcher):
    tokens = matcher.tokenise(["Кеше Антони Блинкен Тоқаевпен кездесті ."])
    ids = {node_id for match in matcher.find(tokens) for node_id in match.spelling.node_ids}
    assert "person:kassym-jomart-tokayev" in ids


def test_a_different_first_name_before_a_known_surname_is_still_another_person(matcher):
    tokens = matcher.tokenise(["Кеше Гүлнар Тоқаева сөйледі ."])
    ids = {node_id for match in matcher.find(tokens) for node_id in match.spelling.node_ids}
    assert "person:kassym-jomart-tokayev" not in ids


@pytest.mark.parametrize(
    ("text", "language", "place", "name"),
    [
        ("Кеше Air Astana компаниясы жаңа ұшақ сатып алды .", "kk", "place:nur-sultan", "Air Astana"),
        ("Flights of Air Astana resumed .", "en", "place:nur-sultan", "Air Astana"),
        ("Floods hit villages in West Kazakhstan .", "en", "country:kazakhstan", "West Kazakhstan"),
        ("Компания Air Astana купила самолёты .", "ru", "place:nur-sultan", "Air Astana"),
    ],
)
def test_a_known_place_after_a_capitalised_latin_word_is_part_of_a_longer_name(tmp_path, text, language, place, name):
    draft = _ingest(tmp_path, text + "\n", language)
    assert place not in draft.mentions
    assert name in {c.name for c in draft.candidates}


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("From Astana the delegation flew home .", "place:nur-sultan"),
        ("Neighbouring Uzbekistan agreed .", "country:uzbekistan"),
        ("President Tokayev visited Tashkent .", "place:tashkent"),
    ],
)
def test_an_ordinary_english_word_before_a_known_place_leaves_it_a_mention(tmp_path, text, place):
    assert _ingest(tmp_path, text + "\n", "en").mentions.get(place) == [1]


def test_us_is_the_united_states(tmp_path):
    draft = _ingest(tmp_path, "The US and Kazakhstan signed a deal .\n", "en")
    assert draft.mentions.get("country:usa") == [1]


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Комбинат в Лисаковском районе закрыт , а завод в Рудном работает .", {"Рудный"}),  # a town by an adjective
        ("Мэр Самары Иван Петров подписал соглашение .", {"Самара", "Иван Петров"}),  # a town, then its mayor
        ("Speaker of the State Duma Ivan Petrov spoke .", {"State Duma", "Ivan Petrov"}),  # a body, then a person
        ("Председатель Жогорку Кенеша Иван Петров выступил .", {"Иван Петров"}),
    ],
)
def test_a_town_or_body_before_a_person_is_a_name_of_its_own(matcher, line, names):
    found = candidates(matcher, line)
    assert names <= set(found)
    assert not any(len(name.split()) > 2 and "Петров" in name for name in found)


def test_a_russian_adjective_before_a_noun_is_still_no_town(matcher):
    assert candidates(matcher, "Форум прошёл в Центральноазиатском регионе .") == {}


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Chevron runs the field near Tengiz .", "Chevron"),
        ("Lukoil increased its output .", "Lukoil"),
        ("Gazprom will build a pipeline .", "Gazprom"),
    ],
)
def test_an_english_sentence_opened_by_one_name_and_a_verb(matcher, line, name):
    assert name in candidates(matcher, line)


@pytest.mark.parametrize(
    "line",
    [
        "New approaches to cooperation were found .",  # a plural after an adjective
        "Uzbek officials met .",  # an adjective of nationality
        "Officials said it .",  # a plural
        "Key words : trade , region .",
    ],
)
def test_english_common_words_opening_a_sentence_are_no_candidates(matcher, line):
    assert candidates(matcher, line) == {}


def test_a_kazakh_adjective_before_a_title_is_no_name_but_a_place_in_dyk_is(matcher):
    found = candidates(matcher, "Кеше АҚШ Мемлекеттік хатшысы келді , ал пойыз Достық станциясына жетті .")
    assert "Мемлекеттік" not in found and "Достық" in found


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Вчера ОАО «Уральские авиалинии» открыло рейс в Ташкент .", "Уральские авиалинии"),
        ("Вчера ПАО « Северная верфь » спустило судно .", "Северная верфь"),  # the marks apart
    ],
)
def test_a_quoted_name_of_a_few_words_beside_a_legal_form_is_one_name(matcher, line, name):
    found = candidates(matcher, line)
    assert name in found and found[name].kind == "Organization"
    assert not {"ОАО", "ПАО"} & set(found)  # the legal form is no name


def test_a_quote_of_a_few_words_without_a_legal_form_is_read_as_before(matcher):
    tokens = tokenise(["Ол «Рухани жаңғыру» бағдарламасы туралы айтты ."])
    assert [t.quote_words for t in tokens if t.quote] == [2]
    assert "Рухани" not in candidates(matcher, "Ол «Рухани жаңғыру» бағдарламасы туралы айтты .")
