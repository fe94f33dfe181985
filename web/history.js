// The run history: pass rate and duration per run, the runs, flaky documents, and what changed
// between two runs.
import { el, svg, replace, formatMs, formatTime, outcomeBadge, recipeLabel } from './dom.js';
import { get } from './api.js';

function passRate(run) {
  return run.passRatePercent === null || run.passRatePercent === undefined ? null : Number(run.passRatePercent);
}

// Oldest on the left: bars are durations (right axis scale), the line is the pass rate (0–100 %).
function chart(runs) {
  const points = [...runs].reverse();
  const width = 640;
  const height = 180;
  const pad = { left: 40, right: 56, top: 10, bottom: 24 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const step = plotW / Math.max(points.length, 1);
  const maxMs = Math.max(1, ...points.map((r) => Number(r.durationMs) || 0));
  const y = (pct) => pad.top + plotH - (pct / 100) * plotH;
  const nodes = [];
  for (const pct of [0, 50, 100]) {
    nodes.push(svg('line', { x1: String(pad.left), x2: String(width - pad.right), y1: String(y(pct)), y2: String(y(pct)), class: 'grid' }));
    nodes.push(svg('text', { x: String(pad.left - 6), y: String(y(pct) + 4), class: 'axis', 'text-anchor': 'end' }, `${pct}%`));
  }
  nodes.push(svg('text', { x: String(width - pad.right + 6), y: String(pad.top + 8), class: 'axis' }, formatMs(maxMs)));
  nodes.push(svg('text', { x: String(width - pad.right + 6), y: String(pad.top + plotH), class: 'axis' }, '0'));
  points.forEach((run, i) => {
    const h = ((Number(run.durationMs) || 0) / maxMs) * plotH;
    nodes.push(svg('rect', {
      x: String(pad.left + i * step + step * 0.2), y: String(pad.top + plotH - h),
      width: String(Math.max(1, step * 0.6)), height: String(Math.max(1, h)), class: 'duration-bar',
    }, svg('title', null, `${run.runId}: ${formatMs(run.durationMs)}`)));
  });
  const line = [];
  points.forEach((run, i) => {
    const pct = passRate(run);
    if (pct === null) return;
    const cx = pad.left + i * step + step / 2;
    line.push(`${line.length ? 'L' : 'M'}${cx.toFixed(1)},${y(pct).toFixed(1)}`);
    nodes.push(svg('circle', { cx: cx.toFixed(1), cy: y(pct).toFixed(1), r: '3.5', class: 'rate-point' },
      svg('title', null, `${run.runId}: ${pct.toFixed(1)}% passed`)));
  });
  if (line.length > 1) nodes.splice(nodes.length - line.length, 0, svg('path', { d: line.join(' '), class: 'rate-line' }));
  return el('figure', { class: 'chart', testid: 'history-chart' },
    svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `Pass rate and duration of the last ${points.length} runs` }, nodes),
    el('figcaption', { class: 'muted' }, 'Line: pass rate. Bars: duration. Oldest on the left.'));
}

function changeList(title, changes, testid) {
  return el('section', { class: 'diff-group', testid },
    el('h4', null, `${title} (${(changes || []).length})`),
    (changes || []).length === 0 ? el('p', { class: 'muted' }, 'none') :
      el('ul', null, changes.map((c) => el('li', null,
        outcomeBadge(c.before), ' → ', outcomeBadge(c.after), ' ',
        el('strong', null, recipeLabel(c.endpoint, c.variant)), ' ', el('span', { class: 'muted' }, c.file || ''),
        c.reason ? el('span', { class: 'reason' }, ` ${c.reason}`) : null))));
}

export function createHistory(root) {
  const chartBox = el('div', { testid: 'history-chart-box' });
  const table = el('div', { class: 'table-wrap' });
  const flaky = el('div', { testid: 'history-flaky' });
  const diffButton = el('button', { type: 'button', testid: 'history-diff', disabled: true }, 'Compare the chosen runs');
  const diffBox = el('div', { class: 'diff', testid: 'history-diff-result', 'aria-live': 'polite' });
  const reload = el('button', { type: 'button', testid: 'history-reload' }, 'Reload');
  replace(root, el('div', { class: 'panel' },
    el('h2', null, 'History'),
    el('div', { class: 'actions' }, reload),
    chartBox,
    el('h3', null, 'Runs'),
    el('p', { class: 'muted' }, 'Choose a run as “from” and another as “to”, then compare them.'),
    table,
    el('div', { class: 'actions' }, diffButton),
    diffBox,
    el('h3', null, 'Flaky documents'),
    flaky));

  const chosen = () => ({
    from: (root.querySelector('input[name="diff-from"]:checked') || {}).value,
    to: (root.querySelector('input[name="diff-to"]:checked') || {}).value,
  });
  const updateDiffButton = () => {
    const { from, to } = chosen();
    diffButton.disabled = !from || !to || from === to;
  };

  diffButton.addEventListener('click', async () => {
    const { from, to } = chosen();
    const params = new URLSearchParams({ from, to });
    replace(diffBox, el('p', { class: 'muted' }, 'Comparing…'));
    try {
      const diff = await get(`/api/history/diff?${params}`);
      replace(diffBox,
        el('p', null, `From ${diff.from?.runId ?? from} (${formatTime(diff.from?.startedAt)}) to ` +
          `${diff.to?.runId ?? to} (${formatTime(diff.to?.startedAt)})`),
        changeList('Started failing', diff.startedFailing, 'diff-started-failing'),
        changeList('Fixed', diff.fixed, 'diff-fixed'),
        changeList('Other changes', diff.changed, 'diff-changed'),
        changeList('Added', diff.added, 'diff-added'),
        changeList('Removed', diff.removed, 'diff-removed'));
    } catch {
      replace(diffBox);
    }
  });

  async function load() {
    const data = await get('/api/history?limit=30&flakyWindow=10');
    const runs = data.runs || [];
    replace(chartBox, runs.length ? chart(runs) : el('p', { class: 'muted' }, 'No run recorded yet.'));
    const rows = runs.map((run, i) => el('tr', { testid: 'history-run', dataset: { runId: run.runId } },
      el('td', null, el('input', {
        type: 'radio', name: 'diff-from', value: run.runId, checked: i === 1,
        'aria-label': `Compare from run ${run.runId}`, testid: 'diff-from',
      })),
      el('td', null, el('input', {
        type: 'radio', name: 'diff-to', value: run.runId, checked: i === 0,
        'aria-label': `Compare to run ${run.runId}`, testid: 'diff-to',
      })),
      el('td', null, el('code', null, run.runId)),
      el('td', null, formatTime(run.startedAt)),
      el('td', null, run.source || ''),
      el('td', null, `${run.passed ?? 0}/${run.total ?? 0}` +
        ` (${passRate(run) === null ? 'N/A' : `${passRate(run).toFixed(1)}%`})`),
      el('td', null, `${run.failed ?? 0} failed, ${run.errored ?? 0} errored, ${run.skipped ?? 0} skipped`),
      el('td', null, formatMs(run.durationMs)),
      el('td', null, run.complete === false ? 'incomplete' : run.stopped ? 'stopped' : 'complete')));
    replace(table, el('table', { class: 'runs', testid: 'history-runs' },
      el('thead', null, el('tr', null, ['From', 'To', 'Run', 'Started', 'Source', 'Passed', 'Problems', 'Duration', 'State']
        .map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', null, rows)));
    for (const input of table.querySelectorAll('input[type="radio"]')) input.addEventListener('change', updateDiffButton);
    updateDiffButton();
    const flakyDocs = data.flaky || [];
    replace(flaky, flakyDocs.length === 0 ? el('p', { class: 'muted' }, 'None.') :
      el('ul', null, flakyDocs.map((f) => el('li', null,
        el('strong', null, f.endpoint || ''), ' ', el('span', { class: 'muted' }, f.file || ''),
        ` ${f.flips} flips: `, (f.outcomes || []).map((o) => outcomeBadge(o))))));
  }

  reload.addEventListener('click', () => load().catch(() => {}));
  return { load };
}
