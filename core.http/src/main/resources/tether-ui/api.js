// The management API, relative to the page (/ui/ → /), so that a reverse proxy's prefix is kept.
const ROOT = new URL('../', document.baseURI);

/** An answer other than 2xx, with the API's message ({"error": code, "message": "..."}). */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function url(path) {
  return new URL(path, ROOT).toString();
}

/** Sends a request (JSON body when given) and returns the parsed JSON answer, or null for an empty one. */
export async function call(method, path, body, headers = {}) {
  // X-Requested-With: no Basic challenge in a 401, which would open the browser's own login dialog
  const init = {
    method,
    headers: { Accept: 'application/json', 'X-Requested-With': 'fetch', ...headers },
    credentials: 'same-origin',
  };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url(path), init);
  } catch (e) {
    throw new ApiError(0, `Tether cannot be reached (${e.message})`);
  }
  const text = await response.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!response.ok) {
    const message = json && typeof json.message === 'string' ? json.message : `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message);
  }
  return json;
}

export const api = {
  info: () => call('GET', ''),
  types: () => call('GET', 'metadata/connections'),
  schema: (typ) => call('GET', `metadata/connections/${encodeURIComponent(typ)}`),
  connection: (id) => call('GET', `connections/${encodeURIComponent(id)}`),
  create: (id, typ, props) => call('POST', 'connections', { id, typ, props }),
  update: (id, typ, props) => call('PUT', `connections/${encodeURIComponent(id)}`, { typ, props }),
  remove: (id) => call('DELETE', `connections/${encodeURIComponent(id)}`),
  check: (typ, props) => call('POST', `metadata/sources/connection/${encodeURIComponent(typ)}`, props),
  login: (authorization) => call('POST', 'login', undefined, { Authorization: authorization }),
  whoAmI: () => call('GET', 'login'),
  logout: () => call('POST', 'logout'),
};

/** HTTP Basic credentials of a user and password in any script (btoa alone takes Latin-1 only). */
export function basic(user, password) {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  let binary = '';
  bytes.forEach((b) => { binary += String.fromCharCode(b); });
  return `Basic ${btoa(binary)}`;
}
