// Who else is editing: while a change form is open it tells the server every few seconds
// (editing/presence.py) and shows who else has the same object open, and says at once when
// someone else has saved it. Without JavaScript the form still refuses a stale save.
(function () {
  "use strict";

  // The admin loads form media in <head>: wait for the form.
  document.addEventListener("DOMContentLoaded", setUp);

  function setUp() {
    var INTERVAL_MS = 4000;
    var status = document.getElementById("editing-status");
    if (!status || !status.dataset.version) {
      return; // only the change form of an existing object
    }
    var form = status.closest("form");
    var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    var notice = status.querySelector(".editing-presence");
    var noun = status.dataset.noun;
    var tab = window.crypto && crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now();
    var savedNotice = "";
    var timer = null;

    function payload() {
      var data = new FormData();
      data.append("csrfmiddlewaretoken", csrf);
      data.append("content", status.dataset.content);
      data.append("tab", tab);
      data.append("version", status.dataset.version);
      return data;
    }

    function show(lines) {
      notice.replaceChildren();
      lines.forEach(function (line) {
        var p = document.createElement("p");
        p.className = line.className;
        p.textContent = line.text;
        notice.appendChild(p);
      });
      notice.hidden = lines.length === 0;
    }

    function describe(other) {
      if (other.self) {
        return "You also have this " + noun + " open in another tab (opened " + other.opened + ").";
      }
      return other.name + " is also editing this " + noun + " (opened " + other.opened + ").";
    }

    function render(answer) {
      var lines = answer.others.map(function (other) {
        return { className: "editing-other", text: describe(other) };
      });
      if (answer.saved) {
        savedNotice =
          answer.saved +
          " Your changes are still in this form and kept in this browser. When you save, you will see" +
          " both versions side by side to merge; or reload the page to start from theirs.";
      }
      if (savedNotice) {
        lines.unshift({ className: "editing-saved errornote", text: savedNotice });
      }
      show(lines);
    }

    function beat() {
      fetch(status.dataset.heartbeatUrl, {
        method: "POST",
        body: payload(),
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf },
      })
        .then(function (response) {
          // A 403 with a JSON answer says why (no permission); a plain one is the sign-in check.
          var answered = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
          if (response.redirected || (response.status === 403 && !answered)) {
            show([
              {
                className: "editing-saved errornote",
                text:
                  "You have been signed out. Your changes are kept in this browser: sign in again (in a new tab)" +
                  " and open this " + noun + " to restore them.",
              },
            ]);
            return null;
          }
          if (response.status >= 500) {
            return null; // busy for a moment: the next beat tries again
          }
          return response.json().then(function (answer) {
            if (!response.ok) {
              show([{ className: "editing-saved errornote", text: answer.error }]);
              return;
            }
            render(answer);
          });
        })
        .catch(function () {
          // Offline for a moment: the next beat tries again, and the save still checks the version.
        });
    }

    function start() {
      if (timer === null) {
        beat();
        timer = window.setInterval(beat, INTERVAL_MS);
      }
    }

    function stop() {
      if (timer !== null) {
        window.clearInterval(timer);
        timer = null;
      }
      navigator.sendBeacon(status.dataset.leaveUrl, payload());
    }

    window.addEventListener("pagehide", stop);
    window.addEventListener("pageshow", start);
    start();
  }
})();
