"""CQL2 filters (OGC API - Features Part 3) on attributes: the ids a filter selects must
equal the fids an independent evaluation selects from the same source file.

The data is the CQL2 standard's own test data set (Natural Earth 1:110m, three layers).
Expected results come from sqlite3 on the source GeoPackage (SQL's three-valued logic
matches CQL2's truth table; LIKE is made case-sensitive, as CQL2's is) or from plain
Python (LIKE as a regular expression, str.casefold for CASEI, NFD minus combining marks
for ACCENTI). Where the standard's abstract test suite (annex A) publishes a count for a
predicate, the independent result is checked against that count too.

Spatial predicates are in test_cql2_spatial.py, temporal ones in test_cql2_temporal.py,
errors and hostile input in test_cql2_errors.py.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any, Callable

import pytest

from cql2_support import (COUNTRIES, PLACES, RIVERS, P, accenti, casei, describe_difference, op,
                          sql_fids)
from support import intersects_bbox, on_postgis

Expect = str | Callable[[dict], Any]  # a SQLite WHERE clause, or a predicate (True/False/None)


@dataclass
class Case:
    layer: str
    text: str                 # CQL2-Text
    expect: Expect
    json: dict | None = None  # the same filter in CQL2-JSON
    ats: int | None = None    # the count the standard's abstract test suite gives
    postgis_gap: str | None = None  # a known difference of the PostGIS store: xfail there

    def __str__(self) -> str:
        return f"{self.layer[8:]}: {self.text}"


def expected_fids(case: Case, source: dict) -> set[int]:
    if isinstance(case.expect, str):
        return sql_fids(case.layer, case.expect)
    return {f.fid for f in source[case.layer] if case.expect(f.props) is True}


def like(value: str | None, pattern: str | None) -> bool | None:
    """CQL2 LIKE: % any run, _ one character, backslash escapes; case-sensitive."""
    if value is None or pattern is None:
        return None
    rx, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            rx.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        rx.append(".*" if c == "%" else "." if c == "_" else re.escape(c))
        i += 1
    return re.fullmatch("".join(rx), value, re.DOTALL) is not None


def lnot(v: bool | None) -> bool | None:
    return None if v is None else not v


def check(cql2, cql2_source, case: Case) -> None:
    expected = expected_fids(case, cql2_source)
    if case.ats is not None:
        assert len(expected) == case.ats, (
            f"the independent evaluation gives {len(expected)}, the standard's ATS {case.ats}: "
            f"fix the expectation of {case.text!r}")
    names = {f.fid: f.props.get("name") or f.props.get("NAME") for f in cql2_source[case.layer]}
    got = cql2.ids(case.layer, case.text)
    assert got == expected, f"{case.text!r}: {describe_difference(got, expected, names)}"
    if case.json is not None:
        got_json = cql2.ids(case.layer, case.json)
        assert got_json == expected, (
            f"CQL2-JSON {case.json}: {describe_difference(got_json, expected, names)}")


def short(text: str, n: int = 110) -> str:
    return text if len(text) <= n else text[:n - 3] + "..."


def case_params(cases: list[Case]):
    return [pytest.param(c, id=short(str(c)),
                         marks=[pytest.mark.xfail(reason=c.postgis_gap, strict=True)]
                         if c.postgis_gap and on_postgis() else [])
            for c in cases]


# --------------------------------------------------------------------------- basic-cql2

LUX = "Luxembourg"
KBH = "København"
TS = "2022-04-16T10:13:19Z"
BASIC = [
    Case(COUNTRIES, "NAME='Luxembourg'", "NAME = 'Luxembourg'", op("=", P("NAME"), LUX), ats=1),
    Case(COUNTRIES, "NAME>='Luxembourg'", "NAME >= 'Luxembourg'", op(">=", P("NAME"), LUX), ats=84),
    Case(COUNTRIES, "NAME>'Luxembourg'", "NAME > 'Luxembourg'", op(">", P("NAME"), LUX), ats=83),
    Case(COUNTRIES, "NAME<='Luxembourg'", "NAME <= 'Luxembourg'", op("<=", P("NAME"), LUX), ats=94),
    Case(COUNTRIES, "NAME<'Luxembourg'", "NAME < 'Luxembourg'", op("<", P("NAME"), LUX), ats=93),
    Case(COUNTRIES, "NAME<>'Luxembourg'", "NAME <> 'Luxembourg'", op("<>", P("NAME"), LUX), ats=176),
    Case(COUNTRIES, "NAME = 'luxembourg'", "NAME = 'luxembourg'", ats=0),  # case matters
    Case(COUNTRIES, "NAME = 'Côte d''Ivoire'", "NAME = 'Côte d''Ivoire'",
         op("=", P("NAME"), "Côte d'Ivoire"), ats=1),
    Case(COUNTRIES, "POP_EST=37589262", "POP_EST = 37589262", op("=", P("POP_EST"), 37589262), ats=1),
    Case(COUNTRIES, "POP_EST>=37589262", "POP_EST >= 37589262", ats=39),
    Case(COUNTRIES, "POP_EST>37589262", "POP_EST > 37589262", op(">", P("POP_EST"), 37589262), ats=38),
    Case(COUNTRIES, "POP_EST<=37589262", "POP_EST <= 37589262", ats=139),
    Case(COUNTRIES, "POP_EST<37589262", "POP_EST < 37589262", op("<", P("POP_EST"), 37589262), ats=138),
    Case(COUNTRIES, "POP_EST<>37589262", "POP_EST <> 37589262", ats=176),
    Case(COUNTRIES, "POP_EST >= 1.5E8", "POP_EST >= 150000000", op(">=", P("POP_EST"), 1.5e8)),
    Case(COUNTRIES, "POP_EST < 100000.5", "POP_EST < 100000.5"),
    Case(COUNTRIES, "POP_EST > -1", "POP_EST > -1", ats=177),
    Case(COUNTRIES, "CONTINENT = 'Europe'", "CONTINENT = 'Europe'", op("=", P("CONTINENT"), "Europe")),
    Case(COUNTRIES, '"NAME" = \'France\'', "NAME = 'France'", ats=1),  # a quoted identifier
    Case(PLACES, "name IS NOT NULL", "name IS NOT NULL", op("not", op("isNull", P("name"))), ats=243),
    Case(PLACES, "name IS NULL", "name IS NULL", op("isNull", P("name")), ats=0),
    Case(PLACES, "name='København'", "name = 'København'", op("=", P("name"), KBH), ats=1),
    Case(PLACES, "name>='København'", "name >= 'København'", ats=137),
    Case(PLACES, "name>'København'", "name > 'København'", op(">", P("name"), KBH), ats=136),
    Case(PLACES, "name<='København'", "name <= 'København'", ats=107),
    Case(PLACES, "name<'København'", "name < 'København'", op("<", P("name"), KBH), ats=106),
    Case(PLACES, "name<>'København'", "name <> 'København'", ats=242),
    Case(PLACES, "pop_other IS NOT NULL", "pop_other IS NOT NULL", ats=243),
    Case(PLACES, "pop_other=1038288", "pop_other = 1038288", op("=", P("pop_other"), 1038288), ats=1),
    Case(PLACES, "pop_other>=1038288", "pop_other >= 1038288", ats=123),
    Case(PLACES, "pop_other>1038288", "pop_other > 1038288", ats=122),
    Case(PLACES, "pop_other<=1038288", "pop_other <= 1038288", ats=121),
    Case(PLACES, "pop_other<1038288", "pop_other < 1038288", op("<", P("pop_other"), 1038288), ats=120),
    Case(PLACES, "pop_other<>1038288", "pop_other <> 1038288", ats=242),
    Case(PLACES, "pop_other = 1038288.0", "pop_other = 1038288", ats=1),  # integer = real
    Case(PLACES, '"date" IS NOT NULL', "date IS NOT NULL", ats=3),
    Case(PLACES, '"date" IS NULL', "date IS NULL", op("isNull", P("date")), ats=240),
    Case(PLACES, "\"date\"=DATE('2022-04-16')", "date = '2022-04-16'",
         op("=", P("date"), {"date": "2022-04-16"}), ats=1),
    Case(PLACES, "\"date\">=DATE('2022-04-16')", "date >= '2022-04-16'", ats=2),
    Case(PLACES, "\"date\">DATE('2022-04-16')", "date > '2022-04-16'",
         op(">", P("date"), {"date": "2022-04-16"}), ats=1),
    Case(PLACES, "\"date\"<=DATE('2022-04-16')", "date <= '2022-04-16'", ats=2),
    Case(PLACES, "\"date\"<DATE('2022-04-16')", "date < '2022-04-16'", ats=1),
    Case(PLACES, "\"date\"<>DATE('2022-04-16')", "date <> '2022-04-16'", ats=2),
    Case(PLACES, "start IS NOT NULL", "start IS NOT NULL", ats=3),
    Case(PLACES, "start IS NULL", "start IS NULL", ats=240),
    Case(PLACES, f"start=TIMESTAMP('{TS}')", "start = '2022-04-16T10:13:19'",
         op("=", P("start"), {"timestamp": TS}), ats=1),
    Case(PLACES, f"start<=TIMESTAMP('{TS}')", "start <= '2022-04-16T10:13:19'", ats=2),
    Case(PLACES, f"start<TIMESTAMP('{TS}')", "start < '2022-04-16T10:13:19'", ats=1),
    Case(PLACES, f"start>=TIMESTAMP('{TS}')", "start >= '2022-04-16T10:13:19'", ats=2),
    Case(PLACES, f"start>TIMESTAMP('{TS}')", "start > '2022-04-16T10:13:19'",
         op(">", P("start"), {"timestamp": TS}), ats=1),
    Case(PLACES, f"start<>TIMESTAMP('{TS}')", "start <> '2022-04-16T10:13:19'", ats=2),
    Case(PLACES, "\"end\" > TIMESTAMP('2023-01-01T00:00:00Z')", "\"end\" > '2023-01-01T00:00:00'"),
    Case(PLACES, "boolean IS NOT NULL", "boolean IS NOT NULL", ats=3),
    Case(PLACES, "boolean IS NULL", "boolean IS NULL", ats=240),
    Case(PLACES, "boolean=true", "boolean = 1", op("=", P("boolean"), True), ats=2),
    Case(PLACES, "boolean=false", "boolean = 0", op("=", P("boolean"), False), ats=1),
    Case(PLACES, "boolean <> TRUE", "boolean <> 1", ats=1),
    Case(PLACES, "true", "1", True, ats=243),
    Case(PLACES, "false", "0", False, ats=0),
    Case(PLACES, "note IS NULL", "note IS NULL"),
    Case(PLACES, "NOT (note IS NULL)", "NOT (note IS NULL)", op("not", op("isNull", P("note")))),
    Case(PLACES, "geometry IS NULL", "geom IS NULL", op("isNull", P("geometry")), ats=0),
    Case(PLACES, "geom IS NOT NULL", "geom IS NOT NULL", ats=243),
    Case(RIVERS, "name = 'Paraná'", "name = 'Paraná'", op("=", P("name"), "Paraná"), ats=1),
    Case(RIVERS, "name < 'N' AND name > 'D'", "name < 'N' AND name > 'D'"),
]


@pytest.mark.parametrize("case", case_params(BASIC))
def test_basic_cql2(cql2, cql2_source, case):
    check(cql2, cql2_source, case)


# --------------------------------------------------------------------------- logical operators, three-valued

# (CQL2-Text, SQLite, CQL2-JSON) for predicates on ne_110m_populated_places_simple, several
# of them NULL for most places (date, start, boolean, note are mostly empty).
POOL = [
    ("pop_other<>1038288", "pop_other <> 1038288", op("<>", P("pop_other"), 1038288)),
    ("pop_other<1038288", "pop_other < 1038288", op("<", P("pop_other"), 1038288)),
    ("name<>'København'", "name <> 'København'", op("<>", P("name"), KBH)),
    ("name>'København'", "name > 'København'", op(">", P("name"), KBH)),
    ("name IS NULL", "name IS NULL", op("isNull", P("name"))),
    ("start IS NULL", "start IS NULL", op("isNull", P("start"))),
    ("start IS NOT NULL", "start IS NOT NULL", op("not", op("isNull", P("start")))),
    (f"start<TIMESTAMP('{TS}')", "start < '2022-04-16T10:13:19'", op("<", P("start"), {"timestamp": TS})),
    (f"start>=TIMESTAMP('{TS}')", "start >= '2022-04-16T10:13:19'", op(">=", P("start"), {"timestamp": TS})),
    ("boolean=true", "boolean = 1", op("=", P("boolean"), True)),
    ("boolean IS NULL", "boolean IS NULL", op("isNull", P("boolean"))),
    ("\"date\">DATE('2021-12-31')", "date > '2021-12-31'", op(">", P("date"), {"date": "2021-12-31"})),
    ("name LIKE 'B%'", "name LIKE 'B%'", op("like", P("name"), "B%")),
    ("note LIKE '%'", "note LIKE '%'", op("like", P("note"), "%")),
    ("pop_max BETWEEN 1000000 AND 5000000", "pop_max BETWEEN 1000000 AND 5000000",
     op("between", P("pop_max"), 1000000, 5000000)),
    ("adm0name IN ('China','India','Brazil')", "adm0name IN ('China','India','Brazil')",
     op("in", P("adm0name"), ["China", "India", "Brazil"])),
    ("pop_min<>pop_max", "pop_min <> pop_max", op("<>", P("pop_min"), P("pop_max"))),
]


def combination_cases(count: int = 40) -> list[tuple]:
    """The ATS 'logical' test: (NOT ({p2}) AND {p1}) OR ({p3} AND {p4}) OR NOT ({p1} OR {p4})
    over 4-tuples of the pool, drawn with a fixed seed."""
    rnd = random.Random(20240416)
    out = []
    for _ in range(count):
        p1, p2, p3, p4 = (rnd.choice(POOL) for _ in range(4))
        text = f"(NOT ({p2[0]}) AND {p1[0]}) OR ({p3[0]} AND {p4[0]}) OR NOT ({p1[0]} OR {p4[0]})"
        sql = f"(NOT ({p2[1]}) AND {p1[1]}) OR ({p3[1]} AND {p4[1]}) OR NOT ({p1[1]} OR {p4[1]})"
        js = op("or", op("and", op("not", p2[2]), p1[2]), op("and", p3[2], p4[2]),
                op("not", op("or", p1[2], p4[2])))
        out.append(pytest.param(Case(PLACES, text, sql, js), id=short(f"{len(out):02d}: {text}")))
    return out


@pytest.mark.parametrize("case", combination_cases())
def test_logical_combinations_three_valued(cql2, cql2_source, case):
    check(cql2, cql2_source, case)


# A few rows of the standard's table of combinations, with its published counts.
ATS_COMBINATIONS = [
    (("pop_other<>1038288", "name<>'København'", "pop_other IS NULL", "name<'København'"), 1),
    (("pop_other<>1038288", "name>'København'", "name<='København'", "boolean=true"), 107),
    (("start IS NULL", "pop_other IS NOT NULL", "pop_other IS NOT NULL", "pop_other>1038288"), 124),
    (("pop_other=1038288", "start IS NULL", f"start<>TIMESTAMP('{TS}')", "boolean IS NOT NULL"), 242),
    ((f"start<=TIMESTAMP('{TS}')", "name<>'København'", "boolean=true", "name<'København'"), 2),
    (("name='København'", f"start=TIMESTAMP('{TS}')", "boolean=true", "pop_other IS NULL"), 243),
    ((f"start<>TIMESTAMP('{TS}')", "name='København'", "boolean IS NULL", "pop_other<>1038288"), 241),
    (("pop_other<=1038288", "name<='København'", "boolean IS NULL", "start IS NOT NULL"), 198),
]


@pytest.mark.parametrize("predicates,count", ATS_COMBINATIONS, ids=lambda v: short(" | ".join(v)) if isinstance(v, tuple) else str(v))
def test_logical_combinations_from_the_standard(cql2, predicates, count):
    p1, p2, p3, p4 = predicates
    text = f"(NOT ({p2}) AND {p1}) OR ({p3} and {p4}) or not ({p1} OR {p4})"
    assert len(cql2.ids(PLACES, text)) == count


NESTED = [
    Case(COUNTRIES, "CONTINENT = 'Europe' AND (POP_EST > 50000000 OR NAME LIKE 'S%')",
         "CONTINENT = 'Europe' AND (POP_EST > 50000000 OR NAME LIKE 'S%')",
         op("and", op("=", P("CONTINENT"), "Europe"),
            op("or", op(">", P("POP_EST"), 50000000), op("like", P("NAME"), "S%")))),
    Case(COUNTRIES, "CONTINENT = 'Europe' AND POP_EST > 50000000 OR NAME LIKE 'S%'",  # AND binds tighter
         "(CONTINENT = 'Europe' AND POP_EST > 50000000) OR NAME LIKE 'S%'"),
    Case(COUNTRIES, "NOT CONTINENT = 'Europe' AND NOT CONTINENT = 'Asia'",  # NOT binds tightest
         "NOT (CONTINENT = 'Europe') AND NOT (CONTINENT = 'Asia')"),
    Case(COUNTRIES, "NOT (CONTINENT = 'Europe' OR CONTINENT = 'Asia') AND POP_EST > 1E7",
         "NOT (CONTINENT = 'Europe' OR CONTINENT = 'Asia') AND POP_EST > 10000000",
         op("and", op("not", op("or", op("=", P("CONTINENT"), "Europe"), op("=", P("CONTINENT"), "Asia"))),
            op(">", P("POP_EST"), 1e7))),
    Case(COUNTRIES, "((((NAME = 'France'))))", "NAME = 'France'"),
    Case(COUNTRIES, "NOT NOT NOT (NAME = 'France')", "NAME <> 'France'"),
    Case(COUNTRIES, "NAME = 'France' oR NAME = 'Spain' AnD not false",  # keywords: any case
         "NAME IN ('France', 'Spain')"),
    Case(PLACES, "NOT (name LIKE 'B%' AND boolean = true)", "NOT (name LIKE 'B%' AND boolean = 1)"),
    Case(PLACES, "NOT (boolean = true OR boolean = false)", "NOT (boolean = 1 OR boolean = 0)", ats=0),
    Case(PLACES, "boolean = true OR note IS NULL", "boolean = 1 OR note IS NULL"),
    Case(PLACES, "(pop_max > 10000000 OR pop_min < 1000) AND NOT (adm0name = 'China')",
         "(pop_max > 10000000 OR pop_min < 1000) AND NOT (adm0name = 'China')",
         op("and", op("or", op(">", P("pop_max"), 10000000), op("<", P("pop_min"), 1000)),
            op("not", op("=", P("adm0name"), "China")))),
    Case(PLACES, "true AND NOT false AND name = 'Paris'", "name = 'Paris'",
         op("and", True, op("not", False), op("=", P("name"), "Paris"))),
]


@pytest.mark.parametrize("case", case_params(NESTED))
def test_logical_nesting(cql2, cql2_source, case):
    check(cql2, cql2_source, case)


# --------------------------------------------------------------------------- advanced-comparison-operators

def name_like(pattern: str, negate: bool = False, column: str = "name") -> Callable[[dict], Any]:
    return lambda p: (lnot if negate else (lambda v: v))(like(p[column], pattern))


ADVANCED = [
    Case(PLACES, "name LIKE 'B_r%'", name_like("B_r%"), op("like", P("name"), "B_r%"), ats=3),
    Case(PLACES, "name NOT LIKE 'B_r%'", name_like("B_r%", True), op("not", op("like", P("name"), "B_r%")),
         ats=240),
    Case(PLACES, "name LIKE 'b_r%'", name_like("b_r%"), op("like", P("name"), "b_r%"), ats=0),  # case!
    Case(PLACES, "name LIKE '%o'", name_like("%o")),
    Case(PLACES, "name LIKE '%ã%'", name_like("%ã%"), op("like", P("name"), "%ã%")),
    Case(PLACES, "name LIKE 'S_o %'", name_like("S_o %")),          # São Paulo, São Tomé
    Case(PLACES, "name LIKE 'K_benhavn'", name_like("K_benhavn"), ats=1),  # _ is one character, ø is two bytes
    Case(PLACES, "name LIKE '_____'", name_like("_____")),            # five characters, any bytes
    Case(PLACES, "name LIKE '%'", name_like("%"), ats=243),
    Case(PLACES, "name LIKE '%%'", name_like("%%"), ats=243),
    Case(PLACES, "name LIKE '_%'", name_like("_%"), ats=243),
    Case(PLACES, "name LIKE ''", name_like(""), ats=0),
    Case(PLACES, "note LIKE '%'", name_like("%", column="note")),     # NULL is not matched
    Case(PLACES, "note NOT LIKE '%'", name_like("%", True, "note"), ats=0),
    Case(COUNTRIES, "NAME LIKE 'C_te d''Ivoire'", name_like("C_te d'Ivoire", column="NAME"), ats=1),
    Case(COUNTRIES, "NAME LIKE '%land%'", name_like("%land%", column="NAME"),
         op("like", P("NAME"), "%land%")),
    Case(COUNTRIES, "NAME LIKE 'Ch_d'", name_like("Ch_d", column="NAME"), ats=1),
    Case(COUNTRIES, "NAME LIKE 'Ch\\_d'", name_like("Ch\\_d", column="NAME"), op("like", P("NAME"), "Ch\\_d"),
         ats=0),                                                       # escaped: a literal underscore
    Case(COUNTRIES, "NAME LIKE '%\\%%'", name_like("%\\%%", column="NAME"), ats=0),
    Case(COUNTRIES, "NAME LIKE 'S. Sudan'", name_like("S. Sudan", column="NAME"), ats=1),  # '.' is literal
    Case(COUNTRIES, "NAME LIKE '[A-C]%'", name_like("[A-C]%", column="NAME"), ats=0),  # not GLOB/regex
    Case(COUNTRIES, "NAME LIKE 'C*'", name_like("C*", column="NAME"), ats=0),
    Case(COUNTRIES, "NAME LIKE 'Cha?'", name_like("Cha?", column="NAME"), ats=0),
    Case(COUNTRIES, "NAME LIKE '^C.*'", name_like("^C.*", column="NAME"), ats=0),
    Case(PLACES, "pop_other between 1000000 and 3000000", "pop_other BETWEEN 1000000 AND 3000000",
         op("between", P("pop_other"), 1000000, 3000000), ats=75),
    Case(PLACES, "pop_other not between 1000000 and 3000000", "pop_other NOT BETWEEN 1000000 AND 3000000",
         op("not", op("between", P("pop_other"), 1000000, 3000000)), ats=168),
    Case(PLACES, "pop_other BETWEEN 100.0 AND 1.0", "pop_other BETWEEN 100.0 AND 1.0", ats=0),
    Case(PLACES, "pop_max BETWEEN 832 AND 832", "pop_max = 832", ats=1),  # bounds included
    Case(COUNTRIES, "POP_EST BETWEEN 1E6 AND 5.5E6", "POP_EST BETWEEN 1000000 AND 5500000"),
    Case(PLACES, "name IN ('Kiev','kobenhavn','Berlin','athens','foo')",
         "name IN ('Kiev','kobenhavn','Berlin','athens','foo')",
         op("in", P("name"), ["Kiev", "kobenhavn", "Berlin", "athens", "foo"]), ats=2),
    Case(PLACES, "name NOT IN ('Kiev','kobenhavn','Berlin','athens','foo')",
         "name NOT IN ('Kiev','kobenhavn','Berlin','athens','foo')",
         op("not", op("in", P("name"), ["Kiev", "kobenhavn", "Berlin", "athens", "foo"])), ats=241),
    Case(PLACES, "pop_other in (1038288,1611692,3013258,3013257,3013259)",
         "pop_other IN (1038288,1611692,3013258,3013257,3013259)",
         op("in", P("pop_other"), [1038288, 1611692, 3013258, 3013257, 3013259]), ats=3),
    Case(PLACES, "pop_other not in (1038288,1611692,3013258,3013257,3013259)",
         "pop_other NOT IN (1038288,1611692,3013258,3013257,3013259)", ats=240),
    Case(PLACES, "\"date\" in (DATE('2021-04-16'),DATE('2022-04-16'),DATE('2022-04-18'))",
         "date IN ('2021-04-16','2022-04-16','2022-04-18')",
         op("in", P("date"), [{"date": "2021-04-16"}, {"date": "2022-04-16"}, {"date": "2022-04-18"}]), ats=2),
    Case(PLACES, "\"date\" not in (DATE('2021-04-16'),DATE('2022-04-16'),DATE('2022-04-18'))",
         "date NOT IN ('2021-04-16','2022-04-16','2022-04-18')", ats=1),
    Case(PLACES, f"start in (TIMESTAMP('{TS}'))", "start IN ('2022-04-16T10:13:19')",
         op("in", P("start"), [{"timestamp": TS}]), ats=1),
    Case(PLACES, f"start not in (TIMESTAMP('{TS}'))", "start NOT IN ('2022-04-16T10:13:19')", ats=2),
    Case(PLACES, "boolean in (true)", "boolean IN (1)", op("in", P("boolean"), [True]), ats=2),
    Case(PLACES, "boolean not in (false)", "boolean NOT IN (0)", ats=2),
    Case(COUNTRIES, "ADM0_A3 IN ('FRA')", "ADM0_A3 = 'FRA'", ats=1),
    Case(COUNTRIES, "CONTINENT IN ('Europe', 'Oceania') AND POP_EST NOT BETWEEN 1E6 AND 1E8",
         "CONTINENT IN ('Europe', 'Oceania') AND POP_EST NOT BETWEEN 1000000 AND 100000000"),
]


@pytest.mark.parametrize("case", case_params(ADVANCED))
def test_advanced_comparison_operators(cql2, cql2_source, case):
    check(cql2, cql2_source, case)


# --------------------------------------------------------------------------- case- and accent-insensitive

def fold(fn: Callable, column: str, op_: str, *values: str) -> Callable[[dict], Any]:
    """fn(column) compared with fn(value): '=', '<>', 'in' or 'like'."""
    def predicate(p: dict) -> Any:
        v = fn(p[column])
        if v is None:
            return None
        if op_ == "=":
            return v == fn(values[0])
        if op_ == "<>":
            return v != fn(values[0])
        if op_ == "in":
            return v in {fn(x) for x in values}
        return like(v, fn(values[0]))
    return predicate


def ci_ai(s: str | None) -> str | None:
    return accenti(casei(s))


INSENSITIVE = [
    Case(PLACES, "CASEI(name)=casei('KIEV')", fold(casei, "name", "=", "KIEV"),
         op("=", op("casei", P("name")), op("casei", "KIEV")), ats=1),
    Case(PLACES, "CASEI(name)=casei('kiev')", fold(casei, "name", "=", "kiev"), ats=1),
    Case(PLACES, "CASEI(name)=casei('København')", fold(casei, "name", "=", KBH), ats=1),
    Case(PLACES, "CASEI(name)=casei('københavn')", fold(casei, "name", "=", "københavn"), ats=1),
    Case(PLACES, "CASEI(name)=casei('KØBENHAVN')", fold(casei, "name", "=", "KØBENHAVN"),
         op("=", op("casei", P("name")), op("casei", "KØBENHAVN")), ats=1),
    Case(PLACES, "CASEI(name) LIKE casei('B_r%')", fold(casei, "name", "like", "B_r%"), ats=3),
    Case(PLACES, "CASEI(name) LIKE casei('b_r%')", fold(casei, "name", "like", "b_r%"), ats=3),
    Case(PLACES, "CASEI(name) LIKE casei('B_R%')", fold(casei, "name", "like", "B_R%"),
         op("like", op("casei", P("name")), op("casei", "B_R%")), ats=3),
    Case(PLACES, "CASEI(name) IN (casei('Kiev'), casei('kobenhavn'), casei('Berlin'), casei('athens'), casei('foo'))",
         fold(casei, "name", "in", "Kiev", "kobenhavn", "Berlin", "athens", "foo"),
         op("in", op("casei", P("name")), [op("casei", s) for s in ("Kiev", "kobenhavn", "Berlin", "athens", "foo")]),
         ats=3),
    Case(PLACES, "CASEI(name) <> CASEI('PARIS')", fold(casei, "name", "<>", "PARIS"), ats=242),
    Case(PLACES, "CASEI(name) = CASEI('ŌSAKA')", fold(casei, "name", "=", "ŌSAKA"), ats=1),
    Case(PLACES, "CASEI(name) = CASEI('ürümqi')", fold(casei, "name", "=", "ürümqi"), ats=1),
    Case(PLACES, "CASEI(name) = CASEI('CHIȘINĂU')", fold(casei, "name", "=", "CHIȘINĂU"), ats=1),
    Case(COUNTRIES, "CASEI(NAME) = CASEI('côte d''ivoire')", fold(casei, "NAME", "=", "côte d'ivoire"),
         op("=", op("casei", P("NAME")), op("casei", "côte d'ivoire")), ats=1),
    Case(COUNTRIES, "CASEI(NAME) = CASEI('CÔTE D''IVOIRE')", fold(casei, "NAME", "=", "CÔTE D'IVOIRE"), ats=1),
    Case(COUNTRIES, "CASEI(NAME) LIKE CASEI('%REP.%')", fold(casei, "NAME", "like", "%REP.%")),
    Case(COUNTRIES, "CASEI(CONTINENT) = CASEI('EUROPE')", fold(casei, "CONTINENT", "=", "EUROPE")),
    Case(PLACES, "ACCENTI(name)=accenti('København')", fold(accenti, "name", "=", KBH), ats=1),
    Case(PLACES, "ACCENTI(name)=accenti('Kiev')", fold(accenti, "name", "=", "Kiev"), ats=1),
    Case(PLACES, "ACCENTI(name) = ACCENTI('Sao Paulo')", fold(accenti, "name", "=", "Sao Paulo"),
         op("=", op("accenti", P("name")), op("accenti", "Sao Paulo")), ats=1),
    Case(PLACES, "ACCENTI(name) = ACCENTI('Chisinau')", fold(accenti, "name", "=", "Chisinau"), ats=1),
    Case(PLACES, "ACCENTI(name) = ACCENTI('Urumqi')", fold(accenti, "name", "=", "Urumqi"), ats=1),
    Case(PLACES, "ACCENTI(name) = ACCENTI('Osaka')", fold(accenti, "name", "=", "Osaka"), ats=1),
    Case(PLACES, "ACCENTI(name) = ACCENTI('Brasília')", fold(accenti, "name", "=", "Brasília"), ats=1),
    Case(PLACES, "ACCENTI(name) = ACCENTI('Brasilia')", fold(accenti, "name", "=", "Brasilia"), ats=1),
    Case(PLACES, "ACCENTI(name) = ACCENTI('sao paulo')", fold(accenti, "name", "=", "sao paulo"), ats=0),
    Case(PLACES, "ACCENTI(name) LIKE ACCENTI('S_o %')", fold(accenti, "name", "like", "S_o %")),
    Case(PLACES, "ACCENTI(name) = ACCENTI(nameascii)", lambda p: accenti(p["name"]) == accenti(p["nameascii"])),
    Case(PLACES, "ACCENTI(CASEI(name)) = accenti(casei('SÃO PAULO'))", fold(ci_ai, "name", "=", "SÃO PAULO"),
         op("=", op("accenti", op("casei", P("name"))), op("accenti", op("casei", "SÃO PAULO"))), ats=1),
    Case(PLACES, "CASEI(ACCENTI(name)) = CASEI(ACCENTI('REYKJAVIK'))",
         fold(lambda s: casei(accenti(s)), "name", "=", "REYKJAVIK"), ats=1),
    Case(PLACES, "ACCENTI(CASEI(name))=accenti(casei('københavn'))", fold(ci_ai, "name", "=", "københavn"), ats=1),
    Case(PLACES, "ACCENTI(CASEI(name)) IN (accenti(casei('Kiev')), accenti(casei('Berlin')), accenti(casei('athens')), accenti(casei('foo')))",
         fold(ci_ai, "name", "in", "Kiev", "Berlin", "athens", "foo"), ats=3),
    Case(COUNTRIES, "ACCENTI(NAME) = ACCENTI('Cote d''Ivoire')", fold(accenti, "NAME", "=", "Cote d'Ivoire"),
         op("=", op("accenti", P("NAME")), op("accenti", "Cote d'Ivoire")), ats=1),
    Case(PLACES, "CASEI('Straße') = CASEI('STRASSE') AND name = 'Berlin'",  # full case folding: ß = ss
         lambda p: p["name"] == "Berlin", ats=1),
    Case(PLACES, "ACCENTI('é') = ACCENTI('e') AND ACCENTI('e') <> ACCENTI('a') AND name = 'Berlin'",
         lambda p: p["name"] == "Berlin", ats=1),
]


@pytest.mark.parametrize("case", case_params(INSENSITIVE))
def test_case_and_accent_insensitive(cql2, cql2_source, case):
    check(cql2, cql2_source, case)


@pytest.mark.parametrize("text,count", [
    ("ACCENTI(name)=accenti('Kobenhavn')", 1),
    ("ACCENTI(CASEI(name))=accenti(casei('kobenhavn'))", 1),
    ("ACCENTI(CASEI(name))=accenti(casei('KOBENHAVN'))", 1),
    ("ACCENTI(name) LIKE accenti('Ko%')", 2),
    ("ACCENTI(CASEI(name)) LIKE accenti(casei('kO%'))", 2),
])
def test_accenti_counts_from_the_standard(cql2, text, count):
    assert len(cql2.ids(PLACES, text)) == count


# --------------------------------------------------------------------------- property-property

PROPERTY_PROPERTY = [
    Case(PLACES, "'København'=name", "'København' = name", op("=", KBH, P("name")), ats=1),
    Case(PLACES, "'København'<=name", "'København' <= name", ats=137),
    Case(PLACES, "'København'<name", "'København' < name", op("<", KBH, P("name")), ats=136),
    Case(PLACES, "'København'>=name", "'København' >= name", ats=107),
    Case(PLACES, "'København'>name", "'København' > name", ats=106),
    Case(PLACES, "'København'<>name", "'København' <> name", ats=242),
    Case(PLACES, "name=nameascii", "name = nameascii", op("=", P("name"), P("nameascii")), ats=230),
    Case(PLACES, "name>=nameascii", "name >= nameascii", ats=243),
    Case(PLACES, "name>nameascii", "name > nameascii", op(">", P("name"), P("nameascii")), ats=13),
    Case(PLACES, "name<=nameascii", "name <= nameascii", ats=230),
    Case(PLACES, "name<nameascii", "name < nameascii", ats=0),
    Case(PLACES, "name<>nameascii", "name <> nameascii", ats=13),
    Case(PLACES, "1038288=pop_other", "1038288 = pop_other", op("=", 1038288, P("pop_other")), ats=1),
    Case(PLACES, "1038288<=pop_other", "1038288 <= pop_other", ats=123),
    Case(PLACES, "1038288<pop_other", "1038288 < pop_other", ats=122),
    Case(PLACES, "1038288>=pop_other", "1038288 >= pop_other", ats=121),
    Case(PLACES, "1038288>pop_other", "1038288 > pop_other", ats=120),
    Case(PLACES, "1038288<>pop_other", "1038288 <> pop_other", ats=242),
    Case(PLACES, "pop_min=pop_max", "pop_min = pop_max", op("=", P("pop_min"), P("pop_max")), ats=27),
    Case(PLACES, "pop_min<=pop_max", "pop_min <= pop_max", ats=243),
    Case(PLACES, "pop_min<pop_max", "pop_min < pop_max", ats=216),
    Case(PLACES, "pop_min>=pop_max", "pop_min >= pop_max", ats=27),
    Case(PLACES, "pop_min>pop_max", "pop_min > pop_max", ats=0),
    Case(PLACES, "pop_min<>pop_max", "pop_min <> pop_max", ats=216),
    Case(PLACES, "pop_other > pop_max", "pop_other > pop_max", op(">", P("pop_other"), P("pop_max"))),
    Case(PLACES, "start=\"end\"", "start = \"end\"", op("=", P("start"), P("end")), ats=0),
    Case(PLACES, "start<=\"end\"", "start <= \"end\"", ats=3),
    Case(PLACES, "start<\"end\"", "start < \"end\"", ats=3),
    Case(PLACES, "start>=\"end\"", "start >= \"end\"", ats=0),
    Case(PLACES, "start>\"end\"", "start > \"end\"", ats=0),
    Case(PLACES, "start<>\"end\"", "start <> \"end\"", ats=3),
    Case(PLACES, "'København' LIKE 'K_benhavn'", "1", op("like", KBH, "K_benhavn"), ats=243),
    Case(PLACES, "'København' NOT LIKE 'K_benhavn'", "0", ats=0),
    Case(PLACES, "pop_other between pop_min and pop_max", "pop_other BETWEEN pop_min AND pop_max",
         op("between", P("pop_other"), P("pop_min"), P("pop_max")), ats=94),
    Case(PLACES, "pop_other not between pop_min and pop_max", "pop_other NOT BETWEEN pop_min AND pop_max",
         ats=149),
    Case(PLACES, "name IN (nameascii, 'Paris')", "name IN (nameascii, 'Paris')"),
    Case(PLACES, "adm0name = sov0name", "adm0name = sov0name", op("=", P("adm0name"), P("sov0name"))),
    Case(COUNTRIES, "NAME = NAME_LONG", "NAME = NAME_LONG", op("=", P("NAME"), P("NAME_LONG"))),
    Case(COUNTRIES, "NAME_EN <> NAME", "NAME_EN <> NAME"),
    # value = value (ATS comparison-value-value): constant TRUE or FALSE for every place
    Case(PLACES, "'foo' = 'foo'", "1", ats=243),
    Case(PLACES, "'foo' <> 'foo'", "0", ats=0),
    Case(PLACES, "3.14 >= 3.14", "1", op(">=", 3.14, 3.14), ats=243),
    Case(PLACES, "1 < 1", "0", ats=0),
    Case(PLACES, "true = true", "1", ats=243),
    Case(PLACES, "TIMESTAMP('2022-04-14T14:48:46Z') <= TIMESTAMP('2022-04-14T14:48:46Z')", "1", ats=243),
    Case(PLACES, "DATE('2022-04-14') > DATE('2022-04-14')", "0",
         op(">", {"date": "2022-04-14"}, {"date": "2022-04-14"}), ats=0),
    Case(PLACES, "DATE('2022-04-14') < DATE('2022-04-15') AND name = 'Paris'", "name = 'Paris'", ats=1),
]


@pytest.mark.parametrize("case", case_params(PROPERTY_PROPERTY))
def test_property_property(cql2, cql2_source, case):
    check(cql2, cql2_source, case)


# --------------------------------------------------------------------------- arithmetic

def num(expr: Callable[[dict], float | None]) -> Callable[[dict], Any]:
    """Wraps an arithmetic predicate: NULL (None) operands or division by zero give NULL."""
    def predicate(p: dict) -> Any:
        try:
            return expr(p)
        except (TypeError, ZeroDivisionError):
            return None
    return predicate


ARITHMETIC = [
    Case(PLACES, "pop_other=1038280+8", "pop_other = 1038288",
         op("=", P("pop_other"), op("+", 1038280, 8)), ats=1),
    Case(PLACES, "pop_other>=1038290-2*2^0", "pop_other >= 1038288",
         op(">=", P("pop_other"), op("-", 1038290, op("*", 2, op("^", 2, 0)))), ats=123),
    Case(PLACES, "pop_other>1038290-20/10", "pop_other > 1038288", ats=122),
    Case(PLACES, "pop_other>1038290-21 div 10", "pop_other > 1038288",
         op(">", P("pop_other"), op("-", 1038290, op("div", 21, 10))), ats=122),
    Case(PLACES, "pop_other>1038290-5%2", "pop_other > 1038289",
         op(">", P("pop_other"), op("-", 1038290, op("%", 5, 2))), ats=122),
    Case(PLACES, "pop_other<=1038200+8*11", "pop_other <= 1038288", ats=121),
    Case(PLACES, "pop_other<1038280+2^3", "pop_other < 1038288", ats=120),
    Case(PLACES, "pop_other<>1038290-2^1", "pop_other <> 1038288", ats=242),
    Case(PLACES, "pop_other between 4000000/4 and (3*(900000+100000))",
         "pop_other BETWEEN 1000000 AND 3000000", ats=75),
    Case(PLACES, "pop_other not between 4000000/4 and (3*(900000+100000))",
         "pop_other NOT BETWEEN 1000000 AND 3000000", ats=168),
    Case(PLACES, "pop_other in (1000000+38288,1000000+600000+11692,3*1000000+13258,3*1000000+13257,30*100000+13259)",
         "pop_other IN (1038288,1611692,3013258,3013257,3013259)", ats=3),
    Case(PLACES, "pop_other not in (1000000+38288,1000000+600000+11692,3*1000000+13258,3*1000000+13257,30*100000+13259)",
         "pop_other NOT IN (1038288,1611692,3013258,3013257,3013259)", ats=240),
    Case(PLACES, "1038280+8=pop_other", "pop_other = 1038288", ats=1),
    Case(COUNTRIES, "POP_EST / 1000000 > 100", num(lambda p: p["POP_EST"] / 1000000 > 100),
         op(">", op("/", P("POP_EST"), 1000000), 100)),
    Case(COUNTRIES, "2 * POP_EST + 1 >= 2.5E8", num(lambda p: 2 * p["POP_EST"] + 1 >= 2.5e8)),
    Case(PLACES, "pop_max / 1000 = 0.832", num(lambda p: p["pop_max"] / 1000 == 0.832),
         op("=", op("/", P("pop_max"), 1000), 0.832), ats=1),  # '/' is not integer division
    Case(PLACES, "pop_max / 2 < 300", num(lambda p: p["pop_max"] / 2 < 300)),
    Case(PLACES, "pop_max div 1000 = 0", num(lambda p: p["pop_max"] // 1000 == 0),
         op("=", op("div", P("pop_max"), 1000), 0)),
    Case(PLACES, "pop_max % 1000 = 0", num(lambda p: p["pop_max"] % 1000 == 0),
         op("=", op("%", P("pop_max"), 1000), 0)),
    Case(PLACES, "pop_max - pop_min * 2 > 0", num(lambda p: p["pop_max"] - p["pop_min"] * 2 > 0),
         op(">", op("-", P("pop_max"), op("*", P("pop_min"), 2)), 0)),
    Case(PLACES, "(pop_max - pop_min) * 2 > 1000000", num(lambda p: (p["pop_max"] - p["pop_min"]) * 2 > 1000000)),
    Case(PLACES, "pop_max - pop_min - pop_other > 0",  # left-associative
         num(lambda p: (p["pop_max"] - p["pop_min"]) - p["pop_other"] > 0)),
    Case(PLACES, "pop_max / pop_min / 2 > 10", num(lambda p: (p["pop_max"] / p["pop_min"]) / 2 > 10)),
    Case(PLACES, "2 ^ 3 ^ 2 = 512 AND name = 'Paris'", num(lambda p: p["name"] == "Paris"), ats=1),  # right-assoc.
    Case(PLACES, "pop_max + pop_min + pop_other > 3 * pop_max", num(
        lambda p: p["pop_max"] + p["pop_min"] + p["pop_other"] > 3 * p["pop_max"])),
    Case(PLACES, "pop_max * 1.5 >= 30000000", num(lambda p: p["pop_max"] * 1.5 >= 30000000)),
    Case(PLACES, "pop_max - 1000000 < -999000", num(lambda p: p["pop_max"] - 1000000 < -999000)),
    Case(PLACES, "(pop_max + pop_min) / 2 BETWEEN 1E6 AND 2E6",
         num(lambda p: 1e6 <= (p["pop_max"] + p["pop_min"]) / 2 <= 2e6)),
]


@pytest.mark.parametrize("case", case_params(ARITHMETIC))
def test_arithmetic(cql2, cql2_source, case):
    check(cql2, cql2_source, case)


def test_division_by_zero_is_not_a_server_error(cql2):
    for text in ("pop_max / 0 > 1", "pop_max div 0 = 1", "pop_max % 0 = 1", "pop_max / (pop_min - pop_min) > 1"):
        r = cql2.get(PLACES, filter=text)
        assert r.status_code in (200, 400), f"{text}: {r.status_code} {r.text[:200]}"
        if r.status_code == 200:
            assert r.json()["numberMatched"] == 0, text


# --------------------------------------------------------------------------- array-functions

JSON_ARRAY_OPS = {"A_EQUALS": "a_equals", "A_CONTAINS": "a_contains", "A_CONTAINEDBY": "a_containedBy",
                  "A_OVERLAPS": "a_overlaps"}


def set_of(values: tuple) -> frozenset:
    return frozenset(set_of(v) if isinstance(v, tuple) else v for v in values)


ARRAY_OPS = {
    "A_EQUALS": lambda a, b: set_of(a) == set_of(b),
    "A_CONTAINS": lambda a, b: set_of(a) >= set_of(b),
    "A_CONTAINEDBY": lambda a, b: set_of(a) <= set_of(b),
    "A_OVERLAPS": lambda a, b: bool(set_of(a) & set_of(b)),
}


def text_array(values: tuple) -> str:
    def element(v):
        if isinstance(v, tuple):
            return text_array(v)
        if isinstance(v, str):
            return "'" + v.replace("'", "''") + "'"
        return repr(v).lower() if isinstance(v, bool) else repr(v)
    return "(" + ", ".join(element(v) for v in values) + ")"


def json_array(values: tuple) -> list:
    return [json_array(v) if isinstance(v, tuple) else v for v in values]


ARRAYS = [
    ("A_CONTAINS", ("a", "b", "c"), ("a", "b")),
    ("A_CONTAINS", ("a", "b", "c"), ("a", "d")),
    ("A_CONTAINS", ("a", "b"), ("a", "b", "c")),
    ("A_CONTAINEDBY", ("a", "b"), ("a", "b", "c")),
    ("A_CONTAINEDBY", ("a", "b", "c"), ("a", "b")),
    ("A_CONTAINEDBY", ("b", "a"), ("a", "b")),
    ("A_EQUALS", ("a", "b", "c"), ("a", "b", "c")),
    ("A_EQUALS", ("a", "b", "c"), ("a", "b")),
    ("A_OVERLAPS", ("a", "x"), ("a", "b")),
    ("A_OVERLAPS", ("x", "y"), ("a", "b")),
    ("A_OVERLAPS", (1, 2, 3), (3, 4)),
    ("A_CONTAINS", (1, 2, 3), (2, 3)),
    ("A_CONTAINS", (1.5, 2.5, 3.5), (2.5, 3.5)),
    ("A_CONTAINS", (1, "a", True), ("a", True)),
    ("A_EQUALS", (("a", "b"), "c"), (("a", "b"), "c")),
]
# Arrays: one-element and empty text arrays, set equality.
ARRAYS_SINGLE = [
    ("A_CONTAINS", ("a", "b", "c"), ("a",)),
    ("A_CONTAINEDBY", ("a",), ("a", "b")),
    ("A_EQUALS", ("a",), ("a",)),
    ("A_OVERLAPS", ("a",), ("a", "b")),
]
ARRAYS_UNORDERED = [
    ("A_EQUALS", ("a", "b", "c"), ("c", "b", "a")),
    ("A_EQUALS", (1, 2, 3), (3, 2, 1)),
    ("A_EQUALS", ("a", "a", "b"), ("b", "a")),
]


def check_array(cql2, cql2_source, fn, a, b, encoding):
    truth = ARRAY_OPS[fn](a, b)
    berlin = {f.fid for f in cql2_source[PLACES] if f.props["name"] == "Berlin"}
    if encoding == "text":
        call = f"{fn}({text_array(a)}, {text_array(b)})"
        and_filter, or_filter = f"{call} AND name = 'Berlin'", f"{call} OR name = 'Berlin'"
    else:
        call = op(JSON_ARRAY_OPS[fn], json_array(a), json_array(b))
        berlin_json = op("=", P("name"), "Berlin")
        and_filter, or_filter = op("and", call, berlin_json), op("or", call, berlin_json)
    everything = {f.fid for f in cql2_source[PLACES]}
    assert cql2.ids(PLACES, and_filter) == (berlin if truth else set()), f"{call} should be {truth}"
    assert cql2.ids(PLACES, or_filter) == (everything if truth else berlin), f"{call} should be {truth}"


@pytest.mark.parametrize("encoding", ["text", "json"])
@pytest.mark.parametrize("fn,a,b", ARRAYS)
def test_array_functions(cql2, cql2_source, fn, a, b, encoding):
    check_array(cql2, cql2_source, fn, a, b, encoding)


@pytest.mark.parametrize("fn,a,b", ARRAYS_SINGLE)
def test_array_functions_single_element_json(cql2, cql2_source, fn, a, b):
    check_array(cql2, cql2_source, fn, a, b, "json")


@pytest.mark.parametrize("fn,a,b", ARRAYS_SINGLE)
def test_array_functions_single_element_text(cql2, cql2_source, fn, a, b):
    check_array(cql2, cql2_source, fn, a, b, "text")


@pytest.mark.parametrize("encoding", ["text", "json"])
@pytest.mark.parametrize("fn,a,b", ARRAYS_UNORDERED)
def test_array_equality_ignores_order(cql2, cql2_source, fn, a, b, encoding):
    check_array(cql2, cql2_source, fn, a, b, encoding)


def test_empty_array_in_text(cql2, cql2_source):
    berlin = {f.fid for f in cql2_source[PLACES] if f.props["name"] == "Berlin"}
    assert cql2.ids(PLACES, "A_CONTAINS(('a','b'), ()) AND name = 'Berlin'") == berlin


def test_empty_array_in_json(cql2, cql2_source):
    berlin = {f.fid for f in cql2_source[PLACES] if f.props["name"] == "Berlin"}
    assert cql2.ids(PLACES, op("and", op("a_contains", ["a", "b"], []), op("=", P("name"), "Berlin"))) == berlin
    assert cql2.ids(PLACES, op("and", op("a_overlaps", ["a", "b"], []), op("=", P("name"), "Berlin"))) == set()


def test_property_as_array_element(cql2, cql2_source):
    """/req/array-functions/array-predicates A: array elements may be properties (and
    functions or arithmetic), built per feature. Berlin's (name, 'Paris') is inside the
    pair as well as Paris's."""
    names = {f.fid: f.props["name"] for f in cql2_source[PLACES]}
    want = {fid for fid, n in names.items() if {n, "Paris"} <= {"Paris", "Berlin"}}
    assert len(want) == 2
    assert cql2.ids(PLACES, "A_CONTAINS(('Paris','Berlin'), (name, 'Paris'))") == want
    assert cql2.ids(PLACES, op("a_contains", ["Paris", "Berlin"], [P("name"), "Paris"])) == want


def test_arrays_of_properties_as_sets(cql2, cql2_source):
    places = cql2_source[PLACES]
    overlap = {f.fid for f in places if {f.props["name"], f.props["nameascii"]} & {"São Paulo", "Zurich", "Berlin"}}
    assert overlap
    assert cql2.ids(PLACES, "A_OVERLAPS((name, nameascii), ('São Paulo', 'Zurich', 'Berlin'))") == overlap
    same = {f.fid for f in places if f.props["name"] == f.props["nameascii"]}
    assert 0 < len(same) < len(places)
    # In CQL2 text "(name)" is the property in parentheses, not an array: two elements
    # there, one in CQL2-JSON.
    assert cql2.ids(PLACES, "A_EQUALS((name, '~'), (nameascii, '~'))") == same
    assert cql2.ids(PLACES, op("a_equals", [P("name")], [P("nameascii")])) == same
    assert cql2.ids(PLACES, "A_CONTAINEDBY((CASEI(name), '~'), (casei('paris'), casei('BERLIN'), '~'))") == {
        f.fid for f in places if f.props["name"].lower() in ("paris", "berlin")}
    paris = {f.fid for f in places if f.props["name"] == "Paris"}
    assert paris
    assert cql2.ids(PLACES, op("a_contains", [["Paris"], "a"], [[P("name")]])) == paris  # nested, with a property


# --------------------------------------------------------------------------- text and JSON agree

def test_every_case_with_a_json_form_has_one(cql2):
    """Sanity: the suite compares the encodings for a good share of the cases."""
    all_cases = BASIC + NESTED + ADVANCED + INSENSITIVE + PROPERTY_PROPERTY + ARITHMETIC
    assert sum(c.json is not None for c in all_cases) >= 60


# --------------------------------------------------------------------------- with the other parameters

def test_filter_with_bbox(cql2, cql2_source):
    box = (-10.0, 35.0, 30.0, 60.0)
    expected = {f.fid for f in cql2_source[PLACES]
                if f.props["pop_max"] > 1000000 and intersects_bbox(f.geometry, box)}
    assert expected
    got = cql2.ids(PLACES, "pop_max > 1000000", bbox=",".join(map(str, box)))
    assert got == expected
    got = cql2.ids(PLACES, op(">", P("pop_max"), 1000000), bbox=",".join(map(str, box)))
    assert got == expected


def test_filter_with_property_equals_value(cql2, cql2_source):
    expected = {f.fid for f in cql2_source[PLACES]
                if f.props["adm0name"] == "China" and f.props["pop_max"] > 5000000}
    assert len(expected) > 1
    assert cql2.ids(PLACES, "pop_max > 5000000", adm0name="China") == expected
    # The two are ANDed: a contradiction selects nothing.
    assert cql2.ids(PLACES, "adm0name = 'India'", adm0name="China") == set()


def test_filter_with_bbox_and_property_and_paging(cql2, cql2_source):
    box = (-180.0, -90.0, 0.0, 90.0)
    expected = {f.fid for f in cql2_source[PLACES]
                if f.props["featurecla"] == "Admin-0 capital" and like(f.props["name"], "%a%")
                and intersects_bbox(f.geometry, box)}
    assert len(expected) > 12
    got = cql2.ids(PLACES, "name LIKE '%a%'", bbox="-180,-90,0,90", featurecla="Admin-0 capital", limit=5)
    assert got == expected


def test_next_links_keep_the_filter(cql2, cql2_source):
    text = "CONTINENT = 'Africa' AND POP_EST > 1E7"
    expected = sql_fids(COUNTRIES, "CONTINENT = 'Africa' AND POP_EST > 10000000")
    r = cql2.get(COUNTRIES, filter=text, **{"filter-lang": "cql2-text"}, limit=4)
    nxt = next(lk["href"] for lk in r.json()["links"] if lk["rel"] == "next")
    assert "filter=" in nxt and "filter-lang=cql2-text" in nxt
    assert cql2.ids(COUNTRIES, text, limit=4) == expected
    js = op("and", op("=", P("CONTINENT"), "Africa"), op(">", P("POP_EST"), 1e7))
    assert cql2.ids(COUNTRIES, js, limit=3) == expected


def test_filter_lang_default_is_cql2_text(cql2, cql2_source):
    expected = sql_fids(COUNTRIES, "NAME = 'France'")
    assert cql2.ids(COUNTRIES, "NAME = 'France'") == expected
    assert cql2.ids(COUNTRIES, "NAME = 'France'", lang="cql2-text") == expected
    assert cql2.ids(COUNTRIES, "NAME = 'France'", **{"filter-crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}) == expected


# --------------------------------------------------------------------------- sortby and properties

def sort_key(props: dict, fid: int, keys: list[tuple[str, bool]]) -> tuple:
    """Ascending/descending on several keys, then id ascending. Only non-null keys are used
    by the callers, so no NULL ordering convention is assumed."""
    out = []
    for name, descending in keys:
        v = props[name]
        if descending:
            v = -v if isinstance(v, (int, float)) else tuple(-ord(c) for c in v) + (1,)
        out.append(v)
    return tuple(out) + (fid,)


@pytest.mark.parametrize("sortby,keys,layer,filter", [
    ("-pop_max", [("pop_max", True)], PLACES, None),
    ("pop_max", [("pop_max", False)], PLACES, "adm0name = 'China'"),
    ("+name", [("name", False)], PLACES, None),                      # code point order: Ō after Z
    ("-name", [("name", True)], PLACES, "pop_max > 3000000"),
    ("featurecla,-pop_min", [("featurecla", False), ("pop_min", True)], PLACES, None),
    ("pop_max DESC", [("pop_max", True)], PLACES, "pop_max < 100000"),
    ("pop_max ASC", [("pop_max", False)], PLACES, "pop_max < 100000"),
    ("CONTINENT,-POP_EST", [("CONTINENT", False), ("POP_EST", True)], COUNTRIES, None),
    ("SUBREGION", [("SUBREGION", False)], COUNTRIES, "CONTINENT = 'Africa'"),  # many ties: by id
    ("name", [("name", False)], RIVERS, None),
])
def test_sortby(cql2, cql2_source, sortby, keys, layer, filter):
    source = cql2_source[layer]
    subset = sql_fids(layer, filter) if filter else None  # these filters are SQL too
    chosen = [f for f in source if subset is None or f.fid in subset]
    expected = [f.fid for f in sorted(chosen, key=lambda f: sort_key(f.props, f.fid, keys))]
    params = {"sortby": sortby}
    if filter:
        params["filter"] = filter
    got = [f["id"] for f in cql2.items(layer, limit=17, **params)]  # across pages
    assert got == expected


def test_sortby_on_a_filtered_json_query_across_pages(cql2, cql2_source):
    js = op("and", op("like", P("name"), "S%"), op(">", P("pop_max"), 100000))
    chosen = [f for f in cql2_source[PLACES] if like(f.props["name"], "S%") and f.props["pop_max"] > 100000]
    expected = [f.fid for f in sorted(chosen, key=lambda f: (-f.props["pop_max"], f.fid))]
    got = [f["id"] for f in cql2.items(PLACES, js, limit=3, sortby="-pop_max")]
    assert got == expected


@pytest.mark.parametrize("properties,layer", [
    ("name", PLACES), ("name,pop_max", PLACES), ("pop_max,name,date", PLACES),
    ("NAME,CONTINENT,POP_EST", COUNTRIES), ("name_en", RIVERS),
])
def test_properties_returns_only_those(cql2, cql2_source, properties, layer):
    wanted = properties.split(",")
    by_fid = {f.fid: f for f in cql2_source[layer]}
    features = cql2.items(layer, properties=properties, limit=50)
    assert len(features) == len(by_fid)
    for f in features:
        assert set(f["properties"]) == set(wanted), f["properties"].keys()
        assert f["geometry"] is not None
        for name in wanted:
            src = by_fid[f["id"]].props[name]
            assert f["properties"][name] == src or f["properties"][name] == float(src)


def test_properties_with_a_filter_and_sortby_on_other_properties(cql2, cql2_source):
    chosen = [f for f in cql2_source[PLACES] if f.props["adm0name"] == "India"]
    expected = [f.fid for f in sorted(chosen, key=lambda f: (-f.props["pop_min"], f.fid))]
    features = cql2.items(PLACES, "adm0name = 'India'", properties="name", sortby="-pop_min")
    assert [f["id"] for f in features] == expected
    assert all(set(f["properties"]) == {"name"} for f in features)


# --------------------------------------------------------------------------- functions (/functions)


def test_functions_endpoint_lists_what_filters_can_call(cql2):
    doc = cql2.s.get(cql2.base + "/functions", timeout=30).json()
    names = {f["name"] for f in doc["functions"]}
    assert {"lower", "upper", "length", "abs"} <= names
    for f in doc["functions"]:
        assert f["arguments"] and f["returns"], f
    conformance = cql2.s.get(cql2.base + "/conformance", timeout=30).json()["conformsTo"]
    assert "http://www.opengis.net/spec/cql2/1.0/conf/functions" in conformance


@pytest.mark.parametrize("text,predicate", [
    ("upper(name) = 'PARIS'", lambda p: (p["name"] or "").upper() == "PARIS"),
    ("LOWER(name) LIKE 'san%'", lambda p: (p["name"] or "").lower().startswith("san")),
    ("length(name) > 12", lambda p: len(p["name"] or "") > 12),
    ("abs(pop_max - pop_min) < 1000", lambda p: p["pop_max"] is not None and p["pop_min"] is not None and abs(p["pop_max"] - p["pop_min"]) < 1000),
])
def test_functions_match_python(cql2, cql2_source, text, predicate):
    want = {f.fid for f in cql2_source[PLACES] if predicate(f.props)}
    assert want, "the case selects nothing"
    assert cql2.ids(PLACES, text) == want
