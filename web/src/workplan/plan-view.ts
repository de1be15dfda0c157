// The work plan as the portal shows it: pure functions from the server's documents
// (GET /workplans/{id}, .../accomplishment) to elements, unit-tested without a server.
import { h } from '../dom';
import { t } from '../i18n';
import { codeLabel } from '../code-lists';

export interface Rate {
  scope: string;
  title: string;
  accomplished: number;
  total: number;
  percent: number | null;
  text: string;
}

export interface Accomplishment {
  rule: string;
  ruleName: string;
  overall: Rate;
  programmeAreas: Rate[];
}

export interface Activity {
  id: string;
  area: string;
  activity: string;
  expectedOutputs: string[];
  lead: string | null;
  coLead: string | null;
  countryCoordinator: string | null;
  plannedStart: string | null;
  plannedEnd: string | null;
  status?: string | null;
  statusSource?: string;
}

export interface WorkPlan {
  id: string;
  title: string;
  programmeAreas: Array<{ no: string; code: string; title: string }>;
  activities: Activity[];
}

// The activities an account may report on: an editor those whose lead, co-lead or
// country coordinator is their country; reviewers and administrators all.
export function reportable(plan: WorkPlan, role: string, country: string): Activity[] {
  if (role !== 'editor') return plan.activities;
  return plan.activities.filter((a) => [a.lead, a.coLead, a.countryCoordinator].includes(country));
}

export function rateTable(a: Accomplishment): HTMLElement {
  const row = (r: Rate) => h('tr', {}, h('td', {}, r.scope), h('td', {}, r.title), h('td', { class: 'rate' }, r.text));
  return h('div', {},
    h('h2', {}, t('workplan.accomplishment')),
    h('p', {}, `${t('workplan.ruleIs')} `, h('strong', {}, a.ruleName)),
    h('table', { class: 'accomplishment' },
      h('thead', {}, h('tr', {}, h('th', {}, t('workplan.area')), h('th', {}, t('workplan.titleColumn')), h('th', {}, t('workplan.rate')))),
      h('tbody', {}, ...a.programmeAreas.map(row), row(a.overall))));
}

// The work plan's own layout: one block per programme area, one row per activity.
export function planTable(plan: WorkPlan, base: string): HTMLElement {
  const body = h('tbody');
  for (const area of plan.programmeAreas) {
    body.append(h('tr', { class: 'area' }, h('th', { colspan: 6 }, `${area.no}. ${area.title}`)));
    for (const a of plan.activities.filter((x) => x.area === area.code)) {
      const timeline = [a.plannedStart, a.plannedEnd].filter(Boolean).join('–');
      body.append(h('tr', { 'data-activity': a.id },
        h('td', {}, h('a', { href: `${base}/workplans/${encodeURIComponent(plan.id)}/activities/${a.id}?f=html` }, a.id)),
        h('td', {}, a.activity),
        h('td', {}, ...a.expectedOutputs.flatMap((o, i) => (i ? [h('br'), o] : [o]))),
        h('td', {}, [a.lead, a.coLead, a.countryCoordinator].map((c) => c ?? '–').join(' / ')),
        h('td', {}, timeline),
        h('td', { class: 'status', 'data-status': a.status ?? '' }, a.status ? codeLabel('workplan_status', a.status) : t('workplan.notReported'))));
    }
  }
  return h('table', { class: 'workplan' },
    h('thead', {}, h('tr', {}, h('th', {}, t('workplan.no')), h('th', {}, t('workplan.activity')), h('th', {}, t('workplan.output')),
      h('th', {}, t('workplan.leads')), h('th', {}, t('workplan.timeline')), h('th', {}, t('workplan.status')))),
    body);
}
