// A knowledge-base document: its recent outcomes, its spec operation and the recipe itself,
// drawn from the server's blocks (never from HTML).
import { el, svg, formatMs, formatTime, outcomeBadge, keyValueTable, recipeLabel } from './dom.js';

const OUTCOME_CLASS = (outcome) => `spark-${String(outcome || 'none').toLowerCase()}`;

// One bar per run, its height the duration, its colour the outcome: a regression and a slowdown
// both stand out at a glance.
export function sparkline(timeline) {
  if (!timeline || timeline.length === 0) return el('p', { class: 'muted', testid: 'sparkline-empty' }, 'Never run.');
  const width = 240;
  const height = 40;
  const gap = 2;
  const barWidth = Math.max(3, Math.floor((width - gap * timeline.length) / timeline.length));
  const max = Math.max(1, ...timeline.map((p) => Number(p.durationMs) || 0));
  const bars = timeline.map((point, i) => {
    const h = Math.max(3, Math.round(((Number(point.durationMs) || 0) / max) * (height - 4)));
    return svg('rect', {
      x: String(i * (barWidth + gap)), y: String(height - h), width: String(barWidth), height: String(h),
      class: ['spark-bar', OUTCOME_CLASS(point.outcome)],
    }, svg('title', null, `${formatTime(point.startedAt)}: ${point.outcome}` +
      `${point.reason ? ` (${point.reason})` : ''}, ${formatMs(point.durationMs)}`));
  });
  const counts = {};
  for (const p of timeline) counts[p.outcome] = (counts[p.outcome] || 0) + 1;
  const label = `Last ${timeline.length} runs: ` +
    Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ');
  return el('figure', { class: 'sparkline', testid: 'sparkline' },
    svg('svg', {
      viewBox: `0 0 ${timeline.length * (barWidth + gap)} ${height}`, width: String(Math.min(width, timeline.length * (barWidth + gap))),
      height: String(height), role: 'img', 'aria-label': label,
    }, bars),
    el('figcaption', { class: 'muted' }, label));
}

function operationSection(op) {
  if (!op) return el('p', { class: 'muted', testid: 'doc-operation' }, 'No spec operation matches this document’s endpoint.');
  return el('dl', { class: 'op-details', testid: 'doc-operation' },
    el('dt', null, 'Operation'), el('dd', null, `${op.method} ${op.path}`),
    el('dt', null, 'Summary'), el('dd', null, op.summary || '–'),
    el('dt', null, 'Spec'), el('dd', null, op.spec || '–'),
    el('dt', null, 'Domain'), el('dd', null, op.domain || '–'),
    el('dt', null, 'Tokens'), el('dd', null, (op.tokens || []).join(', ') || '–'),
    el('dt', null, 'Last outcome'), el('dd', null, outcomeBadge(op.lastOutcome),
      op.lastReason ? ` ${op.lastReason}` : ''));
}

function block(b) {
  switch (b.type) {
    case 'heading': {
      // The view's own headings are h2/h3; the recipe's start below them.
      const level = Math.min(6, Math.max(3, (Number(b.level) || 1) + 2));
      return el(`h${level}`, { class: 'md-heading' }, b.text);
    }
    case 'paragraph':
      return el('p', { class: 'md-paragraph' }, b.text);
    case 'code':
      return el('pre', { class: 'code md-code', dataset: { language: b.language || '' } },
        el('code', null, b.text));
    case 'list':
      return el('ul', { class: 'md-list' }, (b.items || []).map((item) => el('li', null, item)));
    case 'quote':
      return el('blockquote', { class: 'md-quote' }, b.text);
    default:
      return el('p', { class: 'md-paragraph' }, b.text || '');
  }
}

export function documentView(doc, { onRun } = {}) {
  const run = el('button', { type: 'button', testid: 'doc-run' }, 'Run this recipe');
  if (onRun) run.addEventListener('click', () => onRun(doc.file));
  return el('article', { class: 'document', testid: 'document-view' },
    el('p', { class: 'muted', testid: 'doc-file' }, doc.file),
    el('p', null, el('strong', null, recipeLabel(doc.endpoint, doc.variant))),
    onRun ? el('div', { class: 'actions' }, run) : null,
    el('h3', null, 'History'),
    sparkline(doc.timeline),
    el('h3', null, 'Spec operation'),
    operationSection(doc.operation),
    el('details', { class: 'frontmatter' },
      el('summary', null, 'Frontmatter'),
      keyValueTable(doc.frontmatter, 'doc-frontmatter')),
    el('h3', null, 'Recipe'),
    el('div', { class: 'markdown', testid: 'doc-blocks' }, (doc.blocks || []).map(block)));
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

// A checkbox with its label, for the choices of a run from the spec.
function choice(id, label) {
  const box = el('input', { type: 'checkbox', id, testid: id });
  return { box, field: el('div', { class: 'field field-check' }, box, el('label', { for: id }, label)) };
}

// An operation without a recipe can still run, through the request Verity builds from the spec
// (healed after a failure, as `verity run --all-operations` does). Writes stay refused unless
// allowed here: the run says WRITE_NOT_ALLOWED instead of sending them.
export function operationView(op, { onRunSpec } = {}) {
  const method = String(op.method || '').toUpperCase();
  const writes = READS.has(method) ? null
    : choice('op-allow-writes', `Allow writes: send this ${method} built from the spec`);
  const deletes = method === 'DELETE' ? choice('op-include-delete', 'Include DELETE') : null;
  // The request that passed, heals included, becomes a pending recipe (`--write-drafts`).
  const draft = choice('op-write-draft', 'Write a draft if it passes');
  const run = el('button', { type: 'button', class: 'primary', testid: 'op-run-spec' }, 'Run from the spec');
  if (onRunSpec) {
    run.addEventListener('click', () => onRunSpec(op.key, {
      allowWrites: Boolean(writes && writes.box.checked),
      includeDelete: Boolean(deletes && deletes.box.checked),
      writeDrafts: draft.box.checked,
    }));
  }
  return el('article', { class: 'document', testid: 'operation-view' },
    el('p', { class: 'muted' }, 'This operation has no recipe in the knowledge base.'),
    onRunSpec ? [
      writes && writes.field,
      deletes && deletes.field,
      el('div', { class: 'actions' }, run, draft.field),
    ] : null,
    operationSection(op));
}
