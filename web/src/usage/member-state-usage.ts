import { byId, h } from '../dom';
import { t } from '../i18n';
import { countryName } from '../members';

// The Usage page's member-state section (issue 18): how a member state's datasets are
// used and from where, month by month, read from /usage/member-states/{ISO3} (rows of
// month × dataset × requester country, as the API's CSV gives them), and links to the
// monthly utilization report (printable page, PDF, CSV) of a month.

export const STATES = ['BRN', 'KHM', 'IDN', 'LAO', 'MYS', 'MMR', 'PHL', 'SGP', 'THA', 'VNM'];

export interface StateRow {
  month: string;
  collection: string;
  relation: 'record' | 'features';
  country: string;
  requests: number;
  bytes: number;
  features: number;
}

interface StateDoc {
  memberState: string;
  from: string;
  to: string;
  datasets: { collection: string; relation: string; features: number }[];
  rows: StateRow[];
}

export function stateUrl(root: string, iso3: string, from: string, to: string, f: 'json' | 'csv'): string {
  return `${root}/usage/member-states/${encodeURIComponent(iso3)}?${new URLSearchParams({ from, to, f })}`;
}

export function monthlyUrl(root: string, month: string, f: 'html' | 'pdf' | 'csv'): string {
  return `${root}/usage/monthly/${encodeURIComponent(month)}?f=${f}`;
}

// Requests per month (the months of the rows, in order): the section's summary line.
export function requestsPerMonth(rows: StateRow[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of [...rows].sort((a, b) => a.month.localeCompare(b.month)))
    out.set(r.month, (out.get(r.month) ?? 0) + r.requests);
  return out;
}

function rowsTable(doc: StateDoc): HTMLElement {
  if (doc.rows.length === 0)
    return h('p', { class: 'hint' }, doc.datasets.length === 0 ? t('usage.memberState.noDatasets') : t('usage.noRequests'));
  const head = ['month', 'dataset', 'from', 'requests', 'features'].map((k) =>
    h('th', { scope: 'col' }, t(`usage.memberState.column.${k}`)));
  const body = doc.rows.map((r) =>
    h('tr', { 'data-month': r.month, 'data-collection': r.collection, 'data-country': r.country,
      'data-requests': String(r.requests), 'data-features': String(r.features) },
    h('td', {}, r.month),
    h('th', { scope: 'row' }, r.collection, ' ',
      h('span', { class: 'hint' }, t(`usage.memberState.relation.${r.relation}`))),
    h('td', {}, r.country === 'unknown' ? t('usage.memberState.unknownCountry') : countryName(r.country)),
    h('td', { class: 'number' }, r.requests.toLocaleString('en')),
    h('td', { class: 'number' }, r.features.toLocaleString('en'))));
  return h('table', { class: 'usage-table member-state-table', 'data-member-state': doc.memberState },
    h('thead', {}, h('tr', {}, ...head)), h('tbody', {}, ...body));
}

async function showState(root: string, iso3: string, from: string, to: string): Promise<void> {
  const target = byId('member-state-usage');
  (byId('member-state-csv') as HTMLAnchorElement).href = stateUrl(root, iso3, from, to, 'csv');
  const response = await fetch(stateUrl(root, iso3, from, to, 'json'), { credentials: 'same-origin' });
  if (!response.ok) {
    target.replaceChildren(h('p', { class: 'hint' },
      response.status === 401 ? t('usage.logIn') : t('usage.failed', { status: response.status })));
    return;
  }
  const doc = (await response.json()) as StateDoc;
  const perMonth = [...requestsPerMonth(doc.rows)].map(([m, n]) => `${m}: ${n.toLocaleString('en')}`).join(' · ');
  target.replaceChildren(
    h('p', { class: 'hint' }, t('usage.memberState.summary',
      { name: countryName(doc.memberState), datasets: doc.datasets.length, from: doc.from, to: doc.to })),
    ...(perMonth ? [h('p', { class: 'member-state-months' }, perMonth)] : []),
    rowsTable(doc));
}

function setMonthlyLinks(root: string, month: string): void {
  for (const f of ['html', 'pdf', 'csv'] as const)
    (byId(`monthly-${f}`) as HTMLAnchorElement).href = monthlyUrl(root, month, f);
}

// The period's months (YYYY-MM) from the page's period inputs (YYYY-MM-DD).
export function startMemberStateSection(root: string, period: () => { from: string; to: string }): () => void {
  const select = byId('member-state') as HTMLSelectElement;
  const fillOptions = () => {
    const chosen = select.value || 'BRN';
    select.replaceChildren(...STATES.map((code) => h('option', { value: code }, countryName(code))));
    select.value = chosen;
  };
  fillOptions();
  const month = byId('monthly-month') as HTMLInputElement;
  month.value = month.value || new Date().toISOString().slice(0, 7);
  setMonthlyLinks(root, month.value);
  month.addEventListener('change', () => setMonthlyLinks(root, month.value));
  const show = () => {
    const p = period();
    void showState(root, select.value, p.from.slice(0, 7), p.to.slice(0, 7));
  };
  byId('member-state-form').addEventListener('submit', (e) => {
    e.preventDefault();
    show();
  });
  show();
  return () => {  // on a language change
    fillOptions();
    show();
  };
}
