// The dashboard of `verity serve` (docs/serve.md). No framework and no build step: ES modules
// served as they are, under a CSP that allows only same-origin scripts and styles.
import { el, replace, $ } from './dom.js';
import { get, post, setUpTokenForm, showStatus } from './api.js';
import * as events from './events.js';
import { createBrowser } from './browser.js';
import { createRunPanel } from './run.js';
import { resultView } from './result.js';
import { documentView, operationView } from './document.js';
import { createHistory } from './history.js';
import { createScan } from './scan.js';

let returnFocus = null;

function openDetail(title, body, opener) {
  returnFocus = opener || document.activeElement;
  $('#detail-title').textContent = title;
  replace($('#detail-body'), body);
  const pane = $('#detail');
  pane.hidden = false;
  document.body.classList.add('has-detail');
  $('#detail-close').focus();
}

function closeDetail() {
  const pane = $('#detail');
  if (pane.hidden) return;
  pane.hidden = true;
  document.body.classList.remove('has-detail');
  replace($('#detail-body'));
  if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
  returnFocus = null;
}

function setUpTabs(onShow) {
  const tabs = [...document.querySelectorAll('.tab')];
  for (const tab of tabs) {
    tab.addEventListener('click', () => {
      for (const other of tabs) {
        const active = other === tab;
        other.setAttribute('aria-pressed', String(active));
        $(`#view-${other.dataset.view}`).hidden = !active;
      }
      onShow(tab.dataset.view);
    });
  }
}

// `spec`: the targets have no recipe and run from the spec ({allowWrites, includeDelete,
// writeDrafts}).
async function startRun(targets, spec) {
  const body = { targets, includeDelete: false, rateLimit: 'default' };
  if (spec) Object.assign(body, { allOperations: true }, spec);
  try {
    const answer = await post('/api/runs', body);
    showStatus(`Run ${answer.runId} started.`);
  } catch {
    // shown in the status area
  }
}

async function main() {
  setUpTokenForm();
  $('#detail-close').addEventListener('click', closeDetail);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') closeDetail();
  });

  const history = createHistory($('#view-history'));
  let historyShown = false;
  setUpTabs((view) => {
    if (view === 'history') {
      historyShown = true;
      history.load().catch(() => {});
    }
  });
  createScan($('#view-scan'));

  const openDocument = async (file, opener) => {
    try {
      const doc = await get(`/api/documents?${new URLSearchParams({ file })}`);
      openDetail(doc.endpoint || file, documentView(doc, { onRun: (f) => startRun([f]) }), opener);
    } catch {
      // shown in the status area
    }
  };

  let runPanel = null;
  const browser = createBrowser($('#browser'), {
    onSelectionChange: (selection, fromSpec) => runPanel && runPanel.setSelection(selection, fromSpec),
    onOpen: async (op, opener) => {
      if (!op.document) {
        const view = operationView(op, { onRunSpec: (key, spec) => startRun([key], spec) });
        openDetail(`${op.method} ${op.path}`, view, opener);
        return;
      }
      await openDocument(op.document, opener);
    },
  });
  runPanel = createRunPanel($('#run-panel'), {
    getSelection: () => browser.selected(),
    getFromSpec: () => browser.selectedWithoutRecipe(),
    onOpenResult: (result, opener) => openDetail(`${result.status}: ${result.endpoint}`, resultView(result), opener),
    onRunFinished: () => {
      browser.load().catch(() => {});
      if (historyShown) history.load().catch(() => {});
    },
    onOpenDocument: openDocument,
    // The server reloaded before announcing the drafts: their rows now have a recipe.
    onDrafts: () => browser.load().catch(() => {}),
  });
  runPanel.setSelection([], []);

  const live = $('#live-indicator');
  events.onConnectionChange((up) => {
    live.dataset.state = up ? 'on' : 'off';
    live.textContent = up ? 'live' : 'reconnecting…';
  });

  // The first call may meet a 401: it then waits for the token form, and so does everything after.
  const health = await get('/api/health');
  replace($('#env-summary'),
    el('span', null, `${health.environment} · `),
    el('code', null, health.baseUrl || ''),
    ` · Verity ${health.version}`);
  runPanel.setHealth(health);
  await browser.load();
  events.connect();
}

main().catch((error) => {
  if (!error.status) showStatus(`The page failed to start: ${error.message}`, 'error');
});
