// A country profile edited in the portal (issue 20), in Debian's Chromium: on the
// country page an editor of another country gets no "Edit profile" (and a PATCH
// with their session is refused), the country's editor fills two fields of the form
// (first with a value the form refuses), submits, and sees the change set; the
// public profile is unchanged until a reviewer approves it in the portal's review
// list; then the country page shows the new values with their sources and dates.
// Prints one JSON line of what it saw, for tests/integration/investment/test_profile_form.py.
//
//   AMIS_PASSWORD=… AMIS_EDITOR=… AMIS_OTHER_EDITOR=… AMIS_REVIEWER=… AMIS_EDITS='[{key, value, source, asOf}, …]'
//   node e2e/profile.mjs <portal url> <ISO3> <artefacts folder>
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { answer, launch } from './browser.mjs';

const [url, iso3, out] = process.argv.slice(2);
const env = process.env;
const edits = JSON.parse(env.AMIS_EDITS);
mkdirSync(out, { recursive: true });

const browser = await launch();
const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
// The refused PATCH below is expected in the console; nothing else may be.
page.on('console', (m) => { if (m.type() === 'error' && !/40[13] \((Unauthorized|Forbidden)\)/.test(m.text())) errors.push(m.text()); });
const shot = (name) => page.screenshot({ path: join(out, `profile-${name}.png`), fullPage: true });
const result = {};
const patches = [];
page.on('request', (r) => { if (r.method() === 'PATCH') patches.push(r.url()); });
const failed = [];
page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.request().method()} ${r.url()}`); });

async function openCountry() {
  await page.goto(`${url}country.html?country=${iso3}`);
  await page.waitForSelector('#profile-fields tr[data-field]', { timeout: 30000 });
  await page.waitForFunction(() => document.getElementById('account')?.querySelector('button'), null, { timeout: 10000 });
}

async function login(user) {
  await page.click('#login');
  await page.fill('#login-user', user);
  await page.fill('#login-password', env.AMIS_PASSWORD);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#logout', { timeout: 10000 });
}

async function logout() {
  await page.click('#logout');
  await page.waitForSelector('#login', { timeout: 10000 });
}

// The profile's rows as the page shows them: key -> {status, cells}.
function profileRows() {
  return page.$$eval('#profile-fields tr[data-field]', (rows) => Object.fromEntries(rows.map((r) =>
    [r.dataset.field, { status: r.dataset.status, label: r.cells[0].textContent, cells: [...r.cells].slice(1).map((c) => c.textContent) }])));
}

await answer(browser, { out, name: 'profile', errors, shot }, result, async () => {
  await openCountry();
  result.anonymousButton = await page.locator('#profile-edit').count();
  result.before = await profileRows();

  // Another country's editor: no button, and the server refuses their PATCH anyway.
  await login(env.AMIS_OTHER_EDITOR);
  await page.waitForTimeout(200);
  result.otherButton = await page.locator('#profile-edit').count();
  result.otherPatch = await page.evaluate(async ([country, edit]) => {
    const session = await (await fetch('../session', { credentials: 'same-origin' })).json();
    const r = await fetch(`../countries/${country}`, { method: 'PATCH', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken },
      body: JSON.stringify({ fields: { [edit.key]: { value: edit.value, source: edit.source, asOf: edit.asOf } } }) });
    return { status: r.status, body: await r.json() };
  }, [iso3, edits[0]]);
  await shot('other-editor');
  await logout();

  // The country's editor: the form, a value it refuses, then the two fields.
  await login(env.AMIS_EDITOR);
  await page.waitForSelector('#profile-edit', { timeout: 10000 });
  await page.click('#profile-edit');
  await page.waitForSelector('#profile-form');
  result.formFields = await page.$$eval('#profile-form .profile-field', (fs) => fs.map((f) => f.dataset.field));
  result.formLabels = await page.$$eval('#profile-form .profile-field-label', (ls) => ls.map((l) => l.firstChild.textContent));
  const [first, second] = edits;
  // A language switch draws the form again in that language, keeping what was typed.
  await page.fill(`#pf-${second.key}-value`, 'typed before the switch');
  await page.selectOption('#language', 'ja');
  await page.waitForFunction(() => document.documentElement.lang === 'ja');
  await page.waitForSelector('#profile-form');
  result.switched = {
    labels: await page.$$eval('#profile-form .profile-field-label', (ls) => ls.map((l) => l.firstChild.textContent)),
    kept: await page.inputValue(`#pf-${second.key}-value`),
    heading: await page.locator('#profile-title').innerText(),
    submit: await page.locator('#profile-submit').innerText(),
  };
  await shot('form-ja');
  await page.selectOption('#language', 'en');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  const sent = patches.length;
  await page.fill(`#pf-${first.key}-value`, first.bad);
  await page.click('#profile-submit');
  await page.waitForSelector(`#pf-${first.key}-value[aria-invalid=true]`, { timeout: 5000 });
  result.refused = { error: await page.locator(`#pf-${first.key}-error`).innerText(), patches: patches.length - sent,
    summary: await page.locator('#profile-form-problems').innerText() };
  await shot('form-refused');
  for (const e of edits) {
    await page.fill(`#pf-${e.key}-value`, String(e.value));
    await page.fill(`#pf-${e.key}-source`, e.source);
    await page.fill(`#pf-${e.key}-asOf`, e.asOf);
  }
  await shot('form-filled');
  const patched = page.waitForResponse((r) => r.request().method() === 'PATCH');
  await page.click('#profile-submit');
  const response = await patched;
  result.patch = { status: response.status(), url: response.url(), body: await response.json(),
    csrf: Boolean(response.request().headers()['x-csrf-token']) };
  await page.waitForSelector('.profile-submitted', { timeout: 10000 });
  result.submitted = await page.$eval('.profile-submitted', (e) => ({ id: Number(e.dataset.changeset), state: e.dataset.state, text: e.textContent }));
  result.afterSubmit = await profileRows();
  // The profile as the public reads it, without this page's session.
  result.publicAfterSubmit = await page.evaluate(async (country) =>
    (await fetch(`../countries/${country}?f=json`, { credentials: 'omit' })).json(), iso3);
  await shot('submitted');
  await logout();

  // The reviewer approves it in the portal's review list.
  await page.goto(url);
  await page.waitForSelector('body.ready', { timeout: 30000 });
  await login(env.AMIS_REVIEWER);
  await page.click('#tab-workspace');
  await page.click('#ws-tab-review');
  const id = result.submitted.id;
  await page.waitForSelector(`.queue li[data-changeset="${id}"] button`, { timeout: 10000 });
  result.queued = await page.locator(`.queue li[data-changeset="${id}"]`).innerText();
  await page.click(`.queue li[data-changeset="${id}"] button`);
  await page.waitForSelector('table.diff tbody tr', { timeout: 10000 });
  result.diff = await page.$$eval('table.diff tbody tr', (rs) => rs.map((r) => [...r.cells].map((c) => c.textContent)));
  await shot('review');
  await page.fill('#review-comment', 'Checked against the cited sources');
  const approved = page.waitForResponse((r) => r.url().endsWith(`/changesets/${id}/approve`));
  await page.click('.decide button.primary');
  result.approveStatus = (await approved).status();
  await page.waitForFunction((cs) => !document.querySelector(`.queue li[data-changeset="${cs}"]`) && document.querySelector('.queue, .ws-review .hint'), id, { timeout: 10000 });
  await logout();

  // The public country page: the new values with their sources and dates.
  await openCountry();
  result.after = await profileRows();
  result.review = await page.$eval('#country-review', (e) => ({ stale: e.dataset.stale, text: e.textContent }));
  result.filledLine = await page.locator('#profile-filled').innerText();
  result.failedRequests = failed;
  await shot('after-approval');
});
