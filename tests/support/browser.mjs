// Debian's headless Chromium driven by playwright-core (no browser download).

import { chromium } from 'playwright-core';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** Launches the browser. */
export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ARGS });
}

/** A phone-sized context (320 CSS px wide, touch) in French. */
export function phone(browser, options = {}) {
  return browser.newContext({
    viewport: { width: 320, height: 700 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'fr-FR',
    ...options,
  });
}

/** Collects page errors and console errors, to assert none happened. */
export function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/**
 * Drops the first view of consultation `id` (as a network could): the widget then mounts
 * without it and loads the consultation itself, through its loading and error states.
 */
export function withoutFirstView(page, serverBase, id) {
  const server = new URL(serverBase);
  return page.route(
    (url) => url.host === server.host && url.pathname === `/api/v1/polls/${id}/view`,
    (route) => route.abort('internetdisconnected'),
  );
}
