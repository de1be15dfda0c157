// The Data tab: the metadata catalogue (OGC API - Records) searched by free text,
// by the map's extent and by facets with their counts; each record opens as a page
// with its links, and a record of an AMIS layer has a button that puts the layer
// on the map.
import { transformExtent } from 'ol/proj';
import type { MapView } from './map-view';
import type { PortalState } from '../state';
import type { Api } from '../api';
import {
  CATALOG_PATH, FACETS, FACET_TITLES, layerIdOf, pageLabel, pageOf, searchParams, toggled,
  type CatalogueSearch, type FacetName, type RecordSummary, type RecordsPage,
} from '../records';
import { h, clear, announce, debounce } from '../dom';
import { onLanguageChange, t, tAttrs, tr } from '../i18n';
import { countryName } from '../members';
import { RecordEditor } from './record-editor';

const PAGE = 10;

// A facet's value as the reader's language names it: record types and countries
// (the other facets are the records' own words).
function facetValue(facet: FacetName, value: string): string {
  if (facet === 'country') return countryName(value, []);
  if (facet === 'type') {
    const key = `catalogue.recordType.${value}`;
    const name = t(key);
    return name === key ? value : name;
  }
  return value;
}

// Who may write records (through review): editors, reviewers, administrators.
function mayWriteRecords(state: PortalState): boolean {
  return ['editor', 'reviewer', 'admin'].includes(state.session?.role ?? '');
}

// `openChangeSet`: a change set (a record's edit) in the workspace's review.
export function renderCataloguePanel(panel: HTMLElement, state: PortalState, view: MapView, api: Api,
  showLayers: () => void, openChangeSet: (id: number) => void): void {
  let search: CatalogueSearch = { text: '', chosen: {}, offset: 0, limit: PAGE };
  let latest = 0; // the latest search wins over a slower earlier one
  const text = h('input', { id: 'catalogue-search', type: 'search', autocomplete: 'off', ...tAttrs({ placeholder: 'catalogue.placeholder' }) });
  const inView = h('input', { id: 'catalogue-in-view', type: 'checkbox' });
  const count = h('p', { id: 'catalogue-count', class: 'hint', 'aria-live': 'polite' });
  const facets = h('div', { id: 'catalogue-facets', class: 'facets' });
  const list = h('ul', { id: 'catalogue-results', class: 'catalogue' });
  const pager = h('div', { class: 'actions pager' });
  const results = h('div', { id: 'catalogue-list' }, count, facets, list, pager);
  const page = h('section', { id: 'catalogue-record', class: 'record-page', hidden: true, ...tAttrs({ 'aria-label': 'catalogue.record' }) });
  const formHost = h('section', { id: 'catalogue-form', class: 'record-form', hidden: true, ...tAttrs({ 'aria-label': 'recordForm.label' }) });
  const newRecord = h('button', { type: 'button', id: 'catalogue-new', hidden: true }, tr('recordForm.new'));
  const showOnly = (shown: HTMLElement) => {
    for (const part of [results, page, formHost]) part.hidden = part !== shown;
  };
  const editor = new RecordEditor(formHost, api, {
    close: () => { showOnly(results); void run(); },
    openChangeSet,
  });
  newRecord.addEventListener('click', () => { showOnly(formHost); editor.openNew(state.session?.role === 'editor' ? state.session.country : ''); });

  const layerIds = () => new Set(state.layers.map((l) => l.info.id));
  const mapBbox = (): CatalogueSearch['bbox'] => {
    const size = view.map.getSize();
    if (!size) return undefined;
    const e = transformExtent(view.map.getView().calculateExtent(size), 'EPSG:3857', 'EPSG:4326');
    return [e[0], e[1], e[2], e[3]];
  };
  const zoomTo = (r: RecordSummary) => {
    if (r.extent) view.map.getView().fit(transformExtent(r.extent, 'EPSG:4326', 'EPSG:3857'), { padding: [20, 20, 20, 20], duration: 300, maxZoom: 12 });
  };
  const addToMap = (layerId: string) => {
    const layer = state.layer(layerId);
    if (!layer) return;
    layer.setVisible(true);
    if (layer.info.kind === 'vector') state.setActive(layer.info.id);
    const e = layer.info.extent;
    if (e) view.map.getView().fit(transformExtent(e, 'EPSG:4326', 'EPSG:3857'), { padding: [20, 20, 20, 20], duration: 300 });
    showLayers();
    announce(t('catalogue.onMap', { layer: layer.info.title }));
  };
  const actions = (r: RecordSummary) => {
    const layerId = layerIdOf(r, layerIds());
    return h('div', { class: 'actions' },
      layerId ? h('button', { type: 'button', class: 'primary add-layer', onclick: () => addToMap(layerId) }, t('catalogue.addToMap')) : null,
      r.extent ? h('button', { type: 'button', class: 'zoom-extent', onclick: () => zoomTo(r) }, t('catalogue.zoomToExtent')) : null);
  };

  // Edit and Withdraw for a record people keep (AMIS's own and harvested records change
  // with their source); the server decides whether this user may (country scoping).
  const writeActions = (r: RecordSummary) => {
    if (!mayWriteRecords(state) || (r.origin && r.origin !== 'authored')) return null;
    const out = h('div', { id: 'record-withdrawn' });
    const confirm = h('div', { class: 'actions', hidden: true },
      h('span', {}, t('recordForm.withdrawQuestion')),
      h('button', { type: 'button', id: 'record-withdraw-confirm', class: 'danger', onclick: () => { confirm.hidden = true; void editor.withdraw(r.id, out); } },
        t('recordForm.withdraw')),
      h('button', { type: 'button', onclick: () => { confirm.hidden = true; } }, t('recordForm.cancel')));
    return h('div', { class: 'record-write' },
      h('p', { class: 'actions' },
        h('button', { type: 'button', id: 'record-edit', class: 'primary', onclick: () => { showOnly(formHost); void editor.openEdit(r.id); } }, t('recordForm.edit')),
        h('button', { type: 'button', id: 'record-withdraw', onclick: () => { confirm.hidden = false; } }, t('recordForm.withdraw'))),
      confirm, out);
  };

  let opened: RecordSummary | undefined;
  const showRecord = (r: RecordSummary) => {
    opened = r;
    const recordUrl = api.url(`${CATALOG_PATH}/items/${encodeURIComponent(r.id)}`);
    const e = r.extent;
    const links = r.links.filter((l) => !['self', 'alternate', 'collection'].includes(l.rel) || l.name);
    clear(page,
      h('button', { type: 'button', class: 'back', onclick: () => { showOnly(results); text.focus(); } }, t('catalogue.back')),
      h('h3', { tabindex: -1 }, r.title),
      r.description ? h('p', {}, r.description) : null,
      h('table', { class: 'attributes' }, h('tbody', {},
        h('tr', {}, h('th', { scope: 'row' }, t('catalogue.type')), h('td', {}, facetValue('type', r.type))),
        r.country ? h('tr', {}, h('th', { scope: 'row' }, t('catalogue.country')), h('td', {}, facetValue('country', r.country))) : null,
        r.updated ? h('tr', {}, h('th', { scope: 'row' }, t('catalogue.updated')), h('td', {}, r.updated)) : null,
        r.formats.length ? h('tr', {}, h('th', { scope: 'row' }, t('catalogue.formats')), h('td', {}, r.formats.join(', '))) : null,
        e ? h('tr', {}, h('th', { scope: 'row' }, t('catalogue.extent')), h('td', {}, t('catalogue.extentValue', { extent: `${e[0].toFixed(2)}, ${e[1].toFixed(2)} – ${e[2].toFixed(2)}, ${e[3].toFixed(2)}` }))) : null)),
      r.keywords.length ? h('p', { class: 'keywords' }, ...r.keywords.map((k) => h('span', { class: 'keyword' }, k))) : null,
      actions(r),
      links.length ? h('h4', {}, t('catalogue.links')) : null,
      links.length ? h('ul', { class: 'record-links' }, ...links.map((l) =>
        h('li', {}, h('a', { href: l.href, target: '_blank', rel: 'noopener' }, l.title || l.name || l.href),
          l.protocol ? h('span', { class: 'hint' }, ` ${l.protocol}`) : null))) : null,
      h('p', { class: 'actions' },
        h('a', { href: `${recordUrl}?f=html`, target: '_blank', rel: 'noopener' }, t('catalogue.recordPage')),
        h('a', { href: `${recordUrl}?f=xml`, target: '_blank', rel: 'noopener' }, 'ISO 19139')),
      writeActions(r));
    showOnly(page);
    page.querySelector<HTMLElement>('h3')?.focus();
    zoomTo(r);
  };

  const drawFacets = (result: RecordsPage) => {
    clear(facets, ...FACETS.map((name: FacetName) => {
      const chosen = search.chosen[name] ?? [];
      const buckets = [...(result.facets[name] ?? [])];
      for (const value of chosen) if (!buckets.some((b) => b.value === value)) buckets.push({ value, count: 0 });
      if (!buckets.length) return null;
      return h('fieldset', { class: 'facet', 'data-facet': name },
        h('legend', {}, t(FACET_TITLES[name])),
        ...buckets.slice(0, 12).map((b) => {
          const box = h('input', { type: 'checkbox', value: b.value, checked: chosen.includes(b.value),
            onchange: () => { search = toggled(search, name, b.value); void run(); } });
          return h('label', { class: 'facet-value' }, box, ` ${facetValue(name, b.value)} `, h('span', { class: 'count' }, `(${b.count.toLocaleString('en')})`));
        }));
    }));
  };

  const draw = (result: RecordsPage) => {
    count.textContent = pageLabel(result, search.offset);
    clear(list, ...result.records.map((r) => h('li', { class: 'dataset record', 'data-record': r.id },
      h('h3', {}, h('button', { type: 'button', class: 'link open-record', onclick: () => showRecord(r) }, r.title)),
      h('p', { class: 'hint' }, [r.type && facetValue('type', r.type), r.country && facetValue('country', r.country)].filter(Boolean).join(' · ')),
      r.description ? h('p', {}, r.description.length > 220 ? `${r.description.slice(0, 220)}…` : r.description) : null,
      actions(r))));
    clear(pager,
      search.offset > 0 ? h('button', { type: 'button', class: 'previous', onclick: () => { search = { ...search, offset: Math.max(0, search.offset - PAGE) }; void run(); } }, t('catalogue.previous')) : null,
      search.offset + result.records.length < result.matched ? h('button', { type: 'button', class: 'next', onclick: () => { search = { ...search, offset: search.offset + PAGE }; void run(); } }, t('catalogue.next')) : null);
    drawFacets(result);
  };

  const run = async () => {
    const mine = ++latest;
    search = { ...search, bbox: inView.checked ? mapBbox() : undefined };
    panel.setAttribute('aria-busy', 'true');
    try {
      const document = await api.get<Parameters<typeof pageOf>[0]>(`${CATALOG_PATH}/items?${searchParams(search).toString()}`);
      if (mine === latest) draw(pageOf(document));
    } catch (e) {
      if (mine === latest) count.textContent = t('catalogue.failed', { message: (e as Error).message });
    } finally {
      if (mine === latest) panel.removeAttribute('aria-busy');
    }
  };
  const again = debounce(() => { search = { ...search, text: text.value, offset: 0 }; void run(); }, 250);
  text.addEventListener('input', again);
  inView.addEventListener('change', () => { search = { ...search, offset: 0 }; void run(); });
  view.map.on('moveend', () => { if (inView.checked && page.hidden) { search = { ...search, offset: 0 }; void run(); } });

  clear(panel, h('h2', {}, tr('catalogue.title')),
    h('div', { class: 'field', role: 'search' }, h('label', { for: 'catalogue-search' }, tr('catalogue.search')), text),
    h('div', { class: 'field check' }, inView, ' ', h('label', { for: 'catalogue-in-view' }, tr('catalogue.inView'))),
    newRecord, results, page, formHost);
  // Signed in or out: "New record", and an open record's Edit and Withdraw, follow.
  const followSession = () => {
    newRecord.hidden = !mayWriteRecords(state);
    if (!page.hidden && opened) showRecord(opened);
    if (!formHost.hidden && !mayWriteRecords(state)) showOnly(results);
  };
  state.on('session', followSession);
  followSession();
  // An approval (in the review) changes the records: the search is read again.
  state.on('data', () => { if (!results.hidden) void run(); });
  // Another language: the results are read again (counts, facets), an open record drawn again.
  onLanguageChange(() => {
    void run();
    if (!page.hidden && opened) showRecord(opened);
  });
  void run();
}
