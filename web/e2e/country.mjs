// The country page in Debian's Chromium: loads /portal/country.html for a member state
// and prints, as one JSON line, the values each chart was drawn from and how many
// canvases uPlot made, so that the test compares them with /countries/{ISO3}.
//   node e2e/country.mjs <portal url> <ISO3> <screenshot folder>
import { launch } from './browser.mjs';

const [url, iso3, out] = process.argv.slice(2);
const browser = await launch();
const errors = [];
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
  page.on('pageerror', (e) => errors.push(String(e)));
  // The page asks /session whether someone is signed in: 401 for the public, as in portal.mjs.
  page.on('console', (m) => { if (m.type() === 'error' && !/401 \(Unauthorized\)/.test(m.text())) errors.push(m.text()); });
  await page.goto(`${url}country.html?country=${iso3}`);
  await page.waitForFunction(() => /as of/.test(document.getElementById('country-status')?.textContent ?? ''),
    null, { timeout: 30000 });
  const charts = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('[data-summary]')]
    .map((e) => [e.dataset.summary, { values: e.dataset.values ? JSON.parse(e.dataset.values) : null,
      canvas: e.querySelectorAll('canvas').length }])));
  const stale = await page.evaluate(() => document.getElementById('country-review')?.dataset.stale);
  await page.screenshot({ path: `${out}/country-${iso3}.png`, fullPage: true });
  console.log(JSON.stringify({ charts, stale, errors }));
} catch (e) {
  console.log(JSON.stringify({ failure: String(e), errors }));
} finally {
  await browser.close();
}
