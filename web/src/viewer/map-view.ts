// The map: Web Mercator (the tiles' WebMercatorQuad), the ASEAN+3 countries as the
// base map from AMIS's own vector tiles, a scale bar and the pointer's coordinates.
// No background from the internet unless the user asks for one.
import Map from 'ol/Map';
import View from 'ol/View';
import TileLayer from 'ol/layer/Tile';
import VectorLayer from 'ol/layer/Vector';
import VectorTileLayer from 'ol/layer/VectorTile';
import OSM from 'ol/source/OSM';
import VectorSource from 'ol/source/Vector';
import VectorTileSource from 'ol/source/VectorTile';
import MVT from 'ol/format/MVT';
import { defaults as defaultControls, MousePosition, ScaleLine } from 'ol/control';
import { fromLonLat, transformExtent } from 'ol/proj';
import { Circle, Fill, Stroke, Style, Text } from 'ol/style';
import type { FeatureLike } from 'ol/Feature';
import { onLanguageChange, t } from '../i18n';

export const ASEAN_PLUS_THREE: [number, number, number, number] = [90, -12, 150, 50];

export interface MapView {
  map: Map;
  countries: VectorTileLayer;
  osm: TileLayer<OSM>;
  highlight: VectorLayer<VectorSource>;
}

function countryStyle(feature: FeatureLike, resolution: number): Style {
  const name = resolution < 4000 ? String(feature.get('name') ?? '') : '';
  return new Style({
    fill: new Fill({ color: '#f4f1e8' }),
    stroke: new Stroke({ color: '#8c8270', width: 0.8 }),
    text: name ? new Text({ text: name, font: '600 12px system-ui, sans-serif', fill: new Fill({ color: '#5b5346' }),
      stroke: new Stroke({ color: '#f4f1e8', width: 3 }), overflow: false }) : undefined,
  });
}

export function createMap(target: HTMLElement, root: string): MapView {
  const countries = new VectorTileLayer({
    source: new VectorTileSource({
      format: new MVT(),
      url: `${root}/collections/countries/tiles/WebMercatorQuad/{z}/{y}/{x}`,
      maxZoom: 12,
      attributions: 'Countries: Natural Earth',
    }),
    style: countryStyle,
    declutter: true,
    properties: { amisLayer: 'countries', title: 'Countries (base map)' },
  });
  const osm = new TileLayer({ source: new OSM(), visible: false, properties: { title: 'OpenStreetMap' } });
  const highlight = new VectorLayer({
    source: new VectorSource(),
    style: new Style({
      image: new Circle({ radius: 9, stroke: new Stroke({ color: '#ffbf00', width: 3 }) }),
      stroke: new Stroke({ color: '#ffbf00', width: 3 }),
      fill: new Fill({ color: 'rgba(255,191,0,0.15)' }),
    }),
    zIndex: 1000,
  });
  const mouse = new MousePosition({
    coordinateFormat: (c) => (c ? t('map.coordinates', { lat: c[1].toFixed(4), lon: c[0].toFixed(4) }) : ''),
    projection: 'EPSG:4326',
    className: 'coordinates',
    placeholder: t('map.pointAt'),
  });
  const map = new Map({
    target,
    layers: [osm, countries, highlight],
    controls: defaultControls({ attributionOptions: { collapsible: true } }).extend([new ScaleLine({ bar: true, minWidth: 100 }), mouse]),
    view: new View({ center: fromLonLat([115, 15]), zoom: 3, maxZoom: 19 }),
  });
  // OpenLayers keeps the placeholder from the start (no setter): the new one is set where
  // the control reads it, and shown at once when the pointer is off the map.
  onLanguageChange(() => {
    (mouse as unknown as { placeholder_: string }).placeholder_ = t('map.pointAt');
    const shown = target.querySelector('.coordinates');
    if (shown && !/\d/.test(shown.textContent ?? '')) shown.textContent = t('map.pointAt');
  });
  // On the map's element, what a screenshot waits on after changing the map: data-loading
  // while images or tiles of the view load, data-rendered the times it was drawn complete.
  map.on('loadstart', () => {
    target.dataset.loading = 'true';
  });
  map.on('loadend', () => {
    delete target.dataset.loading;
  });
  map.on('rendercomplete', () => {
    target.dataset.rendered = String(Number(target.dataset.rendered ?? '0') + 1);
  });
  map.getView().fit(transformExtent(ASEAN_PLUS_THREE, 'EPSG:4326', 'EPSG:3857'), { padding: [10, 10, 10, 10] });
  return { map, countries, osm, highlight };
}

// The view's box in CRS84, clamped to the world.
export function viewBox(map: Map): [number, number, number, number] {
  const size = map.getSize() ?? [800, 600];
  const extent = map.getView().calculateExtent(size);
  const [a, b, c, d] = transformExtent(extent, 'EPSG:3857', 'EPSG:4326');
  return [Math.max(-180, a), Math.max(-90, b), Math.min(180, c), Math.min(90, d)];
}
