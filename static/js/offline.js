/* A judge's pages offline (loaded on every judge page by templates/judge/_layout.html).
 *
 * - Registers the service worker (static/js/sw.js) and asks it, once online, to keep a copy of
 *   the signed-in judge's whole assigned work; says quietly when the tablet is ready offline.
 * - A page that is the service worker's copy (<meta name="podium-offline-copy">) says so, with
 *   the time of the copy; a page that loses the network says so too. Marks entered meanwhile
 *   wait in the outbox (static/js/mark-queue.js) and marking.js shows them on the copy.
 * - Signing out: warns when this judge's marks are still waiting to send (they stay on the
 *   tablet, for this judge only), and drops the copy of the judge's pages and what the
 *   outbox remembered, so the next person on a shared tablet sees none of it. */
(function () {
  "use strict";
  var PAGES = "podium-judge-pages";  // as in sw.js
  var userMeta = document.querySelector("meta[name=podium-user]");
  var user = userMeta ? userMeta.content : "";
  var copyMeta = document.querySelector("meta[name=podium-offline-copy]");
  var copied = copyMeta && copyMeta.content ? new Date(copyMeta.content) : null;
  var loaded = new Date();
  var lang = document.documentElement.lang || "en";
  var main = document.querySelector("main");
  if (!main) return;

  function clock(date) {
    var time = date.toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit", hour12: false });
    var today = new Date();
    if (date.toDateString() === today.toDateString()) return time;
    return date.toLocaleDateString(lang, { month: "short", day: "numeric" }) + " " + time;
  }

  var banner = document.createElement("div");
  banner.id = "offline-banner";
  banner.className = "offline-banner";
  banner.setAttribute("role", "status");
  banner.hidden = true;
  var bannerText = document.createElement("span");
  bannerText.className = "offline-text";
  var reload = document.createElement("button");
  reload.type = "button";
  reload.className = "btn offline-reload";
  reload.textContent = gettext("Reload");
  reload.hidden = true;
  reload.addEventListener("click", function () { location.reload(); });
  banner.appendChild(bannerText);
  banner.appendChild(reload);
  main.insertBefore(banner, main.firstChild);

  function showBanner() {
    var offline = !navigator.onLine;
    if (copied && !offline) {
      bannerText.textContent = gettext("Back online. This page is a copy from %(time)s: reload it for the latest.", { time: clock(copied) });
      reload.hidden = false;
      banner.className = "offline-banner is-online";
      banner.hidden = false;
    } else if (copied || offline) {
      bannerText.textContent = gettext("Offline copy from %(time)s — marks you enter are queued", { time: clock(copied || loaded) });
      reload.hidden = true;
      banner.className = "offline-banner";
      banner.hidden = false;
    } else {
      banner.hidden = true;
    }
  }
  window.addEventListener("online", function () { showBanner(); askForCopy(); });
  window.addEventListener("offline", showBanner);
  showBanner();

  var ready = document.createElement("p");
  ready.id = "offline-ready";
  ready.className = "offline-ready";
  ready.hidden = true;
  main.appendChild(ready);

  function askForCopy() {
    if (!user || !navigator.serviceWorker || !navigator.onLine) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage({ type: "precache", user: user });
    });
  }

  if ("serviceWorker" in navigator && user) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      var data = event.data || {};
      if (data.type !== "ready" || !data.refreshed) return;
      ready.textContent = ngettext("Ready to mark offline: %(num)s page copied at %(time)s",
        "Ready to mark offline: %(num)s pages copied at %(time)s", data.pages, { time: clock(new Date(data.refreshed)) });
      ready.hidden = false;
    });
    navigator.serviceWorker.register("/sw.js").then(askForCopy).catch(function () { /* pages still work online */ });
  }

  /* The competitor list (perhaps a copy from before them) says which competitors have marks
   * waiting on this tablet. */
  if (window.MarkQueue && document.querySelector(".competitor-list")) {
    MarkQueue.all().then(function (entries) {
      var counts = {};
      entries.forEach(function (e) { counts[e.competitor] = (counts[e.competitor] || 0) + 1; });
      document.querySelectorAll("a.competitor-link").forEach(function (link) {
        var code = link.querySelector(".ccode"), status = link.querySelector(".status");
        var n = code && counts[code.textContent.trim()];
        if (!n || !status) return;
        var pill = document.createElement("span");
        pill.className = "pill pill-waiting";
        pill.textContent = ngettext("%(num)s mark waiting to send", "%(num)s marks waiting to send", n);
        status.insertBefore(pill, status.firstChild);
      });
    }).catch(function () { /* the list still works */ });
  }

  /* Drop the copy of this judge's pages: here, and in the service worker (which also drops it
   * when it sees the sign-out go by). */
  function forget() {
    var work = [];
    if (window.caches) work.push(caches.delete(PAGES).catch(function () {}));
    if (window.MarkQueue && MarkQueue.forgetRecorded) work.push(MarkQueue.forgetRecorded().catch(function () {}));
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "forget" });
    }
    return Promise.all(work);
  }

  document.querySelectorAll('form[action$="/sign-out"]').forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var waiting = window.MarkQueue ? MarkQueue.all().then(function (e) { return e.length; }, function () { return 0; }) : Promise.resolve(0);
      waiting.then(function (count) {
        if (count > 0 && !window.confirm(ngettext(
          "%(num)s mark has not been sent yet. It stays on this tablet and is sent when you sign in here again. Sign out anyway?",
          "%(num)s marks have not been sent yet. They stay on this tablet and are sent when you sign in here again. Sign out anyway?",
          count))) return;
        forget().then(function () { form.submit(); });
      });
    });
  });
})();
