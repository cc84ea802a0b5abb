/* Offline reading: the site's service worker. The build writes it to site/sw.js with
 * FILES and VERSION filled in (macros/outputs/offline.py); assets/javascripts/offline.js
 * registers it once the page has loaded.
 *
 * Hand-written rather than Workbox: Workbox would add a Node build step and its npm
 * packages, and its runtime would still have to be copied into the site (its CDN
 * loader is out: the site makes no third-party request), for what is a hundred lines.
 *
 *  install   every file of FILES into a new cache named after VERSION, a hash of the
 *            list (any changed file makes a new worker, which the browser notices on the
 *            next online visit). A file whose revision an older cache of this site holds
 *            is copied from it; the others are fetched, and their SHA-256 must match the
 *            list (a CDN still serving the previous deploy fails the install; the browser
 *            tries again on the next visit, and the old version goes on working).
 *  activate  this site's older caches are deleted; open pages are taken over.
 *  fetch     a GET of a listed file is answered from the cache (the network if the
 *            cache lost it); every other request goes to the network untouched.
 */
"use strict";

const VERSION = "__VERSION__";
// [URL relative to this file, first hex digits of the file's SHA-256], one per file
const FILES = __FILES__;

const SCOPE = self.registration.scope;
// Cache names are per origin: other sites under the same host (other paths) keep theirs.
const PREFIX = "handbook " + SCOPE + " ";
const CACHE = PREFIX + VERSION;
// Each complete cache holds its own list (URL → revision), written last.
const MANIFEST = new URL("__precache__", SCOPE).href;
const REVISION = new Map(FILES.map(([path, rev]) => [new URL(path, self.location).href, rev]));

async function hex(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

// URL → an older cache holding that URL at the revision this version lists.
async function olderCopies() {
  const found = new Map();
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    const cache = await caches.open(name);
    const manifest = await cache.match(MANIFEST);
    if (!manifest) continue; // an install that did not finish
    for (const [url, rev] of Object.entries(await manifest.json())) {
      if (REVISION.get(url) === rev) found.set(url, cache);
    }
  }
  return found;
}

async function download(url, rev) {
  // "no-cache" revalidates the HTTP cache's copy; "reload" bypasses it, in case it lied.
  for (const mode of ["no-cache", "reload"]) {
    const response = await fetch(url, { cache: mode, credentials: "same-origin" });
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    const body = await response.arrayBuffer();
    if ((await hex(body)).startsWith(rev)) {
      // A new response: never marked as redirected (a navigation refuses that), and
      // without Content-Encoding (the body is already decoded).
      const type = response.headers.get("Content-Type");
      return new Response(body, { headers: type ? { "Content-Type": type } : {} });
    }
  }
  throw new Error(`${url}: not the file of version ${VERSION}`);
}

// At most `limit` files at a time: the first visit's page keeps some of the connection.
async function each(items, limit, work) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        const older = await olderCopies();
        await each([...REVISION], 4, async ([url, rev]) => {
          const held = older.has(url) ? await older.get(url).match(url) : undefined;
          await cache.put(url, held || (await download(url, rev)));
        });
        await cache.put(MANIFEST, new Response(JSON.stringify(Object.fromEntries(REVISION))));
      } catch (error) {
        await caches.delete(CACHE);
        throw error;
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

// The listed URL a request asks for (query and fragment ignored; `x/index.html` is `x/`).
function listed(requestUrl) {
  const url = new URL(requestUrl);
  url.search = "";
  url.hash = "";
  if (REVISION.has(url.href)) return url.href;
  const dir = url.href.replace(/\/index\.html$/, "/");
  return REVISION.has(dir) ? dir : null;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = listed(request.url);
  if (!url) return;
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(url))
      .then((hit) => hit || fetch(request)),
  );
});
