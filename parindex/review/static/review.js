// Keyboard review: one key per decision, so a reviewer's hands stay on the keys.
// No inline handlers and no HTML built from data: the page's text is escaped server-side.
(function () {
  "use strict";
  var busy = false;
  var fields = document.getElementById("fields");
  var correctForm = document.getElementById("correct-form");

  function submit(id) {
    var form = document.getElementById(id);
    if (!form || busy) { return; }
    busy = true;  // one decision per key press, even if the key repeats
    form.submit();
  }

  function follow(id) {
    var link = document.getElementById(id);
    if (link && !busy) { busy = true; window.location.assign(link.href); }
  }

  function startEdit() {
    if (!fields) { return; }
    fields.disabled = false;
    correctForm.classList.add("editing");
    var first = document.getElementById("f-rank") || fields.querySelector("input");
    first.focus();
    if (first.select) { first.select(); }
  }

  function cancelEdit() {
    if (!fields) { return; }
    correctForm.reset();
    fields.disabled = true;
    correctForm.classList.remove("editing");
    document.activeElement.blur();
  }

  // The server checks these again; here they only spare a round trip.
  function checkRank() {
    var rank = document.getElementById("f-rank"), total = document.getElementById("f-rank_total");
    if (!rank || !total) { return; }
    var r = parseInt(rank.value, 10), t = parseInt(total.value, 10);
    // The message comes in the page's language from the form (data-rank-beyond).
    var text = correctForm.getAttribute("data-rank-beyond") || "rank {rank} is beyond the {total} ranked";
    rank.setCustomValidity(!isNaN(r) && !isNaN(t) && r > t
      ? text.replace("{rank}", String(r)).replace("{total}", String(t)) : "");
  }

  if (correctForm) {
    ["f-rank", "f-rank_total"].forEach(function (id) {
      var input = document.getElementById(id);
      if (input) { input.addEventListener("input", checkRank); }
    });
    correctForm.addEventListener("submit", function (ev) {
      checkRank();
      if (!correctForm.checkValidity()) { ev.preventDefault(); correctForm.reportValidity(); }
    });
    document.getElementById("edit-button").addEventListener("click", startEdit);
    document.getElementById("cancel-edit").addEventListener("click", cancelEdit);
  }

  var filterForm = document.getElementById("filter-form");
  if (filterForm) {
    filterForm.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("change", function () { filterForm.submit(); });
    });
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.isComposing) { return; }
    var target = ev.target;
    if (target.closest && target.closest("input, select, textarea, button")) {
      if (ev.key === "Escape") { ev.preventDefault(); cancelEdit(); }
      if (target.tagName !== "BUTTON") { return; }
    }
    var actions = {
      a: function () { submit("accept-form"); },
      r: function () { submit("reject-form"); },
      e: startEdit,
      s: function () { follow("skip-link"); },
      u: function () { submit("undo-form"); },
      U: function () { submit("redo-form"); },
      j: function () { follow("next-link"); },
      k: function () { follow("prev-link"); }
    };
    var action = actions[ev.key];
    if (action) { ev.preventDefault(); action(); }
  });

  if (correctForm && correctForm.classList.contains("editing")) { startEdit(); }
})();
