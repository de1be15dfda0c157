// End-to-end scenarios of the portal in Debian's Chromium, driven by playwright-core.
// Run by tests/integration/test_portal.py, which starts the server, gives the users
// and the feature to work on in the environment, and checks the answers (the last
// line of stdout, JSON) against the store with sqlite3 and GDAL.
//
//   node e2e/portal.mjs <scenario> <portal url> <artefacts folder>
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch } from './browser.mjs';

const [scenario, url, out] = process.argv.slice(2);
const env = process.env;
mkdirSync(out, { recursive: true });

const browser = await launch();
const context = await browser.newContext({
  viewport: scenario === 'tablet' ? { width: 820, height: 1180 } : { width: 1400, height: 900 },
  acceptDownloads: true,
});
const page = await context.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
page.on('console', (m) => { if (m.type() === 'error' && !/401 \(Unauthorized\)/.test(m.text())) errors.push(m.text()); });
const shot = (name) => page.screenshot({ path: join(out, `${scenario}-${name}.png`) });

async function open() {
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForSelector('body.ready', { timeout: 20000 });
  await page.waitForSelector('#table[data-matched]', { timeout: 20000 });
  return Date.now() - t0;
}

async function tableAfter(action) {
  const before = await page.getAttribute('#table', 'data-filter');
  await action();
  await page.waitForFunction((b) => document.querySelector('#table')?.dataset.filter !== b, before, { timeout: 10000 });
  return page.evaluate(() => ({ ...document.querySelector('#table').dataset, count: document.querySelector('#table .count')?.textContent }));
}

// The catalogue's state after an action that searches again: the count line,
// the records listed and the facets with their counts.
async function catalogueAfter(action) {
  const before = await page.evaluate(() => document.querySelector('#catalogue-count')?.textContent ?? '');
  const ids = await page.$$eval('#catalogue-results .record', (ds) => ds.map((d) => d.dataset.record).join());
  await action();
  await page.waitForFunction(([b, i]) => {
    const now = [...document.querySelectorAll('#catalogue-results .record')].map((d) => d.dataset.record).join();
    return !document.querySelector('#panel-data')?.hasAttribute('aria-busy') &&
      (document.querySelector('#catalogue-count')?.textContent !== b || now !== i);
  }, [before, ids], { timeout: 15000 });
  return catalogueState();
}

function catalogueState() {
  return page.evaluate(() => ({
    count: document.querySelector('#catalogue-count').textContent,
    records: [...document.querySelectorAll('#catalogue-results .record')].map((d) => d.dataset.record),
    facets: Object.fromEntries([...document.querySelectorAll('#catalogue-facets .facet')].map((f) => [f.dataset.facet,
      [...f.querySelectorAll('.facet-value')].map((l) => ({ value: l.querySelector('input').value,
        count: Number(l.querySelector('.count').textContent.replace(/[(),]/g, '')), checked: l.querySelector('input').checked }))])),
  }));
}

async function mapCentre() {
  const box = await page.locator('#map').boundingBox();
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

// The map drawn with every image and tile of its view loaded (the portal marks #map).
async function mapDrawn() {
  await page.waitForFunction(() => {
    const m = document.querySelector('#map');
    return Number(m.dataset.rendered ?? '0') > 0 && m.dataset.loading === undefined;
  }, null, { timeout: 30000 });
}

// `action`, then the map drawn again with all it loads for it.
async function drawnAfter(action) {
  const before = await page.$eval('#map', (m) => Number(m.dataset.rendered ?? '0'));
  await action();
  await page.waitForFunction((n) => Number(document.querySelector('#map').dataset.rendered ?? '0') > n,
    before, { timeout: 30000 });
  await mapDrawn();
}

async function searchAndPick(name, fid) {
  await page.fill('#search', name);
  const option = page.locator(`#search-results li[data-fid="${fid}"]`);
  await option.waitFor({ timeout: 10000 });
  await option.click();
  await page.waitForSelector(`#identify .found[data-fid="${fid}"]`, { timeout: 10000 });
  await page.waitForTimeout(800); // the view's animation, and the map images of the new view
}

async function identifyAtCentre() {
  const c = await mapCentre();
  await page.locator('#identify').evaluate((e) => { e.hidden = true; });
  const info = page.waitForResponse((r) => r.url().includes('GetFeatureInfo'), { timeout: 10000 });
  await page.mouse.click(c.x, c.y);
  await info;
  await page.waitForSelector('#identify:not([hidden])', { timeout: 10000 });
  return page.locator('#identify').innerText();
}

// Keyboard only: Tab (or Shift+Tab) until the element matching `selector` has the focus.
async function tabTo(selector, key = 'Tab') {
  for (let i = 0; i < 60; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${key} never reached ${selector}`);
}

// The search box and its list as assistive technology sees them.
async function comboboxState() {
  return page.evaluate(() => {
    const input = document.querySelector('#search');
    const list = document.querySelector('#search-results');
    return {
      focus: document.activeElement?.id ?? null,
      role: input.getAttribute('role'),
      expanded: input.getAttribute('aria-expanded'),
      controls: input.getAttribute('aria-controls'),
      activedescendant: input.getAttribute('aria-activedescendant'),
      listRole: list.getAttribute('role'),
      listHidden: list.hidden,
      options: [...list.querySelectorAll('li')].map((li) => ({ id: li.id, role: li.getAttribute('role'),
        selected: li.getAttribute('aria-selected'), fid: li.dataset.fid ?? null })),
    };
  });
}

// One arrow key on the focused map, then the end of the pan it starts (the crosshair moved).
async function panWith(key) {
  const before = await page.getAttribute('#map', 'data-crosshair');
  await page.keyboard.press(key);
  await page.waitForFunction((b) => document.querySelector('#map').dataset.crosshair !== b, before, { timeout: 10000 });
}

// Enter on the focused map; what the panel then shows and the live region says.
async function identifyWithEnter() {
  await page.locator('#identify').evaluate((e) => { e.hidden = true; });
  await page.keyboard.press('Enter');
  await page.waitForSelector('#identify:not([hidden])', { timeout: 10000 });
  await page.waitForFunction(() => /identified/i.test(document.querySelector('#status').textContent), null, { timeout: 10000 });
  return page.evaluate(() => ({
    crosshair: document.querySelector('#map').dataset.crosshair,
    resolution: Number(document.querySelector('#map').dataset.resolution),
    found: [...document.querySelectorAll('#identify .found')].map((f) => ({ layer: f.dataset.layer, fid: f.dataset.fid })),
    panel: document.querySelector('#identify').innerText,
    status: document.querySelector('#status').textContent,
    focus: document.activeElement?.id ?? null,
  }));
}

async function login(user, password) {
  await page.click('#login');
  await page.fill('#login-user', user);
  await page.fill('#login-password', password);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#logout', { timeout: 10000 });
}

async function logout() {
  await page.click('#logout');
  await page.waitForSelector('#login', { timeout: 10000 });
}

// Form fields without a name a screen reader can read.
function unlabelled() {
  return page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button')]
    .filter((e) => e.offsetParent !== null)
    .filter((e) => {
      if (e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')) return false;
      if (e.id && document.querySelector(`label[for="${CSS.escape(e.id)}"]`)) return false;
      if (e.closest('label')) return false;
      if (e.tagName === 'BUTTON' && (e.textContent ?? '').trim()) return false;
      if (e.getAttribute('title')) return false;
      return true;
    }).map((e) => e.outerHTML.slice(0, 120)));
}

const result = {};
try {
  if (scenario === 'load') {
    result.readyMs = await open();
    await page.waitForTimeout(1500);
    await shot('first-view');
    result.layers = await page.$$eval('.layers .layer', (ls) => ls.map((l) => l.dataset.layer));
    result.active = await page.$eval('input[name=active-layer]:checked', (e) => e.value);
    result.table = await page.evaluate(() => ({ ...document.querySelector('#table').dataset }));
    result.rows = await page.locator('#table tbody tr').count();
    result.unlabelled = await unlabelled();
    result.legend = await page.evaluate(async () => {
      const d = document.querySelector('.layer[data-layer="coal_mines"] details');
      d.open = true;
      const img = d.querySelector('img');
      await new Promise((r) => { if (img.complete && img.naturalWidth) r(); else { img.onload = r; img.onerror = r; } });
      return { src: img.src, width: img.naturalWidth };
    });
    // Keyboard: the tabs move with the arrow keys.
    await page.focus('#tab-layers');
    await page.keyboard.press('ArrowRight');
    result.keyboardTab = await page.evaluate(() => document.activeElement?.id);
    // The catalogue: a search finds the record of a layer; "Add to map" makes it active.
    await page.click('#tab-data');
    await catalogueAfter(() => page.fill('#catalogue-search', env.AMIS_CATALOGUE_SEARCH));
    result.datasets = await page.$$eval('#catalogue-results .record', (ds) => ds.map((d) => d.dataset.record));
    await page.click(`#catalogue-results .record[data-record="${env.AMIS_CATALOGUE_RECORD}"] .add-layer`);
    await page.waitForSelector('#panel-layers:not([hidden])');
    result.activeAfterShow = await page.$eval('input[name=active-layer]:checked', (e) => e.value);
    await shot('catalogue');
  } else if (scenario === 'catalogue') {
    await open();
    await page.click('#tab-data');
    await page.waitForSelector('#catalogue-results .record', { timeout: 15000 });
    await page.waitForFunction(() => !document.querySelector('#panel-data').hasAttribute('aria-busy'));
    result.whole = await catalogueState();
    result.searched = await catalogueAfter(() => page.fill('#catalogue-search', env.AMIS_CATALOGUE_SEARCH));
    result.faceted = await catalogueAfter(() =>
      page.click(`#catalogue-facets .facet[data-facet="type"] input[value="${env.AMIS_CATALOGUE_TYPE}"]`));
    await shot('catalogue-search');
    // The record page of the first record, with its links.
    await page.click('#catalogue-results .record .open-record');
    await page.waitForSelector('#catalogue-record:not([hidden])');
    result.page = await page.evaluate(() => ({
      title: document.querySelector('#catalogue-record h3').textContent,
      links: [...document.querySelectorAll('#catalogue-record .record-links a')].map((a) => a.href),
      focused: document.activeElement?.tagName,
    }));
    await shot('catalogue-record');
    await page.click('#catalogue-record .back');
    // Everything again, then only what the map view shows (the table's data-bbox is the view).
    await catalogueAfter(() => page.fill('#catalogue-search', ''));
    await page.click(`#catalogue-facets .facet[data-facet="type"] input[value="${env.AMIS_CATALOGUE_TYPE}"]`);
    await page.waitForFunction(() => !document.querySelector('#panel-data').hasAttribute('aria-busy'));
    // The search the checkbox makes carries the view's bbox (the demo's records all
    // meet the first view: the answer may not change, the request must).
    const searched = page.waitForResponse((r) => r.url().includes('/collections/catalog/items') && r.url().includes('bbox='));
    await page.click('#catalogue-in-view');
    result.inViewUrl = (await searched).url();
    await page.waitForFunction(() => !document.querySelector('#panel-data').hasAttribute('aria-busy'));
    result.inView = await catalogueState();
    // Panned far east: the panel answers the search of the view where the pan ended. Each
    // step of the pan may search; the panel shows the answer to the last search asked.
    const searches = [];
    const onSearch = (r) => { if (r.url().includes('/collections/catalog/items') && r.url().includes('bbox=')) searches.push(r.url()); };
    const moved = page.waitForResponse((r) => r.url().includes('/collections/catalog/items') && r.url().includes('bbox='));
    page.on('request', onSearch);
    await page.focus('#map');
    for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowRight');
    await moved;
    await page.waitForTimeout(1000);
    await page.waitForFunction(() => !document.querySelector('#panel-data').hasAttribute('aria-busy'));
    page.off('request', onSearch);
    result.movedUrl = searches[searches.length - 1];
    result.moved = await catalogueState();
    result.unlabelled = await unlabelled();
  } else if (scenario === 'toggle') {
    await open();
    await page.waitForTimeout(1500);
    // The map alone, shown, hidden and shown again, with the view's box (lon/lat, the
    // table's data-bbox) and size, so that the test can find the mines' pixels.
    const map = page.locator('#map');
    result.view = await page.evaluate(() => document.querySelector('#table').dataset.bbox);
    const box = await map.boundingBox();
    result.mapSize = [box.width, box.height];
    result.mapShots = { before: join(out, 'toggle-map-before.png'), hidden: join(out, 'toggle-map-hidden.png'),
      shown: join(out, 'toggle-map-shown.png') };
    await mapDrawn();
    await map.screenshot({ path: result.mapShots.before });
    await drawnAfter(() => page.uncheck('#visible-coal_mines'));
    await map.screenshot({ path: result.mapShots.hidden });
    await shot('coal-mines-hidden');
    await drawnAfter(() => page.check('#visible-coal_mines'));
    await map.screenshot({ path: result.mapShots.shown });
    result.viewAfter = await page.evaluate(() => document.querySelector('#table').dataset.bbox);
    // Vector mode asks for the MVT tiles.
    const tiles = page.waitForRequest((r) => r.url().includes('/collections/coal_mines/tiles/WebMercatorQuad/'), { timeout: 10000 });
    await page.selectOption('#mode-coal_mines', 'vector');
    result.tileRequest = (await tiles).url();
    await page.waitForTimeout(1000);
    await shot('coal-mines-vector');
  } else if (scenario === 'identify') {
    await open();
    await searchAndPick(env.AMIS_MINE_NAME, env.AMIS_MINE_FID);
    result.searchPanel = await page.locator('#identify').innerText();
    result.clickPanel = await identifyAtCentre();
    await shot('identified');
  } else if (scenario === 'filter') {
    await open();
    result.before = await page.evaluate(() => ({ ...document.querySelector('#table').dataset }));
    await page.click('#tab-filter');
    result.country = await tableAfter(() => page.selectOption('#filter-country', [env.AMIS_COUNTRY]));
    // The map asks again for the layer once the status is chosen: that request's filter.
    const wms = page.waitForRequest((r) => r.url().includes('GetMap')
      && (new URL(r.url()).searchParams.get('CQL_FILTER') ?? '').includes('status'), { timeout: 10000 });
    result.countryAndStatus = await tableAfter(() => page.selectOption('#filter-status', [env.AMIS_STATUS]));
    result.wmsWithFilter = (await wms).url();
    await page.waitForTimeout(1000);
    await shot('filtered');
    // Drawn as vector tiles, the filter goes with every tile.
    await page.click('#tab-layers');
    const tile = page.waitForRequest((r) => r.url().includes('/collections/coal_mines/tiles/WebMercatorQuad/'), { timeout: 10000 });
    await page.selectOption('#mode-coal_mines', 'vector');
    result.tileWithFilter = (await tile).url();
    await page.waitForTimeout(1000);
    await shot('filtered-vector');
  } else if (scenario === 'download') {
    await open();
    await page.click('#tab-filter');
    await tableAfter(() => page.selectOption('#filter-country', [env.AMIS_COUNTRY]));
    await page.click('#tab-download');
    result.files = {};
    for (const format of ['geojson', 'csv', 'gpkg', 'shapezip', 'kml']) {
      const download = page.waitForEvent('download', { timeout: 20000 });
      await page.click(`a[data-format="${format}"]`);
      const d = await download;
      const path = join(out, `download-${d.suggestedFilename()}`);
      await d.saveAs(path);
      result.files[format] = path;
    }
    result.serviceUrls = await page.$$eval('.services input', (is) => is.map((i) => i.value));
    result.limitWarningShown = await page.locator('#download-limit').isVisible();
    await shot('download-panel');
  } else if (scenario === 'download-whole') {
    // The whole layer (more features than a page) as files, and the Download tab's words.
    await open();
    await page.click('#tab-download');
    await page.waitForSelector('#download-count[data-matched]', { timeout: 20000 });
    result.matched = Number(await page.getAttribute('#download-count', 'data-matched'));
    result.countText = await page.locator('#download-count').textContent();
    result.limitWarningShown = await page.locator('#download-limit').isVisible();
    result.files = {};
    for (const format of ['geojson', 'csv', 'gpkg']) {
      const download = page.waitForEvent('download', { timeout: 120000 });
      await page.click(`a[data-format="${format}"]`);
      const d = await download;
      const path = join(out, `download-whole-${d.suggestedFilename()}`);
      await d.saveAs(path);
      result.files[format] = path;
    }
    await shot('download-whole');
  } else if (scenario === 'search-keys') {
    // The combobox with the keyboard alone: aria-activedescendant follows the arrow keys.
    await open();
    await tabTo('#search');
    await page.keyboard.type(env.AMIS_SEARCH_TEXT);
    await page.waitForFunction(() => document.querySelectorAll('#search-results li[data-fid]').length >= 3, null, { timeout: 10000 });
    result.states = [{ key: 'typed', ...await comboboxState() }];
    for (const key of ['ArrowDown', 'ArrowDown', 'ArrowUp', 'ArrowUp', 'Home', 'ArrowDown']) {
      await page.keyboard.press(key);
      result.states.push({ key, ...await comboboxState() });
    }
    const chosen = result.states.at(-1).options.find((o) => o.selected === 'true');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#identify .found[data-fid="${chosen?.fid}"]`, { timeout: 10000 });
    result.picked = chosen?.fid ?? null;
    result.afterEnter = await comboboxState();
    result.panel = await page.locator('#identify').innerText();
    await shot('picked');
  } else if (scenario === 'keyboard-identify') {
    // Identify without the mouse: the search brings the map to a mine; the map is focused
    // by the skip link; arrow keys move it under the crosshair; Enter identifies.
    await open();
    await tabTo('#search');
    await page.keyboard.type(env.AMIS_MINE_NAME);
    await page.locator(`#search-results li[data-fid="${env.AMIS_MINE_FID}"]`).waitFor({ timeout: 10000 });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#identify .found[data-fid="${env.AMIS_MINE_FID}"]`, { timeout: 10000 });
    await page.waitForTimeout(800); // the view's animation to the mine
    await tabTo('a.skip', 'Shift+Tab');
    await page.keyboard.press('Enter'); // "Skip to the map"
    result.mapFocused = await page.evaluate(() => document.activeElement?.id === 'map');
    result.atMine = await identifyWithEnter();
    await shot('crosshair-at-mine');
    for (const key of env.AMIS_KEYS_AWAY.split(',')) await panWith(key);
    result.away = await identifyWithEnter();
    await shot('crosshair-away');
    for (const key of env.AMIS_KEYS_BACK.split(',')) await panWith(key);
    result.back = await identifyWithEnter();
  } else if (scenario === 'edit-review') {
    await open();
    const fid = env.AMIS_MINE_FID;
    await login(env.AMIS_EDITOR, env.AMIS_PASSWORD);
    await searchAndPick(env.AMIS_MINE_NAME, fid);
    await page.click(`#identify .found[data-fid="${fid}"] button:has-text("Edit")`);
    await page.waitForSelector('#edit-status', { timeout: 10000 });
    result.countryLocked = await page.$eval('#edit-iso3', (e) => e.readOnly);
    result.unlabelledInForm = await unlabelled();
    await page.fill('#edit-status', env.AMIS_NEW_STATUS);
    // Move the point: drag it 60 pixels east.
    const c = await mapCentre();
    await page.mouse.move(c.x, c.y);
    await page.mouse.down();
    await page.mouse.move(c.x + 30, c.y, { steps: 5 });
    await page.mouse.move(c.x + 60, c.y, { steps: 5 });
    await page.mouse.up();
    await shot('editor-editing');
    const saved = page.waitForResponse((r) => r.url().includes(`/items/${fid}?changeset=`) && r.request().method() === 'PATCH');
    await page.click('.edit-form button[type=submit]');
    result.saveStatus = (await saved).status();
    await page.click('#ws-tab-upload');
    result.unlabelledInUpload = await unlabelled();
    await page.click('#ws-tab-mine');
    const row = page.locator('table.changesets tbody tr').first();
    await row.waitFor();
    result.changeSet = await row.getAttribute('data-changeset');
    await row.locator('button:has-text("Submit for review")').click();
    await page.waitForSelector(`tr[data-changeset="${result.changeSet}"] .state-submitted`, { timeout: 10000 });
    result.editorState = await page.locator(`tr[data-changeset="${result.changeSet}"] .badge`).innerText();
    await shot('editor-submitted');
    await logout();
    await login(env.AMIS_REVIEWER, env.AMIS_PASSWORD);
    await page.click('#tab-workspace');
    await page.click('#ws-tab-review');
    await page.click(`.queue li[data-changeset="${result.changeSet}"] button`);
    await page.waitForSelector('table.diff tbody tr', { timeout: 10000 });
    result.unlabelledInReview = await unlabelled();
    result.diff = await page.$$eval('table.diff tbody tr', (rs) => rs.map((r) => [...r.cells].map((c) => c.textContent)));
    await page.waitForTimeout(800);
    await shot('reviewer-diff');
    const approved = page.waitForResponse((r) => r.url().endsWith(`/changesets/${result.changeSet}/approve`));
    await page.click('.decide button:has-text("Approve")');
    result.approveStatus = (await approved).status();
    await logout();
    // The published change on the map: found again where it now is.
    await searchAndPick(env.AMIS_MINE_NAME, fid);
    result.afterPanel = await identifyAtCentre();
    await shot('after-approval');
  } else if (scenario === 'reject') {
    await open();
    await login(env.AMIS_EDITOR, env.AMIS_PASSWORD);
    await searchAndPick(env.AMIS_MINE_NAME, env.AMIS_MINE_FID);
    await page.click(`#identify .found[data-fid="${env.AMIS_MINE_FID}"] button:has-text("Edit")`);
    await page.fill('#edit-owners', env.AMIS_NEW_OWNER);
    const saved = page.waitForResponse((r) => r.url().includes(`/items/${env.AMIS_MINE_FID}?changeset=`));
    await page.click('.edit-form button[type=submit]');
    result.saveStatus = (await saved).status();
    await page.click('#ws-tab-mine');
    const row = page.locator('table.changesets tbody tr').first();
    await row.waitFor();
    result.changeSet = await row.getAttribute('data-changeset');
    await row.locator('button:has-text("Submit for review")').click();
    await page.waitForSelector(`tr[data-changeset="${result.changeSet}"] .state-submitted`);
    await logout();
    await login(env.AMIS_REVIEWER, env.AMIS_PASSWORD);
    await page.click('#tab-workspace');
    await page.click(`.queue li[data-changeset="${result.changeSet}"] button`);
    await page.waitForSelector('.decide');
    await page.click('.decide button:has-text("Reject")');
    result.emptyCommentError = await page.locator('.decide .error').innerText();
    await page.fill('#review-comment', env.AMIS_COMMENT);
    const rejected = page.waitForResponse((r) => r.url().endsWith(`/changesets/${result.changeSet}/reject`));
    await page.click('.decide button:has-text("Reject")');
    result.rejectStatus = (await rejected).status();
    await logout();
    await login(env.AMIS_EDITOR, env.AMIS_PASSWORD);
    await page.click('#tab-workspace');
    await page.click('#ws-tab-mine');
    await page.waitForSelector(`tr[data-changeset="${result.changeSet}"]`);
    result.editorSees = await page.locator(`tr[data-changeset="${result.changeSet}"]`).innerText();
    await shot('editor-sees-rejection');
  } else if (scenario === 'admin') {
    await open();
    await login(env.AMIS_ADMIN, env.AMIS_PASSWORD);
    await page.click('#tab-workspace');
    await page.click('#ws-tab-users');
    await page.waitForSelector('table.users tbody tr');
    await page.fill('#user-name', env.AMIS_NEW_USER);
    await page.fill('#user-password', env.AMIS_PASSWORD);
    await page.selectOption('#user-role', 'editor');
    await page.selectOption('#user-country', env.AMIS_COUNTRY);
    await page.click('.add-user button[type=submit]');
    await page.waitForSelector(`tr[data-user="${env.AMIS_NEW_USER}"]`, { timeout: 10000 });
    result.row = await page.locator(`tr[data-user="${env.AMIS_NEW_USER}"]`).innerText();
    await page.click(`tr[data-user="${env.AMIS_NEW_USER}"] button:has-text("Disable")`);
    await page.waitForSelector(`tr[data-user="${env.AMIS_NEW_USER}"] button:has-text("Enable")`, { timeout: 10000 });
    result.unlabelled = await unlabelled();
    await shot('accounts');
  } else if (scenario === 'wrong-password') {
    await open();
    await page.click('#login');
    await page.fill('#login-user', env.AMIS_EDITOR);
    await page.fill('#login-password', 'not the password');
    await page.click('#login-form button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#login-error')?.textContent, null, { timeout: 10000 });
    result.error = await page.locator('#login-error').innerText();
    result.workspaceHidden = await page.locator('#tab-workspace').isHidden();
  } else if (scenario === 'tablet') {
    result.readyMs = await open();
    result.sidebarAtStart = await page.locator('#sidebar').isVisible();
    await shot('tablet-map');
    await page.click('#toggle-sidebar');
    result.sidebarAfterToggle = await page.locator('#sidebar').isVisible();
    result.overflowX = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    await shot('tablet-sidebar');
  } else {
    throw new Error(`no scenario ${scenario}`);
  }
  result.errors = errors;
} catch (e) {
  result.failure = String(e?.stack ?? e);
  result.errors = errors;
  await shot('failure').catch(() => {});
} finally {
  await browser.close();
}
writeFileSync(join(out, `${scenario}.json`), JSON.stringify(result, null, 2));
console.log(JSON.stringify(result));
