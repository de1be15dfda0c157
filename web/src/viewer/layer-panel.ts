// The layer list: visibility, opacity, how each layer is drawn, its legend, and
// which layer is active (the table, filters and downloads follow it).
import type { MapView } from './map-view';
import type { RenderMode } from './map-layers';
import type { PortalState } from '../state';
import { h, clear } from '../dom';
import { t } from '../i18n';

export function renderLayerPanel(panel: HTMLElement, state: PortalState, view: MapView): void {
  const list = h('ul', { class: 'layers', 'aria-label': t('layers.list') });
  for (const layer of [...state.layers].reverse()) {
    const id = layer.info.id;
    const legend = h('img', { alt: t('layers.legendOf', { layer: layer.info.title }), loading: 'lazy', class: 'legend' });
    const legendBox = h('details', { class: 'legend-box' }, h('summary', {}, t('layers.legend')), legend);
    legendBox.addEventListener('toggle', () => {
      if (legendBox.open && !legend.src) legend.src = layer.legendUrl();
    });
    const visible = h('input', { type: 'checkbox', id: `visible-${id}`, checked: layer.visible,
      onchange: (e: Event) => layer.setVisible((e.target as HTMLInputElement).checked) });
    const opacity = h('input', { type: 'range', min: 0, max: 1, step: 0.05, value: layer.opacity, id: `opacity-${id}`,
      'aria-label': t('layers.opacityOf', { layer: layer.info.title }),
      oninput: (e: Event) => layer.setOpacity(Number((e.target as HTMLInputElement).value)) });
    const mode = layer.info.kind === 'vector'
      ? h('select', { id: `mode-${id}`, 'aria-label': t('layers.modeOf', { layer: layer.info.title }),
        onchange: (e: Event) => layer.setMode((e.target as HTMLSelectElement).value as RenderMode) },
      h('option', { value: 'wms', selected: layer.mode === 'wms' }, t('layers.modeWms')),
      h('option', { value: 'vector', selected: layer.mode === 'vector' }, t('layers.modeVector')))
      : null;
    const styles = (layer.info.styles ?? []).length > 1
      ? h('select', { id: `style-${id}`, 'aria-label': t('layers.styleOf', { layer: layer.info.title }),
        onchange: (e: Event) => { layer.setStyle((e.target as HTMLSelectElement).value); legend.src = layer.legendUrl(); } },
      ...layer.info.styles!.map((s) => h('option', { value: s, selected: s === layer.style }, s === 'default' ? t('layers.defaultStyle') : s)))
      : null;
    const active = layer.info.kind === 'vector'
      ? h('input', { type: 'radio', name: 'active-layer', id: `active-${id}`, value: id, checked: state.active === layer,
        'aria-label': t('layers.makeActive', { layer: layer.info.title }), onchange: () => state.setActive(id) })
      : null;
    list.append(h('li', { class: 'layer', 'data-layer': id },
      h('div', { class: 'layer-head' },
        visible, h('label', { for: `visible-${id}`, class: 'layer-title' }, layer.info.title),
        active ? h('label', { class: 'active-label', title: t('layers.activeTitle') }, active, ` ${t('layers.active')}`) : null),
      h('div', { class: 'layer-controls' }, h('label', { for: `opacity-${id}` }, t('layers.opacity')), opacity, mode, styles),
      legendBox));
  }
  const osm = h('input', { type: 'checkbox', id: 'visible-osm', onchange: (e: Event) => view.osm.setVisible((e.target as HTMLInputElement).checked) });
  const base = h('input', { type: 'checkbox', id: 'visible-countries', checked: true,
    onchange: (e: Event) => view.countries.setVisible((e.target as HTMLInputElement).checked) });
  clear(panel, h('h2', {}, t('layers.title')), list,
    h('h3', {}, t('layers.baseMap')),
    h('div', { class: 'layer-head' }, base, h('label', { for: 'visible-countries' }, t('layers.countries'))),
    h('div', { class: 'layer-head' }, osm, h('label', { for: 'visible-osm' }, t('layers.osm'))));
}
