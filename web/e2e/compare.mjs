// The server's comparison page (/countries/compare, issue 20) in Debian's Chromium, in a
// browser whose languages are $AMIS_LOCALE (so Accept-Language chooses the page's
// language): what it shows for IDN, PHL and VNM — <html lang>, the countries' columns,
// each row's field and label and how many cells it has — and then the portal's country
// page for VNM before and after its language switch goes to $AMIS_SWITCH: <html lang>,
// the summaries' titles and notes. Run by tests/integration/investment/test_profile_languages.py.
//
//   node e2e/compare.mjs <service url> <artefacts folder>
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { answer, launch } from './browser.mjs';

const [url, out] = process.argv.slice(2);
const locale = process.env.AMIS_LOCALE ?? 'en-US';
const target = process.env.AMIS_SWITCH ?? 'ko';
mkdirSync(out, { recursive: true });
const browser = await launch();
const context = await browser.newContext({ locale, viewport: { width: 1400, height: 1000 } });
const page = await context.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
// Failed requests by address (the console's message does not name it): the browser's own
// /favicon.ico on the server's pages and the portal's /session probe (401 for the public) aside.
page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text()); });
page.on('response', (r) => {
  const path = new URL(r.url()).pathname;
  if (r.status() >= 400 && path !== '/favicon.ico' && !(r.status() === 401 && path.endsWith('/session')))
    errors.push(`${r.status()} ${path}`);
});
const name = `compare-${locale}`;
const shot = (step) => page.screenshot({ path: join(out, `${name}-${step}.png`), fullPage: true });

const countryPage = async () => ({
  lang: await page.evaluate(() => document.documentElement.lang),
  titles: await page.$$eval('#country-charts h3', (hs) => hs.map((h) => h.textContent)),
  notes: await page.$$eval('#country-charts .summary-note', (ps) => ps.map((p) => p.textContent)),
  hints: await page.$$eval('#country-charts .country-chart .hint', (ps) => ps.map((p) => p.textContent)),
  status: await page.locator('#country-status').innerText(),
});

const result = {};
await answer(browser, { out, name, errors, shot }, result, async () => {
  await page.goto(`${url}/countries/compare?countries=IDN,PHL,VNM&f=html`);
  result.compare = {
    lang: await page.evaluate(() => document.documentElement.lang),
    countries: await page.$$eval('th[data-country]', (ths) => ths.map((th) => [th.dataset.country, th.textContent])),
    rows: await page.$$eval('tr[data-field]', (trs) => trs.map((tr) => ({
      field: tr.dataset.field, label: tr.cells[0].textContent, cells: tr.cells.length - 1 }))),
  };
  await shot('compare');
  await page.goto(`${url}/portal/country.html?country=VNM`);
  await page.waitForFunction(() => /\d{4}-\d\d-\d\d/.test(document.getElementById('country-status')?.textContent ?? ''),
    null, { timeout: 30000 });
  result.before = await countryPage();
  await page.selectOption('#language', target);
  await page.waitForFunction((l) => document.documentElement.lang === l, target === 'zh' ? 'zh-Hans' : target);
  await page.waitForFunction(() => /\d{4}-\d\d-\d\d/.test(document.getElementById('country-status')?.textContent ?? ''),
    null, { timeout: 30000 });
  result.after = await countryPage();
  await shot('country-switched');
});
