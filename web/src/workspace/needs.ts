// The needs and requirements register (issue 18) in the workspace: every signed-in
// account submits needs and follows its own; the expert team (reviewers and
// administrators) triages them all; everyone sees the public counts. The server
// (/needs) decides who may do what; the page only shows what it allows.
import type { Api, Session } from '../api';
import { ApiError } from '../api';
import { h, clear, announce } from '../dom';
import { t } from '../i18n';
import { countryName } from '../members';

export const KINDS = ['dataset', 'service', 'data-problem'] as const;
export const STATUSES = ['new', 'triaged', 'planned', 'in-progress', 'done', 'declined', 'duplicate'] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

export interface Need {
  id: number;
  kind: string;
  title: string;
  description: string;
  collection: string | null;
  featureId: number | null;
  submitter: string;
  country: string | null;
  created: string;
  updated: string;
  status: string;
  priority: string;
  assignee: string | null;
  resolution: string;
  comments: number;
  links: Array<{ rel: string; href: string }>;
  notes?: Array<{ id: number; time: string; author: string; kind: string; text: string }>;
}

export interface NeedsSummary {
  total: number;
  byKindAndStatus: Array<{ kind: string; status: string; needs: number }>;
  byCountry: Array<{ country: string | null; needs: number }>;
}

// "data-problem" -> "dataProblem": the translation keys' form.
const key = (value: string) => value.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
export const kindName = (kind: string) => t(`needs.kinds.${key(kind)}`);
export const statusName = (status: string) => t(`needs.statuses.${key(status)}`);
export const priorityName = (priority: string) => t(`needs.priorities.${key(priority)}`);

export const isExpertTeam = (session: Session | null) => session?.role === 'reviewer' || session?.role === 'admin';

// The counts as a table of kinds by statuses, and the member states' totals.
export function countsTable(summary: NeedsSummary): HTMLElement {
  const cell = (kind: string, status: string) =>
    summary.byKindAndStatus.find((c) => c.kind === kind && c.status === status)?.needs ?? 0;
  return h('div', { class: 'needs-counts' },
    h('p', { class: 'hint', 'data-total': summary.total }, t('needs.total', { count: summary.total })),
    h('div', { class: 'table-scroll' }, h('table', { class: 'needs-by-status' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('needs.kind')), ...STATUSES.map((s) => h('th', { scope: 'col' }, statusName(s))))),
      h('tbody', {}, ...KINDS.map((k) => h('tr', { 'data-kind': k }, h('th', { scope: 'row' }, kindName(k)),
        ...STATUSES.map((s) => h('td', { 'data-status': s }, String(cell(k, s))))))))),
    h('table', { class: 'needs-by-country' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('needs.country')), h('th', { scope: 'col' }, t('needs.count')))),
      h('tbody', {}, ...summary.byCountry.map((c) => h('tr', { 'data-country': c.country ?? '' },
        h('td', {}, c.country ? countryName(c.country) : t('needs.regional')), h('td', {}, String(c.needs)))))));
}

function field(id: string, label: string, control: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

function select(id: string, values: readonly string[], name: (v: string) => string, selected?: string): HTMLSelectElement {
  return h('select', { id }, ...values.map((v) => h('option', { value: v, selected: v === selected }, name(v))));
}

function submitForm(api: Api, done: () => void): HTMLElement {
  const kind = select('need-kind', KINDS, kindName);
  const title = h('input', { id: 'need-title', required: true, minlength: 3, maxlength: 200 });
  const description = h('textarea', { id: 'need-description', maxlength: 10000, rows: 4 });
  const collection = h('input', { id: 'need-collection', maxlength: 100, autocomplete: 'off' });
  const feature = h('input', { id: 'need-feature', type: 'number', min: 0, step: 1 });
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'need-submit', 'aria-label': t('needs.submitTitle') },
    field('need-kind', t('needs.kind'), kind), field('need-title', t('needs.titleField'), title),
    field('need-description', t('needs.description'), description),
    field('need-collection', t('needs.collection'), collection), field('need-feature', t('needs.feature'), feature),
    error, h('button', { type: 'submit', class: 'primary' }, t('needs.submit')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    const body: Record<string, unknown> = { kind: kind.value, title: title.value, description: description.value };
    if (collection.value.trim()) body.collection = collection.value.trim();
    if (feature.value) body.featureId = Number(feature.value);
    try {
      const need = await api.request<Need>('POST', '/needs', body);
      announce(t('needs.submitted', { id: need.id }));
      done();
    } catch (err) {
      error.textContent = err instanceof ApiError ? err.message : String(err);
    }
  });
  return form;
}

// The expert team's triage of one need: status, priority, assignee, resolution, a comment.
function triageForm(api: Api, need: Need, done: () => void): HTMLElement {
  const id = (name: string) => `need-${need.id}-${name}`;
  const status = select(id('status'), STATUSES, statusName, need.status);
  const priority = select(id('priority'), PRIORITIES, priorityName, need.priority);
  const assignee = h('input', { id: id('assignee'), value: need.assignee ?? '', maxlength: 100, autocomplete: 'off' });
  const resolution = h('textarea', { id: id('resolution'), maxlength: 10000, rows: 2 });
  resolution.value = need.resolution;
  const comment = h('textarea', { id: id('comment'), maxlength: 10000, rows: 2 });
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'need-triage', 'data-need': need.id, 'aria-label': t('needs.triageLabel', { id: need.id }) },
    field(id('status'), t('needs.status'), status), field(id('priority'), t('needs.priority'), priority),
    field(id('assignee'), t('needs.assignee'), assignee), field(id('resolution'), t('needs.resolution'), resolution),
    field(id('comment'), t('needs.comment'), comment), error,
    h('button', { type: 'submit', class: 'primary' }, t('needs.save')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    const change: Record<string, string> = {};
    if (status.value !== need.status) change.status = status.value;
    if (priority.value !== need.priority) change.priority = priority.value;
    if (assignee.value.trim() !== (need.assignee ?? '')) change.assignee = assignee.value.trim();
    if (resolution.value.trim() !== need.resolution) change.resolution = resolution.value.trim();
    try {
      if (Object.keys(change).length) await api.request('PATCH', `/needs/${need.id}`, change);
      if (comment.value.trim()) await api.request('POST', `/needs/${need.id}/comments`, { text: comment.value.trim() });
      announce(t('needs.saved', { id: need.id }));
      done();
    } catch (err) {
      error.textContent = err instanceof ApiError ? err.message : String(err);
    }
  });
  return form;
}

function needRow(need: Need, expert: boolean, open: (n: Need) => void): HTMLElement {
  return h('tr', { 'data-need': need.id, 'data-status': need.status },
    h('td', {}, String(need.id)), h('td', {}, kindName(need.kind)),
    h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => open(need) }, need.title)),
    h('td', {}, need.country ? countryName(need.country) : t('needs.regional')),
    expert ? h('td', {}, need.submitter) : null,
    h('td', { class: 'need-status' }, statusName(need.status)), h('td', {}, priorityName(need.priority)),
    h('td', {}, need.assignee ?? '—'));
}

async function showNeed(detail: HTMLElement, api: Api, id: number, expert: boolean, again: () => void): Promise<void> {
  const need = await api.get<Need>(`/needs/${id}`);
  const about = need.links.find((l) => l.rel === 'related');
  clear(detail, h('h4', {}, `${need.id} · ${need.title}`),
    need.description ? h('p', { class: 'need-description' }, need.description) : null,
    about ? h('p', {}, h('a', { href: about.href, target: '_blank', rel: 'noopener' }, t('needs.about', { collection: need.collection ?? '' }))) : null,
    need.resolution ? h('p', {}, h('strong', {}, `${t('needs.resolution')}: `), need.resolution) : null,
    h('ul', { class: 'need-notes' }, ...(need.notes ?? []).map((n) => h('li', { 'data-kind': n.kind },
      h('span', { class: 'hint' }, `${n.time.slice(0, 16).replace('T', ' ')} · ${n.author}: `), n.text))),
    expert ? triageForm(api, need, again) : null);
}

// The Needs tab: the submit form, the needs the caller may see, the public counts.
export async function renderNeeds(panel: HTMLElement, api: Api, session: Session | null): Promise<void> {
  const expert = isExpertTeam(session);
  const again = () => void renderNeeds(panel, api, session);
  let needs: Need[] = [];
  let summary: NeedsSummary | null = null;
  try {
    [needs, summary] = await Promise.all([
      api.get<{ needs: Need[] }>('/needs?limit=1000').then((d) => d.needs),
      api.get<NeedsSummary>('/needs/summary'),
    ]);
  } catch (e) {
    return clear(panel, h('p', { class: 'error' }, (e as Error).message));
  }
  const detail = h('div', { class: 'need-detail', 'aria-live': 'polite' });
  const open = (n: Need) => void showNeed(detail, api, n.id, expert, again).catch((e: Error) => announce(e.message, 'error'));
  const headers = [t('needs.id'), t('needs.kind'), t('needs.titleField'), t('needs.country'),
    ...(expert ? [t('needs.submitter')] : []), t('needs.status'), t('needs.priority'), t('needs.assignee')];
  clear(panel,
    h('h3', {}, t('needs.submitTitle')), submitForm(api, again),
    h('h3', {}, t(expert ? 'needs.allTitle' : 'needs.mineTitle', { count: needs.length })),
    needs.length ? h('div', { class: 'table-scroll' }, h('table', { class: 'needs' },
      h('thead', {}, h('tr', {}, ...headers.map((title) => h('th', { scope: 'col' }, title)))),
      h('tbody', {}, ...needs.map((n) => needRow(n, expert, open))))) : h('p', { class: 'hint' }, t('needs.none')),
    h('p', {}, h('a', { href: api.url('/needs?f=csv'), download: 'amis-needs.csv', class: 'needs-csv' }, t('needs.csv'))),
    detail,
    h('h3', {}, t('needs.countsTitle')), countsTable(summary));
}
