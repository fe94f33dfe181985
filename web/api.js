// The JSON API of `verity serve` (docs/serve.md): CSRF header on every POST, a token form when
// the server answers 401, errors shown in the status area.
import { el, replace, $ } from './dom.js';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code;
  }
}

let loginWaiters = [];

export function showStatus(message, kind = 'info') {
  const area = $('#status');
  const line = el('p', { class: ['status-line', `status-${kind}`] }, message);
  replace(area, line);
  area.hidden = false;
}

export function clearStatus() {
  const area = $('#status');
  replace(area);
  area.hidden = true;
}

function showError(error) {
  const what = error.code ? `${error.code}: ${error.message}` : error.message;
  showStatus(what, 'error');
}

// Every request waiting on a 401 waits for the same form; one successful token releases all.
function waitForLogin() {
  const form = $('#token-form');
  form.hidden = false;
  $('#token-input').focus();
  return new Promise((resolve) => loginWaiters.push(resolve));
}

export function setUpTokenForm() {
  const form = $('#token-form');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = $('#token-input');
    const message = $('#token-message');
    replace(message);
    try {
      const answer = await fetch('/api/session', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Verity-CSRF': '1' },
        credentials: 'same-origin',
        body: JSON.stringify({ token: input.value }),
      });
      if (!answer.ok) {
        const body = await readJson(answer);
        replace(message, (body && body.message) || `The token was refused (HTTP ${answer.status}).`);
        input.select();
        return;
      }
    } catch (error) {
      replace(message, `Cannot reach the server: ${error.message}`);
      return;
    }
    input.value = '';
    form.hidden = true;
    clearStatus();
    const waiters = loginWaiters;
    loginWaiters = [];
    for (const resolve of waiters) resolve();
  });
}

async function readJson(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export async function request(method, path, body, { quiet = false } = {}) {
  for (;;) {
    const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
    if (method !== 'GET') {
      init.headers['Content-Type'] = 'application/json';
      init.headers['X-Verity-CSRF'] = '1';
      init.body = JSON.stringify(body === undefined ? {} : body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (cause) {
      const error = new ApiError(0, 'NETWORK', `Cannot reach the server: ${cause.message}`);
      if (!quiet) showError(error);
      throw error;
    }
    if (response.status === 401) {
      await waitForLogin();
      continue;
    }
    const data = await readJson(response);
    if (!response.ok) {
      const error = new ApiError(response.status, data && data.error,
        (data && data.message) || `${method} ${path}: HTTP ${response.status}`);
      if (!quiet) showError(error);
      throw error;
    }
    return data;
  }
}

export const get = (path, options) => request('GET', path, undefined, options);
export const post = (path, body, options) => request('POST', path, body, options);
