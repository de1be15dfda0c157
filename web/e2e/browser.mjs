// Starts Debian's Chromium through playwright-core (no browser download): headless,
// without the sandbox (CI runs as root), and without Chromium's background
// networking, which this machine's closed network refuses. Playwright gives each
// launch a new empty profile.
import { chromium } from 'playwright-core';

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}
