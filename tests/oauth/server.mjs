// A real OAuth2 server (oauth2-mock-server) issuing short-lived signed JWTs, and a small resource
// API in the same process that accepts only a valid, unexpired token of that server. Started by
// tests/e2e/oauth_lifecycle_test.cc on 127.0.0.1 with free ports; its first stdout line is JSON:
// {"issuer": URL, "api": URL}. It runs until SIGTERM.
//
//   node server.mjs [--lifetime SECONDS] [--delay MS]
//
// The resource API:
//   GET /items/{id}  200 {"id": …} with a valid token; 401 with WWW-Authenticate
//                    `Bearer error="invalid_token"` for an expired or foreign one, `Bearer` for none.
//                    Answers after --delay ms, so a run spans the tokens' lifetimes.
//   POST /login      {"user": "alice", "password": …} → {"token": JWT, "expires_in": lifetime}: an
//                    API's own login, for login recipes; the password is $LOGIN_PASSWORD.
//   GET /stats       what the test checks: tokens issued (and when), logins (and when), requests,
//                    expired and invalid tokens seen. DELETE /stats starts the counts anew.
import { createServer } from 'node:http';
import { createPublicKey, verify } from 'node:crypto';
import { Events, OAuth2Server } from 'oauth2-mock-server';

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const lifetime = option('--lifetime', 2);
const delay = option('--delay', 0);

function freshStats() {
  return {
    issued: 0,
    issued_at_ms: [],
    logins: 0,
    login_at_ms: [],
    refused_logins: 0,
    requests: 0,
    ok: 0,
    expired: 0,
    invalid: 0,
    missing: 0,
  };
}
let stats = freshStats();

const oauth = new OAuth2Server();
await oauth.issuer.keys.generate('RS256');
oauth.service.on(Events.BeforeTokenSigning, (token) => {
  // A JWT's exp is in whole seconds: rounded up, the token lives at least `lifetime` seconds,
  // which is what expires_in tells the client.
  token.payload.exp = Math.ceil(Date.now() / 1000 + lifetime);
  stats.issued += 1;
  stats.issued_at_ms.push(Date.now());
});
oauth.service.on(Events.BeforeResponse, (response) => {
  if (response.body && response.body.access_token) response.body.expires_in = lifetime;
});
await oauth.start(0, '127.0.0.1');

function publicKey(kid) {
  const jwk = oauth.issuer.keys.get(kid);
  if (!jwk) return null;
  const { kty, n, e } = jwk.toJSON ? jwk.toJSON() : jwk;
  return createPublicKey({ key: { kty, n, e }, format: 'jwk' });
}

// 'ok', 'expired' or 'invalid'. The signature is checked with the server's own key.
function check(token) {
  const parts = token.split('.');
  if (parts.length !== 3) return 'invalid';
  let header, payload;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url'));
    payload = JSON.parse(Buffer.from(parts[1], 'base64url'));
  } catch {
    return 'invalid';
  }
  const key = publicKey(header.kid);
  if (!key || header.alg !== 'RS256') return 'invalid';
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  if (!verify('RSA-SHA256', signed, key, Buffer.from(parts[2], 'base64url'))) return 'invalid';
  if (typeof payload.exp !== 'number' || Date.now() / 1000 >= payload.exp) return 'expired';
  return 'ok';
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function readBody(req) {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => resolve(body));
  });
}

async function login(req, res) {
  let body = {};
  try {
    body = JSON.parse(await readBody(req));
  } catch {
    // refused below
  }
  if (body.user !== 'alice' || !process.env.LOGIN_PASSWORD ||
      body.password !== process.env.LOGIN_PASSWORD) {
    stats.refused_logins += 1;
    return send(res, 401, { error: 'wrong user or password' });
  }
  const token = await oauth.issuer.buildToken({
    scopesOrTransform: (header, payload) => {
      payload.exp = Math.ceil(Date.now() / 1000 + lifetime);
      payload.sub = body.user;
    },
  });
  stats.logins += 1;
  stats.login_at_ms.push(Date.now());
  send(res, 200, { token, expires_in: lifetime });
}

const api = createServer((req, res) => {
  if (req.url === '/stats') {
    if (req.method === 'DELETE') stats = freshStats();
    return send(res, 200, stats);
  }
  if (req.url === '/login' && req.method === 'POST') return void login(req, res);
  const match = /^\/items\/([^/?]+)/.exec(req.url);
  if (!match) return send(res, 404, { error: 'not found' });
  stats.requests += 1;
  const auth = req.headers.authorization ?? '';
  if (!auth.startsWith('Bearer ')) {
    stats.missing += 1;
    return send(res, 401, { error: 'no token' }, { 'www-authenticate': 'Bearer realm="items"' });
  }
  // Judged on arrival: a token that was valid when it arrived was not sent expired.
  const verdict = check(auth.slice('Bearer '.length));
  setTimeout(() => {
    if (verdict === 'ok') {
      stats.ok += 1;
      return send(res, 200, { id: match[1] });
    }
    stats[verdict] += 1;
    const description = verdict === 'expired' ? 'The access token expired' : 'Invalid token';
    send(res, 401, { error: 'invalid_token' }, {
      'www-authenticate': `Bearer error="invalid_token", error_description="${description}"`,
    });
  }, delay);
});
await new Promise((resolve) => api.listen(0, '127.0.0.1', resolve));

process.stdout.write(
  `${JSON.stringify({ issuer: oauth.issuer.url, api: `http://127.0.0.1:${api.address().port}` })}\n`,
);

async function stop() {
  api.close();
  await oauth.stop();
  process.exit(0);
}
process.on('SIGTERM', stop);
