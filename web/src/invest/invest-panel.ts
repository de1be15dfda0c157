// The investor search form (issue 20): commodities, a least tonnage and countries of
// a deposits collection, and where the deposits lie — outside or inside licences
// (of chosen statuses), within a distance of ports — compiled to one CQL2 text
// (investor-query.ts) that is shown for copying and set as the viewer's filter, so
// that the map, the feature table and the Download tab show the results. The
// joins run in the server's store, never in the browser.
import GeoJSON from 'ol/format/GeoJSON';
import { createEmpty, extend } from 'ol/extent';
import type { MapView } from '../viewer/map-view';
import type { PortalState } from '../state';
import type { LayerInfo, Property } from '../catalogue';
import type { Country } from '../viewer/filter-panel';
import { copy } from '../viewer/download-panel';
import { h, clear, announce } from '../dom';
import { INVEST_LABELS as L } from './invest-labels';
import { investFilter, type InvestQuestion, type LicenceRule } from './investor-query';

// A deposit tonnage in Mt: the generic names, and the coal tracker's reserves (proven and
// probable) before its resources.
const TONNAGE = /^(tonnage(_mt)?|ore_mt|resources?_mt|reserves_mt)$/i;

export function tonnageOf(info: LayerInfo): Property | undefined {
  return info.properties.find((p) => (p.type === 'number' || p.type === 'integer') && TONNAGE.test(p.name));
}

// Collections that can answer: a commodity role; those with a tonnage first.
export function depositCollections(layers: LayerInfo[]): LayerInfo[] {
  const withCommodity = layers.filter((l) => l.kind === 'vector' && l.roles.commodity);
  return [...withCommodity.filter((l) => tonnageOf(l)), ...withCommodity.filter((l) => !tonnageOf(l))];
}

function byPreference(layers: LayerInfo[], geometry: RegExp, name: RegExp): LayerInfo[] {
  const fitting = layers.filter((l) => l.kind === 'vector' && geometry.test(l.geometryType));
  return [...fitting.filter((l) => name.test(l.id)), ...fitting.filter((l) => !name.test(l.id))];
}

function select(id: string, options: Array<{ value: string; label: string }>, multiple = false): HTMLSelectElement {
  return h('select', { id, multiple, size: multiple ? Math.min(6, Math.max(3, options.length)) : undefined },
    ...options.map((o) => h('option', { value: o.value }, o.label)));
}

function field(id: string, label: string, control: HTMLElement, hint?: string): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('small', { class: 'hint' }, hint) : null);
}

const chosen = (s: HTMLSelectElement | null) => (s ? [...s.selectedOptions].map((o) => o.value).filter((v) => v) : []);

export function renderInvestPanel(panel: HTMLElement, state: PortalState, view: MapView, countries: Country[]): void {
  const infos = state.layers.map((l) => l.info);
  const deposits = depositCollections(infos);
  if (!deposits.length) return clear(panel, h('h2', {}, L.heading), h('p', {}, L.noDeposits));
  const licences = byPreference(infos, /polygon/i, /licen[cs]e|tenement|concession|permit/i);
  const ports = byPreference(infos, /point/i, /port|harbou?r/i);
  const none = { value: '', label: L.noLayer };
  const depositSelect = select('invest-deposits', deposits.map((d) => ({ value: d.id, label: d.title })));
  const licenceSelect = select('invest-licences', [...licences.map((d) => ({ value: d.id, label: d.title })), none]);
  const portSelect = select('invest-ports', [...ports.map((d) => ({ value: d.id, label: d.title })), none]);
  const rule = select('invest-licence-rule', [
    { value: 'outside', label: L.licenceOutside }, { value: 'inside', label: L.licenceInside }, { value: 'any', label: L.licenceAny }]);
  rule.value = 'any';
  const tonnage = h('input', { id: 'invest-tonnage', type: 'number', min: 0, step: 'any', inputmode: 'decimal' });
  const km = h('input', { id: 'invest-port-km', type: 'number', min: 0, max: 1000, step: 'any', inputmode: 'decimal' });
  const countryList = select('invest-countries', countries.map((c) => ({ value: c.iso3, label: c.name })), true);
  const commodityBox = h('div', {});
  const statusBox = h('div', {});
  const cql = h('textarea', { id: 'invest-cql2', readonly: true, rows: 4, spellcheck: 'false', class: 'cql2' });
  const result = h('p', { id: 'invest-result', class: 'hint', 'aria-live': 'polite' });
  const info = (id: string) => infos.find((i) => i.id === id);

  const drawCommodities = () => {
    const d = info(depositSelect.value)!;
    const p = d.properties.find((x) => x.name === d.roles.commodity);
    const values = (p?.values ?? []).map(String);
    clear(commodityBox, values.length
      ? field('invest-commodities', L.commodities, select('invest-commodities', values.map((v) => ({ value: v, label: v })), true), L.anyCommodity)
      : field('invest-commodities', L.commodities, h('input', { id: 'invest-commodities', type: 'text' })));
    tonnage.disabled = !tonnageOf(d);
  };
  const drawStatuses = () => {
    const l = info(licenceSelect.value);
    const p = l?.properties.find((x) => x.name === l.roles.status);
    const values = (p?.values ?? []).map(String);
    clear(statusBox, l && values.length
      ? field('invest-licence-status', L.licenceStatus, select('invest-licence-status', values.map((v) => ({ value: v, label: v })), true), L.anyStatus)
      : null);
  };

  const question = (): InvestQuestion => {
    const d = info(depositSelect.value)!;
    const l = info(licenceSelect.value);
    const commodityControl = commodityBox.querySelector<HTMLSelectElement | HTMLInputElement>('#invest-commodities');
    const commodities = commodityControl instanceof HTMLSelectElement ? chosen(commodityControl)
      : (commodityControl?.value.trim() ? [commodityControl.value.trim()] : []);
    return {
      commodityProperty: d.roles.commodity!,
      commodities,
      tonnageProperty: tonnageOf(d)?.name,
      minTonnage: tonnage.value === '' ? undefined : Number(tonnage.value),
      countryProperty: d.roles.country,
      countries: chosen(countryList),
      licenceRule: rule.value as LicenceRule,
      licences: l?.id,
      licenceStatusProperty: l?.roles.status,
      licenceStatuses: chosen(statusBox.querySelector('select')),
      ports: info(portSelect.value)?.id,
      portKm: km.value === '' ? undefined : Number(km.value),
    };
  };
  const update = () => { cql.value = investFilter(question()) ?? ''; };

  let asked = 0;
  const search = async () => {
    const filter = investFilter(question());
    update();
    state.setActive(depositSelect.value);
    state.active?.setVisible(true);
    state.setCustomFilter(filter);
    const mine = ++asked;
    result.textContent = L.searching;
    const q = new URLSearchParams({ limit: '1000', f: 'json' });
    if (filter) q.set('filter', filter);
    const response = await fetch(`${state.active!.root}/collections/${encodeURIComponent(depositSelect.value)}/items?${q}`);
    const page = await response.json().catch(() => ({}));
    if (mine !== asked) return;
    if (!response.ok) {
      result.textContent = L.failed(String(page.description ?? response.statusText));
      result.dataset.matched = '';
      return announce(result.textContent, 'error');
    }
    const matched = Number(page.numberMatched ?? page.numberReturned ?? 0);
    result.dataset.matched = String(matched);
    result.textContent = L.matched(matched);
    announce(result.textContent);
    const features = new GeoJSON({ featureProjection: 'EPSG:3857', dataProjection: 'EPSG:4326' }).readFeatures(page);
    const extent = createEmpty();
    for (const f of features) { const g = f.getGeometry(); if (g) extend(extent, g.getExtent()); }
    if (features.length) view.map.getView().fit(extent, { padding: [40, 40, 40, 40], maxZoom: 9, duration: 300 });
  };

  const form = h('form', { class: 'filters invest', 'aria-label': L.heading },
    field('invest-deposits', L.deposits, depositSelect),
    commodityBox,
    field('invest-tonnage', L.minTonnage, tonnage),
    field('invest-countries', L.countries, countryList),
    h('fieldset', {}, h('legend', {}, L.licences),
      field('invest-licence-rule', L.licenceRule, rule),
      field('invest-licences', L.licenceLayer, licenceSelect),
      statusBox),
    h('fieldset', {}, h('legend', {}, L.ports),
      field('invest-ports', L.portLayer, portSelect),
      field('invest-port-km', L.portDistance, km)),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', id: 'invest-search' }, L.search),
      h('button', { type: 'reset' }, L.clear)),
    field('invest-cql2', L.cql2, cql),
    h('div', { class: 'actions' }, h('button', { type: 'button', id: 'invest-copy', onclick: () => copy(cql.value, cql, L.copied) }, L.copy)),
    h('h3', {}, L.results), result);
  depositSelect.addEventListener('change', () => { drawCommodities(); update(); });
  licenceSelect.addEventListener('change', () => { drawStatuses(); update(); });
  form.addEventListener('change', update);
  form.addEventListener('input', update);
  form.addEventListener('submit', (e) => { e.preventDefault(); void search(); });
  form.addEventListener('reset', () => setTimeout(() => {
    rule.value = 'any';
    drawCommodities();
    drawStatuses();
    update();
    if (state.custom !== undefined) state.setCustomFilter(undefined);
    result.textContent = '';
  }));
  drawCommodities();
  drawStatuses();
  update();
  clear(panel, h('h2', {}, L.heading), h('p', { class: 'hint' }, L.intro), form);
}
