// The runs list (GET /api/runs, refreshed) and one run's phases, live from its event stream.
(function () {
  'use strict';
  var ICONS = { running: '…', ok: '✓', failed: '✗', skipped: '–' };
  var selected = null;
  var source = null;

  function text(tag, value, className) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (className) el.className = className;
    return el;
  }

  function seconds(ms) {
    return (ms / 1000).toFixed(1) + ' s';
  }

  function localTime(iso) {
    return iso ? new Date(iso).toLocaleString() : '-';
  }

  function renderRuns(runs) {
    var body = document.querySelector('#runs tbody');
    body.replaceChildren();
    document.getElementById('no-runs').hidden = runs.length > 0;
    runs.forEach(function (run) {
      var row = document.createElement('tr');
      row.dataset.run = run.id;
      if (run.id === selected) row.className = 'selected';
      row.append(
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
        report.append(link);
      }
      row.append(report);
      row.addEventListener('click', function () {
        showRun(run.id);
      });
      body.append(row);
    });
  }

  function refreshRuns() {
    return fetch('api/runs')
      .then(function (r) {
        return r.json();
      })
      .then(renderRuns);
  }

  // Folds start/progress/end events into phases, as the run record does.
  function fold(phases, event) {
    var key = event.scope + '/' + event.id;
    var phase = phases.get(key);
    if (event.phase === 'start') {
      phases.set(key, {
        title: event.title,
        start: event.time,
        state: 'running',
        message: '',
        durationMs: null,
      });
      return;
    }
    if (!phase) return;
    if (event.phase === 'progress') phase.message = event.message || '';
    if (event.phase === 'end') {
      phase.state = event.outcome || 'ok';
      phase.durationMs = event.durationMs == null ? null : event.durationMs;
      phase.message = event.message || '';
    }
  }

  function renderPhases(phases) {
    var list = document.getElementById('phases');
    list.replaceChildren();
    var open = 0;
    var failed = 0;
    phases.forEach(function (phase) {
      if (phase.state === 'running') open++;
      if (phase.state === 'failed') failed++;
      var item = document.createElement('li');
      item.className = 'phase-' + phase.state;
      item.append(
        text('span', ICONS[phase.state] || '?', 'state state-' + phase.state),
        text('span', phase.title),
        text('span', phase.durationMs == null ? 'running' : seconds(phase.durationMs)),
      );
      if (phase.message) item.append(text('span', phase.message, 'message'));
      list.append(item);
    });
    document.getElementById('run-state').textContent =
      phases.size + ' phases: ' + open + ' running, ' + failed + ' failed';
  }

  function showRun(id) {
    selected = id;
    if (source) source.close();
    document.querySelectorAll('#runs tbody tr').forEach(function (row) {
      row.className = row.dataset.run === id ? 'selected' : '';
    });
    document.getElementById('run-panel').hidden = false;
    document.getElementById('run-title').textContent = id;
    var phases = new Map();
    renderPhases(phases);
    source = new EventSource('api/runs/' + encodeURIComponent(id) + '/events');
    // A reconnect replays the stream from its first line.
    source.onopen = function () {
      phases.clear();
    };
    source.onmessage = function (message) {
      fold(phases, JSON.parse(message.data));
      renderPhases(phases);
    };
  }

  refreshRuns();
  setInterval(refreshRuns, 3000);
})();
