// Sortable tables: click (or Enter on) a column header to sort by it,
// again to reverse. Numeric columns (class "n") sort by data-v.
(function () {
  "use strict";
  function key(row, i, numeric) {
    var c = row.cells[i];
    if (!c) return numeric ? -Infinity : "";
    var v = c.getAttribute("data-v");
    if (numeric) return v === null ? parseFloat(c.textContent.replace(/[^0-9.\-]/g, "")) || 0 : parseFloat(v);
    return (v === null ? c.textContent : v).trim().toLowerCase();
  }
  function sortBy(table, th, i) {
    var numeric = th.classList.contains("n");
    var asc = th.getAttribute("aria-sort") !== (numeric ? "descending" : "ascending");
    if (numeric) asc = !asc;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (r, n) { r._order = n; });
    rows.sort(function (a, b) {
      var x = key(a, i, numeric), y = key(b, i, numeric);
      var d = x < y ? -1 : x > y ? 1 : 0;
      return (asc ? d : -d) || a._order - b._order;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    if (!table.tHead || !table.tBodies.length) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.tabIndex = 0;
      th.setAttribute("aria-sort", "none");
      th.addEventListener("click", function () { sortBy(table, th, i); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(table, th, i); }
      });
    });
    table.classList.add("ready");
  });
  // Printing shows folded sections too.
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
  });
})();
