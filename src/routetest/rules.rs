//! The findings of `gwctl test` (GW8xx): a routing expectation that does not hold, and the
//! problems of a test file that keep a case from running as written.

use crate::declare_rule;

declare_rule!(
    EXPECTATION_FAILED,
    "GW801",
    "routing-expectation-failed",
    Correctness,
    Error,
    "a test case's expected routing answer is not what the manifests give",
    r#"## What it checks
Each case of a `gwctl test` file sends its request through the manifests, as `gwctl simulate`
does, and compares the answer with every expectation the case writes: outcome, status,
route, rule, backends and their shares, redirect, forwarded request, response headers,
mirrors and session. Only what is written is checked. The finding is on the expectation's
line, says what was expected and what the manifests give, and names the step of the
routing decision that gave it.

## Why it matters
A test file holds the routing a team relies on ("`/api/v2` goes to api-v2", "the canary gets
10%"). A change to the manifests that breaks it should fail CI before it is applied, not
after users notice.

## Example
```yaml
cases:
  - name: api v2 goes to api-v2
    request: {url: http://shop.example.com/api/v2/items}
    expect:
      route: {namespace: shop, name: api}
      backends: [{name: api-v2}]   # the manifests send it to api-v1
```

## Fix
If the manifests are wrong, fix them. If the change was deliberate, update the expectation
(`gwctl test --update` rewrites the expectations of failing cases and prints the diff)."#
);

declare_rule!(
    UNKNOWN_KEY,
    "GW802",
    "unknown-test-key",
    Correctness,
    Error,
    "a test file has a key gwctl does not know",
    r#"## What it checks
Every key of a `gwctl test` file: the file's `manifests` and `cases`, a case's `name`,
`request` and `expect`, and the keys inside them (see the JSON Schema
`schemas/gwctl-test.schema.json` and the README's "Testing routing" section).

## Why it matters
A misspelt expectation (`backend:` for `backends:`) would otherwise be ignored, and the case
would pass without checking what its author meant to check.

## Example
```yaml
cases:
  - name: home
    request: {url: http://shop.example.com/}
    expect: {stauts: 200}
```

## Fix
Spell the key as the schema does (`status`); the message suggests the closest known key."#
);

declare_rule!(
    INVALID_VALUE,
    "GW803",
    "invalid-test-value",
    Correctness,
    Error,
    "a test file's value has the wrong type or is not one gwctl accepts",
    r#"## What it checks
The type of each value of a `gwctl test` file (a status is an integer, `cases` a list, a
backend a mapping with a `name`), the values an enumeration allows (`outcome`), and that
every case has a `name` and a `request` with a `url`.

## Why it matters
A case whose expectation cannot be read cannot be checked; gwctl reports it and runs the
other cases.

## Example
```yaml
cases:
  - name: home
    request: {url: http://shop.example.com/}
    expect: {status: ok}
```

## Fix
Write the value with the type the message names (`status: 200`)."#
);

declare_rule!(
    INVALID_REQUEST,
    "GW804",
    "invalid-test-request",
    Correctness,
    Error,
    "a test case's request is one `gwctl simulate` would refuse",
    r#"## What it checks
A case's request goes through the same checks as `gwctl simulate`'s flags (the names of the
request's keys are the flags' names): a URL with a scheme and host, valid headers and
cookies, a gRPC `SERVICE/METHOD`, an existing `gateway` when one is named, an SNI only for
https.

## Why it matters
A request that cannot be simulated has no answer to compare, so the case cannot pass.

## Example
```yaml
cases:
  - name: home
    request: {url: shop.example.com/}
```

## Fix
Write the request as the message says (`url: http://shop.example.com/`)."#
);

declare_rule!(
    BACKEND_NOT_IN_MANIFESTS,
    "GW805",
    "expected-backend-not-in-manifests",
    Suspicious,
    Warning,
    "a test case expects a backend that no route of the manifests names",
    r#"## What it checks
Each backend and mirror a case expects (by kind, namespace and name, as far as written) is
named by some route's `backendRefs` or `requestMirror` in the manifests.

## Why it matters
A request can only reach a backend a route names: the case can never pass, and it is more
likely the expectation is misspelt than that the manifests lack the backend.

## Example
```yaml
    expect:
      backends: [{name: api-v3}]   # no route names api-v3
```

## Fix
Correct the backend's name or namespace in the test, or add the route that sends to it."#
);

declare_rule!(
    DUPLICATE_CASE,
    "GW806",
    "duplicate-test-case",
    Correctness,
    Error,
    "two cases of a test file have the same name",
    r#"## What it checks
That the case names of a `gwctl test` file are unique.

## Why it matters
A case is named in every report (a JUnit test case, a finding's object), so two cases of one
name cannot be told apart, and CI history mixes them up. `gwctl test --update` finds a case
by its name too.

## Example
```yaml
cases:
  - name: home
    request: {url: http://shop.example.com/}
  - name: home
    request: {url: https://shop.example.com/}
```

## Fix
Give each case its own name. Both cases still run."#
);
