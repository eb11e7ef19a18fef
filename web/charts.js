// The charts of a run, drawn with uPlot from the ChartData shape (src/report/chart-data.ts). One script for
// the self-contained report (inlined), the live web UI (served) and the published site: redrawing with
// newer data replaces the charts in place.
(function () {
  'use strict';
  var palette = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df', '#bf3989', '#0a7b83', '#57606a'];

  // The chart containers, in page order; the report tests know these ids.
  var CHARTS = [
    ['chart-throughput', 'Requests per second'],
    ['chart-failures', 'Failed requests per second'],
    ['chart-latency', 'Latency by percentile'],
    ['chart-replicas', 'Countly API replicas'],
    ['chart-priority', 'Running pods by priority class'],
    ['chart-boinc', 'BOINC work: CPU cores on idle capacity'],
    ['chart-timeline', 'Phase timeline'],
  ];

  function noData(el, title, text) {
    var heading = document.createElement('h2');
    heading.textContent = title;
    var note = document.createElement('div');
    note.className = 'nodata';
    note.textContent = text;
    el.append(heading, note);
  }

  // Aligns series with their own timestamps onto one sorted x axis (uPlot needs columns), null where absent.
  function align(seriesList) {
    var xs = {};
    seriesList.forEach(function (s) {
      s.points.forEach(function (p) {
        xs[p.t] = true;
      });
    });
    var x = Object.keys(xs)
      .map(Number)
      .sort(function (a, b) {
        return a - b;
      });
    var index = {};
    x.forEach(function (t, i) {
      index[t] = i;
    });
    var data = [x];
    seriesList.forEach(function (s) {
      var column = x.map(function () {
        return null;
      });
      s.points.forEach(function (p) {
        column[index[p.t]] = p.v;
      });
      data.push(column);
    });
    return data;
  }

  // Chaos: each kill is a dashed vertical line on the charts over time (a uPlot draw hook).
  function killMarks(kills) {
    return {
      hooks: {
        draw: [
          function (u) {
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
          },
        ],
      },
    };
  }

  function plot(el, title, kills, opts) {
    var width = Math.max(320, el.clientWidth - 24);
    var options = Object.assign(
      { title: title, width: width, height: 260, legend: { live: false } },
      opts.options,
    );
    if (opts.marks) options.plugins = [killMarks(kills)];
    new uPlot(options, opts.data, el);
    // How many points are drawn: the live UI's tests watch it grow.
    el.setAttribute('data-points', String(opts.data[0].length));
    if (opts.marks && kills.length) el.setAttribute('data-kill-marks', String(kills.length));
  }

  function lines(el, title, kills, seriesList, yLabel, empty) {
    var some = seriesList.some(function (s) {
      return s.points.length;
    });
    if (!some) return noData(el, title, empty);
    plot(el, title, kills, {
      marks: true,
      data: align(seriesList),
      options: {
        series: [{}].concat(
          seriesList.map(function (s, i) {
            return { label: s.name, stroke: palette[i % palette.length], width: 2, spanGaps: true };
          }),
        ),
        axes: [{}, { label: yLabel }],
      },
    });
  }

  // Latency by percentile, one line per curve ({ name, curve }), on a "number of nines" axis whose ticks
  // are the measured percentiles (50%, 90%, 99%, ...).
  function latency(el, title, curves, empty) {
    curves = curves.filter(function (c) {
      return c.curve.length;
    });
    if (!curves.length) return noData(el, title, empty);
    var list = curves.map(function (c) {
      return {
        name: c.name,
        points: c.curve.map(function (p) {
          return { t: -Math.log10(1 - p.quantile), v: p.seconds * 1000 };
        }),
      };
    });
    var data = align(list);
    var label = function (v) {
      return +(100 * (1 - Math.pow(10, -v))).toPrecision(6) + '%';
    };
    plot(el, title, [], {
      data: data,
      options: {
        scales: { x: { time: false } },
        series: [
          {
            label: 'percentile',
            value: function (u, v) {
              return v == null ? '' : label(v);
            },
          },
        ].concat(
          list.map(function (s, i) {
            return {
              label: s.name,
              stroke: palette[(curves.length === 1 ? 1 : i) % palette.length],
              width: 2,
              spanGaps: true,
              points: { show: true, size: 6 },
            };
          }),
        ),
        axes: [
          {
            splits: function () {
              return data[0];
            },
            values: function (u, vals) {
              return vals.map(label);
            },
          },
          { label: 'ms' },
        ],
      },
    });
  }

  // A phase is a horizontal bar over its row between its start and its end (now, while it runs).
  function timeline(el, title, phases, now) {
    if (!phases.length) return noData(el, title, 'no phases recorded');
    var spans = phases.map(function (p) {
      return { from: Date.parse(p.start) / 1000, to: p.end ? Date.parse(p.end) / 1000 : now };
    });
    var rows = phases.map(function (p, i) {
      var y = phases.length - i;
      return {
        name: p.title,
        points: [
          { t: spans[i].from, v: y },
          { t: spans[i].to, v: y },
        ],
      };
    });
    var data = align(rows);
    rows.forEach(function (s, i) {
      data[i + 1] = data[0].map(function (t) {
        return t >= spans[i].from && t <= spans[i].to ? s.points[0].v : null;
      });
    });
    plot(el, title, [], {
      data: data,
      options: {
        legend: { show: true, live: false },
        scales: { y: { range: [0, phases.length + 1] } },
        series: [{}].concat(
          rows.map(function (s, i) {
            return {
              label: s.name,
              stroke: palette[i % palette.length],
              width: 10,
              spanGaps: false,
              points: { show: false },
            };
          }),
        ),
        axes: [
          {},
          {
            values: function () {
              return [];
            },
            size: 10,
          },
        ],
      },
    });
  }

  // Draws (or redraws) every chart of `data` into `root`, creating the containers the first time.
  function render(data, root, only) {
    var els = {};
    CHARTS.forEach(function (c) {
      var el = root.querySelector('#' + c[0]);
      if (!el) {
        el = document.createElement('div');
        el.className = 'chart';
        el.id = c[0];
        root.append(el);
      }
      el.replaceChildren();
      el.removeAttribute('data-kill-marks');
      el.removeAttribute('data-points');
      el.hidden = only ? only.indexOf(c[0]) < 0 : false;
      els[c[0]] = { el: el, title: c[1] };
    });
    var k = data.kills;
    var draw = function (id, fn) {
      if (!els[id].el.hidden) fn(els[id].el, els[id].title);
    };
    draw('chart-throughput', function (el, t) {
      lines(
        el,
        t,
        k,
        data.throughput ? [{ name: 'req/s', points: data.throughput }] : [],
        'req/s',
        data.httpNote,
      );
    });
    draw('chart-failures', function (el, t) {
      lines(
        el,
        t,
        k,
        data.failures ? [{ name: 'failed/s', points: data.failures }] : [],
        'failed/s',
        data.failuresNote,
      );
    });
    draw('chart-latency', function (el, t) {
      latency(el, t, [{ name: 'latency (ms)', curve: data.latencyCurve }], data.latencyNote);
    });
    draw('chart-replicas', function (el, t) {
      lines(el, t, k, data.series.replicas, 'replicas', data.seriesNote);
    });
    draw('chart-priority', function (el, t) {
      lines(el, t, k, data.series.podsByPriority, 'pods', data.seriesNote);
    });
    draw('chart-boinc', function (el, t) {
      lines(el, t, k, data.series.boincWork, 'cores', data.seriesNote);
    });
    draw('chart-timeline', function (el, t) {
      timeline(el, t, data.phases, Date.now() / 1000);
    });
  }

  // Several runs on one chart: each run's series over seconds since its own start (the compare view).
  function overlay(el, title, runs, pick, yLabel) {
    el.replaceChildren();
    var list = [];
    runs.forEach(function (r) {
      var points = pick(r.charts) || [];
      if (!points.length) return;
      var t0 = Date.parse(r.start) / 1000;
      list.push({
        name: r.label,
        points: points.map(function (p) {
          return { t: Math.round((p.t - t0) * 10) / 10, v: p.v };
        }),
      });
    });
    if (!list.length) return noData(el, title, 'none of these runs has this series');
    plot(el, title, [], {
      data: align(list),
      options: {
        scales: { x: { time: false } },
        series: [{ label: 's since start' }].concat(
          list.map(function (s, i) {
            return { label: s.name, stroke: palette[i % palette.length], width: 2, spanGaps: true };
          }),
        ),
        axes: [{ label: 'seconds since the run started' }, { label: yLabel }],
      },
    });
  }

  // Several runs' latency by percentile on one chart.
  function overlayLatency(el, title, runs) {
    el.replaceChildren();
    var curves = runs.map(function (r) {
      return { name: r.label, curve: r.charts.latencyCurve };
    });
    latency(el, title, curves, 'none of these runs measured latency');
  }

  window.cncfdemoCharts = {
    CHARTS: CHARTS,
    render: render,
    overlay: overlay,
    overlayLatency: overlayLatency,
  };
})();
