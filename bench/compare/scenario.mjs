// Writes the chain3 scenario (bench/run/chain3.md.in: GET the list and take an id, POST a client
// with it and take the new id, GET that client) for each Node.js tool bench/compare/run.sh measures:
//   stepci-c1.yml, stepci-c8.yml   Step CI workflows: one test per iteration, tests run 1 or 8 at
//                                  a time (config.concurrency)
//   newman.json, newman-env.json,  a Postman collection of the three requests, its environment and
//   newman-data.json               one data row per iteration (newman run -n N -d ...)
//   chain3.arazzo.yaml,            an Arazzo 1.0 description with one workflow per iteration, and
//   openapi.yaml                   the minimal OpenAPI description its steps point into
// Every iteration uses its own paths (/t/NNNN/...), as the Verity documents do. The bearer token
// comes from VERITY_BENCH_TOKEN and goes only into these files (the caller's folder is private).
// Usage: node scenario.mjs OUT_DIR ITERATIONS BASE_URL
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [outDir, countText, baseUrl] = process.argv.slice(2);
const count = Number(countText);
if (!outDir || !Number.isInteger(count) || count < 1 || !baseUrl) {
  console.error('usage: node scenario.mjs OUT_DIR ITERATIONS BASE_URL');
  process.exit(2);
}
const token = process.env.VERITY_BENCH_TOKEN ?? 'bench-dummy-token';
const ids = Array.from({ length: count }, (_, i) => String(i).padStart(4, '0'));
const write = (name, text) => writeFileSync(join(outDir, name), text, { mode: 0o600 });

// ---- Step CI ------------------------------------------------------------------------------------
// Captures use JSONPath, checks the status; the read captures the id as Verity's document does.
function stepci(concurrency) {
  const headers = `          headers:
            Authorization: "Bearer ${token}"
            Accept: application/json`;
  const tests = ids.map((n) => `  chain_${n}:
    steps:
      - name: list
        http:
          url: "${baseUrl}/t/${n}/clients?per_page=1"
          method: GET
${headers}
          captures:
            first_id:
              jsonpath: $.data.clients[0].id
          check:
            status: 200
      - name: create
        http:
          url: "${baseUrl}/t/${n}/clients"
          method: POST
${headers}
          json:
            first_name: Ada
            referrer_id: "\${{captures.first_id}}"
          captures:
            client_id:
              jsonpath: $.data.client.id
          check:
            status: 201
      - name: read
        http:
          url: "${baseUrl}/t/${n}/clients/\${{captures.client_id}}"
          method: GET
${headers}
          captures:
            got_id:
              jsonpath: $.data.client.id
          check:
            status: 200
`);
  return `version: "1.1"
name: chain3
config:
  concurrency: ${concurrency}
tests:
${tests.join('')}`;
}
write('stepci-c1.yml', stepci(1));
write('stepci-c8.yml', stepci(8));

// ---- Newman -------------------------------------------------------------------------------------
// Test scripts check the status and keep the id in a collection variable for the next request.
const postmanHeaders = [
  { key: 'Authorization', value: 'Bearer {{token}}' },
  { key: 'Accept', value: 'application/json' },
];
const tests = (status, variable, path) => [
  {
    listen: 'test',
    script: {
      type: 'text/javascript',
      exec: [
        `pm.test('status ${status}', function () { pm.response.to.have.status(${status}); });`,
        `pm.collectionVariables.set('${variable}', pm.response.json().${path});`,
      ],
    },
  },
];
const collection = {
  info: {
    name: 'chain3',
    schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
  },
  item: [
    {
      name: 'list',
      request: { method: 'GET', header: postmanHeaders, url: '{{base}}/t/{{n}}/clients?per_page=1' },
      event: tests(200, 'first_id', 'data.clients[0].id'),
    },
    {
      name: 'create',
      request: {
        method: 'POST',
        header: [...postmanHeaders, { key: 'Content-Type', value: 'application/json' }],
        body: { mode: 'raw', raw: '{"first_name":"Ada","referrer_id":"{{first_id}}"}' },
        url: '{{base}}/t/{{n}}/clients',
      },
      event: tests(201, 'client_id', 'data.client.id'),
    },
    {
      name: 'read',
      request: { method: 'GET', header: postmanHeaders, url: '{{base}}/t/{{n}}/clients/{{client_id}}' },
      event: tests(200, 'got_id', 'data.client.id'),
    },
  ],
};
write('newman.json', JSON.stringify(collection, null, 1));
write(
  'newman-env.json',
  JSON.stringify({
    name: 'bench',
    values: [
      { key: 'base', value: baseUrl },
      { key: 'token', value: token },
    ],
  }),
);
write('newman-data.json', JSON.stringify(ids.map((n) => ({ n }))));

// ---- Redocly Respect ----------------------------------------------------------------------------
// Arazzo has no iteration count: one workflow per iteration, the path's NNNN as a parameter.
write(
  'openapi.yaml',
  `openapi: 3.1.0
info:
  title: chain3
  version: 1.0.0
servers:
  - url: ${baseUrl}
paths:
  /t/{n}/clients:
    parameters:
      - {name: n, in: path, required: true, schema: {type: string}}
    get:
      operationId: listClients
      parameters:
        - {name: per_page, in: query, schema: {type: string}}
      responses:
        '200': {description: the clients}
    post:
      operationId: createClient
      requestBody:
        content:
          application/json:
            schema: {type: object}
      responses:
        '201': {description: the new client}
  /t/{n}/clients/{id}:
    parameters:
      - {name: n, in: path, required: true, schema: {type: string}}
      - {name: id, in: path, required: true, schema: {type: string}}
    get:
      operationId: getClient
      responses:
        '200': {description: the client}
`,
);
const arazzoHeaders = `          - {name: Authorization, in: header, value: "Bearer ${token}"}
          - {name: Accept, in: header, value: application/json}`;
const workflows = ids.map((n) => `  - workflowId: chain_${n}
    steps:
      - stepId: list
        operationId: $sourceDescriptions.api.listClients
        parameters:
          - {name: n, in: path, value: "${n}"}
          - {name: per_page, in: query, value: "1"}
${arazzoHeaders}
        successCriteria:
          - condition: $statusCode == 200
        outputs:
          first_id: $response.body#/data/clients/0/id
      - stepId: create
        operationId: $sourceDescriptions.api.createClient
        parameters:
          - {name: n, in: path, value: "${n}"}
${arazzoHeaders}
        requestBody:
          contentType: application/json
          payload:
            first_name: Ada
            referrer_id: $steps.list.outputs.first_id
        successCriteria:
          - condition: $statusCode == 201
        outputs:
          client_id: $response.body#/data/client/id
      - stepId: read
        operationId: $sourceDescriptions.api.getClient
        parameters:
          - {name: n, in: path, value: "${n}"}
          - {name: id, in: path, value: $steps.create.outputs.client_id}
${arazzoHeaders}
        successCriteria:
          - condition: $statusCode == 200
        outputs:
          got_id: $response.body#/data/client/id
`);
write(
  'chain3.arazzo.yaml',
  `arazzo: 1.0.1
info:
  title: chain3
  version: 1.0.0
sourceDescriptions:
  - name: api
    url: ./openapi.yaml
    type: openapi
workflows:
${workflows.join('')}`,
);
