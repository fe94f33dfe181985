// The base-URL scan: each document that runs on the fallback is tried on both bases, and the
// ones the primary now serves can drop the flag ("quick fix").
import { el, replace, formatMs, outcomeBadge } from './dom.js';
import { post, showStatus } from './api.js';
import * as events from './events.js';

// Most actionable first: a fix is possible, then a broken fallback, then what needs a person.
const ORDER = ['PRIMARY_NOW_WORKS', 'FALLBACK_BROKEN', 'BOTH_FAILING', 'FALLBACK_STILL_NEEDED', 'NO_WORKFLOW', 'SKIPPED'];
const EXPLAIN = {
  PRIMARY_NOW_WORKS: 'The primary base URL works now: the fallback flag can go.',
  FALLBACK_STILL_NEEDED: 'Only the fallback works: keep the flag.',
  FALLBACK_BROKEN: 'The fallback fails where the primary works.',
  BOTH_FAILING: 'Neither base URL works.',
  NO_WORKFLOW: 'The document has no workflow to try.',
  SKIPPED: 'Skipped on both base URLs (status: skipped, or a disabled delete): not tried.',
};

function side(label, s) {
  s = s || {};
  return el('div', { class: 'scan-side', testid: `scan-${label.toLowerCase()}` },
    el('h4', null, label),
    el('p', null, outcomeBadge(s.outcome), ` HTTP ${s.status ?? '–'} · ${formatMs(s.durationMs)}`),
    s.reason ? el('p', { class: 'muted' }, s.reason) : null);
}

export function createScan(root) {
  let scanId = null;
  const results = new Map();
  const selected = new Set();
  const fixedFiles = new Set();
  const start = el('button', { type: 'button', class: 'primary', testid: 'scan-start' }, 'Scan the documents that use the fallback');
  const fix = el('button', { type: 'button', testid: 'scan-fix', disabled: true }, 'Quick fix the selected');
  const progress = el('p', { class: 'muted', testid: 'scan-progress', 'aria-live': 'polite' }, 'No scan yet.');
  const cards = el('div', { class: 'cards', testid: 'scan-cards' });
  const fixResult = el('div', { testid: 'scan-fix-result', 'aria-live': 'polite' });
  replace(root, el('div', { class: 'panel' },
    el('h2', null, 'Base-URL scan'),
    el('p', null, 'Runs every document with useFallbackApi against both base URLs and recommends what to do.'),
    el('div', { class: 'actions' }, start, fix),
    progress,
    fixResult,
    cards));

  function updateFix() {
    fix.disabled = selected.size === 0;
    fix.textContent = selected.size ? `Quick fix the selected (${selected.size})` : 'Quick fix the selected';
  }

  function card(result, index) {
    const id = `scan-select-${index}`;
    const box = el('input', { type: 'checkbox', id, testid: 'scan-select', checked: selected.has(result.file) });
    box.addEventListener('change', () => {
      if (box.checked) selected.add(result.file);
      else selected.delete(result.file);
      updateFix();
    });
    const rec = result.recommendation || 'NO_WORKFLOW';
    return el('article', { class: ['card', `rec-${rec.toLowerCase()}`], testid: 'scan-card', dataset: { recommendation: rec, file: result.file } },
      el('div', { class: 'card-head' }, box,
        el('label', { for: id }, el('strong', null, result.endpoint || result.file)),
        el('span', { class: ['badge', 'rec', `rec-badge-${rec.toLowerCase()}`], testid: 'scan-recommendation' }, rec),
        fixedFiles.has(result.file) ? el('span', { class: 'chip', testid: 'scan-card-fixed' }, 'flag removed') : null),
      el('p', { class: 'muted' }, result.file),
      el('p', null, EXPLAIN[rec] || ''),
      el('div', { class: 'scan-sides' }, side('Primary', result.primary), side('Fallback', result.fallback)));
  }

  function render() {
    const sorted = [...results.values()].sort((a, b) => {
      const ra = ORDER.indexOf(a.recommendation);
      const rb = ORDER.indexOf(b.recommendation);
      return (ra < 0 ? ORDER.length : ra) - (rb < 0 ? ORDER.length : rb) ||
        String(a.file).localeCompare(String(b.file));
    });
    replace(cards, sorted.map(card));
  }

  start.addEventListener('click', async () => {
    start.disabled = true;
    try {
      const answer = await post('/api/scan-fallback', { targets: [] });
      scanId = answer.scanId;
      progress.textContent = 'Scan started…';
    } catch {
      start.disabled = false;
    }
  });

  fix.addEventListener('click', async () => {
    const files = [...selected];
    if (!window.confirm(`Remove useFallbackApi from ${files.length} document(s)?`)) return;
    fix.disabled = true;
    try {
      const answer = await post('/api/scan-fallback/fix', { files });
      const fixed = answer.fixed || [];
      const skipped = answer.skipped || [];
      const failed = answer.failed || [];
      replace(fixResult,
        el('h3', null, 'Quick fix'),
        el('p', { testid: 'scan-fixed' }, `Fixed ${fixed.length}: `, fixed.map((f) => f.file).join(', ') || 'none'),
        el('ul', { testid: 'scan-skipped' }, skipped.map((s) => el('li', null, `Skipped ${s.file}: ${s.reason || ''}`))),
        el('ul', { testid: 'scan-failed' }, failed.map((f) => el('li', null, `Not written ${f.file}: ${f.reason} ${f.error}`))));
      showStatus(`Quick fix: ${fixed.length} fixed, ${skipped.length} skipped, ${failed.length} not written.`);
      for (const f of fixed) {
        selected.delete(f.file);
        fixedFiles.add(f.file);
      }
      render();
    } finally {
      updateFix();
    }
  });

  events.on('scan_started', (data) => {
    scanId = data.scanId;
    results.clear();
    selected.clear();
    fixedFiles.clear();
    replace(cards);
    replace(fixResult);
    updateFix();
    start.disabled = true;
    root.dataset.state = 'running';
    progress.textContent = `Scanning ${data.planned} document(s)…`;
  });
  events.on('scan_result', (data) => {
    if (scanId !== null && data.scanId !== scanId) return;
    results.set(data.result.file, data.result);
    progress.textContent = `Scanned ${results.size} document(s)…`;
    render();
  });
  events.on('scan_finished', (data) => {
    if (scanId !== null && data.scanId !== scanId) return;
    start.disabled = false;
    root.dataset.state = 'finished';
    const counts = Object.entries(data.counts || {}).map(([k, v]) => `${k} ${v}`).join(', ');
    progress.textContent = `Scan finished: ${results.size} document(s)${counts ? ` (${counts})` : ''}.`;
  });

  return {};
}
