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
