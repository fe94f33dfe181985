#include "run/executor_fixture.h"

namespace verity::run::testing {

std::string SeedDocument(bool use_fallback) {
  std::string text = R"(---
endpoint: "GET /business/payments/v1/client_packages/{uid}"
domain: sales
tags: [client_packages, packages]
swagger: "swagger/sales/legacy/payments.json"
status: pending
savedAt: "2026-01-26T22:11:55.113Z"
timesReused: 0
tokens: [staff]
)";
  if (use_fallback) text += "useFallbackApi: true\n";
  text += R"(---

# Get Client Package

## Prerequisites

```yaml
steps:
  - id: get_client_id
    method: GET
    path: "/platform/v1/clients"
    token: staff
    params:
      business_id: "{{business_id}}"
      per_page: "1"
    extract:
      client_id: "$.data.clients[0].id"
    expect:
      status: [200]
    onFail: abort

  - id: get_package_id
    method: GET
    path: "/platform/v1/payment/packages"
    token: staff
    useFallbackApi: true
    params:
      business_id: "{{business_id}}"
    extract:
      package_id: "$.data.packages[0].id"
    expect:
      status: [200]
    onFail: abort

  - id: create_client_package
    method: POST
    path: "/platform/v1/payment/client_packages"
    token: staff
    useFallbackApi: true
    body:
      client_id: "{{client_id}}"
      package_id: "{{package_id}}"
      price: 1
    extract:
      client_package_uid: "$.data.client_package.id"
    expect:
      status: [200, 201]
    onFail: abort
```

## Test Request

```yaml
steps:
  - id: get_client_package
    method: GET
    path: "/business/payments/v1/client_packages/{{client_package_uid}}"
    token: staff
    expect:
      status: [200]
```
)";
  return text;
}

void ScriptSeedWorld(http::FakeTransport& transport) {
  const std::string p = kPrimary, f = kFallback;
  transport.Script("*", p + "/business/payments/v1/*", Reply(401, R"({"error":"unauthorized"})"));
  for (const std::string& base : {p, f}) {
    transport.Script("GET", base + "/platform/v1/clients?*",
                     Reply(200, R"({"data":{"clients":[{"id":"client-1"}]}})"));
    transport.Script("GET", base + "/platform/v1/payment/packages?*",
                     Reply(200, R"({"data":{"packages":[{"id":"package-1"}]}})"));
    transport.Script("POST", base + "/platform/v1/payment/client_packages",
                     Reply(201, R"({"data":{"client_package":{"id":"cp-1"}}})"));
  }
  transport.Script("GET", f + "/business/payments/v1/client_packages/cp-1",
                   Reply(200, R"({"data":{"client_package":{"id":"cp-1","price":1}}})"));
}

}  // namespace verity::run::testing
