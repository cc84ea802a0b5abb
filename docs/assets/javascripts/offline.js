/* Offline reading: register the site's service worker (site/sw.js, written by the
 * build from macros/outputs/sw.js). Its <script> tag (overrides/main.html) names the worker in
 * data-worker; under `mkdocs serve` it names none, and a worker that a built copy of
 * the site left on this address is removed (as is its cache, by the sw.js that
 * `mkdocs serve` writes), so that live reload shows the files being edited.
 *
 * The worker fetches the whole site once (about 0.8 MB gzipped), so it is registered
 * only when the page has loaded, a few seconds have passed and the browser is idle:
 * that download never competes with the page the reader opened, nor with their first
 * scroll or tap.
 */
(function () {
  "use strict";
  var DELAY_MS = 3000;
  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) return;
  var worker = script.getAttribute("data-worker");
  if (!worker) {
    navigator.serviceWorker.getRegistrations().then(function (registrations) {
      registrations.forEach(function (registration) { registration.unregister(); });
    });
    return;
  }
  var register = function () {
    // The worker lives at the site's root, so its scope is the whole site, on any sub-path.
    navigator.serviceWorker.register(new URL(worker, location.href).href).catch(function (error) {
      if (window.console) console.warn("offline reading unavailable:", error);
    });
  };
  var later = function () {
    setTimeout(function () {
      if (window.requestIdleCallback) window.requestIdleCallback(register, { timeout: 5000 });
      else register();
    }, DELAY_MS);
  };
  if (document.readyState === "complete") later();
  else window.addEventListener("load", later);
})();
