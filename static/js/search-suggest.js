// Keyboard and focus handling for the header search suggestions, which htmx
// loads into #site-suggest. Without JavaScript the search box is a plain form.
(function () {
  "use strict";
  var input = document.getElementById("site-q");
  var panel = document.getElementById("site-suggest");
  if (!input || !panel || !window.htmx) return;
  var form = input.form;
  input.setAttribute("aria-describedby", "site-suggest-hint");

  function links() {
    return Array.prototype.slice.call(panel.querySelectorAll("a"));
  }
  function close() {
    panel.replaceChildren();
  }
  function move(current, step) {
    var all = links();
    var next = all.indexOf(current) + step;
    if (next < 0) input.focus();
    else if (next < all.length) all[next].focus();
  }

  form.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && panel.firstElementChild) {
      close();
      input.focus();
      event.preventDefault();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      var step = event.key === "ArrowDown" ? 1 : -1;
      if (event.target === input) {
        if (step === 1 && links().length) links()[0].focus();
        else return;
      } else if (panel.contains(event.target)) {
        move(event.target, step);
      } else {
        return;
      }
      event.preventDefault();
    }
  });
  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) close();
  });
  form.addEventListener("focusout", function (event) {
    if (event.relatedTarget && !form.contains(event.relatedTarget)) close();
  });
})();
