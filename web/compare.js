// The compare page: every run's series overlaid on one chart each, over seconds since its own start.
(function () {
  'use strict';
  var runs = JSON.parse(document.getElementById('compare-data').textContent);
  var root = document.getElementById('overlays');
  var charts = window.cncfdemoCharts;
  function panel(id) {
    var el = document.createElement('div');
    el.className = 'chart';
    el.id = id;
    root.append(el);
    return el;
  }
  function firstSeries(list) {
    return list.length ? list[0].points : null;
  }
  charts.overlay(
    panel('overlay-throughput'),
    'Requests per second',
    runs,
    function (c) {
      return c.throughput;
    },
    'req/s',
  );
  charts.overlay(
    panel('overlay-failures'),
    'Failed requests per second',
    runs,
    function (c) {
      return c.failures;
    },
    'failed/s',
  );
  charts.overlay(
    panel('overlay-replicas'),
    'Countly API replicas',
    runs,
    function (c) {
      return firstSeries(c.series.replicas);
    },
    'replicas',
  );
  charts.overlayLatency(panel('overlay-latency'), 'Latency by percentile', runs);
  document.body.setAttribute('data-rendered', 'true');
})();
