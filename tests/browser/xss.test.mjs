// A list of XSS payloads in every text an organiser writes (title, description, prompts,
// option labels, rating end labels; as plain strings and as French and English versions)
// and in every text a resident types ("other", short and long text). Wherever they are shown
// (the widget on a partner's page or in its iframe variant, the standalone page, the
// dashboard) they must read as the text that was written: no dialog, no page or console
// error, and no element of a payload in the page (no injected script, iframe, image, link,
// event attribute).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, watchErrors } from '../support/browser.mjs';
import { startServer } from '../support/server.mjs';
import { startHost } from '../support/host.mjs';

const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  'javascript:alert(1)',
  '<a href="javascript:alert(1)">x</a>',
  '<svg><script>alert(1)</script></svg>',
  '{{7*7}}',
  "' onmouseover=alert(1) x='",
  '</style><script>alert(1)</script>',
  '<iframe srcdoc="<script>alert(1)</script>">',
  '<details open ontoggle=alert(1)>',
];
const ALL = PAYLOADS.join(' ');
// Titles, labels and "other" answers hold at most 200 characters: half the list each.
const FIRST = PAYLOADS.slice(0, 6).join(' ');
const SECOND = PAYLOADS.slice(6).join(' ');

/** The consultation: every organiser text holds payloads, some plain, some in two languages. */
function spec(origin) {
  return {
    title: { fr: `Titre ${FIRST}`, en: `Title ${SECOND}` },
    description: `Présentation ${ALL}`,
    allowed_origins: [origin],
    results_visibility: 'after_answering',
    questions: [
      {
        id: 'choix', prompt: { fr: `Choix ${ALL}`, en: `Choice ${ALL}` }, kind: 'single_choice', allow_other: true,
        options: PAYLOADS.map((p, i) => ({ id: `o${i}`, label: p })),
      },
      {
        id: 'envies', prompt: `Envies ${ALL}`, kind: 'multiple_choice',
        options: PAYLOADS.map((p, i) => ({ id: `m${i}`, label: { fr: `fr ${p}`, en: `en ${p}` } })),
      },
      {
        id: 'note', prompt: { fr: `Note ${ALL}`, en: `Rating ${ALL}` }, kind: 'rating', min: 1, max: 5,
        min_label: { fr: `Bas ${FIRST}`, en: `Low ${SECOND}` }, max_label: { fr: `Haut ${SECOND}`, en: `High ${FIRST}` },
      },
      { id: 'rue', prompt: { fr: `Rue ${ALL}`, en: `Street ${ALL}` }, kind: 'short_text', max_length: 500 },
      { id: 'idees', prompt: { fr: `Idées ${ALL}`, en: `Ideas ${ALL}` }, kind: 'long_text', max_length: 2000 },
    ],
  };
}

/** The organiser texts a resident or organiser reading `lang` sees, by field. */
function organiserTexts(lang) {
  const s = spec('http://unused.example');
  const get = (t) => (typeof t === 'string' ? t : t[lang]);
  const [choix, envies, note, rue, idees] = s.questions;
  return [
    ['title', get(s.title)],
    ['description', get(s.description)],
    ...[choix, envies, note, rue, idees].map((q) => [`prompt of ${q.id}`, get(q.prompt)]),
    ...choix.options.map((o) => [`label of ${o.id}`, get(o.label)]),
    ...envies.options.map((o) => [`label of ${o.id}`, get(o.label)]),
    ['rating min label', get(note.min_label)],
    ['rating max label', get(note.max_label)],
  ];
}

/** What residents type: an "other" answer, a short and a long text (with line breaks). */
const RESIDENT = {
  fr: { other: `Autre ${FIRST}`, short: `Ma rue ${ALL}`, long: `Mon idée\n${PAYLOADS.join('\n')}` },
  en: { other: `Other ${SECOND}`, short: `My street ${ALL}`, long: `My idea\n${PAYLOADS.join('\n\n')}` },
};

let server;
let host;
let browser;
let id;

before(async () => {
  server = await startServer();
  host = await startHost(server.base);
  browser = await launch();
  id = await server.openPoll(spec(host.origin));
});

after(async () => {
  await browser?.close();
  await host?.stop();
  await server?.stop();
});

/** A page that fails the test on any dialog (an `alert(1)` that ran), page or console error. */
async function watchedPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const errors = watchErrors(page);
  page.on('dialog', (d) => {
    errors.push(`dialog (${d.type()}): ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  return { context, page, errors };
}

/**
 * Elements of a payload found in the page: in the widgets' shadow roots (`scope` 'widget'),
 * or anywhere in the document and the shadow roots inside it ('document'). Returns their
 * markup; also how many roots and elements were looked at, so that an empty answer means
 * something.
 */
function injected(pageOrFrame, scope) {
  return pageOrFrame.evaluate((scope) => {
    const roots = [];
    const collect = (root) => {
      roots.push(root);
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) collect(el.shadowRoot);
    };
    if (scope === 'widget') {
      for (const el of document.querySelectorAll('[data-concerto-poll]')) if (el.shadowRoot) collect(el.shadowRoot);
    } else {
      collect(document);
    }
    const found = [];
    let elements = 0;
    for (const root of roots) {
      for (const el of root.querySelectorAll('*')) {
        elements += 1;
        const tag = el.localName;
        const attrs = [...el.attributes];
        const ownScript = tag === 'script' && scope === 'document' && el.src && new URL(el.src).origin === location.origin;
        // The first view's definition: JSON the browser never runs (its `<` escaped), which
        // stays in the shadow root until the widget has taken the view over.
        const inertData = tag === 'script' && el.type === 'application/json' && el.hasAttribute('data-concerto-definition');
        if (
          attrs.some((a) => a.name.startsWith('on') || /^\s*javascript:/i.test(a.value)) ||
          attrs.some((a) => a.name === 'srcdoc') ||
          (tag === 'script' && !ownScript && !inertData) ||
          ['iframe', 'frame', 'object', 'embed', 'math'].includes(tag) ||
          (tag === 'img' && el.getAttribute('src') === 'x') ||
          (tag === 'svg' && el.querySelector('script')) ||
          (tag === 'style' && /alert/.test(el.textContent))
        ) {
          found.push(el.outerHTML.slice(0, 200));
        }
      }
    }
    return { found, roots: roots.length, elements };
  }, scope);
}

/** Asserts that no payload turned into markup, and that there was something to look at. */
async function assertNothingInjected(pageOrFrame, scope, where) {
  const { found, roots, elements } = await injected(pageOrFrame, scope);
  assert.ok(roots >= 1 && elements >= 20, `${where}: ${roots} roots, ${elements} elements looked at`);
  assert.deepEqual(found, [], `${where}: elements from a payload`);
}

/** Asserts that each text shows, as text, at least once inside `scope` (a locator). */
async function assertShownAsText(scope, texts, where) {
  for (const [field, text] of texts) {
    const n = await scope.getByText(text, { exact: true }).count();
    assert.ok(n >= 1, `${where}: the ${field} is not shown as the text ${JSON.stringify(text)}`);
  }
}

/** Answers as a resident, typing payloads into every text field, and sends. */
async function answer(page, texts) {
  const widget = page.getByTestId('poll-form');
  const choix = widget.getByTestId('question-choix');
  await choix.locator('input[data-other]').check();
  await choix.getByLabel(/autre réponse|other answer/i).fill(texts.other);
  await widget.getByTestId('question-envies').locator('input[type=checkbox]').first().check();
  await widget.getByTestId('question-note').getByLabel('4', { exact: true }).check();
  await widget.getByTestId('question-rue').getByRole('textbox').fill(texts.short);
  await widget.getByTestId('question-idees').getByRole('textbox').fill(texts.long);
  // Typed text stays the value of its field.
  assert.equal(await widget.getByTestId('question-idees').getByRole('textbox').inputValue(), texts.long);
  await widget.getByTestId('submit').click();
  await page.getByTestId('thanks').waitFor();
}

/** The widget's results: prompts and option labels as text. */
function resultTexts(lang) {
  return organiserTexts(lang).filter(([field]) => /^(prompt of (choix|envies|note)|label of )/.test(field));
}

for (const [lang, fixture] of [['fr', 'one.html'], ['en', 'english.html']]) {
  test(`organiser texts stay text in the widget on a partner page in ${lang === 'fr' ? 'French' : 'English'}: form, typed answers, thanks and results`, async () => {
    const { context, page, errors } = await watchedPage({ locale: lang === 'fr' ? 'fr-FR' : 'en-GB' });
    await page.goto(host.url(fixture, { poll: id }));
    const form = page.getByTestId('poll-form');
    await form.waitFor();
    await assertShownAsText(page.getByTestId('concerto-widget'), organiserTexts(lang), `widget form (${lang})`);
    await assertNothingInjected(page, 'widget', `widget form (${lang})`);

    await answer(page, RESIDENT[lang]);
    await page.getByTestId('results').getByTestId('results-total').waitFor();
    await assertShownAsText(page.getByTestId('results'), resultTexts(lang), `widget results (${lang})`);
    await assertNothingInjected(page, 'widget', `widget thanks and results (${lang})`);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('organiser texts stay text in the iframe variant on a partner page', async () => {
  const { context, page, errors } = await watchedPage({ locale: 'fr-FR' });
  await page.goto(host.url('frame.html', { poll: id }));
  const inside = page.frameLocator('[data-concerto-frame] iframe');
  await inside.getByTestId('poll-form').waitFor();
  await assertShownAsText(inside.getByTestId('concerto-widget'), organiserTexts('fr'), 'iframe');
  const frame = page.frames().find((f) => new URL(f.url()).pathname === `/embed/${id}`);
  assert.ok(frame, page.frames().map((f) => f.url()).join(', '));
  await assertNothingInjected(frame, 'widget', 'iframe');
  assert.deepEqual(errors, []);
  await context.close();
});

test('organiser texts stay text on the standalone page in French and English', async () => {
  for (const lang of ['fr', 'en']) {
    const { context, page, errors } = await watchedPage();
    const res = await page.goto(`${server.base}p/${id}?lang=${lang}`);
    assert.equal(res.status(), 200);
    await page.getByTestId('poll-form').waitFor();
    await assertShownAsText(page.getByTestId('concerto-widget'), organiserTexts(lang), `standalone page (${lang})`);
    await assertNothingInjected(page, 'widget', `standalone page (${lang})`);
    // The page is named after the consultation, its title escaped into text: the payload
    // reads as written in the tab title and the hidden heading, and injects nothing there.
    const title = organiserTexts(lang)[0][1];
    assert.equal(await page.title(), `${title} – Concerto`);
    assert.equal(await page.locator('h1').innerText(), title);
    assert.equal(await page.locator('head script, head img, head svg, h1 *').count(), 0);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

/** An invitation link for the organisation, as `POST /api/v1/org/invitations` makes one. */
async function invitation() {
  const res = await fetch(new URL('api/v1/org/invitations', server.base), {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}` },
  });
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()).url;
}

/** Sends the answers of a resident of `lang` as the widget would, from the partner's page. */
async function submitThroughTheApi(lang) {
  const t = RESIDENT[lang];
  const res = await fetch(new URL(`api/v1/polls/${id}/responses`, server.base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: host.origin },
    body: JSON.stringify({
      submission_id: crypto.randomUUID(),
      answers: { choix: { other: t.other }, note: { rating: 2 }, rue: { text: t.short }, idees: { text: t.long } },
    }),
  });
  assert.equal(res.status, 201, await res.clone().text());
}

/** Opens the written answers of a question on the consultation's page and waits for them. */
async function writtenAnswers(page, question) {
  const block = page.getByTestId(`result-${question}`);
  await block.locator('summary').click();
  const list = block.getByTestId('text-answers');
  await list.waitFor();
  return list;
}

test('organiser and resident texts stay text in the dashboard: list, consultation, written answers, editor and preview', async () => {
  // Answers in both languages, whether or not the widget tests ran first.
  await submitThroughTheApi('fr');
  await submitThroughTheApi('en');
  const { context, page, errors } = await watchedPage({ locale: 'fr-FR' });

  // The real invitation flow logs the organiser in and lands on the list.
  await page.goto(await invitation());
  await page.getByTestId('invitation-email').fill('xss@riverains.example');
  await page.getByTestId('invitation-name').fill(PAYLOADS[1]);
  await page.getByTestId('invitation-password').fill('un mot de passe assez long');
  await page.getByTestId('invitation-submit').click();
  const row = page.getByTestId(`poll-row-${id}`);
  await row.waitFor();
  await assertShownAsText(row, [['title', `Titre ${FIRST}`]], 'list');
  // The organiser's own name, typed as markup, shows as text too.
  assert.match(await page.getByTestId('who').innerText(), /<img src=x onerror=alert\(1\)>/);
  await assertNothingInjected(page, 'document', 'list');

  // The consultation's page: title, results per question, every written answer.
  await row.getByRole('link', { name: `Titre ${FIRST}`, exact: true }).click();
  await page.getByTestId('poll-title').waitFor();
  assert.equal(await page.getByTestId('poll-title').innerText(), `Titre ${FIRST}`);
  await page.getByTestId('results-total').waitFor();
  const results = organiserTexts('fr').filter(([field]) => /^(prompt of |label of )/.test(field));
  await assertShownAsText(page.locator('main'), results, 'consultation page');
  for (const lang of ['fr', 'en']) {
    const t = RESIDENT[lang];
    for (const [question, text] of [['choix', t.other], ['rue', t.short], ['idees', t.long]]) {
      const list = await writtenAnswers(page, question);
      const n = await list.getByText(text, { exact: true }).count();
      assert.ok(n >= 1, `written answers to ${question}: ${JSON.stringify(text)} not shown as text`);
      // Collapse it again so that the next opening waits for its own list.
      await page.getByTestId(`result-${question}`).locator('summary').click();
    }
  }
  await assertNothingInjected(page, 'document', 'consultation page');

  // In English (the choice is kept; reloaded, the whole page starts in English), the
  // English versions.
  await page.getByTestId('switch-language').click();
  await page.reload();
  await page.getByTestId('poll-title').getByText(`Title ${SECOND}`, { exact: true }).waitFor();
  await page.getByTestId('results-total').waitFor();
  const english = organiserTexts('en').filter(([field]) => /^(prompt of |label of )/.test(field));
  await assertShownAsText(page.locator('main'), english, 'consultation page in English');
  await assertNothingInjected(page, 'document', 'consultation page in English');
  await page.getByTestId('switch-language').click();
  await page.reload();

  // The editor holds each text as a field's value, and its live preview shows it as text.
  await page.getByTestId('edit').click();
  const title = page.getByTestId('title-input');
  await title.waitFor();
  assert.equal(await title.inputValue(), `Titre ${FIRST}`);
  assert.equal(await page.getByTestId('description-input').inputValue(), `Présentation ${ALL}`);
  const prompts = await page.getByTestId('prompt').evaluateAll((els) => els.map((e) => e.value));
  assert.deepEqual(prompts, organiserTexts('fr').filter(([f]) => f.startsWith('prompt of')).map(([, t]) => t));
  const labels = await page.getByTestId('option-label').evaluateAll((els) => els.map((e) => e.value));
  assert.deepEqual(labels, organiserTexts('fr').filter(([f]) => f.startsWith('label of')).map(([, t]) => t));
  const preview = page.getByTestId('preview');
  await preview.getByTestId('concerto-preview').waitFor();
  await assertShownAsText(preview, organiserTexts('fr'), 'editor preview');
  // Typing a payload goes to the preview as text, keystroke by keystroke.
  await title.fill(`Nouveau ${PAYLOADS[4]}`);
  await preview.getByText(`Nouveau ${PAYLOADS[4]}`, { exact: true }).waitFor();
  await assertNothingInjected(page, 'document', 'editor and preview');

  assert.deepEqual(errors.filter((e) => !/status of 401/.test(e)), []);
  await context.close();
});

/** Splits RFC 4180 CSV into rows of fields. */
function parseCsv(text) {
  const rows = [[]];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      rows.at(-1).push(field);
      field = '';
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      if (c === '\r') i += 1;
      rows.at(-1).push(field);
      field = '';
      rows.push([]);
    } else {
      field += c;
    }
  }
  if (rows.at(-1).length === 0 && field === '') rows.pop();
  else rows.at(-1).push(field);
  return rows;
}

test('the exports keep every payload as the resident typed it: JSON verbatim, CSV as plain cells', async () => {
  await submitThroughTheApi('fr');
  const get = (path) => fetch(new URL(path, server.base), { headers: { authorization: `Bearer ${server.token}` } });
  const json = await (await get(`api/v1/org/polls/${id}/export.json`)).json();
  const texts = json.answers.flatMap((r) => [r.answers.choix?.other, r.answers.rue?.text, r.answers.idees?.text]);
  for (const text of [RESIDENT.fr.other, RESIDENT.fr.short, RESIDENT.fr.long]) {
    assert.ok(texts.includes(text), `JSON export: ${JSON.stringify(text)} not kept as typed`);
  }
  // No payload starts with a formula character, so the CSV holds each one unchanged too
  // (the `'` neutralising formulas is tested in crates/server/tests/api/export.rs).
  const rows = parseCsv(await (await get(`api/v1/org/polls/${id}/export.csv`)).text());
  const cells = rows.flat();
  assert.ok(cells.includes(`Choix ${ALL}`), 'CSV header: the prompt as written');
  for (const text of [RESIDENT.fr.other, RESIDENT.fr.short, RESIDENT.fr.long]) {
    assert.ok(cells.includes(text), `CSV export: ${JSON.stringify(text)} not a cell as typed`);
  }
});

test('a closed consultation shows its title as text on the standalone page', async () => {
  await server.closePoll(id);
  for (const [lang, title] of [['fr', `Titre ${FIRST}`], ['en', `Title ${SECOND}`]]) {
    const { context, page, errors } = await watchedPage();
    await page.goto(`${server.base}p/${id}?lang=${lang}`);
    await page.getByTestId('state-closed').waitFor();
    await assertShownAsText(page.getByTestId('concerto-widget'), [['title', title]], `closed (${lang})`);
    const { found, roots } = await injected(page, 'widget');
    assert.equal(roots, 1);
    assert.deepEqual(found, [], `closed (${lang}): elements from a payload`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});
