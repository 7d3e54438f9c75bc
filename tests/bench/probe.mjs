// What runs inside each benchmarked page, from before its first script (Playwright's init
// script): it notes, with performance.now() (milliseconds since navigation start), when the
// first question becomes visible, when a click reaches the page, when the first option is
// actually checked, and when Concerto's wasm has taken over. Detection reacts to DOM
// mutations (also inside shadow roots), to input events and to every animation frame, so a
// mark is late by at most one frame.

/**
 * The init script. `kind` is `concerto`, `surveyjs` or `plain`. Marks are kept in
 * `window.__benchMarks` and reported to the `__benchMark` binding as they happen.
 */
export function probe(kind) {
  if (window.top !== window) return;
  const marks = {};
  window.__benchMarks = marks;
  const mark = (name, at = performance.now(), detail = null) => {
    if (name in marks) return;
    marks[name] = at;
    try {
      window.__benchMark?.(name, at, detail);
    } catch {
      // The binding only speeds the driver up; the marks stay readable.
    }
  };

  // The first question, per kind of page.
  const firstQuestion = () => {
    if (kind === 'concerto') {
      const root = document.querySelector('[data-concerto-poll]')?.shadowRoot;
      return root?.querySelector('[data-testid^="question-"]') ?? null;
    }
    if (kind === 'surveyjs') return document.querySelector('.sd-question');
    return document.querySelector('fieldset');
  };
  const visible = (el) => {
    if (!el?.isConnected || !el.textContent.trim()) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
  };
  window.__benchFirstRadio = () => firstQuestion()?.querySelector('input[type="radio"]') ?? null;

  // Where a finger would tap the first option: the middle of its label's first line box, if
  // it is inside the viewport (else the driver scrolls to it).
  const tapPoint = () => {
    const radio = window.__benchFirstRadio();
    const target = radio?.labels?.[0] ?? radio?.closest('label') ?? radio;
    const box = target?.getClientRects()[0];
    if (!box || box.bottom > innerHeight || box.top < 0) return null;
    return { x: box.left + Math.min(box.width / 2, 40), y: box.top + box.height / 2 };
  };

  let done = false;
  const check = () => {
    if (done) return;
    if (!('visible' in marks) && visible(firstQuestion())) mark('visible', performance.now(), tapPoint());
    if ('visible' in marks && !('checked' in marks) && window.__benchFirstRadio()?.checked) mark('checked');
    if (kind === 'concerto') {
      const mounted = document.querySelector('[data-concerto-poll]')?.getAttribute('data-concerto-mounted');
      if (mounted === 'true') mark('mounted');
      else if (mounted === 'error') mark('error');
    }
    done = 'visible' in marks && 'checked' in marks && (kind !== 'concerto' || 'mounted' in marks);
  };

  const observer = new MutationObserver(check);
  const options = { childList: true, subtree: true, attributes: true, characterData: true };
  observer.observe(document, options);
  // Concerto renders into a shadow root, which the document's observer does not see into.
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attachShadow.call(this, init);
    observer.observe(root, options);
    return root;
  };
  // A click checks a radio without any mutation: `input` is composed, so it reaches the
  // document from inside a shadow root.
  document.addEventListener('input', check, true);
  document.addEventListener('change', check, true);
  // When the click reached the page (the event's own time stamp: before any handler ran).
  window.addEventListener('pointerdown', (e) => mark('clicked', e.timeStamp), true);
  window.addEventListener('mousedown', (e) => mark('clicked', e.timeStamp), true);
  const frame = () => {
    check();
    if (!done) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}
