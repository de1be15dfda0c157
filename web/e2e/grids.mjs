// A coverage's grid uploaded through the portal's workspace (issue 17), in Debian's
// Chromium: an editor picks the coverage and a grid file and submits it; the page
// answers with the change set waiting for review. Prints, as one JSON line, what the
// page showed and the request's status, for tests/integration/coverages to check
// against the API and GDAL.
//   AMIS_EDITOR=… AMIS_PASSWORD=… AMIS_COVERAGE=… AMIS_GRID=<file> node e2e/grids.mjs <portal url> <artefacts folder>
import { mkdirSync } from 'node:fs';
import { answer, launch, openPage } from './browser.mjs';

const [url, out] = process.argv.slice(2);
const env = process.env;
mkdirSync(out, { recursive: true });
const browser = await launch();
const { page, errors, shot } = await openPage(browser, out, 'grids');

// Form fields without a name a screen reader can read.
const unlabelled = () => page.evaluate(() => [...document.querySelectorAll('#ws-upload input, #ws-upload select')]
  .filter((e) => !(e.id && document.querySelector(`label[for="${CSS.escape(e.id)}"]`)))
  .map((e) => e.outerHTML.slice(0, 120)));

const result = {};
await answer(browser, { out, name: 'grids', errors, shot }, result, async () => {
  await page.goto(url);
  await page.waitForSelector('body.ready', { timeout: 20000 });
  await page.click('#login');
  await page.fill('#login-user', env.AMIS_EDITOR);
  await page.fill('#login-password', env.AMIS_PASSWORD);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#logout', { timeout: 10000 });
  await page.click('#tab-workspace');
  await page.click('#ws-tab-upload');
  await page.waitForSelector('form.grid-upload', { timeout: 10000 });
  result.unlabelled = await unlabelled();
  result.coverages = await page.$$eval('#grid-coverage option', (os) => os.map((o) => o.value));
  result.heading = await page.$eval('#ws-upload form.grid-upload', (f) => f.getAttribute('aria-label'));
  await page.selectOption('#grid-coverage', env.AMIS_COVERAGE);
  await page.setInputFiles('#grid-file', env.AMIS_GRID);
  await page.fill('#grid-title', 'Survey grid from the portal');
  const sent = page.waitForResponse((r) => r.url().includes('/coverage/upload') && r.request().method() === 'POST');
  await page.click('form.grid-upload button[type=submit]');
  result.uploadStatus = (await sent).status();
  await page.waitForSelector('#grid-result[data-changeset]', { timeout: 20000 });
  result.changeSet = Number(await page.$eval('#grid-result', (e) => e.dataset.changeset));
  result.message = await page.$eval('#grid-result', (e) => e.textContent);
  await shot('grid-uploaded');
});
