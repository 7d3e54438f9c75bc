// Themable: the accent colour, corner radius and font set through custom properties on the
// placeholder reach the widget, and an accent too pale for its text is made readable.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone } from '../support/browser.mjs';
import { startServer } from '../support/server.mjs';
import { startHost } from '../support/host.mjs';
import { everyKind } from '../support/polls.mjs';

let server;
let host;
let browser;

before(async () => {
  server = await startServer();
  host = await startHost(server.base);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await host?.stop();
  await server?.stop();
});

/** WCAG 2 contrast ratio of two computed `rgb(…)` colours. */
function contrast(a, b) {
  const luminance = (css) => {
    const [r, g, b] = css.match(/[\d.]+/g).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Waits until the widget has taken the first view over: the colours derived from the page's
 * theme (readable text on the accent, a darkened ink) are set by the wasm at that point; the
 * first view before it has the page's colours as they are. */
function untilMounted(page) {
  return page.waitForFunction(
    () => document.querySelector('[data-concerto-poll]')?.getAttribute('data-concerto-mounted') === 'true',
  );
}

/** Computed styles of an element inside the widget. */
function computed(locator, ...props) {
  return locator.evaluate((el, names) => {
    const s = getComputedStyle(el);
    return Object.fromEntries(names.map((n) => [n, s.getPropertyValue(n).trim()]));
  }, props);
}

test('a pale accent keeps its colour on the button and gets readable text', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const context = await phone(browser);
  const page = await context.newPage();
  // Before the wasm (held here): the first view's text on the accent already reads.
  let release;
  const held = new Promise((r) => {
    release = r;
  });
  await page.route('**/widget/concerto-widget_bg.wasm', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(host.url('theme.html', { poll: id }));
  for (const moment of ['first view', 'widget']) {
    if (moment === 'widget') {
      release();
      await untilMounted(page);
    } else {
      await page.getByTestId('poll-form').waitFor();
    }
    const button = await computed(page.getByTestId('submit'), 'color', 'background-color');
    assert.equal(button['background-color'], 'rgb(255, 235, 59)', moment);
    const ratio = contrast(button.color, button['background-color']);
    assert.ok(ratio >= 4.5, `${moment}: the submit button's text contrasts ${ratio.toFixed(2)}:1`);
  }
  await context.close();
});

test('a pale accent drawn on the background is darkened until it reads', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const context = await phone(browser);
  const page = await context.newPage();
  await page.goto(host.url('theme.html', { poll: id }));
  await untilMounted(page);
  // The focus ring of the first control, reached with the keyboard.
  await page.keyboard.press('Tab');
  const ring = await page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    const s = getComputedStyle(el);
    const widget = getComputedStyle(el.closest('.cc-widget'));
    return { outline: s.outlineColor, style: s.outlineStyle, background: widget.backgroundColor };
  });
  assert.notEqual(ring.style, 'none');
  const ratio = contrast(ring.outline, ring.background);
  assert.ok(ratio >= 4.5, `the focus ring contrasts ${ratio.toFixed(2)}:1 with the background`);
  await context.close();
});

test('the corner radius and the font set on the placeholder reach the widget', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const context = await phone(browser);
  const page = await context.newPage();
  await page.goto(host.url('theme.html', { poll: id }));
  await page.getByTestId('poll-form').waitFor();
  const button = await computed(page.getByTestId('submit'), 'border-top-left-radius', 'font-family');
  assert.equal(button['border-top-left-radius'], '2px');
  assert.match(button['font-family'], /^Georgia/);
  const widget = await computed(page.getByTestId('concerto-widget'), 'border-top-left-radius');
  assert.equal(widget['border-top-left-radius'], '2px');

  // Without a theme, the default accent and its white text.
  await page.goto(host.url('one.html', { poll: id }));
  await page.getByTestId('poll-form').waitFor();
  const plain = await computed(page.getByTestId('submit'), 'color', 'background-color', 'border-top-left-radius');
  assert.deepEqual(plain, { color: 'rgb(255, 255, 255)', 'background-color': 'rgb(29, 95, 191)', 'border-top-left-radius': '8px' });
  await context.close();
});
