// The compare tray: "Add to compare" links collect up to four tools in
// localStorage and a small fixed tray links to /compare/ with the whole set.
// Without JavaScript each link opens the compare page for its own tool, and
// that page offers more tools to add. The compare page is the tray itself: it
// writes its set back here, so removing a column there updates the tray.
(function () {
  "use strict";
  var KEY = "toolfinder:compare";
  var MAX = 4;
  var script = document.currentScript;
  var compareUrl = (script && script.dataset.compareUrl) || "/compare/";

  function load() {
    try {
      var items = JSON.parse(localStorage.getItem(KEY) || "[]");
      return Array.isArray(items) ? items.filter(function (i) {
        return i && typeof i.slug === "string" && typeof i.name === "string";
      }).slice(0, MAX) : [];
    } catch (e) {
      return [];
    }
  }
  function save(items) {
    try {
      localStorage.setItem(KEY, JSON.stringify(items));
    } catch (e) { /* private mode: the tray just forgets */ }
  }
  function has(items, slug) {
    return items.some(function (i) { return i.slug === slug; });
  }
  // Sorted and unique, like the server's canonical form, so no redirect is needed.
  function url(slugs) {
    var unique = slugs.filter(function (s, n) { return slugs.indexOf(s) === n; }).sort();
    return compareUrl + "?tools=" + unique.map(encodeURIComponent).join(",");
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }
  function announce(message) {
    var status = document.getElementById("compare-tray-status");
    if (!status) {
      status = el("p", { id: "compare-tray-status", class: "visually-hidden", role: "status" });
      document.body.appendChild(status);
    }
    status.textContent = message;
  }

  function paintLinks(items) {
    var slugs = items.map(function (i) { return i.slug; });
    document.querySelectorAll("a[data-compare-slug]").forEach(function (link) {
      var slug = link.dataset.compareSlug;
      var chosen = has(items, slug);
      link.setAttribute("role", "button");
      link.setAttribute("aria-pressed", chosen ? "true" : "false");
      link.href = url(chosen ? slugs : slugs.concat([slug]));
    });
  }

  function paintTray(items) {
    var tray = document.getElementById("compare-tray");
    if (document.getElementById("compare-current")) {
      if (tray) tray.remove();
      return; // the compare page shows the set in full
    }
    if (!tray) {
      tray = el("aside", { id: "compare-tray", class: "compare-tray", "aria-labelledby": "compare-tray-title" });
      document.body.appendChild(tray);
    }
    tray.replaceChildren();
    tray.hidden = items.length === 0;
    document.body.classList.toggle("has-compare-tray", items.length > 0);
    if (!items.length) return;
    tray.appendChild(el("h2", { id: "compare-tray-title", class: "compare-tray-title" },
      "Compare (" + items.length + " of " + MAX + ")"));
    var list = el("ul", { class: "compare-tray-list", role: "list" });
    items.forEach(function (item) {
      var li = el("li");
      li.appendChild(el("span", {}, item.name));
      var remove = el("button", { type: "button", class: "compare-tray-remove", "data-remove": item.slug });
      remove.appendChild(el("span", { "aria-hidden": "true" }, "×"));
      remove.appendChild(el("span", { class: "visually-hidden" }, "Remove " + item.name));
      li.appendChild(remove);
      list.appendChild(li);
    });
    tray.appendChild(list);
    if (items.length >= 2) {
      tray.appendChild(el("a", { class: "compare-tray-go", href: url(items.map(function (i) { return i.slug; })) },
        "Compare " + items.length + " tools"));
    } else {
      tray.appendChild(el("p", { class: "compare-tray-hint" }, "Add one more tool to compare."));
    }
    tray.appendChild(el("button", { type: "button", class: "compare-tray-clear", "data-clear": "" }, "Clear"));
  }

  function paint() {
    var items = load();
    paintLinks(items);
    paintTray(items);
  }

  function syncFromComparePage() {
    var current = document.getElementById("compare-current");
    if (!current) return;
    try {
      var items = JSON.parse(current.textContent);
      if (Array.isArray(items) && items.length) save(items.slice(0, MAX));
    } catch (e) { /* leave the tray as it was */ }
  }

  function toggle(link) {
    var items = load();
    var slug = link.dataset.compareSlug;
    var name = link.dataset.compareName || slug;
    if (has(items, slug)) {
      items = items.filter(function (i) { return i.slug !== slug; });
      announce(name + " removed from compare. " + items.length + " chosen.");
    } else if (items.length >= MAX) {
      announce("You can compare up to " + MAX + " tools. Remove one from the tray first.");
      return;
    } else {
      items.push({ slug: slug, name: name });
      announce(name + " added to compare. " + items.length + " chosen.");
    }
    save(items);
    paint();
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
        event.shiftKey || event.altKey) return;
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    var link = target.closest("a[data-compare-slug]");
    if (link) {
      event.preventDefault();
      toggle(link);
      return;
    }
    var remove = target.closest("#compare-tray [data-remove]");
    if (remove) {
      var slug = remove.getAttribute("data-remove");
      save(load().filter(function (i) { return i.slug !== slug; }));
      paint();
      announce("Removed. " + load().length + " chosen.");
      var next = document.querySelector("#compare-tray button");
      if (next) next.focus();
    } else if (target.closest("#compare-tray [data-clear]")) {
      save([]);
      paint();
      announce("Compare tray cleared.");
    }
  });
  // role="button" links answer the space bar like buttons do.
  document.addEventListener("keydown", function (event) {
    if (event.key !== " " || !(event.target instanceof Element)) return;
    var link = event.target.closest("a[data-compare-slug]");
    if (link) {
      event.preventDefault();
      toggle(link);
    }
  });
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) paint();
  });
  // htmx swaps in new cards (and restores old pages): mark their links too.
  document.addEventListener("htmx:afterSettle", paint);
  document.addEventListener("htmx:historyRestore", paint);

  syncFromComparePage();
  paint();
})();
