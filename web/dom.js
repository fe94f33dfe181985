// DOM helpers. Every string given to them becomes a text node or an attribute value: the page
// never parses server text as HTML (docs/serve.md, Security).

const SVG_NS = 'http://www.w3.org/2000/svg';

// Attributes that could run code or load something if a server string ended up in them.
const UNSAFE_ATTR = /^(on|formaction$|srcdoc$)/i;

function setAttrs(node, attrs) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (UNSAFE_ATTR.test(name)) throw new Error(`refusing attribute ${name}`);
    if (name === 'class') {
      node.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    } else if (name === 'text') {
      node.textContent = String(value);
    } else if (name === 'hidden' || name === 'checked' || name === 'disabled' ||
               name === 'selected' || name === 'open') {
      node[name] = Boolean(value);
    } else if (name === 'value' && 'value' in node) {
      node.value = String(value);
    } else if (name === 'dataset') {
      Object.assign(node.dataset, value);
    } else if (name === 'testid') {
      node.setAttribute('data-testid', value);
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }
  return node;
}

// el('a', {class: 'x'}, 'text', otherNode, [more]): strings become text nodes.
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  return append(node, children);
}

export function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  return append(node, children);
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export function replace(node, ...children) {
  return append(clear(node), children);
}

export function $(selector, root = document) {
  return root.querySelector(selector);
}

export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

export function formatMs(ms) {
  if (ms === null || ms === undefined || Number.isNaN(Number(ms))) return '–';
  const n = Number(ms);
  if (n < 1000) return `${Math.round(n)} ms`;
  if (n < 60000) return `${(n / 1000).toFixed(1)} s`;
  return `${Math.floor(n / 60000)}m ${Math.round((n % 60000) / 1000)}s`;
}

export function formatTime(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleString();
}

// How a result is named: the endpoint, then the recipe's variant in brackets when it has one, so
// the recipes of one endpoint can be told apart ("POST /v3/kv/put [missing-key]").
export function recipeLabel(endpoint, variant) {
  return variant ? `${endpoint || ''} [${variant}]` : (endpoint || '');
}

// A result of a request built from the spec rather than a recipe: no recipe ran or was updated.
export function sourceChip(source) {
  return source === 'spec'
    ? el('span', { class: 'chip', testid: 'source-spec', title: 'Built from the spec: no recipe was run' }, 'from spec')
    : null;
}

export function outcomeBadge(outcome) {
  const text = outcome || 'never run';
  return el('span', { class: ['badge', `outcome-${(outcome || 'none').toLowerCase()}`] }, text);
}

// JSON bodies are shown indented; anything else exactly as received.
export function prettyBody(body) {
  if (typeof body !== 'string' || body === '') return body || '';
  const first = body.trimStart()[0];
  if (first !== '{' && first !== '[') return body;
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

export function keyValueTable(obj, testid) {
  const entries = Object.entries(obj || {});
  if (entries.length === 0) return el('p', { class: 'muted' }, 'none');
  return el('table', { class: 'kv', testid },
    el('tbody', null, entries.map(([k, v]) =>
      el('tr', null, el('th', { scope: 'row' }, k),
        el('td', null, typeof v === 'string' ? v : JSON.stringify(v))))));
}
