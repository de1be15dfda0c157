"""The investor-search data (bench/make_invest_data.py, a fixed seed, small sizes) and its
independent oracle: SpatiaLite (sqlite3 + mod_spatialite) over the generated source file,
never AMIS. Distances in the oracle are SpatiaLite's great-circle ST_Distance(a, b, 0) on
WGS 84's mean radius, the definition amis_within_distance documents; "inside" is ST_Within."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# The licences again as a collection only reviewers may read (a join must not leak it).
RESTRICTED = "licences_restricted"

REPO = Path(__file__).resolve().parents[3]
GENERATOR = REPO / "bench" / "make_invest_data.py"
SIZES = (8000, 4000, 150)  # deposits, licences, ports: every query below has matches and non-matches
SEED = 20261205


def generate(path: Path) -> Path:
    r = subprocess.run([sys.executable, str(GENERATOR), str(path), *map(str, SIZES), "--seed", str(SEED)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return path


@dataclass(frozen=True)
class Question:
    """One investor question: attribute conditions on deposits and the spatial joins."""

    name: str
    commodities: tuple[str, ...]
    min_tonnage: float | None
    countries: tuple[str, ...]
    licence: str | None  # None: no licence condition; "outside-active", "inside-any"
    port_km: float | None
    port_type: str | None = None
    joined_licences: str = "licences"

    def cql2_text(self) -> str:
        parts = []
        if self.commodities:
            parts.append("commodity IN (" + ", ".join(f"'{c}'" for c in self.commodities) + ")")
        if self.min_tonnage is not None:
            parts.append(f"tonnage_mt >= {self.min_tonnage:g}")
        if self.countries:
            parts.append("iso3 IN (" + ", ".join(f"'{c}'" for c in self.countries) + ")")
        if self.licence == "outside-active":
            parts.append(f"NOT amis_inside(geom, '{self.joined_licences}', 'status = ''active''')")
        elif self.licence == "inside-any":
            parts.append(f"amis_inside(geom, '{self.joined_licences}')")
        if self.port_km is not None:
            cond = f", 'port_type = ''{self.port_type}'''" if self.port_type else ""
            parts.append(f"amis_within_distance(geom, 'ports', {self.port_km * 1000:g}{cond})")
        return " AND ".join(parts)

    def cql2_json(self) -> dict:
        args = []
        if self.commodities:
            args.append({"op": "in", "args": [{"property": "commodity"}, list(self.commodities)]})
        if self.min_tonnage is not None:
            args.append({"op": ">=", "args": [{"property": "tonnage_mt"}, self.min_tonnage]})
        if self.countries:
            args.append({"op": "in", "args": [{"property": "iso3"}, list(self.countries)]})
        if self.licence == "outside-active":
            # the condition as CQL2-JSON, not text: both are accepted
            args.append({"op": "not", "args": [{"op": "amis_inside", "args": [
                {"property": "geom"}, self.joined_licences,
                {"op": "=", "args": [{"property": "status"}, "active"]}]}]})
        elif self.licence == "inside-any":
            args.append({"op": "amis_inside", "args": [{"property": "geom"}, self.joined_licences]})
        if self.port_km is not None:
            call = [{"property": "geom"}, "ports", self.port_km * 1000]
            if self.port_type:
                call.append(f"port_type = '{self.port_type}'")
            args.append({"op": "amis_within_distance", "args": call})
        return args[0] if len(args) == 1 else {"op": "and", "args": args}

    def fes(self) -> str:
        """The question as an FES 2.0 filter (WFS 2.0 GetFeature)."""
        parts = []
        if self.commodities:
            ors = "".join(f"<fes:PropertyIsEqualTo><fes:ValueReference>commodity</fes:ValueReference>"
                          f"<fes:Literal>{c}</fes:Literal></fes:PropertyIsEqualTo>" for c in self.commodities)
            parts.append(f"<fes:Or>{ors}</fes:Or>" if len(self.commodities) > 1 else ors)
        if self.min_tonnage is not None:
            parts.append("<fes:PropertyIsGreaterThanOrEqualTo><fes:ValueReference>tonnage_mt</fes:ValueReference>"
                         f"<fes:Literal>{self.min_tonnage:g}</fes:Literal></fes:PropertyIsGreaterThanOrEqualTo>")
        if self.countries:
            ors = "".join(f"<fes:PropertyIsEqualTo><fes:ValueReference>iso3</fes:ValueReference>"
                          f"<fes:Literal>{c}</fes:Literal></fes:PropertyIsEqualTo>" for c in self.countries)
            parts.append(f"<fes:Or>{ors}</fes:Or>" if len(self.countries) > 1 else ors)
        if self.licence == "outside-active":
            parts.append(f"<fes:Not><fes:Function name=\"amis_inside\"><fes:ValueReference>geom</fes:ValueReference>"
                         f"<fes:Literal>{self.joined_licences}</fes:Literal>"
                         "<fes:Literal>status = 'active'</fes:Literal></fes:Function></fes:Not>")
        elif self.licence == "inside-any":
            parts.append(f"<fes:Function name=\"amis_inside\"><fes:ValueReference>geom</fes:ValueReference>"
                         f"<fes:Literal>{self.joined_licences}</fes:Literal></fes:Function>")
        if self.port_km is not None:
            cond = f"<fes:Literal>port_type = '{self.port_type}'</fes:Literal>" if self.port_type else ""
            parts.append("<fes:Function name=\"amis_within_distance\"><fes:ValueReference>geom</fes:ValueReference>"
                         f"<fes:Literal>ports</fes:Literal><fes:Literal>{self.port_km * 1000:g}</fes:Literal>{cond}"
                         "</fes:Function>")
        body = parts[0] if len(parts) == 1 else "<fes:And>" + "".join(parts) + "</fes:And>"
        return f'<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0">{body}</fes:Filter>'


QUESTIONS = [
    # the example (copper or nickel, >= 10 Mt, IDN or PHL, not in an active licence, <= 50 km
    # from a port) with the thresholds the small test data answers (bench/invest_search.sh runs it as is)
    Question("example", ("Cu", "Ni"), 1, ("IDN", "PHL"), "outside-active", 100),
    Question("inside-any-licence", ("Au", "Cu", "Ni", "Sn"), None, ("IDN", "PHL", "MYS"), "inside-any", None),
    Question("seaports-100km", ("Fe", "Ni", "Nickel laterite"), 1, (), None, 100, "seaport"),
    Question("all-joins", (), 0.5, ("CHN", "VNM", "LAO"), "outside-active", 150),
]


class Oracle:
    """SpatiaLite over the generated GeoPackage (its own R-trees, written by GDAL)."""

    def __init__(self, source: Path):
        self.db = sqlite3.connect(":memory:")
        self.db.enable_load_extension(True)
        self.db.load_extension("mod_spatialite")
        self.db.execute("SELECT InitSpatialMetaData(1, 'WGS84_ONLY')")
        self.db.execute("ATTACH ? AS s", (str(source),))

    def ids(self, q: Question) -> set[int]:
        where, args = ["1"], []
        if q.commodities:
            where.append("d.commodity IN (%s)" % ",".join("?" * len(q.commodities)))
            args += q.commodities
        if q.min_tonnage is not None:
            where.append("d.tonnage_mt >= ?")
            args.append(q.min_tonnage)
        if q.countries:
            where.append("d.iso3 IN (%s)" % ",".join("?" * len(q.countries)))
            args += q.countries
        # the source's own R-tree (written by GDAL) narrows the licences to those whose box holds the point
        inside = ("EXISTS (SELECT 1 FROM s.licences l WHERE l.fid IN (SELECT id FROM s.rtree_licences_geom r "
                  "WHERE r.minx <= ST_X(GeomFromGPB(d.geom)) AND r.maxx >= ST_X(GeomFromGPB(d.geom)) "
                  "AND r.miny <= ST_Y(GeomFromGPB(d.geom)) AND r.maxy >= ST_Y(GeomFromGPB(d.geom))) "
                  "AND {cond} ST_Within(GeomFromGPB(d.geom), GeomFromGPB(l.geom)))")
        if q.licence == "outside-active":
            where.append("NOT " + inside.format(cond="l.status = 'active' AND"))
        elif q.licence == "inside-any":
            where.append(inside.format(cond=""))
        if q.port_km is not None:
            where.append("EXISTS (SELECT 1 FROM s.ports p WHERE %s ST_Distance(GeomFromGPB(d.geom), GeomFromGPB(p.geom), 0) <= ?)"
                         % ("p.port_type = ? AND" if q.port_type else ""))
            args += ([q.port_type] if q.port_type else []) + [q.port_km * 1000]
        sql = "SELECT d.id FROM s.deposits d WHERE " + " AND ".join(where)
        return {r[0] for r in self.db.execute(sql, args)}

    def count(self, sql: str) -> int:
        return self.db.execute(sql).fetchone()[0]
