// The work-plan page in Debian's Chromium: signs in on the portal as AMIS_USER, opens
// /portal/workplan.html and, with AMIS_ACTIVITY set, submits a progress report with an
// evidence link through the page's form; prints, as one JSON line, the activities the
// form offers, the page's announcement, each activity's status as the table shows it
// and the frozen meetings listed with their PDF links.
//   node e2e/workplan.mjs <portal url> <screenshot folder>
//   env: AMIS_USER, AMIS_PASSWORD, AMIS_STEP; AMIS_ACTIVITY, AMIS_MEETING, AMIS_NARRATIVE, AMIS_EVIDENCE
import { answer, launch } from './browser.mjs';

const [url, out] = process.argv.slice(2);
const env = process.env;
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));
// Failed requests are counted by their responses (with the URL), except the signed-out
// page's question who is signed in (GET /session: 401).
page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text()); });
page.on('response', (r) => {
  if (r.status() >= 400 && !(r.status() === 401 && new URL(r.url()).pathname.endsWith('/session'))) errors.push(`${r.status()} ${r.url()}`);
});
const shot = (name) => page.screenshot({ path: `${out}/workplan-${env.AMIS_STEP}-${name}.png`, fullPage: true });
const result = {};

async function login(user, password) {
  await page.goto(url);
  await page.click('#login');
  await page.fill('#login-user', user);
  await page.fill('#login-password', password);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#logout', { timeout: 10000 });
}

async function readPage() {
  return page.evaluate(() => ({
    statuses: Object.fromEntries([...document.querySelectorAll('#plan tr[data-activity]')]
      .map((tr) => [tr.dataset.activity, tr.querySelector('td.status')?.dataset.status ?? ''])),
    meetings: [...document.querySelectorAll('#meetings li')].map((li) => ({
      title: li.querySelector('a')?.textContent ?? '', pdf: li.querySelector('a.pdf')?.getAttribute('href') ?? '' })),
  }));
}

await answer(browser, { out, name: `workplan-${env.AMIS_STEP}`, errors, shot }, result, async () => {
  if (env.AMIS_USER) await login(env.AMIS_USER, env.AMIS_PASSWORD);
  // The portal's front page is only where one signs in (this store has no map layers to
  // load): the errors counted are the work-plan page's.
  errors.length = 0;
  await page.goto(`${url}workplan.html`);
  await page.waitForSelector('#plan tr[data-activity]', { timeout: 30000 });
  if (env.AMIS_ACTIVITY) {
    await page.waitForSelector('#report-activity', { timeout: 10000 });
    result.offered = await page.$$eval('#report-activity option', (options) => options.map((o) => o.value));
    await page.selectOption('#report-activity', env.AMIS_ACTIVITY);
    await page.fill('#report-meeting', env.AMIS_MEETING);
    await page.selectOption('#report-status', 'ongoing');
    await page.fill('#report-narrative', env.AMIS_NARRATIVE);
    await page.fill('#report-evidence', env.AMIS_EVIDENCE);
    await page.click('#report button[type=submit]');
    await page.waitForFunction(() => (document.getElementById('status')?.textContent ?? '') !== '', null,
      { timeout: 15000 });
    result.announced = await page.textContent('#status');
  }
  Object.assign(result, await readPage());
  await shot('done');
});
