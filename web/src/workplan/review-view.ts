// The Secretariat's review of progress reports on the work-plan page: each submitted
// report (a change set of workplan_progress) with what it says and its evidence, and
// Approve or Return (reject with a comment). Pure builders; the page wires the actions.
import { h } from '../dom';
import { t } from '../i18n';
import { codeLabel } from '../code-lists';

export interface PendingReport {
  changeSet: number;
  author: string;
  activity: string;
  meeting: string;
  country: string;
  status: string;
  narrative: string;
  evidence: Array<{ title?: string; href: string }>;
}

// A report from a change set's first change (GET /changesets/{id}/review): the properties
// of the feature it adds; `evidence` is kept there as JSON text.
export function pendingReport(changeSet: { id: number; author: string }, after: Record<string, unknown>): PendingReport {
  let evidence: PendingReport['evidence'] = [];
  try {
    const parsed: unknown = JSON.parse(String(after.evidence ?? '[]'));
    if (Array.isArray(parsed)) evidence = parsed.filter((e) => e && typeof e.href === 'string');
  } catch {
    evidence = [];
  }
  const text = (name: string) => (typeof after[name] === 'string' ? after[name] as string : '');
  return { changeSet: changeSet.id, author: changeSet.author, activity: text('activity'), meeting: text('meeting'),
    country: text('iso3'), status: text('status'), narrative: text('narrative'), evidence };
}

export type Decide = (report: PendingReport, action: 'approve' | 'reject', comment: string) => void;

export function reviewList(reports: PendingReport[], decide: Decide): HTMLElement {
  if (reports.length === 0) return h('div', {}, h('h2', {}, t('workplan.review.title')), h('p', {}, t('workplan.review.none')));
  return h('div', {}, h('h2', {}, t('workplan.review.title')),
    h('ul', { class: 'pending-reports' }, ...reports.map((r) => {
      const comment = h('textarea', { id: `review-comment-${r.changeSet}`, class: 'review-comment', rows: 2 });
      return h('li', { 'data-changeset': r.changeSet, 'data-activity': r.activity },
        h('p', {}, h('strong', {}, `${r.activity} · ${r.meeting} · ${r.country}`), ' ',
          t('workplan.review.by', { user: r.author, id: r.changeSet })),
        h('p', {}, `${t('workplan.status')}: ${r.status ? codeLabel('workplan_status', r.status) : '–'}`),
        r.narrative ? h('p', { class: 'narrative' }, r.narrative) : null,
        r.evidence.length ? h('p', { class: 'evidence' }, `${t('workplan.review.evidence')} `,
          ...r.evidence.flatMap((e, i) => [i ? ', ' : '', h('a', { href: e.href, target: '_blank', rel: 'noopener' }, e.title || e.href)]))
          : null,
        h('label', { for: comment.id }, t('workplan.review.comment')), comment,
        h('button', { type: 'button', class: 'primary approve', onclick: () => decide(r, 'approve', comment.value) }, t('workplan.review.approve')),
        ' ',
        h('button', { type: 'button', class: 'danger return', onclick: () => decide(r, 'reject', comment.value) }, t('workplan.review.return')));
    })));
}
