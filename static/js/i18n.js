/* The page's messages in its language (handed over by the server as #podium-i18n), for the
   other scripts: gettext("Saved"), ngettext("%(num)s waiting to send", "…", n), and
   formatNumber(value) in the page's locale. Placeholders are Python-style: %(name)s. */
(function () {
  "use strict";
  var node = document.getElementById("podium-i18n");
  var catalogue = {};
  try { catalogue = node ? JSON.parse(node.textContent) : {}; } catch (e) { catalogue = {}; }
  function fill(text, values) {
    if (!values) return text;
    return text.replace(/%\((\w+)\)s/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }
  window.gettext = function (message, values) {
    var found = catalogue[message];
    return fill(typeof found === "string" && found ? found : message, values);
  };
  window.ngettext = function (singular, plural, n, values) {
    var found = catalogue[singular];
    var pair = Array.isArray(found) ? found : [singular, plural];
    var all = Object.assign({ num: n }, values || {});
    return fill(n === 1 ? pair[0] : pair[1], all);
  };
  var lang = document.documentElement.lang || "en";
  window.formatNumber = function (value, options) {
    try { return new Intl.NumberFormat(lang, options).format(value); } catch (e) { return String(value); }
  };
})();
