// Downloads of the active layer with its filter (and, if asked, the view's box),
// and the service URLs to paste into a desktop GIS.
import type { MapView } from './map-view';
import { viewBox } from './map-view';
import type { PortalState } from '../state';
import { DOWNLOAD_FORMATS, DOWNLOAD_CAP, downloadUrl, serviceUrls } from '../links';
import { h, clear, announce } from '../dom';
import { onLanguageChange, t, tr } from '../i18n';

// Copies `text` (shown in `input`) to the clipboard, announcing `done` (default: "Copied <text>").
export async function copy(text: string, input: HTMLInputElement | HTMLTextAreaElement, done?: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    input.select();
    document.execCommand('copy');
  }
  announce(done ?? t('download.copied', { text }));
}

export function renderDownloadPanel(panel: HTMLElement, state: PortalState, view: MapView, root: string): void {
  const links = h('ul', { class: 'downloads' });
  const inView = h('input', { type: 'checkbox', id: 'download-in-view' });
  const summary = h('p', { class: 'hint', 'aria-live': 'polite' });
  const limit = h('p', { class: 'problems', id: 'download-limit', hidden: true });
  const matchedText = h('p', { class: 'hint', id: 'download-count' });
  let asked = 0;
  // A file holds every matching feature up to the server's download cap: say so only
  // above it, before a user relies on it.
  const count = async (layerId: string, filter?: string, box?: number[]) => {
    const mine = ++asked;
    const q = new URLSearchParams({ limit: '1', f: 'json' });
    if (filter) q.set('filter', filter);
    if (box) q.set('bbox', box.join(','));
    const response = await fetch(`${root}/collections/${encodeURIComponent(layerId)}/items?${q}`);
    if (!response.ok || mine !== asked) return;
    const matched = Number((await response.json()).numberMatched ?? 0);
    limit.hidden = matched <= DOWNLOAD_CAP;
    limit.textContent = t('download.overCap', { count: matched, cap: DOWNLOAD_CAP });
    matchedText.dataset.matched = String(matched);
    matchedText.textContent = t('download.matched', { count: matched });
  };
  const refresh = () => {
    const layer = state.active;
    if (!layer) return;
    const filter = state.filter();
    const box = inView.checked ? viewBox(view.map) : undefined;
    clear(links, ...DOWNLOAD_FORMATS.map((format) => h('li', {},
      h('a', { href: downloadUrl(root, layer.info.id, format.f, filter, box), download: `${layer.info.id}.${format.extension}`,
        'data-format': format.f, class: 'button' }, t(format.label)))));
    summary.textContent = t(filter ? (box ? 'download.summaryFilteredInView' : 'download.summaryFiltered') : (box ? 'download.summaryInView' : 'download.summary'),
      { layer: layer.info.title, filter: filter ?? '' });
    void count(layer.info.id, filter, box);
  };
  inView.addEventListener('change', refresh);
  view.map.on('moveend', () => { if (inView.checked) refresh(); });
  state.on('active', refresh);
  state.on('filter', refresh);
  onLanguageChange(refresh);
  const services = serviceUrls(root).map((s) => {
    const input = h('input', { type: 'text', readonly: true, value: s.url, 'aria-label': `${s.name} URL` });
    return h('li', { class: 'service' }, h('strong', {}, s.name),
      h('div', { class: 'copy-row' }, input, h('button', { type: 'button', onclick: () => copy(s.url, input) }, tr('common.copy'))),
      h('small', {}, tr(s.hint), s.example ? ' ' : null, s.example ? h('code', {}, s.example) : null));
  });
  clear(panel, h('h2', {}, tr('download.title')), summary,
    h('div', { class: 'field inline' }, inView, h('label', { for: 'download-in-view' }, tr('download.inView'))),
    matchedText, limit, links,
    h('h2', {}, tr('download.services')), h('ul', { class: 'services' }, ...services));
  refresh();
}
