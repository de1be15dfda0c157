// Search by name in the active layer: the server matches any case (CQL2 CASEI +
// LIKE); a result zooms the map to the feature and shows its attributes.
import GeoJSON from 'ol/format/GeoJSON';
import type { MapView } from './map-view';
import type { PortalState } from '../state';
import { buildFilter, NO_FILTER } from '../cql2';
import { displayValue } from '../catalogue';
import { h, clear, debounce } from '../dom';
import type { Item } from './identify';

export function setUpSearch(input: HTMLInputElement, results: HTMLElement, state: PortalState, view: MapView,
  show: (layerId: string, feature: Item) => void): void {
  const geojson = new GeoJSON({ featureProjection: 'EPSG:3857', dataProjection: 'EPSG:4326' });
  let latest = 0; // answers to older queries are dropped
  const run = async () => {
    const mine = ++latest;
    const layer = state.active;
    const text = input.value.trim();
    if (!layer || !layer.info.roles.name || text.length < 2) {
      results.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      return;
    }
    const filter = buildFilter(layer.info.roles, { ...NO_FILTER, name: text })!;
    const q = new URLSearchParams({ filter, limit: '8', f: 'json' });
    const response = await fetch(`${layer.root}/collections/${encodeURIComponent(layer.info.id)}/items?${q}`);
    if (!response.ok || mine !== latest) return;
    const page = await response.json() as { features: Item[] };
    if (mine !== latest) return;
    const nameOf = (f: { properties: Record<string, unknown> }) => displayValue(f.properties[layer.info.roles.name!]);
    const country = layer.info.roles.country;
    clear(results, ...page.features.map((f, i) => h('li', { role: 'option', id: `search-${i}`, tabindex: -1, 'data-fid': f.id,
      onclick: () => pick(layer.info.id, f) }, nameOf(f), country ? h('small', {}, ` ${displayValue(f.properties[country])}`) : null)));
    if (!page.features.length) clear(results, h('li', { class: 'empty', role: 'option', 'aria-disabled': 'true' }, `No ${layer.info.title.toLowerCase()} named like “${text}”`));
    results.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  };
  // The result came whole with the search, from its own layer (the active one may
  // have changed since).
  const pick = (layerId: string, f: Item) => {
    ++latest;
    results.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    const geometry = (geojson.readFeature(f) as import('ol/Feature').default).getGeometry();
    if (geometry) view.map.getView().fit(geometry.getExtent(), { maxZoom: 10, duration: 300 });
    show(layerId, f);
  };
  input.addEventListener('input', debounce(run, 250));
  input.addEventListener('blur', () => setTimeout(() => {
    if (!results.contains(document.activeElement)) { results.hidden = true; input.setAttribute('aria-expanded', 'false'); }
  }, 150));
  input.addEventListener('keydown', (e) => {
    const items = [...results.querySelectorAll<HTMLElement>('li[data-fid]')];
    if (e.key === 'ArrowDown' && items.length) { e.preventDefault(); items[0].focus(); }
    if (e.key === 'Escape') { results.hidden = true; input.setAttribute('aria-expanded', 'false'); }
    if (e.key === 'Enter' && items.length) { e.preventDefault(); items[0].click(); }
  });
  results.addEventListener('keydown', (e) => {
    const items = [...results.querySelectorAll<HTMLElement>('li[data-fid]')];
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'ArrowDown') { e.preventDefault(); items[Math.min(items.length - 1, i + 1)]?.focus(); }
    if (e.key === 'ArrowUp') { e.preventDefault(); (i <= 0 ? input : items[i - 1]).focus(); }
    if (e.key === 'Enter' && i >= 0) { e.preventDefault(); items[i].click(); }
    if (e.key === 'Escape') { results.hidden = true; input.focus(); }
  });
}
