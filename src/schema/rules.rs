//! The finding codes of structural schema validation (GW1xx) and their documentation.
//!
//! One rule per code the validator emits; the validator reports findings with these, so a
//! code is written once.

use crate::declare_rule;

declare_rule!(
    UNKNOWN_FIELD,
    "GW101",
    "unknown-field",
    Schema,
    Error,
    fix: "renames the field to the one known field it is close to",
    "a field the schema does not define",
    "## What it checks\n\
     Every field of a Gateway API object must be defined by the kind's schema. Under \
     `metadata`, the fields are those every Kubernetes object has (`name`, `namespace`, \
     `labels`, `annotations`, `finalizers`, `ownerReferences`, and those the API server \
     sets), and the fields of owner references and managedFields entries.\n\n\
     ## Why it matters\n\
     `kubectl apply` uses strict field validation: the API server rejects the object. With \
     validation turned off it silently drops the field, so the setting never takes effect.\n\n\
     ## Example\n\
     ```yaml\nspec:\n  listeners:\n  - name: http\n    port: 80\n    protocol: HTTP\n    hostName: example.com   # GW101\n```\n\n\
     ## Fix\n\
     Correct the spelling (`hostname`), or move the field to where the schema defines it.\n\n\
     `gwctl lint --fix` renames the field when exactly one field of the mapping is within \
     two edits of it (or differs only in case) and the mapping does not have that field \
     already. A rename to a field that differs by case, by one edit or by two neighbouring \
     letters swapped (`wieght`) is a safe fix; any other two-edit guess changes meaning if \
     it is wrong, and is applied only with `--unsafe-fixes`."
);

declare_rule!(
    CHANNEL_FIELD,
    "GW102",
    "experimental-only-field",
    Schema,
    Error,
    "a field or value that only the other release channel's CRDs define",
    "## What it checks\n\
     Fields and enum values that the chosen Gateway API release ships only in its \
     experimental channel, such as HTTPRoute `rules[].retry` or `sessionPersistence`, used \
     while linting for the standard channel (or, rarely, the other way round). The message \
     names the releases whose experimental channel has it, and the release that brings it to \
     the standard channel, if any.\n\n\
     ## Why it matters\n\
     A cluster with the standard-channel CRDs does not know the field: the API server rejects \
     the object, or drops the field when field validation is off.\n\n\
     ## Example\n\
     ```yaml\nspec:\n  rules:\n  - sessionPersistence:   # GW102 under the standard channel\n      sessionName: shop\n```\n\n\
     ## Fix\n\
     Install the experimental-channel CRDs and lint with `--channel experimental`, or remove the field."
);

declare_rule!(
    RELEASE_FIELD,
    "GW120",
    "field-not-in-release",
    Schema,
    Error,
    "a field or value that another Gateway API release defines, but not the one linted for",
    "## What it checks\n\
     Fields and enum values that the chosen Gateway API release and channel \
     (`--gateway-api-version`, default the newest gwctl knows) do not define, but an earlier \
     or later release of the channel does: the HTTPRoute CORS filter (`type: CORS`, \
     experimental since v1.3) linted for v1.2, or `sessionPersistence.idleTimeout` (removed \
     in v1.6) linted for v1.6. The message says which releases have it. When the chosen \
     release has it in its other channel, the finding is GW102 instead.\n\n\
     ## Why it matters\n\
     The API server of a cluster with that release's CRDs rejects the object, or drops the \
     field when field validation is off, so the setting never takes effect.\n\n\
     ## Example\n\
     ```yaml\n# gwctl lint --gateway-api-version v1.4\nspec:\n  rules:\n  - filters:\n    - type: CORS\n      cors:            # GW120: needs Gateway API v1.5\n        allowOrigins: [\"https://shop.example\"]\n```\n\n\
     ## Fix\n\
     Lint for the release your cluster runs (`--gateway-api-version`, or `--cluster` to read \
     it from the installed CRDs). If that is right, upgrade the Gateway API CRDs before using \
     the field, or remove it."
);

declare_rule!(
    TYPE,
    "GW103",
    "wrong-value-type",
    Schema,
    Error,
    fix: "quotes a boolean where a string is expected; unquotes an integer",
    "a value of the wrong type (string, integer, list, mapping, ...)",
    "## What it checks\n\
     Each value has the JSON type its schema requires. As in the API server, a whole number \
     written as `80.0` counts as an integer; `\"80\"` is a string and does not.\n\n\
     ## Why it matters\n\
     The API server rejects the object.\n\n\
     ## Example\n\
     ```yaml\n  port: \"80\"   # GW103: expected an integer\n```\n\n\
     ## Fix\n\
     Write the value in the expected type, here `port: 80`.\n\n\
     `gwctl lint --fix` does two of these (safe fixes): where a string is expected and a \
     plain word reads as a boolean (`value: yes`, which YAML 1.1 reads as `true`), it quotes \
     the word as written (`value: \"yes\"`); where an integer is expected and the value is a \
     quoted decimal integer (`port: \"80\"`), it removes the quotes. Fields that take \
     either an integer or a string are left alone."
);

declare_rule!(
    REQUIRED,
    "GW104",
    "missing-required-field",
    Schema,
    Error,
    "a required field is missing",
    "## What it checks\n\
     Fields the schema marks as required, after defaults are applied; and the \
     `apiVersion`, `kind`, `name` and `uid` of every entry of `metadata.ownerReferences`, \
     which must not be empty either.\n\n\
     ## Why it matters\n\
     The API server rejects the object.\n\n\
     ## Example\n\
     ```yaml\nspec:\n  parentRefs:\n  - namespace: infra   # GW104: missing required field \"name\"\n```\n\n\
     ## Fix\n\
     Add the field."
);

declare_rule!(
    ENUM,
    "GW105",
    "value-not-allowed",
    Schema,
    Error,
    fix: "writes the allowed value meant (Prefix → PathPrefix, case)",
    "a value outside the field's list of allowed values",
    "## What it checks\n\
     Fields with a fixed set of values (an `enum`), such as `tls.mode` or a path match `type`.\n\n\
     ## Why it matters\n\
     The API server rejects the object. Values are case-sensitive.\n\n\
     ## Example\n\
     ```yaml\n    tls:\n      mode: terminate   # GW105: expected \"Terminate\" or \"Passthrough\"\n```\n\n\
     ## Fix\n\
     Use one of the values the message lists, spelled exactly.\n\n\
     `gwctl lint --fix` corrects two cases (safe fixes): the Ingress path type `Prefix` \
     becomes `PathPrefix`, and a value that differs from exactly one allowed value only in \
     case is written in that value's case (`terminate` → `Terminate`)."
);

declare_rule!(
    PATTERN,
    "GW106",
    "value-pattern-mismatch",
    Schema,
    Error,
    "a string that does not have the form the field requires",
    "## What it checks\n\
     String fields with a `pattern`: hostnames, names, groups, kinds, header names, durations. \
     Patterns are matched as the API server matches them (an unanchored RE2 search), upstream \
     quirks included.\n\n\
     ## Why it matters\n\
     The API server rejects the object.\n\n\
     ## Example\n\
     ```yaml\n  hostnames:\n  - Example.COM   # GW106: hostnames are lower case\n```\n\n\
     ## Fix\n\
     Rewrite the value in the form the message describes."
);

declare_rule!(
    RANGE,
    "GW107",
    "number-out-of-range",
    Schema,
    Error,
    "a number below the minimum or above the maximum",
    "## What it checks\n\
     `minimum`, `maximum` (exclusive ones too) and `multipleOf`: ports are 1 to 65535, backend \
     weights 0 to 1000000.\n\n\
     ## Why it matters\n\
     The API server rejects the object.\n\n\
     ## Example\n\
     ```yaml\n    port: 70000   # GW107\n```\n\n\
     ## Fix\n\
     Use a number within the bounds the message gives."
);

declare_rule!(
    LENGTH,
    "GW108",
    "string-length-out-of-range",
    Schema,
    Error,
    "a string that is too short or too long",
    "## What it checks\n\
     `minLength` and `maxLength`, counted in Unicode code points as the API server counts them; \
     and the size of `metadata.annotations`, whose keys and values together may take at \
     most 256 KiB (counted in bytes).\n\n\
     ## Why it matters\n\
     The API server rejects the object. An empty string is not the same as leaving the field out.\n\n\
     ## Example\n\
     ```yaml\n  gatewayClassName: \"\"   # GW108: at least 1 character required\n```\n\n\
     ## Fix\n\
     Shorten the value, fill it in, or remove the field if it is optional."
);

declare_rule!(
    ITEMS,
    "GW109",
    "item-count-out-of-range",
    Schema,
    Error,
    "a list with too few or too many items",
    "## What it checks\n\
     `minItems` and `maxItems`: a Gateway needs 1 to 64 listeners, a route at most 16 rules.\n\n\
     ## Why it matters\n\
     The API server rejects the object.\n\n\
     ## Example\n\
     ```yaml\nspec:\n  listeners: []   # GW109\n```\n\n\
     ## Fix\n\
     Add or remove items; split a route with too many rules into several routes."
);

declare_rule!(
    PROPERTIES,
    "GW110",
    "entry-count-out-of-range",
    Schema,
    Error,
    "a mapping with too few or too many entries",
    "## What it checks\n\
     `minProperties` and `maxProperties` on free-form maps, such as at most 16 `tls.options` \
     or 8 infrastructure labels.\n\n\
     ## Why it matters\n\
     The API server rejects the object.\n\n\
     ## Example\n\
     ```yaml\n      options:   # GW110 with 17 entries\n```\n\n\
     ## Fix\n\
     Remove entries."
);

declare_rule!(
    FORMAT,
    "GW111",
    "invalid-format",
    Schema,
    Error,
    "a value that is not a valid IP address, date-time or fixed-size integer",
    "## What it checks\n\
     `format`, as the API server checks each: `ipv4` as the API server's lenient parser \
     reads it (octets with leading zeros, such as `010.1.1.1`, are accepted as decimal, for \
     compatibility with values stored by older Kubernetes versions), `ipv6` as Go's \
     `net.ParseIP` reads it (no zones, no leading zeros in an IPv4 tail), `date-time` as \
     RFC 3339, and that `int32`/`int64` values fit. The timestamps of `metadata` \
     (`creationTimestamp`, `deletionTimestamp`) must be RFC 3339 times as Go reads them.\n\n\
     ## Why it matters\n\
     The API server rejects the object. (A Gateway address that is not an IP address is \
     reported as GW114, since its schema allows several forms.)\n\n\
     ## Example\n\
     ```yaml\n    conditions:\n    - type: Accepted\n      lastTransitionTime: yesterday   # GW111\n```\n\n\
     ## Fix\n\
     Write a valid value, such as `2024-05-08T10:00:00Z`."
);

declare_rule!(
    DUPLICATE_KEY,
    "GW112",
    "duplicate-list-entry-key",
    Schema,
    Error,
    "two entries of a keyed list with the same key",
    "## What it checks\n\
     Lists declared `x-kubernetes-list-type: map` are keyed by some fields: listeners by \
     `name`, header matches and header modifiers by `name`, conditions by `type`, \
     BackendLBPolicy targetRefs by `group`, `kind` and `name`. No two entries may share a key.\n\n\
     ## Why it matters\n\
     The API server rejects the object (\"Duplicate value\"); server-side apply merges such \
     lists entry by entry using the key.\n\n\
     ## Example\n\
     ```yaml\n  listeners:\n  - name: http\n    port: 80\n    protocol: HTTP\n  - name: http   # GW112\n    port: 8080\n    protocol: HTTP\n```\n\n\
     ## Fix\n\
     Rename one entry, or merge the two."
);

declare_rule!(
    DUPLICATE_ITEM,
    "GW113",
    "duplicate-set-item",
    Schema,
    Error,
    "the same value twice in a list that is a set",
    "## What it checks\n\
     Lists declared `x-kubernetes-list-type: set`, such as the header names of a header \
     modifier's `remove`.\n\n\
     ## Why it matters\n\
     The API server rejects the object.\n\n\
     ## Example\n\
     ```yaml\n      remove: [X-Debug, X-Debug]   # GW113\n```\n\n\
     ## Fix\n\
     Remove the repeated value."
);

declare_rule!(
    NO_ALTERNATIVE,
    "GW114",
    "no-matching-alternative",
    Schema,
    Error,
    "a value that fits none of the forms the schema allows (oneOf/anyOf)",
    "## What it checks\n\
     Schemas that allow one of several forms. In Gateway API: an address of type `IPAddress` \
     (the default) must hold an IPv4 or IPv6 address; other address types must not be \
     `IPAddress`.\n\n\
     ## Why it matters\n\
     The API server rejects the object.\n\n\
     ## Example\n\
     ```yaml\n  addresses:\n  - value: gateway.example.com   # GW114: type defaults to IPAddress\n```\n\n\
     ## Fix\n\
     Make the value fit one form: here add `type: Hostname`, or use an IP address."
);

declare_rule!(
    AMBIGUOUS,
    "GW115",
    "ambiguous-alternative",
    Schema,
    Error,
    "a value that fits more than one form where exactly one must fit (oneOf)",
    "## What it checks\n\
     `oneOf` schemas, which require exactly one alternative to fit. Gateway API's own schemas \
     cannot trigger it; CRDs given with `--crds` can.\n\n\
     ## Why it matters\n\
     The API server rejects the object.\n\n\
     ## Example\n\
     A CRD with `oneOf: [{required: [a]}, {required: [b]}]` and an object that sets both `a` and `b`.\n\n\
     ## Fix\n\
     Set only the fields of one alternative."
);

declare_rule!(
    FORBIDDEN,
    "GW116",
    "forbidden-value",
    Schema,
    Error,
    "a value the schema explicitly rules out (not)",
    "## What it checks\n\
     `not` schemas, which forbid a form.\n\n\
     ## Why it matters\n\
     The API server rejects the object.\n\n\
     ## Example\n\
     A CRD with `not: {enum: [legacy]}` on a field set to `legacy`.\n\n\
     ## Fix\n\
     Use another value."
);

declare_rule!(
    METADATA,
    "GW117",
    "invalid-metadata",
    Schema,
    Error,
    "a label, annotation, finalizer, owner reference or generateName the API server refuses",
    "## What it checks\n\
     The parts of `metadata` that the API server validates on every object it stores, \
     whatever the object's schema says:\n\n\
     - label keys, annotation keys and finalizer names: an optional DNS-subdomain prefix \
     and `/` (`example.com/`), then a name of at most 63 letters, digits, `-`, `_` and `.` \
     that starts and ends with a letter or digit (annotation keys may have upper-case \
     prefixes);\n\
     - label values: empty, or at most 63 characters of the same kind;\n\
     - `generateName`: the start of a DNS-subdomain name (a final `-` is allowed);\n\
     - owner references: an `apiVersion` of the form `group/version` or `version`, at most \
     one with `controller: true`, and no `Event` as an owner;\n\
     - the finalizers `orphan` and `foregroundDeletion`, which cannot both be set.\n\n\
     The fields and types of `metadata` are checked too, as GW101 (unknown field) and GW103 \
     (wrong type); a missing owner reference field is GW104, all annotations together over \
     256 KiB GW108. `metadata.name` and `metadata.namespace` are GW023 and GW024.\n\n\
     ## Why it matters\n\
     The API server rejects the object. Labels matter beyond that: selectors (a listener's \
     `allowedRoutes.namespaces.selector`) can only match valid ones.\n\n\
     ## Example\n\
     ```yaml\nmetadata:\n  name: store\n  labels:\n    team: shop front      # GW117: no spaces in label values\n    example.com/tier/x: a # GW117: at most one `/` in a key\n```\n\n\
     ## Fix\n\
     Rewrite the key or value as the message says: `team: shop-front`. Free text belongs \
     in an annotation value, which may hold anything."
);

declare_rule!(
    UNQUALIFIED_FINALIZER,
    "GW118",
    "unqualified-finalizer",
    Schema,
    Warning,
    "a finalizer name without a domain and path, which the API server accepts with a warning",
    "## What it checks\n\
     Finalizer names in `metadata.finalizers` that have no `/`, other than the standard \
     `kubernetes`, `orphan` and `foregroundDeletion`: `cleanup`, or a bare domain such as \
     `cleanup.example.com`.\n\n\
     ## Why it matters\n\
     A finalizer blocks the object's deletion until the controller that owns the name \
     removes it. A name without a domain and path can be claimed by two controllers, which \
     then remove each other's finalizer, or leave it forever. The API server accepts the \
     object but answers with a warning (`prefer a domain-qualified finalizer name`).\n\n\
     ## Example\n\
     ```yaml\nmetadata:\n  finalizers:\n  - cleanup   # GW118\n```\n\n\
     ## Fix\n\
     Use the name the controller that owns the finalizer documents, in the form \
     `domain/name`, such as `gateway.example.com/cleanup`. A controller matches the name \
     exactly, so do not rename a finalizer a controller you run expects; suppress this \
     finding for it instead."
);
