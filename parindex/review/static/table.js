// Datasette's table pages of a parindex database, made for reading the rows:
// - the list of column descriptions folds into one line that opens on a click (with thirty
//   columns described it filled the screen before the first row); the descriptions stay in
//   the page, and in each column's menu as Datasette shows them;
// - on the facts table the evidence sentence comes right after the unit, so that it is on
//   screen with the unit it speaks of rather than past twenty narrow columns.
function parindexFoldColumns() {
  "use strict";
  var list = document.querySelector("dl.column-descriptions");
  if (!list) { return; }
  var details = document.createElement("details");
  details.className = "parindex-columns";
  var summary = document.createElement("summary");
  var count = list.querySelectorAll("dt").length;
  var vi = (navigator.language || "").toLowerCase().indexOf("vi") === 0;
  summary.textContent = vi ? "Ý nghĩa của " + count + " cột" : "What the " + count + " columns mean";
  list.parentNode.insertBefore(details, list);
  details.appendChild(summary);
  details.appendChild(list);
}

function parindexEvidenceFirst() {
  "use strict";
  if (!document.body.classList.contains("table-facts")) { return; }
  // The small-screen layout labels cells by their position: keep the table's order there.
  if (window.matchMedia && window.matchMedia("(max-width: 576px)").matches) { return; }
  document.querySelectorAll("table.rows-and-columns tr").forEach(function (row) {
    var unit = row.querySelector(".col-unit"), evidence = row.querySelector(".col-evidence");
    if (unit && evidence) { unit.parentNode.insertBefore(evidence, unit.nextSibling); }
  });
}

// Datasette loads this in the page head: wait for the page.
document.addEventListener("DOMContentLoaded", function () {
  parindexFoldColumns();
  parindexEvidenceFirst();
});
