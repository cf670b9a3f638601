// Certificate batch page: poll the batch's JSON status and move the progress bar until the
// PDF is ready (or the batch failed). Text goes in with textContent only.
(function () {
  "use strict";
  var box = document.getElementById("batch");
  if (!box) return;
  var url = box.getAttribute("data-status-url");
  var STATUS = { queued: gettext("Waiting to start"), running: gettext("Printing"), done: gettext("Ready"), failed: gettext("Failed") };
  function field(name) { return box.querySelector('[data-field="' + name + '"]'); }
  function show(data) {
    var bar = box.querySelector(".bar");
    bar.style.width = data.percent + "%";
    box.querySelector(".progress").setAttribute("aria-valuenow", String(data.percent));
    field("pages").textContent = gettext("%(done)s of %(total)s pages", { done: data.done, total: data.total });
    field("status").textContent = STATUS[data.status] || data.status;
    box.className = "card batch batch-" + data.status;
    if (data.error) { field("error").textContent = data.error; field("error").hidden = false; }
    if (data.download_url) { field("download").setAttribute("href", data.download_url); field("download").hidden = false; }
  }
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) { show(data); if (!data.finished) setTimeout(poll, 700); })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
