/* The chief expert's pages follow the skill's marking in place. When a competitor's marks, flags
 * or sign-offs change (on the competitor page: this competitor's), the script reads the page again
 * and swaps in the parts marked data-live that changed. What the reader is busy with stays as it
 * is: an open <details> stays open, a half-typed reason or the field being typed in is not
 * touched (only what is around it is updated), and the row at the top of the screen stays put. */
(function () {
  "use strict";
  var root = document.querySelector("[data-follow-skill]");
  if (!root) return;
  var only = root.dataset.followCompetitor ? parseInt(root.dataset.followCompetitor, 10) : null;
  var anchors = root.dataset.anchors || "[data-live]";
  var timer = null, running = false, again = false, updates = 0;

  function edited(field) {
    if (field.type === "hidden" || field.type === "submit" || field.type === "button") return false;
    if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
    if (field.tagName === "SELECT") {
      for (var i = 0; i < field.options.length; i++) if (field.options[i].selected !== field.options[i].defaultSelected) return true;
      return false;
    }
    return field.value !== field.defaultValue;
  }

  // True when the reader is working inside el: typing in it, or a field in it was changed.
  function busy(el) {
    var active = document.activeElement;
    if (active && el.contains(active) && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName)) return true;
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName)) return edited(el);
    var fields = el.querySelectorAll("input, textarea, select");
    for (var i = 0; i < fields.length; i++) if (edited(fields[i])) return true;
    return false;
  }

  function keepOpen(old, fresh) {
    var open = old.matches("details[id]") ? [old] : [];
    open = open.concat(Array.prototype.slice.call(old.querySelectorAll("details[id]")));
    open.forEach(function (d) {
      var twin = fresh.id === d.id ? fresh : fresh.querySelector("#" + CSS.escape(d.id));
      if (twin) twin.open = d.open;
    });
  }

  function sameAttributes(old, fresh) {
    Array.prototype.slice.call(old.attributes).forEach(function (a) {
      if (!fresh.hasAttribute(a.name) && a.name !== "open") old.removeAttribute(a.name);
    });
    Array.prototype.slice.call(fresh.attributes).forEach(function (a) {
      if (old.getAttribute(a.name) !== a.value && a.name !== "value") old.setAttribute(a.name, a.value);
    });
  }

  function patch(old, fresh) {
    keepOpen(old, fresh);
    if (old.isEqualNode(fresh)) return;
    if (!busy(old)) { old.replaceWith(fresh); return; }
    // Something in here is being worked on: update around it, one level down.
    if (old.tagName !== fresh.tagName || old.children.length !== fresh.children.length) return;
    sameAttributes(old, fresh);
    var olds = Array.prototype.slice.call(old.children), freshes = Array.prototype.slice.call(fresh.children);
    for (var i = 0; i < olds.length; i++) patch(olds[i], freshes[i]);
  }

  // The element nearest the top of the screen, to keep it where it is when the page changes above it.
  function anchor() {
    if (window.scrollY <= 0) return null;
    var candidates = document.querySelectorAll(anchors);
    for (var i = 0; i < candidates.length; i++) {
      var box = candidates[i].getBoundingClientRect();
      if (box.bottom > 0 && candidates[i].id) return { id: candidates[i].id, top: box.top };
    }
    return null;
  }

  function apply(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var held = anchor();
    doc.querySelectorAll("[data-live]").forEach(function (fresh) {
      var old = document.querySelector('[data-live="' + fresh.dataset.live + '"]');
      if (old) patch(old, document.importNode(fresh, true));
    });
    if (held) {
      var moved = document.getElementById(held.id);
      if (moved) window.scrollBy(0, moved.getBoundingClientRect().top - held.top);
    }
    root.dataset.updates = String(++updates);
  }

  function refresh() {
    if (running) { again = true; return; }
    running = true;
    fetch(window.location.pathname + window.location.search, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok || response.redirected) return null;  // signed out, or gone: leave the page as it is
        return response.text();
      })
      .then(function (html) { if (html) apply(html); })
      .catch(function () { /* offline for a moment: the next nudge or reconnect reads again */ })
      .then(function () {
        running = false;
        if (again) { again = false; refreshSoon(); }
      });
  }

  function refreshSoon() {
    if (timer) return;
    // One competitor's sheet follows at once; the skill's overview at most every two seconds while the hall marks.
    timer = setTimeout(function () { timer = null; refresh(); }, only === null ? 2000 : 500);
  }

  if (!window.io) { setInterval(refresh, 15000); return; }
  var socket = window.io({ transports: ["websocket", "polling"] });
  var connectedBefore = false, polling = null;
  socket.on("connect", function () {
    socket.emit("follow_marking", { event: root.dataset.followEvent, skill: root.dataset.followSkill }, function (answer) {
      root.dataset.following = answer && answer.ok ? "yes" : "no";  // the room is joined: nudges arrive from now on
      if (!(answer && answer.ok) && !polling) polling = setInterval(refresh, 15000);
    });
    if (connectedBefore) refreshSoon();  // what changed while the connection was down
    connectedBefore = true;
  });
  socket.on("marks_changed", function (data) {
    if (only === null || (data && data.competitor_id === only)) refreshSoon();
  });
})();
