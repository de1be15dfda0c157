// The features of the active layer in the current view and filter, a page at a
// time, from the items endpoint (bbox + CQL2 filter are evaluated by the server).
import GeoJSON from 'ol/format/GeoJSON';
import Feature from 'ol/Feature';
import type { MapView } from './map-view';
import { viewBox } from './map-view';
import type { PortalState } from '../state';
import type { Item } from './identify';
import { displayValue, type Property } from '../catalogue';
import { h, clear, debounce, announce } from '../dom';
import { t } from '../i18n';
import { displayCode, propertyLabel } from '../code-lists';

export const PAGE_SIZE = 20;

interface ItemsPage {
  features: Item[];
  numberMatched?: number;
  numberReturned: number;
}

// The columns worth a glance: the roles first, then the next few properties.
export function tableColumns(properties: Property[], roles: Record<string, string | undefined>, max = 7): Property[] {
  const byName = new Map(properties.map((p) => [p.name, p]));
  const chosen: Property[] = [];
  for (const r of [roles.name, roles.country, roles.status, roles.commodity])
    if (r && byName.has(r) && !chosen.includes(byName.get(r)!)) chosen.push(byName.get(r)!);
  for (const p of properties) {
    if (chosen.length >= max) break;
    if (!chosen.includes(p) && !/(url|_non_eng|akas|^gid_)/i.test(p.name)) chosen.push(p);
  }
  return chosen;
}

export class FeatureTable {
  private offset = 0;
  private readonly geojson = new GeoJSON({ featureProjection: 'EPSG:3857', dataProjection: 'EPSG:4326' });
  private generation = 0;

  constructor(private readonly panel: HTMLElement, private readonly state: PortalState, private readonly view: MapView,
    private readonly onPick: (layerId: string, feature: Item) => void) {
    const later = debounce(() => this.load(), 250);
    view.map.on('moveend', () => { this.offset = 0; later(); });
    state.on('active', () => { this.offset = 0; this.load(); });
    state.on('filter', () => { this.offset = 0; this.load(); });
    state.on('data', () => this.load());
  }

  async load(): Promise<void> {
    const layer = this.state.active;
    if (!layer) return;
    const generation = ++this.generation;
    const box = viewBox(this.view.map).join(',');
    const q = new URLSearchParams({ bbox: box, limit: String(PAGE_SIZE), offset: String(this.offset), f: 'json' });
    const filter = this.state.filter();
    if (filter) q.set('filter', filter);
    this.panel.setAttribute('aria-busy', 'true');
    try {
      const offset = this.offset;
      const response = await fetch(`${layer.root}/collections/${encodeURIComponent(layer.info.id)}/items?${q}`);
      const page = (await response.json().catch(() => ({}))) as ItemsPage & { description?: string };
      if (generation !== this.generation) return;
      if (!response.ok) throw new Error(page.description ?? response.statusText);
      this.render(page, offset);
      // What the table shows, for those who check it against the data.
      this.panel.dataset.bbox = box;
      this.panel.dataset.matched = String(page.numberMatched ?? page.numberReturned);
      this.panel.dataset.filter = filter ?? '';
    } catch (e) {
      announce(t('table.failed', { message: (e as Error).message }), 'error');
    } finally {
      this.panel.removeAttribute('aria-busy');
    }
  }

  private render(page: ItemsPage, offset: number): void {
    const layer = this.state.active!;
    const columns = tableColumns(layer.info.properties, layer.info.roles as Record<string, string | undefined>);
    const total = page.numberMatched ?? page.numberReturned;
    const first = page.numberReturned ? offset + 1 : 0;
    const last = offset + page.numberReturned;
    const rows = page.features.map((f) => h('tr', { 'data-fid': f.id, tabindex: 0,
      onclick: () => this.pick(f), onkeydown: (e: Event) => { if ((e as KeyboardEvent).key === 'Enter') this.pick(f); } },
    ...columns.map((c) => h('td', {}, displayCode(c.name, f.properties[c.name]) ?? displayValue(f.properties[c.name])))));
    const previous = h('button', { type: 'button', disabled: this.offset === 0, onclick: () => { this.offset = Math.max(0, this.offset - PAGE_SIZE); this.load(); } }, t('table.previous'));
    const next = h('button', { type: 'button', disabled: last >= total, onclick: () => { this.offset += PAGE_SIZE; this.load(); } }, t('table.next'));
    const filter = this.state.filter();
    clear(this.panel,
      h('div', { class: 'table-head' },
        h('h2', { id: 'table-title' }, t('table.title', { layer: layer.info.title })),
        h('span', { class: 'count' }, total ? t('table.count', { first, last, total }) : t('table.none')),
        filter ? h('code', { class: 'filter-text', title: t('table.filterTitle') }, filter) : null,
        h('span', { class: 'pager' }, previous, next)),
      h('div', { class: 'table-scroll' },
        h('table', { class: 'features', 'aria-labelledby': 'table-title' },
          h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { scope: 'col', 'data-property': c.name }, propertyLabel(c.name, c.title))))),
          h('tbody', {}, ...rows))));
  }

  private pick(f: ItemsPage['features'][number]): void {
    const feature = this.geojson.readFeature(f) as Feature;
    const geometry = feature.getGeometry();
    if (geometry) this.view.map.getView().fit(geometry.getExtent(), { maxZoom: 10, duration: 300, padding: [60, 60, 60, 60] });
    this.onPick(this.state.active!.info.id, f);
  }
}
