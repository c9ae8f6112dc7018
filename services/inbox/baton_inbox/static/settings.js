// The account settings page: time zone, business hours per weekday, holidays, the response
// target, and who gets the digest and the alerts (GET/PUT /v1/account/settings). Every
// teammate reads them; the owner and admins change them (a PUT replaces the whole document).
import { api, signedIn, ApiError } from './api.js';
import { h } from './dom.js';
import { onSubmit, showError } from './formerror.js';

const $ = (id) => document.getElementById(id);
const DAYS = [
  ['mon', 'Monday'],
  ['tue', 'Tuesday'],
  ['wed', 'Wednesday'],
  ['thu', 'Thursday'],
  ['fri', 'Friday'],
  ['sat', 'Saturday'],
  ['sun', 'Sunday'],
];
const DAY_NAMES = Object.fromEntries(DAYS);
const COMMON_ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Dublin',
  'Europe/Lisbon',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Amsterdam',
  'Europe/Brussels',
  'Europe/Madrid',
  'Europe/Rome',
  'Europe/Zurich',
  'Europe/Vienna',
  'Europe/Stockholm',
  'Europe/Oslo',
  'Europe/Copenhagen',
  'Europe/Warsaw',
  'Europe/Prague',
  'Europe/Athens',
  'Europe/Helsinki',
  'Europe/Istanbul',
  'Europe/Moscow',
  'Africa/Cairo',
  'Africa/Lagos',
  'Africa/Nairobi',
  'Africa/Johannesburg',
  'Asia/Dubai',
  'Asia/Karachi',
  'Asia/Kolkata',
  'Asia/Dhaka',
  'Asia/Bangkok',
  'Asia/Jakarta',
  'Asia/Singapore',
  'Asia/Hong_Kong',
  'Asia/Shanghai',
  'Asia/Taipei',
  'Asia/Seoul',
  'Asia/Tokyo',
  'Australia/Perth',
  'Australia/Brisbane',
  'Australia/Sydney',
  'Pacific/Auckland',
  'Pacific/Honolulu',
  'America/Anchorage',
  'America/Los_Angeles',
  'America/Vancouver',
  'America/Denver',
  'America/Phoenix',
  'America/Chicago',
  'America/Mexico_City',
  'America/New_York',
  'America/Toronto',
  'America/Halifax',
  'America/St_Johns',
  'America/Bogota',
  'America/Lima',
  'America/Santiago',
  'America/Sao_Paulo',
  'America/Argentina/Buenos_Aires',
];
const MAX_TARGET_MINUTES = 7 * 24 * 60;
let editable = false; // the owner or an admin

// Errors of no form (loading): on the page's error line, brought into view.
function fail(error) {
  $('error').textContent = error.message;
  $('error').scrollIntoView({ block: 'nearest' });
}

function browserZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || '';
  } catch (e) {
    return '';
  }
}

// A date and time as the reader's clock shows it, and, when the account keeps another zone,
// also on the account's clock.
function when(iso, zone) {
  const options = { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
  const date = new Date(iso);
  const mine = date.toLocaleString([], { ...options, timeZoneName: 'short' });
  if (!zone || zone === browserZone()) return mine;
  try {
    return `${mine} (${date.toLocaleString([], { ...options, timeZone: zone })} in ${zone})`;
  } catch (e) {
    return mine;
  }
}

const addresses = (text) => text.split(/[\s,;]+/).filter(Boolean);

// The closing time 24:00 (midnight) shows as 00:00: a time input stops at 23:59.
const shownEnd = (end) => (end === '24:00' ? '00:00' : end);
const sentEnd = (end) => (end === '00:00' ? '24:00' : end);

// ---------- business hours ----------

function intervalNode(day, index, interval) {
  const name = DAY_NAMES[day];
  const id = `hours-${day}-${index}`;
  const where = `${name}, interval ${index + 1}, `;
  return h(
    'div',
    { class: 'interval', id, dataset: { day, index } },
    h('label', { for: `${id}-start` }, h('span', { class: 'visually-hidden', text: where }), 'opens'),
    h('input', {
      type: 'time',
      id: `${id}-start`,
      class: 'interval-start',
      value: interval.start || '',
      readonly: !editable,
    }),
    h('label', { for: `${id}-end` }, h('span', { class: 'visually-hidden', text: where }), 'closes'),
    h('input', {
      type: 'time',
      id: `${id}-end`,
      class: 'interval-end',
      value: shownEnd(interval.end || ''),
      readonly: !editable,
    }),
    editable
      ? h('button', {
          type: 'button',
          text: 'Remove',
          'aria-label': `Remove ${name}, interval ${index + 1}`,
          onclick: () => removeInterval(day, index),
        })
      : null,
  );
}

function readDay(day) {
  return [...document.querySelectorAll(`#hours-cell-${day} .interval`)].map((node) => ({
    start: node.querySelector('.interval-start').value,
    end: node.querySelector('.interval-end').value,
  }));
}

// A day's row: its intervals as typed (an end of 00:00 shown, not yet 24:00).
function renderDay(day, intervals) {
  const cell = $(`hours-cell-${day}`);
  cell.replaceChildren(
    h(
      'div',
      { class: 'day-intervals' },
      intervals.length
        ? intervals.map((interval, index) => intervalNode(day, index, interval))
        : h('span', { class: 'hint closed', text: 'Closed' }),
    ),
  );
  if (editable) {
    cell.append(
      h('button', {
        type: 'button',
        class: 'add-interval',
        text: 'Add hours',
        'aria-label': `Add hours on ${DAY_NAMES[day]}`,
        onclick: () => addInterval(day),
      }),
    );
  }
}

function addInterval(day) {
  const intervals = readDay(day);
  const last = intervals[intervals.length - 1];
  // After an interval, the next one starts where it ended; a first one is a working day.
  intervals.push(last && last.end && last.end !== '00:00' ? { start: last.end, end: '' } : { start: '09:00', end: '17:00' });
  renderDay(day, intervals);
  $(`hours-${day}-${intervals.length - 1}-start`).focus();
}

function removeInterval(day, index) {
  const intervals = readDay(day);
  intervals.splice(index, 1);
  renderDay(day, intervals);
  const next = $(`hours-${day}-${Math.min(index, intervals.length - 1)}-start`);
  (next || $(`hours-cell-${day}`).querySelector('.add-interval')).focus();
}

function renderWeek(weekly) {
  $('hours').replaceChildren(
    ...DAYS.map(([day, name]) =>
      h('tr', { dataset: { day } }, h('th', { scope: 'row', text: name }), h('td', { id: `hours-cell-${day}` })),
    ),
  );
  for (const [day] of DAYS) {
    renderDay(day, (weekly && weekly[day]) || []);
  }
}

function showHoursMode() {
  $('weekly').hidden = !$('hours-weekly').checked;
}

// ---------- holidays ----------

function renderHolidays(dates) {
  const list = $('holidays');
  list.replaceChildren(
    ...(dates.length
      ? dates.map((date, index) =>
          h(
            'li',
            { class: 'holiday', id: `holiday-row-${index}` },
            h('label', { for: `holiday-${index}`, text: `Holiday ${index + 1}` }),
            h('input', { type: 'date', id: `holiday-${index}`, class: 'holiday-date', value: date, readonly: !editable }),
            editable
              ? h('button', {
                  type: 'button',
                  text: 'Remove',
                  'aria-label': `Remove holiday ${index + 1}`,
                  onclick: () => removeHoliday(index),
                })
              : null,
          ),
        )
      : [h('li', { class: 'hint', text: 'No holidays.' })]),
  );
}

const readHolidays = () => [...document.querySelectorAll('#holidays .holiday-date')].map((input) => input.value);

function removeHoliday(index) {
  const dates = readHolidays();
  dates.splice(index, 1);
  renderHolidays(dates);
  ($(`holiday-${Math.min(index, dates.length - 1)}`) || $('add-holiday')).focus();
}

// ---------- the form ----------

function show(settings) {
  $('time-zone').value = settings.time_zone;
  const weekly = settings.business_hours;
  $('hours-always').checked = !weekly;
  $('hours-weekly').checked = Boolean(weekly);
  renderWeek(weekly);
  showHoursMode();
  renderHolidays(settings.holidays);
  $('response-target').value = String(Math.round((settings.response_target_seconds / 60) * 100) / 100);
  $('digest-enabled').checked = settings.digest_enabled;
  $('digest-recipients').value = (settings.digest_recipients || []).join('\n');
  $('alert-recipients').value = (settings.alert_recipients || []).join('\n');

  const state = $('open-state');
  state.classList.toggle('open', settings.open_now);
  state.classList.toggle('closed', !settings.open_now);
  if (settings.open_now) {
    state.textContent = weekly ? 'Open now' : 'Open now: always open, no business hours set';
  } else if (settings.next_opening) {
    state.textContent = `Closed — opens ${when(settings.next_opening, settings.time_zone)}`;
  } else {
    state.textContent = 'Closed — no opening within a year';
  }
  $('saved-by').textContent =
    settings.updated_at && settings.updated_by
      ? `Last saved by ${settings.updated_by} at ${when(settings.updated_at)}.`
      : settings.updated_at
        ? `Last saved at ${when(settings.updated_at)}.`
        : 'Not saved yet: these are the defaults.';
}

// The PUT body, and where each of its values came from: the inputs an error naming that
// field (`business_hours.mon.0`, `holidays.2`) goes next to.
function collect() {
  const targets = new Map();
  const body = { time_zone: $('time-zone').value.trim() };

  if ($('hours-weekly').checked) {
    const weekly = {};
    for (const [day] of DAYS) {
      const sent = [];
      for (const node of document.querySelectorAll(`#hours-cell-${day} .interval`)) {
        const start = node.querySelector('.interval-start');
        const end = node.querySelector('.interval-end');
        if (!start.value && !end.value) continue; // an empty row: nothing typed
        const target = { inputs: [start, end], box: node, id: `${node.id}-error` };
        if (!start.value || !end.value) {
          throw Object.assign(new ApiError('Give this interval an opening and a closing time.', 422, 'invalid_request'), { target });
        }
        targets.set(`business_hours.${day}.${sent.length}`, target);
        sent.push({ start: start.value, end: sentEnd(end.value) });
      }
      if (sent.length) weekly[day] = sent;
    }
    const hoursTarget = { inputs: [$('hours-weekly')], box: $('hours-box'), id: 'hours-box-error' };
    if (!Object.keys(weekly).length) {
      throw Object.assign(
        new ApiError('Add open hours to at least one day, or choose Always open.', 422, 'invalid_request'),
        { target: hoursTarget },
      );
    }
    targets.set('business_hours', hoursTarget);
    body.business_hours = weekly;
  } else {
    body.business_hours = null;
  }

  body.holidays = [];
  for (const input of document.querySelectorAll('#holidays .holiday-date')) {
    if (!input.value) continue;
    targets.set(`holidays.${body.holidays.length}`, { inputs: [input], box: input.parentElement, id: `${input.id}-error` });
    body.holidays.push(input.value);
  }
  targets.set('holidays', { inputs: [$('add-holiday')], box: $('holidays-box'), id: 'holidays-box-error' });

  const minutes = Number($('response-target').value.trim());
  if (!$('response-target').value.trim() || !Number.isFinite(minutes) || minutes < 0.5 || minutes > MAX_TARGET_MINUTES) {
    throw new ApiError(
      `The response target must be from 0.5 to ${MAX_TARGET_MINUTES} minutes (a week).`,
      422,
      'invalid_request',
      'response_target_seconds',
    );
  }
  body.response_target_seconds = Math.round(minutes * 60);
  body.digest_enabled = $('digest-enabled').checked;

  for (const [field, id] of [
    ['digest_recipients', 'digest-recipients'],
    ['alert_recipients', 'alert-recipients'],
  ]) {
    const list = addresses($(id).value);
    body[field] = list.length ? list : null; // empty: the default recipients
    list.forEach((address, index) => {
      targets.set(`${field}.${index}`, {
        inputs: [$(id)],
        box: $(id).closest('.field'),
        id: `${id}-error`,
        say: () => `${address} is not a valid e-mail address.`,
      });
    });
  }
  return { body, targets };
}

// "mon: 09:00-13:00 overlaps 12:00-18:00" names no interval by its place: find the later
// of the two among the day's inputs (the server sorts them by start before it compares).
function overlapTarget(message, targets) {
  const match = String(message).match(/\b(mon|tue|wed|thu|fri|sat|sun):\s*(\d\d:\d\d)-(\d\d:\d\d) overlaps (\d\d:\d\d)-(\d\d:\d\d)/i);
  if (!match) return null;
  const day = match[1].toLowerCase();
  const found = [...targets.entries()].filter(([field]) => field.startsWith(`business_hours.${day}.`));
  const same = (target, start, end) =>
    target.inputs[0].value === start && sentEnd(target.inputs[1].value) === end;
  const hit =
    found.find(([, target]) => same(target, match[4], match[5])) ||
    found.find(([, target]) => same(target, match[2], match[3]));
  if (!hit) return null;
  // "Mon: 09:00-13:00 overlaps …" reads better with the day's name.
  return { ...hit[1], say: (error) => error.message.replace(/^\w+:/, `${DAY_NAMES[day]}:`) };
}

// Like formerror.js's showError, for a field no single `name` stands for: the message goes
// in `box`, every input of the target is marked invalid and described by it, the first one
// takes the focus. clearErrors (on the next submit) undoes all of it.
function showAt(target, message) {
  target.box.append(h('p', { class: 'form-error field-error', id: target.id, role: 'alert', text: message }));
  for (const input of target.inputs) {
    input.dataset.describedBy = input.getAttribute('aria-describedby') || '';
    input.setAttribute('aria-describedby', [input.dataset.describedBy, target.id].filter(Boolean).join(' '));
    input.setAttribute('aria-invalid', 'true');
  }
  target.inputs[0].scrollIntoView({ block: 'center' });
  target.inputs[0].focus({ preventScroll: true });
}

function placeError(form, error, targets) {
  if (error.target) return showAt(error.target, error.message);
  const field = String(error.field || '');
  let target = field === 'business_hours' ? overlapTarget(error.message, targets) : null;
  for (const parts = field.split('.'); !target && parts.length && parts[0]; parts.pop()) {
    target = targets.get(parts.join('.')) || null;
  }
  if (!target) return showError(form, error); // a field with a name, or the form's own line
  return showAt(target, target.say ? target.say(error) : error.message);
}

function setReadOnly() {
  for (const input of document.querySelectorAll('#settings-form input, #settings-form textarea')) {
    if (input.type === 'checkbox' || input.type === 'radio') input.disabled = true;
    else input.readOnly = true;
  }
  for (const node of document.querySelectorAll('.edit-only')) node.hidden = true;
  $('read-only-note').hidden = false;
}

function wire() {
  const zone = browserZone();
  const zones = COMMON_ZONES.includes(zone) || !zone ? COMMON_ZONES : [zone, ...COMMON_ZONES];
  $('time-zones').replaceChildren(...zones.map((name) => h('option', { value: name })));
  if (zone) {
    $('browser-zone').textContent = `Use my browser's zone (${zone})`;
    $('browser-zone').addEventListener('click', () => {
      $('time-zone').value = zone;
      $('time-zone').focus();
    });
  } else {
    $('browser-zone').hidden = true;
  }
  for (const radio of [$('hours-always'), $('hours-weekly')]) radio.addEventListener('change', showHoursMode);
  $('add-holiday').addEventListener('click', () => {
    const dates = readHolidays();
    dates.push('');
    renderHolidays(dates);
    $(`holiday-${dates.length - 1}`).focus();
  });
  const form = $('settings-form');
  onSubmit(form, async () => {
    $('settings-status').textContent = '';
    let sent = null;
    try {
      sent = collect();
      show(await api('PUT', '/v1/account/settings', sent.body));
    } catch (error) {
      if (error.status !== 422 && !error.target) throw error;
      placeError(form, error, sent ? sent.targets : new Map());
      $('settings-status').textContent = 'Not saved.';
      return;
    }
    $('error').textContent = '';
    $('settings-status').textContent = 'Saved.';
  });
}

async function main() {
  const me = await signedIn(fail);
  if (!me) return;
  $('account-name').textContent = `${me.account.name} · Settings`;
  $('me').textContent = me.staff.name;
  editable = ['owner', 'admin'].includes(me.staff.role);
  const settings = await api('GET', '/v1/account/settings');
  if (editable) wire();
  show(settings);
  if (!editable) setReadOnly();
}

main().catch(fail);
