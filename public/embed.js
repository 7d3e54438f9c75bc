/*!
 * Concerto embed loader. Paste on your page:
 *   <script src="https://SERVER/embed.js" async></script>
 *   <div data-concerto-poll="POLL_ID"></div>
 * It loads the widget once from the same server, then mounts one widget per placeholder.
 * Pages that add placeholders later call window.Concerto.mountAll().
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
  var MARK = 'data-concerto-mounted';
  var FAILED = {
    fr: 'La consultation n’a pas pu être chargée.',
    en: 'The consultation could not be loaded.'
  };
  var widget = null;

  function language(el) {
    var tag = el.getAttribute('lang') || document.documentElement.lang || navigator.language || '';
    return /^en\b/i.test(tag.trim()) ? 'en' : 'fr';
  }

  function fail(el, error) {
    console.error('[Concerto] could not mount the consultation "' + el.getAttribute('data-concerto-poll') + '":', error);
    el.setAttribute(MARK, 'error');
    if (!el.shadowRoot) {
      el.textContent = FAILED[language(el)];
    }
  }

  // Loads and initialises the wasm bundle once; every caller shares the same promise.
  function load() {
    if (!widget) {
      widget = import(base + 'widget/concerto-widget.js').then(function (module) {
        return module.default({ module_or_path: base + 'widget/concerto-widget_bg.wasm' }).then(function () {
          return module;
        });
      });
    }
    return widget;
  }

  function mountAll() {
    var pending = [];
    var nodes = document.querySelectorAll(SELECTOR);
    for (var i = 0; i < nodes.length; i++) {
      var mark = nodes[i].getAttribute(MARK);
      // New placeholders, and those whose bundle failed to load (never mounted).
      if (mark === null || (mark === 'error' && !nodes[i].shadowRoot)) {
        nodes[i].setAttribute(MARK, 'pending');
        pending.push(nodes[i]);
      }
    }
    if (pending.length === 0) {
      return Promise.resolve();
    }
    return load().then(
      function (module) {
        pending.forEach(function (el) {
          try {
            module.mount(el, el.getAttribute('data-concerto-poll') || '', base);
            el.setAttribute(MARK, 'true');
          } catch (error) {
            fail(el, error);
          }
        });
      },
      function (error) {
        // A later mountAll() tries loading again.
        widget = null;
        pending.forEach(function (el) {
          fail(el, error);
        });
      }
    );
  }

  window.Concerto = window.Concerto || {};
  window.Concerto.mountAll = mountAll;
  mountAll();
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', mountAll);
  }
})();
