/* Podium's service worker: keeps the judges' pages and their scripts available when the
 * network drops, so a tablet can reload the marking form offline. It only ever answers
 * GET requests (network first, the cached copy when offline); marks are never sent or
 * held here — the page's outbox (static/js/mark-queue.js, IndexedDB) does that. */
"use strict";
var CACHE = "podium-shell-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (!(url.pathname.startsWith("/judge/") || url.pathname.startsWith("/static/"))) return;
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(request).then(function (cached) {
        // A service worker has no page and no catalogue: the fallback says it in both languages.
        return cached || new Response("Offline, and this page was not opened before on this tablet.\n" +
          "离线：此平板电脑之前未打开过此页面。", {
          status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" }
        });
      });
    })
  );
});
