// The editors' and reviewers' record form in the Data tab (issue 15): a new record,
// or a record's edit, as the ISO 19115 core elements (record-form.ts), with its
// extent typed or drawn on a small map; or an ISO 19139 document pasted or read from
// a file. It goes through the OGC API - Records transactions into a change set that
// waits for review; the server's refusals (its ISO checks, the ISO schema's messages
// with their lines, country scoping, a change made meanwhile) are shown beside the form.
import Map from 'ol/Map';
import View from 'ol/View';
import Feature from 'ol/Feature';
import VectorLayer from 'ol/layer/Vector';
import VectorTileLayer from 'ol/layer/VectorTile';
import VectorSource from 'ol/source/Vector';
import VectorTileSource from 'ol/source/VectorTile';
import MVT from 'ol/format/MVT';
import Draw, { createBox } from 'ol/interaction/Draw';
import { always } from 'ol/events/condition';
import { fromExtent } from 'ol/geom/Polygon';
import { fromLonLat, transformExtent } from 'ol/proj';
import { Fill, Stroke, Style } from 'ol/style';
import { ApiError, type Api, type ChangeSet } from '../api';
import {
  emptyForm, emptyLink, emptyParty, featureOf, fieldOfError, formOf, refusalLines, LANGUAGES, PARTY_ROLES,
  RecordFieldError, RESOURCE_TYPES, UPDATE_FREQUENCIES, type RecordForm,
} from '../record-form';
import { h, clear, announce } from '../dom';
import { t } from '../i18n';
import { MEMBERS, countryName } from '../members';

export interface RecordEditorHooks {
  close: () => void; // back to the catalogue
  openChangeSet: (id: number) => void; // the change set in the workspace's review
}

type Input = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

// A code's name in the reader's language (an ISO code list's value), else the code.
function codeName(key: string, code: string): string {
  const name = t(key);
  return name === key ? code : name;
}

function options(values: string[], chosen: string, label: (v: string) => string = (v) => v): HTMLOptionElement[] {
  const list = values.includes(chosen) || chosen === '' ? values : [chosen, ...values];
  return list.map((v) => h('option', { value: v, selected: v === chosen }, label(v)));
}

// A labelled field; `name` is the field a refusal is shown beside.
function field(id: string, label: string, input: Input, name = ''): HTMLElement {
  return h('div', { class: 'field', 'data-field': name || null },
    h('label', { for: id }, label), input, h('p', { class: 'error field-error', role: 'alert' }));
}

const input = (id: string, value: string, extra: Record<string, string> = {}) => h('input', { id, value, ...extra });
const area = (id: string, value: string, rows = 3) => {
  const a = h('textarea', { id, rows });
  a.value = value;
  return a;
};

export class RecordEditor {
  private form: RecordForm = emptyForm();
  private etag: string | undefined;
  private editing: string | null = null; // the id of the record replaced; null for a new record
  private mode: 'form' | 'xml' = 'form';
  private map: Map | undefined;

  constructor(private readonly host: HTMLElement, private readonly api: Api, private readonly hooks: RecordEditorHooks) {}

  openNew(country: string): void {
    this.form = emptyForm(country);
    this.editing = null;
    this.etag = undefined;
    this.mode = 'form';
    this.render();
  }

  async openEdit(id: string): Promise<void> {
    try {
      const { doc, etag } = await this.api.record(id);
      this.form = formOf(doc);
      this.etag = etag;
      this.editing = id;
      this.mode = 'form';
      this.render();
    } catch (e) {
      announce((e as Error).message, 'error');
    }
  }

  // Withdraws (deletes) a record through review, with the ETag it was read with.
  async withdraw(id: string, out: HTMLElement): Promise<void> {
    try {
      const { etag } = await this.api.record(id);
      const result = await this.api.writeRecord('DELETE', id, undefined, etag);
      clear(out, ...this.waiting(result.changeSet, result.published));
    } catch (e) {
      clear(out, this.refusal(e));
    }
  }

  // --- the form, drawn from this.form and read back into it
  private render(): void {
    this.map?.setTarget(undefined);
    this.map = undefined;
    const title = this.editing ? t('recordForm.editTitle', { id: this.editing }) : t('recordForm.newTitle');
    const modes = h('div', { class: 'actions', role: 'group', 'aria-label': t('recordForm.mode') },
      h('button', { type: 'button', id: 'rf-mode-form', 'aria-pressed': String(this.mode === 'form'),
        onclick: () => { this.switchMode('form'); } }, t('recordForm.modeForm')),
      h('button', { type: 'button', id: 'rf-mode-xml', 'aria-pressed': String(this.mode === 'xml'),
        onclick: () => { this.switchMode('xml'); } }, t('recordForm.modeXml')));
    const form = h('form', { id: 'record-form', novalidate: true, onsubmit: (e: Event) => { e.preventDefault(); void this.submit(); } },
      h('div', { id: 'rf-errors', class: 'problems', role: 'alert', hidden: true }),
      ...(this.mode === 'form' ? this.fields() : this.xmlFields()),
      h('div', { class: 'actions sticky' },
        h('button', { type: 'submit', id: 'rf-submit', class: 'primary' }, t('recordForm.submit')),
        h('button', { type: 'button', id: 'rf-cancel', onclick: () => this.close() }, t('recordForm.cancel'))));
    clear(this.host, h('h3', { tabindex: -1 }, title), h('p', { class: 'hint' }, t('recordForm.reviewHint')), modes, form);
    if (this.mode === 'form') this.drawMap();
    this.host.querySelector<HTMLElement>('h3')?.focus();
  }

  private close(): void {
    this.map?.setTarget(undefined);
    this.map = undefined;
    this.hooks.close();
  }

  private switchMode(mode: 'form' | 'xml'): void {
    if (this.mode === 'form') this.read();
    this.mode = mode;
    this.render();
  }

  private fields(): HTMLElement[] {
    const f = this.form;
    const type = h('select', { id: 'rf-type' }, ...options(RESOURCE_TYPES, f.type, (v) => {
      const key = `catalogue.recordType.${v}`;
      return t(key) === key ? v : t(key);
    }));
    const country = h('select', { id: 'rf-country' }, h('option', { value: '', selected: f.country === '' }, t('recordForm.regional')),
      ...options(MEMBERS.map((m) => m.iso3), f.country, (c) => countryName(c)).filter((o) => o.value !== ''));
    const frequency = h('select', { id: 'rf-frequency' }, h('option', { value: '' }, '—'), ...options(UPDATE_FREQUENCIES, f.updateFrequency, (v) => codeName(`recordForm.frequencies.${v}`, v)));
    const language = h('select', { id: 'rf-language' }, h('option', { value: '' }, '—'), ...options(LANGUAGES, f.language));
    return [
      field('rf-title', t('recordForm.title'), input('rf-title', f.title), 'title'),
      field('rf-description', t('recordForm.description'), area('rf-description', f.description, 4)),
      field('rf-type', t('recordForm.type'), type, 'type'),
      field('rf-country', t('recordForm.country'), country, 'country'),
      h('fieldset', { class: 'group', 'data-field': 'keywords' }, h('legend', {}, t('recordForm.keywords')),
        // The first group is the free keywords (no thesaurus), the others a thesaurus' each.
        ...f.keywords.map((g, i) => h('div', { class: 'row keyword-group' },
          i === 0 ? null : field(`rf-thesaurus-${i}`, t('recordForm.thesaurus'),
            input(`rf-thesaurus-${i}`, g.thesaurus, { placeholder: 'http://inspire.ec.europa.eu/theme' })),
          field(`rf-keywords-${i}`, i === 0 ? t('recordForm.freeKeywords') : t('recordForm.keywordList'), input(`rf-keywords-${i}`, g.keywords)))),
        h('p', { class: 'error field-error', role: 'alert' }),
        h('button', { type: 'button', id: 'rf-add-keywords', onclick: () => this.add(() => this.form.keywords.push({ thesaurus: '', keywords: '' })) },
          t('recordForm.addThesaurus'))),
      h('fieldset', { class: 'group', 'data-field': 'contacts' }, h('legend', {}, t('recordForm.contacts')),
        ...f.contacts.map((c, i) => h('div', { class: 'row contact' },
          field(`rf-contact-${i}-name`, t('recordForm.contactName'), input(`rf-contact-${i}-name`, c.name)),
          field(`rf-contact-${i}-organisation`, t('recordForm.organisation'), input(`rf-contact-${i}-organisation`, c.organisation)),
          field(`rf-contact-${i}-position`, t('recordForm.position'), input(`rf-contact-${i}-position`, c.position)),
          field(`rf-contact-${i}-email`, t('recordForm.email'), input(`rf-contact-${i}-email`, c.email, { type: 'email' })),
          field(`rf-contact-${i}-url`, t('recordForm.url'), input(`rf-contact-${i}-url`, c.url, { type: 'url' })),
          field(`rf-contact-${i}-role`, t('recordForm.role'), h('select', { id: `rf-contact-${i}-role` }, ...options(PARTY_ROLES, c.role, (v) => codeName(`recordForm.roles.${v}`, v)))))),
        h('p', { class: 'error field-error', role: 'alert' }),
        h('button', { type: 'button', id: 'rf-add-contact', onclick: () => this.add(() => this.form.contacts.push(emptyParty())) },
          t('recordForm.addContact'))),
      field('rf-lineage', t('recordForm.lineage'), area('rf-lineage', f.lineage)),
      field('rf-licence', t('recordForm.licence'), input('rf-licence', f.licence, { placeholder: 'CC-BY-4.0' })),
      field('rf-rights', t('recordForm.rights'), input('rf-rights', f.rights)),
      field('rf-constraints', t('recordForm.constraints'), area('rf-constraints', f.constraints, 2)),
      this.extentFields(),
      h('fieldset', { class: 'group', 'data-field': 'time' }, h('legend', {}, t('recordForm.time')),
        h('div', { class: 'row' },
          field('rf-time-start', t('recordForm.timeStart'), input('rf-time-start', f.timeStart, { placeholder: 'YYYY-MM-DD' })),
          field('rf-time-end', t('recordForm.timeEnd'), input('rf-time-end', f.timeEnd, { placeholder: 'YYYY-MM-DD' }))),
        h('p', { class: 'error field-error', role: 'alert' })),
      field('rf-crs', t('recordForm.referenceSystem'), input('rf-crs', f.referenceSystem)),
      field('rf-frequency', t('recordForm.updateFrequency'), frequency),
      field('rf-language', t('recordForm.language'), language, 'language'),
      h('fieldset', { class: 'group', 'data-field': 'links' }, h('legend', {}, t('recordForm.links')),
        ...f.links.map((l, i) => h('div', { class: 'row link' },
          field(`rf-link-${i}-href`, t('recordForm.linkHref'), input(`rf-link-${i}-href`, l.href, { type: 'url' })),
          field(`rf-link-${i}-title`, t('recordForm.linkTitle'), input(`rf-link-${i}-title`, l.title)),
          field(`rf-link-${i}-rel`, t('recordForm.linkRel'), input(`rf-link-${i}-rel`, l.rel)),
          field(`rf-link-${i}-type`, t('recordForm.linkType'), input(`rf-link-${i}-type`, l.type, { placeholder: 'application/pdf' })),
          field(`rf-link-${i}-protocol`, t('recordForm.linkProtocol'), input(`rf-link-${i}-protocol`, l.protocol, { placeholder: 'OGC:WMS' })),
          field(`rf-link-${i}-name`, t('recordForm.linkName'), input(`rf-link-${i}-name`, l.name)))),
        h('p', { class: 'error field-error', role: 'alert' }),
        h('button', { type: 'button', id: 'rf-add-link', onclick: () => this.add(() => this.form.links.push(emptyLink())) },
          t('recordForm.addLink'))),
    ];
  }

  private extentFields(): HTMLElement {
    const sides = ['west', 'south', 'east', 'north'] as const;
    const boxes = sides.map((s, i) => {
      const box = input(`rf-${s}`, this.form.bbox[i], { inputmode: 'decimal' });
      box.addEventListener('change', () => this.showBox());
      return field(`rf-${s}`, t(`recordForm.${s}`), box);
    });
    return h('fieldset', { class: 'group', 'data-field': 'bbox' }, h('legend', {}, t('recordForm.extent')),
      h('div', { class: 'row bbox' }, ...boxes),
      h('p', { class: 'error field-error', role: 'alert' }),
      h('div', { id: 'rf-map', class: 'record-map', 'aria-label': t('recordForm.mapLabel') }),
      h('button', { type: 'button', id: 'rf-draw', onclick: () => this.startDrawing() }, t('recordForm.draw')));
  }

  private xmlFields(): HTMLElement[] {
    const file = h('input', { id: 'rf-xml-file', type: 'file', accept: '.xml,application/xml,text/xml' });
    const text = area('rf-xml', '', 14);
    file.addEventListener('change', () => {
      const chosen = file.files?.[0];
      if (chosen) void chosen.text().then((content) => { text.value = content; });
    });
    return [
      h('p', { class: 'hint' }, this.editing ? t('recordForm.xmlEditHint', { id: this.editing }) : t('recordForm.xmlHint')),
      field('rf-xml-file', t('recordForm.xmlFile'), file),
      field('rf-xml', t('recordForm.xmlText'), text, 'xml'),
    ];
  }

  // Adds a row (a thesaurus, a contact, a link): what was typed is kept.
  private add(change: () => void): void {
    this.read();
    change();
    this.render();
  }

  private value(id: string): string {
    return (this.host.querySelector<Input>(`#${id}`)?.value) ?? '';
  }

  // The typed values back into this.form.
  private read(): void {
    const f = this.form;
    f.title = this.value('rf-title');
    f.description = this.value('rf-description');
    f.type = this.value('rf-type');
    f.country = this.value('rf-country');
    f.keywords = f.keywords.map((_, i) => ({ thesaurus: this.value(`rf-thesaurus-${i}`), keywords: this.value(`rf-keywords-${i}`) }));
    f.contacts = f.contacts.map((_, i) => ({
      name: this.value(`rf-contact-${i}-name`), organisation: this.value(`rf-contact-${i}-organisation`),
      position: this.value(`rf-contact-${i}-position`), email: this.value(`rf-contact-${i}-email`),
      url: this.value(`rf-contact-${i}-url`), role: this.value(`rf-contact-${i}-role`),
    }));
    f.lineage = this.value('rf-lineage');
    f.licence = this.value('rf-licence');
    f.rights = this.value('rf-rights');
    f.constraints = this.value('rf-constraints');
    f.bbox = [this.value('rf-west'), this.value('rf-south'), this.value('rf-east'), this.value('rf-north')];
    f.timeStart = this.value('rf-time-start');
    f.timeEnd = this.value('rf-time-end');
    f.referenceSystem = this.value('rf-crs');
    f.updateFrequency = this.value('rf-frequency');
    f.language = this.value('rf-language');
    f.links = f.links.map((_, i) => ({
      href: this.value(`rf-link-${i}-href`), title: this.value(`rf-link-${i}-title`), rel: this.value(`rf-link-${i}-rel`),
      type: this.value(`rf-link-${i}-type`), protocol: this.value(`rf-link-${i}-protocol`), name: this.value(`rf-link-${i}-name`),
    }));
  }

  // --- the extent's small map: the box typed is drawn; a box drawn fills the sides
  private readonly box = new VectorSource();

  private drawMap(): void {
    const target = this.host.querySelector<HTMLElement>('#rf-map');
    if (!target) return;
    const countries = new VectorTileLayer({
      source: new VectorTileSource({ format: new MVT(), url: this.api.url('/collections/countries/tiles/WebMercatorQuad/{z}/{y}/{x}'), maxZoom: 8 }),
      style: new Style({ fill: new Fill({ color: '#f4f1e8' }), stroke: new Stroke({ color: '#8c8270', width: 0.6 }) }),
    });
    const boxLayer = new VectorLayer({ source: this.box, style: new Style({ stroke: new Stroke({ color: '#c0392b', width: 2 }), fill: new Fill({ color: 'rgba(192,57,43,0.12)' }) }) });
    this.map = new Map({ target, layers: [countries, boxLayer], controls: [], view: new View({ center: fromLonLat([115, 10]), zoom: 2 }) });
    this.showBox();
  }

  private showBox(): void {
    this.box.clear();
    const sides = ['rf-west', 'rf-south', 'rf-east', 'rf-north'].map((id) => Number(this.value(id)));
    const typed = ['rf-west', 'rf-south', 'rf-east', 'rf-north'].every((id) => this.value(id).trim() !== '');
    if (!typed || !sides.every(Number.isFinite) || sides[0] > sides[2] || sides[1] > sides[3] || Math.abs(sides[1]) > 85 || Math.abs(sides[3]) > 85) return;
    const extent = transformExtent(sides, 'EPSG:4326', 'EPSG:3857');
    this.box.addFeature(new Feature(fromExtent(extent)));
    this.map?.getView().fit(extent, { padding: [15, 15, 15, 15], maxZoom: 8 });
  }

  private startDrawing(): void {
    const map = this.map;
    if (!map) return;
    // Dragged, not clicked twice: the box goes from where the pointer goes down to where it is let go.
    const draw = new Draw({ source: new VectorSource(), type: 'Circle', geometryFunction: createBox(), freehandCondition: always });
    draw.on('drawend', (e) => {
      const extent = transformExtent(e.feature.getGeometry()!.getExtent(), 'EPSG:3857', 'EPSG:4326');
      ['rf-west', 'rf-south', 'rf-east', 'rf-north'].forEach((id, i) => {
        const box = this.host.querySelector<HTMLInputElement>(`#${id}`);
        if (box) box.value = String(Math.round(extent[i] * 1e4) / 1e4);
      });
      map.removeInteraction(draw);
      this.showBox();
    });
    map.addInteraction(draw);
    announce(t('recordForm.drawHint'));
  }

  // --- submitting, and what the server says
  private async submit(): Promise<void> {
    let body: Record<string, unknown> | string;
    this.showErrors([], '', '');
    if (this.mode === 'xml') {
      body = this.value('rf-xml');
    } else {
      this.read();
      try {
        body = featureOf(this.form);
      } catch (e) {
        if (e instanceof RecordFieldError) return this.showErrors([e.message], e.field, t('recordForm.notSent'));
        throw e;
      }
    }
    const button = this.host.querySelector<HTMLButtonElement>('#rf-submit');
    if (button) button.disabled = true;
    try {
      const result = await this.api.writeRecord(this.editing ? 'PUT' : 'POST', this.editing, body, this.etag);
      this.map?.setTarget(undefined);
      clear(this.host, ...this.waiting(result.changeSet, result.published));
      announce(result.published ? t('recordForm.published') : t('recordForm.waiting', { id: result.changeSet.id }));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      const lines = e.status === 412 ? [t('recordForm.changedMeanwhile'), e.message] : refusalLines(e.message);
      this.showErrors(lines, e.status === 412 ? '' : fieldOfError(e.locator, e.message), t('recordForm.refused', { status: e.status }));
      announce(t('recordForm.refused', { status: e.status }), 'error');
    } finally {
      if (button) button.disabled = false;
    }
  }

  private showErrors(lines: string[], fieldName: string, heading: string): void {
    const box = this.host.querySelector<HTMLElement>('#rf-errors');
    for (const p of this.host.querySelectorAll<HTMLElement>('.field-error')) p.textContent = '';
    if (!box) return;
    box.hidden = lines.length === 0;
    clear(box, h('strong', {}, heading), h('ul', {}, ...lines.map((l) => h('li', {}, l))));
    if (!lines.length) return;
    const at = fieldName ? this.host.querySelector(`[data-field="${fieldName}"]`)?.querySelector<HTMLElement>(':scope > .field-error') : null;
    if (at) {
      at.textContent = lines.join(' ');
      at.closest<HTMLElement>('[data-field]')?.scrollIntoView({ block: 'center' });
    } else {
      box.scrollIntoView({ block: 'center' });
    }
  }

  private refusal(e: unknown): HTMLElement {
    const message = e instanceof ApiError && e.status === 412 ? `${t('recordForm.changedMeanwhile')} ${e.message}` : (e as Error).message;
    return h('div', { class: 'problems', role: 'alert' }, h('strong', {}, t('recordForm.refused', { status: e instanceof ApiError ? e.status : 0 })),
      h('ul', {}, ...refusalLines(message).map((l) => h('li', {}, l))));
  }

  // After a write: the change set it waits in for review, with a link to it.
  private waiting(changeSet: ChangeSet, published: boolean): HTMLElement[] {
    return [
      h('div', { id: 'rf-result', class: 'note', 'data-changeset': changeSet.id, role: 'status' },
        h('p', {}, published ? t('recordForm.published') : t('recordForm.waiting', { id: changeSet.id })),
        h('p', { class: 'actions' },
          h('a', { class: 'changeset-link', href: this.api.url(`/changesets/${changeSet.id}`), target: '_blank', rel: 'noopener' },
            t('recordForm.changeSetLink', { id: changeSet.id })),
          h('button', { type: 'button', class: 'open-changeset', onclick: () => this.hooks.openChangeSet(changeSet.id) }, t('recordForm.openReview')),
          h('button', { type: 'button', class: 'back', onclick: () => this.close() }, t('catalogue.back')))),
    ];
  }
}
