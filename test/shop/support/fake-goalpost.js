// Stands in for dist/goalpost.iife.js in the shop's own tests, so the shop can
// be checked before (and apart from) the SDK: it takes over window.goalpost
// like the real script, runs the stub's queue, and beacons every call to
// /collect as { fake: true, page, call } for the test server to record.
(function () {
  'use strict';
  var queued = (window.goalpost && window.goalpost.q) || [];
  function send(args) {
    var body = JSON.stringify({ fake: true, page: location.pathname + location.search, call: Array.prototype.slice.call(args) });
    navigator.sendBeacon('/collect', body);
  }
  function goalpost() {
    send(arguments);
  }
  goalpost.fake = true;
  window.goalpost = goalpost;
  send(['pageview']);
  queued.forEach(send);
  document.addEventListener('click', function (event) {
    var el = event.target instanceof Element ? event.target.closest('[data-goalpost-event]') : null;
    if (!el) return;
    send(['track', el.getAttribute('data-goalpost-event'), {
      category: el.getAttribute('data-goalpost-category') || undefined,
      label: el.getAttribute('data-goalpost-label') || undefined,
      value: el.hasAttribute('data-goalpost-value') ? Number(el.getAttribute('data-goalpost-value')) : undefined,
    }]);
  }, true);
  document.addEventListener('submit', function (event) {
    if (event.target instanceof Element && event.target.matches('form.newsletter')) send(['submit', 'form.newsletter']);
  }, true);
})();
