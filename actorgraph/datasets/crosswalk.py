"""Country codes: Correlates of War and Gleditsch-Ward codes to ISO 3166 alpha-3, through names.

ISO codes come from the `pycountry` package (ISO 3166 data). A state is matched by its
name, exactly, as ISO or CLDR spell it; the states whose names ISO spells differently
are listed below by hand. Historical states with no ISO code (Bavaria, Austria-Hungary,
the Yemen Arab Republic, ...) get none: they are never joined to a modern country.
"""

from __future__ import annotations

from functools import cache

#: Names the data sets (or our curated data) use that ISO 3166 does not know.
ISO3_BY_NAME: dict[str, str] = {
    "turkey": "TUR",
    "russia": "RUS",
    "russia (soviet union)": "RUS",
    "st. lucia": "LCA",
    "st. vincent and the grenadines": "VCT",
    "antigua & barbuda": "ATG",
    "st. kitts and nevis": "KNA",
    "german federal republic": "DEU",
    "macedonia": "MKD",
    "macedonia (former yugoslav republic of)": "MKD",
    "yugoslavia": "SRB",
    "serbia (yugoslavia)": "SRB",
    "cape verde": "CPV",
    "ivory coast": "CIV",
    "cote d'ivoire": "CIV",
    "democratic republic of the congo": "COD",
    "congo, democratic republic of (zaire)": "COD",
    "swaziland": "SWZ",
    "brunei": "BRN",
    "east timor": "TLS",
    "usa": "USA",
    "kyrgyz republic": "KGZ",
}

#: Names that look like a modern country to a fuzzy matcher but are not it.
NEVER_ISO: frozenset[str] = frozenset(
    {"korea", "hanover", "baden", "modena", "parma", "zanzibar", "kosovo", "german democratic republic"}
)


@cache
def iso3(name: str) -> str | None:
    """ISO 3166 alpha-3 code for a country name, or None when it is not a modern state's name."""
    import pycountry

    key = " ".join(name.lower().split())
    if key in NEVER_ISO:
        return None
    if key in ISO3_BY_NAME:
        return ISO3_BY_NAME[key]
    try:
        return pycountry.countries.lookup(name).alpha_3
    except LookupError:
        return None
