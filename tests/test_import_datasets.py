"""`actorgraph import`: the standard data sets as data files, joined to the curated actors.

The inputs are the small hand-written tables in tests/fixtures/datasets (CSV), and the
same tables written as R data files with pyreadr, so both readers are exercised.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ARTICLE_DATA, SHARED_SOURCES, TESTS, actorgraph

TABLES = TESTS / "fixtures" / "datasets"
ORDER = (("cow-states", "cow_states"), ("gw-states", "gw_states"), ("archigos", "archigos"), ("atop", "atop_alliance"))


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def run_import(dataset: str, table: Path, out: Path) -> object:
    return actorgraph("import", dataset, str(table), "-o", str(out), "--data", str(ARTICLE_DATA))


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All four data sets imported from CSV into one folder, in dependency order."""
    out = tmp_path_factory.mktemp("imports")
    for dataset, stem in ORDER:
        result = run_import(dataset, TABLES / f"{stem}.csv", out)
        assert result.returncode == 0, result.stderr
    return out


def test_states_join_the_curated_countries_by_iso_code_and_keep_their_codes(imported: Path) -> None:
    cow = {r["id"]: r for r in records(imported / "cow-states.jsonl") if r["kind"] == "node"}
    source = cow.pop("source:cow-states-2016")
    assert source["sha256"] and source["citation"].startswith("Correlates of War Project")
    kazakhstan = cow["country:kazakhstan"]  # the article's node id, not a new one
    assert (kazakhstan["cow_code"], kazakhstan["iso3"], kazakhstan["line"]) == (705, "KAZ", 7)
    assert kazakhstan["evidence"] == "KZK 705 Kazakhstan 1991-12-26 2016-12-31"
    assert "country:mongolia" in cow and cow["country:mongolia"]["iso3"] == "MNG"  # not in the article: new node
    testland = cow["country:testland"]  # no ISO code, two membership periods
    assert "iso3" not in testland
    assert testland["periods"] == ["1950-01-01/1960-06-30", "1970-01-01/2016-12-31"]
    gw = {r["id"]: r for r in records(imported / "gw-states.jsonl") if r["kind"] == "node"}
    assert gw["country:russia"]["gw_code"] == 365  # "Russia (Soviet Union)" is Russia


def test_leaders_join_only_when_country_dates_and_name_agree(imported: Path, tmp_path: Path) -> None:
    rows = records(imported / "archigos.jsonl")
    people = {r["id"]: r for r in rows if r["kind"] == "node" and r["id"] != "source:archigos-4.1"}
    assert people["person:islam-karimov"]["archigos_id"] == "lead-0001"
    assert people["person:nursultan-nazarbayev"]["archigos_id"] == "lead-0002"  # spelled Nazarbaev there
    # a Karimov who led another country is a different person: his own node
    assert people["person:karimov-taj"]["archigos_id"] == "lead-0003"
    terms = [r for r in rows if r["kind"] == "relation" and r["from"] == "person:examplov-mon"]
    assert [(t["start"], t["end"], t["line"]) for t in terms] == [
        ("1990-03-01", "1992-01-01", 5),
        ("1996-01-01", "1997-01-01", 6),
    ]
    result = run_import("archigos", TABLES / "archigos.csv", tmp_path)  # no gw-states in this folder
    assert result.returncode == 2 and "run `actorgraph import gw-states" in result.stderr


def test_uncertain_joins_are_reported_not_made(imported: Path) -> None:
    from actorgraph.loaders.problems import display_path

    shutil.copy(imported / "gw-states.jsonl", imported.parent / "gw-states.jsonl")
    result = run_import("archigos", TABLES / "archigos.csv", imported.parent)
    assert result.returncode == 0, result.stderr
    assert "review: archigos TAJ-1992 Karimov: same name as person:islam-karimov" in result.stderr
    review = imported.parent / "archigos.review.txt"  # kept beside the output, for the reviewer
    assert f"1 to review, listed in {display_path(review)}" in " ".join(result.stdout.split())
    assert review.read_text(encoding="utf-8").splitlines() == [
        f"{display_path(TABLES / 'archigos.csv')}:4: archigos TAJ-1992 Karimov: same name as person:islam-karimov "
        "(Islam Karimov) but no term in the same country and years; not joined"
    ]
    assert (imported / "archigos.review.txt").read_bytes() == review.read_bytes()
    assert not (imported / "cow-states.review.txt").exists()  # nothing to review: no file


def test_the_imports_alone_validate_joining_what_two_data_sets_say_of_one_country(imported: Path) -> None:
    """cow-states and gw-states both define Kazakhstan: streamed alone, the folder is read in memory and joined."""
    from actorgraph.loaders import validate

    report = validate(imported)
    assert not report.streamed
    assert actorgraph("validate", "--data", str(imported)).returncode == 0


def test_atop_years_merge_into_periods_one_relationship_per_pair_and_obligation(imported: Path) -> None:
    alliances = [r for r in records(imported / "atop.jsonl") if r["kind"] == "relation"]
    kz_uz = {
        r["obligation"]: r for r in alliances if (r["from"], r["to"]) == ("country:kazakhstan", "country:uzbekistan")
    }
    assert set(kz_uz) == {"defense", "non-aggression", "consultation"}
    assert kz_uz["defense"]["periods"] == ["1992-1994", "1999-1999"]
    assert kz_uz["defense"]["years"] == [1992, 1993, 1994, 1999]
    assert kz_uz["consultation"]["periods"] == ["1992-1993"]
    assert (kz_uz["defense"]["line"], kz_uz["defense"]["evidence"]) == (2, "705 704 1992 atop_defense=1")
    assert len(alliances) == 3 + 3 + 1  # KZ->UZ, UZ->KZ, KZ->MN


def test_rda_input_gives_the_same_graph_and_reimport_is_byte_identical(imported: Path, tmp_path: Path) -> None:
    import pandas as pd
    import pyreadr

    out = tmp_path / "from-rda"
    for dataset, stem in ORDER:
        frame = pd.read_csv(TABLES / f"{stem}.csv")
        pyreadr.write_rdata(str(tmp_path / f"{stem}.rda"), frame, df_name=stem)
        assert run_import(dataset, tmp_path / f"{stem}.rda", out).returncode == 0
    first = (out / "atop.jsonl").read_bytes()
    assert run_import("atop", tmp_path / "atop_alliance.rda", out).returncode == 0
    assert (out / "atop.jsonl").read_bytes() == first

    def facts(path: Path) -> set[tuple]:  # everything but the file-specific provenance
        return {
            (r.get("id"), r.get("from"), r.get("to"), r.get("start"), r.get("end"), r.get("obligation"))
            for r in records(path)
        }

    for dataset, _ in ORDER:
        assert facts(out / f"{dataset}.jsonl") == facts(imported / f"{dataset}.jsonl")


@pytest.mark.parametrize(
    ("dataset", "content", "expected"),
    [
        ("archigos", "a,b\n1,2\n", "archigos.csv:1: columns: this is not the archigos data set: missing obsid"),
        (
            "cow-states",
            "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday\nKZK,seven,Kazakhstan,1991,12,26,2016,12,31\n",
            "cow-states.csv:2: ccode: expected a whole-number state code, got 'seven'",
        ),
        (
            "gw-states",
            "gwcode,stateabb,statename,startdate,enddate\n705,KZK,Kazakhstan,1991-13-45,2017-12-31\n",
            "gw-states.csv:2: startdate: expected a date as YYYY-MM-DD, got '1991-13-45'",
        ),
        (
            "atop",
            "ccode1,ccode2,year,atop_defense,atop_offense,atop_neutral,atop_nonagg,atop_consul\n705,4242,1992,1,0,0,0,0\n",
            "atop.csv:2: ccode2: unknown state code 4242 (not in the cow-states import)",
        ),
    ],
)
def test_bad_input_names_file_row_and_column_and_writes_nothing(
    imported: Path, tmp_path: Path, dataset: str, content: str, expected: str
) -> None:
    out = tmp_path / "out"
    shutil.copytree(imported, out)
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    bad = tmp_path / f"{dataset if dataset != 'archigos' else 'archigos'}.csv"
    bad.write_text(content)
    result = run_import(dataset, bad, out)
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before


def test_a_truncated_rda_file_is_refused_cleanly(tmp_path: Path) -> None:
    import pandas as pd
    import pyreadr

    whole = tmp_path / "whole.rda"
    pyreadr.write_rdata(str(whole), pd.read_csv(TABLES / "cow_states.csv"), df_name="cow_states")
    cut = tmp_path / "cow_states.rda"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    result = run_import("cow-states", cut, tmp_path / "out")
    assert result.returncode == 2
    assert "cow_states.rda:0: file: cannot read it as an R data file" in result.stderr
    assert not (tmp_path / "out" / "cow-states.jsonl").exists()


@pytest.mark.skipif(not SHARED_SOURCES.is_dir(), reason="the article's text (../shared/sources) is not here")
def test_build_loads_the_article_and_the_imports_as_one_graph(
    imported: Path, engine_name: str, engine_cli_args: list[str]
) -> None:
    built = actorgraph("build", "-q", "--data", str(ARTICLE_DATA), "--data", str(imported), *engine_cli_args)
    assert built.returncode == 0, built.stderr
    query = (
        "MATCH (p:Person {id: 'person:islam-karimov'})-[r:LEADS]->(c:Country) "
        "RETURN c.id AS country, c.cow_code AS cow, c.gw_code AS gw, r.source AS source, r.start AS start "
        "ORDER BY source"
    )
    answer = actorgraph("query", query, "-f", "json", *engine_cli_args)
    assert answer.returncode == 0, answer.stderr
    rows = json.loads(answer.stdout)
    assert [(r["country"], r["cow"], r["gw"], r["source"]) for r in rows] == [
        ("country:uzbekistan", 704, 704, "source:archigos-4.1"),
        ("country:uzbekistan", 704, 704, "source:kz-uz-relations"),
    ]
    assert rows[0]["start"] == "1990-03-24"
    one = actorgraph("query", "MATCH (c:Country {iso3: 'KAZ'}) RETURN count(c) AS n", "-f", "json", *engine_cli_args)
    assert json.loads(one.stdout) == [{"n": 1}]

    def ask(*args: str) -> list[dict]:
        result = actorgraph("ask", *args, "-f", "json", *engine_cli_args)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    terms = ask("terms", "-p", "country=Өзбекстан")
    assert [(t["leader"], t["source"]) for t in terms][:2] == [
        ("Islam Karimov", "source:archigos-4.1"),
        ("Islam Karimov", "source:kz-uz-relations"),
    ]
    before_1990 = ask("terms", "-p", "country=Uzbekistan", "-p", "to=1989")  # an open start may be earlier
    assert [(t["leader"], t["source"], t["start"]) for t in before_1990] == [
        ("Islam Karimov", "source:kz-uz-relations", None)
    ]
    conflicts = ask("source_conflicts", "-p", "country=Uzbekistan")
    assert [(c["leader"], c["field"], c["end_a"], c["end_b"]) for c in conflicts] == [
        ("Islam Karimov", "end", "2015-12-31", "2016")
    ]
    assert (conflicts[0]["line_a"], conflicts[0]["line_b"]) == (2, 16)
    alliances = ask("alliances", "-p", "a=Kazakhstan", "-p", "b=Uzbekistan")
    assert {(a["from"], a["obligation"], tuple(a["periods"])) for a in alliances} >= {
        ("Kazakhstan", "defense", ("1992-1994", "1999-1999"))
    }
    allies_1999 = ask("allies", "-p", "country=Kazakhstan", "-p", "year=1999")
    assert [(a["ally"], a["obligation"]) for a in allies_1999] == [
        ("Uzbekistan", "defense"),
        ("Uzbekistan", "non-aggression"),
    ]
    assert ask("allies", "-p", "country=Kazakhstan", "-p", "year=1995") == [  # a gap in the other periods
        {
            "ally": "Mongolia",
            "obligation": "consultation",
            "periods": ["1995-1995"],
            "source": "source:atop-5.0",
            "line": 7,
        }
    ]
    # each actor's degree counts the relationships of every source (graph/degrees.py), as the plain count does
    plain = actorgraph(
        "query",
        "MATCH (n:Actor)-[r]-() WHERE type(r) <> 'MENTIONED_IN' "
        "RETURN n.id AS id, count(r) AS relationships ORDER BY relationships DESC, id",
        "-f",
        "json",
        *engine_cli_args,
    )
    counted = {row["id"]: row["relationships"] for row in json.loads(plain.stdout)}
    stored = {row["id"]: row["relationships"] for row in ask("most_connected", "-p", "limit=10000")}
    assert stored == counted
    assert stored["country:uzbekistan"] > stored["country:mongolia"] > 0  # Mongolia comes from ATOP alone
