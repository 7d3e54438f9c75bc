/*!
 * Concerto iframe embed, for pages that cannot run the widget itself. Paste on your page:
 *   <script src="https://SERVER/embed-frame.js" async></script>
 *   <div data-concerto-frame="POLL_ID"></div>
 * A partner adds its key: <div data-concerto-frame="POLL_ID" data-concerto-partner="KEY"></div>
 * It puts the consultation's page (https://SERVER/embed/POLL_ID) in an iframe and keeps the
 * iframe as tall as its content. Only messages from the server's origin and from that very
 * iframe are listened to; the server only sends them to this page's origin, and only when it
 * is one of the consultation's allowed origins.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !script.src) {
    console.error('[Concerto] embed-frame.js must be loaded with a <script src="…/embed-frame.js"> tag.');
    return;
  }
  var base = new URL('.', script.src).href;
  var server = new URL(script.src).origin;
  var MARK = 'data-concerto-mounted';
  var TITLE = { fr: 'Consultation', en: 'Consultation' };

  function language(el) {
    var tag = el.getAttribute('lang') || document.documentElement.lang || navigator.language || '';
    return /^en\b/i.test(tag.trim()) ? 'en' : 'fr';
  }

  function mount(el) {
    var lang = language(el);
    var url = new URL('embed/' + encodeURIComponent(el.getAttribute('data-concerto-frame') || ''), base);
    url.searchParams.set('origin', location.origin);
    url.searchParams.set('lang', lang);
    // A partner's snippet: its answers count for it (the server keeps only keys it knows).
    var partner = (el.getAttribute('data-concerto-partner') || '').trim();
    if (partner) url.searchParams.set('partner', partner);
    var frame = document.createElement('iframe');
    frame.src = url.href;
    frame.title = el.getAttribute('data-title') || TITLE[lang];
    // Through the CSSOM: allowed by a Content-Security-Policy without 'unsafe-inline'.
    frame.style.display = 'block';
    frame.style.width = '100%';
    frame.style.height = '30rem';
    frame.style.border = '0';
    window.addEventListener('message', function (event) {
      if (event.origin !== server || event.source !== frame.contentWindow) return;
      var data = event.data;
      if (!data || data.type !== 'concerto:height' || typeof data.height !== 'number' || !isFinite(data.height)) return;
      frame.style.height = Math.max(0, Math.ceil(data.height)) + 'px';
    });
    el.appendChild(frame);
  }

  function mountAll() {
    var nodes = document.querySelectorAll('[data-concerto-frame]');
    for (var i = 0; i < nodes.length; i++) {
      if (!nodes[i].hasAttribute(MARK)) {
        nodes[i].setAttribute(MARK, 'true');
        mount(nodes[i]);
      }
    }
  }

  mountAll();
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', mountAll);
  }
})();
