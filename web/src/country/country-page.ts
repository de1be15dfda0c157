// The portal's country page (issue 20): a member state's review state and charts of
// the live summaries of /countries/{ISO3} (uPlot, as the Usage page): a line per
// production series over the years, bars of feature counts per commodity or status.
// Every number drawn is one of the API's, kept in the chart's data-values for checks.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './country.css';
import { serviceRoot } from '../links';
import { byId, h } from '../dom';
import { alignedSeries, countsByFirstKey, type CountryDoc, type Summary } from './country-data';

const STATES: [string, string][] = [['BRN', 'Brunei Darussalam'], ['KHM', 'Cambodia'], ['IDN', 'Indonesia'],
  ['LAO', 'Lao PDR'], ['MYS', 'Malaysia'], ['MMR', 'Myanmar'], ['PHL', 'Philippines'], ['SGP', 'Singapore'],
  ['THA', 'Thailand'], ['VNM', 'Viet Nam']];
const COLOURS = ['#a0522d', '#1f77b4', '#2ca02c', '#9467bd', '#d62728', '#7f7f7f', '#bcbd22', '#17becf'];
const charts: uPlot[] = [];

function width(target: HTMLElement): number {
  return Math.min(960, target.clientWidth || 800);
}

function seriesChart(s: Summary, target: HTMLElement): void {
  const { x, names, values } = alignedSeries(s);
  target.dataset.values = JSON.stringify(Object.fromEntries((s.series ?? []).map((r) => [r.name, r.points])));
  if (x.length === 0) return;
  charts.push(new uPlot({
    width: width(target), height: 300,
    series: [{ label: 'year' }, ...names.map((n, i) => ({ label: n, stroke: COLOURS[i % COLOURS.length], width: 2,
      points: { show: true } }))],
    axes: [{ label: 'year', values: (_u: uPlot, splits: number[]) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')) },
      { label: s.sums[0] ?? '' }],
    scales: { x: { time: false } },
  }, [x, ...values], target));
}

function barChart(s: Summary, target: HTMLElement): void {
  const { labels, counts } = countsByFirstKey(s);
  target.dataset.values = JSON.stringify(Object.fromEntries(labels.map((l, i) => [l, counts[i]])));
  if (labels.length === 0) return;
  charts.push(new uPlot({
    width: width(target), height: 260,
    series: [{ label: s.groupBy[0] }, { label: 'features', fill: '#a0522d99', stroke: '#a0522d',
      paths: uPlot.paths.bars!({ size: [0.7, 60] }), points: { show: false } }],
    axes: [{ values: (_u: uPlot, splits: number[]) => splits.map((v) => labels[v] ?? ''), rotate: -30, size: 80 }, { label: 'features' }],
    scales: { x: { time: false, range: [-0.5, labels.length - 0.5] } },
  }, [labels.map((_l, i) => i), counts], target));
}

function chart(s: Summary): HTMLElement {
  const target = h('div', { class: 'country-chart', 'data-summary': s.id });
  const section = h('section', {}, h('h3', {}, s.title), target);
  if (!s.available) target.append(h('p', { class: 'hint' }, `Not available: ${s.reason ?? ''}`));
  else if ((s.groups ?? []).length === 0) target.append(h('p', { class: 'hint' }, 'No features of this country.'));
  return section;
}

async function show(root: string, iso3: string): Promise<void> {
  const status = byId('country-status');
  status.textContent = 'Loading…';
  const profile = `${root}/countries/${iso3}`;
  (byId('country-profile-link') as HTMLAnchorElement).href = `${profile}?f=html`;
  (byId('country-pdf-link') as HTMLAnchorElement).href = `${profile}?f=pdf`;
  (byId('country-json-link') as HTMLAnchorElement).href = `${profile}?f=json`;
  const response = await fetch(`${profile}?f=json`, { credentials: 'same-origin' });
  if (!response.ok) {
    status.textContent = `The profile could not be read (${response.status}).`;
    return;
  }
  const doc = (await response.json()) as CountryDoc;
  byId('country-title').textContent = `${doc.name} (${doc.iso3})`;
  const review = byId('country-review');
  review.className = doc.review.stale ? 'stale' : 'reviewed';
  review.dataset.stale = String(doc.review.stale);
  review.textContent = doc.review.stale
    ? `Stale: not reviewed in the last 12 months (last reviewed: ${doc.review.lastReviewed ?? 'never'}).`
    : `Last reviewed ${doc.review.lastReviewed}.`;
  while (charts.length) charts.pop()!.destroy();
  const box = byId('country-charts');
  box.replaceChildren(...doc.summaries.map(chart));
  for (const s of doc.summaries) {
    if (!s.available || (s.groups ?? []).length === 0) continue;
    const target = box.querySelector<HTMLElement>(`[data-summary="${s.id}"]`)!;
    if (s.kind === 'series') seriesChart(s, target);
    else barChart(s, target);
  }
  status.textContent = `Live summaries of ${doc.name} as of ${doc.asOf}.`;
}

function start(): void {
  const root = serviceRoot(location.href);
  const select = byId('country-select') as HTMLSelectElement;
  select.replaceChildren(...STATES.map(([code, name]) => h('option', { value: code }, name)));
  const wanted = new URLSearchParams(location.search).get('country') ?? 'IDN';
  select.value = STATES.some(([c]) => c === wanted) ? wanted : 'IDN';
  select.addEventListener('change', () => {
    history.replaceState(null, '', `?country=${select.value}`);
    void show(root, select.value);
  });
  byId('country-pick').addEventListener('submit', (e) => e.preventDefault());
  void show(root, select.value);
}

start();
