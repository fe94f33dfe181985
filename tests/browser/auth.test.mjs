// A server started with --auth-token-env asks the page for its token: the form appears on the
// first 401, refuses a wrong token, and after the right one the page loads and the form is gone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  launchBrowser, makeWorkspace, openPage, removeWorkspace, screenshot, startServe, stop,
} from './harness.mjs';

const TOKEN = `dashboard-${crypto.randomBytes(12).toString('hex')}`;
let serve;
let workspace;
let browser;

before(async () => {
  // Nothing runs here, so the configuration's base URLs need no server behind them.
  workspace = makeWorkspace({ primaryUrl: 'http://127.0.0.1:9', fallbackUrl: 'http://127.0.0.1:9' });
  serve = await startServe(workspace, {
    extraArgs: ['--auth-token-env', 'VERITY_BROWSER_TEST_TOKEN'],
    env: { VERITY_BROWSER_TEST_TOKEN: TOKEN },
  });
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (serve) await stop(serve.child);
  removeWorkspace(workspace);
});

test('the token form appears on 401 and goes once the token is given', { timeout: 60000 }, async () => {
  const page = await openPage(browser, serve.url);
  try {
    await page.waitForSelector('[data-testid=token-form]', { state: 'visible' });
    assert.equal(await page.locator('[data-testid=op-row]').count(), 0);
    await screenshot(page, '10-token-form');

    await page.fill('[data-testid=token-input]', 'not-the-token');
    await page.click('[data-testid=token-submit]');
    await page.waitForFunction(() => document.querySelector('[data-testid=token-message]').textContent.trim() !== '');
    assert.ok(await page.isVisible('[data-testid=token-form]'), 'a wrong token keeps the form');

    await page.fill('[data-testid=token-input]', TOKEN);
    await page.press('[data-testid=token-input]', 'Enter');
    await page.waitForSelector('[data-testid=token-form]', { state: 'hidden' });
    await page.waitForSelector('[data-testid=op-row]');
    // The session cookie carries the event stream too.
    await page.waitForSelector('[data-testid=live-indicator][data-state=on]');
    const text = await page.evaluate(() => document.documentElement.outerHTML + document.body.innerText);
    assert.ok(!text.includes(TOKEN), 'the token is not kept in the page');
    // Only the 401s before sign-in were errors; nothing broke in the page.
    assert.deepEqual(page.problems.filter((p) => !/401/.test(p)), []);
    await screenshot(page, '11-signed-in');
  } finally {
    await page.context().close();
  }
});
