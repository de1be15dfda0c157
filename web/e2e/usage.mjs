// The Usage page in Debian's Chromium: loads /portal/usage.html for a period and
// prints, as one JSON line, the numbers each table and the chart show, so that the
// test compares them with the usage API's CSV.
//   node e2e/usage.mjs <portal url> <from> <to> <screenshot folder>
import { launch } from './browser.mjs';

const [url, from, to, out] = process.argv.slice(2);
const browser = await launch();
const errors = [];
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${url}usage.html?from=${from}&to=${to}`);
  await page.waitForFunction(() => /requests from/.test(document.getElementById('usage-status')?.textContent ?? ''),
    null, { timeout: 30000 });
  const tables = await page.evaluate(() => {
    const read = (id) => Object.fromEntries([...document.querySelectorAll(`#${id} tbody tr`)]
      .map((tr) => [tr.dataset.key, Number(tr.dataset.requests)]));
    return {
      collection: read('usage-by-collection'), country: read('usage-by-country'), service: read('usage-by-service'),
      client: read('usage-by-client'), downloads: read('usage-downloads'), mapViews: read('usage-map-views'),
      series: JSON.parse(document.getElementById('usage-over-time').dataset.series ?? '{}'),
      canvas: document.querySelectorAll('#usage-over-time canvas').length,
    };
  });
  // The member-state section: Thailand's datasets, month by month, as the page shows them.
  await page.selectOption('#member-state', 'THA');
  await page.click('#member-state-form button[type=submit]');
  await page.waitForSelector('#member-state-usage [data-member-state="THA"], #member-state-usage p.hint', { timeout: 30000 });
  await page.waitForFunction(() => document.querySelector('#member-state-usage table')?.dataset.memberState === 'THA',
    null, { timeout: 30000 });
  const memberState = await page.evaluate(() => ({
    rows: [...document.querySelectorAll('#member-state-usage tbody tr')].map((tr) => ({
      month: tr.dataset.month, collection: tr.dataset.collection, country: tr.dataset.country,
      requests: Number(tr.dataset.requests), features: Number(tr.dataset.features) })),
    csv: document.getElementById('member-state-csv').getAttribute('href'),
    monthly: ['html', 'pdf', 'csv'].map((f) => document.getElementById(`monthly-${f}`).getAttribute('href')),
  }));
  await page.screenshot({ path: `${out}/usage-page.png`, fullPage: true });
  console.log(JSON.stringify({ ...tables, memberState, errors }));
} catch (e) {
  console.log(JSON.stringify({ failure: String(e), errors }));
} finally {
  await browser.close();
}
