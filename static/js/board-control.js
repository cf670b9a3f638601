/* The organiser's remote.

   Presses of a ceremony's buttons — taps, or a presenter clicker / keyboard (→, Page Down,
   Space: next; ←, Page Up: back; they drive the first skill in reveal mode) — go into a queue
   and are sent one after the other with fetch, each press one step. The answer carries the
   skill's ceremony panel, which is put in place: no page reload, so no press is lost to one.
   Each press carries the state it was made on ("seen"), read when it is first sent: a press
   sent again after a lost answer finds the ceremony moved on and moves nothing.
   Reset, and leaving a ceremony under way, need a second tap within a few seconds.
   Without this script every button is an ordinary form (the server then asks on a page). */
(function () {
  "use strict";
  var ARM_MS = 4000;
  var KEYS = { ArrowRight: "next", PageDown: "next", " ": "next", Spacebar: "next", ArrowLeft: "back", PageUp: "back" };
  var ceremonies = document.querySelectorAll("[data-ceremony]");
  var queue = [];
  var busy = false;
  var armed = null;
  var armTimer = null;

  if (ceremonies.length) ceremonies[0].scrollIntoView({ block: "center" });

  /* --- A second tap to confirm ------------------------------------------------------------ */

  function disarm() {
    if (!armed) return;
    armed.textContent = armed.dataset.label;
    armed.classList.remove("armed");
    armed = null;
    clearTimeout(armTimer);
  }

  function arm(button) {
    disarm();
    button.dataset.label = button.textContent;
    button.textContent = button.dataset.confirm;
    button.classList.add("armed");
    armed = button;
    armTimer = setTimeout(disarm, ARM_MS);
  }

  function started(section) {
    var seen = section && section.querySelector("[data-remote] input[name=seen]");
    return !!seen && seen.value !== "";
  }

  /* --- The queue of presses --------------------------------------------------------------- */

  function sending(ceremony, text) {
    var line = ceremony.querySelector("[data-sending]");
    if (line) line.textContent = text;
  }

  function waiting(ceremony) {
    var n = queue.filter(function (item) { return item.ceremony === ceremony; }).length;
    return n ? ngettext("%(num)s press waiting to send…", "%(num)s presses waiting to send…", n) : "";
  }

  function press(ceremony, key, confirmed) {
    queue.push({ ceremony: ceremony, key: key, confirm: confirmed, seen: null, action: null, tries: 0 });
    sending(ceremony, waiting(ceremony));
    pump();
  }

  function drop(ceremony, text) {
    queue = queue.filter(function (item) { return item.ceremony !== ceremony; });
    sending(ceremony, text);
  }

  /* What a press does, decided when it is first sent: on the panel the previous answer put in place. */
  function resolve(item) {
    var form = item.ceremony.querySelector("[data-remote]");
    var button = item.key === "reset" ? form.querySelector("button[value=reset]")
      : form.querySelector('button[data-key="' + item.key + '"]');
    if (!button || button.disabled) return false;  // e.g. back at 0, next when all are revealed
    item.action = button.value;
    item.seen = form.elements.seen.value;
    return true;
  }

  function token(form) { return form.elements.csrf_token.value; }

  function renewToken(ceremony) {
    return fetch("/auth/csrf", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        ceremony.querySelectorAll("input[name=csrf_token]").forEach(function (input) { input.value = data.csrf_token; });
      });
  }

  function settle() {
    busy = false;
    pump();
  }

  function retryLater(item) {
    item.tries += 1;
    sending(item.ceremony, gettext("No connection: trying again…") + " " + waiting(item.ceremony));
    setTimeout(settle, Math.min(4000, 250 * Math.pow(2, item.tries)));
  }

  function put(ceremony, html) {
    var state = ceremony.querySelector("[data-ceremony-state]");
    var focused = document.activeElement && state.contains(document.activeElement) ? document.activeElement : null;
    var key = focused && (focused.dataset.key || focused.value);
    state.innerHTML = html;
    if (key) {
      var again = state.querySelector('button[data-key="' + key + '"], button[value="' + key + '"]');
      if (again && !again.disabled) again.focus();
    }
  }

  function pump() {
    if (busy || !queue.length) return;
    var item = queue[0];
    var ceremony = item.ceremony;
    if (item.action === null && !resolve(item)) {
      queue.shift();
      sending(ceremony, waiting(ceremony));
      pump();
      return;
    }
    busy = true;
    var form = ceremony.querySelector("[data-remote]");
    var body = new URLSearchParams();
    body.set("csrf_token", token(form));
    body.set("action", item.action);
    body.set("seen", item.seen);
    if (item.confirm) body.set("confirm", "1");
    fetch(form.getAttribute("action"), {  // not form.action: its buttons are named "action"
      method: "POST", body: body, credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token(form) }
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (!json) {  // sent to the sign-in page
        drop(ceremony, gettext("You are signed out: sign in again, then press again."));
        return settle();
      }
      return response.json().then(function (data) {
        if (response.ok) {
          queue.shift();
          put(ceremony, data.html);
          // Not moved, and not a press sent again: another remote moved the ceremony first.
          sending(ceremony, waiting(ceremony) || (data.moved || item.tries ? "" : data.text));
          return settle();
        }
        var error = data.error || {};
        if (response.status >= 500 || error.retry) return retryLater(item);
        if (error.code === "csrf" && item.tries < 2) {
          item.tries += 1;
          return renewToken(ceremony).then(settle, function () { retryLater(item); });
        }
        if (data.html) put(ceremony, data.html);
        drop(ceremony, error.text || error.message || gettext("The press was refused: reload the page."));
        if (error.code === "confirmation_needed") {
          var reset = ceremony.querySelector("[data-remote] button[value=reset]");
          if (reset) arm(reset);
        }
        return settle();
      });
    }).catch(function () { retryLater(item); });
  }

  /* --- Taps and keys ---------------------------------------------------------------------- */

  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("button");
    if (!button || !button.form) return;
    var form = button.form;
    if (form.classList.contains("modes")) {  // leaving a ceremony under way: tap twice, then the form goes
      if (!button.dataset.confirm || !started(form.closest("section"))) return;
      if (armed !== button) {
        e.preventDefault();
        arm(button);
        return;
      }
      disarm();
      var confirm = document.createElement("input");
      confirm.type = "hidden";
      confirm.name = "confirm";
      confirm.value = "1";
      form.appendChild(confirm);
      return;
    }
    if (!form.hasAttribute("data-remote")) return;
    e.preventDefault();
    if (button.dataset.confirm && armed !== button) {
      arm(button);
      return;
    }
    var confirmed = armed === button;
    disarm();
    press(form.closest("[data-ceremony]"), button.dataset.key || button.value, confirmed);
  });

  document.addEventListener("keydown", function (e) {
    var key = KEYS[e.key];
    var ceremony = ceremonies[0];
    if (!key || !ceremony || e.altKey || e.ctrlKey || e.metaKey) return;
    var target = e.target;
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT|SUMMARY)$/.test(target.tagName)) return;
    e.preventDefault();  // also Space on a focused button: a clicker's Space is "next", never a tap on "Live scores"
    if (!e.repeat) press(ceremony, key, false);
  });
})();
