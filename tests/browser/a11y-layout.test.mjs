// WCAG checks axe cannot make alone: required questions said in text, results readable as
// text, reduced motion honoured, no sideways scrolling at 320 px or at 200 % zoom, touch
// targets of at least 44 × 44 px.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, withoutFirstView } from '../support/browser.mjs';
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

/** Runs `fn` on the widget's shadow root in the page. */
function inWidget(page, fn, arg) {
  return page.evaluate(
    ([source, a]) => {
      const root = document.querySelector('[data-concerto-poll]').shadowRoot;
      return new Function('root', 'arg', `return (${source})(root, arg);`)(root, a);
    },
    [fn.toString(), arg],
  );
}

/** Fills in the form of `everyKind` with the mouse-free helpers of Playwright's locators. */
async function answer(page) {
  await page.getByTestId('question-frequence').getByLabel(/Autre/).check();
  await page.getByTestId('question-frequence').getByRole('textbox').fill('Le marché du samedi matin, avec les enfants');
  await page.getByTestId('question-envies').getByLabel('Des jeux').check();
  await page.getByTestId('question-note').getByLabel('4', { exact: true }).check();
}

/** How far the page scrolls sideways (0: it does not), trying to scroll it to the far right. */
function sidewaysScroll(page) {
  return page.evaluate(() => {
    window.scrollTo(100000, window.scrollY);
    const x = window.scrollX;
    window.scrollTo(0, window.scrollY);
    return Math.max(x, document.documentElement.scrollWidth - window.innerWidth);
  });
}

test('required questions say so in text, in both languages', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  for (const [fixture, word] of [['a11y.html', '(obligatoire)'], ['a11y-en.html', '(required)']]) {
    const context = await phone(browser);
    const page = await context.newPage();
    await page.goto(host.url(fixture, { poll: id }));
    await page.getByTestId('poll-form').waitFor();
    const legends = await inWidget(page, (root) =>
      [...root.querySelectorAll('fieldset')].map((f) => [f.dataset.testid, f.querySelector('legend').textContent]),
    );
    assert.equal(legends.length, 5);
    const required = new Set(['question-frequence', 'question-note']);
    for (const [q, legend] of legends) {
      assert.equal(legend.includes(word), required.has(q), `${fixture} ${q}: ${legend}`);
    }
    await context.close();
  }
});

test('the results say every figure in text, the bars being decoration', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const context = await phone(browser);
  const page = await context.newPage();
  await page.goto(host.url('a11y.html', { poll: id }));
  await page.getByTestId('poll-form').waitFor();
  await answer(page);
  await page.getByTestId('submit').click();
  await page.getByTestId('results').waitFor();
  const bars = await inWidget(page, (root) =>
    [...root.querySelectorAll('[data-testid="results"] li')].map((li) => ({
      id: li.dataset.testid,
      // What a screen reader reads: the text outside aria-hidden parts.
      text: [...li.querySelectorAll('*')]
        .filter((e) => !e.closest('[aria-hidden="true"]') && e.children.length === 0)
        .map((e) => e.textContent)
        .join(' '),
      graphicHidden: [...li.querySelectorAll('.cc-bar__track')].every((t) => t.getAttribute('aria-hidden') === 'true'),
    })),
  );
  const byId = Object.fromEntries(bars.map((b) => [b.id, b]));
  assert.match(byId['result-frequence-other'].text, /Autre.*100\s?%.*1 réponse/);
  assert.match(byId['result-frequence-souvent'].text, /Souvent.*0\s?%.*0 réponse/);
  assert.match(byId['result-envies-jeux'].text, /Des jeux.*100\s?%.*1 réponse/);
  assert.match(byId['result-note-4'].text, /4.*100\s?%.*1 réponse/);
  assert.match(byId['result-note-1'].text, /1 \(Pas du tout\).*0\s?%/);
  assert.ok(bars.every((b) => b.graphicHidden));
  assert.match(await page.getByTestId('result-note-mean').innerText(), /Moyenne\s?: 4,0 sur 5/);
  await context.close();
});

/** Transition and animation durations of every element in the widget that has any. */
function motion(page) {
  return inWidget(page, (root) =>
    [...root.querySelectorAll('*')]
      .map((e) => {
        const s = getComputedStyle(e);
        const longest = (list) => Math.max(...list.split(',').map((d) => parseFloat(d) || 0));
        return {
          cls: e.className,
          transition: longest(s.transitionDuration),
          animation: s.animationName === 'none' ? 0 : longest(s.animationDuration),
        };
      })
      .filter((m) => m.transition > 0 || m.animation > 0),
  );
}

test('with reduced motion asked for, nothing in the widget moves', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  for (const reducedMotion of ['no-preference', 'reduce']) {
    const context = await phone(browser, { reducedMotion });
    const page = await context.newPage();
    // Hold the consultation to see the loading spinner, then the results' bars.
    let release;
    const held = new Promise((r) => {
      release = r;
    });
    await withoutFirstView(page, server.base, id);
    await page.route(`${server.base}api/v1/polls/${id}`, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(host.url('a11y.html', { poll: id }));
    await page.getByTestId('state-loading').waitFor();
    const loading = await motion(page);
    release();
    await page.getByTestId('poll-form').waitFor();
    await answer(page);
    await page.getByTestId('submit').click();
    await page.getByTestId('results').waitFor();
    const results = await motion(page);
    if (reducedMotion === 'reduce') {
      assert.deepEqual(loading, [], 'loading');
      assert.deepEqual(results, [], 'results');
    } else {
      // Without the preference the spinner turns and the bars grow: the check above sees motion.
      assert.ok(loading.some((m) => m.cls.includes('cc-spinner') && m.animation > 0), JSON.stringify(loading));
      assert.ok(results.some((m) => m.cls.includes('cc-bar__fill') && m.transition > 0), JSON.stringify(results));
    }
    await context.close();
  }
});

/** Shows the form, its errors, the "other" text box, then the results; checks sideways scroll at each. */
async function walkWithoutSidewaysScroll(page, id, label) {
  await page.goto(host.url('a11y.html', { poll: id }));
  await page.getByTestId('poll-form').waitFor();
  assert.ok((await sidewaysScroll(page)) <= 0, `${label}: form`);
  await page.getByTestId('submit').click();
  await page.getByTestId('error-note').waitFor();
  assert.ok((await sidewaysScroll(page)) <= 0, `${label}: errors`);
  await answer(page);
  assert.ok((await sidewaysScroll(page)) <= 0, `${label}: answered`);
  await page.getByTestId('submit').click();
  await page.getByTestId('results').waitFor();
  assert.ok((await sidewaysScroll(page)) <= 0, `${label}: results`);
  // The widget fits its width: no part of it sticks out on the right.
  const widest = await inWidget(page, (root) => {
    const right = root.querySelector('.cc-widget').getBoundingClientRect().right;
    return Math.max(...[...root.querySelectorAll('*')].map((e) => e.getBoundingClientRect().right - right));
  });
  assert.ok(widest <= 0.5, `${label}: an element sticks out by ${widest}px`);
}

test('the widget needs no sideways scrolling at 320 CSS px wide', async () => {
  const id = await server.openPoll({
    ...everyKind(host.origin),
    title: 'Réaménagement du square Henri-IV et de ses abords immédiats : concertation',
  });
  const context = await phone(browser);
  const page = await context.newPage();
  await walkWithoutSidewaysScroll(page, id, '320px');
  assert.equal(await page.evaluate(() => window.innerWidth), 320);
  await context.close();
});

test('the widget needs no sideways scrolling at 200 % zoom on a 640 px window', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const context = await browser.newContext({ viewport: { width: 640, height: 900 }, locale: 'fr-FR' });
  const page = await context.newPage();
  // Browser zoom: the page's CSS pixels double, as Ctrl + + twice does.
  await page.addInitScript(() => {
    document.addEventListener('DOMContentLoaded', () => {
      document.documentElement.style.zoom = '2';
    });
  });
  await page.goto(host.url('a11y.html', { poll: id }));
  await page.getByTestId('poll-form').waitFor();
  // Zoomed: the 44 px submit button is drawn 88 px tall.
  const button = await page.getByTestId('submit').boundingBox();
  assert.ok(button.height >= 88, `the submit button is ${button.height}px tall: not zoomed`);
  await walkWithoutSidewaysScroll(page, id, '200%');
  await context.close();
});

test('every control offers a touch target of at least 44 × 44 px', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const context = await phone(browser);
  const page = await context.newPage();
  await page.goto(host.url('a11y.html', { poll: id }));
  await page.getByTestId('poll-form').waitFor();
  // Show the "other" text box and the error messages too.
  await page.getByTestId('question-frequence').getByLabel(/Autre/).check();
  await page.getByTestId('submit').click();
  await page.getByTestId('error-note').waitFor();
  const targets = await inWidget(page, (root) =>
    [...root.querySelectorAll('input:not([type="hidden"]), textarea, button, select, a[href]')].map((el) => {
      // A radio or checkbox is hit through its whole label; other controls through themselves.
      const box = (el.closest('label') ?? el).getBoundingClientRect();
      return { what: `${el.tagName} ${el.type ?? ''} ${el.value ?? ''}`, width: box.width, height: box.height };
    }),
  );
  assert.ok(targets.length >= 14, `only ${targets.length} controls found`);
  const small = targets.filter((t) => t.width < 44 || t.height < 44);
  assert.deepEqual(small, []);
  await context.close();
});

test('the borders that outline controls contrast at least 3:1 with what surrounds them', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const context = await phone(browser);
  const page = await context.newPage();
  await page.goto(host.url('a11y.html', { poll: id }));
  await page.getByTestId('poll-form').waitFor();
  const ratios = await inWidget(page, (root) => {
    const rgb = (c) => c.match(/[\d.]+/g).map(Number);
    const lum = ([r, g, b]) => {
      const f = (x) => ((x /= 255) <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const ratio = (a, b) => {
      const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((m, n) => n - m);
      return (x + 0.05) / (y + 0.05);
    };
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = getComputedStyle(e).backgroundColor;
        if (rgb(c)[3] !== 0 && c !== 'transparent') return c;
      }
      return 'rgb(255, 255, 255)';
    };
    // Text boxes and rating values are drawn by their border alone.
    return [...root.querySelectorAll('.cc-input, .cc-rating__value')].map((el) => {
      const border = getComputedStyle(el).borderTopColor;
      return {
        what: el.className,
        inside: ratio(border, background(el)),
        outside: ratio(border, background(el.parentElement)),
      };
    });
  });
  assert.ok(ratios.length >= 7, `only ${ratios.length} controls measured`);
  const weak = ratios.filter((r) => r.inside < 3 || r.outside < 3);
  assert.deepEqual(weak, []);
  await context.close();
});

test('text spacing raised to WCAG 1.4.12 values loses no content', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const context = await phone(browser);
  const page = await context.newPage();
  await page.goto(host.url('a11y.html', { poll: id }));
  await page.getByTestId('poll-form').waitFor();
  await page.getByTestId('question-frequence').getByLabel(/Autre/).check();
  await page.getByTestId('submit').click();
  await page.getByTestId('error-note').waitFor();
  /** Elements whose text is cut: content wider or taller than a box that hides overflow. */
  const clipped = () =>
    inWidget(page, (root) =>
      [...root.querySelectorAll('*')]
        .filter((e) => {
          const s = getComputedStyle(e);
          const hides = (o) => o === 'hidden' || o === 'clip';
          return (
            e.textContent.trim() !== '' &&
            !e.closest('.cc-visually-hidden') &&
            ((hides(s.overflowX) && e.scrollWidth > e.clientWidth + 1) ||
              (hides(s.overflowY) && e.scrollHeight > e.clientHeight + 1))
          );
        })
        .map((e) => e.className),
    );
  const before = await inWidget(page, (root) => root.querySelector('.cc-widget').getBoundingClientRect().height);
  // The spacing a user style sheet may impose (WCAG 2.1 1.4.12 / RGAA 10.12).
  await inWidget(page, (root) => {
    const style = document.createElement('style');
    style.textContent =
      '* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }' +
      ' p { margin-bottom: 2em !important; }';
    root.append(style);
  });
  const after = await inWidget(page, (root) => root.querySelector('.cc-widget').getBoundingClientRect().height);
  assert.ok(after > before, `the spacing did not apply (${before}px → ${after}px)`);
  assert.deepEqual(await clipped(), []);
  assert.ok((await sidewaysScroll(page)) <= 0, 'the page scrolls sideways');
  await context.close();
});
