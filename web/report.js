// The report page: draws the run's charts from its embedded chart data (see charts.js).
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('chart-data').textContent);
  window.cncfdemoCharts.render(data, document.getElementById('charts'));
  document.body.setAttribute('data-rendered', 'true');
})();
