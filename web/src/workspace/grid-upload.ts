// The upload form of a coverage's grid (issue 17): the file goes to
// POST /collections/{id}/coverage/upload and becomes a change set reviewed like
// any other; the server decides whose country's coverage an editor may replace.
import type { Api } from '../api';
import { ApiError } from '../api';
import type { PortalState } from '../state';
import { h, announce } from '../dom';
import { t } from '../i18n';

export function gridUploadForm(state: PortalState, api: Api, done: () => void): HTMLElement[] {
  const coverages = state.layers.map((l) => l.info).filter((i) => i.kind === 'raster');
  const heading = h('h3', {}, t('gridUpload.title'));
  if (coverages.length === 0) return [heading, h('p', { class: 'hint' }, t('gridUpload.none'))];
  const coverage = h('select', { id: 'grid-coverage' }, ...coverages.map((c) => h('option', { value: c.id }, c.title)));
  const file = h('input', { type: 'file', id: 'grid-file', required: true,
    accept: '.tif,.tiff,.nc,.img,.asc,.grd,.xyz,.vrt,.bil,.hgt,.dem' });
  const title = h('input', { type: 'text', id: 'grid-title', maxlength: '500' });
  const result = h('p', { role: 'status', class: 'hint', id: 'grid-result' });
  const form = h('form', { class: 'grid-upload', 'aria-label': t('gridUpload.title') },
    h('p', { class: 'hint' }, t('gridUpload.note')),
    h('div', { class: 'field' }, h('label', { for: 'grid-coverage' }, t('gridUpload.coverage')), coverage),
    h('div', { class: 'field' }, h('label', { for: 'grid-file' }, t('gridUpload.file')), file),
    h('div', { class: 'field' }, h('label', { for: 'grid-title' }, t('gridUpload.changeTitle')), title),
    h('button', { type: 'submit', class: 'primary' }, t('gridUpload.submit')), result);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = file.files?.[0];
    if (!f) return;
    result.textContent = t('upload.uploading');
    try {
      const r = await api.uploadGrid(coverage.value, f, f.name, title.value.trim());
      result.textContent = t(r.published ? 'gridUpload.published' : 'gridUpload.done', { id: r.changeSet.id });
      result.dataset.changeset = String(r.changeSet.id);
      announce(result.textContent);
      if (r.published) state.dataChanged();
      done();
    } catch (err) {
      result.textContent = err instanceof ApiError ? t('upload.refused', { message: err.message }) : String(err);
    }
  });
  return [heading, form];
}
