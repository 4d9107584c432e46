"""What each supported data set is: its columns, its citation and the Source node it becomes."""

from __future__ import annotations

from dataclasses import dataclass

#: The R package that redistributes these tables as `.rda` files (its `data/` folder).
PEACESCIENCER = (
    "Miller, Steven V. 2022. peacesciencer: An R Package for Quantitative Peace Science Research. "
    "Conflict Management and Peace Science 39(6): 755-779."
)


@dataclass(frozen=True)
class DatasetSpec:
    """One importable data set."""

    name: str  # as typed on the command line
    source_id: str
    title: str
    version: str
    citation: str
    columns: tuple[str, ...]  # columns the input must have (others are ignored)
    needs: str | None = None  # another import this one takes its states from


DATASETS: dict[str, DatasetSpec] = {
    spec.name: spec
    for spec in (
        DatasetSpec(
            "cow-states",
            "source:cow-states-2016",
            "Correlates of War: State System Membership",
            "2016",
            "Correlates of War Project. 2017. State System Membership List, v2016. "
            "Online, http://correlatesofwar.org (as redistributed in peacesciencer).",
            ("stateabb", "ccode", "statenme", "styear", "stmonth", "stday", "endyear", "endmonth", "endday"),
        ),
        DatasetSpec(
            "gw-states",
            "source:gw-states-2017",
            "Gleditsch-Ward list of independent states",
            "2017",
            "Gleditsch, Kristian S. and Michael D. Ward. 1999. A Revised List of Independent States since "
            "the Congress of Vienna. International Interactions 25(4): 393-413 (list updated to 2017, "
            "as redistributed in peacesciencer).",
            ("gwcode", "stateabb", "statename", "startdate", "enddate"),
        ),
        DatasetSpec(
            "archigos",
            "source:archigos-4.1",
            "Archigos: A Data Set on Leaders",
            "4.1",
            "Goemans, Henk E., Kristian Skrede Gleditsch and Giacomo Chiozza. 2009. Introducing Archigos: "
            "A Dataset of Political Leaders. Journal of Peace Research 46(2): 269-283. Version 4.1 "
            "(as redistributed in peacesciencer).",
            ("obsid", "gwcode", "leadid", "leader", "yrborn", "gender", "startdate", "enddate", "entry", "exit"),
            needs="gw-states",
        ),
        DatasetSpec(
            "atop",
            "source:atop-5.0",
            "Alliance Treaty Obligations and Provisions (ATOP), dyad-years",
            "5.0",
            "Leeds, Brett Ashley, Jeffrey M. Ritter, Sara McLaughlin Mitchell and Andrew G. Long. 2002. "
            "Alliance Treaty Obligations and Provisions, 1815-1944. International Interactions 28: 237-260. "
            "Version 5.0 directed dyad-years (as redistributed in peacesciencer).",
            ("ccode1", "ccode2", "year", "atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul"),
            needs="cow-states",
        ),
    )
}

#: ATOP's obligation columns and the `obligation` value each becomes.
ATOP_OBLIGATIONS: dict[str, str] = {
    "atop_defense": "defense",
    "atop_offense": "offense",
    "atop_neutral": "neutrality",
    "atop_nonagg": "non-aggression",
    "atop_consul": "consultation",
}
