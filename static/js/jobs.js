// Background jobs: every [data-job-status] box (templates/console/_job.html) polls its job's
// JSON and shows its progress until the job is done or failed. Text goes in with textContent only.
(function () {
  "use strict";
  var STATES = { queued: gettext("Waiting"), running: gettext("Running"), done: gettext("Done"), failed: gettext("Failed") };

  function follow(box) {
    var url = box.getAttribute("data-job-status");
    function field(name) { return box.querySelector('[data-field="' + name + '"]'); }
    function show(job) {
      box.className = "job job-" + job.state;
      var bar = box.querySelector("progress");
      bar.value = job.percent;
      bar.textContent = job.percent + " %";
      field("state").textContent = STATES[job.state] || job.state;
      var count = field("count");
      count.hidden = !job.total;
      count.textContent = gettext("%(done)s of %(total)s", { done: job.done, total: job.total });
      var message = field("message");
      message.hidden = !job.message;
      message.textContent = job.message || "";
      var download = field("download");
      if (job.download_url) { download.setAttribute("href", job.download_url); download.hidden = false; }
    }
    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
        .then(function (job) {
          show(job);
          if (!job.finished) setTimeout(poll, 1000);
          else if (box.hasAttribute("data-job-reload")) window.location.reload();  // the page shows the outcome
        })
        .catch(function () { setTimeout(poll, 3000); });
    }
    poll();
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-job-status]"), follow);
})();
