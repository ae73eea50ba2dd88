/* global document */
/*
 * Sorts the portfolio table by the column whose heading button was pressed; a second press reverses the
 * order. Each cell carries its sort value (data-sort), numbers for numeric columns. aria-sort tells
 * screen readers which column sorts the table and in which direction.
 */
(function () {
  'use strict';
  function sortBy(table, index) {
    var headers = table.querySelectorAll('thead th');
    var header = headers[index];
    var numeric = header.getAttribute('data-numeric') === 'true';
    var ascending = header.getAttribute('aria-sort') !== 'ascending';
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var value = function (row) {
      var raw = row.cells[index].getAttribute('data-sort') || '';
      return numeric ? Number(raw) : raw;
    };
    rows.sort(function (a, b) {
      var x = value(a);
      var y = value(b);
      var order = numeric ? x - y : String(x).localeCompare(String(y));
      // Ties keep the project ID order, so a sort never shuffles equal rows.
      if (order === 0) order = a.cells[0].textContent.localeCompare(b.cells[0].textContent);
      return ascending ? order : -order;
    });
    rows.forEach(function (row) {
      body.appendChild(row);
    });
    Array.prototype.forEach.call(headers, function (each) {
      each.setAttribute('aria-sort', each === header ? (ascending ? 'ascending' : 'descending') : 'none');
    });
  }
  document.addEventListener('click', function (event) {
    var button = event.target.closest('th button[data-column]');
    if (!button) return;
    sortBy(button.closest('table'), Number(button.getAttribute('data-column')));
  });
})();
