/** The report page's stylesheet and browser script (plain JS run in the page, drawing with uPlot). */
export const REPORT_CSS = `
:root { --fg: #1d2330; --muted: #5b6475; --line: #d9dee7; --ok: #137333; --bad: #b3261e; --warn: #8a5a00; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 0; background: #f6f7f9; }
header { background: #0f1b2d; color: #fff; padding: 18px 28px; }
header h1 { margin: 0 0 4px; font-size: 20px; }
header p { margin: 0; color: #c5cfdd; }
main { padding: 20px 28px 40px; max-width: 1400px; margin: 0 auto; }
.banner { border-left: 4px solid var(--warn); background: #fff8e1; padding: 10px 14px; margin: 0 0 18px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; margin-bottom: 20px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.card .k { color: var(--muted); font-size: 12px; }
.card .v { font-size: 20px; font-weight: 600; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 14px; margin-bottom: 20px; }
.chart { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; min-height: 320px; }
.chart h2, section h2 { font-size: 15px; margin: 0 0 8px; }
.nodata { color: var(--muted); padding: 40px 10px; text-align: center; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; margin-bottom: 14px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); font-variant-numeric: tabular-nums; }
th { color: var(--muted); font-weight: 600; }
.pass { color: var(--ok); font-weight: 600; }
.fail { color: var(--bad); font-weight: 600; }
.none { color: var(--muted); }
.note { color: var(--muted); font-size: 12px; margin: 6px 0 0; }
pre { background: #0f1b2d; color: #e6edf3; padding: 10px; border-radius: 4px; overflow: auto; font-size: 12px; }
details summary { cursor: pointer; }
`;

export const REPORT_SCRIPT = String.raw`
(function () {
  var run = JSON.parse(document.getElementById('run-data').textContent);
  var palette = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df', '#bf3989', '#0a7b83', '#57606a'];

  function noData(el, text) {
    var title = document.createElement('h2');
    title.textContent = el.getAttribute('data-title');
    var note = document.createElement('div');
    note.className = 'nodata';
    note.textContent = text;
    el.append(title, note);
  }

  // Aligns series with their own timestamps onto one sorted x axis (uPlot needs columns), null where absent.
  function align(seriesList) {
    var xs = {};
    seriesList.forEach(function (s) { s.points.forEach(function (p) { xs[p.t] = true; }); });
    var x = Object.keys(xs).map(Number).sort(function (a, b) { return a - b; });
    var index = {};
    x.forEach(function (t, i) { index[t] = i; });
    var data = [x];
    seriesList.forEach(function (s) {
      var column = x.map(function () { return null; });
      s.points.forEach(function (p) { column[index[p.t]] = p.v; });
      data.push(column);
    });
    return data;
  }

  // Chaos: each kill is a dashed vertical line on the charts over time (a uPlot draw hook).
  var kills = (run.results.chaos && run.results.chaos.kills || []).map(function (k) { return Date.parse(k.at) / 1000; });
  var killMarks = {
    hooks: {
      draw: [function (u) {
        if (!kills.length || u.scales.x.time === false) return;
        var ctx = u.ctx;
        ctx.save();
        ctx.strokeStyle = '#b3261e';
        ctx.setLineDash([6, 4]);
        ctx.lineWidth = 1.5;
        kills.forEach(function (t) {
          var x = u.valToPos(t, 'x', true);
          if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
          ctx.beginPath();
          ctx.moveTo(x, u.bbox.top);
          ctx.lineTo(x, u.bbox.top + u.bbox.height);
          ctx.stroke();
        });
        ctx.restore();
      }],
    },
  };

  function chart(id, title, opts) {
    var el = document.getElementById(id);
    var width = Math.max(320, el.clientWidth - 24);
    el.removeAttribute('data-title');
    var options = Object.assign({ title: title, width: width, height: 260, legend: { live: false } }, opts.options);
    if (opts.marks) options.plugins = [killMarks];
    var plot = new uPlot(options, opts.data, el);
    if (opts.marks && kills.length) el.setAttribute('data-kill-marks', String(kills.length));
    return plot;
  }

  function lines(id, title, seriesList, yLabel, empty) {
    var el = document.getElementById(id);
    if (!seriesList.length || !seriesList.some(function (s) { return s.points.length; })) return noData(el, empty);
    chart(id, title, {
      marks: true,
      data: align(seriesList),
      options: {
        series: [{}].concat(seriesList.map(function (s, i) {
          return { label: s.name, stroke: palette[i % palette.length], width: 2, spanGaps: true };
        })),
        axes: [{}, { label: yLabel }],
      },
    });
  }

  var http = run.results.http;
  var skipped = run.results.httpSkipped ? 'HTTP load skipped: ' + run.results.httpSkipped : 'no HTTP load in this run';
  lines('chart-throughput', 'Requests per second', http ? [{ name: 'req/s', points: http.throughput }] : [], 'req/s', skipped);
  lines('chart-failures', 'Failed requests per second', http && http.failures ? [{ name: 'failed/s', points: http.failures }] : [], 'failed/s',
    http ? 'this load generator does not report failures while it runs (only in its final totals)' : skipped);

  var curveEl = document.getElementById('chart-latency');
  if (http && http.latencyCurve.length) {
    var nines = http.latencyCurve.map(function (p) { return -Math.log10(1 - p.quantile); });
    var ms = http.latencyCurve.map(function (p) { return p.seconds * 1000; });
    chart('chart-latency', 'Latency by percentile', {
      data: [nines, ms],
      options: {
        scales: { x: { time: false } },
        series: [
          { label: 'percentile', value: function (u, v) { return v == null ? '' : (100 * (1 - Math.pow(10, -v))).toPrecision(6) + '%'; } },
          { label: 'latency (ms)', stroke: palette[1], width: 2, points: { show: true, size: 6 } },
        ],
        axes: [
          {
            // Ticks at the measured percentiles only (50%, 90%, 99%, ...), on a "number of nines" scale.
            splits: function () { return nines; },
            values: function (u, vals) { return vals.map(function (v) { return +(100 * (1 - Math.pow(10, -v))).toPrecision(6) + '%'; }); },
          },
          { label: 'ms' },
        ],
      },
    });
  } else {
    noData(curveEl, skipped);
  }

  var notes = run.results.seriesNotes.join('; ') || 'no data';
  lines('chart-replicas', 'Countly API replicas', run.results.series.replicas, 'replicas', notes);
  lines('chart-priority', 'Running pods by priority class', run.results.series.podsByPriority, 'pods', notes);
  lines('chart-boinc', 'BOINC work: CPU cores on idle capacity', run.results.series.boincWork, 'cores', notes);

  var phases = run.events.filter(function (p) { return p.end; });
  var timelineEl = document.getElementById('chart-timeline');
  if (phases.length) {
    var timeline = phases.map(function (p, i) {
      var y = phases.length - i;
      return { name: p.title, points: [{ t: Date.parse(p.start) / 1000, v: y }, { t: Date.parse(p.end) / 1000, v: y }] };
    });
    var data = align(timeline);
    // A phase is a horizontal bar: fill its row between its start and end.
    timeline.forEach(function (s, i) {
      var from = Date.parse(phases[i].start) / 1000, to = Date.parse(phases[i].end) / 1000;
      data[i + 1] = data[0].map(function (t) { return t >= from && t <= to ? s.points[0].v : null; });
    });
    chart('chart-timeline', 'Phase timeline', {
      data: data,
      options: {
        legend: { show: true, live: false },
        scales: { y: { range: [0, phases.length + 1] } },
        series: [{}].concat(timeline.map(function (s, i) {
          return { label: s.name, stroke: palette[i % palette.length], width: 10, spanGaps: false, points: { show: false } };
        })),
        axes: [{}, { values: function () { return []; }, size: 10 }],
      },
    });
  } else {
    noData(timelineEl, 'no phases recorded');
  }
  document.body.setAttribute('data-rendered', 'true');
})();
`;
