#!/usr/bin/env bash
# Loads the demo data of data/demo into a store (default data/amis.gpkg).
# Each import replaces its collection atomically, so running this again is safe.
set -euo pipefail
cd "$(dirname "$0")/.."
AMIS="${AMIS_BIN:-build/release/bin/amis}"
STORE="${1:-data/amis.gpkg}"
D=data/demo
mkdir -p "$(dirname "$STORE")"
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
# The ASOMM+3 work plan 2022–2025 (programme areas, activities, expected outputs), for the
# work-plan monitoring pages; loading it again replaces its texts and keeps the Appendix.
"$AMIS" workplan load data/workplans/workplan-2022-2025.yaml --store "$STORE"
