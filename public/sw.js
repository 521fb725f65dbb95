// Debrief's service worker: keeps a copy of the app's own files so Debrief opens with no
// network after the first visit. It never sees postmortems (they live in localStorage) and
// never talks to any other site.
//
// - install: stores every file of this build (the list and the version are written in by
//   scripts/post-build.sh) in a cache named after this copy's location and the version.
// - activate: deletes this copy's caches of earlier versions (not those of other copies
//   served from the same origin) and takes control of open pages.
// - fetch: a page load goes to the network first, so other pages on the same origin stay
//   theirs; with no network, an address inside the app gets the cached index.html, as the
//   static host's 404.html fallback would. The app's files come from the cache first.
// - a new version waits until the page asks it to take over ("skip-waiting"), which the
//   app does when the person chooses to reload.
//
// Everything is relative to this file's location, so a copy served under a sub-path
// (such as /debrief/) works the same.
const VERSION = "__DEBRIEF_VERSION__";
const FILES = ["__DEBRIEF_FILES__"];
const SCOPE = self.registration.scope;
const PREFIX = "debrief " + new URL(SCOPE).pathname + " ";
const CACHE = PREFIX + VERSION;
const INDEX = new URL("index.html", SCOPE).href;

// A response the browser may hand to a page load: one that followed a redirect (hosts that
// send /index.html to /) would be refused, so it is stored as a plain copy.
async function storable(response) {
  if (!response.redirected) return response;
  return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers: response.headers });
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      Promise.all(
        FILES.map(async (file) => {
          const url = new URL(file, SCOPE).href;
          // "reload" skips the HTTP cache so a new version never stores an old file.
          const response = await fetch(url, { cache: "reload" });
          if (!response.ok) throw new Error("could not fetch " + url + ": " + response.status);
          await cache.put(url, await storable(response));
        })
      )
    )
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

// An address the app routes (no file extension in its last part), such as /postmortems/<id>.
function isAppRoute(url) {
  const last = new URL(url).pathname.split("/").pop();
  return !last.includes(".");
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(SCOPE)) return;
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request).catch(() =>
        caches.open(CACHE).then((cache) =>
          cache.match(isAppRoute(request.url) ? INDEX : request, { ignoreSearch: true }).then((hit) => hit || Response.error())
        )
      )
    );
    return;
  }
  event.respondWith(caches.open(CACHE).then((cache) => cache.match(request).then((hit) => hit || fetch(request))));
});
