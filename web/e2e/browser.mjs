// Starts Debian's Chromium through playwright-core (no browser download): headless,
// without the sandbox (CI runs as root), and without Chromium's background
// networking, which this machine's closed network refuses. Playwright gives each
// launch a new empty profile.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

// Runs a scenario and answers what it saw: `scenario` fills `result`; the page's errors
// are added, or the failure with a screenshot (`shot('failure')`); the answer goes to
// <out>/<name>.json and, as the last line, to stdout for the Python test to read.
export async function answer(browser, { out, name, errors, shot }, result, scenario) {
  try {
    await scenario();
  } catch (e) {
    result.failure = String(e?.stack ?? e);
    await shot('failure').catch(() => {});
  } finally {
    await browser.close();
  }
  result.errors = errors;
  writeFileSync(join(out, `${name}.json`), JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result));
}

// A new page of the portal whose errors are collected (a 401 before logging in is expected)
// and whose screenshots go to <out>/<name>-<step>.png.
export async function openPage(browser, out, name) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/401 \(Unauthorized\)/.test(m.text())) errors.push(m.text()); });
  const shot = (step) => page.screenshot({ path: join(out, `${name}-${step}.png`), fullPage: true });
  return { page, errors, shot };
}

// Logs in as an administrator and opens the workspace's nodes tab (the nodes page scenarios).
export async function openNodesPage(page, url, user, password) {
  await page.goto(url);
  await page.waitForSelector('body.ready', { timeout: 20000 });
  await page.click('#login');
  await page.fill('#login-user', user);
  await page.fill('#login-password', password);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#logout', { timeout: 10000 });
  await page.click('#tab-workspace');
  await page.click('#ws-tab-nodes');
}
