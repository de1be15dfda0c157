// Activities 4.2 and 4.3's live indicators as the work-plan page shows them: pure functions
// from GET /workplans/{id}/live-indicators to elements, unit-tested without a server.
import { h } from '../dom';
import { t } from '../i18n';

export interface StateUtilization {
  country: string;
  datasets: number;
  requests: number;
  features: number;
  bytes: number;
}

export interface LiveIndicators {
  asOf: string;
  aseanMemberStates: string[];
  'activity4.2': { text: string; memberStates: string[] };
  'activity4.3': {
    memberStates: Array<{ country: string; approvedChangeSets365Days: number; lastApproved: string | null }>;
    utilization: { available: boolean; reason?: string; from?: string; to?: string; memberStates?: StateUtilization[] };
  };
}

// One row per ASEAN member state: updated in the last 90 days, approved change sets and the
// use of its datasets (when the usage statistics are available).
export function liveTable(live: LiveIndicators, exports: string): HTMLElement {
  const u = live['activity4.3'].utilization;
  const updating = new Set(live['activity4.2'].memberStates);
  const frequency = new Map(live['activity4.3'].memberStates.map((s) => [s.country, s]));
  const usage = new Map((u.available ? u.memberStates ?? [] : []).map((s) => [s.country, s]));
  const number = (n: number | undefined) => (n === undefined ? '' : n.toLocaleString('en'));
  const body = h('tbody', {}, ...live.aseanMemberStates.map((c) => {
    const f = frequency.get(c);
    const s = usage.get(c);
    return h('tr', { 'data-country': c },
      h('td', {}, c),
      h('td', {}, updating.has(c) ? t('workplan.live.yes') : t('workplan.live.no')),
      h('td', { class: 'number', 'data-name': 'approved' }, number(f?.approvedChangeSets365Days ?? 0)),
      h('td', {}, f?.lastApproved ?? '–'),
      ...(u.available ? [
        h('td', { class: 'number', 'data-name': 'datasets' }, number(s?.datasets)),
        h('td', { class: 'number', 'data-name': 'requests' }, number(s?.requests)),
        h('td', { class: 'number', 'data-name': 'features' }, number(s?.features))] : []));
  }));
  return h('div', { class: 'live-indicators' },
    h('h2', {}, t('workplan.live.title')),
    h('p', {}, `${t('workplan.live.updating')} `, h('strong', { class: 'rate-42' }, live['activity4.2'].text)),
    h('p', {}, u.available ? t('workplan.live.period', { from: u.from ?? '', to: u.to ?? '' })
      : t('workplan.live.noUsage', { reason: u.reason ?? '' })),
    h('table', { class: 'live' },
      h('thead', {}, h('tr', {}, h('th', {}, t('workplan.live.state')), h('th', {}, t('workplan.live.updated90')),
        h('th', {}, t('workplan.live.approved365')), h('th', {}, t('workplan.live.lastApproved')),
        ...(u.available ? [h('th', {}, t('workplan.live.datasets')), h('th', {}, t('workplan.live.requests')),
          h('th', {}, t('workplan.live.features'))] : []))),
      body),
    h('p', { class: 'exports' }, `${t('workplan.exports')} `,
      h('a', { href: `${exports}?f=csv`, class: 'live-csv' }, 'CSV'), ' · ',
      h('a', { href: `${exports}?f=pdf`, class: 'live-pdf' }, 'PDF')));
}
