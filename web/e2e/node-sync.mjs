// An AMIS node's stopped sync on the portal's nodes page (issue 16), in Debian's Chromium: an
// administrator sees where and why the sync stopped, skips the sequence that stopped it (after
// confirming), and sees the sync go on with the skip named; the field in Japanese. Prints, as
// one JSON line, what the page showed, for tests/integration/federation/test_sync.py to check
// against the admin API and the translation files.
//   AMIS_ADMIN=… AMIS_PASSWORD=… AMIS_NODE=… node e2e/node-sync.mjs <portal url> <artefacts folder>
import { mkdirSync } from 'node:fs';
import { answer, launch, openNodesPage, openPage } from './browser.mjs';

const [url, out] = process.argv.slice(2);
const env = process.env;
mkdirSync(out, { recursive: true });
const browser = await launch();
const { page, errors, shot } = await openPage(browser, out, 'node-sync');
const card = `#ws-nodes article[data-node="${env.AMIS_NODE}"]`;

// The node's sync field (its lines and class) and its buttons' labels.
const read = () => page.evaluate((selector) => {
  const node = document.querySelector(selector);
  const dd = node.querySelector('dd[data-field=sync]');
  return {
    label: dd.previousElementSibling.textContent.trim(),
    lines: [...dd.querySelectorAll('li')].map((li) => li.textContent.trim()),
    class: dd.className,
    buttons: [...node.querySelectorAll('button')].map((b) => ({ text: b.textContent.trim(), label: b.getAttribute('aria-label') })),
  };
}, card);

const result = {};
await answer(browser, { out, name: 'node-sync', errors, shot }, result, async () => {
  await openNodesPage(page, url, env.AMIS_ADMIN, env.AMIS_PASSWORD);
  await page.waitForSelector(`${card} dd[data-field=sync]`, { timeout: 10000 });
  result.before = await read();
  await shot('stopped');
  page.once('dialog', (dialog) => { result.confirm = dialog.message(); void dialog.accept(); });
  const posted = page.waitForResponse((r) => r.url().endsWith(`/admin/nodes/${env.AMIS_NODE}/sync`) && r.request().method() === 'POST');
  await page.click(`${card} button.skip-sync`);
  const response = await posted;
  result.postStatus = response.status();
  result.postBody = response.request().postData();
  // The sync runs in the background: the page is read again until it is no longer under way.
  const until = Date.now() + 60000;
  for (;;) {
    await page.click('#ws-nodes button.refresh');
    await page.waitForSelector(`${card} dd[data-field=sync]`, { timeout: 10000 });
    result.after = await read();
    if (result.after.class.includes('sync-synced') || Date.now() > until) break;
    await page.waitForTimeout(300);
  }
  await shot('skipped');
  await page.selectOption('#language', 'ja');
  await page.waitForFunction(() => document.documentElement.lang === 'ja', null, { timeout: 10000 });
  await page.waitForSelector(`${card} dd[data-field=sync]`, { timeout: 10000 });
  await page.waitForTimeout(500);
  result.ja = await read();
  await shot('ja');
});
