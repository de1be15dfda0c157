// The investor search in Debian's Chromium: fills the Invest tab's form with the
// question given in the environment, checks that the CQL2 text is shown, searches,
// and prints as one JSON line what the form, the table and the Download tab hold,
// so that tests/integration/investment_search compares them with its oracle.
//   node e2e/invest.mjs <portal url> <screenshot folder>
// Environment: INVEST_COMMODITIES, INVEST_COUNTRIES (comma-separated), INVEST_TONNAGE,
// INVEST_RULE (outside|inside|any), INVEST_STATUSES, INVEST_PORT_KM.
import { launch } from './browser.mjs';

const [url, out] = process.argv.slice(2);
const env = process.env;
const list = (v) => (v ? v.split(',') : []);
const browser = await launch();
const errors = [];
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => errors.push(String(e)));
  // A failed request is reported with its address (the console's message has none).
  page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text()); });
  page.on('response', (r) => { if (r.status() >= 400 && r.status() !== 401) errors.push(`${r.status()} ${r.url()}`); });
  await page.goto(url);
  await page.waitForSelector('body.ready', { timeout: 20000 });
  await page.click('#tab-invest');
  await page.selectOption('#invest-deposits', 'deposits');
  await page.selectOption('#invest-commodities', list(env.INVEST_COMMODITIES));
  await page.fill('#invest-tonnage', env.INVEST_TONNAGE ?? '');
  await page.selectOption('#invest-countries', list(env.INVEST_COUNTRIES));
  await page.selectOption('#invest-licence-rule', env.INVEST_RULE ?? 'any');
  await page.selectOption('#invest-licences', 'licences');
  await page.selectOption('#invest-licence-status', list(env.INVEST_STATUSES));
  await page.selectOption('#invest-ports', 'ports');
  await page.fill('#invest-port-km', env.INVEST_PORT_KM ?? '');
  const shown = await page.inputValue('#invest-cql2');
  await page.click('#invest-search');
  await page.waitForSelector('#invest-result[data-matched]', { timeout: 30000 });
  await page.waitForFunction((f) => document.querySelector('#table')?.dataset.filter === f, shown, { timeout: 15000 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${out}/invest-search.png` });
  const answer = await page.evaluate(() => ({
    matched: Number(document.querySelector('#invest-result').dataset.matched),
    resultText: document.querySelector('#invest-result').textContent,
    tableFilter: document.querySelector('#table').dataset.filter,
    tableRows: document.querySelectorAll('#table tbody tr').length,
    downloads: Object.fromEntries([...document.querySelectorAll('#panel-download a[data-format]')]
      .map((a) => [a.dataset.format, a.href])),
  }));
  console.log(JSON.stringify({ cql2: shown, ...answer, errors }));
} catch (e) {
  console.log(JSON.stringify({ failure: String(e), errors }));
} finally {
  await browser.close();
}
