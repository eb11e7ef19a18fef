// The live UI: the runs list (GET /api/runs, refreshed), one run's phases and charts live (server-sent
// snapshots of /api/runs/ID/live), the compare page of ticked benchmarks, and the clusters view
// (snapshots of /api/clusters/live, kept current by the server's watches).
(function () {
  'use strict';
  var ICONS = { running: '…', ok: '✓', failed: '✗', skipped: '–' };
  var selected = null;
  var picked = new Set();
  var runSource = null;
  var clusterSource = null;
  var lastView = null;
  var charts = window.cncfdemoCharts;

  function text(tag, value, className) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (className) el.className = className;
    return el;
  }

  function plural(n, word) {
    return n + ' ' + word + (n === 1 ? '' : 's');
  }

  function seconds(ms) {
    return (ms / 1000).toFixed(1) + ' s';
  }

  function localTime(iso) {
    return iso ? new Date(iso).toLocaleString() : '-';
  }

  // Runs ------------------------------------------------------------------------------------------------

  function renderRuns(runs) {
    var body = document.querySelector('#runs tbody');
    body.replaceChildren();
    document.getElementById('no-runs').hidden = runs.length > 0;
    runs.forEach(function (run) {
      var row = document.createElement('tr');
      row.dataset.run = run.id;
      if (run.id === selected) row.className = 'selected';
      var tick = document.createElement('td');
      if (run.command === 'benchmark' && run.state === 'ok') {
        var box = document.createElement('input');
        box.type = 'checkbox';
        box.className = 'pick';
        box.checked = picked.has(run.id);
        box.setAttribute('aria-label', 'compare ' + run.id);
        box.addEventListener('click', function (e) {
          e.stopPropagation();
          if (box.checked) picked.add(run.id);
          else picked.delete(run.id);
          document.getElementById('compare').disabled = picked.size < 2;
        });
        tick.append(box);
      }
      row.append(
        tick,
        text('td', run.id),
        text('td', run.command),
        text('td', run.state, 'state state-' + run.state),
        text('td', localTime(run.started)),
        text(
          'td',
          run.headline ||
            run.phases + ' phases' + (run.failedPhases ? ', ' + run.failedPhases + ' failed' : ''),
        ),
      );
      var report = document.createElement('td');
      if (run.hasReport) {
        var link = text('a', 'report');
        link.href = 'runs/' + encodeURIComponent(run.id) + '/report.html';
        link.target = '_blank';
        link.addEventListener('click', function (e) {
          e.stopPropagation();
        });
        report.append(link);
      }
      row.append(report);
      row.addEventListener('click', function () {
        location.hash = 'run=' + encodeURIComponent(run.id);
      });
      body.append(row);
    });
  }

  function refreshRuns() {
    return fetch('api/runs')
      .then(function (r) {
        return r.json();
      })
      .then(renderRuns)
      .catch(function () {
        // the server went away: the next refresh tries again
      });
  }

  function renderPhases(phases) {
    var list = document.getElementById('phases');
    list.replaceChildren();
    var open = 0;
    var failed = 0;
    phases.forEach(function (phase) {
      var state = phase.end === null ? 'running' : phase.outcome || 'ok';
      if (state === 'running') open++;
      if (state === 'failed') failed++;
      var item = document.createElement('li');
      item.className = 'phase-' + state;
      item.dataset.phase = phase.scope + '/' + phase.id;
      item.append(
        text('span', ICONS[state] || '?', 'state state-' + state),
        text('span', phase.title),
        text('span', phase.durationMs == null ? 'running' : seconds(phase.durationMs)),
      );
      if (phase.latest) item.append(text('span', phase.latest, 'message'));
      list.append(item);
    });
    document.getElementById('run-state').textContent =
      plural(phases.length, 'phase') + ': ' + open + ' running, ' + failed + ' failed';
  }

  // Benchmarks get every chart; other runs their phase timeline.
  function renderCharts(view) {
    var only = view.summary.command === 'benchmark' ? null : ['chart-timeline'];
    charts.render(view.charts, document.getElementById('charts'), only);
  }

  function renderView(view) {
    lastView = view;
    renderPhases(view.phases);
    renderCharts(view);
    var report = document.getElementById('run-report');
    report.hidden = !view.summary.hasReport;
    report.firstElementChild.href = 'runs/' + encodeURIComponent(view.summary.id) + '/report.html';
    document.getElementById('run-panel').dataset.state = view.summary.state;
  }

  function showRun(id) {
    selected = id;
    if (runSource) runSource.close();
    lastView = null;
    document.querySelectorAll('#runs tbody tr').forEach(function (row) {
      row.className = row.dataset.run === id ? 'selected' : '';
    });
    document.getElementById('run-panel').hidden = false;
    document.getElementById('run-title').textContent = id;
    document.getElementById('phases').replaceChildren();
    document.getElementById('charts').replaceChildren();
    // Each message is the whole view (the server drops older ones for a slow page), so a reconnect needs
    // no bookkeeping.
    runSource = new EventSource('api/runs/' + encodeURIComponent(id) + '/live');
    runSource.onmessage = function (message) {
      renderView(JSON.parse(message.data));
    };
  }

  // Open phases grow while nothing is written: the timeline is redrawn against the clock.
  setInterval(function () {
    if (lastView && lastView.summary.state === 'running') renderCharts(lastView);
  }, 1000);

  document.getElementById('compare').addEventListener('click', function () {
    var query = Array.from(picked)
      .map(function (id) {
        return 'run=' + encodeURIComponent(id);
      })
      .join('&');
    window.open('compare?' + query, '_blank');
  });

  // Clusters --------------------------------------------------------------------------------------------

  function table(head, rows) {
    var t = document.createElement('table');
    var h = document.createElement('tr');
    head.forEach(function (c) {
      h.append(text('th', c));
    });
    var thead = document.createElement('thead');
    thead.append(h);
    var body = document.createElement('tbody');
    rows.forEach(function (r) {
      var tr = document.createElement('tr');
      r.forEach(function (c) {
        tr.append(typeof c === 'string' ? text('td', c) : c);
      });
      body.append(tr);
    });
    t.append(thead, body);
    return t;
  }

  function renderClusters(views) {
    var root = document.getElementById('clusters');
    root.replaceChildren();
    document.getElementById('no-clusters').hidden = views.length > 0;
    views.forEach(function (c) {
      var section = document.createElement('section');
      section.className = 'cluster';
      section.dataset.cluster = c.name;
      var ready = c.nodes.filter(function (n) {
        return n.ready;
      }).length;
      section.append(
        text('h2', c.name + ' (' + c.provider + ')'),
        text(
          'p',
          c.state +
            (c.down.length ? ': ' + c.down.join(', ') + ' down' : '') +
            ' · ' +
            ready +
            '/' +
            c.nodes.length +
            ' nodes Ready',
          'state state-' + c.state.toLowerCase(),
        ),
      );
      if (c.error) section.append(text('p', c.error, 'note'));
      if (c.nodes.length) {
        var nodes = c.nodes.slice(0, 50).map(function (n) {
          return [
            n.name,
            text('td', n.ready ? 'Ready' : 'NotReady', 'state state-' + (n.ready ? 'ok' : 'failed')),
            n.simulated ? 'simulated (kwok)' : 'real',
            n.kubelet || '-',
          ];
        });
        var nodesTable = table(['Node', 'Status', 'Kind', 'Kubelet'], nodes);
        nodesTable.className = 'nodes';
        section.append(nodesTable);
        if (c.nodes.length > 50) section.append(text('p', 'and ' + (c.nodes.length - 50) + ' more', 'note'));
      }
      if (
        c.components.length &&
        c.components.some(function (x) {
          return x.state !== 'NotDeployed';
        })
      ) {
        var components = table(
          ['Component', 'State', 'Detail'],
          c.components.map(function (x) {
            var state = x.state === 'Ready' ? 'ok' : x.state === 'NotReady' ? 'running' : 'skipped';
            var row = [x.title, text('td', x.state, 'state state-' + state), x.detail];
            return row;
          }),
        );
        components.className = 'components';
        section.append(components);
      } else if (!c.error) {
        section.append(text('p', 'The demo stack is not deployed (cncfdemo start).', 'note'));
      }
      root.append(section);
    });
  }

  function watchClusters() {
    if (clusterSource) return;
    clusterSource = new EventSource('api/clusters/live');
    clusterSource.onmessage = function (message) {
      renderClusters(JSON.parse(message.data));
    };
  }

  // Routing: #runs, #run=ID, #clusters ------------------------------------------------------------------

  function route() {
    var hash = decodeURIComponent(location.hash.replace(/^#/, ''));
    var clustersView = hash === 'clusters';
    document.getElementById('runs-view').hidden = clustersView;
    document.getElementById('clusters-view').hidden = !clustersView;
    document.getElementById('nav-runs').className = clustersView ? '' : 'active';
    document.getElementById('nav-clusters').className = clustersView ? 'active' : '';
    if (clustersView) {
      watchClusters();
      return;
    }
    if (clusterSource) {
      clusterSource.close();
      clusterSource = null;
    }
    if (hash.indexOf('run=') === 0 && hash.slice(4) !== selected) showRun(hash.slice(4));
  }

  window.addEventListener('hashchange', route);
  refreshRuns().then(route);
  setInterval(refreshRuns, 3000);
})();
