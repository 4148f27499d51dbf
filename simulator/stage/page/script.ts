// The stage page's one script (allowed by its hash): it draws the snapshots the server streams,
// runs the clocks between them, and sends the controls with the admin token kept for the tab.
// Text from the server is always set as text, never parsed as HTML. window.stageTimings keeps,
// for each change pushed, when the server saw it, when the page had painted it, and whether an
// alert's state changed with it (bench/stage-latency.ts reads them).

/** How often the page redraws its clocks ("fires in ~8 s", "for 0:23") and the faults' time left. */
export const clockTickMs = 250;

export const stageScript = `
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const tokenKey = 'shopfast-stage-token';
  const windowMs = 5 * 60 * 1000;
  const sourceNames = { prometheus: 'Prometheus', loki: 'Loki', postgres: 'PostgreSQL' };
  const symbols = { Normal: '✓', Pending: '◔', Firing: '▲', Recovering: '▼', NoData: '∅', Error: '✕', Unknown: '?' };
  const timings = [];
  window.stageTimings = timings;
  const cards = new Map();
  let snapshot = null;
  let catalog = null;
  let offsetMs = 0;
  let lastStates = null;
  let messageTimer = 0;
  const now = () => Date.now() + offsetMs;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function svg(tag, attributes) {
    const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const name of Object.keys(attributes)) node.setAttribute(name, String(attributes[name]));
    return node;
  }
  function mmss(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
  }
  function number(value) {
    if (value === null || value === undefined || Number.isNaN(value)) return 'no value';
    return Math.abs(value) >= 100 ? String(Math.round(value)) : String(Number(value.toPrecision(3)));
  }
  function clockText(clock) {
    if (!clock) return '';
    const left = Math.ceil((clock.atMs - now()) / 1000);
    switch (clock.kind) {
      case 'fires-in': return left > 0 ? 'fires in ~' + left + ' s' : 'fires at this evaluation';
      case 'firing-for': return 'for ' + mmss(now() - clock.atMs);
      case 'resolves-in': return left > 0 ? 'resolves in ~' + left + ' s' : 'resolves at the next evaluation';
      case 'recovering-for': return 'recovering for ' + mmss(now() - clock.atMs);
      case 'since': return 'for ' + mmss(now() - clock.atMs);
      case 'expected-in': return left > 0 ? 'expected to fire in ~' + left + ' s' : '';
      default: return '';
    }
  }
  function clockTime(ms) {
    return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  }

  function cardFor(view) {
    const known = cards.get(view.id);
    if (known) return known;
    const article = el('article', 'card');
    article.dataset.card = view.id;
    const header = el('header');
    header.append(el('h2', '', view.title), el('span', 'instance', view.instance));
    const state = el('p', 'state');
    const icon = el('span', 'icon');
    icon.setAttribute('aria-hidden', 'true');
    const word = el('span', 'word');
    const origin = el('span', 'origin', 'preview');
    const clock = el('p', 'clock');
    state.append(icon, word, origin);
    const spark = svg('svg', { class: 'spark', viewBox: '0 0 300 60', preserveAspectRatio: 'none', role: 'img' });
    const threshold = svg('line', { class: 'threshold', x1: 0, x2: 300 });
    const series = svg('path', { class: 'series' });
    spark.append(threshold, series);
    const value = el('p', 'value');
    const notify = el('p', 'notify');
    const reason = el('p', 'reason');
    article.append(header, state, clock, spark, value, notify, reason);
    const node = { article, icon, word, origin, clock, spark, threshold, series, value, notify, reason, view };
    cards.set(view.id, node);
    return node;
  }

  function drawSpark(node) {
    const view = node.view;
    const end = now();
    const start = end - windowMs;
    const shown = view.points.filter((p) => p[1] !== null && p[0] >= start);
    const values = shown.map((p) => p[1]).concat([view.threshold.value]);
    let lo = Math.min(0, ...values);
    let hi = Math.max(...values);
    if (hi - lo < 1e-9) hi = lo + 1;
    const pad = (hi - lo) * 0.12;
    lo -= pad;
    hi += pad;
    const x = (t) => (((t - start) / windowMs) * 300).toFixed(1);
    const y = (v) => (60 - ((v - lo) / (hi - lo)) * 60).toFixed(1);
    let d = '';
    let pen = false;
    for (const [t, v] of view.points) {
      if (v === null || t < start) { pen = false; continue; }
      d += (pen ? 'L' : 'M') + x(t) + ' ' + y(v);
      pen = true;
    }
    node.series.setAttribute('d', d);
    const ty = y(view.threshold.value);
    node.threshold.setAttribute('y1', ty);
    node.threshold.setAttribute('y2', ty);
    node.spark.setAttribute('aria-label', 'last 5 minutes of values against the threshold ' + view.threshold.value);
  }

  function updateCard(node, view, preview) {
    node.view = view;
    const a = node.article;
    a.dataset.state = view.state;
    a.dataset.expected = String(view.expected);
    a.dataset.silenced = String(view.silenced);
    node.icon.textContent = symbols[view.state] || '?';
    node.word.textContent = view.state.toUpperCase();
    node.origin.hidden = !preview;
    node.clock.textContent = clockText(view.clock);
    const op = view.threshold.op === 'gt' ? 'fires above ' : 'fires below ';
    node.value.textContent = 'value ' + (view.value ? number(view.value.value) : 'not read yet') + ' · ' + op +
      view.threshold.value;
    node.notify.replaceChildren();
    if (view.silenced) node.notify.append(el('span', 'mark', 'SILENCED'));
    if (view.muted) node.notify.append(el('span', 'mark', 'MUTED'));
    if (view.notified) {
      node.notify.append('told ' + view.notified.receivers.join(', ') +
        (view.notified.atMs ? ' at ' + clockTime(view.notified.atMs) : ''));
    } else if (view.routedTo.length > 0) {
      node.notify.append('routes to ' + view.routedTo.join(', '));
    } else if (view.state === 'Firing' || view.state === 'Recovering') {
      node.notify.append('no notification seen yet');
    }
    node.reason.textContent = view.reason || sourceNames[view.datasource] + ' · ' + view.severity;
    drawSpark(node);
  }

  function faultText(fault) {
    const left = fault.endsAtMs ? Math.max(0, Math.ceil((fault.endsAtMs - now()) / 1000)) + ' s left' : 'no expiry';
    return fault.service + ' ' + fault.kind + '=' + fault.value + ' (' + left + ')';
  }

  function render(s) {
    const source = $('source');
    source.dataset.kind = s.source.kind || 'none';
    source.dataset.answering = String(s.source.answering);
    source.textContent = 'States: ' + s.source.label + (s.source.answering ? '' : ' — NOT ANSWERING: states unknown');
    source.title = 'Values: ' + s.source.values + '. Notifications: ' + s.source.notifications + '.';

    const activity = $('activity');
    const a = s.activity;
    activity.dataset.kind = a ? a.kind : '';
    activity.textContent = a ? (a.stopping ? '■ ' : '▶ ') + a.title + ' — ' + a.status : 'Idle: nothing running';
    renderRunEnd();

    const t = s.traffic;
    $('rate').textContent = t ? t.achievedRate.toFixed(1) + ' of ' + t.targetRate.toFixed(1) : '–';
    $('errors').textContent = t ? t.errorPercent.toFixed(1) + ' %' : '–';
    $('p95').textContent = t ? (t.p95Ms >= 1000 ? (t.p95Ms / 1000).toFixed(2) + ' s' : Math.round(t.p95Ms) + ' ms') : '–';
    renderFaults();

    const booth = $('booth');
    booth.hidden = !s.booth;
    if (s.booth) {
      const b = s.booth;
      const last = b.misses.length > 0 ? ' · last miss: ' + b.misses[b.misses.length - 1].what : '';
      booth.textContent = 'BOOTH ' + (b.running ? 'running' : 'stopped') + ' · cycles ' + b.cycles + ' · rounds ' +
        b.rounds + ' · misses ' + b.missed + (b.current ? ' · now ' + b.current : '') + last;
    }

    const container = $('cards');
    const ids = s.cards.map((view) => view.id);
    for (const [id, node] of cards) if (!ids.includes(id)) { node.article.remove(); cards.delete(id); }
    const preview = s.source.kind === 'preview';
    const nodes = s.cards.map((view) => { const node = cardFor(view); updateCard(node, view, preview); return node; });
    const order = Array.from(container.children).map((child) => child.dataset.card).join('|');
    if (order !== ids.join('|')) container.replaceChildren(...nodes.map((node) => node.article));

    const latest = s.log[s.log.length - 1];
    $('latest').textContent = latest ? clockTime(latest.atMs) + '  ' + latest.text : '';
    const busy = Boolean(a);
    for (const id of ['start', 'trigger', 'reset', 'booth-start']) $(id).disabled = busy;
    $('stop').disabled = !busy;
  }

  function renderRunEnd() {
    const t = snapshot && snapshot.traffic;
    const left = t ? Math.max(0, Math.ceil((t.endsAtMs - now()) / 1000)) : 0;
    $('run-end').textContent = t ? 'ends in ~' + left + ' s' : '';
  }

  function renderFaults() {
    if (!snapshot) return;
    const faults = $('faults');
    faults.dataset.count = String(snapshot.faults.length);
    faults.textContent = snapshot.faults.length > 0
      ? 'Faults: ' + snapshot.faults.map(faultText).join(' · ')
      : 'No faults in force';
  }

  let ticks = 0;
  setInterval(() => {
    ticks += 1;
    for (const node of cards.values()) {
      node.clock.textContent = clockText(node.view.clock);
      if (ticks % 4 === 0) drawSpark(node);
    }
    renderFaults();
    renderRunEnd();
  }, ${clockTickMs});

  function connect() {
    const stream = new EventSource('/events');
    const show = (event) => {
      const receivedAtMs = Date.now();
      const s = JSON.parse(event.data);
      offsetMs = s.sentAtMs - receivedAtMs;
      snapshot = s;
      render(s);
      const link = $('link');
      link.textContent = 'live';
      link.dataset.live = 'true';
      const states = s.cards.map((view) => view.id + '=' + view.state).join('|');
      const stateChange = lastStates !== null && states !== lastStates;
      lastStates = states;
      requestAnimationFrame(() => setTimeout(() => {
        document.body.dataset.painted = String(s.seq);
        if (event.type !== 'state') return;
        timings.push({ seq: s.seq, changedAtMs: s.changedAtMs, sentAtMs: s.sentAtMs, receivedAtMs,
          paintedAtMs: Date.now(), stateChange });
        if (timings.length > 1000) timings.shift();
      }, 0));
    };
    stream.addEventListener('snapshot', show);
    stream.addEventListener('state', show);
    stream.onerror = () => {
      const link = $('link');
      link.textContent = 'reconnecting…';
      link.dataset.live = 'false';
    };
  }

  function show(text, kind) {
    const message = $('message');
    message.textContent = text;
    message.dataset.kind = kind || 'error';
    clearTimeout(messageTimer);
    messageTimer = setTimeout(() => { message.textContent = ''; }, kind === 'ok' ? 6000 : 20000);
  }

  // The token is asked once and kept in sessionStorage: this tab only, gone when it closes.
  function askToken(problem) {
    const dialog = $('token-dialog');
    const input = $('token-input');
    $('token-problem').textContent = problem || '';
    input.value = '';
    return new Promise((resolve) => {
      const done = (token) => {
        $('token-ok').onclick = null;
        $('token-cancel').onclick = null;
        input.onkeydown = null;
        dialog.close();
        resolve(token);
      };
      const check = async () => {
        const token = input.value.trim();
        if (!token) { $('token-problem').textContent = 'Enter the token.'; return; }
        const response = await fetch('/api/session', { method: 'POST', headers: { authorization: 'Bearer ' + token } })
          .catch(() => null);
        if (response && response.status === 204) {
          sessionStorage.setItem(tokenKey, token);
          done(token);
          return;
        }
        const answer = response ? await response.json().catch(() => ({})) : {};
        $('token-problem').textContent = (answer.error && answer.error.message) || 'The stage server did not answer.';
      };
      $('token-ok').onclick = check;
      $('token-cancel').onclick = () => done(null);
      input.onkeydown = (event) => { if (event.key === 'Enter') check(); };
      dialog.showModal();
      input.focus();
    });
  }

  async function send(path, body, success) {
    let token = sessionStorage.getItem(tokenKey) || (await askToken());
    if (!token) return;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      let response;
      try {
        response = await fetch('/api/' + path, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
          body: JSON.stringify(body || {}),
        });
      } catch (error) {
        show('The stage server did not answer: ' + error.message);
        return;
      }
      const answer = await response.json().catch(() => ({}));
      const problem = answer.error ? answer.error.message : 'refused (' + response.status + ')';
      if (response.status === 401 && attempt === 0) {
        sessionStorage.removeItem(tokenKey);
        show(problem);
        token = await askToken(problem);
        if (!token) return;
        continue;
      }
      if (!response.ok) { show(problem); return; }
      show(success(answer), 'ok');
      return;
    }
  }

  function selectedScenario() { return catalog.scenarios.find((s) => s.name === $('scenario').value); }
  function selectedAlert() { return catalog.alerts.find((a) => a.uid === $('alert').value); }
  function plan() {
    const s = selectedScenario();
    const a = selectedAlert();
    if (!s || !a) return;
    const fires = s.alerts.length > 0
      ? 'fires ' + s.alerts.map((x) => x.title + ' at ~' + mmss(x.expectedSeconds * 1000)).join(', ')
      : 'expects no alert';
    $('plan').textContent = 'Start: ' + s.name + ' runs ' + mmss(s.durationSeconds * 1000) + ', ' + fires +
      (s.faults.length > 0 ? ', faults on ' + s.faults.join(', ') : '') +
      '  |  Trigger: ' + (a.scenario || 'no scenario') + ' until ' + a.title + ' fires (~' + mmss(a.expectedSeconds * 1000) + ')';
  }

  async function loadCatalog() {
    catalog = await (await fetch('/api/catalog')).json();
    for (const s of catalog.scenarios) {
      const option = el('option', '', s.name + ' (' + mmss(s.durationSeconds * 1000) + ')');
      option.value = s.name;
      $('scenario').append(option);
      if (s.name === 'all') continue;
      const label = el('label');
      const box = el('input');
      box.type = 'checkbox';
      box.value = s.name;
      box.checked = s.name !== 'normal';
      label.append(box, s.name);
      $('booth-scenarios').append(label);
    }
    for (const a of catalog.alerts) {
      const option = el('option', '', a.title);
      option.value = a.uid;
      $('alert').append(option);
    }
    const clears = 'Reset clears ' + catalog.resetClears.join('; ');
    $('reset').title = clears;
    const showClears = () => { $('plan').textContent = clears; };
    $('reset').addEventListener('mouseenter', showClears);
    $('reset').addEventListener('focus', showClears);
    $('reset').addEventListener('mouseleave', plan);
    $('reset').addEventListener('blur', plan);
    $('scenario').addEventListener('change', plan);
    $('alert').addEventListener('change', plan);
    plan();
  }

  $('start').addEventListener('click', () =>
    send('run', { scenario: $('scenario').value }, (r) => 'Started ' + r.started));
  $('trigger').addEventListener('click', () =>
    send('trigger', { alert: $('alert').value }, (r) => 'Started ' + r.started));
  $('silence').addEventListener('click', () =>
    send('silence', { alert: $('alert').value, minutes: 30 }, (r) => r.silenced + ' silenced for ' + r.minutes + ' min'));
  $('unsilence').addEventListener('click', () =>
    send('unsilence', { alert: $('alert').value }, (r) => r.unsilenced + ' unsilenced'));
  $('reset').addEventListener('click', () =>
    send('reset', {}, (r) => 'Reset: ' + r.clears.join('; ')));
  $('stop').addEventListener('click', () =>
    send('stop', {}, (r) => 'Stopped ' + r.stopped + '; its faults are undone'));
  $('booth-start').addEventListener('click', () => {
    const scenarios = Array.from($('booth-scenarios').querySelectorAll('input:checked')).map((box) => box.value);
    const seedText = $('booth-seed').value.trim();
    send('booth', { scenarios, seed: seedText === '' ? null : Number(seedText) },
      (r) => 'Booth started: ' + r.scenarios.join(', ') + (r.seed === null ? ' in order' : ', shuffled with seed ' + r.seed));
  });

  loadCatalog().catch((error) => show('Could not load the scenarios: ' + error.message));
  connect();
})();
`;
