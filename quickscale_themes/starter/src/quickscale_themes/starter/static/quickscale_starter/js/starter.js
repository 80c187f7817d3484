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
