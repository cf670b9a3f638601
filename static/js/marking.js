/* The tablet marking form: each tap is a mark, written to the outbox (mark-queue.js) and
 * sent at once when the network allows. Shows what waits to be sent, what the server
 * refused and why, when the same form is open on another device, and warns before the
 * tab closes with unsent marks. Text from the server is inserted with textContent only. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var root = document.getElementById("marking");
  if (!root || !window.MarkQueue) return;

  var competitorId = parseInt(root.dataset.competitorId, 10);
  var marksUrl = root.dataset.marksUrl;
  var presenceUrl = root.dataset.presenceUrl;
  var statusEl = document.getElementById("queue-status");
  var deviceWarning = document.getElementById("device-warning");
  var csrfMeta = document.querySelector("meta[name=csrf-token]");
  var waiting = 0;
  var blockedReason = null;
  var refusedElsewhere = [];
  // How a measurement flag is worded per kind, in the page's language (see flag_wording in
  // competition/web/judge.py): the API sends what disagrees as data, and this words it.
  var flagWording = {};
  try { flagWording = JSON.parse(root.dataset.flagWording || "{}"); } catch (e) { flagWording = {}; }

  var deviceId = localStorage.getItem("podium-device");
  if (!deviceId) { deviceId = MarkQueue.uuid(); localStorage.setItem("podium-device", deviceId); }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js").catch(function () { /* pages still work online */ });
  }

  function fieldsetFor(aspect, competitor) {
    if (competitor !== competitorId) return null;
    return root.querySelector('fieldset.aspect[data-aspect="' + CSS.escape(aspect) + '"]');
  }

  function setText(el, text) { if (el) { el.textContent = text; el.hidden = !text; } }

  // Widgets are generic, named by the fieldset's data-widget (templates/judge/kinds/_widgets.html):
  // "choices" (radio buttons), "counter" (a whole number with − and +) or "keypad" (a number on
  // a fine scale, sent when confirmed). Every number shown comes from the server already
  // written as people read it: choice values, stored values and the counter's data-results; the
  // keypad only writes what the judge typed, or that value a step up or down (see keypadText).
  function isCounter(fs) { return fs.dataset.widget === "counter"; }
  function isKeypad(fs) { return fs.dataset.widget === "keypad"; }

  function showValue(fs, value) {
    if (isKeypad(fs)) {
      fs.querySelector(".keypad-input").value = value === null || value === "" ? "" : value;
      delete fs.dataset.confirmed;
      showKeypad(fs);
      return;
    }
    if (isCounter(fs)) {
      var input = fs.querySelector(".counter-input");
      input.value = value === null || value === "" ? "" : value;
      showCounterResult(fs);
      return;
    }
    fs.querySelectorAll(".choice-input").forEach(function (radio) {
      radio.checked = value !== null && value !== "" && radio.value === String(value);
    });
  }

  function showCounterResult(fs) {
    var input = fs.querySelector(".counter-input");
    var results = (fs.querySelector(".counter").dataset.results || "").split(" ");
    var n = /^\d+$/.test(input.value) ? parseInt(input.value, 10) - (parseInt(input.min, 10) || 0) : -1;
    fs.querySelector("[data-result]").textContent = n >= 0 && n < results.length && results[n] !== "" ? results[n] : "–";
    var zero = fs.querySelector("[data-zero]");  // "No deductions (0)" is shown chosen when 0 is entered
    if (zero) zero.setAttribute("aria-pressed", n === 0 ? "true" : "false");
  }

  // The keypad's arithmetic is exact: a number of at most two decimals is a whole number of
  // hundredths (scales and marks are kept to 0.01), so no binary fraction is ever involved.
  var NUMBER = /^-?\d{1,6}(\.\d{0,2})?$/;
  function hundredths(text) {
    if (!NUMBER.test(text)) return null;
    var negative = text.charAt(0) === "-", parts = text.replace("-", "").split(".");
    var n = parseInt(parts[0], 10) * 100 + parseInt(((parts[1] || "") + "00").slice(0, 2), 10);
    return negative ? -n : n;
  }
  function keypadText(n) {  // hundredths as people write them: 8.7, 10, -0.5 (as the server's plain())
    var sign = n < 0 ? "-" : "", a = Math.abs(n), whole = Math.floor(a / 100), cents = a % 100;
    if (!cents) return sign + whole;
    return sign + whole + "." + (cents < 10 ? "0" + cents : String(cents)).replace(/0$/, "");
  }
  function keypadScale(fs) {
    var d = fs.querySelector(".keypad").dataset;
    return { min: hundredths(d.min), max: hundredths(d.max), step: hundredths(d.step), text: d };
  }
  function onScale(fs, text) {
    var n = hundredths(text), s = keypadScale(fs);
    return n !== null && n >= s.min && n <= s.max && (n - s.min) % s.step === 0;
  }
  // What the display shows against what is stored: nothing is sent until the judge confirms.
  function showKeypad(fs) {
    var input = fs.querySelector(".keypad-input"), hint = fs.querySelector("[data-keypad-hint]");
    var confirm = fs.querySelector(".keypad-confirm"), text = input.value, s = keypadScale(fs);
    var sent = fs.dataset.confirmed !== undefined ? fs.dataset.confirmed : fs.dataset.value;  // confirmed: in the outbox
    var draft = text !== "" && hundredths(text) !== hundredths(sent || "x");
    var valid = draft && onScale(fs, text);
    fs.classList.toggle("is-draft", draft);
    if (confirm) confirm.disabled = !valid;
    if (!draft) setText(hint, "");
    else if (valid) setText(hint, gettext("Not sent yet: tap Confirm to send %(value)s", { value: text }));
    else setText(hint, gettext("%(value)s is not on this scale: from %(min)s to %(max)s in steps of %(step)s",
      { value: text, min: s.text.min, max: s.text.max, step: s.text.step }));
    if (hint) hint.classList.toggle("is-invalid", draft && !valid);
  }

  function setMissing(fs, missing) {
    if (fs.classList.contains("is-missing") === missing) return;
    fs.classList.toggle("is-missing", missing);
    var done = document.getElementById("own-done");
    if (done) done.textContent = String(parseInt(done.textContent, 10) + (missing ? -1 : 1));
    var tab = document.querySelector('[data-criterion-todo="' + CSS.escape(fs.dataset.criterion) + '"]');
    if (tab) {
      var left = (parseInt(tab.dataset.left, 10) || 0) + (missing ? 1 : -1);
      tab.dataset.left = String(left);
      tab.textContent = left > 0 ? ngettext("%(num)s left", "%(num)s left", left) : "✓";
    }
  }

  function fillIn(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  // disagreement (measurement aspects): {entries: ["1", "0"], allowed: 0} from the server.
  function setFlag(fs, flagged, disagreement) {
    fs.classList.toggle("is-flagged", flagged);
    var note = fs.querySelector(".note-flag");
    if (note) note.hidden = !flagged;
    var wording = flagWording[fs.dataset.kind], text = fs.querySelector("[data-flag-text]");
    if (flagged && disagreement && wording && text) {
      var words = disagreement.entries.map(function (entry) { return wording.words[entry] || entry; });
      var detail = fillIn(wording.detail, { entries: words.join(wording.separator), allowed: disagreement.allowed });
      text.textContent = fillIn(wording.note, { disagreement: detail });
    }
  }

  function refreshStatus() {
    return MarkQueue.all().then(function (entries) {
      waiting = entries.length;
      var text, cls = "";
      if (waiting === 0) {
        text = gettext("All marks sent");
      } else if (blockedReason === "offline" || !navigator.onLine) {
        text = ngettext("%(num)s waiting to send · saved on this tablet — offline, they go as soon as the network is back",
          "%(num)s waiting to send · saved on this tablet — offline, they go as soon as the network is back", waiting);
      } else if (blockedReason) {
        text = ngettext("%(num)s waiting to send · saved on this tablet — %(reason)s",
          "%(num)s waiting to send · saved on this tablet — %(reason)s", waiting, { reason: blockedReason });
        cls = "is-blocked";
      } else {
        text = ngettext("%(num)s waiting to send · saved on this tablet", "%(num)s waiting to send · saved on this tablet", waiting);
      }
      if (waiting > 0) cls = cls || "is-waiting";
      statusEl.className = "queue-status " + cls;
      statusEl.title = ngettext("%(num)s mark waiting to send", "%(num)s marks waiting to send", waiting);
      setText(statusEl, text);
      entries.forEach(function (e) {
        var fs = fieldsetFor(e.aspect, e.competitor_id);
        if (fs) { var s = fs.querySelector("[data-saved]"); s.textContent = gettext("Waiting to send"); s.classList.add("is-queued"); }
      });
      if (refusedElsewhere.length) {
        var list = document.getElementById("refused") || document.createElement("ul");
        list.id = "refused"; list.className = "aspect-note note-error";
        while (list.firstChild) list.removeChild(list.firstChild);
        refusedElsewhere.forEach(function (line) { var li = document.createElement("li"); li.textContent = line; list.appendChild(li); });
        document.querySelector(".status-row").appendChild(list);
      }
    });
  }

  function csrfToken() { return csrfMeta ? csrfMeta.content : ""; }

  function renewCsrf() {
    return fetch(root.dataset.csrfUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(function (data) { if (csrfMeta && data.csrf_token) csrfMeta.content = data.csrf_token; });
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { ok: response.ok, status: response.status, body: data };
      });
    });
  }

  function send(entry) {
    var body = {
      competitor_id: entry.competitor_id, aspect: entry.aspect, value: entry.value, idempotency_key: entry.key,
      base_version: entry.base_version || 0, device: "tablet " + deviceId.slice(0, 8) + " · " + navigator.userAgent
    };
    return post(marksUrl, body).then(function (result) {
      var code = result.body && result.body.error && result.body.error.code;
      if (result.status === 400 && code === "csrf") return renewCsrf().then(function () { return post(marksUrl, body); });
      return result;
    });
  }

  function onResult(entry, result) {
    var fs = fieldsetFor(entry.aspect, entry.competitor_id);
    var error = (result.body && result.body.error) || null;
    if (!fs) {
      if (!result.ok && error && !error.retry) refusedElsewhere.push(entry.competitor + " " + entry.aspect + ": " + MarkQueue.describe(error));
      return;
    }
    var saved = fs.querySelector("[data-saved]");
    var errorEl = fs.querySelector("[data-error]");
    if (result.ok) {
      fs.dataset.version = String(result.body.version);
      fs.dataset.value = result.body.value === null ? "" : String(result.body.value);
      saved.textContent = gettext("Saved"); saved.classList.remove("is-queued");
      setText(errorEl, "");
      setFlag(fs, !!result.body.flagged, result.body.disagreement);
      if (isKeypad(fs)) { delete fs.dataset.confirmed; showKeypad(fs); }
      return;
    }
    if (!error) return;
    if (error.retry) { setText(errorEl, MarkQueue.describe(error)); return; }
    if (error.code === "stale" && error.current) {
      fs.dataset.version = String(error.current.version);
      fs.dataset.value = error.current.value === null ? "" : String(error.current.value);
      setText(errorEl, error.current.value === null
        ? gettext("Changed on another device: now not marked. Your %(entry)s was not recorded — tap again to replace it.",
          { entry: entry.value })
        : gettext("Changed on another device: now %(value)s. Your %(entry)s was not recorded — tap again to replace it.",
          { value: error.current.value, entry: entry.value }));
    } else {
      setText(errorEl, MarkQueue.describe(error));
    }
    saved.textContent = ""; saved.classList.remove("is-queued");
    showValue(fs, fs.dataset.value);
  }

  // The sign-off follows the marks without a reload: asked again after marks were sent and
  // whenever the presence heartbeat reports a different sign-off state (another judge's mark,
  // a flag, an override, a lock). The server words what stands in the way (judge.sign_off_state).
  var signOffSeen = null;
  function showSignOff(state) {
    var form = document.getElementById("sign-off");
    if (!form) return;
    var open = !state.locked && !state.signed, button = form.querySelector("button[type=submit]");
    form.querySelector('[data-sign-off="locked"]').hidden = !state.locked;
    form.querySelector('[data-sign-off="signed"]').hidden = state.locked || !state.signed;
    button.hidden = !open;
    button.disabled = state.problems.length > 0;
    if (state.problems.length) button.setAttribute("aria-describedby", "sign-off-why");
    else button.removeAttribute("aria-describedby");
    setText(document.getElementById("sign-off-why"), open ? state.why : "");
  }
  function refreshSignOff() {
    if (!root.dataset.signOffUrl) return Promise.resolve();
    return fetch(root.dataset.signOffUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (state) { if (state) showSignOff(state); })
      .catch(function () { /* offline: the button keeps what it last showed */ });
  }
  function noticeSignOff(body) {
    var seen = JSON.stringify([body.sign_off_problems, body.signed, body.locked]);
    if (signOffSeen !== null && seen !== signOffSeen) refreshSignOff();
    signOffSeen = seen;
  }

  function flush() {
    if (!navigator.onLine) { blockedReason = "offline"; return refreshStatus(); }
    var run = function () {
      return MarkQueue.flush(send, onResult).then(function (r) {
        if (!r.busy) blockedReason = r.blocked;
        if (r.sent) refreshSignOff();
        return refreshStatus();
      });
    };
    if (navigator.locks && navigator.locks.request) return navigator.locks.request("podium-outbox", run);
    return run();
  }

  function enqueue(fs, value) {
    setText(fs.querySelector("[data-error]"), "");
    setMissing(fs, false);
    return MarkQueue.enqueue({
      competitor_id: competitorId, competitor: root.dataset.competitor, aspect: fs.dataset.aspect, value: value,
      base_version: parseInt(fs.dataset.version, 10) || 0, url: location.pathname
    }).then(refreshStatus).then(flush);
  }

  var timers = {};
  root.querySelectorAll("fieldset.aspect").forEach(function (fs) {
    if (isCounter(fs)) {
      var input = fs.querySelector(".counter-input");
      var low = parseInt(input.min, 10) || 0;
      var high = input.max === "" ? Infinity : parseInt(input.max, 10);
      var schedule = function () {
        showCounterResult(fs);
        clearTimeout(timers[fs.dataset.aspect]);
        timers[fs.dataset.aspect] = setTimeout(function () {
          timers[fs.dataset.aspect] = null;
          if (input.value !== "" && input.value !== fs.dataset.value) enqueue(fs, input.value);
        }, 700);
      };
      fs.querySelectorAll(".counter-btn").forEach(function (button) {
        button.addEventListener("click", function () {
          var n = parseInt(input.value, 10), delta = parseInt(button.dataset.delta, 10);
          n = isNaN(n) ? Math.max(low, low + delta) : n + delta;  // from "not marked": − means none, + means one
          input.value = String(Math.max(low, Math.min(high, n)));
          schedule();
        });
      });
      input.addEventListener("input", schedule);
      var zero = fs.querySelector("[data-zero]");
      if (zero) zero.addEventListener("click", function () {  // recorded at once: the choice is explicit
        clearTimeout(timers[fs.dataset.aspect]);
        input.value = String(low);
        showCounterResult(fs);
        if (input.value !== fs.dataset.value) enqueue(fs, input.value);
      });
    } else if (isKeypad(fs)) {
      var field = fs.querySelector(".keypad-input");
      field.type = "text";  // a draft such as "8." is kept as typed (a number input would drop it)
      field.inputMode = "none";  // the keypad below, not the tablet's keyboard; a real keyboard still types
      var confirmKeypad = function () {
        if (fs.querySelector(".keypad-confirm").disabled) return;
        field.value = keypadText(hundredths(field.value));
        fs.dataset.confirmed = field.value;
        showKeypad(fs);
        enqueue(fs, field.value);
      };
      fs.querySelectorAll(".key").forEach(function (key) {
        key.addEventListener("click", function () {
          var text = field.value, k = key.dataset.key;
          if (k === "back") text = text.slice(0, -1);
          else if (k === "-") text = text.charAt(0) === "-" ? text.slice(1) : "-" + text;
          else if (k === ".") text = text.indexOf(".") >= 0 ? text : (text === "" || text === "-" ? text + "0." : text + ".");
          else if (/^-?0$/.test(text)) text = text.slice(0, -1) + k;  // 0 then 7 is 7
          else text = text + k;
          if (text === "" || text === "-" || NUMBER.test(text)) field.value = text;
          showKeypad(fs);
        });
      });
      fs.querySelectorAll(".keypad-step").forEach(function (button) {
        button.addEventListener("click", function () {
          var s = keypadScale(fs), n = hundredths(field.value);
          if (n === null) n = hundredths(fs.dataset.value || "x");
          n = n === null ? s.min : n + parseInt(button.dataset.steps, 10) * s.step;
          n = s.min + Math.round((Math.max(s.min, Math.min(s.max, n)) - s.min) / s.step) * s.step;
          field.value = keypadText(n);
          showKeypad(fs);
        });
      });
      fs.querySelector(".keypad-confirm").addEventListener("click", confirmKeypad);
      field.addEventListener("input", function () { showKeypad(fs); });
      field.addEventListener("keydown", function (event) { if (event.key === "Enter") { event.preventDefault(); confirmKeypad(); } });
      showKeypad(fs);
    } else {
      fs.addEventListener("change", function (event) {
        if (event.target.classList.contains("choice-input")) enqueue(fs, event.target.value);
      });
    }
  });

  document.getElementById("marking-form").addEventListener("submit", function (event) { event.preventDefault(); });
  window.addEventListener("online", function () { blockedReason = null; flush(); });
  window.addEventListener("offline", function () { blockedReason = "offline"; refreshStatus(); });
  // Waiting marks are kept on the tablet (IndexedDB) and every form is in the offline copy:
  // leaving loses only what is not in the outbox yet (a keypad draft, a count still settling).
  window.addEventListener("beforeunload", function (event) {
    var unsaved = Object.keys(timers).some(function (k) { return timers[k]; }) || root.querySelector("fieldset.is-draft");
    if (unsaved) { event.preventDefault(); event.returnValue = ""; return ""; }
  });
  setInterval(function () { if (waiting > 0) flush(); }, 5000);

  function heartbeat() {
    if (!navigator.onLine) return;
    post(presenceUrl, { competitor_id: competitorId, device_id: deviceId }).then(function (result) {
      if (!result.ok) return;
      deviceWarning.hidden = !(result.body.others > 0);
      noticeSignOff(result.body);
      return MarkQueue.all().then(function (entries) {
        Object.keys(result.body.aspects).forEach(function (id) {
          var fs = fieldsetFor(id, competitorId);
          if (!fs) return;
          var state = result.body.aspects[id];
          setFlag(fs, state.flagged && !state.overridden, state.disagreement);
          var pending = entries.some(function (e) { return e.competitor_id === competitorId && e.aspect === id; });
          if (!pending && state.version > (parseInt(fs.dataset.version, 10) || 0)) {
            fs.dataset.version = String(state.version);
            fs.dataset.value = state.value === null ? "" : String(state.value);
            showValue(fs, fs.dataset.value);
            fs.querySelector("[data-saved]").textContent = gettext("Changed on another device");
            setMissing(fs, state.missing);
          }
        });
      });
    }).catch(function () { /* offline: the outbox status says so */ });
  }
  heartbeat();
  setInterval(heartbeat, 10000);
  // A nudge from the server (a mark, flag, sign-off or override on this competitor) re-reads
  // the form state at once; the 10-second heartbeat stays as the fallback.
  if (window.io) {
    var socket = window.io({ transports: ["websocket", "polling"] });
    socket.on("connect", function () { socket.emit("follow_marking", { event: root.dataset.event, skill: root.dataset.skill }); });
    socket.on("marks_changed", function (data) { if (data && data.competitor_id === competitorId) heartbeat(); });
  }
  // A page drawn before the latest marks (the offline copy: static/js/offline.js) shows what
  // this tablet recorded since and what waits in the outbox, not "Not marked yet".
  function applyKept() {
    return MarkQueue.kept(competitorId).then(function (kept) {
      Object.keys(kept.recorded).forEach(function (aspect) {
        var fs = fieldsetFor(aspect, competitorId), r = kept.recorded[aspect];
        if (!fs || r.version <= (parseInt(fs.dataset.version, 10) || 0)) return;
        fs.dataset.version = String(r.version); fs.dataset.value = r.value;
        showValue(fs, r.value); setMissing(fs, r.value === "");
        fs.querySelector("[data-saved]").textContent = gettext("Saved");
      });
      kept.queued.forEach(function (e) {
        var fs = fieldsetFor(e.aspect, e.competitor_id);
        if (!fs) return;
        showValue(fs, e.value); setMissing(fs, false);
        if (isKeypad(fs)) { fs.dataset.confirmed = e.value; showKeypad(fs); }
      });
    });
  }
  applyKept().then(refreshStatus, refreshStatus).then(flush);
})();
