// Copy-link controls on a guide page. Without JavaScript each `a[data-copy-link]` is a plain
// link to the page's canonical address (with #step-N for a step). Here each becomes a button
// that copies that address, built from <link rel="canonical"> so that query strings and
// tracking parameters never travel with it, and says so in a polite live region. When the
// clipboard is out of reach, the address is shown, selected, for the reader to copy.
(() => {
  "use strict";

  const canonical = document.querySelector('link[rel="canonical"]');
  if (!canonical) {
    return;
  }
  const pageUrl = canonical.href.split("#")[0];
  let lastStatus = null;

  function say(status, message) {
    if (lastStatus && lastStatus !== status) {
      lastStatus.textContent = "";
    }
    lastStatus = status;
    // Emptied first, so that copying the same link twice is announced twice.
    status.textContent = "";
    window.setTimeout(() => {
      status.textContent = message;
    }, 50);
  }

  function showForCopying(control, url) {
    let field = control.parentNode.querySelector(".copy-link-field");
    if (!field) {
      field = document.createElement("input");
      field.type = "text";
      field.readOnly = true;
      field.className = "copy-link-field";
      field.setAttribute("aria-label", "Link to copy");
      field.addEventListener("focus", () => field.select());
      control.parentNode.appendChild(field);
    }
    field.value = url;
    field.focus();
    field.select();
  }

  async function copy(control, status, url) {
    try {
      if (!navigator.clipboard) {
        throw new Error("The clipboard is not available here.");
      }
      await navigator.clipboard.writeText(url);
      say(status, "Link copied");
    } catch {
      showForCopying(control, url);
      say(status, "Could not copy the link: it is selected below, copy it from there.");
    }
  }

  function enhance(link) {
    const url = pageUrl + new URL(link.href, document.baseURI).hash;
    const label = link.textContent.trim();
    const button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.dataset.url = url;
    button.textContent = `Copy ${label.charAt(0).toLowerCase()}${label.slice(1)}`;
    // A live region is announced only if it was on the page before its text changed.
    const status = document.createElement("span");
    status.className = "copy-link-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    button.addEventListener("click", () => copy(button, status, url));
    link.replaceWith(button, " ", status);
  }

  document.querySelectorAll("a[data-copy-link]").forEach(enhance);
})();
