/* QuickScale starter theme: progressive enhancement only. Every page works without it. */
(function () {
  "use strict";

  /* htmx partials send feedback out of band into #messages. A project layout that renders
     its messages differently still gets a live region, so those swaps never miss. */
  function ensureMessageRegion() {
    if (document.getElementById("messages")) { return; }
    var region = document.createElement("div");
    region.id = "messages";
    region.className = "messages";
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    var main = document.querySelector("main") || document.body;
    main.insertBefore(region, main.firstChild);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ensureMessageRegion);
  } else {
    ensureMessageRegion();
  }

  function announce(text) {
    var region = document.getElementById("messages");
    if (!region) { return; }
    var message = document.createElement("p");
    message.className = "message message--error";
    message.textContent = text;
    region.replaceChildren(message);
  }

  /* An element with data-page-title names what the page is about (e.g. a list's title).
     When htmx swaps in a new version of it, the same words in document.title follow, so the
     tab title stays right whatever suffix the project's layout adds. */
  var previousTitle = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail && event.detail.target;
    previousTitle = target && target.dataset ? target.dataset.pageTitle || null : null;
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    var current = target && target.id ? document.getElementById(target.id) : null;
    var next = current && current.dataset ? current.dataset.pageTitle : null;
    if (previousTitle && next && document.title.indexOf(previousTitle) === 0) {
      document.title = next + document.title.slice(previousTitle.length);
    }
    previousTitle = null;
  });

  /* htmx does not swap error responses: tell the user instead of failing silently. */
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail && event.detail.xhr ? event.detail.xhr.status : 0;
    if (status === 404 || status === 403) {
      announce("That item is no longer available. Reload the page to see the current state.");
    } else {
      announce("Something went wrong. Please try again.");
    }
  });

  document.addEventListener("htmx:sendError", function () {
    announce("The server could not be reached. Check your connection and try again.");
  });
})();
