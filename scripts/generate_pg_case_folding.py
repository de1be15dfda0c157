#!/usr/bin/python3
"""Writes src/store/postgis/pg_case_folding.hpp: full Unicode case folding for PostgreSQL 15
(the characters whose folding differs from their lower case), from this Python's Unicode data.
Checks, for every code point x, that the mapping applied to lower(x) gives casefold(x).

  /usr/bin/python3 scripts/generate_pg_case_folding.py
"""
from pathlib import Path

one, multi = {}, {}
for cp in range(0x110000):
    if 0xD800 <= cp <= 0xDFFF: continue
    for ch in chr(cp).lower():
        f = ch.casefold()
        if f != ch:
            (one if len(f) == 1 else multi)[ch] = f
def u(s):
    return "".join(f"\\{ord(c):04X}" if ord(c) <= 0xFFFF else f"\\+{ord(c):06X}" for c in s)
keys = sorted(one); mk = sorted(multi)
def wrap_chars(chars, n=20):
    return [u("".join(chars[i:i+n])) for i in range(0, len(chars), n)]
src = list(keys); dst = [one[k] for k in keys]; cls = ["["] + mk + ["]"]
# the literals are split into adjacent string constants PostgreSQL concatenates? No: U&'' literals cannot be
# continued across lines; use || concatenation instead.
def lit(chars):
    return " ||\n      ".join(f"U&'{p}'" for p in wrap_chars(chars))
out = []
out.append("""#pragma once
// Full Unicode case folding (CaseFolding.txt, statuses C and F) in PostgreSQL 15, which
// has no casefold(): what the GeoPackage store's CASEI() gets from ICU's u_strFoldCase
// (store/gpkg/filter_functions.cpp), so that CASEI('Straße') = CASEI('STRASSE') on both
// stores. ICU's lower() first (amis_casei), then here the characters of a lower-cased
// text whose folding differs: 108 one to one (translate: final sigma, long s, micro sign,
// Cherokee ...) and 75 one to many (replace, only when one of them occurs: ß to ss, the
// ligatures, Greek with ypogegrammeni ...). Written by scripts/generate_pg_case_folding.py from str.casefold()
// (Unicode 14) by checking, for every code point x, that this of lower(x) is casefold(x).
// A part of pg_schema.cpp's schema_parts(), before the filter functions that call it.
namespace amis::store::postgis {

inline constexpr const char* kCaseFolding = R"SQL(
CREATE OR REPLACE FUNCTION amis_fold_many(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT""")

chain = "t"
for k in mk:
    chain = f"replace({chain}, U&'{u(k)}', U&'{u(multi[k])}')"
# pretty: nested replace on several lines
lines = ["    " + "replace(" * len(mk) + "$1"]
for k in mk:
    lines.append(f"      , U&'{u(k)}', U&'{u(multi[k])}')")
out.append("\n".join(lines))
out.append("$$;")
out.append("CREATE OR REPLACE FUNCTION amis_fold_translate(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE")
out.append("AS $$ SELECT translate($1,\n      " + lit(src) + ",\n      " + lit(dst) + ") $$;")
out.append("-- Not STRICT, so that it is inlined (a CASE is not strict): the common text, without")
out.append("-- any of those characters, costs one regular expression test (translate() alone costs")
out.append("-- a scan of its 108 characters for each character of the text).")
out.append("CREATE OR REPLACE FUNCTION amis_fold_lower(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE")
out.append("AS $$ SELECT CASE WHEN $1 ~ (")
out.append("      " + lit(["["] + sorted(set(keys) | set(mk)) + ["]"]) + ")")
out.append("  THEN amis_fold_many(amis_fold_translate($1)) ELSE $1 END $$;")
out.append(""")SQL";

}  // namespace amis::store::postgis""")
open(Path(__file__).resolve().parents[1] / "src/store/postgis/pg_case_folding.hpp", "w").write("\n".join(out) + "\n")

def _apply(text: str) -> str:
    return "".join(multi.get(c) or one.get(c) or c for c in text)


for _cp in range(0x110000):
    if not 0xD800 <= _cp <= 0xDFFF:
        assert _apply(chr(_cp).lower()) == chr(_cp).casefold(), hex(_cp)
