// Project JavaScript. htmx is loaded before this file (static/vendor/htmx.min.js),
// so behaviour is declared in templates with hx-* attributes; add code here only
// for what attributes cannot express.
document.addEventListener("htmx:responseError", (event) => {
  console.warn("Request failed:", event.detail.xhr.status, event.detail.pathInfo.requestPath);
});
