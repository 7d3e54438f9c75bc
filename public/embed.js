/*! Concerto embed loader: <script src="https://SERVER/embed.js" async></script><div data-concerto-poll="POLL_ID"></div> */
/*
 * Concerto embed loader. Paste on your page:
 *   <link rel="preload" href="https://SERVER/api/v1/polls/POLL_ID/view?lang=fr" as="fetch" crossorigin>
 *   <link rel="preload" href="https://SERVER/widget/concerto-widget_bg.wasm" as="fetch" crossorigin fetchpriority="low">
 *   <script src="https://SERVER/embed.js" async></script>
 *   <div data-concerto-poll="POLL_ID"></div>
 * The first two lines are optional: they fetch the first view (lang=en on an English page) and
 * the widget's wasm while this file downloads; without them, both wait for this file.
 * For each placeholder it shows the consultation's first view (HTML from the server) as soon
 * as it arrives, while the widget's wasm downloads at the same time; the widget then takes
 * that view over, keeping what the resident already chose or typed. Pages that add
 * placeholders later call window.Concerto.mountAll().
 * A partner's snippet adds its key, and answers then count for it (a malformed key is reported
 * on the console and left out): <div data-concerto-poll="POLL_ID" data-concerto-partner="KEY">
 * Its QR codes link to SERVER/p/POLL_ID?partner=KEY&via=qr.
 * A consultation's public results: <div data-concerto-results="POLL_ID"></div>, drawn by the
 * server (no wasm) in the element's lang or data-lang, else the page's.
 */
(function () {
  'use strict';
  // Pasted twice on one page: the first copy does the work.
  if (window.Concerto && typeof window.Concerto.mountAll === 'function') {
    window.Concerto.mountAll();
    return;
  }
  var script = document.currentScript;
  if (!script || !script.src) {
    console.error('[Concerto] embed.js must be loaded with a <script src="…/embed.js"> tag.');
    return;
  }
  // The server's root: embed.js is served at {server}/embed.js.
  var base = new URL('.', script.src).href;
  var SELECTOR = '[data-concerto-poll]';
  var RESULTS = 'data-concerto-results';
  var MARK = 'data-concerto-mounted';
  // Set on the element holding a first view (by this loader, or by the standalone page).
  var VIEW = 'data-concerto-view';
  // Set on a first view whose send button was pressed before the widget was ready.
  var SUBMIT = 'data-concerto-submit';
  var FAILED = {
    fr: 'La consultation n’a pas pu être chargée.',
    en: 'The consultation could not be loaded.'
  };
  // A results placeholder's message: results not public (403), or not loaded.
  var NO_RESULTS = {
    fr: ['Les résultats de cette consultation ne sont pas publics.', 'Les résultats n’ont pas pu être chargés.'],
    en: ['The results of this consultation are not public.', 'The results could not be loaded.']
  };
  var widget = null;
  var sheet = null;

  // The placeholder's language, else the page's, else the browser's: the first one given
  // decides, French unless it says English (the widget chooses the same way).
  // Results placeholders may also say it with data-lang.
  function language(el) {
    var tags = [el.getAttribute('lang'), document.documentElement.getAttribute('lang'), navigator.language];
    if (el.hasAttribute(RESULTS)) tags.unshift(el.getAttribute('data-lang'));
    for (var i = 0; i < tags.length; i++) {
      var tag = (tags[i] || '').trim();
      if (tag) {
        return /^en\b/i.test(tag) ? 'en' : 'fr';
      }
    }
    return 'fr';
  }

  // `credentials` is 'omit' but for what the snippet may preload (the first view, the wasm):
  // 'same-origin' there, the mode of a `crossorigin` preload, which the browser hands over only
  // to a request of the same mode. Cross-origin (a partner's site) it sends no cookie either.
  function get(path, priority, credentials) {
    return fetch(base + path, { credentials: credentials || 'omit', priority: priority });
  }

  // The glue and the wasm, loaded once and fetched at the same time (the glue would only ask
  // for the wasm once it has run); every caller shares the same promise.
  function load() {
    if (!widget) {
      var wasm = get('widget/concerto-widget_bg.wasm', 'low', 'same-origin');
      widget = import(base + 'widget/concerto-widget.js').then(function (module) {
        return module.default({ module_or_path: wasm }).then(function () {
          return module;
        });
      });
    }
    return widget;
  }

  // The widget's stylesheet as a constructable stylesheet, adopted by each shadow root: a host
  // page's CSP without 'unsafe-inline' allows it. Null where adopting is not supported (the
  // widget then links the file).
  function styles() {
    if (!sheet) {
      sheet = get('widget/widget.css', 'high')
        .then(function (res) {
          if (!res.ok) throw new Error('stylesheet: ' + res.status);
          return res.text();
        })
        .then(sheetOf);
      sheet.catch(function () {
        sheet = null;
      });
    }
    return sheet;
  }

  // Whether this device answered the consultation, or keeps an answer for it not sent yet
  // (the widget's own records): the widget then shows the thanks or the waiting answer, so a
  // first view of the empty form would only flash.
  function remembered(id) {
    try {
      var server = base + '#' + id;
      return localStorage.getItem('concerto:v1:answered:' + server) !== null ||
        (localStorage.getItem('concerto:v1:outbox:' + server) || '[]') !== '[]';
    } catch (error) {
      return false;
    }
  }

  function adopt(root) {
    return styles().then(
      function (s) {
        if (s) root.adoptedStyleSheets = [s];
      },
      function () {}
    );
  }

  // A stylesheet from its text, adoptable by shadow roots; null where that is not supported.
  function sheetOf(css) {
    if (!('adoptedStyleSheets' in document)) return null;
    var s = new CSSStyleSheet();
    s.replaceSync(css);
    return s;
  }

  // Fetches the first view and puts it in `root`, styled, unless the widget got there first.
  // The view carries the stylesheet as inert text (so that one response, which the snippet's
  // preload may already have brought, is all the first paint waits for); the file is fetched
  // only when it does not. Never rejects: without a first view the widget loads the
  // consultation itself.
  function showFirstView(el, root) {
    var id = el.getAttribute('data-concerto-poll') || '';
    return get('api/v1/polls/' + encodeURIComponent(id.trim()) + '/view?lang=' + language(el), 'high', 'same-origin')
      .then(function (res) {
        return res.ok ? res.text() : null;
      })
      .then(null, function () {
        return null;
      })
      .then(function (html) {
        // A view that fails is no view: the stylesheet is adopted all the same.
        if (html === null) return adopt(root);
        var container = document.createElement('div');
        container.className = 'cc-root';
        container.setAttribute(VIEW, '');
        try {
          // The server's markup, rendered from the widget's components with every text escaped.
          container.innerHTML = html;
        } catch (error) {
          // A page that enforces Trusted Types: the widget renders the form itself.
          return adopt(root);
        }
        var own = container.querySelector('script[data-concerto-style]');
        var style;
        if (own) {
          own.remove();
          try {
            style = Promise.resolve(sheetOf(own.textContent));
          } catch (error) {
            style = styles();
          }
        } else {
          style = styles();
        }
        return style.then(null, function () {
          return null;
        }).then(function (s) {
          if (s) root.adoptedStyleSheets = [s];
          if (el.getAttribute(MARK) === 'true' || root.querySelector('[' + VIEW + ']')) return;
          root.appendChild(container);
        });
      });
  }

  // Until the widget has taken the first view over, a press of its send button is kept: the
  // button says it is sending, and the widget sends as soon as it is ready.
  function holdSubmit(el, root) {
    if (root.__concertoHeld) return;
    root.__concertoHeld = true;
    root.addEventListener('submit', function (event) {
      if (el.getAttribute(MARK) === 'true') return;
      event.preventDefault();
      var view = root.querySelector('[' + VIEW + ']');
      if (!view) return;
      view.setAttribute(SUBMIT, '');
      var button = view.querySelector('button[type="submit"]');
      if (button && button.getAttribute('data-sending')) {
        button.setAttribute('aria-disabled', 'true');
        button.textContent = button.getAttribute('data-sending');
        var status = view.querySelector('[role="status"]');
        if (status) status.textContent = button.getAttribute('data-sending');
      }
    });
  }

  // The widget could not be loaded. A send that was waiting goes as a plain form post where
  // the form has one (the standalone page), else the resident is told.
  function fail(el, error) {
    console.error('[Concerto] could not mount the consultation "' + el.getAttribute('data-concerto-poll') + '":', error);
    el.setAttribute(MARK, 'error');
    var root = el.shadowRoot;
    if (!root) {
      el.textContent = FAILED[language(el)];
      return;
    }
    var view = root.querySelector('[' + VIEW + ']');
    var form = view && view.querySelector('form');
    if (form && view.hasAttribute(SUBMIT) && form.getAttribute('action')) {
      form.submit();
      return;
    }
    if (view && form) {
      // The form stays usable; a send waits for the next try (mountAll, or a reload).
      view.removeAttribute(SUBMIT);
      var status = view.querySelector('[role="status"]');
      if (status) status.textContent = FAILED[language(el)];
      return;
    }
    if (!root.querySelector('[data-concerto-failed]')) {
      var note = document.createElement('p');
      note.setAttribute('data-concerto-failed', '');
      note.setAttribute('role', 'alert');
      note.textContent = FAILED[language(el)];
      root.appendChild(note);
    }
  }

  function mountOne(el, module) {
    var root = el.shadowRoot;
    var ready;
    if (root && root.querySelector('[' + VIEW + ']')) {
      // The standalone page declared its shadow root with the first view inside.
      ready = Promise.resolve();
    } else {
      if (!root) {
        try {
          root = el.attachShadow({ mode: 'open' });
        } catch (error) {
          fail(el, error);
          return Promise.resolve();
        }
      }
      var note = root.querySelector('[data-concerto-failed]');
      if (note) note.remove();
      ready = remembered((el.getAttribute('data-concerto-poll') || '').trim()) ? adopt(root) : showFirstView(el, root);
    }
    holdSubmit(el, root);
    return Promise.all([module, ready]).then(
      function (got) {
        try {
          got[0].mount(el, el.getAttribute('data-concerto-poll') || '', base);
          el.setAttribute(MARK, 'true');
        } catch (error) {
          fail(el, error);
        }
      },
      function (error) {
        // A later mountAll() tries loading again.
        widget = null;
        return ready.then(function () {
          fail(el, error);
        });
      }
    );
  }

  // A results placeholder: the server's HTML (every text in it escaped) in a shadow root with
  // the widget's stylesheet; each bar's length from its data-percent, through the CSSOM,
  // which a strict CSP allows where it refuses style attributes.
  function showResults(el) {
    var lang = language(el);
    var root = el.shadowRoot;
    var id = (el.getAttribute(RESULTS) || '').trim();
    try {
      root = root || el.attachShadow({ mode: 'open' });
    } catch (error) {
      el.setAttribute(MARK, 'error');
      el.textContent = NO_RESULTS[lang][1];
      return Promise.resolve();
    }
    var html = get('api/v1/polls/' + encodeURIComponent(id) + '/results/view?layout=page&lang=' + lang, 'high')
      .then(function (res) {
        if (!res.ok) throw res.status;
        return res.text();
      });
    return Promise.all([html, adopt(root)])
      .then(function (got) {
        var container = document.createElement('div');
        container.className = 'cc-root';
        container.innerHTML = got[0];
        var bars = container.querySelectorAll('[data-percent]');
        for (var i = 0; i < bars.length; i++) {
          var percent = bars[i].getAttribute('data-percent');
          if (/^\d{1,3}$/.test(percent)) bars[i].style.width = Math.min(+percent, 100) + '%';
        }
        root.replaceChildren(container);
        el.setAttribute(MARK, 'true');
      })
      .then(null, function (status) {
        el.setAttribute(MARK, 'error');
        var note = document.createElement('p');
        note.setAttribute('data-concerto-failed', '');
        note.textContent = NO_RESULTS[lang][status === 403 ? 0 : 1];
        root.replaceChildren(note);
      });
  }

  function mountAll() {
    var pending = [];
    var results = [];
    var boards = document.querySelectorAll('[' + RESULTS + ']');
    for (var j = 0; j < boards.length; j++) {
      var state = boards[j].getAttribute(MARK);
      if (state === null || state === 'error') {
        boards[j].setAttribute(MARK, 'pending');
        results.push(showResults(boards[j]));
      }
    }
    var nodes = document.querySelectorAll(SELECTOR);
    for (var i = 0; i < nodes.length; i++) {
      var mark = nodes[i].getAttribute(MARK);
      // New placeholders, and those whose bundle failed to load (never mounted).
      if (mark === null || mark === 'error') {
        nodes[i].setAttribute(MARK, 'pending');
        pending.push(nodes[i]);
      }
    }
    if (pending.length === 0) {
      return Promise.all(results);
    }
    var module = load();
    return Promise.all(
      pending
        .map(function (el) {
          return mountOne(el, module);
        })
        .concat(results)
    );
  }

  window.Concerto = window.Concerto || {};
  window.Concerto.mountAll = mountAll;
  mountAll();
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', mountAll);
  }
})();
