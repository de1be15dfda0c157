// The catalogue: every layer with what a user needs to judge it (description,
// keywords, licence, attribution, extent), searchable, with its metadata pages and
// a button that puts it on the map.
import { transformExtent } from 'ol/proj';
import type { MapView } from './map-view';
import type { PortalState } from '../state';
import { matchesSearch } from '../catalogue';
import { h, clear, announce } from '../dom';

export function renderCataloguePanel(panel: HTMLElement, state: PortalState, view: MapView, root: string,
  showLayers: () => void): void {
  const list = h('ul', { class: 'catalogue' });
  const search = h('input', { id: 'catalogue-search', type: 'search', autocomplete: 'off', placeholder: 'coal, boundaries, CC BY…' });
  const draw = () => {
    const layers = state.layers.filter((l) => matchesSearch(l.info, search.value));
    clear(list, ...layers.map((l) => {
      const i = l.info;
      const e = i.extent;
      return h('li', { class: 'dataset', 'data-layer': i.id },
        h('h3', {}, i.title),
        i.description ? h('p', {}, i.description) : null,
        i.keywords?.length ? h('p', { class: 'keywords' }, ...i.keywords.map((k) => h('span', { class: 'keyword' }, k))) : null,
        h('table', { class: 'attributes' }, h('tbody', {},
          i.licence ? h('tr', {}, h('th', { scope: 'row' }, 'Licence'), h('td', {}, i.licence)) : null,
          i.attribution ? h('tr', {}, h('th', { scope: 'row' }, 'Source'), h('td', {}, i.attribution)) : null,
          e ? h('tr', {}, h('th', { scope: 'row' }, 'Extent'), h('td', {}, `${e[0].toFixed(2)}, ${e[1].toFixed(2)} – ${e[2].toFixed(2)}, ${e[3].toFixed(2)} (lon, lat)`)) : null,
          i.kind === 'vector' ? h('tr', {}, h('th', { scope: 'row' }, 'Attributes'), h('td', {}, String(i.properties.length))) : null)),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'primary', onclick: () => {
            l.setVisible(true);
            if (i.kind === 'vector') state.setActive(i.id);
            if (e) view.map.getView().fit(transformExtent(e, 'EPSG:4326', 'EPSG:3857'), { padding: [20, 20, 20, 20], duration: 300 });
            showLayers();
            announce(`${i.title} is on the map`);
          } }, 'Show on map'),
          i.kind === 'vector' ? h('a', { href: `${root}/collections/${encodeURIComponent(i.id)}?f=html`, target: '_blank', rel: 'noopener' }, 'Metadata') : null,
          i.kind === 'vector' ? h('a', { href: `${root}/collections/${encodeURIComponent(i.id)}/queryables?f=html`, target: '_blank', rel: 'noopener' }, 'Attributes') : null));
    }));
    if (!layers.length) clear(list, h('li', { class: 'hint' }, 'No dataset matches.'));
  };
  search.addEventListener('input', draw);
  clear(panel, h('h2', {}, 'Datasets'),
    h('div', { class: 'field' }, h('label', { for: 'catalogue-search' }, 'Search the datasets'), search), list);
  draw();
}
