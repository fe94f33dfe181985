// The server's event stream. EventSource reconnects by itself and sends Last-Event-ID, and the
// server replays what came after it; a replay may still repeat frames (a fresh EventSource after
// a closed one sends no id), so every id is handled once.
const NAMES = ['run_started', 'document_started', 'step_finished', 'document_finished',
  'run_finished', 'drafts_started', 'drafts', 'scan_started', 'scan_result', 'scan_finished'];

const handlers = new Map();
const seen = new Set();
let source = null;
let retryTimer = null;
let onConnection = () => {};

export function on(name, handler) {
  if (!handlers.has(name)) handlers.set(name, []);
  handlers.get(name).push(handler);
}

export function onConnectionChange(handler) {
  onConnection = handler;
}

function dispatch(name, event) {
  if (event.lastEventId) {
    if (seen.has(event.lastEventId)) return;
    seen.add(event.lastEventId);
  }
  let data;
  try {
    data = JSON.parse(event.data);
  } catch {
    return;
  }
  for (const handler of handlers.get(name) || []) {
    try {
      handler(data, event.lastEventId);
    } catch (error) {
      console.error(`handler of ${name} failed`, error);
    }
  }
}

export function connect() {
  if (source) source.close();
  clearTimeout(retryTimer);
  source = new EventSource('/api/events', { withCredentials: true });
  source.addEventListener('open', () => onConnection(true));
  source.addEventListener('error', () => {
    onConnection(false);
    // CLOSED means the browser gave up (an HTTP error such as 401, or a bad answer); CONNECTING
    // means it is already retrying by itself.
    if (source.readyState === EventSource.CLOSED) {
      retryTimer = setTimeout(connect, 3000);
    }
  });
  for (const name of NAMES) {
    source.addEventListener(name, (event) => dispatch(name, event));
  }
}
