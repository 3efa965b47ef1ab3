/* Every page: "/" focuses the search box (unless typing in a field). */
(function () {
  "use strict";
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var t = ev.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) return;
    var box = document.getElementById("q") || document.getElementById("q-top");
    if (box) { ev.preventDefault(); box.focus(); box.select(); }
  });
})();
