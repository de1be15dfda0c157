// The portal's country page (issue 20): a member state's review state and charts of
// the live summaries of /countries/{ISO3} (uPlot, as the Usage page): a line per
// production series over the years, bars of feature counts per commodity or status.
// Every number drawn is one of the API's, kept in the chart's data-values for checks.
// Above them the profile's fields, and for a signed-in editor of that country (or a
// reviewer, an administrator) the form that submits an edit as a change set.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import '../style.css';
import './country.css';
import { Api } from '../api';
import { serviceRoot } from '../links';
import { byId, clear, h } from '../dom';
import { CATALOGUES, onLanguageChange, startLanguage, t } from '../i18n';
import { displayCode, propertyLabel } from '../code-lists';
import { setUpLogin } from '../login';
import { PortalState } from '../state';
import { alignedSeries, countsByFirstKey, type CountryDoc, type Summary } from './country-data';
import { mayEditProfile } from './profile-form';
import { ProfileEditor, profileTables, submittedNote } from './profile-view';

// The member states, named in the portal's language (the "country" group of web/i18n).
const STATES = ['BRN', 'KHM', 'IDN', 'LAO', 'MYS', 'MMR', 'PHL', 'SGP', 'THA', 'VNM'];
const COLOURS = ['#a0522d', '#1f77b4', '#2ca02c', '#9467bd', '#d62728', '#7f7f7f', '#bcbd22', '#17becf'];
const charts: uPlot[] = [];

function width(target: HTMLElement): number {
  return Math.min(960, target.clientWidth || 800);
}

// What the page shows of the data (never what it charts or keeps in data-values): a
// summary's title from web/i18n when the summary is one of static/invest/summaries.toml,
// else the server's; values of coded properties through the code lists.
function summaryTitle(s: Summary): string {
  const key = `countryPage.summary.${s.id}`;
  return CATALOGUES.en.has(key) ? t(key) : s.title;
}

function valueLabel(property: string | undefined, value: string | null): string {
  if (value === null || value === '(none)') return t('countryPage.none');
  return (property ? displayCode(property, value) : undefined) ?? value;
}

function seriesChart(s: Summary, target: HTMLElement): void {
  const { x, values } = alignedSeries(s);
  const names = (s.series ?? []).map((r) => r.keys.map((k, i) => valueLabel(s.groupBy[i], k)).join(' - '));
  target.dataset.values = JSON.stringify(Object.fromEntries((s.series ?? []).map((r) => [r.name, r.points])));
  if (x.length === 0) return;
  charts.push(new uPlot({
    width: width(target), height: 300,
    series: [{ label: t('countryPage.year') }, ...names.map((n, i) => ({ label: n, stroke: COLOURS[i % COLOURS.length], width: 2,
      points: { show: true } }))],
    axes: [{ label: t('countryPage.year'), values: (_u: uPlot, splits: number[]) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')) },
      { label: s.sums[0] ? propertyLabel(s.sums[0], s.sums[0]) : '' }],
    scales: { x: { time: false } },
  }, [x, ...values], target));
}

function barChart(s: Summary, target: HTMLElement): void {
  const { labels, counts } = countsByFirstKey(s);
  target.dataset.values = JSON.stringify(Object.fromEntries(labels.map((l, i) => [l, counts[i]])));
  if (labels.length === 0) return;
  const shown = labels.map((l) => valueLabel(s.groupBy[0], l));
  const group = s.groupBy[0] ?? '';
  charts.push(new uPlot({
    width: width(target), height: 260,
    series: [{ label: propertyLabel(group, group) }, { label: t('countryPage.features'), fill: '#a0522d99', stroke: '#a0522d',
      paths: uPlot.paths.bars!({ size: [0.7, 60] }), points: { show: false } }],
    axes: [{ values: (_u: uPlot, splits: number[]) => splits.map((v) => shown[v] ?? ''), rotate: -30, size: 80 },
      { label: t('countryPage.features') }],
    scales: { x: { time: false, range: [-0.5, labels.length - 0.5] } },
  }, [labels.map((_l, i) => i), counts], target));
}

// A summary's own text from web/i18n when it has one (what its numbers are; what it
// says when its collection is not published), else the server's.
function summaryText(key: string, fallback: string | undefined): string | undefined {
  return CATALOGUES.en.has(key) ? t(key) : fallback;
}

function chart(s: Summary): HTMLElement {
  const target = h('div', { class: 'country-chart', 'data-summary': s.id });
  const note = s.note !== undefined ? summaryText(`countryPage.summaryNote.${s.id}`, s.note) : undefined;
  const section = h('section', {}, h('h3', {}, summaryTitle(s)), note ? h('p', { class: 'hint summary-note' }, note) : null, target);
  const absent = s.available ? undefined : summaryText(`countryPage.summaryAbsent.${s.id}`, undefined);
  if (absent) target.append(h('p', { class: 'hint' }, absent));
  else if (!s.available) target.append(h('p', { class: 'hint' }, t('countryPage.notAvailable', { reason: s.reason ?? '' })));
  else if ((s.groups ?? []).length === 0) target.append(h('p', { class: 'hint' }, t('countryPage.noFeatures')));
  return section;
}

// The page's profile part: the published fields, the edit button for those who may.
let shownDoc: CountryDoc | undefined;

function showProfile(doc: CountryDoc, state: PortalState, editor: ProfileEditor): void {
  shownDoc = doc;
  byId('profile-filled').textContent = t('profileForm.filled', { filled: doc.filled, count: doc.fieldCount });
  clear(byId('profile-fields'), profileTables(doc.groups));
  const may = mayEditProfile(state.session, doc.iso3);
  if (!may && editor.open) editor.close();
  byId('profile-fields').hidden = editor.open;
  clear(byId('profile-actions'), may && !editor.open
    ? h('button', { type: 'button', id: 'profile-edit', class: 'primary', onclick: () => {
      byId('profile-fields').hidden = true;
      clear(byId('profile-result'));
      byId('profile-edit').hidden = true;
      editor.start(doc.iso3, doc.groups);
    } }, t('profileForm.edit'))
    : null);
}

async function show(root: string, iso3: string, state: PortalState, editor: ProfileEditor): Promise<void> {
  const status = byId('country-status');
  status.textContent = t('countryPage.loading');
  const profile = `${root}/countries/${iso3}`;
  (byId('country-profile-link') as HTMLAnchorElement).href = `${profile}?f=html`;
  (byId('country-pdf-link') as HTMLAnchorElement).href = `${profile}?f=pdf`;
  (byId('country-json-link') as HTMLAnchorElement).href = `${profile}?f=json`;
  const response = await fetch(`${profile}?f=json`, { credentials: 'same-origin' });
  if (!response.ok) {
    status.textContent = t('countryPage.readFailed', { status: response.status });
    return;
  }
  const doc = (await response.json()) as CountryDoc;
  const name = STATES.includes(doc.iso3) ? t(`country.${doc.iso3}`) : doc.name;
  byId('country-title').textContent = `${name} (${doc.iso3})`;
  if (editor.open && shownDoc?.iso3 !== doc.iso3) editor.close();
  showProfile(doc, state, editor);
  const review = byId('country-review');
  review.className = doc.review.stale ? 'stale' : 'reviewed';
  review.dataset.stale = String(doc.review.stale);
  review.textContent = doc.review.stale
    ? t('countryPage.stale', { date: doc.review.lastReviewed ?? t('countryPage.never') })
    : t('countryPage.reviewed', { date: doc.review.lastReviewed ?? t('countryPage.never') });
  while (charts.length) charts.pop()!.destroy();
  const box = byId('country-charts');
  box.replaceChildren(...doc.summaries.map(chart));
  for (const s of doc.summaries) {
    if (!s.available || (s.groups ?? []).length === 0) continue;
    const target = box.querySelector<HTMLElement>(`[data-summary="${s.id}"]`)!;
    if (s.kind === 'series') seriesChart(s, target);
    else barChart(s, target);
  }
  status.textContent = t('countryPage.asOf', { name, asOf: doc.asOf });
}

async function start(): Promise<void> {
  const root = serviceRoot(location.href);
  const api = new Api(root);
  const state = new PortalState();
  const session = api.session();
  const editor = new ProfileEditor(api, byId('profile-editor'), (answer, changed) => {
    if (shownDoc) clear(byId('profile-result'), submittedNote(answer, changed, shownDoc.groups));
    void show(root, select.value, state, editor);
  }, () => { if (shownDoc) showProfile(shownDoc, state, editor); });
  const select = byId('country-select') as HTMLSelectElement;
  const options = () => STATES.map((code) => h('option', { value: code }, t(`country.${code}`)));
  select.replaceChildren(...options());
  const wanted = new URLSearchParams(location.search).get('country') ?? 'IDN';
  select.value = STATES.includes(wanted) ? wanted : 'IDN';
  select.addEventListener('change', () => {
    history.replaceState(null, '', `?country=${select.value}`);
    clear(byId('profile-result'));
    void show(root, select.value, state, editor);
  });
  byId('country-pick').addEventListener('submit', (e) => e.preventDefault());
  onLanguageChange(() => {
    const chosen = select.value;
    select.replaceChildren(...options());
    select.value = chosen;
    editor.render();
    void show(root, chosen, state, editor);
  });
  await setUpLogin(api, state, await session);
  state.on('session', () => { if (shownDoc) showProfile(shownDoc, state, editor); });
  await show(root, select.value, state, editor);
}

startLanguage(document.getElementById('language-slot'));
start().catch((e) => { byId('country-status').textContent = String(e); });
