/* The tablet's outbox of marks, kept in IndexedDB so that nothing entered is lost.
 *
 * Every mark is written here first, then sent to POST /api/v1/marks in the order it was
 * entered. An entry leaves the outbox only when the server has answered for it: recorded
 * (2xx, including a replay of its idempotency key) or refused for good (validation,
 * permission, stale version). Network failures, a closed marking window (423), an expired
 * sign-in or CSRF token keep it waiting, and the next flush tries again.
 *
 * Two entries for the same aspect: the later one is based on the version the earlier one
 * creates ("chained"), so an offline correction is not mistaken for a stale write.
 *
 * Entries belong to the person who entered them (<meta name="podium-user">, from
 * templates/judge/_layout.html): a tablet shared by several judges shows and sends only the
 * signed-in judge's entries; another judge's stay until that judge signs in here again.
 * What the server recorded is remembered per aspect ("recorded"), so that a page copy older
 * than a mark (the service worker's offline copy) can still show the mark as saved.
 */
(function (global) {
  "use strict";

  if (global.MarkQueue) return;  // loaded by the judge layout and again by the marking form
  var DB_NAME = "podium-marks";
  var STORE = "outbox";
  var RECORDED = "recorded";
  var dbPromise = null;
  var ownerMeta = document.querySelector("meta[name=podium-user]");
  var OWNER = ownerMeta ? ownerMeta.content : "";

  function openDb() {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 2);
      request.onupgradeneeded = function (event) {
        if (event.oldVersion < 1) request.result.createObjectStore(STORE, { keyPath: "seq", autoIncrement: true });
        if (event.oldVersion < 2) request.result.createObjectStore(RECORDED, { keyPath: "id" });
      };
      request.onsuccess = function () {
        request.result.onversionchange = function () { request.result.close(); dbPromise = null; };  // a newer page upgrades it
        resolve(request.result);
      };
      request.onerror = function () { reject(request.error); };
    });
    return dbPromise;
  }

  function tx(mode, work, storeName) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(storeName || STORE, mode);
        var result;
        t.oncomplete = function () { resolve(result); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
        result = work(t.objectStore(storeName || STORE));
      });
    });
  }

  function everything(storeName) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var request = db.transaction(storeName || STORE, "readonly").objectStore(storeName || STORE).getAll();
        request.onsuccess = function () { resolve(request.result || []); };
        request.onerror = function () { reject(request.error); };
      });
    });
  }

  // An entry made before entries named their person counts as anyone's (as it did then).
  function isMine(entry) { return !entry.owner || !OWNER || entry.owner === OWNER; }

  /* The signed-in judge's waiting entries. */
  function all() { return everything().then(function (entries) { return entries.filter(isMine); }); }

  function recordedId(competitorId, aspect) { return OWNER + "|" + competitorId + "|" + aspect; }

  /* The server recorded ``value`` at ``version`` for an aspect: kept for older page copies. */
  function remember(entry, body) {
    var value = body.value === null || body.value === undefined ? "" : String(body.value);
    return tx("readwrite", function (store) {
      store.put({ id: recordedId(entry.competitor_id, entry.aspect), owner: OWNER, competitor_id: entry.competitor_id,
        aspect: entry.aspect, value: value, version: body.version, at: new Date().toISOString() });
    }, RECORDED);
  }

  /* What this tablet knows about one competitor beyond a page's copy: {recorded: {aspect:
   * {value, version}}, queued: [entries, oldest first]} — the signed-in judge's only. */
  function kept(competitorId) {
    return Promise.all([everything(RECORDED), all()]).then(function (found) {
      var recorded = {};
      found[0].forEach(function (r) { if (r.owner === OWNER && r.competitor_id === competitorId) recorded[r.aspect] = r; });
      var queued = found[1].filter(function (e) { return e.competitor_id === competitorId; });
      queued.sort(function (a, b) { return a.seq - b.seq; });
      return { recorded: recorded, queued: queued };
    });
  }

  /* At sign-out: what the server recorded for this judge is not for the next person's eyes. */
  function forgetRecorded() {
    return everything(RECORDED).then(function (rows) {
      return tx("readwrite", function (store) {
        rows.forEach(function (r) { if (r.owner === OWNER) store.delete(r.id); });
      }, RECORDED);
    });
  }

  function uuid() {
    if (global.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40; bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  /* Add a mark; resolves to the stored entry. */
  function enqueue(mark) {
    return all().then(function (entries) {
      var chained = entries.some(function (e) { return e.competitor_id === mark.competitor_id && e.aspect === mark.aspect; });
      var entry = {
        key: uuid(), owner: OWNER, competitor_id: mark.competitor_id, competitor: mark.competitor || "", aspect: mark.aspect,
        value: String(mark.value), base_version: chained ? null : mark.base_version, chained: chained,
        created: new Date().toISOString(), url: mark.url
      };
      return tx("readwrite", function (store) { store.add(entry); }).then(function () { return entry; });
    });
  }

  function remove(seq) { return tx("readwrite", function (store) { store.delete(seq); }); }

  function put(entry) { return tx("readwrite", function (store) { store.put(entry); }); }

  /* After an entry for an aspect is recorded, the next one for that aspect builds on it. */
  function advance(entries, done, version) {
    var next = entries.filter(function (e) {
      return e.seq > done.seq && e.chained && e.competitor_id === done.competitor_id && e.aspect === done.aspect;
    })[0];
    if (!next) return Promise.resolve();
    next.chained = false;
    next.base_version = version;
    return put(next);
  }

  /* What a refusal from the marks API means, in the page's language: the API answers in
   * English with a stable code, so the codes a judge meets are said here; any other refusal
   * shows the server's own words. */
  function describe(error) {
    if (!error) return "";
    switch (error.code) {
      case "marking_closed": return gettext("marking is closed for this aspect; the mark stays waiting to send");
      case "locked": return gettext("this competitor is signed off and locked; only the chief expert can unlock it");
      case "conflict_of_interest": return gettext("conflict of interest: other judges mark this competitor");
      case "not_assigned": return gettext("you are not assigned to judge this skill");
      case "unauthenticated": return gettext("signed out: sign in again in this browser, the marks stay waiting to send");
      case "csrf": return gettext("the page has expired: reload it, the marks stay waiting to send");
      case "invalid_value": return gettext("this entry is not one the aspect takes");
      case "unavailable": return gettext("the server is busy; the marks stay waiting to send");
      default: return error.message || "";
    }
  }

  var flushing = false;

  /* Send waiting entries in order. ``send(entry)`` returns a Promise of
   * {ok, status, body} or rejects on a network failure. ``onResult(entry, result)`` is told
   * about every answer. Resolves to {sent, left, blocked} where blocked is the reason
   * flushing stopped (or null). */
  function flush(send, onResult) {
    if (flushing) return Promise.resolve({ busy: true });
    flushing = true;
    var sent = 0;
    function step() {
      return all().then(function (entries) {
        entries.sort(function (a, b) { return a.seq - b.seq; });
        var entry = entries[0];
        if (!entry) return { sent: sent, left: 0, blocked: null };
        return send(entry).then(function (result) {
          onResult(entry, result);
          if (result.ok) {
            sent += 1;
            return remove(entry.seq).then(function () { return advance(entries, entry, result.body.version); })
              .then(function () { return remember(entry, result.body).catch(function () { /* only a display aid */ }); }).then(step);
          }
          var error = (result.body && result.body.error) || {};
          if (error.retry || result.status >= 500 || result.status === 429) {
            return { sent: sent, left: entries.length,
              blocked: describe(error) || gettext("the server answered %(status)s", { status: result.status }) };
          }
          // Refused for good: the page shows why; the entry must not block the others. A later
          // entry for the same aspect keeps this one's base, so a stale chain stays stale (the
          // judge sees the current value instead of overwriting it unseen).
          return advance(entries, entry, entry.base_version).then(function () { return remove(entry.seq); }).then(step);
        }, function () {
          return { sent: sent, left: entries.length, blocked: "offline" };
        });
      });
    }
    return step().then(function (r) { flushing = false; return r; }, function (e) { flushing = false; throw e; });
  }

  global.MarkQueue = { enqueue: enqueue, all: all, flush: flush, uuid: uuid, describe: describe, kept: kept,
    forgetRecorded: forgetRecorded, owner: OWNER };
})(window);
