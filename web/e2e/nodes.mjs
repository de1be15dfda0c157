// The national nodes page of the portal's workspace (issue 16), in Debian's Chromium: an
// administrator sees each node's status, last and next run, errors and last report, harvests
// one now and sees its report arrive; the page in Japanese. Prints, as one JSON line, what the
// page showed, for tests/integration/federation/test_nodes_portal.py to check against the API.
//   AMIS_ADMIN=… AMIS_PASSWORD=… AMIS_NODE=… node e2e/nodes.mjs <portal url> <artefacts folder>
import { mkdirSync } from 'node:fs';
import { answer, launch, openNodesPage, openPage } from './browser.mjs';

const [url, out] = process.argv.slice(2);
const env = process.env;
mkdirSync(out, { recursive: true });
const browser = await launch();
const { page, errors, shot } = await openPage(browser, out, 'nodes');

// Each node's card: its name -> its fields' texts (by data-field), its status's class, its button.
const rows = () => page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#ws-nodes article.node')]
  .map((card) => [card.dataset.node, {
    fields: Object.fromEntries([...card.querySelectorAll('dd[data-field]')].map((dd) => [dd.dataset.field, dd.textContent.trim()])),
    status: card.querySelector('dd[data-field=status]').className,
    button: card.querySelector('button')?.getAttribute('aria-label') }])));
// The field names as the first card shows them.
const headers = () => page.$$eval('#ws-nodes article.node:first-of-type dt', (dts) => dts.map((dt) => dt.textContent.trim()));

const result = {};
await answer(browser, { out, name: 'nodes', errors, shot }, result, async () => {
  await openNodesPage(page, url, env.AMIS_ADMIN, env.AMIS_PASSWORD);
  await page.waitForSelector('#ws-nodes article.node', { timeout: 10000 });
  result.title = await page.textContent('#ws-nodes h3');
  result.headers = await headers();
  result.before = await rows();
  await shot('before');
  const harvested = page.waitForResponse((r) => r.url().endsWith(`/admin/nodes/${env.AMIS_NODE}/harvest`));
  await page.click(`#ws-nodes article[data-node="${env.AMIS_NODE}"] button`);
  result.harvestStatus = (await harvested).status();
  // The run is in the background: the page is read again until the report is there.
  const until = Date.now() + 60000;
  for (;;) {
    result.after = await rows();
    if (!result.after[env.AMIS_NODE].status.includes('run-never') || Date.now() > until) break;
    await page.waitForTimeout(500);
    await page.click('#ws-nodes button.refresh');
    await page.waitForSelector(`#ws-nodes article[data-node="${env.AMIS_NODE}"]`, { timeout: 10000 });
  }
  await shot('after');
  await page.selectOption('#language', 'ja');
  await page.waitForFunction(() => document.documentElement.lang === 'ja', null, { timeout: 10000 });
  await page.waitForSelector('#ws-nodes article.node', { timeout: 10000 });
  await page.waitForTimeout(500);
  result.jaTitle = await page.textContent('#ws-nodes h3');
  result.jaHeaders = await headers();
  result.jaRows = await rows();
  await shot('ja');
});
