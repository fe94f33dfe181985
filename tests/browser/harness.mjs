// What the browser tests need around the page: the example API's two mocks, a copy of the
// example knowledge base, `verity serve` on a free loopback port, and Chromium. Everything is
// started here and stopped by PID.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const VERITY = path.resolve(ROOT, process.env.VERITY_BINARY || 'build/release/src/verity');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS = path.resolve(ROOT, process.env.BROWSER_ARTIFACTS || 'build/browser-artifacts');

// Made-up token values. The mocks map these variables to token types (examples/rules/*.yaml), as
// `verity demo` does for unset ones; no page may ever show them.
export const TOKENS = {
  VERITY_EXAMPLE_STAFF_TOKEN: 'staff-token-for-tests-5b1e',
  VERITY_EXAMPLE_DIRECTORY_TOKEN: 'directory-token-for-tests-9c4d',
};

export const XSS = '<img src=x onerror="window.__xss=1">';

const started = new Set();

function stopAll() {
  for (const child of started) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
process.on('exit', stopAll);

// Starts a program that prints its URL as the first line of stdout (`verity mock`, `verity serve`).
export function startServer(name, args, { env = {}, timeoutMs = 20000 } = {}) {
  const child = spawn(VERITY, args, {
    cwd: ROOT,
    env: { ...process.env, ...TOKENS, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => fail(new Error(`${name} printed no URL within ${timeoutMs} ms`)), timeoutMs);
    function fail(error) {
      clearTimeout(timer);
      stop(child).finally(() => reject(new Error(`${error.message}\n${name} stderr:\n${stderr}`)));
    }
    child.on('error', fail);
    child.on('exit', (code) => fail(new Error(`${name} exited (${code}) before printing its URL`)));
    child.stdout.on('data', function onData(chunk) {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline < 0) return;
      const url = stdout.slice(0, newline).trim();
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout.off('data', onData);
      child.stdout.resume();
      if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(url)) {
        fail(new Error(`${name} printed ${JSON.stringify(url)}, not a loopback URL`));
        return;
      }
      resolve({ name, url, child, stderr: () => stderr });
    });
  });
}

export async function stop(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) {
    started.delete(child);
    return;
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    process.kill(child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  const timer = setTimeout(() => {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
  started.delete(child);
}

// `rules`: another rules file than the example's for `which`.
export function startMock(which, { rules = `examples/rules/${which}.yaml` } = {}) {
  return startServer(`mock ${which}`, [
    'mock', 'examples/specs', '--rules', rules,
    '--port', '0', '--seed', '1', '-q', '--host', '127.0.0.1',
  ]);
}

const XSS_DOCUMENT = `---
endpoint: "GET /platform/v1/xss_probe"
domain: clients
tags: [xss, '${XSS}']
status: pending
title: '${XSS}'
summary: '${XSS}'
tokens: [staff]
---

# ${XSS}

## Summary

${XSS} is the summary of a document that tries to run script in the dashboard.

## Test Request

\`\`\`yaml
steps:
  - id: probe
    description: '${XSS}'
    method: GET
    path: "/platform/v1/xss_probe"
    token: staff
    expect:
      status: [200]
\`\`\`
`;

// The failing package recipe checks that the answer holds a package: a check that passes beside
// the schema's findings, so the result view has a checks table to show. Left alone when the recipe
// has body checks of its own.
function addPackageCheck(file) {
  const text = fs.readFileSync(file, 'utf8');
  if (/\n {6}body:/.test(text)) return;
  const status = '    token: staff\n    expect:\n      status: [200]\n';
  if (!text.includes(status)) throw new Error(`${file} no longer reads as this test expects`);
  fs.writeFileSync(file, text.replace(status,
    `${status}      body:\n        - {path: "$.data.package.id", exists: true}\n`));
}

// A folder of its own: the copy of the knowledge base that runs write back into, the specs, and
// a configuration pointing at the mocks. `without`: recipes (paths under kb/) left out of the
// copy, so that their operations have none.
export function makeWorkspace({ primaryUrl, fallbackUrl, xss = false, without = [] }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verity-browser-'));
  fs.cpSync(path.join(ROOT, 'examples/kb'), path.join(dir, 'kb'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'examples/specs'), path.join(dir, 'specs'), { recursive: true });
  const config = fs.readFileSync(path.join(ROOT, 'examples/verity.yaml'), 'utf8')
    .replace(/^(\s*)base_url:.*$/m, `$1base_url: ${primaryUrl}`)
    .replace(/^(\s*)fallback_url:.*$/m, `$1fallback_url: ${fallbackUrl}`);
  fs.writeFileSync(path.join(dir, 'verity.yaml'), config);
  if (xss) fs.writeFileSync(path.join(dir, 'kb/clients/get_platform_v1_xss_probe.md'), XSS_DOCUMENT);
  addPackageCheck(path.join(dir, 'kb/sales/get_platform_v1_payment_packages_package_id.md'));
  for (const recipe of without) fs.rmSync(path.join(dir, 'kb', recipe));
  return { dir, config: path.join(dir, 'verity.yaml'), kb: path.join(dir, 'kb'), history: path.join(dir, 'history.db') };
}

export function startServe(workspace, { extraArgs = [], env = {} } = {}) {
  return startServer('verity serve', [
    'serve', '--config', workspace.config, '--host', '127.0.0.1', '--port', '0',
    '--history', workspace.history, ...extraArgs,
  ], { env });
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}

// A page that remembers what went wrong in it: script errors fail the tests that look.
export async function openPage(browser, url, { width = 1280, height = 800 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/favicon/.test(message.text())) {
      page.problems.push(`console: ${message.text()}`);
    }
  });
  page.on('dialog', (dialog) => dialog.accept());
  page.setDefaultTimeout(20000);
  await page.goto(url);
  return page;
}

export async function screenshot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export function removeWorkspace(workspace) {
  if (workspace && process.env.KEEP_BROWSER_WORKSPACE !== '1') {
    fs.rmSync(workspace.dir, { recursive: true, force: true });
  }
}
