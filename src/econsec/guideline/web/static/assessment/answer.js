// Answering view: saves each change in the background and refreshes the scores in place.
// Keys inside a question: 1 done, 2 partial, 3 not done, 4 N/A, 0 / Delete clears; the
// choice moves focus to the next question. Arrow keys move between results (native radios).
// Without this script every item is a plain form with its own save button.
(function () {
  "use strict";
  var root = document.getElementById("assessment");
  if (!root || root.getAttribute("data-editable") !== "1") return;
  document.documentElement.classList.add("js");
  var url = root.getAttribute("data-answer-url");
  var TEXT_DELAY = 600;

  function csrf(form) {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function setText(selector, value) {
    var nodes = document.querySelectorAll(selector);
    for (var i = 0; i < nodes.length; i++) nodes[i].textContent = value;
  }

  function renderGaps(gaps) {
    var list = document.querySelector("[data-testid=top-gaps]");
    if (!list) return;
    while (list.firstChild) list.removeChild(list.firstChild);
    gaps.forEach(function (g) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "#item-" + g.item_id;
      a.textContent = g.item_id + " " + g.name;
      var note = document.createElement("span");
      note.className = "muted";
      note.textContent = " " + g.priority + " · " + g.maturity;
      li.appendChild(a);
      li.appendChild(note);
      list.appendChild(li);
    });
  }

  function render(form, data) {
    setText("[data-score=overall-maturity]", data.overall.maturity);
    setText("[data-score=overall-implementation]", data.overall.implementation);
    setText("[data-score=overall-coverage]", data.overall.coverage);
    Object.keys(data.areas).forEach(function (id) {
      setText("[data-score=area-" + id + "-maturity]", data.areas[id].maturity);
      setText("[data-score=area-" + id + "-implementation]", data.areas[id].implementation);
    });
    if (data.item) {
      var impl = form.closest(".as-item").querySelector("[data-field=implementation]");
      if (impl) impl.textContent = data.item.implementation;
    }
    var status = document.querySelectorAll("[data-testid=campaign-status], .signoff [data-field=status]");
    for (var i = 0; i < status.length; i++) {
      status[i].textContent = data.status_label;
      status[i].className = "pill status-" + data.status;
    }
    renderGaps(data.gaps);
  }

  function save(form, field) {
    var state = form.querySelector("[data-field=state]");
    var body = new FormData();
    body.append("item", form.getAttribute("data-item"));
    body.append(field.name, field.value);
    if (state) { state.className = "save-state muted"; state.textContent = root.getAttribute("data-saving"); }
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf(form) }
    })
      .then(function (r) {
        return r.json().then(function (data) { return { ok: r.ok, data: data }; });
      })
      .then(function (res) {
        if (!res.ok) throw new Error(res.data.error || "");
        render(form, res.data);
        if (state) { state.className = "save-state ok"; state.textContent = res.data.message; }
      })
      .catch(function (err) {
        if (state) {
          state.className = "save-state err";
          state.textContent = root.getAttribute("data-failed") + " " + (err.message || "");
        }
      });
  }

  var timers = {};
  root.addEventListener("change", function (event) {
    var field = event.target;
    var form = field.form;
    if (!form || !form.classList.contains("item-form") || !field.name) return;
    if (timers[field.name]) { window.clearTimeout(timers[field.name]); delete timers[field.name]; }
    save(form, field);
  });
  // Text fields also save after a pause in typing, not only when focus leaves them.
  root.addEventListener("input", function (event) {
    var field = event.target;
    var form = field.form;
    if (!form || !form.classList.contains("item-form")) return;
    if (field.type !== "text" && field.tagName !== "TEXTAREA") return;
    if (timers[field.name]) window.clearTimeout(timers[field.name]);
    timers[field.name] = window.setTimeout(function () { delete timers[field.name]; save(form, field); }, TEXT_DELAY);
  });
  root.addEventListener("submit", function (event) {
    if (event.target.classList.contains("item-form")) event.preventDefault();
  });

  var questions = Array.prototype.slice.call(root.querySelectorAll(".question"));
  function focusQuestion(index) {
    var q = questions[index];
    if (!q) return;
    var target = q.querySelector("input[type=radio]:checked") || q.querySelector("input[type=radio]");
    target.focus();
    q.scrollIntoView({ block: "nearest" });
  }
  root.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var field = event.target;
    if (field.type !== "radio") return; // typing in text fields is never intercepted
    var q = field.closest(".question");
    if (!q) return;
    var key = event.key === "Delete" || event.key === "Backspace" ? "0" : event.key;
    var choice = q.querySelector('input[type=radio][data-key="' + key + '"]');
    if (!choice) return;
    event.preventDefault();
    if (!choice.checked) {
      choice.checked = true;
      choice.dispatchEvent(new Event("change", { bubbles: true }));
    }
    focusQuestion(questions.indexOf(q) + 1 < questions.length ? questions.indexOf(q) + 1 : questions.indexOf(q));
  });
})();
