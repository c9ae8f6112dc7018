// The staff API from the page: the session travels in an httpOnly cookie; unsafe requests
// add the CSRF token (a second, readable cookie) as X-CSRF-Token.
import { humanMessage } from './words.js';

export class ApiError extends Error {
  constructor(message, status, code, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export function csrfToken() {
  const entry = document.cookie.split('; ').find((c) => c.startsWith('baton_csrf='));
  return entry ? decodeURIComponent(entry.slice('baton_csrf='.length)) : '';
}

export async function api(method, path, body, options = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken();
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      keepalive: Boolean(options.keepalive),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError('Cannot reach the inbox. Check your connection.', 0, 'offline');
  }
  let data = null;
  try {
    const raw = await response.text();
    data = raw ? JSON.parse(raw) : null;
  } catch (e) {
    data = null; // an empty or non-JSON body
  }
  if (response.ok) return data;
  throw apiError(response.status, data);
}

// The ApiError of a refused request, its message in plain words (words.js).
export function apiError(status, data) {
  const error = (data && data.error) || {};
  return new ApiError(
    error.message ? humanMessage(error.message, error.field) : `The request failed (${status}).`,
    status,
    error.code || 'http_error',
    error.field,
  );
}

export function toLogin() {
  const next = window.location.pathname + window.location.search;
  window.location.assign('/login?next=' + encodeURIComponent(next));
}

// The signed-in teammate and account (GET /v1/me); null after sending a signed-out visitor
// to the login page, or after handing any other failure to onError.
export async function signedIn(onError) {
  try {
    return await api('GET', '/v1/me');
  } catch (error) {
    if (error.status === 401) toLogin();
    else onError(error);
    return null;
  }
}
