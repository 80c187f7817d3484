/* QuickScale starter theme: progressive enhancement only. Every page works without it. */
(function () {
  "use strict";

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
