// The ttbridged web console in the system's headless Chromium (playwright-core, no downloaded
// browser). console_browser_test.cc starts the daemon with the fakes and runs:
//   node console.test.mjs --url http://127.0.0.1:PORT/console --token TOKEN --order ID
//        --email EMAIL --other-order ID --chromium /usr/bin/chromium --artifacts DIR
// where ORDER's invitation is a dead letter (its card `failed`) and OTHER-ORDER went out. It logs
// in through the form, finds ORDER by its candidate's email, opens its timeline, retries the dead
// letter and waits for the card to turn `sent`; replays a step through the confirmation dialog;
// recovers the session after a reload; logs out. Every page is loaded at 1280 and 390 px: no
// console error, no horizontal scrolling, a screenshot in DIR. Exits 1 at the first failure
// (with DIR/failure.png).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {chromium} from 'playwright-core';

const {values: opt} = parseArgs({options: {
  url: {type: 'string'}, token: {type: 'string'}, order: {type: 'string'}, email: {type: 'string'},
  'other-order': {type: 'string'}, chromium: {type: 'string', default: '/usr/bin/chromium'},
  artifacts: {type: 'string'},
}});
for (const name of ['url', 'token', 'order', 'email', 'other-order', 'artifacts']) {
  if (!opt[name]) {
    console.error(`console.test.mjs: --${name} is required`);
    process.exit(2);
  }
}

const WIDTHS = [{width: 1280, height: 900}, {width: 390, height: 844}];
const TIMEOUT = 15000;  // one step's wait; the console polls every 5 s
const origin = new URL(opt.url).origin;
const started = Date.now();

class Failure extends Error {}
function check(condition, message) {
  if (!condition) throw new Failure(message);
}
function step(text) {
  console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${text}`);
}

// Only loopback: the console must need nothing from elsewhere, and the test sends nothing there.
function loopbackOnly(url) {
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === '[::1]' || host === 'localhost';
}

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ttb-console-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: opt.chromium,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: WIDTHS[0],
  timezoneId: 'UTC',
  locale: 'en-GB',
});
const page = context.pages()[0] ?? await context.newPage();
page.setDefaultTimeout(TIMEOUT);

const problems = [];  // console errors, page errors, requests off loopback
page.on('console', (message) => {
  if (message.type() === 'error') problems.push(`console error: ${message.text()} (${message.location().url})`);
});
page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
await context.route('**/*', (route) => {
  const url = route.request().url();
  if (loopbackOnly(url)) return route.continue();
  problems.push(`request off loopback blocked: ${url}`);
  return route.abort();
});
function expectNoProblems(where) {
  check(problems.length === 0, `${where}: ${problems.join('; ')}`);
}

// The page's width fits the viewport: nothing makes it scroll sideways, and no table is wider
// than its box (which would hide columns or scroll inside it).
async function expectNoHorizontalScroll(name) {
  const {scroll, client, tables} = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
    tables: [...document.querySelectorAll('.table-wrap')].map((box) => [box.scrollWidth, box.clientWidth]),
  }));
  check(scroll <= client, `${name}: the page scrolls horizontally (${scroll} px wide in ${client} px)`);
  for (const [wide, box] of tables) check(wide <= box, `${name}: a table is ${wide} px wide in its ${box} px box`);
}

// The whole page from its top (a sticky header would otherwise be drawn mid-page); `screen`: only
// what is on screen, for a modal dialog.
async function shoot(name, {screen = false} = {}) {
  if (!screen) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({path: path.join(opt.artifacts, `${name}.png`), fullPage: !screen});
}

// Every page at both widths: loaded, settled, no sideways scroll, no console error, a screenshot.
async function visitAtBothWidths(name, hash, ready) {
  for (const size of WIDTHS) {
    await page.setViewportSize(size);
    await page.goto(`${opt.url}/${hash}`);
    await page.reload();  // drawn from scratch at this width (a same-hash goto keeps the page)
    await ready();
    await page.locator('.live').filter({hasText: 'Live'}).waitFor();
    await expectNoHorizontalScroll(`${name} at ${size.width} px`);
    expectNoProblems(`${name} at ${size.width} px`);
    await shoot(`${name}-${size.width}`);
  }
  await page.setViewportSize(WIDTHS[0]);
}

const cardStatus = () => page.locator('.card-preview .card-status .badge');

async function run() {
  step('the login page');
  for (const size of WIDTHS) {
    await page.setViewportSize(size);
    await page.goto(opt.url);
    await page.getByLabel('Admin token').waitFor();
    check(new URL(page.url()).pathname.endsWith('/console/'), `/console did not lead to /console/ (${page.url()})`);
    await expectNoHorizontalScroll(`login at ${size.width} px`);
    await shoot(`login-${size.width}`);
  }
  await page.setViewportSize(WIDTHS[0]);
  expectNoProblems('login');

  step('a wrong token is refused on the form');
  await page.getByLabel('Admin token').fill('not-the-admin-token');
  await page.getByRole('button', {name: 'Log in'}).click();
  await page.locator('.form-error').filter({hasText: 'not the admin token'}).waitFor();
  // The browser reports the 401 of that attempt as a console error; it is the one expected.
  const refused = problems.filter((p) => !/status of 401/.test(p));
  problems.length = 0;
  problems.push(...refused);
  expectNoProblems('wrong token');

  step('log in through the form');
  await page.getByLabel('Admin token').fill(opt.token);
  await page.getByRole('button', {name: 'Log in'}).click();
  await page.getByRole('heading', {name: 'Overview'}).waitFor();
  await page.locator('.tile', {hasText: 'Dead letters'}).locator('.tile-value').filter({hasText: /^1$/}).waitFor();

  step('the overview names the vendor that is not answering');
  await page.locator('.panel.outages').getByText('acme/hackerrank').waitFor();

  step('every page at 1280 and 390 px');
  await visitAtBothWidths('overview', '#/', async () => {
    await page.locator('.chart, .chart-empty').first().waitFor();
    // The charts are drawn at their box's width, not scaled down from a wider drawing.
    const widths = await page.locator('.chart-box').evaluateAll((boxes) => boxes.map((box) => {
      const svg = box.querySelector('svg');
      return svg ? [svg.width.baseVal.value, box.clientWidth] : [box.clientWidth, box.clientWidth];
    }));
    for (const [drawn, box] of widths) check(drawn === box, `a chart is drawn ${drawn} px wide in a ${box} px box`);
  });
  await visitAtBothWidths('tenants', '#/tenants', () => page.getByRole('heading', {name: /acme/}).waitFor());
  await page.locator('tr', {hasText: 'hackerrank'}).locator('.badge.health-unavailable').waitFor();
  await visitAtBothWidths('orders', '#/orders', () => page.locator('table.data').waitFor());
  await visitAtBothWidths('dead-letters', '#/dead', () => page.getByRole('button', {name: /^Retry job/}).waitFor());
  await visitAtBothWidths('order-failed', `#/orders/${encodeURIComponent(opt.order)}`,
    () => cardStatus().filter({hasText: /failed/i}).waitFor());

  step('find the order by its candidate\'s email');
  await page.goto(`${opt.url}/#/orders`);
  await page.locator('table.data').waitFor();
  const rows = page.locator('table.data tbody tr');
  check(await rows.count() >= 2, `the order list shows ${await rows.count()} orders, expected both`);
  await page.getByLabel('Candidate email').fill(opt.email);
  await page.getByRole('button', {name: 'Search'}).click();
  await page.waitForURL(/email=/);
  await page.getByRole('link', {name: opt.order}).waitFor();
  check(await rows.count() === 1, `searching ${opt.email} shows ${await rows.count()} orders, expected 1`);
  check(await page.getByRole('link', {name: opt['other-order']}).count() === 0, 'the search shows the other candidate\'s order');
  const listText = await page.locator('table.data').innerText();
  check(!listText.includes(opt.email) && !listText.includes('Lovelace'), 'the order list shows candidate personal data');
  await shoot('orders-search');

  step('open its timeline');
  await page.getByRole('link', {name: opt.order}).click();
  await page.getByRole('heading', {name: 'Timeline'}).waitFor();
  await cardStatus().filter({hasText: /failed/i}).waitFor();
  check(await page.locator('.timeline li').count() >= 2, 'the timeline has fewer than two events');
  await page.locator('.pii').getByText(opt.email).waitFor();
  await page.locator('.pii').getByText('Ada Lovelace').waitFor();
  const deadJob = page.locator('table.data tbody tr', {hasText: 'invite'}).filter({has: page.getByRole('button', {name: /^Retry job/})});
  check(await deadJob.count() === 1, 'the order has no dead invite job with a Retry button');

  step('retry the dead letter and watch the card change');
  await deadJob.getByRole('button', {name: /^Retry job/}).click();
  await page.locator('.toast').filter({hasText: 'is queued again'}).waitFor();
  await cardStatus().filter({hasText: /^sent$/i}).waitFor({timeout: 30000});
  await page.locator('.timeline li', {hasText: /reopened/}).first().waitFor({timeout: 30000});
  await page.locator('h1 .badge').filter({hasNotText: /failed/i}).waitFor({timeout: 30000});
  check(await page.getByRole('button', {name: /^Retry job/}).count() === 0, 'a Retry button is left after the retry');
  expectNoProblems('retry');
  await shoot('order-after-retry-1280');

  step('replay a step after the confirmation dialog');
  await page.getByLabel('Step').selectOption('push');
  await page.getByRole('button', {name: 'Replay step…'}).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await shoot('replay-dialog-1280', {screen: true});
  await dialog.getByRole('button', {name: 'Cancel'}).click();
  await dialog.waitFor({state: 'detached'});
  check(await page.locator('.toast').filter({hasText: 'step of order'}).count() === 0, 'Cancel still replayed the step');
  await page.getByRole('button', {name: 'Replay step…'}).click();
  await page.getByRole('dialog').getByRole('button', {name: 'Replay push'}).click();
  const replayed = page.locator('.toast').filter({hasText: /Replay failed|step of order/});
  await replayed.first().waitFor();
  const toastText = await replayed.first().innerText();
  check(toastText.includes('is queued'), `the replay was refused: ${toastText}`);
  expectNoProblems('replay');

  step('the dead letters page is empty now');
  await page.goto(`${opt.url}/#/dead`);
  await page.getByText('No dead letters').waitFor();

  step('a reload keeps the session (the CSRF token comes back from GET /api/session)');
  await page.goto(`${opt.url}/#/orders/${encodeURIComponent(opt['other-order'])}`);
  await page.reload();
  await page.getByRole('heading', {name: 'Timeline'}).waitFor();
  check(await page.getByLabel('Admin token').count() === 0, 'the reload asked for the token again');
  await page.getByLabel('Step').selectOption('push');
  await page.getByRole('button', {name: 'Replay step…'}).click();
  await page.getByRole('dialog').getByRole('button', {name: 'Replay push'}).click();
  await page.locator('.toast').filter({hasText: 'is queued'}).first().waitFor();
  expectNoProblems('reload');

  step('log out');
  await page.getByRole('button', {name: 'Log out'}).click();
  await page.getByLabel('Admin token').waitFor();
  await page.reload();
  await page.getByLabel('Admin token').waitFor();
  const api = await page.request.get(`${origin}/api/overview`);
  check(api.status() === 401, `after logout GET /api/overview answered ${api.status()}, expected 401`);
  expectNoProblems('logout');
}

let code = 0;
try {
  await run();
  step(`passed; screenshots in ${opt.artifacts}`);
} catch (error) {
  code = 1;
  console.error(`console.test.mjs: FAILED: ${error instanceof Failure ? error.message : error.stack || error}`);
  if (problems.length) console.error(`also seen: ${problems.join('; ')}`);
  await page.screenshot({path: path.join(opt.artifacts, 'failure.png'), fullPage: true}).catch(() => {});
} finally {
  await context.close();
  fs.rmSync(userDataDir, {recursive: true, force: true});
}
process.exit(code);
