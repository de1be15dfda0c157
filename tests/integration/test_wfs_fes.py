"""FES 2.0 comparison and logical operators and ResourceId, sent both ways a client may
send them: in a POST GetFeature document and as the FILTER KVP parameter. The features
selected are compared with the same condition evaluated on the source by OGR
(SetAttributeFilter: SQLite on the GeoPackage) or in plain Python (PropertyIsLike,
matchCase="false")."""
from __future__ import annotations

import re

import pytest

from wfs_support import TRANSPORTS, cmp, lit, select, vr

# --------------------------------------------------------------------------- comparisons (OGR)

COMPARISONS = [  # (id, FES body, OGR attribute filter on the source)
    ("eq-text", cmp("PropertyIsEqualTo", "status", "Operating"), "status = 'Operating'"),
    ("eq-real", cmp("PropertyIsEqualTo", "capacity_mtpa", "3"), "capacity_mtpa = 3"),
    ("eq-int", cmp("PropertyIsEqualTo", "opening_year", 2010), "opening_year = 2010"),
    ("eq-quote", cmp("PropertyIsEqualTo", "mine_name", "Que\u2019er'shan Coal Mine"),
     "mine_name = 'Que\u2019er''shan Coal Mine'"),
    ("ne", cmp("PropertyIsNotEqualTo", "iso3", "CHN"), "iso3 <> 'CHN'"),
    ("lt", cmp("PropertyIsLessThan", "capacity_mtpa", 1.5), "capacity_mtpa < 1.5"),
    ("gt", cmp("PropertyIsGreaterThan", "capacity_mtpa", 20), "capacity_mtpa > 20"),
    ("le", cmp("PropertyIsLessThanOrEqualTo", "opening_year", 1990), "opening_year <= 1990"),
    ("ge", cmp("PropertyIsGreaterThanOrEqualTo", "opening_year", 2020), "opening_year >= 2020"),
    ("lt-text", cmp("PropertyIsLessThan", "iso3", "IDN"), "iso3 < 'IDN'"),
    ("between",
     f"<fes:PropertyIsBetween>{vr('opening_year')}<fes:LowerBoundary>{lit(2000)}</fes:LowerBoundary>"
     f"<fes:UpperBoundary>{lit(2010)}</fes:UpperBoundary></fes:PropertyIsBetween>",
     "opening_year BETWEEN 2000 AND 2010"),
    ("between-real",
     f"<fes:PropertyIsBetween>{vr('capacity_mtpa')}<fes:LowerBoundary>{lit(0.5)}</fes:LowerBoundary>"
     f"<fes:UpperBoundary>{lit(3)}</fes:UpperBoundary></fes:PropertyIsBetween>",
     "capacity_mtpa >= 0.5 AND capacity_mtpa <= 3"),
    ("null", f"<fes:PropertyIsNull>{vr('capacity_mtpa')}</fes:PropertyIsNull>", "capacity_mtpa IS NULL"),
    ("not-null", f"<fes:Not><fes:PropertyIsNull>{vr('opening_year')}</fes:PropertyIsNull></fes:Not>",
     "opening_year IS NOT NULL"),
    ("and", f"<fes:And>{cmp('PropertyIsEqualTo', 'status', 'Operating')}"
            f"{cmp('PropertyIsEqualTo', 'iso3', 'IDN')}</fes:And>",
     "status = 'Operating' AND iso3 = 'IDN'"),
    ("or", f"<fes:Or>{cmp('PropertyIsEqualTo', 'iso3', 'VNM')}{cmp('PropertyIsEqualTo', 'iso3', 'LAO')}"
           f"{cmp('PropertyIsEqualTo', 'iso3', 'MMR')}</fes:Or>",
     "iso3 IN ('VNM', 'LAO', 'MMR')"),
    ("not", f"<fes:Not>{cmp('PropertyIsEqualTo', 'status', 'Operating')}</fes:Not>", "status <> 'Operating'"),
    ("nested",
     f"<fes:And><fes:Or>{cmp('PropertyIsEqualTo', 'status', 'Proposed')}"
     f"{cmp('PropertyIsEqualTo', 'status', 'Shelved')}</fes:Or>"
     f"<fes:Not>{cmp('PropertyIsEqualTo', 'iso3', 'CHN')}</fes:Not>"
     f"{cmp('PropertyIsGreaterThan', 'capacity_mtpa', 1)}</fes:And>",
     "status IN ('Proposed', 'Shelved') AND iso3 <> 'CHN' AND capacity_mtpa > 1"),
]


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("body, where", [c[1:] for c in COMPARISONS], ids=[c[0] for c in COMPARISONS])
def test_comparison_equals_ogr(http, base_url, wfs_expected, transport, body, where):
    want = wfs_expected("coal_mines").layer_ids(where)
    assert select(http, base_url, "coal_mines", body, transport) == sorted(want)


def test_comparisons_select_something(wfs_expected):
    """The cases above are not vacuous: each selects at least one and not every feature."""
    exp = wfs_expected("coal_mines")
    for name, _, where in COMPARISONS:
        n = len(exp.layer_ids(where))
        assert 0 < n < len(exp.by_id), f"{name}: {n} features"


def test_match_case_is_the_default(http, base_url, wfs_expected):
    assert select(http, base_url, "coal_mines", cmp("PropertyIsEqualTo", "status", "operating"), "post") == []


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_equal_to_match_case_false(http, base_url, wfs_expected, transport):
    want = wfs_expected("coal_mines").ids_where(lambda f: f.properties["status"].lower() == "operating")
    body = cmp("PropertyIsEqualTo", "status", "oPeRaTiNg", 'matchCase="false"')
    assert select(http, base_url, "coal_mines", body, transport) == sorted(want)


def test_unprefixed_value_reference(http, base_url, wfs_expected):
    want = wfs_expected("coal_mines").layer_ids("iso3 = 'KHM'")
    body = "<fes:PropertyIsEqualTo><fes:ValueReference>iso3</fes:ValueReference>" + lit("KHM") + "</fes:PropertyIsEqualTo>"
    assert select(http, base_url, "coal_mines", body, "kvp") == sorted(want)


# --------------------------------------------------------------------------- PropertyIsLike (Python)


def like_regex(pattern: str, wild: str, single: str, escape: str) -> str:
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == escape and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if c == wild else "." if c == single else re.escape(c))
        i += 1
    return "".join(out)


def like(name: str, pattern: str, wild="*", single=".", escape="!", match_case: bool | None = None) -> str:
    mc = "" if match_case is None else f' matchCase="{str(match_case).lower()}"'
    return (f'<fes:PropertyIsLike wildCard="{wild}" singleChar="{single}" escapeChar="{escape}"{mc}>'
            f'{vr(name)}{lit(pattern)}</fes:PropertyIsLike>')


LIKES = [  # (collection, property, pattern, wildCard, singleChar, escapeChar, matchCase)
    ("coal_mines", "mine_name", "Xin*", "*", ".", "!", None),
    ("coal_mines", "mine_name", "*Coal Mine", "*", ".", "!", None),
    ("coal_mines", "mine_name", "*coal mine", "*", ".", "!", False),
    ("coal_mines", "mine_name", "*coal mine", "*", ".", "!", True),
    ("coal_mines", "mine_name", "Sh.nxi*", "*", ".", "!", None),
    ("coal_mines", "mine_name", "*No!.1*", "*", ".", "!", None),        # escaped: a literal '.'
    ("coal_mines", "mine_name", "*Coal.Mine", "*", ".", "!", None),     # '.' is any character (a space)
    ("coal_mines", "mine_name", "*Coal!.Mine", "*", ".", "!", None),    # a literal '.': none
    ("coal_mines", "mine_name", "%Coal Mine", "%", "_", "\\", None),     # SQL-like characters as wildcards
    ("coal_mines", "mine_name", "*_*", "*", ".", "!", None),            # '_' is literal here: none
    ("coal_mines", "mine_name", "Xin%", "*", ".", "!", None),           # '%' is literal here: none
    ("coal_mines", "mine_name", "*L\u00fcliang*", "*", ".", "!", None),  # non-ASCII
    ("coal_mines", "mine_name", "*(No#2*", "*", "#", "^", None),
    ("mine_facilities", "facility_name", "*MINE*", "*", "?", "\\", False),
    ("observations", "note", "*caf\u00e9", "*", ".", "!", None),
    ("observations", "note", "*<script>*", "*", ".", "!", None),
]


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("case", LIKES, ids=[f"{c[0]}:{c[2]}:{c[6]}" for c in LIKES])
def test_property_is_like_equals_python(http, base_url, wfs_expected, transport, case):
    collection, name, pattern, wild, single, escape, match_case = case
    regex = re.compile(like_regex(pattern, wild, single, escape), 0 if match_case in (None, True) else re.IGNORECASE)
    want = wfs_expected(collection).ids_where(
        lambda f: f.properties[name] is not None and regex.fullmatch(f.properties[name]) is not None)
    got = select(http, base_url, collection, like(name, pattern, wild, single, escape, match_case), transport)
    assert got == sorted(want)


def test_like_cases_are_not_vacuous(wfs_expected):
    nonzero = 0
    for collection, name, pattern, wild, single, escape, match_case in LIKES:
        regex = re.compile(like_regex(pattern, wild, single, escape), 0 if match_case in (None, True) else re.IGNORECASE)
        nonzero += bool(wfs_expected(collection).ids_where(
            lambda f: f.properties[name] is not None and regex.fullmatch(f.properties[name]) is not None))
    assert nonzero >= len(LIKES) - 4


# --------------------------------------------------------------------------- ResourceId


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_resource_id(http, base_url, wfs_expected, transport):
    ids = [5, 77, 3000]
    body = "".join(f'<fes:ResourceId rid="coal_mines.{i}"/>' for i in ids)
    assert select(http, base_url, "coal_mines", body, transport) == ids


def test_resource_id_of_missing_feature_selects_nothing(http, base_url):
    assert select(http, base_url, "countries", '<fes:ResourceId rid="countries.4242"/>', "post") == []


# --------------------------------------------------------------------------- depth within the limit


def test_thirty_nested_nots_work(http, base_url, wfs_expected):
    """docs/wfs.md allows 64 levels: 30 nested Not (an even number: the identity) is served."""
    body = "<fes:Not>" * 30 + cmp("PropertyIsEqualTo", "iso3", "THA") + "</fes:Not>" * 30
    assert select(http, base_url, "coal_mines", body, "post") == sorted(wfs_expected("coal_mines").layer_ids("iso3 = 'THA'"))


def test_wide_or_works(http, base_url, wfs_expected):
    """An Or of 241 comparisons (wide, not deep) is served."""
    exp = wfs_expected("coal_mines")
    wanted = {exp.by_id[i].properties["gem_mine_id"] for i in sorted(exp.by_id)[::13]}
    body = "<fes:Or>" + "".join(cmp("PropertyIsEqualTo", "gem_mine_id", g) for g in sorted(wanted)) + "</fes:Or>"
    want = exp.ids_where(lambda f: f.properties["gem_mine_id"] in wanted)
    assert select(http, base_url, "coal_mines", body, "post") == sorted(want)
