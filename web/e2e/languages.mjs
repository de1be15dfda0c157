// The portal's languages in Debian's Chromium (playwright-core): a browser whose
// languages are $AMIS_LOCALE (Accept-Language and navigator.languages) opens the
// portal; the language switch then goes through $AMIS_SWITCH (e.g. "ja,ko,en") with
// a status filter chosen and kept through a switch, then cleared; the page is
// reloaded once to see the choice of language kept, and the Usage page is opened to
// see it kept there too. Each step answers what the page shows: <html lang>, the
// tabs, the table's columns and cells (with the feature ids, for the test to read
// the stored values), the status filter's options, the usage page's heading.
// Run by tests/integration/portal/test_languages.py, which checks every text against
// web/i18n and the stored values against the store.
//
//   node e2e/languages.mjs <portal url> <artefacts folder>
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { answer, launch } from './browser.mjs';

const [url, out] = process.argv.slice(2);
const env = process.env;
const locale = env.AMIS_LOCALE ?? 'en-US';
const switches = (env.AMIS_SWITCH ?? '').split(',').filter(Boolean);
mkdirSync(out, { recursive: true });

const browser = await launch();
const context = await browser.newContext({ locale, viewport: { width: 1400, height: 900 } });
const page = await context.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
page.on('console', (m) => { if (m.type() === 'error' && !/401 \(Unauthorized\)/.test(m.text())) errors.push(m.text()); });
const name = `languages-${locale}`;
const shot = (step) => page.screenshot({ path: join(out, `${name}-${step}.png`) });

// What the page shows now.
function seen() {
  return page.evaluate(() => {
    const table = document.querySelector('#table');
    const columns = [...table.querySelectorAll('thead th')].map((th) => ({ property: th.dataset.property, title: th.textContent }));
    return {
      lang: document.documentElement.lang,
      switchValue: document.querySelector('#language')?.value ?? null,
      switchOptions: [...document.querySelectorAll('#language option')].map((o) => ({ value: o.value, text: o.textContent, lang: o.lang })),
      tabs: Object.fromEntries([...document.querySelectorAll('.tabs [role=tab]')].map((t) => [t.dataset.tab, t.textContent])),
      title: document.title,
      layersHeading: document.querySelector('#panel-layers h2')?.textContent ?? null,
      searchPlaceholder: document.querySelector('#search').placeholder,
      tableFilter: table.dataset.filter,
      tableTitle: table.querySelector('#table-title')?.textContent ?? null,
      columns,
      rows: [...table.querySelectorAll('tbody tr')].map((tr) => ({ fid: Number(tr.dataset.fid),
        cells: Object.fromEntries([...tr.cells].map((td, i) => [columns[i].property, td.textContent])) })),
      statusLabel: document.querySelector('label[for=filter-status]')?.textContent ?? null,
      statusOptions: [...document.querySelectorAll('#filter-status option')].map((o) => ({ value: o.value, text: o.textContent, selected: o.selected })),
    };
  });
}

// The table drawn again after an action: its title changed (every language names it differently).
async function afterTableRedraw(action) {
  const before = await page.evaluate(() => document.querySelector('#table-title')?.textContent ?? '');
  await action();
  await page.waitForFunction((b) => {
    const t = document.querySelector('#table');
    return t?.querySelector('#table-title')?.textContent !== b && !t.hasAttribute('aria-busy');
  }, before, { timeout: 15000 });
}

const result = { locale, steps: [] };
await answer(browser, { out, name, errors, shot }, result, async () => {
  await page.goto(url);
  await page.waitForSelector('body.ready', { timeout: 20000 });
  await page.waitForSelector('#table[data-matched] tbody tr', { timeout: 20000 });
  result.steps.push({ step: 'open', ...(await seen()) });
  await shot('open');
  // A status filter is chosen through its translated option and kept through the next
  // switch; "Clear filters" then clears it; the page is reloaded; the last switch chooses again.
  const reloadAt = switches.length > 1 ? switches[switches.length - 2] : undefined;
  let active = null;
  for (const code of switches) {
    await afterTableRedraw(() => page.selectOption('#language', code));
    await page.click('#tab-filter');
    if (!active) {
      active = await page.$eval('#filter-status option', (o) => o.value);
      const filtered = page.waitForFunction((v) => document.querySelector('#table').dataset.filter.includes(v), active, { timeout: 15000 });
      await page.selectOption('#filter-status', [active]);
      await filtered;
      await page.waitForFunction(() => !document.querySelector('#table').hasAttribute('aria-busy'), null, { timeout: 15000 });
    }
    result.steps.push({ step: `switch-${code}`, filterValue: active, ...(await seen()) });
    await shot(code);
    if (code !== reloadAt) continue;
    const cleared = page.waitForFunction(() => document.querySelector('#table').dataset.filter === '', null, { timeout: 15000 });
    await page.click('#panel-filter button[type=reset]');
    await cleared;
    await page.waitForFunction(() => !document.querySelector('#table').hasAttribute('aria-busy'), null, { timeout: 15000 });
    active = null;
    result.steps.push({ step: `cleared-${code}`, ...(await seen()) });
    // Kept: the page opened again is in the language chosen, whatever the browser's.
    await page.reload();
    await page.waitForSelector('body.ready', { timeout: 20000 });
    await page.waitForSelector('#table[data-matched] tbody tr', { timeout: 20000 });
    result.steps.push({ step: `reload-${code}`, ...(await seen()) });
    const usage = await context.newPage();
    await usage.goto(new URL('usage.html', url).href);
    // Read once loaded (every language's "Loading…" ends with an ellipsis; the answers do not).
    await usage.waitForFunction(() => /[^…]$/.test(document.querySelector('#usage-status')?.textContent ?? ''), null, { timeout: 15000 });
    result.usage = await usage.evaluate(() => ({ lang: document.documentElement.lang, heading: document.querySelector('h1').textContent,
      switchValue: document.querySelector('#language')?.value ?? null, status: document.querySelector('#usage-status').textContent }));
    await usage.close();
  }
});
