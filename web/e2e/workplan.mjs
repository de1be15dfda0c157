// The work-plan page in Debian's Chromium: signs in on the portal as AMIS_USER, opens
// /portal/workplan.html and does what the environment asks, by clicking in the page:
//   AMIS_ACTIVITY (+ AMIS_MEETING, AMIS_STATUS, AMIS_NARRATIVE, AMIS_EVIDENCE link, AMIS_FILE to upload):
//     submits a progress report through the report form;
//   AMIS_APPROVE / AMIS_RETURN (change-set ids; AMIS_COMMENT, why it is returned): approves or returns reports
//     in the review list (the Secretariat);
//   AMIS_FREEZE (a meeting id, AMIS_FREEZE_TITLE): freezes that meeting's report;
//   AMIS_OPEN_MEETING: follows the meeting's link and keeps the frozen report's text.
// Prints, as one JSON line, the activities the form offers, the announcements, each
// activity's status as the table shows it, the frozen meetings with their PDF links, the
// reports waiting for review, and the live indicators' rows.
//   node e2e/workplan.mjs <portal url> <screenshot folder>
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
const result = { announced: [] };

async function login(user, password) {
  await page.goto(url);
  await page.click('#login');
  await page.fill('#login-user', user);
  await page.fill('#login-password', password);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#logout', { timeout: 10000 });
}

// Waits for the page's next announcement containing `text` and keeps it.
async function announcement(text) {
  await page.waitForFunction((want) => {
    const said = document.getElementById('status')?.textContent ?? '';
    return said !== '' && said.includes(want);
  }, text, { timeout: 20000 });
  result.announced.push(await page.textContent('#status'));
}

async function readPage() {
  return page.evaluate(() => ({
    statuses: Object.fromEntries([...document.querySelectorAll('#plan tr[data-activity]')]
      .map((tr) => [tr.dataset.activity, tr.querySelector('td.status')?.dataset.status ?? ''])),
    meetings: [...document.querySelectorAll('#meetings li')].map((li) => ({
      title: li.querySelector('a')?.textContent ?? '', href: li.querySelector('a')?.getAttribute('href') ?? '',
      pdf: li.querySelector('a.pdf')?.getAttribute('href') ?? '' })),
    pending: [...document.querySelectorAll('#review li[data-changeset]')].map((li) => ({
      changeSet: Number(li.dataset.changeset), activity: li.dataset.activity,
      evidence: [...li.querySelectorAll('.evidence a')].map((a) => ({ title: a.textContent, href: a.getAttribute('href') })) })),
    live: Object.fromEntries([...document.querySelectorAll('#live tr[data-country]')].map((tr) => [tr.dataset.country,
      Object.fromEntries([...tr.querySelectorAll('td[data-name]')].map((td) => [td.dataset.name, td.textContent]))])),
    live42: document.querySelector('#live .rate-42')?.textContent ?? '',
    iati: document.querySelector('#meetings a.iati')?.getAttribute('href') ?? null,
  }));
}

async function report() {
  await page.waitForSelector('#report-activity', { timeout: 10000 });
  result.offered = await page.$$eval('#report-activity option', (options) => options.map((o) => o.value));
  await page.selectOption('#report-activity', env.AMIS_ACTIVITY);
  await page.fill('#report-meeting', env.AMIS_MEETING);
  await page.selectOption('#report-status', env.AMIS_STATUS || 'ongoing');
  await page.fill('#report-narrative', env.AMIS_NARRATIVE);
  if (env.AMIS_EVIDENCE) await page.fill('#report-evidence', env.AMIS_EVIDENCE);
  if (env.AMIS_FILE) await page.setInputFiles('#report-file', env.AMIS_FILE);
  await page.click('#report button[type=submit]');
  await announcement('');
}

async function review(id, button, comment) {
  const item = `#review li[data-changeset="${id}"]`;
  await page.waitForSelector(item, { timeout: 15000 });
  if (comment) await page.fill(`${item} textarea`, comment);
  await page.click(`${item} button.${button}`);
  await announcement(String(id));
  await page.waitForSelector(item, { state: 'detached', timeout: 15000 });
}

await answer(browser, { out, name: `workplan-${env.AMIS_STEP}`, errors, shot }, result, async () => {
  if (env.AMIS_USER) await login(env.AMIS_USER, env.AMIS_PASSWORD);
  // The portal's front page is only where one signs in (this store has no map layers to
  // load): the errors counted are the work-plan page's.
  errors.length = 0;
  await page.goto(`${url}workplan.html`);
  await page.waitForSelector('#plan tr[data-activity]', { timeout: 30000 });
  await page.waitForSelector('#live tr[data-country]', { timeout: 30000 });
  if (env.AMIS_ACTIVITY) await report();
  if (env.AMIS_APPROVE || env.AMIS_RETURN) await page.waitForSelector('#review h2', { timeout: 15000 });
  result.before = await readPage();
  if (env.AMIS_APPROVE) await review(env.AMIS_APPROVE, 'approve');
  if (env.AMIS_RETURN) await review(env.AMIS_RETURN, 'return', env.AMIS_COMMENT);
  if (env.AMIS_FREEZE) {
    await page.waitForSelector('#freeze-form', { timeout: 15000 });
    await page.fill('#freeze-meeting', env.AMIS_FREEZE);
    if (env.AMIS_FREEZE_TITLE) await page.fill('#freeze-title', env.AMIS_FREEZE_TITLE);
    await page.click('#freeze-form button[type=submit]');
    await announcement(env.AMIS_FREEZE);
    await page.waitForSelector('#meetings li', { timeout: 15000 });
  }
  Object.assign(result, await readPage());
  await shot('done');
  if (env.AMIS_OPEN_MEETING) {
    await page.click(`#meetings li a:text-is("${env.AMIS_OPEN_MEETING}")`);
    await page.waitForLoadState('load');
    result.meetingPage = await page.textContent('body');
    await shot('meeting');
  }
});
