// The merge view (editing/templates/editing/conflict.html): where both editors changed a
// field, buttons put their version or yours into the form. Without JavaScript their version
// is shown beside yours to copy.
(function () {
  "use strict";

  // The admin loads form media in <head>: wait for the form.
  document.addEventListener("DOMContentLoaded", setUp);

  function setUp() {
    var panel = document.querySelector(".editing-conflict");
    if (!panel) {
      return;
    }
    var form = panel.closest("form");
    var live = document.createElement("p");
    live.className = "editing-merge-status";
    live.setAttribute("role", "status");
    panel.appendChild(live);

    panel.querySelectorAll("tr[data-field]").forEach(function (row) {
      var theirs = row.querySelector("template.editing-theirs");
      var input = form.elements.namedItem(row.dataset.field);
      if (!theirs || !input || (input.length !== undefined && input.tagName !== "SELECT")) {
        return;
      }
      var label = row.querySelector("th").textContent.trim();
      var yours = input.value;
      var cell = row.lastElementChild;

      function choose(value, whose) {
        input.value = value;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
        live.textContent = whose + " version of “" + label + "” is now in the form.";
      }

      [
        ["Use theirs", function () { choose(theirs.content.textContent, "Their"); }],
        ["Use yours", function () { choose(yours, "Your"); }],
      ].forEach(function (pair) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button";
        button.textContent = pair[0];
        button.setAttribute("aria-label", pair[0] + ": " + label);
        button.addEventListener("click", pair[1]);
        cell.append(" ", button);
      });
    });
  }
})();
