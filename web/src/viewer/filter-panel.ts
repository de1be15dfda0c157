// Filters of the active layer by country, status, commodity and name, built into
// one CQL2 expression that the map, the table and the downloads all use; and a
// jump to a country.
import GeoJSON from 'ol/format/GeoJSON';
import type { MapView } from './map-view';
import type { PortalState } from '../state';
import type { Property } from '../catalogue';
import { literal, NO_FILTER } from '../cql2';
import { h, clear, announce, debounce } from '../dom';

export interface Country {
  iso3: string;
  name: string;
}

function selected(select: HTMLSelectElement): string[] {
  return [...select.selectedOptions].map((o) => o.value).filter((v) => v !== '');
}

function choices(id: string, label: string, values: Array<string | number>, names?: Map<string, string>): HTMLElement {
  const select = h('select', { id, multiple: true, size: Math.min(6, Math.max(3, values.length)) },
    ...values.map((v) => h('option', { value: String(v) }, names?.get(String(v)) ?? String(v))));
  return h('div', { class: 'field' }, h('label', { for: id }, label), select);
}

export function renderFilterPanel(panel: HTMLElement, state: PortalState, view: MapView, countries: Country[]): void {
  const draw = () => {
    const layer = state.active;
    if (!layer) return clear(panel, h('p', {}, 'No layer to filter.'));
    const roles = layer.info.roles;
    const property = (name?: string): Property | undefined => layer.info.properties.find((p) => p.name === name);
    const names = new Map(countries.map((c) => [c.iso3, c.name]));
    const countryValues = property(roles.country)?.values ?? countries.map((c) => c.iso3);
    const fields: HTMLElement[] = [];
    if (roles.country) fields.push(choices('filter-country', 'Country', countryValues, names));
    const status = property(roles.status);
    if (status) fields.push(status.values ? choices('filter-status', status.title, status.values)
      : h('div', { class: 'field' }, h('label', { for: 'filter-status' }, status.title), h('input', { id: 'filter-status', type: 'text' })));
    const commodity = property(roles.commodity);
    if (commodity) fields.push(commodity.values ? choices('filter-commodity', commodity.title, commodity.values)
      : h('div', { class: 'field' }, h('label', { for: 'filter-commodity' }, commodity.title), h('input', { id: 'filter-commodity', type: 'text' })));
    if (roles.name) fields.push(h('div', { class: 'field' }, h('label', { for: 'filter-name' }, `${property(roles.name)?.title ?? 'Name'} contains`),
      h('input', { id: 'filter-name', type: 'search', autocomplete: 'off' })));
    const form = h('form', { class: 'filters', 'aria-label': `Filters of ${layer.info.title}` }, ...fields,
      h('div', { class: 'actions' },
        h('button', { type: 'reset' }, 'Clear filters')));
    const read = (id: string): string[] => {
      const e = form.querySelector<HTMLSelectElement | HTMLInputElement>(`#${id}`);
      if (!e) return [];
      return e instanceof HTMLSelectElement ? selected(e) : (e.value.trim() ? [e.value.trim()] : []);
    };
    const apply = () => {
      state.setChoice({
        countries: read('filter-country'),
        statuses: read('filter-status'),
        commodities: read('filter-commodity'),
        name: (form.querySelector<HTMLInputElement>('#filter-name')?.value ?? ''),
      });
      const f = state.filter();
      announce(f ? `Filter applied: ${f}` : 'No filter');
    };
    form.addEventListener('change', apply);
    form.addEventListener('input', debounce((e: Event) => { if ((e.target as HTMLElement).id === 'filter-name') apply(); }, 400));
    form.addEventListener('submit', (e) => { e.preventDefault(); apply(); });
    form.addEventListener('reset', () => setTimeout(() => { state.setChoice(NO_FILTER); announce('Filters cleared'); }));
    const zoom = h('select', { id: 'zoom-country', onchange: (e: Event) => zoomToCountry((e.target as HTMLSelectElement).value, layer.root, view) },
      h('option', { value: '' }, 'Choose a country…'), ...countries.map((c) => h('option', { value: c.iso3 }, c.name)));
    clear(panel, h('h2', {}, `Filter: ${layer.info.title}`),
      h('p', { class: 'hint' }, 'Filters apply to the map, the table and the downloads of the active layer. Hold Ctrl to choose several.'),
      form,
      h('h3', {}, 'Zoom to a country'), h('div', { class: 'field' }, h('label', { for: 'zoom-country', class: 'visually-hidden' }, 'Zoom to a country'), zoom));
  };
  state.on('active', draw);
  draw();
}

export async function zoomToCountry(iso3: string, root: string, view: MapView): Promise<void> {
  if (!iso3) return;
  const q = new URLSearchParams({ filter: `iso3 = ${literal(iso3)}`, f: 'json', limit: '1' });
  const response = await fetch(`${root}/collections/countries/items?${q}`);
  if (!response.ok) return announce('The country could not be read', 'error');
  const features = new GeoJSON({ featureProjection: 'EPSG:3857', dataProjection: 'EPSG:4326' }).readFeatures(await response.json());
  const geometry = features[0]?.getGeometry();
  if (!geometry) return announce(`No boundary for ${iso3}`, 'error');
  view.map.getView().fit(geometry.getExtent(), { padding: [30, 30, 30, 30], duration: 400 });
  announce(`Zoomed to ${String(features[0].get('name') ?? iso3)}`);
}
