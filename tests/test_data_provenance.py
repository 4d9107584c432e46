"""Checked, not trusted: the article's data against the article's own text.

Reads every YAML file under data/ directly (independently of the loader) and the
source text from ../shared/sources, and proves for every fact drawn from the article
(`source: source:kz-uz-relations`), reporting every offender with its file and id, that:
- every node and relationship has source, line and an evidence phrase of at most 12
  words that occurs verbatim (white space normalised) on that line;
- every alias of a person or organization occurs in the text, or is documented: a
  Latin-script transliteration, the node's own Kazakh or Russian name, or one of the
  standard Russian forms listed in DOCUMENTED_RUSSIAN_FORMS (other Cyrillic spellings
  must come from the text);
- no paraphrase (`text`, `description`, `note`, `caveat`) repeats 8 or more consecutive words of
  the article;
- the Source node's sha256 is the text's.
"""

from __future__ import annotations

import hashlib
import re

import pytest
from conftest import ARTICLE_DATA, SHARED_SOURCES
from ruamel.yaml import YAML

ARTICLE = SHARED_SOURCES / "000_1c9682e6c6472fdb.txt"
#: The Source node every fact drawn from the article names in its `source`.
ARTICLE_SOURCE_ID = "source:kz-uz-relations"
LATIN = re.compile(r"^[A-Za-z0-9 .,'’?:+()\-]+$")
WORD = re.compile(r"\w+", re.UNICODE)
PARAPHRASE_FIELDS = ("text", "description", "note", "caveat")
#: Standard Russian names and abbreviations users search by, documented here as transliterations.
DOCUMENTED_RUSSIAN_FORMS = {
    "ШОС",
    "СНГ",
    "ООН",
    "ОБСЕ",
    "МГУ",
    "КИСИ",
    "Тюркский совет",
    "Токаев",
    "Халык Банк",
    "Хёндэ",
    "ОТГ",  # Организация тюркских государств
    "Евросоюз",
    "Фонд Первого Президента",  # the short Russian name of the First President's Foundation
}
PEOPLE = {"Person", "Leader", "Researcher", "Journalist", "Diplomat", "Official"}
ORGANIZATIONS = {
    "Organization",
    "IntergovernmentalOrganization",
    "ThinkTank",
    "University",
    "Company",
    "Media",
    "Bank",
    "Government",
}


@pytest.fixture(scope="module")
def text_lines() -> list[str]:
    if not ARTICLE.is_file():
        pytest.skip(f"the article is not at {ARTICLE}; CI always has ../shared beside the checkout")
    return ARTICLE.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def records() -> list[tuple[str, str, dict]]:
    yaml = YAML(typ="safe")
    found = []
    for path in sorted(ARTICLE_DATA.rglob("*.yaml")):
        document = yaml.load(path.read_text(encoding="utf-8")) or {}
        default = document.get("source")
        for kind in ("nodes", "relations"):
            for record in document.get(kind) or []:
                record = {"source": default, **record}
                # Only facts drawn from this article are checked against its text.
                if record.get("source") in (ARTICLE_SOURCE_ID, None):
                    found.append((str(path.relative_to(ARTICLE_DATA)), kind, record))
    assert found, "no article data found"
    return found


def _where(name: str, record: dict) -> str:
    return f"{name}: {record.get('id') or (record.get('from'), record.get('type'), record.get('to'))}"


def test_every_fact_has_provenance_found_on_its_line(records, text_lines):
    squash = " ".join
    bad = []
    for name, _, record in records:
        evidence, line = record.get("evidence"), record.get("line")
        if not (record.get("source") and isinstance(line, int) and isinstance(evidence, str)):
            bad.append(f"{_where(name, record)}: missing provenance")
        elif len(evidence.split()) > 12:
            bad.append(f"{_where(name, record)}: evidence has {len(evidence.split())} words")
        elif not 1 <= line <= len(text_lines) or squash(evidence.split()) not in squash(text_lines[line - 1].split()):
            bad.append(f"{_where(name, record)}: evidence not on line {line}")
    assert not bad, "\n".join(bad)


def test_aliases_come_from_the_text_or_are_transliterations(records, text_lines):
    article = "\n".join(text_lines).casefold()
    article_squashed = " ".join(article.split())
    bad = []
    for name, kind, record in records:
        labels = set(record.get("labels") or [])
        if kind != "nodes" or not labels & (PEOPLE | ORGANIZATIONS):
            continue
        documented = {record.get("name"), record.get("name_kk"), record.get("name_ru")} | DOCUMENTED_RUSSIAN_FORMS
        for alias in record.get("aliases") or []:
            if LATIN.match(alias) or alias in documented:
                continue
            if " ".join(alias.casefold().split()) not in article_squashed:
                bad.append(
                    f"{_where(name, record)}: alias {alias!r} is neither in the text nor a Latin transliteration"
                )
    assert not bad, "\n".join(bad)


def test_paraphrases_do_not_copy_the_article(records, text_lines):
    words = [w.casefold() for w in WORD.findall("\n".join(text_lines))]
    grams = {tuple(words[i : i + 8]) for i in range(len(words) - 7)}
    bad = []
    for name, _, record in records:
        for field in PARAPHRASE_FIELDS:
            value = record.get(field)
            if not isinstance(value, str):
                continue
            own = [w.casefold() for w in WORD.findall(value)]
            if any(tuple(own[i : i + 8]) in grams for i in range(len(own) - 7)):
                bad.append(f"{_where(name, record)}: {field} repeats 8+ words of the article")
    assert not bad, "\n".join(bad)


def test_claims_are_paraphrased_with_stance_and_topic(records):
    claims = [
        (name, record) for name, kind, record in records if kind == "nodes" and "Claim" in record.get("labels", [])
    ]
    assert len(claims) >= 20
    bad = [
        f"{_where(name, claim)}: missing {field}"
        for name, claim in claims
        for field in ("text", "stance", "topic")
        if not claim.get(field)
    ]
    assert not bad, "\n".join(bad)


def test_source_node_matches_the_text(records):
    if not ARTICLE.is_file():
        pytest.skip("the article is not here")
    sources = [record for _, kind, record in records if kind == "nodes" and "Source" in record.get("labels", [])]
    assert len(sources) == 1
    assert sources[0]["file"] == ARTICLE.name
    assert sources[0]["sha256"] == hashlib.sha256(ARTICLE.read_bytes()).hexdigest()
