// The operator API (/api/..., docs/operations.md, "The console"), as the pages use it. The session
// cookie is HttpOnly and travels by itself; the CSRF token lives only in this module's memory and
// goes with every request that changes state.

const SESSION_HINT = 'ttbridge.console.signed-in';

let csrf = null;
const unauthorizedListeners = new Set();

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// Paths are relative to the page (/console/), so a proxy that mounts the admin listener under a
// prefix needs no rewriting.
const apiUrl = (path) => new URL(`../api${path}`, document.baseURI).href;

async function call(method, path, body) {
  const headers = {Accept: 'application/json'};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  let response;
  try {
    response = await fetch(apiUrl(path), {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'ttbridged did not answer; is it running, and is the admin listener reachable?');
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    let message = data && typeof data.error === 'string' ? data.error : `${response.status} ${response.statusText}`;
    const retryAfter = response.headers.get('Retry-After');
    if (response.status === 429 && retryAfter) message += ` (try again in ${retryAfter} s)`;
    const error = new ApiError(response.status, message);
    if (response.status === 401 && path !== '/session') {
      for (const listener of unauthorizedListeners) listener(error);
    }
    throw error;
  }
  return data ?? {};
}

export function onUnauthorized(listener) {
  unauthorizedListeners.add(listener);
}

// The hint (never the token or the session) remembers that this browser logged in, so that a
// first visit shows the login form without asking the daemon for a session it cannot have.
function remember(signedIn) {
  try {
    if (signedIn) localStorage.setItem(SESSION_HINT, '1');
    else localStorage.removeItem(SESSION_HINT);
  } catch {
    // storage disabled: every reload asks the daemon
  }
}
function remembered() {
  try {
    return localStorage.getItem(SESSION_HINT) === '1';
  } catch {
    return true;
  }
}

export const signedIn = () => csrf !== null;

export async function login(token) {
  const data = await call('POST', '/session', {token});
  csrf = data.csrf;
  remember(true);
}

// After a reload: gets the CSRF token of a live session back; false when there is none.
export async function resume() {
  if (!remembered()) return false;
  try {
    const data = await call('GET', '/session');
    csrf = data.csrf;
    return true;
  } catch (error) {
    if (error.status === 401) {
      remember(false);
      return false;
    }
    throw error;
  }
}

export async function logout() {
  try {
    await call('DELETE', '/session');
  } finally {
    csrf = null;
    remember(false);
  }
}

// Forgets the session this page had (the daemon said 401: expired, or the daemon restarted).
export function forget() {
  csrf = null;
  remember(false);
}

const query = (params) => {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') q.set(key, value);
  }
  const text = q.toString();
  return text ? `?${text}` : '';
};

const segment = (value) => encodeURIComponent(String(value));

export const overview = () => call('GET', '/overview');
export const stats = () => call('GET', '/stats');
export const tenants = () => call('GET', '/tenants');
export const orders = (params) => call('GET', `/orders${query(params)}`);
export const order = (id) => call('GET', `/orders/${segment(id)}`);
export const jobs = (params) => call('GET', `/jobs${query(params)}`);
export const retryJob = (id) => call('POST', `/jobs/${segment(id)}/retry`);
export const replayStep = (id, step) => call('POST', `/orders/${segment(id)}/replay`, {step});
