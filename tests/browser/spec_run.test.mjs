// Operations without a recipe run from the dashboard through the request built from the spec:
// from the operation's view ("Run from the spec", writes only when allowed there) and from the
// endpoint browser's selection. The example's knowledge base is copied without two recipes: the
// payments list (the primary gateway refuses it, so the built request is healed: the other
// credential, then the fallback) and the package create (a write).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ROOT, TOKENS, launchBrowser, makeWorkspace, openPage, removeWorkspace, screenshot, startMock,
  startServe, stop,
} from './harness.mjs';

const RUN_TIMEOUT = 90000;
const PAYMENTS = 'GET /business/payments/v1/payments';
const CREATE_PACKAGE = 'POST /platform/v1/payment/packages';
const CLIENTS = 'GET /platform/v1/clients';

const row = (key) => `[data-testid=op-row][data-key="${key}"]`;
const resultItem = (key) => `[data-testid=result-item][data-endpoint="${key}"]`;

describe('runs from the spec', () => {
  let primary;
  let fallback;
  let serve;
  let workspace;
  let browser;
  let page;

  before(async () => {
    [primary, fallback] = await Promise.all([startMock('primary'), startMock('fallback')]);
    workspace = makeWorkspace({
      primaryUrl: primary.url,
      fallbackUrl: fallback.url,
      without: ['sales/get_business_payments_v1_payments.md', 'sales/post_platform_v1_payment_packages.md'],
    });
    serve = await startServe(workspace);
    browser = await launchBrowser();
    page = await openPage(browser, serve.url);
    await page.waitForSelector('[data-testid=op-row]');
  });

  after(async () => {
    if (browser) await browser.close();
    await Promise.all([serve, primary, fallback].filter(Boolean).map((server) => stop(server.child)));
    removeWorkspace(workspace);
  });

  async function step(name, body) {
    try {
      await body();
    } finally {
      if (page) await screenshot(page, name).catch(() => {});
    }
  }

  async function openOperation(key) {
    await page.click(`${row(key)} [data-testid=op-open]`);
    await page.waitForSelector('[data-testid=operation-view]');
  }

  // Clicks `start` and waits for the run it starts to finish: counts the run panel's changes into
  // `finished` (a fast run may be over before the page could be seen running).
  async function runAndWait(start) {
    await page.evaluate(() => {
      if (window.runsFinished !== undefined) return;
      window.runsFinished = 0;
      const panel = document.querySelector('[data-testid=run-panel]');
      new MutationObserver((records) => {
        const values = [...records.map((r) => r.oldValue), panel.dataset.state];
        for (let i = 1; i < values.length; i++) {
          if (values[i] === 'finished' && values[i - 1] !== 'finished') window.runsFinished++;
        }
      }).observe(panel, { attributes: true, attributeOldValue: true, attributeFilter: ['data-state'] });
    });
    const before = await page.evaluate(() => window.runsFinished);
    await start();
    await page.waitForFunction((n) => window.runsFinished > n, before, { timeout: RUN_TIMEOUT });
  }

  test('a read without a recipe runs from its view, healed, and its result says so', { timeout: RUN_TIMEOUT + 30000 }, () => step('spec-01-read', async () => {
    assert.match(await page.textContent(row(PAYMENTS)), /no recipe/);
    await openOperation(PAYMENTS);
    assert.equal(await page.locator('[data-testid=op-allow-writes]').count(), 0, 'a read needs no permission');
    await runAndWait(() => page.click('[data-testid=op-run-spec]'));
    const item = resultItem(PAYMENTS);
    assert.equal(await page.getAttribute(item, 'data-outcome'), 'PASS');
    assert.equal(await page.locator(`${item} [data-testid=source-spec]`).count(), 1);
    assert.match(await page.textContent(`${item} [data-testid=result-healed]`), /^3 tries$/);

    await page.keyboard.press('Escape');
    await page.click(item);
    await page.waitForSelector('[data-testid=result-view]');
    assert.equal(await page.textContent('[data-testid=result-view] [data-testid=source-spec]'), 'from spec');
    const tries = await page.locator('[data-testid=result-heals] [data-testid=result-heal]').evaluateAll((rows) =>
      rows.map((r) => [...r.cells].map((c) => c.textContent)));
    assert.equal(tries.length, 3, JSON.stringify(tries));
    assert.equal(tries[0][1], 'as built');
    assert.equal(tries[0][3], '401');
    assert.match(tries[1][1], /credential `directory`/);
    assert.equal(tries[2][1], 'the fallback base URL');
    assert.equal(tries[2][2], 'PASS');
    await screenshot(page, 'spec-01-result');
    const text = await page.evaluate(() => document.documentElement.outerHTML);
    for (const value of Object.values(TOKENS)) assert.ok(!text.includes(value), 'a token value reached the page');
    await page.keyboard.press('Escape');

    // The row keeps no recipe and shows the last result, from the spec.
    await page.waitForFunction((sel) => /PASS/.test(document.querySelector(sel).textContent), row(PAYMENTS));
    assert.equal(await page.locator(`${row(PAYMENTS)} [data-testid=source-spec]`).count(), 1);
    assert.deepEqual(page.problems, []);
  }));

  test('a write without a recipe is skipped unless writes are allowed in its view', { timeout: 2 * RUN_TIMEOUT }, () => step('spec-02-write', async () => {
    await openOperation(CREATE_PACKAGE);
    assert.equal(await page.isChecked('[data-testid=op-allow-writes]'), false);
    await runAndWait(() => page.click('[data-testid=op-run-spec]'));
    const item = resultItem(CREATE_PACKAGE);
    assert.equal(await page.getAttribute(item, 'data-outcome'), 'SKIP');
    assert.match(await page.textContent(item), /WRITE_NOT_ALLOWED/);

    await page.keyboard.press('Escape');
    await openOperation(CREATE_PACKAGE);
    await page.check('[data-testid=op-allow-writes]');
    await screenshot(page, 'spec-02-allow-writes');
    await runAndWait(() => page.click('[data-testid=op-run-spec]'));
    assert.equal(await page.getAttribute(item, 'data-outcome'), 'PASS');
    assert.equal(await page.locator(`${item} [data-testid=source-spec]`).count(), 1);
    await page.keyboard.press('Escape');
    assert.deepEqual(page.problems, []);
  }));

  test('selected rows without a recipe run from the spec beside the recipes', { timeout: RUN_TIMEOUT + 30000 }, () => step('spec-03-selection', async () => {
    await page.check(`${row(PAYMENTS)} [data-testid=op-select]`);
    await page.check(`${row(CLIENTS)} [data-testid=op-select]`);
    assert.match(await page.textContent('[data-testid=run-targets]'), /^2 selected operations \(1 without a recipe, from the spec\)/);
    assert.equal(await page.isVisible('[data-testid=write-drafts]'), true, 'drafts are offered for rows without a recipe');
    await runAndWait(() => page.click('[data-testid=run-start]'));
    const results = await page.locator('[data-testid=result-item]').evaluateAll((items) =>
      Object.fromEntries(items.map((i) => [i.dataset.endpoint,
        [i.dataset.outcome, Boolean(i.querySelector('[data-testid=source-spec]'))]])));
    assert.deepEqual(results, { [PAYMENTS]: ['PASS', true], [CLIENTS]: ['PASS', false] });
    assert.equal(await page.isVisible('[data-testid=run-drafts]'), false, 'no draft was asked for');
    await page.uncheck(`${row(PAYMENTS)} [data-testid=op-select]`);
    assert.equal(await page.isVisible('[data-testid=write-drafts]'), false, 'only recipes are selected');
    assert.deepEqual(page.problems, []);
  }));

  test('a read that passes from its view with "Write a draft" becomes a pending recipe', { timeout: 2 * RUN_TIMEOUT }, () => step('spec-04-draft', async () => {
    await openOperation(PAYMENTS);
    assert.equal(await page.isChecked('[data-testid=op-write-draft]'), false);
    await page.check('[data-testid=op-write-draft]');
    await runAndWait(() => page.click('[data-testid=op-run-spec]'));
    // The drafts are announced after the run: their second run and the reload come first.
    const written = `[data-testid=draft-written][data-endpoint="${PAYMENTS}"]`;
    await page.waitForSelector(written, { timeout: RUN_TIMEOUT });
    assert.match(await page.textContent('[data-testid=drafts-summary]'), /^1 draft written \(status: pending\)$/);
    const file = await page.getAttribute(written, 'data-file');
    assert.match(file, /\/get_business_payments_v1_payments\.md$/);
    await page.keyboard.press('Escape');

    // The row now has a recipe, pending.
    await page.waitForFunction((sel) => !/no recipe/.test(document.querySelector(sel).textContent), row(PAYMENTS));
    assert.match(await page.textContent(row(PAYMENTS)), /pending/);
    await screenshot(page, 'spec-04-row');

    // The draft opens as the recipe it now is.
    await page.click(`${written} [data-testid=draft-open]`);
    await page.waitForSelector('[data-testid=document-view]');
    assert.equal(await page.textContent('[data-testid=doc-file]'), file);
    const text = await page.evaluate(() => document.documentElement.outerHTML);
    for (const value of Object.values(TOKENS)) assert.ok(!text.includes(value), 'a token value reached the page');
    await page.keyboard.press('Escape');
    assert.deepEqual(page.problems, []);
  }));
});

// The drafts' second run of the payments list hangs: the fallback answers that read at once the
// first time only, and a minute late after that.
describe('stopping the drafts', () => {
  let primary;
  let fallback;
  let serve;
  let workspace;
  let rulesDir;
  let browser;
  let page;

  before(async () => {
    rulesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'verity-browser-rules-'));
    const rules = path.join(rulesDir, 'fallback.yaml');
    const example = fs.readFileSync(path.join(ROOT, 'examples/rules/fallback.yaml'), 'utf8');
    if (!example.includes('\nrules:\n')) throw new Error('examples/rules/fallback.yaml no longer reads as this test expects');
    fs.writeFileSync(rules, example.replace('\nrules:\n', `\nrules:
  - name: slow-second-read
    match: {method: GET, path: "/business/payments/v1/payments"}
    after: 1
    latency: 1m
`));
    [primary, fallback] = await Promise.all([startMock('primary'), startMock('fallback', { rules })]);
    workspace = makeWorkspace({
      primaryUrl: primary.url,
      fallbackUrl: fallback.url,
      without: ['sales/get_business_payments_v1_payments.md'],
    });
    serve = await startServe(workspace);
    browser = await launchBrowser();
    page = await openPage(browser, serve.url);
    await page.waitForSelector('[data-testid=op-row]');
  });

  after(async () => {
    if (browser) await browser.close();
    await Promise.all([serve, primary, fallback].filter(Boolean).map((server) => stop(server.child)));
    removeWorkspace(workspace);
    if (rulesDir) fs.rmSync(rulesDir, { recursive: true, force: true });
  });

  test('while the drafts are written the run panel says so, and Stop stops their second run', { timeout: 2 * RUN_TIMEOUT }, async () => {
    try {
      await page.click(`${row(PAYMENTS)} [data-testid=op-open]`);
      await page.waitForSelector('[data-testid=operation-view]');
      await page.check('[data-testid=op-write-draft]');
      await page.click('[data-testid=op-run-spec]');
      await page.keyboard.press('Escape');
      const panel = '[data-testid=run-panel]';
      await page.waitForFunction((sel) => document.querySelector(sel).dataset.phase === 'drafts', panel, { timeout: RUN_TIMEOUT });
      assert.equal(await page.textContent('[data-testid=run-current]'), 'Writing drafts…');
      assert.equal(await page.isEnabled('[data-testid=run-stop]'), true);
      assert.equal(await page.isDisabled('[data-testid=run-start]'), true);
      await screenshot(page, 'spec-05-writing-drafts');

      // The held read waits a minute: the drafts are announced well before, or Stop missed it.
      await page.click('[data-testid=run-stop]');
      const missing = `[data-testid=draft-missing][data-endpoint="${PAYMENTS}"]`;
      await page.waitForSelector(missing, { timeout: 20000 });
      assert.match(await page.textContent(missing), /stopped before it proved the draft’?'?s checks/);
      assert.match(await page.textContent('[data-testid=drafts-summary]'), /^0 drafts written .*stopped/);
      assert.equal(await page.getAttribute(panel, 'data-phase'), null);
      assert.equal(await page.textContent('[data-testid=run-current]'), '');
      assert.equal(await page.isEnabled('[data-testid=run-start]'), true);
      assert.equal(await page.isDisabled('[data-testid=run-stop]'), true);
      assert.equal(fs.existsSync(path.join(workspace.kb, 'sales/get_business_payments_v1_payments.md')), false);
      assert.deepEqual(page.problems, []);
    } finally {
      await screenshot(page, 'spec-05-drafts-stopped').catch(() => {});
    }
  });
});
