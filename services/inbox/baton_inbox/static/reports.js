// The Reports page (every teammate): how the handoff went over a period, from
// GET /v1/reports/summary: summary cards, escalations by reason, and the threads per day as an
// SVG bar chart drawn here (no library), with the same numbers in a visually hidden table.
// The period and the bot live in the page's address, so a reload or a shared link shows the
// same report; "Export CSV" is a plain link to the same query with format=csv.
import { api, signedIn, ApiError } from './api.js';
import { h } from './dom.js';
import { onSubmit, showError } from './formerror.js';
import { ESCALATION_LABELS, escalationLabel } from './labels.js';
import { sentence } from './words.js';

const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';
const REPORT = '/v1/reports/summary';
let zone = ''; // the account's time zone, from the last report
let shown = null; // the query of the report on screen

// Errors of no form (loading): on the page's error line, brought into view.
function fail(error) {
  $('error').textContent = error.message;
  $('error').scrollIntoView({ block: 'nearest' });
}

// ---------- words and numbers ----------

// Seconds as "2 min 5 s", "1 h 20 min", "2 d 3 h"; null (nothing to measure) as "—".
function spoken(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.max(0, Math.round(seconds));
  const parts = (big, bigUnit, small, smallUnit) => (small ? `${big} ${bigUnit} ${small} ${smallUnit}` : `${big} ${bigUnit}`);
  if (s < 60) return `${s} s`;
  if (s < 3600) return parts(Math.floor(s / 60), 'min', s % 60, 's');
  if (s < 86400) return parts(Math.floor(s / 3600), 'h', Math.floor((s % 3600) / 60), 'min');
  return parts(Math.floor(s / 86400), 'd', Math.floor((s % 86400) / 3600), 'h');
}

const percent = (share) => (share === null || share === undefined ? '—' : `${Math.round(share * 100)}%`);
const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

// A date of the account ("2026-06-01") as words, read as a calendar day (not a UTC instant).
function dayWords(iso, options) {
  return new Date(`${iso}T00:00:00Z`).toLocaleDateString([], { timeZone: 'UTC', ...options });
}
const longDay = (iso) => dayWords(iso, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });

function addDays(iso, days) {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

// Today's date on the account's clock (the browser's when the zone is not known yet).
function today() {
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: zone || undefined,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).formatToParts(new Date());
    const part = (type) => parts.find((p) => p.type === type).value;
    return `${part('year')}-${part('month')}-${part('day')}`;
  } catch (e) {
    const now = new Date();
    return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  }
}

// The API names the period's ends by their query names: say them as the page's labels do.
function periodMessage(error) {
  const text = String(error.message || '')
    .replace(/`from`/g, 'the From date')
    .replace(/`to`/g, 'the To date');
  return sentence(text);
}

// ---------- the query ----------

function queryOf(period, csv = false) {
  const query = new URLSearchParams();
  for (const key of ['from', 'to', 'bot_id']) {
    if (period[key]) query.set(key, period[key]);
  }
  if (csv) query.set('format', 'csv');
  return query;
}

function readForm() {
  return {
    from: $('from').value,
    to: $('to').value,
    bot_id: $('bot-field').hidden ? '' : $('bot').value,
  };
}

// ---------- the bot filter ----------

async function loadBots(wanted) {
  let bots;
  try {
    ({ bots } = await api('GET', '/v1/bots'));
  } catch (error) {
    if (error.status !== 403) fail(error); // a role that may not list the bots: no filter
    return '';
  }
  $('bot').replaceChildren(
    h('option', { value: '', text: 'All bots' }),
    ...bots.map((bot) => h('option', { value: bot.id, text: bot.name })),
  );
  // As in the thread list: one bot needs no filter.
  $('bot-field').hidden = bots.length < 2;
  const known = bots.some((bot) => bot.id === wanted);
  $('bot').value = known ? wanted : '';
  return known ? wanted : '';
}

// ---------- summary cards ----------

function card(id, label, value, note, problem = false) {
  return h(
    'div',
    { class: problem ? 'report-card problem' : 'report-card', id },
    h('dt', { text: label }),
    h('dd', { class: 'card-value', text: value }),
    note ? h('dd', { class: 'card-note', text: note }) : null,
  );
}

function showCards(report) {
  const answered = report.first_human_replies;
  const replies = answered
    ? `${plural(answered, 'escalation', 'escalations')} answered, counted in business hours`
    : 'no escalation answered yet';
  const after = report.ai_after_teammate;
  $('cards').replaceChildren(
    card('card-threads', 'Threads', String(report.threads), 'started in the period'),
    card('card-conversations', 'Conversations', String(report.conversations), 'threads where the visitor wrote'),
    card(
      'card-ai-rate',
      'AI resolution rate',
      percent(report.ai_resolution_rate),
      report.ai_resolution_rate === null ? 'no conversations' : 'of conversations, settled without a teammate',
    ),
    card('card-escalations', 'Escalations', String(report.escalations), 'handed to a teammate'),
    card('card-reply-p50', 'First teammate reply, median', spoken(report.first_human_reply_p50_s), replies),
    card('card-reply-p90', 'First teammate reply, 90th percentile', spoken(report.first_human_reply_p90_s), replies),
    card('card-breaches', 'Target breaches', String(report.target_breaches), 'escalations past the response target'),
    card(
      'card-ai-after',
      'AI after a teammate',
      String(after),
      after > 0
        ? `Problem: the AI wrote ${plural(after, 'time', 'times')} after a teammate without a hand-back. It must be 0.`
        : 'must be 0: the AI never spoke over a teammate',
      after > 0,
    ),
  );
}

// ---------- escalations by reason ----------

function reasonLabel(reason) {
  if (reason === 'unknown') return 'No reason recorded';
  return escalationLabel(reason);
}

function shareBar(share) {
  const bar = svg('svg', { class: 'share-bar', viewBox: '0 0 100 8', width: 100, height: 8, 'aria-hidden': 'true', focusable: 'false' });
  bar.append(
    svg('rect', { class: 'share-track', x: 0, y: 0, width: 100, height: 8, rx: 2 }),
    svg('rect', { class: 'share-fill', x: 0, y: 0, width: Math.round(share * 100), height: 8, rx: 2 }),
  );
  return bar;
}

function showReasons(report) {
  const counts = report.escalations_by_reason || {};
  const reasons = [...Object.keys(ESCALATION_LABELS), ...Object.keys(counts).filter((r) => !(r in ESCALATION_LABELS))];
  const total = report.escalations;
  $('reasons').replaceChildren(
    ...reasons.map((reason) => {
      const count = counts[reason] || 0;
      const share = total ? count / total : 0;
      return h(
        'tr',
        { dataset: { reason } },
        h('th', { scope: 'row', text: reasonLabel(reason) }),
        h('td', { class: 'reason-count', text: count }),
        h('td', {}, h('span', { class: 'reason-share' }, shareBar(share), h('span', { text: total ? percent(share) : '—' }))),
      );
    }),
  );
}

// ---------- the chart ----------

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined) continue;
    if (name === 'text') node.textContent = String(value);
    else node.setAttribute(name, String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

// A y-axis of whole numbers, about four steps of 1, 2 or 5 × 10ⁿ, at least up to 4.
function scale(max) {
  const rough = Math.max(max, 4) / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough));
  return { step, top: Math.ceil(Math.max(max, 4) / step) * step };
}

function dayText(day) {
  const others = day.threads - day.escalations - day.ai_resolved;
  return (
    `${longDay(day.date)}: ${plural(day.threads, 'thread', 'threads')}, ${day.escalations} escalated, ` +
    `${day.ai_resolved} settled by the AI${others > 0 ? `, ${others} other` : ''}`
  );
}

function drawChart(report) {
  const days = report.days;
  const W = 760;
  const H = 290;
  const left = 48;
  const right = 12;
  const top = 16;
  const bottom = 58;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const max = Math.max(0, ...days.map((day) => day.threads));
  const { step, top: yTop } = scale(max);
  const y = (value) => top + plotH - (value / yTop) * plotH;
  const slot = plotW / Math.max(days.length, 1);
  const barW = slot >= 6 ? Math.min(slot * 0.68, 56) : Math.max(slot * 0.85, 0.5);
  const labelEvery = Math.ceil(days.length / Math.floor(plotW / 60));
  const twoLines = days.length <= 14;
  const totals = days.reduce(
    (sum, day) => ({ threads: sum.threads + day.threads, escalations: sum.escalations + day.escalations, ai: sum.ai + day.ai_resolved }),
    { threads: 0, escalations: 0, ai: 0 },
  );
  const first = days.length ? longDay(days[0].date) : '';
  const last = days.length ? longDay(days[days.length - 1].date) : '';

  const chart = svg('svg', {
    class: 'day-chart',
    viewBox: `0 0 ${W} ${H}`,
    role: 'img',
    'aria-label':
      `Bar chart of threads per day, ${first} to ${last}: ${plural(totals.threads, 'thread', 'threads')}, ` +
      `${totals.escalations} escalated, ${totals.ai} settled by the AI, busiest day ${max}. ` +
      'The table that follows gives each day.',
    focusable: 'false',
  });

  // The y-axis: gridlines with their values, and what it counts.
  const axis = svg('g', { class: 'chart-axis' });
  for (let value = 0; value <= yTop; value += step) {
    axis.append(
      svg('line', { class: value ? 'chart-grid' : 'chart-baseline', x1: left, x2: W - right, y1: y(value), y2: y(value) }),
      svg('text', { class: 'chart-tick', x: left - 8, y: y(value) + 4, 'text-anchor': 'end', text: value }),
    );
  }
  axis.append(
    svg('text', {
      class: 'chart-axis-title',
      transform: `translate(13 ${top + plotH / 2}) rotate(-90)`,
      'text-anchor': 'middle',
      text: 'Threads',
    }),
    svg('text', {
      class: 'chart-axis-title',
      x: left + plotW / 2,
      y: H - 6,
      'text-anchor': 'middle',
      text: `Day (${report.time_zone})`,
    }),
  );
  chart.append(axis);

  // One group per day: escalated at the bottom, then settled by the AI, then the rest.
  days.forEach((day, index) => {
    const x = left + index * slot + (slot - barW) / 2;
    const others = Math.max(0, day.threads - day.escalations - day.ai_resolved);
    const group = svg('g', { class: 'day', 'data-date': day.date, 'data-threads': day.threads }, svg('title', { text: dayText(day) }));
    let base = 0;
    for (const [count, kind] of [
      [day.escalations, 'escalated'],
      [day.ai_resolved, 'ai'],
      [others, 'other'],
    ]) {
      if (!count) continue;
      group.append(svg('rect', { class: `bar bar-${kind}`, x, width: barW, y: y(base + count), height: y(base) - y(base + count) }));
      base += count;
    }
    if (day.threads && slot >= 18) {
      group.append(svg('text', { class: 'chart-value', x: x + barW / 2, y: y(day.threads) - 4, 'text-anchor': 'middle', text: day.threads }));
    }
    if (index % labelEvery === 0) {
      const label = svg('text', { class: 'chart-tick', x: left + index * slot + slot / 2, y: top + plotH + 17, 'text-anchor': 'middle' });
      if (twoLines) {
        label.append(
          svg('tspan', { x: left + index * slot + slot / 2, text: dayWords(day.date, { weekday: 'short' }) }),
          svg('tspan', { x: left + index * slot + slot / 2, dy: 14, text: dayWords(day.date, { day: 'numeric', month: 'short' }) }),
        );
      } else {
        label.textContent = dayWords(day.date, { day: 'numeric', month: 'short' });
      }
      group.append(label);
    }
    chart.append(group);
  });

  $('chart').replaceChildren(chart);
  $('chart-caption').textContent = max
    ? `${plural(days.length, 'day', 'days')}; the busiest had ${plural(max, 'thread', 'threads')}.`
    : `${plural(days.length, 'day', 'days')}, no threads started.`;
  $('days').replaceChildren(
    ...days.map((day) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row', text: longDay(day.date) }),
        h('td', { text: day.threads }),
        h('td', { text: day.escalations }),
        h('td', { text: day.ai_resolved }),
      ),
    ),
  );
}

// ---------- the report ----------

function botName(id) {
  const option = [...$('bot').options].find((o) => o.value === id);
  return id ? (option ? option.textContent : 'one bot') : 'all bots';
}

function show(report) {
  zone = report.time_zone;
  $('from').value = report.from;
  $('to').value = report.to;
  const days = report.days.length;
  $('report-status').textContent =
    `${plural(days, 'day', 'days')}, ${longDay(report.from)} to ${longDay(report.to)} ` +
    `(${report.time_zone}), ${botName(report.bot_id || '')}.`;
  $('truncated').hidden = !report.truncated;
  for (const preset of document.querySelectorAll('.preset')) {
    const pressed = report.to === today() && days === Number(preset.dataset.days);
    preset.setAttribute('aria-pressed', String(pressed));
  }
  showCards(report);
  showReasons(report);
  drawChart(report);
}

// Fetches and shows the report of `period`; the CSV link follows, and so does the address
// once the teammate chose a period (a bare /reports stays "the last 7 days").
async function load(period, remember = true) {
  $('report-status').textContent = 'Loading…';
  const report = await api('GET', `${REPORT}?${queryOf(period)}`);
  show(report);
  shown = { from: report.from, to: report.to, bot_id: report.bot_id || '' };
  $('export-csv').href = `${REPORT}?${queryOf(shown, true)}`;
  $('error').textContent = '';
  if (remember) window.history.replaceState(null, '', `/reports?${queryOf(shown)}`);
}

// A refused period: its message goes under the date the server named (query.from, query.to).
async function loadFromForm() {
  try {
    await load(readForm());
  } catch (error) {
    $('report-status').textContent = shown ? 'Not updated: the report below is still the previous one.' : 'No report.';
    const field = String(error.field || '');
    if (error.status === 422 && field.startsWith('query.')) {
      throw new ApiError(periodMessage(error), error.status, error.code, field.slice('query.'.length));
    }
    throw error;
  }
}

function wire() {
  const form = $('period-form');
  onSubmit(form, loadFromForm);
  for (const preset of document.querySelectorAll('.preset')) {
    preset.addEventListener('click', () => {
      const end = today();
      $('to').value = end;
      $('from').value = addDays(end, 1 - Number(preset.dataset.days));
      form.requestSubmit();
    });
  }
}

async function main() {
  const me = await signedIn(fail);
  if (!me) return;
  $('account-name').textContent = `${me.account.name} · Reports`;
  $('me').textContent = me.staff.name;
  const asked = new URLSearchParams(window.location.search);
  $('from').value = asked.get('from') || '';
  $('to').value = asked.get('to') || '';
  const bot = await loadBots(asked.get('bot_id') || '');
  wire();
  const form = $('period-form');
  const period = { from: asked.get('from') || '', to: asked.get('to') || '', bot_id: bot };
  try {
    await load(period, false);
  } catch (error) {
    // A bad period in the address: shown at its field, as after a submit.
    if (error.status === 422 && String(error.field || '').startsWith('query.')) {
      $('report-status').textContent = 'No report.';
      showError(form, new ApiError(periodMessage(error), 422, error.code, String(error.field).slice('query.'.length)));
      return;
    }
    throw error;
  }
}

main().catch(fail);
