/*!
 * Concerto iframe page (/embed/{id}): tells the embedding page how tall the page is, whenever
 * that changes, so that embed-frame.js can size the iframe. The server names the embedding
 * page's origin in data-target-origin only when the consultation allows it; without it,
 * nothing is posted (never to '*').
 */
(function () {
  'use strict';
  var me = document.currentScript;
  // Through the CSSOM: the page's policy has no 'unsafe-inline'.
  document.body.style.margin = '0';
  var target = me && me.getAttribute('data-target-origin');
  if (!target || window.parent === window || typeof ResizeObserver !== 'function') return;
  var poll = me.getAttribute('data-poll');
  var last = -1;
  function post() {
    var height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: 'concerto:height', poll: poll, height: height }, target);
  }
  new ResizeObserver(post).observe(document.body);
  post();
})();
