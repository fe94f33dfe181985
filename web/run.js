// The run panel: what to run and how politely, start and stop, and the run's progress and results
// as the server's events arrive (a run started in another browser shows here too).
import { el, replace, formatMs, outcomeBadge, recipeLabel, sourceChip } from './dom.js';
import { post, showStatus } from './api.js';
import * as events from './events.js';

const PRESETS = [
  ['default', 'Default (the environment’s setting)'],
  ['conservative', 'Conservative (2 req/s, 1 at a time)'],
  ['normal', 'Normal (5 req/s, 3 at a time)'],
  ['aggressive', 'Aggressive (20 req/s, 10 at a time)'],
  ['sequential', 'Sequential (1 req/s, 1 at a time)'],
  ['off', 'Off (no limit)'],
  ['custom', 'Custom…'],
];

export function createRunPanel(root, {
  getSelection, getFromSpec, onOpenResult, onRunFinished, onOpenDocument, onDrafts,
}) {
  let runId = null;
  let running = false;
  const results = [];

  const envLine = el('dl', { class: 'env-details', testid: 'run-env' });
  const preset = el('select', { id: 'rate-limit', testid: 'rate-limit' },
    PRESETS.map(([value, label]) => el('option', { value }, label)));
  const rps = el('input', { type: 'number', id: 'rate-rps', testid: 'rate-rps', min: '0.1', step: 'any', value: '5' });
  const concurrency = el('input', { type: 'number', id: 'rate-concurrency', testid: 'rate-concurrency', min: '1', step: '1', value: '2' });
  const custom = el('fieldset', { class: 'custom-rate', testid: 'rate-custom', hidden: true },
    el('legend', null, 'Custom rate limit'),
    el('div', { class: 'field' }, el('label', { for: 'rate-rps' }, 'Requests per second'), rps),
    el('div', { class: 'field' }, el('label', { for: 'rate-concurrency' }, 'Concurrency'), concurrency));
  preset.addEventListener('change', () => {
    custom.hidden = preset.value !== 'custom';
  });
  const includeDelete = el('input', { type: 'checkbox', id: 'include-delete', testid: 'include-delete' });
  // For the selected operations without a recipe: their POST, PUT and PATCH built from the spec
  // are sent only when this is checked (a DELETE needs the box above as well).
  const allowWrites = el('input', { type: 'checkbox', id: 'allow-writes', testid: 'allow-writes' });
  // Shown only while the selection holds operations without a recipe: those that pass become
  // pending recipes (`verity run --write-drafts`).
  const writeDrafts = el('input', { type: 'checkbox', id: 'write-drafts', testid: 'write-drafts' });
  const writeDraftsField = el('div', { class: 'field field-check', hidden: true }, writeDrafts,
    el('label', { for: 'write-drafts' }, 'Write a draft of each that passes (operations without a recipe)'));
  const targets = el('p', { class: 'muted', testid: 'run-targets' });
  const start = el('button', { type: 'button', class: 'primary', testid: 'run-start' }, 'Start run');
  const stop = el('button', { type: 'button', testid: 'run-stop', disabled: true }, 'Stop');
  const progress = el('progress', { testid: 'run-progress', max: '1', value: '0', 'aria-labelledby': 'run-progress-text' });
  const progressText = el('span', { id: 'run-progress-text', testid: 'run-progress-text' }, 'No run yet');
  const totals = el('p', { class: 'totals', testid: 'run-totals' });
  const current = el('p', { class: 'muted current', testid: 'run-current' });
  const summary = el('p', { class: 'summary', testid: 'run-summary' });
  const list = el('ol', { class: 'results', testid: 'run-results', 'aria-live': 'polite' });
  const drafts = el('section', { class: 'drafts', testid: 'run-drafts', hidden: true, 'aria-live': 'polite' });

  replace(root,
    el('h2', null, 'Run'),
    envLine,
    el('div', { class: 'field' }, el('label', { for: 'rate-limit' }, 'Rate limit'), preset),
    custom,
    el('div', { class: 'field field-check' }, includeDelete,
      el('label', { for: 'include-delete' }, 'Include recipes whose test request deletes')),
    el('div', { class: 'field field-check' }, allowWrites,
      el('label', { for: 'allow-writes' }, 'Allow writes built from the spec (operations without a recipe)')),
    writeDraftsField,
    targets,
    el('div', { class: 'actions' }, start, stop),
    el('div', { class: 'progress' }, progress, progressText),
    totals, current, summary, drafts,
    el('h3', null, 'Results'),
    list);

  function rateLimit() {
    if (preset.value !== 'custom') return preset.value;
    return { requestsPerSecond: Number(rps.value), concurrency: Number(concurrency.value) };
  }

  // Start and Stop alone: a run with drafts keeps the slot (and Stop reaches the drafts' second
  // run) after its last result, when its state is already `finished`.
  function setButtons(value) {
    running = value;
    start.disabled = value;
    stop.disabled = !value;
  }

  function setRunning(value) {
    setButtons(value);
    root.dataset.state = value ? 'running' : 'idle';
  }

  function showWritingDrafts() {
    setButtons(true);
    root.dataset.phase = 'drafts';
    current.textContent = 'Writing drafts…';
  }

  function showProgress(done, planned) {
    progress.max = Math.max(planned || 0, 1);
    progress.value = done || 0;
    progressText.textContent = `${done || 0} / ${planned || 0} documents`;
  }

  function showTotals(t) {
    if (!t) return;
    totals.textContent = `passed ${t.passed || 0} · warned ${t.warned || 0} · failed ${t.failed || 0}` +
      ` · errored ${t.errored || 0} · skipped ${t.skipped || 0}`;
  }

  start.addEventListener('click', async () => {
    const selection = getSelection();
    if (selection.length === 0 && !window.confirm('Nothing is selected: run every recipe?')) return;
    if (preset.value === 'custom' && !(Number(rps.value) > 0 && Number(concurrency.value) >= 1)) {
      showStatus('A custom rate limit needs requests per second above 0 and a concurrency of 1 or more.', 'error');
      return;
    }
    start.disabled = true;
    const body = { targets: selection, includeDelete: includeDelete.checked, rateLimit: rateLimit() };
    // Selected operations without a recipe run through the requests built from the spec.
    if (getFromSpec().length > 0) {
      Object.assign(body, { allOperations: true, allowWrites: allowWrites.checked, writeDrafts: writeDrafts.checked });
    }
    try {
      const answer = await post('/api/runs', body);
      showStatus(`Run ${answer.runId} started.`);
    } catch {
      start.disabled = running;
    }
  });

  stop.addEventListener('click', async () => {
    stop.disabled = true;
    try {
      await post('/api/runs/stop', {});
      showStatus('Stopping the run…');
    } catch {
      stop.disabled = !running;
    }
  });

  function addResult(index, result) {
    results[index] = result;
    const button = el('button', {
      type: 'button', class: 'result-item', testid: 'result-item',
      dataset: { outcome: result.status || '', endpoint: result.endpoint || '', variant: result.variant || '' },
    },
    outcomeBadge(result.status),
    el('span', { class: 'result-endpoint' }, recipeLabel(result.endpoint, result.variant)),
    sourceChip(result.source),
    (result.healAttempts || []).length
      ? el('span', { class: 'chip', testid: 'result-healed', title: 'Built from the spec and healed after a failure' },
        `${result.healAttempts.length} tries`) : null,
    result.details && result.details.reason ? el('span', { class: 'reason' }, result.details.reason) : null,
    el('span', { class: 'muted' }, formatMs(result.durationMs)));
    button.addEventListener('click', () => onOpenResult(result, button));
    const item = el('li', { dataset: { index: String(index) } }, button);
    // Results arrive in completion order; the list keeps the plan's order.
    const after = [...list.children].find((li) => Number(li.dataset.index) > index);
    list.insertBefore(item, after || null);
  }

  // What a run with writeDrafts left in the knowledge base: the new recipes (each opens its
  // view) and why the others were not written.
  function showDrafts(data) {
    const items = (data.drafts || []).map((d) => {
      if (!d.file) {
        return el('li', { testid: 'draft-missing', dataset: { endpoint: d.endpoint || '' } },
          `No draft of ${d.endpoint}: ${d.error || ''}`);
      }
      const open = el('button', { type: 'button', class: 'link', testid: 'draft-open' }, d.file);
      open.addEventListener('click', () => onOpenDocument(d.file, open));
      const checks = (d.checks || []).length;
      return el('li', { testid: 'draft-written', dataset: { endpoint: d.endpoint || '', file: d.file } },
        open,
        checks ? el('span', { class: 'chip', title: (d.checks || []).join('\n') },
          `${checks} check${checks === 1 ? '' : 's'}`) : null,
        (d.dropped || []).length ? el('span', { class: 'muted' },
          ` written without its checks: ${d.droppedWhy || ''}`) : null);
    });
    const written = Number(data.written) || 0;
    replace(drafts,
      el('h3', null, 'Drafts'),
      el('p', { testid: 'drafts-summary' }, data.notTried ||
        `${written} draft${written === 1 ? '' : 's'} written (status: pending)` +
        (data.stopped ? '; stopped before the others’ checks were proven' : '')),
      items.length ? el('ul', { class: 'draft-list' }, items) : null);
    drafts.hidden = false;
  }

  events.on('run_started', (data) => {
    runId = data.runId;
    results.length = 0;
    replace(list);
    replace(drafts);
    drafts.hidden = true;
    replace(summary);
    replace(totals);
    replace(current, 'Starting…');
    delete root.dataset.phase;
    showProgress(0, data.planned);
    setRunning(true);
  });
  events.on('document_started', (data) => {
    if (data.runId !== runId) return;
    current.textContent = `Running ${recipeLabel(data.endpoint, data.variant)}`;
  });
  events.on('document_finished', (data) => {
    if (runId === null) runId = data.runId;
    if (data.runId !== runId) return;
    addResult(data.index, data.result);
    showProgress(data.done, data.planned);
    showTotals(data.totals);
  });
  events.on('run_finished', (data) => {
    if (data.runId !== runId) return;
    setRunning(false);
    replace(current);
    const s = data.summary || {};
    summary.textContent = `${s.stopped ? 'Stopped' : 'Finished'}: ${s.passed ?? 0} passed, ` +
      `${s.failed ?? 0} failed, ${s.errored ?? 0} errored, ${s.warned ?? 0} warned, ` +
      `${s.skipped ?? 0} skipped · pass rate ${s.passRate ?? 'N/A'} · ${formatMs(s.durationMs)}`;
    root.dataset.state = 'finished';
    onRunFinished(data);
  });
  events.on('drafts_started', (data) => {
    if (runId === null) runId = data.runId;
    if (data.runId !== runId) return;
    showWritingDrafts();
  });
  events.on('drafts', (data) => {
    if (runId === null) runId = data.runId;
    if (data.runId !== runId) return;
    setButtons(false);
    delete root.dataset.phase;
    replace(current);
    showDrafts(data);
    onDrafts(data);
  });

  return {
    setHealth(health) {
      const rows = [
        ['Environment', health.environment],
        ['Base URL', health.baseUrl],
        ['Fallback URL', health.fallbackUrl || 'none'],
        ['Knowledge base', `${health.knowledgeBase} (${health.documents} documents, ${health.operations} operations)`],
      ];
      replace(envLine, rows.map(([k, v]) => [el('dt', null, k), el('dd', null, v ?? '–')]));
      const run = health.run;
      if (run && run.runId) {
        runId = run.runId;
        showProgress(run.done, run.planned);
        showTotals(run.totals);
        setRunning(run.state === 'running');
        if (run.phase === 'drafts') showWritingDrafts();
      }
    },
    setSelection(selection, fromSpec = []) {
      writeDraftsField.hidden = fromSpec.length === 0;
      const spec = fromSpec.length ? ` (${fromSpec.length} without a recipe, from the spec)` : '';
      targets.textContent = selection.length
        ? `${selection.length} selected operation${selection.length === 1 ? '' : 's'}${spec} will run.`
        : 'Nothing selected: Start runs every recipe (after a confirmation).';
    },
  };
}
