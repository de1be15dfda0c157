// The editor's change sets and their state, with submit and withdraw; and the
// upload of a file as a change set.
import type { Api, ChangeSet } from '../api';
import { ApiError } from '../api';
import type { PortalState } from '../state';
import type { Drafts } from './drafts';
import { MEMBERS } from '../members';
import { h, clear, announce } from '../dom';

export const STATE_LABEL: Record<string, string> = {
  draft: 'Draft', submitted: 'Waiting for review', approved: 'Approved', rejected: 'Rejected',
};

export function stateBadge(state: string): HTMLElement {
  return h('span', { class: `badge state-${state}` }, STATE_LABEL[state] ?? state);
}

export class ChangeSetList {
  constructor(private readonly panel: HTMLElement, private readonly state: PortalState, private readonly api: Api,
    private readonly drafts: Drafts, private readonly open: (c: ChangeSet) => void) {}

  async render(): Promise<void> {
    const s = this.state.session;
    if (!s) return;
    let sets: ChangeSet[] = [];
    try {
      sets = (await this.api.changeSets({ author: s.user, limit: '50' })).changeSets;
    } catch (e) {
      return clear(this.panel, h('p', { class: 'error' }, `Change sets could not be read: ${(e as Error).message}`));
    }
    const rows = sets.map((c) => h('tr', { 'data-changeset': c.id },
      h('td', {}, String(c.id)), h('td', {}, c.title, h('br'), h('small', {}, `${c.collection} · ${c.changes} change${c.changes === 1 ? '' : 's'}`)),
      h('td', {}, stateBadge(c.state), c.comment ? h('div', { class: 'comment' }, `“${c.comment}”`) : null),
      h('td', { class: 'actions' },
        h('button', { type: 'button', 'aria-label': `Show change set ${c.id}`, onclick: () => this.open(c) }, 'Show'),
        c.state === 'draft' && c.changes > 0 ? h('button', { type: 'button', class: 'primary', 'aria-label': `Submit change set ${c.id} for review`,
          onclick: () => this.act(c, 'submit') }, 'Submit for review') : null,
        c.state === 'submitted' ? h('button', { type: 'button', 'aria-label': `Withdraw change set ${c.id}`,
          onclick: () => this.act(c, 'withdraw') }, 'Withdraw') : null)));
    clear(this.panel, h('h3', {}, 'My change sets'),
      sets.length ? h('table', { class: 'changesets' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, 'Title'), h('th', { scope: 'col' }, 'State'), h('th', { scope: 'col' }, 'Actions'))),
        h('tbody', {}, ...rows)) : h('p', { class: 'hint' }, 'None yet: your edits and uploads will appear here.'));
  }

  private async act(c: ChangeSet, action: 'submit' | 'withdraw'): Promise<void> {
    try {
      const after = await this.api.changeSetAction(c.id, action);
      if (action === 'submit') this.drafts.forget(c.collection);
      if (after.state === 'approved') this.state.dataChanged();
      announce(action === 'submit' ? `Change set ${c.id} submitted for review` : `Change set ${c.id} withdrawn to draft`);
    } catch (e) {
      announce(e instanceof ApiError ? e.message : String(e), 'error');
    }
    await this.render();
  }
}

export function renderUpload(panel: HTMLElement, state: PortalState, api: Api, done: () => void): void {
  const editor = state.session?.role === 'editor';
  const layers = state.layers.map((l) => l.info).filter((i) => i.kind === 'vector' && i.id !== 'countries' && (!editor || i.roles.country));
  const layerSelect = h('select', { id: 'upload-layer' }, ...layers.map((l) => h('option', { value: l.id }, l.title)));
  const keySelect = h('select', { id: 'upload-key' });
  const fillKeys = () => {
    const layer = layers.find((l) => l.id === layerSelect.value);
    const candidates = (layer?.properties ?? []).filter((p) => p.type === 'string' || p.type === 'integer');
    const guess = candidates.find((p) => /_id$/.test(p.name))?.name;
    clear(keySelect, h('option', { value: '' }, '(none: add every feature)'),
      ...candidates.map((p) => h('option', { value: p.name, selected: p.name === guess }, p.title)));
  };
  layerSelect.addEventListener('change', fillKeys);
  fillKeys();
  const file = h('input', { type: 'file', id: 'upload-file', required: true, accept: '.geojson,.json,.gpkg,.zip,.fgb,.kml,.csv' });
  const mode = h('select', { id: 'upload-mode' }, h('option', { value: 'merge' }, 'Merge: change matching features, add new ones'),
    h('option', { value: 'replace' }, 'Replace my country’s features with the file'));
  // Reviewers and administrators name the country a replacement is for.
  const country = editor ? null : h('select', { id: 'upload-country' }, h('option', { value: '' }, '—'),
    ...MEMBERS.map((m) => h('option', { value: m.iso3 }, `${m.name} (${m.iso3})`)));
  const result = h('p', { role: 'status', class: 'hint' });
  const form = h('form', { class: 'upload', 'aria-label': 'Upload a file' },
    h('div', { class: 'field' }, h('label', { for: 'upload-layer' }, 'Layer'), layerSelect),
    h('div', { class: 'field' }, h('label', { for: 'upload-file' }, 'File (GeoJSON, GeoPackage, zipped Shapefile, FlatGeobuf, KML, CSV)'), file),
    h('div', { class: 'field' }, h('label', { for: 'upload-key' }, 'Match features by'), keySelect),
    h('div', { class: 'field' }, h('label', { for: 'upload-mode' }, 'Mode'), mode),
    country ? h('div', { class: 'field' }, h('label', { for: 'upload-country' }, 'Country (to replace)'), country) : null,
    h('button', { type: 'submit', class: 'primary' }, 'Upload as a new change set'), result);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = file.files?.[0];
    if (!f) return;
    result.textContent = 'Uploading…';
    try {
      const draft = await api.createChangeSet(layerSelect.value, `Upload of ${f.name}`);
      const r = await api.upload(layerSelect.value, f, { key: keySelect.value, mode: mode.value,
        country: country?.value || undefined, changeSet: draft.id });
      const s = r.summary ?? {};
      const counts = `${s.inserted ?? 0} new, ${s.replaced ?? 0} changed, ${s.deleted ?? 0} deleted, ${s.unchanged ?? 0} unchanged`;
      result.textContent = !r.changeSet ? `Nothing to change: ${counts}.`
        : r.published ? `Change set ${r.changeSet.id} is published: ${counts}.`
          : `Change set ${r.changeSet.id}: ${counts}. Submit it for review under “My change sets”.`;
      announce(result.textContent);
      if (r.published) state.dataChanged();
      done();
    } catch (err) {
      result.textContent = err instanceof ApiError ? `Refused: ${err.message}` : String(err);
    }
  });
  clear(panel, h('h3', {}, 'Upload a file'), form);
}
