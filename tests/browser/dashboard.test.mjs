// The dashboard of `verity serve` in real Chromium against the example API's two mocks: the
// endpoint browser, a live run, a failing result, a document that tries to inject script, the
// history and its diff, the base-URL scan and its quick fix, and a narrow window.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  ROOT, TOKENS, XSS, launchBrowser, makeWorkspace, openPage, removeWorkspace, screenshot, startMock,
  startServe, stop,
} from './harness.mjs';

const RUN_TIMEOUT = 90000;
const SELECTED = [
  'GET /platform/v1/clients',
  'POST /platform/v1/payment/packages',
  // Fails on purpose: the primary mock sends a drifted package (examples/README.md).
  'GET /platform/v1/payment/packages/{package_id}',
];
const RECOMMENDATIONS = ['PRIMARY_NOW_WORKS', 'FALLBACK_BROKEN', 'BOTH_FAILING', 'FALLBACK_STILL_NEEDED', 'NO_WORKFLOW', 'SKIPPED'];

const row = (key) => `[data-testid=op-row][data-key="${key}"]`;

async function pageText(page) {
  return page.evaluate(() => document.documentElement.outerHTML + document.body.innerText);
}

function assertNoTokens(text) {
  for (const value of Object.values(TOKENS)) {
    assert.ok(!text.includes(value), 'a token value reached the page');
  }
}

async function runSelection(page) {
  await page.click('[data-testid=run-start]');
  await page.waitForSelector('[data-testid=run-panel][data-state=running]', { timeout: RUN_TIMEOUT })
    .catch(() => {}); // a fast run may be over before we look
  await page.waitForSelector('[data-testid=run-panel][data-state=finished]', { timeout: RUN_TIMEOUT });
}

describe('dashboard', () => {
  let primary;
  let fallback;
  let serve;
  let workspace;
  let browser;
  let page;

  before(async () => {
    [primary, fallback] = await Promise.all([startMock('primary'), startMock('fallback')]);
    workspace = makeWorkspace({ primaryUrl: primary.url, fallbackUrl: fallback.url, xss: true });
    serve = await startServe(workspace);
    browser = await launchBrowser();
    page = await openPage(browser, serve.url);
  });

  after(async () => {
    if (browser) await browser.close();
    await Promise.all([serve, primary, fallback].filter(Boolean).map((server) => stop(server.child)));
    removeWorkspace(workspace);
  });

  // Each test leaves a picture of the page; a failing one shows where it stopped.
  async function step(name, body) {
    try {
      await body();
    } finally {
      if (page) await screenshot(page, name).catch(() => {});
    }
  }

  test('the page loads with every operation grouped by domain', { timeout: 30000 }, () => step('01-loaded', async () => {
    await page.waitForSelector('[data-testid=op-row]');
    const rows = await page.locator('[data-testid=op-row]').count();
    assert.ok(rows >= 16, `expected the 15 operations and the extra document, got ${rows}`);
    const domains = await page.locator('[data-testid=op-group]').evaluateAll((groups) => groups.map((g) => g.dataset.domain));
    assert.deepEqual(domains, ['clients', 'sales']);
    assert.match(await page.textContent('[data-testid=op-count]'), new RegExp(`^${rows} of ${rows} operations shown`));
    assert.match(await page.textContent('[data-testid=run-env]'), /example/);
    assert.deepEqual(page.problems, []);
  }));

  test('filters narrow the list and the counts follow', { timeout: 30000 }, () => step('02-filtered', async () => {
    const total = await page.locator('[data-testid=op-row]').count();
    await page.selectOption('[data-testid=filter-domain]', 'clients');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=op-row]').length < n, total);
    const clients = await page.locator('[data-testid=op-row]').count();
    assert.match(await page.textContent('[data-testid=op-count]'), new RegExp(`^${clients} of ${total} `));
    assert.equal(await page.locator('[data-testid=op-group]').count(), 1);
    await page.fill('[data-testid=filter-q]', 'client_id');
    await page.waitForFunction(() => /^3 of /.test(document.querySelector('[data-testid=op-count]').textContent));
    const keys = await page.locator('[data-testid=op-row]').evaluateAll((rows) => rows.map((r) => r.dataset.key));
    assert.deepEqual(keys.sort(), [
      'DELETE /platform/v1/clients/{client_id}',
      'GET /platform/v1/clients/{client_id}',
      'PUT /platform/v1/clients/{client_id}',
    ]);
    assert.match(await page.textContent('[data-testid=group-count]'), /^3 \/ /);
    await page.click('[data-testid=filter-reset]');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=op-row]').length === n, total);
  }));

  test('a run of three selected operations shows live progress and results', { timeout: RUN_TIMEOUT + 30000 }, () => step('03-run', async () => {
    for (const key of SELECTED) await page.check(`${row(key)} [data-testid=op-select]`);
    assert.match(await page.textContent('[data-testid=op-count]'), /3 selected/);
    assert.match(await page.textContent('[data-testid=run-targets]'), /^3 selected/);
    await runSelection(page);
    assert.equal(await page.textContent('[data-testid=run-progress-text]'), '3 / 3 documents');
    assert.equal(await page.$eval('[data-testid=run-progress]', (p) => [p.value, p.max].join('/')), '3/3');
    const outcomes = await page.locator('[data-testid=result-item]').evaluateAll((items) =>
      Object.fromEntries(items.map((i) => [i.dataset.endpoint, i.dataset.outcome])));
    assert.deepEqual(outcomes, {
      'GET /platform/v1/clients': 'PASS',
      'POST /platform/v1/payment/packages': 'PASS',
      'GET /platform/v1/payment/packages/{package_id}': 'FAIL',
    });
    assert.match(await page.textContent('[data-testid=run-summary]'), /2 passed, 1 failed/);
    assert.deepEqual(page.problems, []);
  }));

  test('a failing result shows its reason and masked request headers', { timeout: 30000 }, () => step('04-failing-result', async () => {
    await page.click('[data-testid=result-item][data-outcome=FAIL]');
    await page.waitForSelector('[data-testid=result-view]');
    assert.match(await page.textContent('[data-testid=result-reason]'), /MISSING_REQUIRED_FIELD/);
    assert.match(await page.textContent('[data-testid=result-suggestion]'), /knownIssues/);
    const pointers = await page.locator('[data-testid=result-issues] [data-testid=issue-pointer]').allTextContents();
    assert.ok(pointers.includes('/data/package/currency'), `pointers: ${pointers}`);
    assert.ok(pointers.includes('/data/package/price'), `pointers: ${pointers}`);
    // The test request's checks, each with its mark: the answer holds a package.
    const checks = await page.locator('[data-testid=step-checks] [data-testid=step-check]').evaluateAll((rows) =>
      rows.map((r) => [...r.cells].map((c) => c.textContent)));
    assert.ok(checks.length > 0, 'no checks table');
    for (const cells of checks) assert.match(cells[0], /^[✓✗]$/, `check row: ${cells}`);
    assert.ok(checks.some((cells) => /^body \$\.data\.package\.id exists$/.test(cells[2]) && cells[0] === '✓'),
      `checks: ${JSON.stringify(checks)}`);
    const headers = await page.locator('[data-testid=request-headers]').first().innerText();
    assert.match(headers, /Authorization\s+Bearer \*{4}/);
    assertNoTokens(await pageText(page));
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=detail]', { state: 'hidden' });
    // Focus goes back to the result that opened the pane, for keyboard users.
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'result-item');
  }));

  test('a document whose title and summary hold HTML renders them as text', { timeout: 30000 }, () => step('05-xss', async () => {
    await page.fill('[data-testid=filter-q]', 'xss_probe');
    const probe = row('GET /platform/v1/xss_probe');
    await page.waitForSelector(probe);
    await page.click(`${probe} [data-testid=op-open]`);
    await page.waitForSelector('[data-testid=document-view]');
    const blocks = await page.textContent('[data-testid=doc-blocks]');
    assert.ok(blocks.includes(XSS), 'the heading shows the markup as text');
    const state = await page.evaluate(() => ({
      xss: window.__xss,
      images: document.querySelectorAll('img').length,
    }));
    assert.deepEqual(state, { xss: undefined, images: 0 });
    assert.ok(!(await page.content()).includes('<img'), 'no img element in the page');
    await page.keyboard.press('Escape');
    await page.fill('[data-testid=filter-q]', '');
    await page.waitForFunction(() => !/^1 of /.test(document.querySelector('[data-testid=op-count]').textContent));
    assert.deepEqual(page.problems, []);
  }));

  test('a document view shows the recipe, its history and its operation', { timeout: 30000 }, () => step('06-document', async () => {
    await page.click(`${row('GET /platform/v1/payment/packages/{package_id}')} [data-testid=op-open]`);
    await page.waitForSelector('[data-testid=document-view]');
    await page.waitForSelector('[data-testid=sparkline] svg rect');
    assert.match(await page.textContent('[data-testid=doc-operation]'), /packages\.json/);
    assert.ok(await page.locator('[data-testid=doc-blocks] pre code').count() >= 1, 'the recipe has code blocks');
    await page.click('[data-testid=detail-close]');
    await page.waitForSelector('[data-testid=detail]', { state: 'hidden' });
  }));

  test('the history charts the runs and diffs two of them', { timeout: RUN_TIMEOUT + 30000 }, () => step('07-history', async () => {
    await runSelection(page); // a second run, to have two to compare
    await page.click('[data-testid=tab-history]');
    await page.waitForSelector('[data-testid=history-chart] svg');
    assert.ok(await page.locator('[data-testid=history-run]').count() >= 2);
    await page.click('[data-testid=history-diff]');
    await page.waitForSelector('[data-testid=diff-started-failing]');
    assert.match(await page.textContent('[data-testid=diff-fixed]'), /^Fixed \(\d+\)/);
    assert.deepEqual(page.problems, []);
  }));

  test('the base-URL scan shows a card per fallback document, and the quick fix writes back', { timeout: RUN_TIMEOUT + 30000 }, () => step('08-scan', async () => {
    await page.click('[data-testid=tab-scan]');
    await page.click('[data-testid=scan-start]');
    await page.waitForSelector('[data-testid=view-scan][data-state=finished]', { timeout: RUN_TIMEOUT });
    const cards = await page.locator('[data-testid=scan-card]').evaluateAll((all) =>
      all.map((c) => ({ file: c.dataset.file, recommendation: c.dataset.recommendation })));
    assert.ok(cards.length >= 1, 'at least one document uses the fallback');
    const ranks = cards.map((c) => RECOMMENDATIONS.indexOf(c.recommendation));
    assert.ok(ranks.every((r) => r >= 0), `recommendations: ${cards.map((c) => c.recommendation)}`);
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), 'cards sorted by recommendation');
    const seed = cards.find((c) => c.file.endsWith('get_business_payments_v1_client_packages_uid.md'));
    assert.ok(seed, 'the seed document is scanned');
    // The primary answers 401 on /business/payments/v1/*: the seed still needs its fallback.
    assert.equal(seed.recommendation, 'FALLBACK_STILL_NEEDED');
    await screenshot(page, '08-scan-cards');

    const chosen = cards.find((c) => c.recommendation === 'PRIMARY_NOW_WORKS') || cards[0];
    await page.check(`[data-testid=scan-card][data-file="${chosen.file}"] [data-testid=scan-select]`);
    await page.click('[data-testid=scan-fix]');
    await page.waitForSelector('[data-testid=scan-fixed]');
    const fixedText = await page.textContent('[data-testid=scan-fixed]');
    const skippedText = await page.textContent('[data-testid=scan-skipped]');
    assert.ok(fixedText.includes(chosen.file) || skippedText.includes(chosen.file), 'the file is fixed or skipped');
    if (fixedText.includes(chosen.file)) {
      // The server names files as it found them: absolute, or relative to its working directory.
      const inKb = /(?:^|\/)kb\/(.*)$/.exec(chosen.file);
      const candidates = [path.resolve(ROOT, chosen.file), inKb && path.join(workspace.kb, inKb[1])].filter(Boolean);
      const found = candidates.find((f) => fs.existsSync(f) && f.startsWith(workspace.dir));
      assert.ok(found, `cannot find ${chosen.file} in ${workspace.dir}`);
      assert.doesNotMatch(fs.readFileSync(found, 'utf8'), /^useFallbackApi:\s*true/m);
    }
    assert.deepEqual(page.problems, []);
  }));

  test('a narrow window stacks the panels without horizontal scrolling', { timeout: 30000 }, () => step('09-narrow', async () => {
    await page.setViewportSize({ width: 400, height: 800 });
    await page.click('[data-testid=tab-endpoints]');
    await page.waitForSelector('[data-testid=op-row]');
    const layout = await page.evaluate(() => {
      const browser = document.querySelector('[data-testid=browser]').getBoundingClientRect();
      const run = document.querySelector('[data-testid=run-panel]').getBoundingClientRect();
      return { overflow: document.documentElement.scrollWidth - window.innerWidth, stacked: run.top >= browser.bottom - 1 };
    });
    assert.ok(layout.overflow <= 0, `the page is ${layout.overflow}px wider than the window`);
    assert.ok(layout.stacked, 'the run panel is below the endpoints');
    assertNoTokens(await pageText(page));
  }));
});
