// Debrief's service worker: keeps a copy of the app's own files so Debrief opens with no
// network after the first visit. It never sees postmortems (they live in localStorage) and
// never talks to any other site.
//
// - install: stores every file of this build (the list and the version are written in by
//   scripts/post-build.sh) in a cache named after the version.
// - activate: deletes the caches of earlier versions and takes control of open pages.
// - fetch: answers from the cache first; a page load anywhere in the app gets index.html,
//   as the static host's 404.html fallback would. Anything else goes to the network.
// - a new version waits until the page asks it to take over ("skip-waiting"), which the
//   app does when the person chooses to reload; so a page never mixes two versions.
//
// Everything is relative to this file's location, so a copy served under a sub-path
// (such as /debrief/) works the same.
const VERSION = "__DEBRIEF_VERSION__";
const FILES = ["__DEBRIEF_FILES__"];
const CACHE = "debrief-" + VERSION;
const INDEX = new URL("index.html", self.registration.scope).href;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      // "reload" skips the HTTP cache so a new version never stores an old file.
      cache.addAll(FILES.map((file) => new Request(new URL(file, self.registration.scope), { cache: "reload" })))
    )
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("debrief-") && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(self.registration.scope)) return;
  const lookup = request.mode === "navigate" ? INDEX : request;
  event.respondWith(
    caches.open(CACHE).then((cache) =>
      cache.match(lookup, { ignoreSearch: request.mode === "navigate" }).then((hit) => hit || fetch(request))
    )
  );
});
