// Click on the map: what is there, layer by layer (WMS GetFeatureInfo for map
// images, the drawn features for vector layers), in a readable attribute panel.
import GeoJSON from 'ol/format/GeoJSON';
import Feature from 'ol/Feature';
import Geometry from 'ol/geom/Geometry';
import type RenderFeature from 'ol/render/Feature';
import type { Coordinate } from 'ol/coordinate';
import type { Pixel } from 'ol/pixel';
import type { MapView } from './map-view';
import type { MapLayer } from './map-layers';
import type { PortalState } from '../state';
import { displayValue, type LayerInfo } from '../catalogue';
import { h, clear, announce } from '../dom';
import { t } from '../i18n';
import { displayCode, propertyLabel } from '../code-lists';

// A feature of an items page, as GeoJSON.
export interface Item {
  id: number;
  geometry: unknown;
  properties: Record<string, unknown>;
}

export interface Found {
  layer: LayerInfo;
  id: number | undefined;
  properties: Record<string, unknown>;
  geometry?: Geometry;
}

const geojson = new GeoJSON({ featureProjection: 'EPSG:3857', dataProjection: 'EPSG:4326' });

// Where to identify: a click's map event, or the keyboard crosshair (the view's centre).
export interface Place {
  coordinate: Coordinate; // EPSG:3857
  pixel: Pixel;
}

async function wmsFeatures(layer: MapLayer, event: Place, view: MapView): Promise<Found[]> {
  const source = layer.wmsSource();
  const resolution = view.map.getView().getResolution();
  if (!source || resolution === undefined) return [];
  const url = source.getFeatureInfoUrl(event.coordinate, resolution, 'EPSG:3857',
    { INFO_FORMAT: 'application/json', FEATURE_COUNT: 5, QUERY_LAYERS: layer.info.id });
  if (!url) return [];
  const response = await fetch(url);
  if (!response.ok) return [];
  const doc = await response.json();
  return geojson.readFeatures(doc).map((f) => found(layer.info, f));
}

function found(info: LayerInfo, f: Feature | RenderFeature): Found {
  const properties = { ...f.getProperties() };
  delete properties.geometry;
  delete properties.layer;
  const id = f.getId();
  const g = f.getGeometry();
  const geometry = g instanceof Geometry ? g : undefined;
  return { layer: info, id: id === undefined ? undefined : Number(id), properties, geometry };
}

export async function identify(event: Place, state: PortalState, view: MapView): Promise<Found[]> {
  const results: Found[] = [];
  for (const layer of [...state.layers].reverse()) {
    if (!layer.visible || layer.info.kind !== 'vector') continue;
    if (layer.mode === 'wms') {
      results.push(...await wmsFeatures(layer, event, view));
    } else {
      const features = view.map.getFeaturesAtPixel(event.pixel, { hitTolerance: 4, layerFilter: (l) => l.get('amisLayer') === layer.info.id });
      for (const f of features.slice(0, 5)) results.push(found(layer.info, f));
    }
  }
  return results;
}

export type FeatureAction = { label: () => string; run: (f: Found) => void; when: (f: Found) => boolean };

export function showFound(panel: HTMLElement, results: Found[], view: MapView, actions: FeatureAction[] = []): void {
  view.highlight.getSource()?.clear();
  if (!results.length) {
    clear(panel, h('h2', {}, t('identify.nothingTitle')), h('p', {}, t('identify.nothing')));
    panel.hidden = false;
    announce(t('identify.nothingAnnounced'));
    return;
  }
  const blocks = results.map((f) => {
    const name = f.layer.roles.name ? displayValue(f.properties[f.layer.roles.name]) : '';
    const rows = f.layer.properties
      .filter((p) => f.properties[p.name] !== null && f.properties[p.name] !== undefined && f.properties[p.name] !== '')
      .map((p) => {
        const text = displayValue(f.properties[p.name]);
        const value = /^https?:\/\//.test(text) ? h('a', { href: text, target: '_blank', rel: 'noopener' }, text)
          : displayCode(p.name, f.properties[p.name]) ?? text;
        return h('tr', {}, h('th', { scope: 'row' }, propertyLabel(p.name, p.title)), h('td', {}, value));
      });
    const buttons = actions.filter((a) => a.when(f)).map((a) => h('button', { type: 'button', onclick: () => a.run(f) }, a.label()));
    return h('section', { class: 'found', 'data-layer': f.layer.id, 'data-fid': f.id ?? '' },
      h('h3', {}, name || t('identify.feature', { id: f.id ?? '' }), h('small', {}, ` · ${f.layer.title}`)),
      h('table', { class: 'attributes' }, h('tbody', {}, ...rows)),
      buttons.length ? h('div', { class: 'actions' }, ...buttons) : null);
  });
  for (const f of results) if (f.geometry) view.highlight.getSource()?.addFeature(new Feature(f.geometry.clone()));
  clear(panel, h('div', { class: 'panel-head' }, h('h2', {}, t('identify.title', { count: results.length })),
    h('button', { type: 'button', class: 'close', 'aria-label': t('identify.close'), onclick: () => { panel.hidden = true; view.highlight.getSource()?.clear(); } }, '×')),
  ...blocks);
  panel.hidden = false;
  // Read out what was found, not only how many: a keyboard user may not see the panel.
  const names = results.slice(0, 3).map((f) => `${(f.layer.roles.name && displayValue(f.properties[f.layer.roles.name])) || t('identify.feature', { id: f.id ?? '' })} (${f.layer.title})`);
  announce(t('identify.announced', { count: results.length, names: `${names.join(', ')}${results.length > 3 ? ', …' : ''}` }));
}
