// The status page in a real browser (Debian's chromium, driven by playwright-core), as an operator uses it on a
// phone: log in when asked, create an mqtt connection through the form (after one the API refuses, whose message
// must show), watch its dot turn green while the broker runs and red once it is killed, edit it (the stored password
// is never put into the page), delete it. Called by StatusPageInABrowserIT with one JSON argument:
// {base, broker, brokerPid, deadServer, outDir, user?, password?, secret}.
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

try {
  await page.goto(`${run.base}/ui/`);
  if (run.user) {
    await page.waitForSelector('#login:not([hidden])');
    await page.fill('#login-form [name=user]', run.user);
    await page.fill('#login-form [name=password]', run.password);
    await page.click('#login-form button[type=submit]');
    log('logged in');
  }
  await page.waitForSelector('#connections-section:not([hidden])');
  await page.waitForSelector('#live[data-state="on"]');
  await page.waitForSelector('#types [data-typ="mqtt"]');

  // the API's refusal is shown in the form, and nothing is created
  await fillConnection('plant', run.broker, { username: 'operator', password: run.secret, keepAlive: 'soon' });
  await page.click('#save');
  await page.waitForSelector('#form-message[data-kind="error"]:not([hidden])');
  const refusal = await page.textContent('#form-message');
  if (!refusal.includes('keepAlive')) throw new Error(`the refusal does not name the prop: ${refusal}`);
  log(`refusal shown: ${refusal}`);

  await page.fill('#prop-keepAlive', '');
  await page.click('#check');
  await page.waitForSelector('#form-message[data-kind="ok"]:has-text("reachable")');
  log('check passed');
  await page.click('#save');
  await page.waitForSelector('#editor', { state: 'hidden' });
  await dot('plant', 'up');

  await fillConnection('lab', run.deadServer);
  await page.click('#save');
  await page.waitForSelector('#editor', { state: 'hidden' });
  await dot('lab', 'down');
  await page.screenshot({ path: join(run.outDir, 'status-page-phone.png'), fullPage: true });

  process.kill(run.brokerPid, 'SIGKILL');
  log('broker killed');
  await dot('plant', 'down');
  await page.waitForSelector('[data-conn="plant"] .err');

  // edit: the stored password stays out of the page, and an update without it keeps it
  await page.click('[data-conn="plant"] [data-action="edit"]');
  await page.waitForSelector('#prop-password[placeholder="unchanged (stored)"]');
  if ((await page.inputValue('#prop-password')) !== '') throw new Error('the stored password was put into the form');
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
