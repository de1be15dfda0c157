// The portal's Usage page (issue 18): the counts of /usage/daily over a period,
// drawn as a chart over time (uPlot: a small, well-kept time-series library with no
// dependencies) and as tables with bars per dataset, country, service and client,
// the top downloads and map views. Every number shown is one of the API's rows
// summed; the CSV link gives the same rows.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './usage.css';
import { serviceRoot } from '../links';
import { byId, h } from '../dom';
import { onLanguageChange, startLanguage, t } from '../i18n';
import { startMemberStateSection } from './member-state-usage';
import { daysBetween, isDownload, isMapView, label, seriesOverTime, totalsBy, type Dimension, type Total, type UsageRow } from './usage-data';

const GROUP = 'day,collection,service,operation,format,country,client';
const COLOURS = ['#a0522d', '#1f77b4', '#2ca02c', '#9467bd', '#d62728', '#7f7f7f'];

function reportUrl(root: string, from: string, to: string, f: 'json' | 'csv'): string {
  const q = new URLSearchParams({ from, to, group: GROUP, f });
  return `${root}/usage/daily?${q}`;
}

function table(totals: Total[], dimension: string): HTMLElement {
  const max = Math.max(1, ...totals.map((t) => t.requests));
  const rows = totals.slice(0, 20).map((total) =>
    h('tr', { 'data-key': total.key, 'data-requests': String(total.requests) },
      h('th', { scope: 'row' }, label(total.key)),
      h('td', { class: 'bar-cell' }, h('span', { class: 'bar', style: `width:${(100 * total.requests) / max}%` })),
      h('td', { class: 'number' }, total.requests.toLocaleString('en')),
      h('td', { class: 'number' }, `${(total.bytes / 1048576).toFixed(1)} MB`)));
  if (rows.length === 0) return h('p', { class: 'hint' }, t('usage.noRequests'));
  return h('table', { class: 'usage-table', 'data-dimension': dimension },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t(`usage.dimension.${dimension}`)), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('usage.share'))),
      h('th', { scope: 'col' }, t('usage.requests')), h('th', { scope: 'col' }, t('usage.bytes')))),
    h('tbody', {}, ...rows));
}

function fill(id: string, rows: UsageRow[], by: Dimension): void {
  byId(id).replaceChildren(table(totalsBy(rows, by), by));
}

let chart: uPlot | null = null;

function drawOverTime(rows: UsageRow[], days: string[]): void {
  const { names, values } = seriesOverTime(rows, 'service', days);
  const target = byId('usage-over-time');
  chart?.destroy();
  target.replaceChildren();
  target.dataset.series = JSON.stringify(Object.fromEntries(names.map((n, i) => [n, values[i]])));
  const x = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
  chart = new uPlot({
    width: Math.min(960, target.clientWidth || 800), height: 280,
    series: [{}, ...names.map((n, i) => ({ label: label(n), stroke: COLOURS[i % COLOURS.length], width: 2 }))],
    axes: [{}, { label: t('usage.requests') }],
    scales: { x: { time: true } },
  }, [x, ...values], target);
}

async function show(root: string, from: string, to: string): Promise<void> {
  const status = byId('usage-status');
  status.textContent = t('usage.loading');
  (byId('usage-csv') as HTMLAnchorElement).href = reportUrl(root, from, to, 'csv');
  const response = await fetch(reportUrl(root, from, to, 'json'), { credentials: 'same-origin' });
  if (response.status === 401) {
    status.textContent = t('usage.logIn');
    return;
  }
  if (!response.ok) {
    status.textContent = t('usage.failed', { status: response.status });
    return;
  }
  const doc = (await response.json()) as { rows: UsageRow[]; total: { requests: number } };
  const rows = doc.rows.filter((r) => r.service !== 'usage');  // this page's own reads
  drawOverTime(rows, daysBetween(from, to));
  fill('usage-by-collection', rows.filter((r) => r.collection !== ''), 'collection');
  fill('usage-by-country', rows, 'country');
  fill('usage-by-service', rows, 'service');
  fill('usage-by-client', rows, 'client');
  fill('usage-downloads', rows.filter(isDownload), 'collection');
  fill('usage-map-views', rows.filter(isMapView), 'collection');
  status.textContent = t('usage.total', { count: rows.reduce((n, r) => n + r.requests, 0), from, to });
}

function start(): void {
  const root = serviceRoot(location.href);
  const today = new Date().toISOString().slice(0, 10);
  const monthAgo = new Date(Date.now() - 29 * 86400000).toISOString().slice(0, 10);
  const from = byId('usage-from') as HTMLInputElement;
  const to = byId('usage-to') as HTMLInputElement;
  const params = new URLSearchParams(location.search);
  from.value = params.get('from') ?? monthAgo;
  to.value = params.get('to') ?? today;
  byId('usage-period').addEventListener('submit', (e) => {
    e.preventDefault();
    void show(root, from.value, to.value);
  });
  const refreshState = startMemberStateSection(root, () => ({ from: from.value, to: to.value }));
  onLanguageChange(() => {
    void show(root, from.value, to.value);
    refreshState();
  });
  void show(root, from.value, to.value);
}

startLanguage(document.getElementById('language-slot'));
start();
