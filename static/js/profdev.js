// Shared behaviour of every page (no inline scripts: the CSP allows only files from /static/).
(function () {
  "use strict";

  // Confirmation before destructive actions: a form or its button with data-confirm asks first;
  // a "danger" button (delete, close, cancel) asks the default question unless its form says
  // data-no-confirm (the delete confirmation page is already the question).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter || null;
    var message = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (!message && button && !form.hasAttribute("data-no-confirm") &&
        /\bbtn-(outline-)?danger\b/.test(button.className)) {
      message = document.body.getAttribute("data-confirm-default");
    }
    if (message && !window.confirm(message)) {
      event.preventDefault();
      return;
    }
    // Visible progress on long work: the pressed button shows that the request is on its way
    // (disabled after the browser has taken its name and value, so nothing is sent twice).
    if (button && !form.hasAttribute("hx-get") && !form.hasAttribute("hx-post")) {
      window.setTimeout(function () {
        if (event.defaultPrevented) { return; }
        button.classList.add("is-busy");
        button.setAttribute("aria-busy", "true");
        button.disabled = true;
        // A form that answers with a file leaves the page in place: give the button back.
        window.setTimeout(function () {
          button.classList.remove("is-busy");
          button.removeAttribute("aria-busy");
          button.disabled = false;
        }, 20000);
      }, 0);
    }
  });

  // Coming back with the browser's Back button shows the page from its cache: wake the buttons.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("button.is-busy").forEach(function (button) {
      button.classList.remove("is-busy");
      button.removeAttribute("aria-busy");
      button.disabled = false;
    });
  });
})();
