/* The organiser's remote: a presenter clicker (Page Down / Page Up) or arrow keys drive the
   ceremony of the first skill in reveal mode. The buttons are ordinary forms (CSRF token inside). */
(function () {
  "use strict";
  var ceremony = document.querySelector("[data-ceremony]");
  if (!ceremony) return;
  ceremony.scrollIntoView({ block: "center" });
  document.addEventListener("keydown", function (e) {
    var key = { ArrowRight: "next", PageDown: "next", " ": "next", ArrowLeft: "back", PageUp: "back" }[e.key];
    if (!key || e.target.tagName === "INPUT") return;
    var button = ceremony.querySelector('button[data-key="' + key + '"]');
    if (button && !button.disabled) {
      e.preventDefault();
      button.click();
    }
  });
})();
