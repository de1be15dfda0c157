// Drawing and editing features of the editor's own country: the geometry on the
// map (OpenLayers Draw and Modify), the attributes in a form made from the
// collection's queryables; saved into the user's draft change set (Part 4).
import Feature from 'ol/Feature';
import GeoJSON from 'ol/format/GeoJSON';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import { Draw, Modify } from 'ol/interaction';
import { Circle, Fill, Stroke, Style } from 'ol/style';
import type { Type as GeometryType } from 'ol/geom/Geometry';
import type { MapView } from '../viewer/map-view';
import type { PortalState } from '../state';
import type { Api } from '../api';
import { ApiError } from '../api';
import type { LayerInfo } from '../catalogue';
import { changedProperties, FieldError, inputType, textFromValue, valueFromText } from '../forms';
import { Drafts } from './drafts';
import { h, clear, announce } from '../dom';
import { t } from '../i18n';
import { propertyLabel } from '../code-lists';

const geojson = new GeoJSON({ featureProjection: 'EPSG:3857', dataProjection: 'EPSG:4326' });

const EDIT_STYLE = new Style({
  image: new Circle({ radius: 7, fill: new Fill({ color: '#00a0b0' }), stroke: new Stroke({ color: '#fff', width: 2 }) }),
  stroke: new Stroke({ color: '#00a0b0', width: 3 }),
  fill: new Fill({ color: 'rgba(0,160,176,0.2)' }),
});

function drawType(geometryType: string): GeometryType {
  const type = geometryType.toLowerCase();
  if (type.includes('polygon')) return 'Polygon';
  if (type.includes('line')) return 'LineString';
  return 'Point';
}

// May the session's user edit this feature? (The server decides; this only hides
// buttons that would be refused.)
export function mayEdit(state: PortalState, layer: LayerInfo, properties: Record<string, unknown>): boolean {
  const s = state.session;
  if (!s || layer.kind !== 'vector' || layer.id === 'countries') return false;
  if (s.role === 'admin' || s.role === 'reviewer') return true;
  return s.role === 'editor' && !!layer.roles.country && properties[layer.roles.country] === s.country;
}

// What a feature was when its form opened: the write is a merge patch of what changed.
interface Target {
  layer: LayerInfo;
  fid: number | null;
  properties: Record<string, unknown>;
  feature?: Feature;
  geometry?: string; // its GeoJSON when read, to tell whether it moved
  etag?: string;
}

export class FeatureEditor {
  private readonly source = new VectorSource();
  private readonly layer = new VectorLayer({ source: this.source, style: EDIT_STYLE, zIndex: 900 });
  private draw?: Draw;
  private modify?: Modify;
  private target?: Target;
  private generation = 0; // of the feature being opened: a later one wins

  constructor(private readonly panel: HTMLElement, private readonly state: PortalState, private readonly view: MapView,
    private readonly api: Api, readonly drafts: Drafts, private readonly changed: () => void) {
    view.map.addLayer(this.layer);
  }

  // Editors change the layers with a country; reviewers and administrators any layer.
  editable(): LayerInfo[] {
    const editor = this.state.session?.role === 'editor';
    return this.state.layers.map((l) => l.info).filter((i) => i.kind === 'vector' && i.id !== 'countries' && (!editor || i.roles.country));
  }

  render(): void {
    if (this.target) return;
    const layers = this.editable();
    const select = h('select', { id: 'new-feature-layer' }, ...layers.map((l) => h('option', { value: l.id }, l.title)));
    clear(this.panel, h('h3', {}, t('editor.title')),
      h('p', { class: 'hint' }, this.state.session?.role === 'editor'
        ? t('editor.hintEditor', { country: this.state.session.country })
        : t('editor.hint')),
      h('div', { class: 'field' }, h('label', { for: 'new-feature-layer' }, t('editor.layer')), select),
      h('button', { type: 'button', id: 'add-feature', onclick: () => this.startNew(select.value) }, t('editor.add')));
  }

  startNew(layerId: string): void {
    const layer = this.editable().find((l) => l.id === layerId);
    if (!layer) return;
    this.stop();
    const properties: Record<string, unknown> = {};
    if (layer.roles.country && this.state.session?.role === 'editor') properties[layer.roles.country] = this.state.session.country;
    this.target = { layer, fid: null, properties };
    this.draw = new Draw({ source: this.source, type: drawType(layer.geometryType) });
    this.draw.set('editing', true);
    this.draw.on('drawend', (e) => {
      if (this.target) this.target.feature = e.feature;
      this.view.map.removeInteraction(this.draw!);
      this.draw = undefined;
      this.modify = new Modify({ source: this.source });
      this.modify.set('editing', true);
      this.view.map.addInteraction(this.modify);
      this.form();
    });
    this.view.map.addInteraction(this.draw);
    clear(this.panel, h('h3', {}, t('editor.newIn', { layer: layer.title })),
      h('p', { class: 'hint', role: 'status' }, t(drawType(layer.geometryType) === 'Point' ? 'editor.placePoint' : 'editor.placeShape')),
      h('button', { type: 'button', onclick: () => this.cancel() }, t('common.cancel')));
    announce(t('editor.placeAnnounced'));
  }

  async edit(layer: LayerInfo, fid: number): Promise<void> {
    this.stop();
    const generation = ++this.generation;
    let read;
    try {
      read = await this.api.feature(layer.id, fid);
    } catch {
      return announce(t('editor.readFailed', { id: fid }), 'error');
    }
    if (generation !== this.generation || !this.state.session) return; // another edit, or a logout, came first
    const feature = geojson.readFeature(read.doc) as Feature;
    this.source.addFeature(feature);
    this.target = { layer, fid, properties: read.doc.properties ?? {}, feature, etag: read.etag,
      geometry: JSON.stringify(geojson.writeGeometryObject(feature.getGeometry()!, { decimals: 7 })) };
    this.modify = new Modify({ source: this.source });
    this.modify.set('editing', true);
    this.view.map.addInteraction(this.modify);
    this.form();
    announce(t('editor.editing', { layer: layer.title, id: fid }));
  }

  private form(): void {
    const target = this.target!;
    const country = target.layer.roles.country;
    const fields = target.layer.properties.map((p) => {
      const id = `edit-${p.name}`;
      const lockedCountry = p.name === country && this.state.session?.role === 'editor';
      const list = p.values ? h('datalist', { id: `${id}-values` }, ...p.values.map((v) => h('option', { value: String(v) }))) : null;
      const input = h('input', { id, name: p.name, type: inputType(p), step: p.type === 'number' ? 'any' : undefined,
        value: textFromValue(target.properties[p.name]), readonly: lockedCountry, list: list ? `${id}-values` : undefined });
      return h('div', { class: 'field' }, h('label', { for: id }, propertyLabel(p.name, p.title), h('small', {}, ` ${p.name}`)), input, list);
    });
    const form = h('form', { class: 'edit-form', 'aria-label': t('editor.attributes') }, ...fields,
      h('p', { class: 'error', role: 'alert', id: 'edit-error' }),
      h('div', { class: 'actions sticky' },
        h('button', { type: 'submit', class: 'primary' }, t('editor.save')),
        target.fid !== null ? h('button', { type: 'button', class: 'danger', onclick: () => this.remove() }, t('editor.delete')) : null,
        h('button', { type: 'button', onclick: () => this.cancel() }, t('common.cancel'))));
    form.addEventListener('submit', (e) => { e.preventDefault(); this.save(form); });
    clear(this.panel, h('h3', {}, target.fid === null ? t('editor.newIn', { layer: target.layer.title }) : t('editor.editOf', { layer: target.layer.title, id: target.fid })),
      h('p', { class: 'hint' }, t('editor.drag')), form);
    (form.querySelector('input:not([readonly])') as HTMLInputElement | null)?.focus();
  }

  private async save(form: HTMLFormElement): Promise<void> {
    const target = this.target!;
    const error = form.querySelector('#edit-error')!;
    const properties: Record<string, unknown> = {};
    try {
      for (const p of target.layer.properties) {
        const input = form.querySelector<HTMLInputElement>(`#${CSS.escape(`edit-${p.name}`)}`)!;
        properties[p.name] = valueFromText(p, input.value);
      }
    } catch (e) {
      if (e instanceof FieldError) {
        error.textContent = e.message;
        form.querySelector<HTMLInputElement>(`#${CSS.escape(`edit-${e.property}`)}`)?.focus();
        return;
      }
      throw e;
    }
    const feature = target.feature;
    if (!feature?.getGeometry()) return void (error.textContent = t('editor.drawFirst'));
    const geometry = geojson.writeGeometryObject(feature.getGeometry()!, { decimals: 7 });
    let method: 'POST' | 'PATCH' = 'POST';
    let body: Record<string, unknown> = { type: 'Feature', geometry, properties };
    if (target.fid !== null) {
      // Only what changed, guarded by the ETag: a change published meanwhile is not undone.
      method = 'PATCH';
      body = {};
      const changed = changedProperties(target.properties, properties);
      if (Object.keys(changed).length) body.properties = changed;
      if (JSON.stringify(geometry) !== target.geometry) body.geometry = geometry;
      if (!Object.keys(body).length) return void (error.textContent = t('editor.unchanged'));
    }
    const submit = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
    submit.disabled = true;
    try {
      const draft = await this.write(method, target, body);
      announce(t('editor.saved', { id: draft }));
      this.finish();
    } catch (e) {
      error.textContent = e instanceof ApiError
        ? (e.status === 412 ? t('editor.conflict') : `${e.message} (${e.status})`)
        : String(e);
    } finally {
      submit.disabled = false;
    }
  }

  // Writes into the user's draft; a draft the server no longer takes (submitted
  // elsewhere, or another user's) is forgotten and a new one used.
  private async write(method: 'POST' | 'PATCH' | 'DELETE', target: Target, body?: unknown): Promise<number> {
    const user = this.state.session!.user;
    for (let attempt = 0; ; ++attempt) {
      const draft = await this.drafts.of(target.layer.id, user);
      try {
        await this.api.writeFeature(method, target.layer.id, target.fid, body, draft, target.etag);
        return draft;
      } catch (e) {
        if (attempt > 0 || !(e instanceof ApiError) || ![403, 404, 409].includes(e.status)) throw e;
        this.drafts.forget(target.layer.id);
      }
    }
  }

  private async remove(): Promise<void> {
    const target = this.target!;
    if (target.fid === null || !confirm(t('editor.confirmDelete', { id: target.fid, layer: target.layer.title }))) return;
    try {
      const draft = await this.write('DELETE', target);
      announce(t('editor.deleted', { id: draft }));
      this.finish();
    } catch (e) {
      announce(e instanceof ApiError ? e.message : String(e), 'error');
    }
  }

  private finish(): void {
    this.stop();
    this.render();
    this.changed();
  }

  cancel(): void {
    this.stop();
    this.render();
    announce(t('editor.cancelled'));
  }

  // Ends any editing without a word: a logout, a new user.
  reset(): void {
    this.stop();
    this.drafts.forget();
  }

  private stop(): void {
    ++this.generation;
    if (this.draw) this.view.map.removeInteraction(this.draw);
    if (this.modify) this.view.map.removeInteraction(this.modify);
    this.draw = this.modify = undefined;
    this.source.clear();
    this.target = undefined;
  }
}
