// One document's result (docs/report-format.md): why it ended as it did, then every step with
// its request, response, extracted variables, checks and issues. `use:` steps hold the used
// document's steps, drawn indented beneath them.
import { el, formatMs, outcomeBadge, prettyBody, keyValueTable, recipeLabel, sourceChip } from './dom.js';

function issueList(issues, testid) {
  if (!issues || issues.length === 0) return null;
  return el('ul', { class: 'issues', testid },
    issues.map((issue) => el('li', { class: `severity-${issue.severity || 'error'}` },
      el('span', { class: 'code' }, issue.code || issue.issue || ''), ' ',
      issue.pointer ? el('code', { class: 'pointer', testid: 'issue-pointer' }, issue.pointer) : null,
      issue.pointer ? ' ' : null,
      el('span', null, issue.message || ''),
      issue.schemaLocation ? el('span', { class: 'muted schema-location' }, ` (schema: ${issue.schemaLocation})`) : null)));
}

function bodyBlock(label, body, { open = true, truncated = false, bytes } = {}) {
  if (body === undefined || body === null || body === '') {
    return el('p', { class: 'muted' }, `${label}: empty`);
  }
  const note = truncated ? ` (first part of ${bytes} bytes)` : '';
  return el('details', { class: 'body', open },
    el('summary', null, `${label}${note}`),
    el('pre', { class: 'code' }, el('code', null, prettyBody(body))));
}

function requestBlock(request) {
  if (!request) return el('p', { class: 'muted' }, 'No request was sent.');
  return el('section', { class: 'request', testid: 'step-request' },
    el('h5', null, 'Request'),
    el('p', { class: 'request-line' },
      el('span', { class: ['method', `method-${String(request.method).toLowerCase()}`] }, request.method), ' ',
      el('code', { class: 'url', testid: 'request-url' }, request.url),
      request.base ? el('span', { class: 'chip' }, request.base) : null),
    el('details', { class: 'headers', open: true },
      el('summary', null, 'Headers'),
      keyValueTable(request.headers, 'request-headers')),
    (request.multipartParts || []).length
      ? el('ul', { class: 'parts' }, request.multipartParts.map((p) => el('li', null, p))) : null,
    bodyBlock('Body', request.body));
}

function responseBlock(response, durationMs) {
  if (!response) return el('p', { class: 'muted' }, 'No response.');
  const time = response.timings && response.timings.totalMs ? response.timings.totalMs : durationMs;
  return el('section', { class: 'response', testid: 'step-response' },
    el('h5', null, 'Response'),
    el('p', null,
      el('span', { class: ['status-code', `status-${String(response.status)[0]}xx`], testid: 'response-status' },
        String(response.status)),
      ` · ${formatMs(time)}`,
      response.httpVersion ? ` · HTTP/${response.httpVersion}` : ''),
    el('details', { class: 'headers' },
      el('summary', null, 'Headers'),
      keyValueTable(response.headers, 'response-headers')),
    bodyBlock('Body', response.body, { truncated: response.bodyTruncated, bytes: response.bodyBytes }));
}

function attemptsTable(attempts) {
  if (!attempts || attempts.length < 2) return null;
  return el('table', { class: 'attempts' },
    el('caption', null, 'Attempts'),
    el('thead', null, el('tr', null, ['Base', 'Status', 'Error', 'Time', 'Retried because']
      .map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', null, attempts.map((a) => el('tr', null,
      el('td', null, a.base || '–'), el('td', null, a.status ?? '–'), el('td', null, a.errorCode || ''),
      el('td', null, formatMs(a.durationMs)), el('td', null, a.retryReason || '')))));
}

// Every check of the step in the order written, with a pass or fail mark: a failed one shows the
// path, the operator, what was expected and what the answer held (masked and cut by the run).
function checksTable(checks) {
  if (!checks || checks.length === 0) return null;
  const label = (c) => {
    const target = c.target ? ` ${c.target}` : '';
    return `${c.subject}${target} ${c.op}`;
  };
  return el('table', { class: 'checks', testid: 'step-checks' },
    el('caption', null, 'Checks'),
    el('thead', null, el('tr', null, ['', 'Line', 'Check', 'Expected', 'Got', 'Why']
      .map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', null, checks.map((c) => el('tr', { class: ['check', c.passed ? 'check-pass' : 'check-fail'], testid: 'step-check' },
      el('td', { class: 'check-mark', title: c.passed ? 'passed' : 'failed' }, c.passed ? '✓' : '✗'),
      el('td', null, c.line ? String(c.line) : ''),
      el('td', null, el('code', null, label(c))),
      el('td', null, el('code', null, c.expected ?? '')),
      el('td', null, el('code', null, c.actual ?? '')),
      el('td', null, c.message || '')))));
}

// A failed check's CHECK_FAILED issue repeats its row in the checks table.
function issuesBesideChecks(step) {
  const issues = step.issues || [];
  if (!(step.checks || []).some((c) => !c.passed)) return issues;
  return issues.filter((issue) => issue.code !== 'CHECK_FAILED');
}

function stepView(step, depth) {
  const extracted = step.extracted && Object.keys(step.extracted).length
    ? el('section', { class: 'extracted' }, el('h5', null, 'Extracted'), keyValueTable(step.extracted, 'step-extracted'))
    : null;
  return el('section', { class: ['step', depth > 0 && 'step-nested'], testid: 'step', dataset: { depth: String(depth) } },
    el('h4', null, outcomeBadge(step.status), ' ',
      el('span', { class: 'step-id' }, step.id || ''), ' ',
      el('span', { class: 'muted' }, `${step.section || ''} · ${step.endpoint || ''} · ${formatMs(step.durationMs)}`),
      step.usedFallback ? el('span', { class: 'chip' }, 'fallback') : null,
      step.tokenUsed ? el('span', { class: 'chip' }, `token: ${step.tokenUsed}`) : null),
    step.description ? el('p', null, step.description) : null,
    step.reason || step.message ? el('p', { class: 'reason-line' },
      step.reason ? el('strong', null, step.reason) : null, step.reason && step.message ? ': ' : '',
      step.message || '') : null,
    step.suggestion ? el('p', { class: 'suggestion' }, `Suggestion: ${step.suggestion}`) : null,
    step.usedDocument ? el('p', { class: 'muted' }, `Uses ${step.usedDocument}`) : null,
    attemptsTable(step.attempts),
    step.request || step.response ? el('div', { class: 'exchange' },
      requestBlock(step.request), responseBlock(step.response, step.durationMs)) : null,
    extracted,
    checksTable(step.checks),
    issueList(issuesBesideChecks(step), 'step-issues'),
    (step.steps || []).map((inner) => stepView(inner, depth + 1)));
}

// A result built from the spec that failed and was healed: every try in order, what it changed
// from the one before, and how it ended (the last is the result's own).
function healTable(tries) {
  if (!tries || tries.length === 0) return null;
  return el('table', { class: 'attempts heals', testid: 'result-heals' },
    el('caption', null, 'Tries of the request built from the spec'),
    el('thead', null, el('tr', null, ['Try', 'Change', 'Outcome', 'HTTP', 'Reason']
      .map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', null, tries.map((t, i) => el('tr', { testid: 'result-heal' },
      el('td', null, String(i + 1)),
      el('td', null, t.change || ''),
      el('td', null, outcomeBadge(t.status)),
      el('td', null, t.httpStatus ?? '–'),
      el('td', null, t.reason ? el('strong', null, t.reason) : '', t.reason && t.message ? ': ' : '',
        t.message || '')))));
}

export function resultView(result) {
  const details = result.details || {};
  return el('article', { class: 'result', testid: 'result-view' },
    el('p', { class: 'result-head' }, outcomeBadge(result.status), ' ',
      el('strong', null, recipeLabel(result.endpoint, result.variant)), ' ',
      sourceChip(result.source), result.source === 'spec' ? ' ' : null,
      el('span', { class: 'muted' }, `HTTP ${result.httpStatus ?? '–'} · ${formatMs(result.durationMs)}`)),
    el('p', { class: 'muted' }, result.file || ''),
    result.summary ? el('p', null, result.summary) : null,
    details.reason ? el('p', { class: 'reason-line', testid: 'result-reason' },
      el('strong', null, details.reason), details.friendlyMessage ? `: ${details.friendlyMessage}` : '') : null,
    details.suggestion ? el('p', { class: 'suggestion', testid: 'result-suggestion' }, `Suggestion: ${details.suggestion}`) : null,
    healTable(result.healAttempts),
    issueList(details.errors, 'result-issues'),
    (result.kbUpdates || []).length
      ? el('p', { class: 'muted' }, `Knowledge-base updates: ${result.kbUpdates.join(', ')}`) : null,
    (result.writeBackErrors || []).length
      ? el('ul', { class: 'reason-line', testid: 'result-write-back' }, result.writeBackErrors.map((f) =>
        el('li', null, el('strong', null, f.reason), ` ${f.file}: ${f.message}`))) : null,
    el('h3', null, 'Steps'),
    (result.steps || []).map((step) => stepView(step, 0)));
}
