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
  await page.screenshot({ path: `${out}/usage-page.png`, fullPage: true });
  console.log(JSON.stringify({ ...tables, errors }));
} catch (e) {
  console.log(JSON.stringify({ failure: String(e), errors }));
} finally {
  await browser.close();
}
