// Keyboard shortcuts, a convenience only: every page works without JavaScript.
// a: approve, e: edit the reply, r: reject (fills in the reason first), n: next draft.
(function () {
  "use strict";
  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) { return; }
    var approve = document.getElementById("approve");
    var body = document.getElementById("body");
    var reason = document.getElementById("reason");
    var next = document.getElementById("next");
    if (event.key === "a" && approve) {
      event.preventDefault();
      approve.click();
    } else if (event.key === "e" && body) {
      event.preventDefault();
      body.focus();
    } else if (event.key === "r" && reason) {
      event.preventDefault();
      reason.focus();  // a rejection needs a reason: type it, then Enter
    } else if (event.key === "n" && next) {
      event.preventDefault();
      window.location.assign(next.getAttribute("href"));
    }
  });
  // Enter in the reason field rejects (the form's first button only records the intent).
  document.addEventListener("keydown", function (event) {
    var reason = document.getElementById("reason");
    if (event.key === "Enter" && event.target === reason && reason.value.trim()) {
      event.preventDefault();
      document.getElementById("reject").click();
    }
  });
}());
