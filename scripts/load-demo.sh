#!/usr/bin/env bash
# Loads the demo data of data/demo into a store (default data/amis.gpkg).
# Each import replaces its collection atomically, so running this again is safe.
# Runs in the caller's folder: a PostGIS store's files (rasters/) go to its [store] data_dir,
# "data" there, as for any amis command.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
AMIS="${AMIS_BIN:-$ROOT/build/release/bin/amis}"
STORE="${1:-$ROOT/data/amis.gpkg}"
D="$ROOT/data/demo"
case "$STORE" in
  postgresql://* | postgres://*) ;;  # a database: no folder to make (it made "postgresql:/amis?host=..." here)
  *) mkdir -p "$(dirname "$STORE")" ;;
esac
"$AMIS" import "$D/asean3_countries.geojson" --store "$STORE" --collection countries \
  --title "ASEAN+3 countries" \
  --description "The ten ASEAN Member States and China, Japan and the Republic of Korea (Natural Earth 1:10m admin-0, de facto boundaries)." \
  --keywords "countries,boundaries,ASEAN,Plus Three" \
  --licence "Public domain (Natural Earth); world-atlas packaging ISC" \
  --attribution "Made with Natural Earth"
"$AMIS" import "$D/asean3_coal_mines_gem_gcmt.gpkg" --store "$STORE" --collection coal_mines \
  --layer coal_mines --title "Coal mines (GEM Global Coal Mine Tracker)" \
  --description "Operating, proposed, mothballed, shelved and cancelled coal mines and projects in ASEAN+3: status, capacity, production, coal type, owners." \
  --keywords "coal,mines,mining,energy,GEM" --licence "CC BY 4.0" \
  --attribution "Global Energy Monitor, Global Coal Mine Tracker"
"$AMIS" import "$D/asean3_coal_mine_boundaries_gem.gpkg" --store "$STORE" --collection coal_mine_boundaries \
  --layer coal_mine_boundaries --title "Coal mine boundaries (GEM)" \
  --description "Mapped boundaries of coal mines in China and Indonesia, from GEM's Coal Mine Boundaries and Methane Sources v1.0.2." \
  --keywords "coal,mines,boundaries,methane,GEM" --licence "CC BY 4.0" \
  --attribution "Global Energy Monitor, Coal Mine Boundaries and Methane Sources"
"$AMIS" import "$D/asean3_mine_facilities_jasansky.geojson" --store "$STORE" --collection mine_facilities \
  --title "Mine facilities (open mine production database)" \
  --description "Located coal and metal mines, smelters and refineries with their commodities, from Jasansky et al. (2023), An open database on global coal and metal mine production, Scientific Data 10:52." \
  --keywords "mines,facilities,production,commodities" --licence "GPL-3.0" \
  --attribution "Jasansky, Lieber, Giljum, Maus (2023), fineprint-global/compilation_mining_data"
# The minerals layers: deposits, deposit-type databases, iron ore mines, production statistics
# and the tectonic setting (sources and licences in data/demo/README.md, sections 6-10).
"$AMIS" import "$D/asean3_mineral_deposits_usgs.gpkg" --store "$STORE" --collection critical_mineral_deposits \
  --layer critical_mineral_deposits --title "Critical mineral deposits (USGS)" \
  --description "Deposits of critical minerals in ASEAN+3 with their commodity and deposit type, from USGS Professional Paper 1802." \
  --keywords "critical minerals,deposits,USGS" --licence "Public domain (USGS)" \
  --attribution "U.S. Geological Survey, Professional Paper 1802"
"$AMIS" import "$D/asean3_mineral_deposits_usgs.gpkg" --store "$STORE" --collection major_mineral_deposits \
  --layer major_mineral_deposits --title "Major mineral deposits (USGS)" \
  --description "Major mineral deposits of the world cut to ASEAN+3: commodity, commodity group and deposit type (USGS Open-File Report 2005-1294)." \
  --keywords "minerals,deposits,USGS" --licence "Public domain (USGS)" \
  --attribution "U.S. Geological Survey, Open-File Report 2005-1294"
"$AMIS" import "$D/asean3_mineral_deposit_databases_usgs_minmod.gpkg" --store "$STORE" --collection deposit_database_sites \
  --layer deposit_database_sites --title "Deposit-type database sites (USGS)" \
  --description "Sites of 13 USGS deposit-type databases (porphyry copper, nickel-cobalt laterite, rare earths, VMS, chromite, zinc-lead and others) with main commodity and deposit type." \
  --keywords "deposits,deposit types,porphyry copper,laterite,rare earths,USGS" --licence "Public domain (USGS)" \
  --attribution "U.S. Geological Survey deposit-type databases, via DARPA CriticalMAAS MinMod"
"$AMIS" import "$D/asean3_iron_ore_mines_gem.gpkg" --store "$STORE" --collection iron_ore_mines \
  --layer iron_ore_mines --title "Iron ore mines (GEM)" \
  --description "Operating and proposed iron ore mines in ASEAN+3 with owner, production and design capacity, from GEM's Global Iron Ore Mines Tracker." \
  --keywords "iron ore,mines,GEM" --licence "CC BY 4.0" \
  --attribution "Global Energy Monitor, Global Iron Ore Mines Tracker"
"$AMIS" import "$D/asean3_mineral_production_usgs_mcs2024.gpkg" --store "$STORE" --collection mineral_production \
  --layer mcs2024_world_production --title "Mineral production and reserves by country (USGS MCS 2024)" \
  --description "Production, reserves and capacity by country and commodity for 77 commodities, as published in the USGS Mineral Commodity Summaries 2024 (a table without geometry)." \
  --keywords "production,reserves,statistics,USGS" --licence "Public domain (USGS)" \
  --attribution "U.S. Geological Survey, Mineral Commodity Summaries 2024"
"$AMIS" import "$D/asean3_tectonic_plates_pb2002.gpkg" --store "$STORE" --collection plate_boundaries \
  --layer plate_boundaries --title "Plate boundaries (PB2002)" \
  --description "Tectonic plate boundaries of the digital model PB2002 (Bird 2003) with their type." \
  --keywords "tectonics,plate boundaries,geology" --licence "ODC-BY 1.0" \
  --attribution "Bird, P. (2003), An updated digital model of plate boundaries, G3 4(3)"
"$AMIS" import "$D/asean3_tectonic_plates_pb2002.gpkg" --store "$STORE" --collection plates \
  --layer plates --title "Tectonic plates (PB2002)" \
  --description "Tectonic plates of the digital model PB2002 (Bird 2003)." \
  --keywords "tectonics,plates,geology" --licence "ODC-BY 1.0" \
  --attribution "Bird, P. (2003), An updated digital model of plate boundaries, G3 4(3)"
# Named styles (SLD 1.1 / SE 1.1), kept in the store with the data they style.
"$AMIS" style add --store "$STORE" --collection coal_mines --name status-capacity "$D/styles/coal_mines-status-capacity.sld"
"$AMIS" style add --store "$STORE" --collection countries --name asean-plus-three "$D/styles/countries-asean-plus-three.sld"
"$AMIS" style add --store "$STORE" --collection coal_mine_boundaries --name outline "$D/styles/coal_mine_boundaries-outline.sld"
# A raster layer: the EGM96 geoid, drawn with a blue-white-red ramp (WMS).
"$AMIS" raster add "$D/asean3_egm96_geoid_15min.tif" --store "$STORE" --id geoid \
  --title "EGM96 geoid undulation (m)" \
  --description "Height of the EGM96 geoid above the WGS 84 ellipsoid in metres, 15 arc-minute grid, ASEAN+3 window." \
  --attribution "NGA/NASA EGM96, via the PROJ datum grids (Debian proj-data)" --licence "Public domain"
# Two generated coverages (data/demo/README.md, sections 11-12): the IGRF-12 main field and the
# member states' country-code grid, written by scripts/make_demo_coverages.py into a temporary folder.
GEN=$(mktemp -d)
trap 'rm -rf "$GEN"' EXIT
/usr/bin/python3 "$ROOT/scripts/make_demo_coverages.py" "$GEN"
"$AMIS" raster add "$GEN/igrf_main_field.tif" --store "$STORE" --id igrf_main_field \
  --title "Geomagnetic main field, IGRF-12 at 2015.0" \
  --description "The International Geomagnetic Reference Field (IGRF-12) main field at epoch 2015.0 at sea level (height 0 on the WGS 84 ellipsoid), 0.25 degree grid, ASEAN+3 window: total intensity F, horizontal intensity H, vertical component Z (nT), declination D and inclination I (degrees). A spherical-harmonic model of degree 13 of the core field: no crustal anomalies, no secular variation after 2015.0, not a survey." \
  --attribution "IAGA Working Group V-MOD, IGRF-12 (Thébault et al. 2015), coefficients via Debian casacore-data-igrf" \
  --licence "Public domain" \
  --band-names F,H,Z,D,I --units nT,nT,nT,deg,deg \
  --band-description "total intensity" --band-description "horizontal intensity" \
  --band-description "vertical component, positive down" \
  --band-description "declination, east of geodetic north positive" \
  --band-description "inclination, below the horizontal positive"
"$AMIS" raster add "$GEN/country_codes.tif" --store "$STORE" --id country_codes \
  --title "ASEAN+3 country codes" \
  --description "The ten ASEAN Member States and China, Japan and the Republic of Korea on a 0.05 degree grid: each cell holds the ISO 3166-1 numeric code of the country containing its centre (Natural Earth 1:10m de facto boundaries), 0 (nodata) elsewhere. Codes: BRN 96, MMR 104, KHM 116, CHN 156, IDN 360, JPN 392, KOR 410, LAO 418, MYS 458, PHL 608, SGP 702, VNM 704, THA 764." \
  --attribution "Made with Natural Earth" --licence "Public domain (Natural Earth)" \
  --band-names country \
  --band-description "ISO 3166-1 numeric code of the member state; 0 outside ASEAN+3"
# The ASOMM+3 work plan 2022–2025 (programme areas, activities, expected outputs), for the
# work-plan monitoring pages; loading it again replaces its texts and keeps the Appendix.
"$AMIS" workplan load "$ROOT/data/workplans/workplan-2022-2025.yaml" --store "$STORE"
