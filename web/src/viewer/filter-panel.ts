// Filters of the active layer by country, status, commodity and name, built into
// one CQL2 expression that the map, the table and the downloads all use; and a
// jump to a country.
import GeoJSON from 'ol/format/GeoJSON';
import type { MapView } from './map-view';
import type { PortalState } from '../state';
import type { Property } from '../catalogue';
import { literal, NO_FILTER } from '../cql2';
import { h, clear, announce, debounce } from '../dom';
import { onLanguageChange, t } from '../i18n';
import { codeLabel, PROPERTY_LISTS, propertyLabel } from '../code-lists';
import { countryName } from '../members';

export interface Country {
  iso3: string;
  name: string;
}

function selected(select: HTMLSelectElement): string[] {
  return [...select.selectedOptions].map((o) => o.value).filter((v) => v !== '');
}

// A multiple choice of a property's values: the option's value is the stored one (it
// goes into the CQL2 filter), its text the value as the reader's language names it.
// What was chosen is set as the options' state, not their markup, so that "Clear
// filters" (a form reset) still clears after the panel is drawn again in another language.
function choices(id: string, label: string, values: Array<string | number>, chosen: string[],
  name: (value: string) => string): HTMLElement {
  const select = h('select', { id, multiple: true, size: Math.min(6, Math.max(3, values.length)) },
    ...values.map((v) => h('option', { value: String(v) }, name(String(v)))));
  for (const option of select.options) option.selected = chosen.includes(option.value);
  return h('div', { class: 'field' }, h('label', { for: id }, label), select);
}

export function renderFilterPanel(panel: HTMLElement, state: PortalState, view: MapView, countries: Country[]): void {
  const draw = () => {
    const layer = state.active;
    if (!layer) return clear(panel, h('p', {}, t('filter.noLayer')));
    const roles = layer.info.roles;
    const property = (name?: string): Property | undefined => layer.info.properties.find((p) => p.name === name);
    const countryValues = property(roles.country)?.values ?? countries.map((c) => c.iso3);
    const choice = state.choice; // kept when the panel is drawn again in another language
    const title = (p: Property) => propertyLabel(p.name, p.title);
    const coded = (p: Property) => (v: string) => (PROPERTY_LISTS[p.name] ? codeLabel(PROPERTY_LISTS[p.name], v) : v);
    const typed = (id: string, p: Property, value: string) => {
      const input = h('input', { id, type: 'text' });
      input.value = value;
      return h('div', { class: 'field' }, h('label', { for: id }, title(p)), input);
    };
    const fields: HTMLElement[] = [];
    if (roles.country) fields.push(choices('filter-country', t('filter.country'), countryValues, choice.countries, (v) => countryName(v, countries)));
    const status = property(roles.status);
    if (status) fields.push(status.values ? choices('filter-status', title(status), status.values, choice.statuses, coded(status))
      : typed('filter-status', status, choice.statuses[0] ?? ''));
    const commodity = property(roles.commodity);
    if (commodity) fields.push(commodity.values ? choices('filter-commodity', title(commodity), commodity.values, choice.commodities, coded(commodity))
      : typed('filter-commodity', commodity, choice.commodities[0] ?? ''));
    const nameProperty = property(roles.name);
    const nameInput = h('input', { id: 'filter-name', type: 'search', autocomplete: 'off' });
    nameInput.value = choice.name;
    if (roles.name) fields.push(h('div', { class: 'field' },
      h('label', { for: 'filter-name' }, t('filter.nameContains', { property: nameProperty ? title(nameProperty) : t('filter.name') })),
      nameInput));
    const form = h('form', { class: 'filters', 'aria-label': t('filter.formLabel', { layer: layer.info.title }) }, ...fields,
      h('div', { class: 'actions' },
        h('button', { type: 'reset' }, t('filter.clear'))));
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
      announce(f ? t('filter.applied', { filter: f }) : t('filter.none'));
    };
    form.addEventListener('change', apply);
    form.addEventListener('input', debounce((e: Event) => { if ((e.target as HTMLElement).id === 'filter-name') apply(); }, 400));
    form.addEventListener('submit', (e) => { e.preventDefault(); apply(); });
    form.addEventListener('reset', () => setTimeout(() => { state.setChoice(NO_FILTER); announce(t('filter.cleared')); }));
    const zoom = h('select', { id: 'zoom-country', onchange: (e: Event) => zoomToCountry((e.target as HTMLSelectElement).value, layer.root, view) },
      h('option', { value: '' }, t('filter.chooseCountry')), ...countries.map((c) => h('option', { value: c.iso3 }, countryName(c.iso3, countries))));
    clear(panel, h('h2', {}, t('filter.title', { layer: layer.info.title })),
      h('p', { class: 'hint' }, t('filter.hint')),
      form,
      h('h3', {}, t('filter.zoomToCountry')), h('div', { class: 'field' }, h('label', { for: 'zoom-country', class: 'visually-hidden' }, t('filter.zoomToCountry')), zoom));
  };
  state.on('active', draw);
  onLanguageChange(draw);
  draw();
}

export async function zoomToCountry(iso3: string, root: string, view: MapView): Promise<void> {
  if (!iso3) return;
  const q = new URLSearchParams({ filter: `iso3 = ${literal(iso3)}`, f: 'json', limit: '1' });
  const response = await fetch(`${root}/collections/countries/items?${q}`);
  if (!response.ok) return announce(t('filter.countryFailed'), 'error');
  const features = new GeoJSON({ featureProjection: 'EPSG:3857', dataProjection: 'EPSG:4326' }).readFeatures(await response.json());
  const geometry = features[0]?.getGeometry();
  if (!geometry) return announce(t('filter.noBoundary', { country: iso3 }), 'error');
  view.map.getView().fit(geometry.getExtent(), { padding: [30, 30, 30, 30], duration: 400 });
  announce(t('filter.zoomed', { country: countryName(iso3, [{ iso3, name: String(features[0].get('name') ?? iso3) }]) }));
}
