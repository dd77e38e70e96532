import { api, ApiError, basic, url } from './api.js';
import { buildFields, FormError, MASK } from './schema-form.js';

const $ = (id) => document.getElementById(id);
const connections = new Map(); // id → the last status event of that connection
let types = [];
let events = null;
let reopenTimer = null;
let armedDelete = null;
let editing = null; // { mode: 'create' | 'update', id }
let fields = null;
let fieldLoads = 0; // loadFields calls so far: a slower, older one must not overwrite a newer one
let mayWrite = true; // false for a user of the readonly role: the API would refuse every change with 403
const READ_ONLY = 'your role is readonly: you may only look';

function show(id, visible) {
  $(id).hidden = !visible;
}

function alertMessage(message) {
  $('alert').textContent = message || '';
  show('alert', Boolean(message));
}

function formMessage(message, kind = 'error') {
  const box = $('form-message');
  box.textContent = message || '';
  box.dataset.kind = kind;
  box.hidden = !message;
}

function live(state, label) {
  $('live').dataset.state = state;
  $('live').textContent = label;
}

function node(tag, attributes = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) {
    if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
}

function time(ms) {
  if (!ms) return '—';
  const date = new Date(ms);
  const today = date.toDateString() === new Date().toDateString();
  return node('time', { datetime: date.toISOString(), title: date.toISOString() },
    today ? date.toLocaleTimeString() : date.toLocaleString());
}

// ---- start, login, logout

async function start() {
  try {
    showUser(await api.whoAmI());
    const info = await api.info();
    $('about').textContent = `Tether ${info.version} · ${info.os}/${info.arch}`;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      showLogin();
      return;
    }
    alertMessage(e.message);
  }
  showApp();
}

/** who: GET /login's answer, {user, role}; without authentication {role: 'admin'} and no user to show. */
function showUser(who) {
  mayWrite = who.role === 'admin';
  $('user').textContent = who.user ? `${who.user} (${who.role})` : '';
  show('user', Boolean(who.user));
  show('logout', Boolean(who.user));
  $('new-connection').disabled = !mayWrite;
  $('new-connection').title = mayWrite ? '' : READ_ONLY;
  render();
}

function showLogin(message) {
  closeEvents();
  live('off', 'offline');
  ['connections-section', 'editor', 'types-section', 'logout', 'user'].forEach((id) => show(id, false));
  show('login', true);
  alertMessage(message);
}

async function login(event) {
  event.preventDefault();
  const form = event.target;
  const token = form.token.value.trim();
  const authorization = token ? `Bearer ${token}` : basic(form.user.value, form.password.value);
  form.password.value = '';
  form.token.value = '';
  try {
    await api.login(authorization);
    show('login', false);
    alertMessage('');
    start();
  } catch (e) {
    alertMessage(e.message);
  }
}

async function logout() {
  try {
    await api.logout();
  } catch (e) {
    alertMessage(e.message);
  }
  showLogin();
}

async function showApp() {
  show('login', false);
  show('connections-section', true);
  show('types-section', true);
  openEvents();
  await loadTypes();
}

async function loadTypes() {
  try {
    types = await api.types();
  } catch (e) {
    failed(e);
    return;
  }
  $('types').replaceChildren(...types.map((t) => node('li', { 'data-typ': t.typ },
    node('strong', {}, t.typ), ' ', node('small', {}, `${t.bundle} ${t.version}`))));
  if (!types.length) $('types').append(node('li', {}, 'none installed'));
  const select = document.querySelector('#connection-form [name=typ]');
  const chosen = select.value;
  select.replaceChildren(...types.map((t) => node('option', { value: t.typ }, t.typ)));
  if (chosen) select.value = chosen;
}

/** A refused request: a lost session leads to the login form, anything else is shown. */
function failed(e, where = alertMessage) {
  if (e instanceof ApiError && e.status === 401) {
    showLogin(e.message);
  } else {
    where(e.message);
  }
}

// ---- live status from GET /events (the session cookie authenticates it when auth is on)

function openEvents() {
  closeEvents();
  live('connecting', 'connecting…');
  events = new EventSource(url('events'));
  events.addEventListener('open', () => live('on', 'live'));
  events.addEventListener('snapshot', (e) => {
    connections.clear();
    for (const c of JSON.parse(e.data)) connections.set(c.id, c);
    render();
  });
  events.addEventListener('status', (e) => {
    const c = JSON.parse(e.data);
    connections.set(c.id, c);
    render();
  });
  events.addEventListener('deleted', (e) => {
    connections.delete(JSON.parse(e.data).id);
    render();
  });
  events.addEventListener('error', () => {
    if (events && events.readyState === EventSource.CLOSED) {
      // refused (401 after a session ended, or the server is gone): the browser does not retry by itself
      live('off', 'offline');
      closeEvents();
      reopenTimer = setTimeout(async () => {
        try {
          await api.info();
          openEvents();
        } catch (e) {
          if (e instanceof ApiError && e.status === 401) showLogin(e.message);
          else reopenTimer = setTimeout(openEvents, 3000);
        }
      }, 2000);
    } else {
      live('connecting', 'reconnecting…');
    }
  });
}

function closeEvents() {
  clearTimeout(reopenTimer);
  if (events) events.close();
  events = null;
}

// ---- the connection cards

function render() {
  const all = [...connections.values()]
    .filter((c) => c.isNamed || $('show-anonymous').checked)
    .sort((a, b) => a.id.localeCompare(b.id));
  $('connections').replaceChildren(...all.map(card));
  show('no-connections', all.length === 0);
}

/**
 * The dot's colour: a connection that lost its peer goes disconnected and at once connecting again (the pool
 * re-dials) with the failure in err; that is down (red) as long as it lasts, not merely pending (amber).
 */
function health(c) {
  if (c.status === 'connected') return 'up';
  return c.status === 'connecting' && !c.err ? 'pending' : 'down';
}

function card(c) {
  const state = health(c);
  const refs = c.refs && c.refs.length ? c.refs.join(', ') : 'none';
  const details = node('dl', {},
    node('dt', {}, 'status'),
    node('dd', { class: 'status' }, c.status === 'connecting' && c.err ? 'connecting (retrying)' : c.status),
    ...(c.err ? [node('dt', {}, 'error'), node('dd', { class: 'err' }, c.err)] : []),
    node('dt', {}, 'refs'), node('dd', { class: 'refs' }, refs),
    node('dt', {}, 'connected'), node('dd', {}, time(c.lastConnected)),
    node('dt', {}, 'disconnected'), node('dd', {}, time(c.lastDisconnected)),
    node('dt', {}, 'last try'), node('dd', {}, time(c.lastTry)),
    node('dt', {}, 'changed'), node('dd', {}, time(c.at)));
  const item = node('li', { class: 'card', 'data-conn': c.id },
    node('div', { class: 'card-head' },
      node('span', { class: 'dot', 'data-health': state, title: state, role: 'img', 'aria-label': state }),
      node('span', { class: 'name' }, c.id),
      node('span', { class: 'typ' }, c.isNamed ? c.typ : `${c.typ} · anonymous`)),
    details);
  if (c.isNamed) {
    const locked = { disabled: !mayWrite, title: mayWrite ? undefined : READ_ONLY };
    const edit = node('button', { type: 'button', class: 'quiet', 'data-action': 'edit', ...locked }, 'Edit');
    edit.addEventListener('click', () => openEditor('update', c.id));
    const armed = armedDelete === c.id;
    const remove = node('button', {
      type: 'button', class: armed ? 'danger armed' : 'danger', 'data-action': 'delete', ...locked,
    }, armed ? 'Really delete?' : 'Delete');
    remove.addEventListener('click', () => deleteClicked(c.id));
    item.append(node('div', { class: 'buttons' }, edit, remove));
  }
  return item;
}

async function deleteClicked(id) {
  if (armedDelete !== id) {
    armedDelete = id;
    render();
    setTimeout(() => {
      if (armedDelete === id) {
        armedDelete = null;
        render();
      }
    }, 5000);
    return;
  }
  armedDelete = null;
  try {
    await api.remove(id);
    alertMessage('');
  } catch (e) {
    failed(e);
  }
  render();
}

// ---- the create / update form

async function openEditor(mode, id) {
  editing = { mode, id };
  const form = $('connection-form');
  formMessage('');
  const idInput = form.elements.namedItem('id');
  idInput.value = id || '';
  idInput.readOnly = mode === 'update';
  form.extra.value = '';
  $('editor-title').textContent = mode === 'update' ? `Edit ${id}` : 'New connection';
  $('save').textContent = mode === 'update' ? 'Update' : 'Create';
  show('editor', true);
  let stored = null;
  if (mode === 'update') {
    try {
      stored = await api.connection(id);
    } catch (e) {
      failed(e, formMessage);
      return;
    }
    form.typ.value = stored.typ;
  } else if (!form.typ.value && types.length) {
    form.typ.value = types[0].typ;
  }
  await loadFields(stored ? stored.props : {});
  $('editor').scrollIntoView({ block: 'start' });
  (mode === 'update' ? form.typ : idInput).focus();
}

async function loadFields(props) {
  const form = $('connection-form');
  const typ = form.typ.value;
  const load = ++fieldLoads;
  delete $('props').dataset.typ;
  let schema = null;
  if (typ) {
    try {
      schema = await api.schema(typ);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 404) failed(e, formMessage);
    }
  }
  // the type may have changed while its schema loaded: only the last choice builds the fields
  if (load !== fieldLoads) return;
  fields = buildFields($('props'), schema);
  $('props').dataset.typ = typ;
  const rest = fields.fill(props);
  form.extra.value = Object.keys(rest).length ? JSON.stringify(rest, null, 2) : '';
  $('extra').open = !fields.known || Object.keys(rest).length > 0;
}

function formProps() {
  const form = $('connection-form');
  const props = fields ? fields.read() : {};
  const extra = form.extra.value.trim();
  if (extra) {
    let more;
    try {
      more = JSON.parse(extra);
    } catch {
      throw new FormError('More props: not valid JSON');
    }
    if (!more || typeof more !== 'object' || Array.isArray(more)) {
      throw new FormError('More props: a JSON object is expected, e.g. {"name": "value"}');
    }
    Object.assign(props, more);
  }
  return props;
}

function containsMask(value) {
  if (value === MASK) return true;
  return value !== null && typeof value === 'object' && Object.values(value).some(containsMask);
}

async function save(event) {
  event.preventDefault();
  const form = $('connection-form');
  formMessage('');
  let props;
  try {
    props = formProps();
  } catch (e) {
    formMessage(e.message);
    return;
  }
  $('save').disabled = true;
  try {
    if (editing.mode === 'update') {
      await api.update(editing.id, form.typ.value, props);
    } else {
      await api.create(form.elements.namedItem('id').value.trim(), form.typ.value, props);
    }
    closeEditor();
  } catch (e) {
    failed(e, formMessage);
  } finally {
    $('save').disabled = false;
  }
}

async function check() {
  const form = $('connection-form');
  formMessage('');
  let props;
  try {
    props = formProps();
  } catch (e) {
    formMessage(e.message);
    return;
  }
  if (containsMask(props)) {
    formMessage('To check, type the secret fields again: the stored secrets are never sent to the page.');
    return;
  }
  $('check').disabled = true;
  formMessage('Checking…', 'ok');
  try {
    await api.check(form.typ.value, props);
    formMessage(`${form.typ.value} connection reachable with these props`, 'ok');
  } catch (e) {
    failed(e, formMessage);
  } finally {
    $('check').disabled = false;
  }
}

function closeEditor() {
  editing = null;
  fields = null;
  $('props').replaceChildren();
  show('editor', false);
}

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', logout);
  $('new-connection').addEventListener('click', () => openEditor('create'));
  $('show-anonymous').addEventListener('change', render);
  $('connection-form').addEventListener('submit', save);
  $('check').addEventListener('click', check);
  $('cancel').addEventListener('click', closeEditor);
  document.querySelector('#connection-form [name=typ]').addEventListener('change', () => loadFields({}));
  start();
});
