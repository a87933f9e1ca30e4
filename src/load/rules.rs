//! The input findings (GW0xx): what the loader reports about files and documents before any
//! object is validated. Each entry is the only copy of that finding's documentation.

use crate::declare_rule;

declare_rule!(
    INVALID_YAML,
    "GW001",
    "invalid-yaml",
    Input,
    Error,
    "the document is not valid YAML",
    "## What it checks\nThat every document parses as YAML. The finding points at the position where the parser gave up; gwctl skips that document and goes on with the next one after `---`.\n\n## Why it matters\n`kubectl apply` refuses the whole file.\n\n## Example\n```yaml\nspec:\n\tlisteners: []   # a tab used for indentation\n```\n\n## Fix\nCorrect the syntax at the position shown. YAML indents with spaces only."
);

declare_rule!(
    DUPLICATE_KEY,
    "GW002",
    "duplicate-key",
    Input,
    Error,
    "a mapping has the same key twice",
    "## What it checks\nThat no mapping repeats a key, merge keys included: a key written beside `<<: *base` that the merged mapping sets too (before or after the `<<`), or a key that two merged mappings (`<<: [*a, *b]`) both set.\n\n## Why it matters\n`kubectl` rejects the file; other tools silently keep one of the values, so what you read is not what is applied. Most YAML tools let a written key override a merged one, but Kubernetes reads YAML strictly: its decoder sets merged keys one by one into the mapping, and the API server refuses a key set twice (`key \"name\" already set in map`).\n\n## Example\n```yaml\nmetadata:\n  name: web\n  name: api\n---\nspec:\n  parentRefs:\n  - <<: *gateway\n    name: internal     # GW002 when the anchored mapping has a name\n```\n\n## Fix\nKeep one of the keys. With a merge key, leave the key out of the anchored mapping, or write the mapping out in full instead of merging it."
);

declare_rule!(
    ALIAS_BUDGET,
    "GW003",
    "alias-expansion-too-large",
    Input,
    Error,
    "aliases expand the document past gwctl's budget",
    "## What it checks\nThat YAML aliases (`*name`) do not multiply the document far beyond its written size, as in the \"billion laughs\" attack.\n\n## Why it matters\nSuch a document exhausts the memory of whatever reads it. gwctl refuses it and goes on.\n\n## Example\n```yaml\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n# ... and so on\n```\n\n## Fix\nWrite repeated values out, or use fewer levels of aliases."
);

declare_rule!(
    TOO_DEEP,
    "GW004",
    "nesting-too-deep",
    Input,
    Error,
    "the document nests deeper than gwctl reads",
    "## What it checks\nThat a document nests at most 200 levels deep.\n\n## Why it matters\nNo Kubernetes object comes close; such input is generated or hostile, and gwctl refuses it rather than risk its stack.\n\n## Example\n```yaml\na: [[[[[[[[[[ ... ]]]]]]]]]]\n```\n\n## Fix\nFlatten the document."
);

declare_rule!(
    COMPLEX_KEY,
    "GW005",
    "non-scalar-key",
    Input,
    Error,
    "a mapping or list is used as a mapping key",
    "## What it checks\nThat every mapping key is a scalar.\n\n## Why it matters\nKubernetes objects are JSON, whose keys are strings; `kubectl` cannot convert such a document.\n\n## Example\n```yaml\n? [a, b]\n: value\n```\n\n## Fix\nUse a string key."
);

declare_rule!(
    UNDEFINED_ALIAS,
    "GW006",
    "undefined-alias",
    Input,
    Error,
    "an alias names no anchor defined before it",
    "## What it checks\nThat every alias (`*name`) refers to an anchor (`&name`) defined earlier in the same document.\n\n## Why it matters\nThe document cannot be read at all.\n\n## Example\n```yaml\nspec: *defaults\n```\n\n## Fix\nDefine the anchor before its first use, in the same document."
);

declare_rule!(
    AMBIGUOUS_SCALAR,
    "GW007",
    "yaml-1.1-scalar",
    Input,
    Warning,
    "a plain value means something else to Kubernetes than to YAML 1.2 tools",
    "## What it checks\nPlain (unquoted) values that YAML 1.1 and YAML 1.2 read differently: `yes`, `no`, `on`, `off`, `y`, `n` (booleans in YAML 1.1), numbers with a leading zero such as `0755` (octal in YAML 1.1), `0b1010` and numbers with underscores.\n\n## Why it matters\nKubernetes reads manifests as YAML 1.1 (kubectl and the API server use go-yaml v2), so `mode: 0644` reaches the cluster as 420 and a header value `on` becomes `true`, while editors, formatters and most other tools show the YAML 1.2 reading. gwctl validates the value Kubernetes sees, and tells you about the difference.\n\n## Example\n```yaml\nvalue: on        # the boolean true, not the string \"on\"\nmode: 0644       # the number 420\n```\n\n## Fix\nQuote the value for a string (`\"on\"`), or write the number in decimal."
);

declare_rule!(
    NON_FINITE_FLOAT,
    "GW008",
    "non-finite-float",
    Input,
    Error,
    "a plain `.inf` or `.nan`, which Kubernetes reads as a number JSON cannot hold",
    "## What it checks\nPlain (unquoted) values spelled `.inf`, `+.inf`, `-.inf` or `.nan` (also `.Inf`, `.INF`, `.NaN`, `.NAN`), and values tagged `!!float` spelled so. YAML 1.1, which Kubernetes reads manifests with, makes them the floats infinity, minus infinity and NaN, wherever they are and whatever the field expects.\n\n## Why it matters\nKubernetes objects travel as JSON, and JSON has no infinite or NaN numbers: kubectl and the API server fail to convert the document (`json: unsupported value: +Inf`) and refuse it as a whole, even where the field is a string. gwctl reads the value as the text written, reports it here, and checks the rest of the object.\n\n## Example\n```yaml\nspec:\n  rules:\n  - filters:\n    - type: RequestHeaderModifier\n      requestHeaderModifier:\n        set:\n        - name: X-Limit\n          value: .inf        # GW008\n```\n\n## Fix\nQuote the value (`value: \".inf\"`) if the text is meant; for a number field, write a finite number. As a mapping key the spelling is harmless: it becomes the string `.inf`."
);

declare_rule!(
    BINARY_FILE,
    "GW011",
    "binary-file",
    Input,
    Error,
    "the file is binary, not YAML or JSON",
    "## What it checks\nThat a file given to gwctl contains text. A file with NUL bytes is binary.\n\n## Why it matters\nA binary file named like a manifest is usually a mistake in what the tool was pointed at.\n\n## Example\nAn image saved as `route.yaml`.\n\n## Fix\nRemove the file from the inputs, or exclude it with `.gitignore` or `.gwctlignore`."
);

declare_rule!(
    NOT_UTF8,
    "GW012",
    "not-utf8",
    Input,
    Error,
    "the file is not valid UTF-8",
    "## What it checks\nThat a file is UTF-8 text. The finding points at the first byte that is not.\n\n## Why it matters\n`kubectl` only accepts UTF-8 manifests.\n\n## Example\nA manifest saved as Latin-1 or UTF-16 by an editor.\n\n## Fix\nSave the file as UTF-8."
);

declare_rule!(
    FILE_TOO_LARGE,
    "GW013",
    "file-too-large",
    Input,
    Error,
    "the file is larger than gwctl reads",
    "## What it checks\nThat a file is at most `--max-file-size` bytes (16 MiB by default).\n\n## Why it matters\nThe API server refuses objects over about 1.5 MiB, so a manifest file of many megabytes is almost always generated data or a mistake; refusing it keeps memory bounded.\n\n## Example\nA 100 MB dump passed by accident.\n\n## Fix\nSplit the file, or raise `--max-file-size` if it really is a manifest stream."
);

declare_rule!(
    INPUTS_TOO_LARGE,
    "GW014",
    "inputs-too-large",
    Input,
    Error,
    "the inputs together are larger than gwctl reads in one run",
    "## What it checks\nThat all inputs of one run together are at most `--max-total-size` bytes (256 MiB by default). Inputs are counted in the order given (folders in path order); the first file that would go past the limit, and every later one that does, is reported and not read.\n\n## Why it matters\nIt keeps gwctl's memory bounded whatever a folder holds.\n\n## Example\n`gwctl lint /` by accident.\n\n## Fix\nLint fewer files at a time, or raise `--max-total-size`."
);

declare_rule!(
    TOO_MANY_OBJECTS,
    "GW015",
    "too-many-objects",
    Input,
    Error,
    "the inputs hold more objects than gwctl checks in one run",
    "## What it checks\nThat the inputs of one run hold at most `--max-objects` objects (100,000 by default), counting every document and every item of a `kind: List`. A stream with more documents is read only up to the limit; objects past the limit are not checked, and one finding says where gwctl stopped.\n\n## Why it matters\nA million tiny documents in a few megabytes would otherwise exhaust memory; no real set of manifests comes close.\n\n## Example\nA generated stream of a million `---` separated documents.\n\n## Fix\nLint fewer objects at a time, or raise `--max-objects`."
);

declare_rule!(
    NOT_A_MAPPING,
    "GW020",
    "document-not-mapping",
    Input,
    Error,
    "a document is not a mapping, so it is not a Kubernetes object",
    "## What it checks\nThat every non-empty document (and every item of a `kind: List`) is a mapping.\n\n## Why it matters\n`kubectl` rejects the file.\n\n## Example\n```yaml\n- apiVersion: v1\n  kind: Service\n```\n\n## Fix\nWrite one object per document, separated by `---`, or wrap the objects in a `kind: List`."
);

declare_rule!(
    INVALID_API_VERSION,
    "GW021",
    "invalid-api-version",
    Input,
    Error,
    "`apiVersion` is missing or malformed",
    "## What it checks\nThat every object has `apiVersion` as a string of the form `group/version` (or `version` for the core group).\n\n## Why it matters\nWithout it the API server cannot tell what the object is.\n\n## Example\n```yaml\napiVersion: gateway.networking.k8s.io\nkind: HTTPRoute\n```\n\n## Fix\nWrite the full group and version, such as `gateway.networking.k8s.io/v1`."
);

declare_rule!(
    INVALID_KIND,
    "GW022",
    "invalid-kind",
    Input,
    Error,
    "`kind` is missing or malformed",
    "## What it checks\nThat every object has `kind` as a CamelCase name.\n\n## Why it matters\nWithout it the API server cannot tell what the object is.\n\n## Example\n```yaml\napiVersion: v1\nmetadata:\n  name: web\n```\n\n## Fix\nAdd the kind, such as `kind: Service`."
);

declare_rule!(
    INVALID_NAME,
    "GW023",
    "invalid-metadata-name",
    Input,
    Error,
    "`metadata.name` is missing or not a valid name",
    "## What it checks\nThat every object has `metadata.name`, and that it is a valid Kubernetes name: lower-case letters, digits, `-` and `.` (at most 253 characters; Services and Namespaces: a label of at most 63 characters without `.`, and Services must start with a letter).\n\n## Why it matters\nThe API server rejects the object, and nothing can refer to an object without a name.\n\n## Example\n```yaml\nmetadata:\n  name: My_Route\n```\n\n## Fix\nUse a lower-case DNS name such as `my-route`."
);

declare_rule!(
    INVALID_NAMESPACE,
    "GW024",
    "invalid-metadata-namespace",
    Input,
    Error,
    "`metadata.namespace` is not a valid namespace name",
    "## What it checks\nThat `metadata.namespace`, when set, is a string that is a valid namespace name (a DNS label: lower-case letters, digits and `-`, at most 63 characters).\n\n## Why it matters\nThe API server rejects the object.\n\n## Example\n```yaml\nmetadata:\n  namespace: Team_A\n```\n\n## Fix\nUse the namespace's real name, such as `team-a`."
);

declare_rule!(
    DUPLICATE_OBJECT,
    "GW030",
    "duplicate-object",
    Input,
    Error,
    "the same object is defined more than once",
    "## What it checks\nThat no two inputs define the same object: the same API group, kind, namespace and name (objects without a namespace count as being in the default namespace; the API version does not matter, since `v1` and `v1beta1` of a kind are one object).\n\n## Why it matters\nWhichever is applied last silently replaces the other.\n\n## Example\nTwo files that both define `HTTPRoute default/web`.\n\n## Fix\nDelete or rename one of them."
);

declare_rule!(
    UNSERVED_VERSION,
    "GW040",
    "unserved-api-version",
    Input,
    Error,
    "a Gateway API kind at a version this Gateway API release does not serve",
    "## What it checks\nThat every Gateway API object uses a kind and version that the chosen Gateway API release (`--gateway-api-version`, default the newest gwctl knows) serves in the selected channel, and says when a version or kind was added or removed (GRPCRoute `v1alpha2` was removed in v1.2, ListenerSet came in v1.5); for a kind described by a CustomResourceDefinition you pass with `--crds`, that it uses a version the CRD serves (the finding names the CRD and the versions it serves).\n\n## Why it matters\nThe API server answers `no matches for kind` and the object is never created. BackendTLSPolicy `v1alpha2` was served by v1.0 only; GRPCRoute `v1alpha2` and ReferenceGrant `v1alpha2` were removed in v1.2; TLSRoute `v1alpha2` is served only by the experimental channel from v1.5.\n\n## Example\n```yaml\napiVersion: gateway.networking.k8s.io/v1alpha2\nkind: BackendTLSPolicy\n```\n\n## Fix\nMove to a served version; for Gateway API kinds `gwctl migrate` rewrites the manifests for you."
);

declare_rule!(
    UNKNOWN_KIND,
    "GW041",
    "unknown-gateway-api-kind",
    Input,
    Error,
    "a kind that the Gateway API group does not define",
    "## What it checks\nThat every object in the `gateway.networking.k8s.io` group is one of its kinds.\n\n## Why it matters\nThe API server answers `no matches for kind`; usually the kind is misspelt or wrongly capitalised.\n\n## Example\n```yaml\napiVersion: gateway.networking.k8s.io/v1\nkind: HttpRoute\n```\n\n## Fix\nUse the kind's exact name, such as `HTTPRoute`."
);

declare_rule!(
    EMPTY_INPUT,
    "GW050",
    "no-objects",
    Input,
    Info,
    "a file contains no Kubernetes objects",
    "## What it checks\nThat every file gwctl reads holds at least one object.\n\n## Why it matters\nAn empty manifest is harmless but usually a leftover.\n\n## Example\nA file holding only comments or `---`.\n\n## Fix\nDelete the file, or exclude it from the inputs."
);
