// Drafts that survive: what an editor types in a change form is kept in this browser's
// localStorage, per user and object, until the server says it was saved (the editing_saved
// cookie, set with the success redirect). Reopening the form after a closed tab, a crash or
// an expired session offers to restore it.
(function () {
  "use strict";

  var PREFIX = "backrelief:draft:";
  var SAVED_COOKIE = "editing_saved";
  var SKIPPED = /(^csrfmiddlewaretoken$|^editing_version$|__prefix__|-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$)/;

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // storage refused (private mode, policy): no drafts, nothing breaks
    }
  }

  // The server's word that a save went through: forget that object's drafts, for any user.
  function forgetSaved() {
    var match = document.cookie.match(new RegExp("(?:^|; )" + SAVED_COOKIE + "=([^;]*)"));
    var store = storage();
    if (!match || !store) {
      return;
    }
    var content = decodeURIComponent(match[1]).replace(/^"|"$/g, "");
    Object.keys(store)
      .filter(function (key) {
        return key.indexOf(PREFIX) === 0 && key.endsWith(":" + content);
      })
      .forEach(function (key) {
        store.removeItem(key);
      });
    document.cookie = SAVED_COOKIE + "=; Max-Age=0; path=/; SameSite=Strict";
  }

  forgetSaved();

  // The admin loads form media in <head>: set up once the form is parsed, before the editor
  // can type (the admin's own scripts, loaded earlier, set up their widgets first).
  document.addEventListener("DOMContentLoaded", setUp);

  function setUp() {
    var status = document.getElementById("editing-status");
    var store = storage();
    if (!status || !store) {
      return;
    }
    var form = status.closest("form");
    var notice = status.querySelector(".editing-draft");
    var key = PREFIX + status.dataset.user + ":" + status.dataset.content;
    var offerPending = false;
    var base = {};
    // The version the draft's input was typed on; a restored draft keeps its own.
    var typedOn = status.dataset.version;

    function elements() {
      return Array.prototype.filter.call(form.elements, function (element) {
        return (
          element.name &&
          !SKIPPED.test(element.name) &&
          ["file", "submit", "button", "reset"].indexOf(element.type) === -1 &&
          !(element.tagName === "SELECT" && element.multiple) // many-to-many pickers are not kept
        );
      });
    }

    // The value as the page came from the server (`asServed`), or as it is now. Comparing
    // with what was served, not with the form at some later moment, means typing that starts
    // before this script runs is still kept.
    function valueOf(element, asServed) {
      if (element.type === "checkbox" || element.type === "radio") {
        var checked = asServed ? element.defaultChecked : element.checked;
        if (element.type === "checkbox") {
          return checked ? "on" : "";
        }
        return checked ? element.value : null;
      }
      if (element.tagName === "SELECT") {
        var chosen = Array.prototype.find.call(element.options, function (option) {
          return asServed ? option.defaultSelected : option.selected;
        });
        return chosen ? chosen.value : asServed && element.options.length ? element.options[0].value : "";
      }
      return (asServed ? element.defaultValue : element.value).replace(/\r\n/g, "\n");
    }

    function snapshot(asServed) {
      var values = {};
      elements().forEach(function (element) {
        var value = valueOf(element, asServed);
        if (element.type === "radio") {
          if (value !== null || !(element.name in values)) {
            values[element.name] = value === null ? "" : value;
          }
          return;
        }
        values[element.name] = value;
      });
      return values;
    }

    function read() {
      try {
        return JSON.parse(store.getItem(key));
      } catch (error) {
        return null;
      }
    }

    function save() {
      if (offerPending) {
        return; // don't overwrite the draft on offer before the editor has chosen
      }
      var now = snapshot(false);
      var changed = {};
      Object.keys(now).forEach(function (name) {
        if (now[name] !== base[name]) {
          changed[name] = now[name];
        }
      });
      if (Object.keys(changed).length === 0) {
        store.removeItem(key);
        return;
      }
      try {
        store.setItem(key, JSON.stringify({ savedAt: Date.now(), version: typedOn, values: changed }));
      } catch (error) {
        // Storage full: the form itself is unaffected.
      }
    }

    var pending = null;
    function saveSoon() {
      window.clearTimeout(pending);
      pending = window.setTimeout(save, 300);
    }

    function field(name) {
      var found = form.elements.namedItem(name);
      return found && found.length && found.tagName !== "SELECT" ? Array.prototype.slice.call(found) : found ? [found] : [];
    }

    // A draft's inline rows that the page doesn't have yet ("Add another step") are added first.
    function ensureRow(name) {
      var row = name.match(/^(.+)-(\d+)-[^-]+$/);
      if (!row) {
        return;
      }
      var total = form.elements.namedItem(row[1] + "-TOTAL_FORMS");
      var add = document.querySelector("#" + CSS.escape(row[1]) + "-group .add-row a");
      while (total && add && Number(total.value) <= Number(row[2])) {
        var before = total.value;
        add.click();
        if (total.value === before) {
          return; // the maximum number of rows is reached
        }
      }
    }

    function put(name, value) {
      if (field(name).length === 0) {
        ensureRow(name);
      }
      field(name).forEach(function (element) {
        if (element.type === "checkbox") {
          element.checked = value === "on";
        } else if (element.type === "radio") {
          element.checked = element.value === value;
        } else {
          element.value = value;
        }
        element.dispatchEvent(new Event("input", { bubbles: true }));
        element.dispatchEvent(new Event("change", { bubbles: true }));
      });
    }

    function when(time) {
      var moment = new Date(time);
      var pad = function (number) {
        return String(number).padStart(2, "0");
      };
      var clock = pad(moment.getHours()) + ":" + pad(moment.getMinutes()); // as the server writes times
      if (moment.toDateString() === new Date().toDateString()) {
        return clock;
      }
      return moment.toLocaleDateString([], { day: "numeric", month: "long" }) + " at " + clock;
    }

    function say(text, buttons) {
      notice.replaceChildren();
      var p = document.createElement("p");
      p.textContent = text;
      (buttons || []).forEach(function (button) {
        var element = document.createElement("button");
        element.type = "button";
        element.className = "button editing-draft-" + button.name;
        element.textContent = button.label;
        element.addEventListener("click", button.action);
        p.append(" ", element);
      });
      notice.appendChild(p);
    }

    function offer(draft) {
      offerPending = true;
      var names = Object.keys(draft.values);
      var changedSince = draft.version !== status.dataset.version;
      say(
        "You have unsaved changes from " +
          when(draft.savedAt) +
          (changedSince ? " (this " + status.dataset.noun + " was saved by someone since)" : "") +
          ": restore or discard?",
        [
          {
            name: "restore",
            label: "Restore",
            action: function () {
              offerPending = false;
              // The form is sent as based on the version the draft was typed on: if someone has
              // saved since, the server refuses the save and shows both to merge, rather than
              // letting the draft silently undo their change.
              var version = form.elements.namedItem("editing_version");
              if (changedSince && version && draft.version) {
                version.value = typedOn = draft.version;
              }
              names.forEach(function (name) {
                put(name, draft.values[name]);
              });
              save();
              say("Your unsaved changes are back in the form. Save to keep them.");
              var first = field(names[0])[0];
              if (first) {
                first.focus();
              }
            },
          },
          {
            name: "discard",
            label: "Discard",
            action: function () {
              offerPending = false;
              store.removeItem(key);
              say("Unsaved changes discarded.");
            },
          },
        ]
      );
    }

    function init() {
      base = snapshot(true);
      var draft = read();
      if (draft && draft.values) {
        var differs = Object.keys(draft.values).some(function (name) {
          return base[name] !== draft.values[name];
        });
        if (differs) {
          offer(draft);
        } else {
          store.removeItem(key); // what the draft holds is what the form shows: nothing unsaved
        }
      }
      form.addEventListener("input", saveSoon);
      form.addEventListener("change", saveSoon);
    }

    init();
  }
})();
