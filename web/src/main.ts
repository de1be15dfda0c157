// The AMIS portal: the composition root. It reads the server's catalogue, builds
// the map and the panels, and restores a login session.
import 'ol/ol.css';
import './style.css';
import { Api, fetchRead } from './api';
import { layerOf, type LayerInfo } from './catalogue';
import { serviceRoot } from './links';
import { MEMBERS } from './members';
import { PortalState } from './state';
import { byId, announce, h } from './dom';
import { createMap } from './viewer/map-view';
import { MapLayer } from './viewer/map-layers';
import { renderLayerPanel } from './viewer/layer-panel';
import { identify, showFound, type Found, type Item, type Place } from './viewer/identify';
import { setUpKeyboardIdentify } from './viewer/keyboard-identify';
import { FeatureTable } from './viewer/feature-table';
import { renderFilterPanel } from './viewer/filter-panel';
import { renderCataloguePanel } from './viewer/catalogue-panel';
import { renderDownloadPanel } from './viewer/download-panel';
import { renderInvestPanel } from './invest/invest-panel';
import { setUpSearch } from './viewer/search';
import { Workspace } from './workspace/workspace';
import { mayEdit } from './workspace/editor';
import { setUpLogin } from './login';
import { onLanguageChange, startLanguage, t } from './i18n';

// Drawn bottom to top; the active layer at start is the first of these found.
const PREFERRED_ACTIVE = ['coal_mines', 'mine_facilities'];

// The map's vector layers: feature collections (not the catalogue's records, not coverages,
// which declare no itemType) with a spatial extent (not tables without geometry, such as the
// production statistics, the work plan's progress reports, the country investment profiles),
// less the countries drawn under everything.
interface CollectionSummary { id: string; itemType?: string; extent?: { spatial?: unknown } }
function isVectorLayer(c: CollectionSummary): boolean {
  return c.itemType === 'feature' && c.id !== 'countries' && c.extent?.spatial !== undefined;
}

async function loadLayers(api: Api): Promise<{ vectors: LayerInfo[]; featureIds: Set<string> }> {
  const { collections } = await api.get<{ collections: CollectionSummary[] }>('/collections');
  const features = collections.filter(isVectorLayer);
  const infos = await Promise.all(features.map(async (c) => layerOf(c as never, await api.get(`/collections/${encodeURIComponent(c.id)}/queryables`))));
  // Polygons under lines under points, so that nothing hides a smaller thing.
  const rank = (i: LayerInfo) => (/polygon/i.test(i.geometryType) ? 0 : /line/i.test(i.geometryType) ? 1 : 2);
  const featureIds = new Set(collections.filter((c) => c.itemType === 'feature').map((c) => c.id));
  return { vectors: infos.sort((a, b) => rank(a) - rank(b) || b.id.localeCompare(a.id)), featureIds };
}

async function wmsCapabilities(api: Api): Promise<Document | null> {
  const response = await fetchRead(api.url('/wms?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0'));
  if (!response.ok) return null;
  return new DOMParser().parseFromString(await response.text(), 'application/xml');
}

// The WMS capabilities give the styles of each layer (a named style first: it is
// the one made for the data) and the raster layers, which are WMS-only (every other
// name is a feature collection, drawn or not).
function readWms(xml: Document | null, vectors: LayerInfo[], featureIds: Set<string>): LayerInfo[] {
  if (!xml) return [];
  const out: LayerInfo[] = [];
  for (const layer of xml.querySelectorAll('Layer > Layer')) {
    const name = layer.querySelector(':scope > Name')?.textContent ?? '';
    const styles = [...layer.querySelectorAll(':scope > Style > Name')].map((e) => e.textContent ?? '');
    const known = vectors.find((v) => v.id === name);
    if (known) known.styles = [...styles.filter((s) => s !== 'default'), ...styles.filter((s) => s === 'default')];
    if (!name || known || featureIds.has(name)) continue;
    out.push({ id: name, title: layer.querySelector(':scope > Title')?.textContent ?? name,
      description: layer.querySelector(':scope > Abstract')?.textContent ?? '', kind: 'raster', geometryType: '', properties: [], roles: {} });
  }
  return out;
}

async function start(): Promise<void> {
  const root = serviceRoot(location.href);
  const api = new Api(root);
  const state = new PortalState();
  // Asked for at once, before the map takes the main thread: the first view waits
  // for the slowest, not for the sum.
  const capabilities = wmsCapabilities(api);
  const session = api.session();
  const catalogue = loadLayers(api);
  const view = createMap(byId('map'), root);
  const infoPanel = byId('identify');
  const { vectors, featureIds } = await catalogue;
  const rasters = readWms(await capabilities, vectors, featureIds);
  const ordered = [...rasters, ...vectors];
  state.layers = ordered.map((info, i) => new MapLayer(info, root, i, 'wms', info.kind === 'vector'));
  state.layers.forEach((l, i) => l.all().forEach((ol) => { ol.setZIndex(10 + i); view.map.addLayer(ol); }));
  state.active = PREFERRED_ACTIVE.map((id) => state.layer(id)).find((l) => l) ?? state.layers.find((l) => l.info.kind === 'vector');

  const workspace = new Workspace(byId('panel-workspace'), state, view, api);
  const actions = [
    { label: () => t('identify.edit'), when: (f: Found) => f.id !== undefined && mayEdit(state, f.layer, f.properties),
      run: (f: Found) => {
        infoPanel.hidden = true;
        openTab('workspace');
        workspace.show('edit', false);
        void workspace.editor.edit(f.layer, f.id!);
      } },
    { label: () => t('identify.history'), when: (f: Found) => f.id !== undefined,
      run: (f: Found) => window.open(api.url(`/collections/${encodeURIComponent(f.layer.id)}/items/${f.id}/history`), '_blank') },
  ];
  // A feature the table or the search has read already.
  const showFeature = (layerId: string, feature: Item) => {
    const layer = state.layer(layerId);
    if (layer) showFound(infoPanel, shown = [{ layer: layer.info, id: feature.id, properties: feature.properties }], view, actions);
  };
  let click = 0; // the latest click wins over a slower earlier one
  let shown: Found[] = []; // drawn again in another language
  const identifyAt = async (place: Place) => {
    if (view.map.getInteractions().getArray().some((i) => i.get('editing'))) return;
    const mine = ++click;
    const found = await identify(place, state, view);
    if (mine === click) showFound(infoPanel, shown = found, view, actions);
  };
  view.map.on('singleclick', (event) => void identifyAt(event));
  setUpKeyboardIdentify(view, identifyAt);
  // The panel's buttons depend on who is logged in.
  state.on('session', () => { infoPanel.hidden = true; view.highlight.getSource()?.clear(); });

  renderLayerPanel(byId('panel-layers'), state, view);
  renderCataloguePanel(byId('panel-data'), state, view, api, () => {
    openTab('layers');
    renderLayerPanel(byId('panel-layers'), state, view);
  }, (changeSet) => {
    openTab('workspace');
    workspace.openChangeSet(changeSet);
  });
  renderFilterPanel(byId('panel-filter'), state, view, MEMBERS);
  renderDownloadPanel(byId('panel-download'), state, view, root);
  renderInvestPanel(byId('panel-invest'), state, view, MEMBERS);
  const table = new FeatureTable(byId('table'), state, view, showFeature);
  setUpSearch(byId<HTMLInputElement>('search'), byId('search-results'), state, view, showFeature);
  const searchPlaceholder = () => { byId<HTMLInputElement>('search').placeholder = t('search.placeholder', { layer: state.active?.info.title ?? '' }); };
  state.on('active', searchPlaceholder);
  searchPlaceholder();
  await setUpLogin(api, state, await session);
  state.on('session', () => { byId('tab-workspace').hidden = !state.session; if (!state.session) openTab('layers'); });
  // Collections kept for some roles appear (or go) with the login: the page is read
  // again when the list changed (the session cookie stays).
  const loaded = new Set(vectors.map((v) => v.id));
  state.on('session', async () => {
    const { collections } = await api.get<{ collections: CollectionSummary[] }>('/collections');
    const now = new Set(collections.filter(isVectorLayer).map((c) => c.id));
    if (now.size !== loaded.size || [...now].some((id) => !loaded.has(id))) location.reload();
  });
  byId('tab-workspace').hidden = !state.session;
  if (state.session) workspace.render();
  void table.load();
  // Another language: what was drawn from data is drawn again (the static labels follow by themselves).
  onLanguageChange(() => {
    searchPlaceholder();
    renderLayerPanel(byId('panel-layers'), state, view);
    void table.load();
    if (!infoPanel.hidden) showFound(infoPanel, shown, view, actions);
    if (state.session) workspace.render(true);
  });
  document.body.classList.add('ready');
  announce(t('portal.layersLoaded', { count: state.layers.length }));
}

export function openTab(name: string): void {
  for (const tab of document.querySelectorAll<HTMLButtonElement>('.tabs [role=tab]')) {
    const selected = tab.dataset.tab === name;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
    byId(`panel-${tab.dataset.tab}`).hidden = !selected;
  }
  document.body.classList.add('sidebar-open');
  byId('toggle-sidebar').setAttribute('aria-expanded', 'true');
}

function setUpTabs(): void {
  const tabs = [...document.querySelectorAll<HTMLButtonElement>('.tabs [role=tab]')];
  for (const tab of tabs) {
    tab.addEventListener('click', () => openTab(tab.dataset.tab!));
    tab.addEventListener('keydown', (e) => {
      const visible = tabs.filter((t) => !t.hidden);
      const i = visible.indexOf(tab);
      const next = e.key === 'ArrowRight' ? visible[(i + 1) % visible.length] : e.key === 'ArrowLeft' ? visible[(i - 1 + visible.length) % visible.length] : undefined;
      if (next) { e.preventDefault(); next.focus(); openTab(next.dataset.tab!); }
    });
  }
  byId('toggle-sidebar').addEventListener('click', () => {
    const open = document.body.classList.toggle('sidebar-open');
    byId('toggle-sidebar').setAttribute('aria-expanded', String(open));
  });
}

startLanguage(document.getElementById('language-slot'));
setUpTabs();
// The side panel of narrow screens starts under the header, however high it wraps.
const header = document.querySelector<HTMLElement>('header.top')!;
new ResizeObserver(() => document.documentElement.style.setProperty('--header-height', `${header.offsetHeight}px`)).observe(header);
// The side panel starts open where it does not cover the map.
if (window.matchMedia('(min-width: 901px)').matches) document.body.classList.add('sidebar-open');
else byId('toggle-sidebar').setAttribute('aria-expanded', 'false');
start().catch((e) => {
  announce(t('portal.startFailed', { message: (e as Error).message }), 'error');
  byId('map').append(h('p', { class: 'error' }, String(e)));
});
