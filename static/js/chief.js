/* The chief expert's pages follow the skill's marking: when any competitor's marks, flags or
 * sign-offs change (on the competitor page: this competitor's), the page reloads itself,
 * unless the chief expert is typing (an override reason, an unlock reason). */
(function () {
  "use strict";
  var root = document.querySelector("[data-follow-skill]");
  if (!root || !window.io) return;
  var only = root.dataset.followCompetitor ? parseInt(root.dataset.followCompetitor, 10) : null;
  var pending = null;
  function typing() {
    var el = document.activeElement;
    return el && (el.tagName === "TEXTAREA" || el.tagName === "INPUT") && el.value !== "";
  }
  function reloadSoon() {
    if (pending) return;
    pending = setTimeout(function () {
      pending = null;
      if (typing()) { reloadSoon(); return; }
      window.location.reload();
    }, 1500);
  }
  var socket = window.io({ transports: ["websocket", "polling"] });
  socket.on("connect", function () { socket.emit("follow_marking", { event: root.dataset.followEvent, skill: root.dataset.followSkill }); });
  socket.on("marks_changed", function (data) {
    if (only === null || (data && data.competitor_id === only)) reloadSoon();
  });
})();
