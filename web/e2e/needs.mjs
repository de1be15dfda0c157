// The needs register in the portal's workspace, in Debian's Chromium: an editor submits
// a need, a reviewer triages it, and the public counts the page shows change with it.
// Prints, as one JSON line, what the page showed, for tests/integration/needs to check
// against the API and the store.
//   AMIS_EDITOR=… AMIS_REVIEWER=… AMIS_PASSWORD=… node e2e/needs.mjs <portal url> <artefacts folder>
import { mkdirSync } from 'node:fs';
import { answer, launch, openPage } from './browser.mjs';

const [url, out] = process.argv.slice(2);
const env = process.env;
mkdirSync(out, { recursive: true });
const browser = await launch();
const { page, errors, shot } = await openPage(browser, out, 'needs');

async function login(user) {
  await page.click('#login');
  await page.fill('#login-user', user);
  await page.fill('#login-password', env.AMIS_PASSWORD);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#logout', { timeout: 10000 });
  await page.click('#tab-workspace');
  await page.click('#ws-tab-needs');
  await page.waitForSelector('#ws-needs .needs-counts', { timeout: 10000 });
}

async function logout() {
  await page.click('#logout');
  await page.waitForSelector('#login', { timeout: 10000 });
}

// The counts the page shows: "kind/status" -> n, and the total.
const counts = () => page.evaluate(() => ({
  total: Number(document.querySelector('#ws-needs .needs-counts [data-total]')?.dataset.total),
  cells: Object.fromEntries([...document.querySelectorAll('#ws-needs .needs-by-status td[data-status]')]
    .map((td) => [`${td.closest('tr').dataset.kind}/${td.dataset.status}`, Number(td.textContent)])),
}));

// Form fields without a name a screen reader can read.
const unlabelled = () => page.evaluate(() => [...document.querySelectorAll('#ws-needs input, #ws-needs select, #ws-needs textarea')]
  .filter((e) => !(e.id && document.querySelector(`label[for="${CSS.escape(e.id)}"]`)))
  .map((e) => e.outerHTML.slice(0, 120)));

const result = {};
await answer(browser, { out, name: 'needs', errors, shot }, result, async () => {
  await page.goto(url);
  await page.waitForSelector('body.ready', { timeout: 20000 });
  await login(env.AMIS_EDITOR);
  result.before = await counts();
  result.unlabelled = await unlabelled();
  await page.selectOption('#need-kind', 'dataset');
  await page.fill('#need-title', env.AMIS_NEED_TITLE);
  await page.fill('#need-description', 'Wanted by the geological survey for the 2027 licensing round.');
  const submitted = page.waitForResponse((r) => r.url().endsWith('/needs') && r.request().method() === 'POST');
  await page.click('.need-submit button[type=submit]');
  const response = await submitted;
  result.submitStatus = response.status();
  result.need = (await response.json()).id;
  await page.waitForSelector(`table.needs tr[data-need="${result.need}"]`, { timeout: 10000 });
  result.editorSees = await page.$$eval('table.needs tbody tr', (rows) => rows.map((r) => Number(r.dataset.need)));
  result.editorCanTriage = (await page.$$("form.need-triage")).length > 0;
  result.afterSubmit = await counts();
  await shot('editor-submitted');
  await logout();

  await login(env.AMIS_REVIEWER);
  await page.click(`table.needs tr[data-need="${result.need}"] button`);
  const form = `form.need-triage[data-need="${result.need}"]`;
  await page.waitForSelector(form, { timeout: 10000 });
  result.unlabelledInTriage = await unlabelled();
  await page.selectOption(`#need-${result.need}-status`, 'planned');
  await page.selectOption(`#need-${result.need}-priority`, 'high');
  await page.fill(`#need-${result.need}-assignee`, env.AMIS_REVIEWER);
  await page.fill(`#need-${result.need}-comment`, 'Planned with the 2027 data call.');
  const patched = page.waitForResponse((r) => r.url().includes(`/needs/${result.need}`) && r.request().method() === 'PATCH');
  const commented = page.waitForResponse((r) => r.url().endsWith(`/needs/${result.need}/comments`));
  await page.click(`${form} button[type=submit]`);
  result.triageStatus = (await patched).status();
  result.commentStatus = (await commented).status();
  await page.waitForSelector(`table.needs tr[data-need="${result.need}"][data-status="planned"]`, { timeout: 10000 });
  result.afterTriage = await counts();
  await shot('reviewer-triaged');
});
