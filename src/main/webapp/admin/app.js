// EST fleet dashboard: plain ES2020, no framework, no external resources.
// Every piece of data reaches the page through textContent, attribute values or createElement(NS), never through an
// HTML parser, so a subject such as CN=<script>alert(1)</script> is shown as text. The CSP (script-src 'self',
// style-src 'self') forbids inline script and style attributes: styling is by class only.
'use strict';

(() => {
  const SVG = 'http://www.w3.org/2000/svg';
  const WEEK_MS = 7 * 24 * 3600 * 1000;
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

  // cursors: the `after` of every page from the first (null) to the shown one, so Previous is a pop; total: of the
  // current filter, counted on its first page and kept while paging (null: not known yet)
  const state = { cursors: [null], next: null, size: 50, q: '', status: '', expiring: false, windowDays: null,
    total: null, device: null };

  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------------------------------------------------------
  // DOM helpers (text only)

  /** createElement with attributes (values set as attributes, never parsed) and children (strings become text). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'on') for (const [event, fn] of Object.entries(value)) node.addEventListener(event, fn);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    append(node, children);
    return node;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }

  function clear(node) {
    node.replaceChildren();
  }

  function pad(n) {
    return String(n).padStart(2, '0');
  }

  /** 2026-03-04 14:05 in the browser's time zone. */
  function dateTime(iso) {
    if (!iso) return '–';
    const d = new Date(iso);
    return `${day(d)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }

  function day(value) {
    if (!value) return '–';
    const d = value instanceof Date ? value : new Date(value);
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }

  function daysUntil(iso) {
    return Math.ceil((new Date(iso).getTime() - Date.now()) / (24 * 3600 * 1000));
  }

  function plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // API

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(path, options = {}) {
    const init = { method: options.method || 'GET', credentials: 'same-origin', cache: 'no-store',
      headers: { Accept: 'application/json' } };
    if (options.body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }
    // relative to /admin/, so the dashboard also works when the WAR is not the root application; without the
    // user:password@ a login through the address bar leaves in the page URL (fetch refuses URLs with credentials;
    // the browser sends the realm's cached credentials by itself)
    const url = new URL(`../api/${path}`, document.baseURI);
    url.username = '';
    url.password = '';
    const response = await fetch(url, init);
    let body = null;
    if ((response.headers.get('Content-Type') || '').startsWith('application/json')) {
      body = await response.json();
    }
    if (!response.ok) {
      let message = body && typeof body.error === 'string' ? body.error : `HTTP ${response.status}`;
      if (response.status === 401) message = 'Not logged in: reload the page and log in.';
      if (response.status === 403 && !(body && body.error)) message = 'This account lacks the est-admin role.';
      throw new ApiError(response.status, message);
    }
    return body;
  }

  function query(params) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value !== '' && value !== null && value !== undefined) search.set(key, String(value));
    }
    return search.toString();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Messages and confirmation

  let messageTimer = null;

  function say(text, kind = 'ok') {
    const box = $('message');
    box.textContent = text;
    box.className = `message ${kind}`;
    box.hidden = false;
    clearTimeout(messageTimer);
    if (kind === 'ok') messageTimer = setTimeout(() => { box.hidden = true; }, 8000);
  }

  function fail(error) {
    say(error instanceof Error ? error.message : String(error), 'error');
  }

  /** A modal yes/no question (a <dialog>, not window.confirm, so it is styled and testable). */
  function confirmAction(text, okLabel) {
    const dialog = $('confirm-dialog');
    $('confirm-text').textContent = text;
    $('confirm-ok').textContent = okLabel;
    return new Promise((resolve) => {
      const done = (answer) => {
        $('confirm-ok').removeEventListener('click', ok);
        $('confirm-cancel').removeEventListener('click', cancel);
        dialog.removeEventListener('cancel', cancel);
        if (dialog.open) dialog.close();
        resolve(answer);
      };
      const ok = () => done(true);
      const cancel = (event) => { if (event) event.preventDefault(); done(false); };
      $('confirm-ok').addEventListener('click', ok);
      $('confirm-cancel').addEventListener('click', cancel);
      dialog.addEventListener('cancel', cancel);
      dialog.showModal();
      $('confirm-cancel').focus();
    });
  }

  /** Runs an action with its button disabled; reports errors. */
  async function busy(button, action) {
    button.disabled = true;
    try {
      await action();
    } catch (error) {
      fail(error);
    } finally {
      button.disabled = false;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Who is logged in

  async function loadWho() {
    const who = await api('whoami');
    $('who').textContent = `Logged in as ${who.user}`;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Summary and chart

  async function loadSummary() {
    const summary = await api('summary');
    state.windowDays = summary.windowDays;
    $('count-devices').textContent = summary.devices;
    $('count-valid').textContent = summary.valid;
    $('count-expiring').textContent = summary.expiringSoon;
    $('count-expired').textContent = summary.expired;
    $('count-revoked').textContent = summary.revoked;
    $('count-deleted').textContent = summary.deleted;
    for (const id of ['count-window', 'filter-window']) $(id).textContent = summary.windowDays;
    drawChart(summary.expiriesPerWeek || [], summary.windowDays);
  }

  /** y axis: a step of 1, 2 or 5 times a power of ten giving about four intervals, and the top it reaches. */
  function yScale(max) {
    const rough = Math.max(1, max / 4);
    const magnitude = 10 ** Math.floor(Math.log10(rough));
    const step = [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rough);
    const top = Math.max(step, Math.ceil(max / step) * step);
    const ticks = [];
    for (let tick = 0; tick <= top; tick += step) ticks.push(tick);
    return { top, ticks };
  }

  /** Bars per week (week i starts i weeks from now), month labels on the x axis, a few y gridlines. */
  function drawChart(weeks, windowDays) {
    const width = 760;
    const height = 230;
    const left = 36;
    const right = 8;
    const top = 12;
    const bottom = 40;
    const plotWidth = width - left - right;
    const plotHeight = height - top - bottom;
    const slot = plotWidth / Math.max(weeks.length, 1);
    const barWidth = Math.max(2, slot * 0.72);
    const { top: max, ticks } = yScale(Math.max(0, ...weeks));
    const now = Date.now();
    const total = weeks.reduce((a, b) => a + b, 0);
    let busiest = 0;
    weeks.forEach((count, i) => { if (count > weeks[busiest]) busiest = i; });
    const weekStart = (i) => new Date(now + i * WEEK_MS);

    const summaryText = total === 0
      ? 'No current certificate expires in the next 52 weeks.'
      : `${plural(total, 'certificate')} expire in the next 52 weeks; the most (${weeks[busiest]}) in the week `
        + `starting ${day(weekStart(busiest))}.`;

    const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'expiry-chart',
      'aria-labelledby': 'chart-svg-title chart-svg-desc', preserveAspectRatio: 'xMidYMid meet' });
    chart.append(svg('title', { id: 'chart-svg-title' }, 'Certificate expiries per week, next 52 weeks'));
    chart.append(svg('desc', { id: 'chart-svg-desc' }, summaryText));

    const grid = svg('g', { class: 'grid', 'aria-hidden': 'true' });
    for (const tick of ticks) {
      const y = top + plotHeight - (tick / max) * plotHeight;
      grid.append(svg('line', { x1: left, x2: width - right, y1: y, y2: y }));
      grid.append(svg('text', { x: left - 6, y: y + 4, class: 'y-label' }, tick));
    }
    chart.append(grid);

    const bars = svg('g', { class: 'bars' });
    const windowWeeks = windowDays ? windowDays / 7 : 0;
    weeks.forEach((count, i) => {
      const h = (count / max) * plotHeight;
      const x = left + i * slot + (slot - barWidth) / 2;
      const bar = svg('rect', { x: x.toFixed(2), y: (top + plotHeight - h).toFixed(2), width: barWidth.toFixed(2),
        height: h.toFixed(2), class: i < windowWeeks ? 'bar soon' : 'bar', 'data-week': i, 'data-count': count });
      bar.append(svg('title', {}, `Week starting ${day(weekStart(i))}: ${plural(count, 'certificate')}`));
      bars.append(bar);
    });
    chart.append(bars);

    const axis = svg('g', { class: 'axis', 'aria-hidden': 'true' });
    axis.append(svg('line', { x1: left, x2: width - right, y1: top + plotHeight, y2: top + plotHeight }));
    let previousMonth = null;
    weeks.forEach((_, i) => {
      const start = weekStart(i);
      const month = start.getMonth();
      if (month === previousMonth) return;
      previousMonth = month;
      if (i === 0 && start.getDate() > 14) return; // a label for a month that is half over would crowd the next
      const x = left + i * slot;
      axis.append(svg('line', { x1: x, x2: x, y1: top + plotHeight, y2: top + plotHeight + 5 }));
      axis.append(svg('text', { x: x + 2, y: top + plotHeight + 17, class: 'x-label' }, MONTHS[month]));
      if (month === 0 || i === 0) {
        axis.append(svg('text', { x: x + 2, y: top + plotHeight + 31, class: 'x-label year' }, start.getFullYear()));
      }
    });
    chart.append(axis);

    clear($('chart'));
    $('chart').append(chart);

    $('chart-summary').textContent = summaryText;
    const rows = $('chart-table').tBodies[0];
    clear(rows);
    weeks.forEach((count, i) => {
      if (count > 0) rows.append(el('tr', {}, el('td', {}, day(weekStart(i))), el('td', { class: 'num' }, count)));
    });
    if (rows.children.length === 0) rows.append(el('tr', {}, el('td', { colspan: 2 }, 'none')));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Pending approvals

  async function loadPending() {
    const items = await api('pending');
    const body = $('pending').tBodies[0];
    clear(body);
    $('pending-count').textContent = items.length;
    $('pending-empty').hidden = items.length > 0;
    $('pending').hidden = items.length === 0;
    for (const item of items) {
      const approve = el('button', { type: 'button', class: 'approve' }, 'Approve');
      const reject = el('button', { type: 'button', class: 'reject danger outline' }, 'Reject');
      approve.addEventListener('click', () => decide(item, true, approve));
      reject.addEventListener('click', () => decide(item, false, reject));
      body.append(el('tr', { 'data-id': item.id },
        el('td', {},
          el('div', { class: 'subject' }, item.subject),
          el('div', { class: 'sub' }, `#${item.id} · ${item.operation} · profile ${item.profile}`),
          el('div', { class: 'sub' }, `${dateTime(item.createdAt)} by ${item.requestedBy || '–'} `
            + `(${item.authMethod || '–'}) from ${item.clientIp || '–'}`)),
        el('td', { class: 'decide' }, approve, reject)));
    }
  }

  async function decide(item, approve, button) {
    const verb = approve ? 'Approve' : 'Reject';
    const consequence = approve ? 'the device gets its certificate when it asks again.'
      : 'the device is refused (403) when it asks again.';
    if (!await confirmAction(`${verb} the enrollment of ${item.subject} (request #${item.id})? If you do, ${consequence}`,
      verb)) {
      return;
    }
    await busy(button, async () => {
      await api(`pending/${item.id}/${approve ? 'approve' : 'reject'}`, { method: 'POST', body: {} });
      say(`Request #${item.id} for ${item.subject} ${approve ? 'approved' : 'rejected'}.`);
      await refresh();
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Devices

  function statusOf(device) {
    if (device.status === 'DELETED') return 'deleted';
    return String(device.certificateStatus || 'none').toLowerCase();
  }

  function statusBadge(status) {
    return el('span', { class: `status ${status}` }, status);
  }

  let devicesTicket = 0;

  /**
   * Shows the page whose cursor is the last of `cursors` (keyset paging: `after` is the `next` of the page before;
   * [null] is the first page). The total is counted only when asked (a new filter, a refresh): paging keeps it.
   */
  async function loadDevices({ cursors = state.cursors, count = state.total === null } = {}) {
    const ticket = ++devicesTicket;
    const params = { size: state.size, q: state.q, status: state.status, after: cursors[cursors.length - 1],
      count: count ? '' : 'false' };
    if (state.expiring && state.windowDays !== null) params.expiringWithinDays = state.windowDays;
    const result = await api(`devices?${query(params)}`);
    if (ticket !== devicesTicket) return; // a later filter or page was asked for meanwhile
    state.cursors = cursors;
    state.next = result.next;
    if (result.total !== null) state.total = result.total;
    const body = $('devices').tBodies[0];
    clear(body);
    for (const device of result.devices) {
      const open = el('button', { type: 'button', class: 'link subject' }, device.subject);
      open.addEventListener('click', (event) => { event.stopPropagation(); openDevice(device.id); });
      const expires = el('td', { class: 'expires' }, day(device.notAfter));
      if (device.expiringSoon) {
        expires.append(' ', el('span', { class: 'soon-badge' }, `in ${plural(daysUntil(device.notAfter), 'day')}`));
      }
      const status = statusOf(device);
      const row = el('tr', { class: device.expiringSoon ? 'expiring' : null, 'data-id': device.id,
        'data-status': status },
      el('td', {}, open),
      el('td', {}, device.label || '–'),
      el('td', {}, el('code', {}, device.serial || '–')),
      expires,
      el('td', {}, statusBadge(status)));
      row.addEventListener('click', () => openDevice(device.id));
      body.append(row);
    }
    $('devices-empty').hidden = result.devices.length > 0;
    const start = (cursors.length - 1) * state.size;
    const rows = result.devices.length;
    $('page-info').textContent = `${rows === 0 ? 0 : start + 1}–${rows === 0 ? 0 : start + rows} of ${state.total}`;
    $('prev').disabled = cursors.length === 1;
    $('next').disabled = result.next === null;
  }

  /** A new filter or page size: back to its first page, with a fresh total. */
  function reload() {
    state.total = null;
    return loadDevices({ cursors: [null], count: true });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // One device: facts, history, revoke, delete

  async function openDevice(id) {
    try {
      const device = await api(`devices/${id}`);
      state.device = device;
      showDevice(device);
      const dialog = $('device-dialog');
      if (!dialog.open) dialog.showModal();
    } catch (error) {
      fail(error);
    }
  }

  function current(device) {
    return (device.certificates || []).find((c) => c.serial === device.serial) || null;
  }

  function showDevice(device) {
    $('device-title').textContent = device.subject;
    const facts = $('device-facts');
    clear(facts);
    const fact = (name, ...value) => facts.append(el('div', {}, el('dt', {}, name), el('dd', {}, ...value)));
    const status = statusOf(device);
    fact('Status', statusBadge(status), device.expiringSoon ? el('span', { class: 'soon-badge' }, 'expiring soon') : null);
    fact('Label', device.label || '–');
    fact('Current serial', el('code', {}, device.serial || '–'));
    fact('Expires', dateTime(device.notAfter));
    fact('First enrolled', dateTime(device.createdAt));
    fact('Last change', dateTime(device.updatedAt));

    deviceButtons(device);

    const body = $('history').tBodies[0];
    clear(body);
    for (const c of device.certificates || []) {
      const expired = c.status === 'VALID' && new Date(c.notAfter).getTime() <= Date.now();
      const certStatus = expired ? 'expired' : String(c.status).toLowerCase();
      const statusCell = el('td', {}, statusBadge(certStatus));
      if (c.revokedAt) {
        statusCell.append(el('div', { class: 'sub' }, `${c.revocationReason || ''} ${dateTime(c.revokedAt)}`));
      }
      body.append(el('tr', { class: c.serial === device.serial ? 'current' : null, 'data-serial': c.serial },
        el('td', {}, el('code', {}, c.serial), c.serial === device.serial ? el('div', { class: 'sub' }, 'current') : null,
          c.renewalOf ? el('div', { class: 'sub' }, 'renews ', el('code', {}, c.renewalOf)) : null),
        el('td', {}, dateTime(c.issuedAt)),
        el('td', {}, dateTime(c.notAfter)),
        statusCell,
        el('td', {}, c.operation || '–', el('div', { class: 'sub' }, c.label ? `label ${c.label}` : 'no label')),
        el('td', {}, c.principal || '–', el('div', { class: 'sub' }, `${c.authMethod || '–'} from ${c.clientIp || '–'}`))));
    }
  }

  /** Revoke only a valid current certificate; delete only a device that is not deleted. */
  function deviceButtons(device) {
    const cert = current(device);
    const revocable = device.status !== 'DELETED' && cert !== null && cert.status === 'VALID'
      && new Date(cert.notAfter).getTime() > Date.now();
    $('revoke-button').disabled = !revocable;
    $('revoke-button').title = revocable ? '' : 'The device has no valid current certificate.';
    $('delete-button').disabled = device.status === 'DELETED';
  }

  async function revokeCurrent() {
    const device = state.device;
    const cert = device && current(device);
    if (!cert) return;
    const reason = $('revoke-reason').value;
    if (!await confirmAction(`Revoke certificate ${cert.serial} of ${device.subject} with reason ${reason}? `
      + 'The device can no longer authenticate or renew with it; this cannot be undone.', 'Revoke')) {
      return;
    }
    await busy($('revoke-button'), async () => {
      const result = await api(`certificates/${encodeURIComponent(cert.serial)}/revoke`,
        { method: 'POST', body: { reason, issuer: cert.issuer } });
      say(`Certificate ${result.serial} of ${device.subject} revoked (${result.reason}).`);
      await openDevice(device.id);
      await refresh();
    });
    deviceButtons(state.device);
  }

  async function deleteDevice() {
    const device = state.device;
    if (!device) return;
    if (!await confirmAction(`Delete device ${device.subject}? Its valid certificates are revoked `
      + '(cessationOfOperation); the record and its history are kept.', 'Delete')) {
      return;
    }
    await busy($('delete-button'), async () => {
      const result = await api(`devices/${device.id}`, { method: 'DELETE' });
      say(`Device ${device.subject} deleted; ${plural(result.revokedCertificates, 'certificate')} revoked.`);
      await openDevice(device.id);
      await refresh();
    });
    deviceButtons(state.device);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Wiring

  async function refresh() {
    const results = await Promise.allSettled([loadSummary().then(() => loadDevices({ count: true })),
      loadPending()]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) fail(failed.reason);
  }

  let searchTimer = null;

  function wire() {
    $('refresh').addEventListener('click', () => busy($('refresh'), refresh));
    $('filters').addEventListener('submit', (event) => {
      event.preventDefault();
      clearTimeout(searchTimer);
      state.q = $('q').value.trim();
      reload().catch(fail);
    });
    $('q').addEventListener('input', () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => {
        state.q = $('q').value.trim();
        reload().catch(fail);
      }, 300);
    });
    $('status').addEventListener('change', () => {
      state.status = $('status').value;
      reload().catch(fail);
    });
    $('expiring').addEventListener('change', () => {
      state.expiring = $('expiring').checked;
      reload().catch(fail);
    });
    $('size').addEventListener('change', () => {
      state.size = Number($('size').value);
      reload().catch(fail);
    });
    $('prev').addEventListener('click', () => {
      if (state.cursors.length > 1) loadDevices({ cursors: state.cursors.slice(0, -1) }).catch(fail);
    });
    $('next').addEventListener('click', () => {
      if (state.next !== null) loadDevices({ cursors: [...state.cursors, state.next] }).catch(fail);
    });
    $('device-close').addEventListener('click', () => $('device-dialog').close());
    $('revoke-button').addEventListener('click', revokeCurrent);
    $('delete-button').addEventListener('click', deleteDevice);
  }

  async function start() {
    wire();
    try {
      await loadWho();
    } catch (error) {
      $('who').textContent = 'Not logged in';
      fail(error);
      return;
    }
    await refresh();
    document.body.dataset.ready = 'true';
  }

  document.addEventListener('DOMContentLoaded', start);
})();
