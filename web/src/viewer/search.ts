// Search by name in the active layer: the server matches any case (CQL2 CASEI +
// LIKE); a result zooms the map to the feature and shows its attributes.
import GeoJSON from 'ol/format/GeoJSON';
import type { MapView } from './map-view';
import type { PortalState } from '../state';
import { buildFilter, NO_FILTER } from '../cql2';
import { displayValue } from '../catalogue';
import { h, clear, debounce } from '../dom';
import { t } from '../i18n';
import type { Item } from './identify';

export function setUpSearch(input: HTMLInputElement, results: HTMLElement, state: PortalState, view: MapView,
  show: (layerId: string, feature: Item) => void): void {
  const geojson = new GeoJSON({ featureProjection: 'EPSG:3857', dataProjection: 'EPSG:4326' });
  let latest = 0; // answers to older queries are dropped
  // The combobox pattern (WAI-ARIA APG): focus stays in the box, the arrow keys move
  // the active option, named by aria-activedescendant and marked aria-selected.
  let active = -1;
  const options = () => [...results.querySelectorAll<HTMLElement>('li[data-fid]')];
  const activate = (i: number) => {
    const items = options();
    active = items.length ? Math.max(-1, Math.min(items.length - 1, i)) : -1;
    items.forEach((item, k) => item.setAttribute('aria-selected', String(k === active)));
    if (active >= 0) {
      input.setAttribute('aria-activedescendant', items[active].id);
      items[active].scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  };
  const close = () => {
    results.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    activate(-1);
  };
  const run = async () => {
    const mine = ++latest;
    const layer = state.active;
    const text = input.value.trim();
    if (!layer || !layer.info.roles.name || text.length < 2) {
      close();
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
    clear(results, ...page.features.map((f, i) => h('li', { role: 'option', id: `search-${i}`, 'aria-selected': 'false',
      'data-fid': f.id, onclick: () => pick(layer.info.id, f) },
    nameOf(f), country ? h('small', {}, ` ${displayValue(f.properties[country])}`) : null)));
    if (!page.features.length) clear(results, h('li', { class: 'empty', role: 'option', 'aria-disabled': 'true' }, t('search.none', { layer: layer.info.title, text })));
    activate(-1);
    results.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  };
  // The result came whole with the search, from its own layer (the active one may
  // have changed since).
  const pick = (layerId: string, f: Item) => {
    ++latest;
    close();
    const geometry = (geojson.readFeature(f) as import('ol/Feature').default).getGeometry();
    if (geometry) view.map.getView().fit(geometry.getExtent(), { maxZoom: 10, duration: 300 });
    show(layerId, f);
  };
  input.addEventListener('input', debounce(run, 250));
  input.addEventListener('blur', () => setTimeout(() => { if (document.activeElement !== input) close(); }, 150));
  results.addEventListener('mousedown', (e) => e.preventDefault()); // a click keeps the focus in the box
  input.addEventListener('keydown', (e) => {
    const items = options();
    const open = !results.hidden;
    if (e.key === 'ArrowDown' && items.length) {
      e.preventDefault();
      results.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      activate(open ? (active + 1) % items.length : 0);
    } else if (e.key === 'ArrowUp' && items.length && open) {
      e.preventDefault();
      activate(active <= 0 ? items.length - 1 : active - 1);
    } else if (e.key === 'Home' && open && items.length) {
      e.preventDefault();
      activate(0);
    } else if (e.key === 'End' && open && items.length) {
      e.preventDefault();
      activate(items.length - 1);
    } else if (e.key === 'Escape') {
      close();
    } else if (e.key === 'Enter' && open && items.length) {
      e.preventDefault();
      items[Math.max(0, active)].click(); // no active option: the first, the best match
    }
  });
}
