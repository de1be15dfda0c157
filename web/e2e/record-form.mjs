// The catalogue's record form in Debian's Chromium (issue 15): signs in on the portal as
// AMIS_USER and, in the Data tab, does what AMIS_STEP asks, by clicking:
//   create:  "New record", draws an extent on the small map, then fills the form with
//            AMIS_TITLE and a north side of AMIS_BAD_NORTH (out of range), submits, keeps
//            the server's refusal, types AMIS_NORTH, submits again and keeps the change set;
//   xml:     "New record" in the ISO 19139 mode, pastes the file AMIS_XML_FILE, submits and
//            keeps the schema's refusal, or the change set when the document is taken;
//   approve: opens change set AMIS_CHANGESET in the workspace's review, approves it, then
//            searches the catalogue for AMIS_TITLE and opens the record;
//   edit:    searches for AMIS_TITLE, opens the record, "Edit", sets the title to
//            AMIS_NEW_TITLE and submits (AMIS_CHANGE_MEANWHILE: before submitting, the
//            record is changed and approved through the API with AMIS_EDITOR_TOKEN and
//            AMIS_REVIEWER_TOKEN); keeps what the form then shows;
//   withdraw: searches for AMIS_TITLE, opens the record, "Withdraw", confirms; keeps the change set.
// Prints the result as one JSON line.   node e2e/record-form.mjs <portal url> <screenshot folder>
import { readFileSync } from 'node:fs';
import { answer, launch, openPage } from './browser.mjs';

const [url, out] = process.argv.slice(2);
const env = process.env;
const step = env.AMIS_STEP;
const browser = await launch();
const { page, errors, shot } = await openPage(browser, out, `record-form-${step}`);
// Refusals are what this scenario provokes: the 4xx answers are kept, not counted as errors.
const refused = [];
page.on('response', (r) => { if (r.status() >= 400 && !new URL(r.url()).pathname.endsWith('/session')) refused.push(r.status()); });
const result = { refused };

async function login() {
  await page.goto(url);
  await page.click('#login');
  await page.fill('#login-user', env.AMIS_USER);
  await page.fill('#login-password', env.AMIS_PASSWORD);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#logout', { timeout: 15000 });
}

async function dataTab() {
  await page.click('#tab-data');
  await page.waitForSelector('#catalogue-search', { timeout: 15000 });
}

async function refusal() {
  await page.waitForSelector('#rf-errors:not([hidden])', { timeout: 15000 });
  return {
    lines: await page.$$eval('#rf-errors li', (items) => items.map((li) => li.textContent)),
    beside: await page.$$eval('.field-error', (ps) => ps.filter((p) => p.textContent).map((p) => ({
      field: p.closest('[data-field]')?.getAttribute('data-field') ?? '', text: p.textContent }))),
  };
}

async function waitingChangeSet() {
  await page.waitForSelector('#rf-result', { timeout: 15000 });
  return {
    changeSet: Number(await page.getAttribute('#rf-result', 'data-changeset')),
    text: await page.textContent('#rf-result'),
    link: await page.getAttribute('#rf-result a.changeset-link', 'href'),
  };
}

async function openRecord(title) {
  await page.fill('#catalogue-search', title);
  const item = `#catalogue-results li.record:has(button.open-record:text-is("${title}"))`;
  await page.waitForSelector(item, { timeout: 15000 });
  result.found = await page.$$eval('#catalogue-results li.record', (lis) => lis.map((li) => ({
    id: li.getAttribute('data-record'), title: li.querySelector('button.open-record')?.textContent })));
  result.opened = await page.getAttribute(item, 'data-record');
  await page.click(`${item} button.open-record`);
  await page.waitForSelector('#catalogue-record:not([hidden]) h3', { timeout: 15000 });
  result.recordPage = await page.textContent('#catalogue-record');
}

async function create() {
  await page.click('#catalogue-new');
  await page.waitForSelector('#rf-title', { timeout: 15000 });
  // The extent drawn on the small map fills the four sides.
  await page.click('#rf-draw');
  const map = await page.locator('#rf-map').boundingBox();
  await page.mouse.move(map.x + map.width * 0.55, map.y + map.height * 0.35);
  await page.mouse.down();
  await page.mouse.move(map.x + map.width * 0.62, map.y + map.height * 0.45, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(() => document.querySelector('#rf-west').value !== '', null, { timeout: 5000 });
  result.drawn = await page.$$eval('#rf-west, #rf-south, #rf-east, #rf-north', (inputs) => inputs.map((i) => Number(i.value)));

  await page.fill('#rf-title', env.AMIS_TITLE);
  await page.fill('#rf-description', 'Bauxite occurrences of the Central Highlands, mapped at 1:200,000.');
  await page.selectOption('#rf-type', 'dataset');
  await page.fill('#rf-keywords-0', 'bauxite, aluminium');
  await page.click('#rf-add-keywords');
  await page.fill('#rf-thesaurus-1', 'http://inspire.ec.europa.eu/theme');
  await page.fill('#rf-keywords-1', 'Mineral resources');
  await page.fill('#rf-contact-0-organisation', 'Viet Nam Institute of Geosciences and Mineral Resources');
  await page.fill('#rf-contact-0-email', 'info@example.vn');
  await page.selectOption('#rf-contact-0-role', 'custodian');
  await page.fill('#rf-lineage', 'Field survey 2019-2021, compiled from the provincial sheets.');
  await page.fill('#rf-licence', 'CC-BY-4.0');
  await page.fill('#rf-west', '107.2');
  await page.fill('#rf-south', '11.0');
  await page.fill('#rf-east', '108.9');
  await page.fill('#rf-north', env.AMIS_BAD_NORTH);
  await page.fill('#rf-time-start', '2019-01-01');
  await page.fill('#rf-time-end', '2021-12-31');
  await page.selectOption('#rf-frequency', 'asNeeded');
  await page.selectOption('#rf-language', 'vi');
  await page.click('#rf-add-link');
  await page.fill('#rf-link-0-href', 'https://example.vn/bauxite.gpkg');
  await page.fill('#rf-link-0-title', 'Bauxite occurrences (GeoPackage)');
  await page.fill('#rf-link-0-type', 'application/geopackage+sqlite3');
  await page.click('#rf-submit');
  result.bad = await refusal();
  await shot('refused');
  await page.fill('#rf-north', env.AMIS_NORTH);
  await page.click('#rf-submit');
  result.submitted = await waitingChangeSet();
  await shot('submitted');
  // "Open the change set": the editor's own change set in the workspace's review.
  await page.click('#rf-result button.open-changeset');
  await page.waitForSelector('#ws-review:not([hidden]) table.diff', { timeout: 15000 });
  result.reviewHeading = await page.textContent('#ws-review h3');
}

async function xml() {
  await page.click('#catalogue-new');
  await page.click('#rf-mode-xml');
  await page.setInputFiles('#rf-xml-file', env.AMIS_XML_FILE);
  await page.waitForFunction(() => document.querySelector('#rf-xml').value.includes('MD_Metadata'), null, { timeout: 5000 });
  await page.click('#rf-submit');
  await page.waitForSelector('#rf-errors:not([hidden]), #rf-result', { timeout: 15000 });
  if (await page.$('#rf-result')) result.submitted = await waitingChangeSet();
  else result.bad = await refusal();
  await shot(result.bad ? 'refused' : 'submitted');
}

async function approve() {
  await page.click('#tab-workspace');
  await page.click('#ws-tab-review');
  const item = `#ws-review li[data-changeset="${env.AMIS_CHANGESET}"] button`;
  await page.waitForSelector(item, { timeout: 15000 });
  await page.click(item);
  await page.waitForSelector('#ws-review table.diff', { timeout: 15000 });
  result.diff = await page.$$eval('#ws-review table.diff tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
  await page.click('#ws-review .decide button.primary');
  await page.waitForFunction((id) => (document.getElementById('status')?.textContent ?? '').includes(id), env.AMIS_CHANGESET, { timeout: 15000 });
  result.announced = await page.textContent('#status');
  await dataTab();
  await openRecord(env.AMIS_TITLE);
  await shot('record');
}

// The record changed through the API (by its editor, approved by a reviewer) while the form is open.
async function changeMeanwhile(id) {
  const call = async (method, path, token, body, type) => {
    const r = await fetch(new URL(path, url), { method, body, headers: { Authorization: `Bearer ${token}`, ...(type ? { 'Content-Type': type } : {}) } });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  const doc = await call('GET', `/collections/catalog/items/${encodeURIComponent(id)}?f=json`, env.AMIS_EDITOR_TOKEN);
  doc.properties.description = 'Changed meanwhile through the API.';
  const written = await call('PUT', `/collections/catalog/items/${encodeURIComponent(id)}`, env.AMIS_EDITOR_TOKEN, JSON.stringify(doc), 'application/geo+json');
  await call('POST', `/changesets/${written.changeSet.id}/approve`, env.AMIS_REVIEWER_TOKEN, '{}', 'application/json');
}

async function edit() {
  await openRecord(env.AMIS_TITLE);
  const id = result.opened;
  await page.click('#record-edit');
  await page.waitForFunction((title) => document.querySelector('#rf-title')?.value === title, env.AMIS_TITLE, { timeout: 15000 });
  result.formRead = await page.$$eval('#record-form input, #record-form select, #record-form textarea',
    (inputs) => Object.fromEntries(inputs.filter((i) => i.id).map((i) => [i.id, i.value])));
  await page.fill('#rf-title', env.AMIS_NEW_TITLE);
  if (env.AMIS_CHANGE_MEANWHILE) await changeMeanwhile(id);
  await page.click('#rf-submit');
  await page.waitForSelector('#rf-errors:not([hidden]), #rf-result', { timeout: 15000 });
  if (await page.$('#rf-result')) result.submitted = await waitingChangeSet();
  else result.bad = await refusal();
  await shot('edited');
}

async function withdraw() {
  await openRecord(env.AMIS_TITLE);
  result.confirmShownBefore = await page.isVisible('#record-withdraw-confirm');
  await page.click('#record-withdraw');
  await page.click('#record-withdraw-confirm');
  result.submitted = await waitingChangeSet();
  await shot('withdrawn');
}

await answer(browser, { out, name: `record-form-${step}`, errors, shot }, result, async () => {
  await login();
  await dataTab();
  if (step === 'create') await create();
  if (step === 'xml') await xml();
  if (step === 'approve') await approve();
  if (step === 'edit') await edit();
  if (step === 'withdraw') await withdraw();
  // The browser's own line for each refusal provoked (kept in `refused`) is no error.
  for (let i = errors.length - 1; i >= 0; i--) if (/Failed to load resource: the server responded with a status of 4\d\d/.test(errors[i])) errors.splice(i, 1);
});
