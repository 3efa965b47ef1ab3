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

/* Task tables: mark deadlines already past and those in the next 7 days (the page itself is
   built without a date, so that the same content always builds the same files). The script
   loads async: the badges wait for the document to be parsed. */
(function () {
  "use strict";
  function badges() {
    var times = document.querySelectorAll("td.due time[datetime]");
    if (!times.length) return;  /* no task table: skip the date work (a first Date costs a few ms) */
    var now = new Date();
    var today = now.getFullYear() + "-" + String(now.getMonth() + 1).padStart(2, "0") + "-" + String(now.getDate()).padStart(2, "0");
    var soon = new Date(now.getTime() + 7 * 86400000).toISOString().slice(0, 10);
    times.forEach(function (t) {
      var due = t.getAttribute("datetime");
      var label = null, cls = null;
      if (due < today) { label = "đã qua hạn"; cls = "past"; }
      else if (due <= soon) { label = "sắp đến hạn"; cls = "soon"; }
      if (!label) return;
      var badge = document.createElement("span");
      badge.className = "due-badge " + cls;
      badge.textContent = label;
      t.parentNode.insertBefore(badge, t.nextSibling);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", badges);
  else badges();
})();
