/* Podium's service worker: keeps a judge's work available when the network drops.
 *
 * - Judge pages (/judge/…) and static files: network first; the copy kept here when the
 *   network fails. A page served from the copy carries <meta name="podium-offline-copy">
 *   with the time it was copied, which static/js/offline.js shows to the judge.
 * - After the first online visit the page asks for the judge's whole assigned work
 *   ({type: "precache", user}): the list at /judge/offline.json (competition/web/offline.py),
 *   every page of it fetched and kept, refreshed while online at most every REFRESH_MS.
 * - The copy belongs to one person. It is dropped when another person's page asks for a
 *   copy, when anyone signs in or out (the POST passes through here), and on {type: "forget"}.
 *   A tablet shared by several judges never shows one judge's pages to the next.
 * - Marks are never sent or held here: the page's outbox (static/js/mark-queue.js,
 *   IndexedDB) does that. Only GET requests are answered. */
"use strict";
var SHELL = "podium-shell-v2";  // scripts and styles: the same for everyone
var PAGES = "podium-judge-pages";  // one judge's pages, with a note of whose they are
var OWNER = "/__podium/owner";  // the note, kept in PAGES as a small JSON response
var REFRESH_MS = 10 * 60 * 1000;
var COPIED = "X-Podium-Copied";
var MISSING = "/judge/offline";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {  // the first version's cache held every person's pages
    return Promise.all(keys.filter(function (k) { return k !== SHELL && k !== PAGES; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function readOwner() {
  return caches.open(PAGES).then(function (cache) { return cache.match(OWNER); })
    .then(function (r) { return r ? r.json() : {}; }).catch(function () { return {}; });
}

function writeOwner(note) {
  return caches.open(PAGES).then(function (cache) {
    return cache.put(OWNER, new Response(JSON.stringify(note), { headers: { "Content-Type": "application/json" } }));
  });
}

var working = null;  // the precache under way, so that pages opened meanwhile do not start another

function forget() {
  working = null;
  return caches.delete(PAGES);
}

/* A copy of ``response`` that remembers when it was taken (and is no longer "redirected",
 * which a navigation may not be answered with). */
function stamped(response) {
  return response.blob().then(function (body) {
    var headers = new Headers(response.headers);
    headers.set(COPIED, new Date().toISOString());
    return new Response(body, { status: response.status, statusText: response.statusText, headers: headers });
  });
}

function isPage(url) { return url.pathname.startsWith("/judge/"); }

/* Only a page that stayed among the judge pages is kept: a signed-out request is sent to the
 * sign-in page, which must not be kept as the copy of a form. */
function keepable(response) {
  if (!response.ok || response.type !== "basic") return false;
  var url = new URL(response.url);
  return url.origin === self.location.origin && (isPage(url) || url.pathname.startsWith("/static/"));
}

function keep(cacheName, key, response) {
  return stamped(response).then(function (copy) {
    return caches.open(cacheName).then(function (cache) { return cache.put(key, copy); });
  });
}

function precache(user, force) {
  if (working && working.user === user) return working.done;
  var job = { user: user };
  job.done = readOwner().then(function (note) {
    var fresh = note.user === user && note.refreshed && Date.now() - note.refreshed < REFRESH_MS;
    if (fresh && !force) return note;
    var start = note.user === user ? Promise.resolve() : caches.delete(PAGES);
    return start.then(function () { return fetch("/judge/offline.json", { credentials: "same-origin", cache: "no-store" }); })
      .then(function (r) { if (!r.ok) throw new Error("manifest " + r.status); return r.json(); })
      .then(function (manifest) {
        if (String(manifest.user) !== String(user)) throw new Error("another person is signed in");
        var queue = manifest.assets.map(function (u) { return [SHELL, u]; })
          .concat(manifest.pages.map(function (u) { return [PAGES, u]; }));
        var count = 0;
        function worker() {
          var next = queue.shift();
          if (!next || working !== job) return Promise.resolve();
          return fetch(next[1], { credentials: "same-origin", cache: "no-store" }).then(function (response) {
            if (!keepable(response) || working !== job) return;
            count += next[0] === PAGES ? 1 : 0;
            return keep(next[0], next[1], response);
          }).catch(function () { /* this one stays as it was; the next refresh tries again */ }).then(worker);
        }
        return Promise.all([worker(), worker(), worker(), worker()]).then(function () {
          if (working !== job) throw new Error("superseded");
          var kept = { user: user, refreshed: Date.now(), pages: count, of: manifest.pages.length };
          return writeOwner(kept).then(function () { return dropUnlisted(manifest.pages); }).then(function () { return kept; });
        });
      });
  }).then(function (note) {
    if (working === job) working = null;
    return note;
  }, function (error) {
    if (working === job) working = null;
    throw error;
  });
  working = job;
  return job.done;
}

/* Pages no longer assigned (a competitor withdrawn, a conflict recorded) leave the copy. */
function dropUnlisted(pages) {
  var listed = {};
  pages.forEach(function (p) { listed[new URL(p, self.location.origin).href] = true; });
  listed[new URL(OWNER, self.location.origin).href] = true;
  return caches.open(PAGES).then(function (cache) {
    return cache.keys().then(function (requests) {
      return Promise.all(requests.filter(function (r) { return !listed[r.url]; }).map(function (r) { return cache.delete(r); }));
    });
  });
}

function tell(source, message) { if (source && source.postMessage) source.postMessage(message); }

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "forget") {
    event.waitUntil(forget().then(function () { tell(event.source, { type: "forgotten" }); }));
  } else if (data.type === "precache" && data.user) {
    event.waitUntil(precache(String(data.user), !!data.force).then(function (note) {
      tell(event.source, { type: "ready", refreshed: note.refreshed, pages: note.pages, of: note.of });
    }, function () {
      return readOwner().then(function (note) {
        if (note.user === String(data.user) && note.refreshed) {
          tell(event.source, { type: "ready", refreshed: note.refreshed, pages: note.pages, of: note.of });
        }
      });
    }));
  }
});

/* A copy of a kept page, marked with the time it was copied for the page's own script. */
function marked(cached) {
  var copied = cached.headers.get(COPIED) || "";
  if (!/text\/html/.test(cached.headers.get("Content-Type") || "")) return Promise.resolve(cached);
  return cached.text().then(function (html) {
    var meta = '<meta name="podium-offline-copy" content="' + copied.replace(/[^0-9TZ:.+-]/g, "") + '">';
    html = html.replace(/<head>/i, "<head>\n  " + meta);
    var headers = new Headers(cached.headers);
    headers.delete("Content-Length");
    return new Response(html, { status: 200, headers: headers });
  });
}

function fromCopy(request, url) {
  var name = isPage(url) ? PAGES : SHELL;
  return caches.open(name).then(function (cache) {
    return cache.match(request, { ignoreVary: true }).then(function (cached) {
      if (cached) return isPage(url) ? marked(cached) : cached;
      if (!isPage(url) || request.mode !== "navigate") return Response.error();
      return readOwner().then(function (note) {
        // The page that says so, in the judge's language and with the navigation, when the
        // judge's copy has it; else a plain page in both languages.
        var fallback = note.user ? cache.match(MISSING) : Promise.resolve(null);
        return fallback.then(function (page) {
          return page ? marked(page) : new Response(
            "Offline, and this page was not opened before on this tablet.\n离线：此平板电脑之前未打开过此页面。",
            { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
        });
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && (url.pathname === "/sign-out" || url.pathname === "/sign-in")) {
    // Whoever signs in or out, the copy of the last judge's pages goes: the next person on
    // this tablet must not see them. The request itself goes to the network as usual.
    event.waitUntil(forget());
    return;
  }
  if (request.method !== "GET") return;
  if (!(isPage(url) || url.pathname.startsWith("/static/"))) return;
  if (url.pathname === "/judge/offline.json") return;
  event.respondWith(
    fetch(request).then(function (response) {
      if (keepable(response)) {
        var name = isPage(url) ? PAGES : SHELL;
        var copy = response.clone();
        event.waitUntil(readOwner().then(function (note) {
          // A page is kept only for the judge whose copy this is (a page opened before the
          // first copy, or by someone else, waits for the precache).
          if (name === PAGES && !note.user) return;
          return keep(name, request, copy);
        }));
      }
      return response;
    }).catch(function () { return fromCopy(request, url); })
  );
});
