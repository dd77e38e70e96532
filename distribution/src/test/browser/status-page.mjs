// The status page in a real browser (Debian's chromium, driven by playwright-core), as an operator uses it on a
// phone: log in when asked, create an mqtt connection through the form while its broker is down (after one the API
// refuses, whose message must show), watch its dot turn green when the broker starts, red when it stops and green
// again when it is back, reload the page (the user logged in is still shown), see a readonly user's write buttons
// disabled, edit the connection (the stored password is never put into the page), delete it.
// Called by StatusPageInABrowserIT with one JSON argument:
// {base, broker, deadServer, outDir, secret, user?, password?, readonlyUser?, readonlyPassword?}.
// The test owns the broker: a line "[browser] start the broker" or "[browser] stop the broker" on stdout asks it to;
// the script then waits for the dot, which is the proof.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const run = JSON.parse(process.argv[2]);
const STEP_MS = 30_000;
const log = (text) => console.log(`[browser] ${text}`);

const context = await chromium.launchPersistentContext(mkdtempSync(join(run.outDir, 'profile-')), {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run',
    '--disable-component-update', '--disable-sync'],
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
});
context.setDefaultTimeout(STEP_MS);
const page = context.pages()[0] || await context.newPage();
const problems = [];
page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
// Chromium logs every refused request (the 401 before logging in, the 400 the test provokes) as a console error.
const expectedRefusal = (text) => /status of (400|401)/.test(text);

async function fillConnection(id, server, extra = {}) {
  await page.click('#new-connection');
  await page.fill('#connection-form [name=id]', id);
  await page.selectOption('#connection-form [name=typ]', 'mqtt');
  await page.waitForSelector('#props[data-typ="mqtt"]');
  await page.fill('#prop-server', server);
  for (const [name, value] of Object.entries(extra)) await page.fill(`#prop-${name}`, value);
}

/** up: green (connected); down: red (disconnected, or re-dialling after a failure). */
async function dot(id, health) {
  await page.waitForSelector(`[data-conn="${id}"] .dot[data-health="${health}"]`);
  log(`${id} is ${health}`);
}

async function logIn(user, password) {
  await page.waitForSelector('#login:not([hidden])');
  await page.fill('#login-form [name=user]', user);
  await page.fill('#login-form [name=password]', password);
  await page.click('#login-form button[type=submit]');
  await shownAs(user);
}

/** The page shows who is logged in, offers to log out, and its live status runs; user null: no authentication. */
async function shownAs(user) {
  await page.waitForSelector('#connections-section:not([hidden])');
  await page.waitForSelector('#live[data-state="on"]');
  await page.waitForSelector('#types [data-typ="mqtt"]');
  if (user) {
    await page.waitForSelector(`#user:not([hidden]):has-text("${user} (")`);
    await page.waitForSelector('#logout:not([hidden])');
  } else if (await page.isVisible('#user') || await page.isVisible('#logout')) {
    throw new Error('a user or Log out is shown without authentication');
  }
  log(`shown as ${user ? await page.textContent('#user') : 'nobody (no authentication)'}`);
}

async function logOut() {
  await page.click('#logout');
  await page.waitForSelector('#login:not([hidden])');
  log('logged out');
}

/** Asks the test, which owns the broker, to start or stop it; the dots tell when it happened. */
function broker(action) {
  log(`${action} the broker`);
}

try {
  await page.goto(`${run.base}/ui/`);
  if (run.user) {
    await logIn(run.user, run.password);
  } else {
    await shownAs(null);
  }

  // the API's refusal is shown in the form, and nothing is created
  await fillConnection('plant', run.broker, { username: 'operator', password: run.secret, keepAlive: 'soon' });
  await page.click('#save');
  await page.waitForSelector('#form-message[data-kind="error"]:not([hidden])');
  const refusal = await page.textContent('#form-message');
  if (!refusal.includes('keepAlive')) throw new Error(`the refusal does not name the prop: ${refusal}`);
  log(`refusal shown: ${refusal}`);

  // the broker is not running yet: the check fails, the connection is created all the same and shows red
  await page.fill('#prop-keepAlive', '');
  await page.click('#check');
  await page.waitForFunction((refused) => {
    const message = document.querySelector('#form-message');
    return !message.hidden && message.dataset.kind === 'error' && message.textContent !== refused;
  }, refusal);
  log(`check failed, broker down: ${await page.textContent('#form-message')}`);
  await page.click('#save');
  await page.waitForSelector('#editor', { state: 'hidden' });
  await dot('plant', 'down');
  await page.waitForSelector('[data-conn="plant"] .err');

  await fillConnection('lab', run.deadServer);
  await page.click('#save');
  await page.waitForSelector('#editor', { state: 'hidden' });
  await dot('lab', 'down');

  // the dot follows the broker live: green when it starts, red when it stops, green again when it is back
  broker('start');
  await dot('plant', 'up');
  await page.screenshot({ path: join(run.outDir, 'status-page-phone.png'), fullPage: true });
  broker('stop');
  await dot('plant', 'down');
  await page.waitForSelector('[data-conn="plant"] .err');
  broker('start');
  await dot('plant', 'up');

  // a reload keeps the session: the user is shown again, and the dots come back from the event stream's snapshot
  await page.reload();
  await shownAs(run.user);
  await dot('plant', 'up');
  await dot('lab', 'down');

  if (run.readonlyUser) {
    await logOut();
    await logIn(run.readonlyUser, run.readonlyPassword);
    await page.waitForSelector('#user:has-text("(readonly)")');
    await page.waitForSelector('#new-connection[disabled]');
    await page.waitForSelector('[data-conn="plant"] [data-action="edit"][disabled]');
    await page.waitForSelector('[data-conn="plant"] [data-action="delete"][disabled]');
    await dot('plant', 'up');
    log('the readonly user sees the write buttons disabled');
    await logOut();
    await logIn(run.user, run.password);
    await page.waitForSelector('#new-connection:not([disabled])');
    await page.waitForSelector('[data-conn="plant"] [data-action="edit"]:not([disabled])');
  }

  // edit: the stored password stays out of the page, so a check needs it typed again; with the broker up the
  // check passes; an update without the password keeps it
  await page.click('[data-conn="plant"] [data-action="edit"]');
  await page.waitForSelector('#prop-password[placeholder="unchanged (stored)"]');
  if ((await page.inputValue('#prop-password')) !== '') throw new Error('the stored password was put into the form');
  await page.click('#check');
  await page.waitForSelector('#form-message[data-kind="error"]:has-text("type the secret fields again")');
  await page.fill('#prop-password', run.secret);
  await page.click('#check');
  await page.waitForSelector('#form-message[data-kind="ok"]:has-text("reachable")');
  log('check passed');
  await page.fill('#prop-password', '');
  await page.fill('#prop-keepAlive', '20');
  await page.click('#save');
  await page.waitForSelector('#editor', { state: 'hidden' });
  log('updated');

  for (const id of ['plant', 'lab']) {
    await page.click(`[data-conn="${id}"] [data-action="delete"]`);
    await page.click(`[data-conn="${id}"] [data-action="delete"].armed`);
    await page.waitForSelector(`[data-conn="${id}"]`, { state: 'detached' });
    log(`${id} deleted`);
  }
  await page.waitForSelector('#no-connections:not([hidden])');

  const html = await page.content();
  if (html.includes(run.secret)) throw new Error('the secret appears in the page');
  await page.setViewportSize({ width: 1200, height: 800 });
  await page.screenshot({ path: join(run.outDir, 'status-page-wide.png'), fullPage: true });
  const unexpected = problems.filter((p) => !expectedRefusal(p));
  if (unexpected.length) throw new Error(`the page reported errors:\n${unexpected.join('\n')}`);
  log('passed');
} catch (e) {
  await page.screenshot({ path: join(run.outDir, 'failure.png'), fullPage: true }).catch(() => {});
  console.error(`[browser] FAILED: ${e.message}\n${problems.join('\n')}`);
  process.exitCode = 1;
} finally {
  await context.close();
}
