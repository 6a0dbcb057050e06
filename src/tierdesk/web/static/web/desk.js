// Keyboard shortcuts for the desk. Forms work without this script; it only saves keystrokes.
//   /  search the queue        r  write a reply       n  write an internal note
//   t  take the ticket         e  fill in the escalation handoff
(function () {
  "use strict";
  var keys = {
    "/": "#filter-q",
    "r": "#reply-body",
    "n": "#note-body",
    "e": "#escalate-reason",
  };
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target.closest("input, textarea, select, [contenteditable]")) return;
    if (event.key === "t") {
      var take = document.querySelector("form.take button");
      if (take) { event.preventDefault(); take.click(); }
      return;
    }
    var selector = keys[event.key];
    var field = selector && document.querySelector(selector);
    if (field) { event.preventDefault(); field.focus(); }
  });
})();
