// The endpoint browser: every operation of the specs with its knowledge-base state and last
// outcome, grouped by domain, filtered in the page (the list is small and a filter should not
// wait for the network), and selected for a run. An operation without a recipe can be selected
// too: it runs through the request built from the spec.
import { el, replace, debounce, outcomeBadge, recipeLabel, sourceChip } from './dom.js';
import { get } from './api.js';

const FILTERS = [
  { name: 'domain', label: 'Domain' },
  { name: 'method', label: 'Method' },
  { name: 'token', label: 'Token type' },
  { name: 'kbStatus', label: 'Knowledge base' },
  { name: 'outcome', label: 'Last outcome' },
];

export function createBrowser(root, { onOpen, onSelectionChange }) {
  const state = {
    operations: [],
    counts: {},
    filters: { domain: '', method: '', token: '', kbStatus: '', outcome: '', flaky: false, q: '' },
    selected: new Set(),
    collapsed: new Set(),
  };

  const countLine = el('p', { class: 'count', testid: 'op-count', 'aria-live': 'polite' });
  const selects = {};
  const filterRow = el('div', { class: 'filters', role: 'group', 'aria-label': 'Filters' });
  for (const filter of FILTERS) {
    const id = `filter-${filter.name}`;
    const select = el('select', { id, testid: id });
    select.addEventListener('change', () => {
      state.filters[filter.name] = select.value;
      render();
    });
    selects[filter.name] = select;
    filterRow.append(el('div', { class: 'field' }, el('label', { for: id }, filter.label), select));
  }
  const flaky = el('input', { type: 'checkbox', id: 'filter-flaky', testid: 'filter-flaky' });
  flaky.addEventListener('change', () => {
    state.filters.flaky = flaky.checked;
    render();
  });
  filterRow.append(el('div', { class: 'field field-check' }, flaky,
    el('label', { for: 'filter-flaky' }, 'Flaky only')));
  const text = el('input', {
    type: 'search', id: 'filter-q', testid: 'filter-q', placeholder: 'path, summary, tag, file…',
  });
  const onText = debounce(() => {
    state.filters.q = text.value.trim().toLowerCase();
    render();
  }, 200);
  text.addEventListener('input', onText);
  filterRow.append(el('div', { class: 'field field-wide' }, el('label', { for: 'filter-q' }, 'Search'), text));

  // Only recipes: operations without one are chosen one at a time, each a request built from
  // the spec that no one has read yet.
  const selectAll = el('button', {
    type: 'button', testid: 'select-all', title: 'Selects the recipes shown; operations without a recipe are selected one by one',
  }, 'Select all shown');
  const selectNone = el('button', { type: 'button', testid: 'select-none' }, 'Select none');
  const resetFilters = el('button', { type: 'button', testid: 'filter-reset' }, 'Clear filters');
  selectAll.addEventListener('click', () => {
    for (const op of filtered()) if (op.document) state.selected.add(op.key);
    render();
    changed();
  });
  selectNone.addEventListener('click', () => {
    state.selected.clear();
    render();
    changed();
  });
  resetFilters.addEventListener('click', () => {
    for (const filter of FILTERS) {
      selects[filter.name].value = '';
      state.filters[filter.name] = '';
    }
    flaky.checked = false;
    text.value = '';
    Object.assign(state.filters, { flaky: false, q: '' });
    render();
  });
  const groups = el('div', { class: 'groups', testid: 'op-groups' });

  replace(root,
    el('h2', null, 'Endpoints'),
    filterRow,
    el('div', { class: 'actions' }, selectAll, selectNone, resetFilters),
    countLine,
    groups);

  // The selected operations that have no recipe: they run from the spec.
  function withoutRecipe() {
    return [...state.selected].filter((key) => !state.operations.some((op) => op.key === key && op.document));
  }

  function changed() {
    onSelectionChange([...state.selected], withoutRecipe());
  }

  function matches(op) {
    const f = state.filters;
    if (f.domain && op.domain !== f.domain) return false;
    if (f.method && op.method !== f.method) return false;
    if (f.token && !(op.tokens || []).includes(f.token)) return false;
    if (f.kbStatus && (op.kbStatus || 'none') !== f.kbStatus) return false;
    if (f.outcome && (op.lastOutcome || 'none') !== f.outcome) return false;
    if (f.flaky && !op.flaky) return false;
    if (f.q) {
      const hay = [op.method, op.path, op.summary, op.domain, op.document, ...(op.tags || [])]
        .filter(Boolean).join(' ').toLowerCase();
      if (!hay.includes(f.q)) return false;
    }
    return true;
  }

  function filtered() {
    return state.operations.filter(matches);
  }

  function tally(field) {
    const counts = {};
    for (const op of state.operations) {
      const values = field === 'token' ? (op.tokens || []) : [op[field]];
      for (const value of values) counts[value] = (counts[value] || 0) + 1;
    }
    return counts;
  }

  function fillSelects() {
    for (const filter of FILTERS) {
      const counts = (filter.name !== 'token' && state.counts[filter.name]) || tally(filter.name);
      const select = selects[filter.name];
      const current = state.filters[filter.name];
      const options = [el('option', { value: '' }, `All (${state.operations.length})`)];
      for (const value of Object.keys(counts).sort()) {
        options.push(el('option', { value, selected: value === current },
          `${value === 'none' ? 'none' : value} (${counts[value]})`));
      }
      replace(select, options);
      select.value = current;
      if (select.value !== current) state.filters[filter.name] = '';
    }
  }

  function row(op, index) {
    const id = `op-select-${index}`;
    const box = el('input', {
      type: 'checkbox', id, testid: 'op-select', checked: state.selected.has(op.key),
      'aria-label': `Select ${op.key} for the run`,
    });
    if (!op.document) box.title = 'No recipe: runs through the request built from the spec';
    box.addEventListener('change', () => {
      if (box.checked) state.selected.add(op.key);
      else state.selected.delete(op.key);
      updateCount();
      changed();
    });
    const open = el('button', {
      type: 'button', class: 'link op-open', testid: 'op-open',
      title: op.document ? 'Show the recipe' : 'Show the operation',
    }, recipeLabel(op.path, op.variant));
    open.addEventListener('click', () => onOpen(op, open));
    return el('li', { class: 'op', testid: 'op-row', dataset: { key: op.key, variant: op.variant || '' } },
      box,
      el('span', { class: ['method', `method-${String(op.method).toLowerCase()}`] }, op.method),
      el('span', { class: 'op-main' }, open,
        op.summary ? el('span', { class: 'op-summary' }, op.summary) : null),
      el('span', { class: 'op-tags' },
        (op.tokens || []).map((t) => el('span', { class: 'chip' }, t)),
        op.variant ? el('span', {
          class: 'chip', testid: 'op-variant',
          title: `Another recipe of this operation; the operation's own state is its primary's (${op.operationState || 'none'})`,
        }, `variant ${op.variant}`) : null,
        el('span', { class: ['badge', `kb-${op.kbStatus || 'none'}`], title: 'Knowledge base' },
          op.kbStatus === 'none' || !op.kbStatus ? 'no recipe' : op.kbStatus),
        outcomeBadge(op.lastOutcome),
        sourceChip(op.source),
        op.flaky ? el('span', { class: 'badge flaky', testid: 'flaky' }, 'flaky') : null,
        op.useFallbackApi ? el('span', { class: 'chip', title: 'useFallbackApi' }, 'fallback') : null));
  }

  function updateCount() {
    const shown = filtered().length;
    countLine.textContent = `${shown} of ${state.operations.length} operations shown · ` +
      `${state.selected.size} selected`;
  }

  function render() {
    const shown = filtered();
    const byDomain = new Map();
    const totals = new Map();
    for (const op of state.operations) totals.set(op.domain, (totals.get(op.domain) || 0) + 1);
    for (const op of shown) {
      if (!byDomain.has(op.domain)) byDomain.set(op.domain, []);
      byDomain.get(op.domain).push(op);
    }
    const sections = [];
    let index = 0;
    for (const [domain, ops] of byDomain) {
      const collapsed = state.collapsed.has(domain);
      const toggle = el('button', {
        type: 'button', class: 'group-toggle', testid: 'group-toggle', 'aria-expanded': String(!collapsed),
      }, el('span', { class: 'caret', 'aria-hidden': 'true' }, collapsed ? '▸' : '▾'), ` ${domain} `,
      el('span', { class: 'group-count', testid: 'group-count' }, `${ops.length} / ${totals.get(domain)}`));
      toggle.addEventListener('click', () => {
        if (state.collapsed.has(domain)) state.collapsed.delete(domain);
        else state.collapsed.add(domain);
        render();
        const again = [...groups.querySelectorAll('.group')].find((g) => g.dataset.domain === domain);
        if (again) again.querySelector('.group-toggle').focus();
      });
      const list = el('ul', { class: 'op-list', hidden: collapsed }, ops.map((op) => row(op, index++)));
      sections.push(el('section', { class: 'group', testid: 'op-group', dataset: { domain } },
        el('h3', null, toggle), list));
    }
    if (sections.length === 0) sections.push(el('p', { class: 'muted', testid: 'op-empty' }, 'No operation matches the filters.'));
    replace(groups, sections);
    updateCount();
  }

  async function load() {
    const data = await get('/api/operations');
    state.operations = data.operations || [];
    state.counts = data.counts || {};
    const known = new Set(state.operations.map((op) => op.key));
    for (const key of [...state.selected]) if (!known.has(key)) state.selected.delete(key);
    fillSelects();
    render();
    changed();
  }

  return {
    load,
    selected: () => [...state.selected],
    selectedWithoutRecipe: withoutRecipe,
    find: (predicate) => state.operations.find(predicate),
  };
}
