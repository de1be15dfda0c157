// The editor's change sets and their state, with submit and withdraw; and the
// upload of a file as a change set.
import type { Api, ChangeSet } from '../api';
import { ApiError } from '../api';
import type { PortalState } from '../state';
import type { Drafts } from './drafts';
import { MEMBERS } from '../members';
import { h, clear, announce } from '../dom';
import { t } from '../i18n';
import { countryName } from '../members';
import { gridUploadForm } from './grid-upload';

// A change set's state as the reader's language names it ("changeset.state.draft").
export function stateLabel(state: string): string {
  const key = `changeset.state.${state}`;
  const name = t(key);
  return name === key ? state : name;
}

export function stateBadge(state: string): HTMLElement {
  return h('span', { class: `badge state-${state}` }, stateLabel(state));
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
      return clear(this.panel, h('p', { class: 'error' }, t('changeset.readFailed', { message: (e as Error).message })));
    }
    const rows = sets.map((c) => h('tr', { 'data-changeset': c.id },
      h('td', {}, String(c.id)), h('td', {}, c.title, h('br'), h('small', {}, `${c.collection} · ${t('changeset.changes', { count: c.changes })}`)),
      h('td', {}, stateBadge(c.state), c.comment ? h('div', { class: 'comment' }, `“${c.comment}”`) : null),
      h('td', { class: 'actions' },
        h('button', { type: 'button', 'aria-label': t('changeset.showLabel', { id: c.id }), onclick: () => this.open(c) }, t('changeset.show')),
        c.state === 'draft' && c.changes > 0 ? h('button', { type: 'button', class: 'primary', 'aria-label': t('changeset.submitLabel', { id: c.id }),
          onclick: () => this.act(c, 'submit') }, t('changeset.submit')) : null,
        c.state === 'submitted' ? h('button', { type: 'button', 'aria-label': t('changeset.withdrawLabel', { id: c.id }),
          onclick: () => this.act(c, 'withdraw') }, t('changeset.withdraw')) : null)));
    clear(this.panel, h('h3', {}, t('changeset.mine')),
      sets.length ? h('table', { class: 'changesets' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, t('changeset.titleColumn')),
          h('th', { scope: 'col' }, t('changeset.stateColumn')), h('th', { scope: 'col' }, t('changeset.actionsColumn')))),
        h('tbody', {}, ...rows)) : h('p', { class: 'hint' }, t('changeset.noneYet')));
  }

  private async act(c: ChangeSet, action: 'submit' | 'withdraw'): Promise<void> {
    try {
      const after = await this.api.changeSetAction(c.id, action);
      if (action === 'submit') this.drafts.forget(c.collection);
      if (after.state === 'approved') this.state.dataChanged();
      announce(t(action === 'submit' ? 'changeset.submitted' : 'changeset.withdrawn', { id: c.id }));
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
    clear(keySelect, h('option', { value: '' }, t('upload.noKey')),
      ...candidates.map((p) => h('option', { value: p.name, selected: p.name === guess }, p.title)));
  };
  layerSelect.addEventListener('change', fillKeys);
  fillKeys();
  const file = h('input', { type: 'file', id: 'upload-file', required: true, accept: '.geojson,.json,.gpkg,.zip,.fgb,.kml,.csv' });
  const mode = h('select', { id: 'upload-mode' }, h('option', { value: 'merge' }, t('upload.merge')),
    h('option', { value: 'replace' }, t('upload.replace')));
  // Reviewers and administrators name the country a replacement is for.
  const country = editor ? null : h('select', { id: 'upload-country' }, h('option', { value: '' }, '—'),
    ...MEMBERS.map((m) => h('option', { value: m.iso3 }, `${countryName(m.iso3)} (${m.iso3})`)));
  const result = h('p', { role: 'status', class: 'hint' });
  const form = h('form', { class: 'upload', 'aria-label': t('upload.title') },
    h('div', { class: 'field' }, h('label', { for: 'upload-layer' }, t('upload.layer')), layerSelect),
    h('div', { class: 'field' }, h('label', { for: 'upload-file' }, t('upload.file')), file),
    h('div', { class: 'field' }, h('label', { for: 'upload-key' }, t('upload.key')), keySelect),
    h('div', { class: 'field' }, h('label', { for: 'upload-mode' }, t('upload.mode')), mode),
    country ? h('div', { class: 'field' }, h('label', { for: 'upload-country' }, t('upload.country')), country) : null,
    h('button', { type: 'submit', class: 'primary' }, t('upload.submit')), result);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = file.files?.[0];
    if (!f) return;
    result.textContent = t('upload.uploading');
    try {
      const draft = await api.createChangeSet(layerSelect.value, `Upload of ${f.name}`); // a title kept in the data: not translated
      const r = await api.upload(layerSelect.value, f, { key: keySelect.value, mode: mode.value,
        country: country?.value || undefined, changeSet: draft.id });
      const s = r.summary ?? {};
      const counts = t('upload.counts', { inserted: s.inserted ?? 0, replaced: s.replaced ?? 0, deleted: s.deleted ?? 0, unchanged: s.unchanged ?? 0 });
      result.textContent = !r.changeSet ? t('upload.nothing', { counts })
        : r.published ? t('upload.published', { id: r.changeSet.id, counts })
          : t('upload.done', { id: r.changeSet.id, counts });
      announce(result.textContent);
      if (r.published) state.dataChanged();
      done();
    } catch (err) {
      result.textContent = err instanceof ApiError ? t('upload.refused', { message: err.message }) : String(err);
    }
  });
  clear(panel, h('h3', {}, t('upload.title')), form, ...gridUploadForm(state, api, done));
}
