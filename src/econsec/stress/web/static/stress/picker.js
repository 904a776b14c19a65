// Searchable pickers for the scenario form: type to search the stored value chain, click to add
// an id to the field. Without JavaScript the fields still take ids separated by commas.
(function () {
  "use strict";
  var kindSelect = document.getElementById("f-kind");
  var partial = document.querySelectorAll(".for-partial");
  var targets = document.querySelector('.picker [name="targets"]');

  function ids(input) {
    return input.value.split(/[,\s、]+/).filter(function (v) { return v.length > 0; });
  }
  function addId(input, id) {
    var now = ids(input);
    if (now.indexOf(id) < 0) { now.push(id); }
    input.value = now.join(", ");
    input.dispatchEvent(new Event("change"));
  }
  function setup(box) {
    var input = box.querySelector("input.ids");
    var search = box.querySelector(".picker-search");
    var list = box.querySelector(".picker-results");
    var timer = null;
    var seq = 0;
    search.hidden = false;
    function show(matches) {
      list.textContent = "";
      matches.forEach(function (m) {
        var li = document.createElement("li");
        var b = document.createElement("button");
        b.type = "button";
        var code = document.createElement("span");
        code.className = "id";
        code.textContent = m.id;          // text, never HTML: names come from user data
        b.appendChild(code);
        b.appendChild(document.createTextNode(m.name && m.name !== m.id ? m.name : ""));
        b.addEventListener("click", function () { addId(input, m.id); search.focus(); });
        li.appendChild(b);
        list.appendChild(li);
      });
      list.hidden = matches.length === 0;
    }
    function query() {
      var mine = ++seq;
      var url = box.getAttribute("data-url") + "?kind=" + encodeURIComponent(box.getAttribute("data-kind")) +
        "&q=" + encodeURIComponent(search.value);
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { matches: [] }; })
        .then(function (data) { if (mine === seq) { show(data.matches || []); } })
        .catch(function () { show([]); });
    }
    search.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(query, 150);
    });
    search.addEventListener("focus", function () { if (list.hidden) { query(); } });
    search.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { list.hidden = true; }
      if (e.key === "Enter") { e.preventDefault(); var first = list.querySelector("button"); if (first) { first.click(); } }
    });
    box.picker = { reset: function () { list.hidden = true; list.textContent = ""; search.value = ""; } };
  }
  document.querySelectorAll(".picker").forEach(setup);

  function onKind() {
    if (!kindSelect) { return; }
    var option = kindSelect.options[kindSelect.selectedIndex];
    var source = option.getAttribute("data-source");
    var box = targets.closest(".picker");
    if (box.getAttribute("data-kind") !== source) {
      // Another kind of target: the ids typed so far belong to the old kind.
      if (box.getAttribute("data-kind") && box.dataset.ready === "1") { targets.value = ""; }
      box.setAttribute("data-kind", source);
      if (box.picker) { box.picker.reset(); }
    }
    box.dataset.ready = "1";
    // An export restriction is usually about some items: show their filter.
    var filter = document.querySelector("details.item-filter");
    if (filter && kindSelect.value === "export_restriction") { filter.open = true; }
    var isPartial = kindSelect.value === "partial_capacity_loss";
    partial.forEach(function (el) { el.hidden = !isPartial; });
  }
  if (kindSelect && targets) {
    kindSelect.addEventListener("change", onKind);
    onKind();
  }
})();
