/* Offline reading: register the site's service worker (site/sw.js, written by the
 * build from macros/sw.js) once the page has loaded, so that keeping the whole site
 * never competes with the first page. Its <script> tag (overrides/main.html) names the
 * worker in data-worker; under `mkdocs serve` it names none, and a worker that a built
 * copy of the site left on this address is removed (as is its cache, by the sw.js that
 * `mkdocs serve` writes), so that live reload shows the files being edited.
 */
(function () {
  "use strict";
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
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register);
})();
