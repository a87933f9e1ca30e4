
use builtin;
use str;

set edit:completion:arg-completer[gwctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'gwctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'gwctl'= {
            cand --color 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand lint 'Check manifests and report findings'
            cand simulate 'Show where a request goes through the Gateways (or the mesh) in the manifests, and why'
            cand test 'Check routing expectations: run each case of the test files through the manifests, as `simulate` would, and report every expectation that does not hold'
            cand migrate 'Move manifests on old Gateway API versions to the versions a release serves, keeping comments and formatting'
            cand upgrade 'Report what moving the Gateway API CRDs from one release to another breaks'
            cand features 'Show the Gateway API conformance features the manifests need, field by field'
            cand implementations 'Show which implementations support every conformance feature the manifests need'
            cand graph 'Draw the routing: GatewayClasses, Gateways, listeners, routes, rules and backends'
            cand rules 'List every rule gwctl checks: code, name, default severity and summary'
            cand explain 'Print the documentation of one rule, by code (GW030) or name (duplicate-object)'
            cand completions 'Print a shell completion script'
            cand man 'Print gwctl''s manual page (roff) to stdout, or a subcommand''s, or write them all'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gwctl;lint'= {
            cand -o 'How to print findings on stdout'
            cand --output-format 'How to print findings on stdout'
            cand --output 'Also write findings in FORMAT to PATH, as in `--output sarif=gwctl.sarif`. Repeatable, so that one run feeds several CI systems. A file is replaced atomically (written beside it, then renamed), so a reader never sees half of it. PATH `-` is stdout, in place of --output-format'
            cand -n 'Namespace of objects that do not name one, as `kubectl apply -n` would use [default: default]. With --cluster, also the only namespace read [default: the kubeconfig context''s namespace]'
            cand --namespace 'Namespace of objects that do not name one, as `kubectl apply -n` would use [default: default]. With --cluster, also the only namespace read [default: the kubeconfig context''s namespace]'
            cand --max-file-size 'Refuse files larger than this (they are reported, not read): bytes, or with a binary unit (K, M, G: KiB, MiB, GiB, as in 512K or 10MiB); at most 4G'
            cand --max-total-size 'Read at most this much from all inputs together (same units as --max-file-size); files past it are reported (GW014), not read'
            cand --max-objects 'Check at most this many objects (documents and List items) in one run; the rest are reported (GW015), not checked'
            cand --gateway-api-version 'The Gateway API release your cluster runs (v1.1.0 to v1.6.1; a minor such as v1.5 means its newest patch): it fixes which kinds, versions, fields, defaults and rules exist. [default: the configuration file''s `gatewayAPIVersion`; with --cluster, the installed CRDs'' bundle version; else the newest release gwctl knows]'
            cand --channel 'The Gateway API release channel your cluster installs. Under `standard`, kinds, versions and fields of the experimental channel are errors that say so. [default: standard, or the configuration file''s `channel`]'
            cand --crds 'CustomResourceDefinition manifests (files or folders) whose schemas are added to, or replace, the bundled ones: a newer Gateway API release, or an implementation''s own policy kinds. Repeatable'
            cand --kubernetes-version 'The Kubernetes version the cluster runs, such as 1.31 (v1.31 and 1.31.2 are read too): a finding when it lacks what the Gateway API release''s CRDs use (GW605) or is older than the release supports (GW606). [default: the configuration file''s `kubernetesVersion`; with --cluster, the API server''s]'
            cand --fail-on 'The lowest severity that makes the exit status 1. [default: error, or the configuration file''s `failOn`]'
            cand --config 'Read this configuration file instead of the nearest `.gwctl.yaml` found from the working directory upward'
            cand --select 'Report only these rules: codes (GW311), code prefixes (GW3 for every reference rule) or names (backend-port-not-found). Comma-separated or repeated'
            cand --ignore 'Never report these rules (same forms as --select)'
            cand --context 'Read a file or folder as context: its objects resolve the PATHs'' references, and only the PATHs are reported on. Repeatable. With --cluster: the kubeconfig context [default: the current context]'
            cand --implementation 'Check every field that needs a conformance feature against this implementation''s bundled conformance report (GW701–GW703): NAME (its newest report for the lint''s release, such as `envoy-gateway`, `istio`, `cilium`) or NAME@VERSION (`envoy-gateway@v1.9.0`). [default: the configuration file''s `implementation`; with --cluster, each Gateway''s GatewayClass `status.supportedFeatures`]'
            cand --conformance-report 'Check every field that needs a conformance feature against this ConformanceReport file, such as your own run of the conformance suite (GW701–GW703). [default: the configuration file''s `conformanceReport`]'
            cand --kubeconfig 'The kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account]'
            cand --request-timeout 'The longest to wait for any one API request, such as 30s, 2m or 500ms'
            cand --color 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never'
            cand --no-progress 'Show no progress line. Without it, a run that takes more than a second shows files read and objects checked on stderr, when stderr is a terminal and neither `CI` nor `GWCTL_NO_PROGRESS` is set (nor `TERM=dumb`)'
            cand --complete 'The inputs are the whole state (every Service, Secret, Namespace... is in them): a reference to an object that is not in the inputs is an error, not a warning, and `simulate` treats a backend Service that is not in them as missing (HTTP 500)'
            cand --no-context 'Do not read the configuration file''s `context:` (--context PATHs still count): lint the named PATHs on their own, as before context existed'
            cand --fix 'Apply the safe fixes of the findings to the files, in place (only the fixed values change; comments and formatting are kept), then report what remains. With stdin, print the fixed text on stdout and the findings on stderr'
            cand --unsafe-fixes 'With --fix, also apply unsafe fixes: corrections that change meaning if gwctl''s guess is wrong (a field renamed to one two edits away)'
            cand --diff 'With --fix, write nothing: print a unified diff of the fixes on stdout. Exit status 1 when there is something to fix'
            cand --cluster 'Read what is running in the cluster of the kubeconfig (read-only). PATHs given too are put over the live state (lint: findings say whether they are new, existing or fixed). The live state is complete: missing references are errors'
            cand -A 'Read every namespace instead of one'
            cand --all-namespaces 'Read every namespace instead of one'
            cand --fail-on-new 'Set the exit status from the findings the PATHs introduce (new) only, ignoring those already in the cluster'
            cand --only-new 'Print only the findings the PATHs introduce (new); implies --fail-on-new'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gwctl;simulate'= {
            cand --url 'The request: scheme://host[:port]/path?query. The port (default 80 for http, 443 for https) selects listeners; the host is the Host header and SNI. A TLS, TCP or UDP connection to TLSRoutes, TCPRoutes or UDPRoutes: tls://host[:port] (SNI host, port 443 by default), tcp://host:port, udp://host:port'
            cand -X 'The request method (POST for --grpc). OPTIONS with `Origin` and `Access-Control-Request-Method` headers is a CORS preflight'
            cand --method 'The request method (POST for --grpc). OPTIONS with `Origin` and `Access-Control-Request-Method` headers is a CORS preflight'
            cand -H 'A request header, `Name: value`. Repeatable'
            cand --header 'A request header, `Name: value`. Repeatable'
            cand --cookie 'A cookie the client sends, `name=value`. Repeatable'
            cand --sni 'The SNI of an https request''s connection, when it is not the URL''s host: a client reusing a connection set up for another host. When SNI and Host select different HTTPS listeners the answer is 421 Misdirected Request (GEP-3567)'
            cand --grpc 'Simulate a gRPC call SERVICE/METHOD against GRPCRoutes (path /SERVICE/METHOD, POST)'
            cand --gateway 'The Gateway that receives the request; needed only when several listen on the port'
            cand --service 'Simulate a mesh (GAMMA) request to this Service instead of a Gateway. The port defaults to the URL''s'
            cand --from-namespace 'The caller''s namespace for a mesh request: consumer routes apply only to callers in their own namespace. [default: the --namespace value]'
            cand --requests 'Send this many requests and show how they spread over the backends (at most 100000)'
            cand --seed 'Seed of the spread for --requests; the same seed gives the same spread'
            cand -o 'How to print the trace'
            cand --output-format 'How to print the trace'
            cand --save-test 'Also append the request and today''s answer as a case to this `gwctl test` file (created when missing), keeping the file''s text and comments: a snapshot of the routing that `gwctl test` then keeps true'
            cand -n 'Namespace of objects that do not name one, as `kubectl apply -n` would use'
            cand --namespace 'Namespace of objects that do not name one, as `kubectl apply -n` would use'
            cand --max-file-size 'Refuse files larger than this (they are reported, not read): bytes, or with a binary unit (K, M, G: KiB, MiB, GiB, as in 512K or 10MiB); at most 4G'
            cand --max-total-size 'Read at most this much from all inputs together (same units as --max-file-size); files past it are reported (GW014), not read'
            cand --max-objects 'Check at most this many objects (documents and List items) in one run; the rest are reported (GW015), not checked'
            cand --gateway-api-version 'The Gateway API release your cluster runs (v1.1.0 to v1.6.1; a minor such as v1.5 means its newest patch): it fixes which kinds, versions, fields, defaults and rules exist. [default: the configuration file''s `gatewayAPIVersion`; with --cluster, the installed CRDs'' bundle version; else the newest release gwctl knows]'
            cand --channel 'The Gateway API release channel your cluster installs. Under `standard`, kinds, versions and fields of the experimental channel are errors that say so. [default: standard, or the configuration file''s `channel`]'
            cand --crds 'CustomResourceDefinition manifests (files or folders) whose schemas are added to, or replace, the bundled ones: a newer Gateway API release, or an implementation''s own policy kinds. Repeatable'
            cand --kubeconfig 'The kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account]'
            cand --request-timeout 'The longest to wait for any one API request, such as 30s, 2m or 500ms'
            cand --context 'The kubeconfig context to use [default: the current context]'
            cand --color 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never'
            cand --complete 'The inputs are the whole state (every Service, Secret, Namespace... is in them): a reference to an object that is not in the inputs is an error, not a warning, and `simulate` treats a backend Service that is not in them as missing (HTTP 500)'
            cand --cluster 'Read what is running in the cluster of the kubeconfig (read-only). PATHs given too are put over the live state (lint: findings say whether they are new, existing or fixed). The live state is complete: missing references are errors'
            cand -A 'Read every namespace instead of one'
            cand --all-namespaces 'Read every namespace instead of one'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gwctl;test'= {
            cand --manifests 'Manifests (files or folders, as for `lint`) the cases run through, besides those each test file names under `manifests:`. Repeatable'
            cand -o 'How to print the results on stdout'
            cand --output-format 'How to print the results on stdout'
            cand --output 'Also write the results in FORMAT to PATH, as in `--output junit=routing.xml`. Repeatable; as for `lint`'
            cand -n 'Namespace of objects that do not name one, and the caller''s namespace of mesh requests that name none'
            cand --namespace 'Namespace of objects that do not name one, and the caller''s namespace of mesh requests that name none'
            cand --max-file-size 'Refuse files larger than this (they are reported, not read): bytes, or with a binary unit (K, M, G: KiB, MiB, GiB, as in 512K or 10MiB); at most 4G'
            cand --max-total-size 'Read at most this much from all inputs together (same units as --max-file-size); files past it are reported (GW014), not read'
            cand --max-objects 'Check at most this many objects (documents and List items) in one run; the rest are reported (GW015), not checked'
            cand --gateway-api-version 'The Gateway API release your cluster runs (v1.1.0 to v1.6.1; a minor such as v1.5 means its newest patch): it fixes which kinds, versions, fields, defaults and rules exist. [default: the configuration file''s `gatewayAPIVersion`; with --cluster, the installed CRDs'' bundle version; else the newest release gwctl knows]'
            cand --channel 'The Gateway API release channel your cluster installs. Under `standard`, kinds, versions and fields of the experimental channel are errors that say so. [default: standard, or the configuration file''s `channel`]'
            cand --crds 'CustomResourceDefinition manifests (files or folders) whose schemas are added to, or replace, the bundled ones: a newer Gateway API release, or an implementation''s own policy kinds. Repeatable'
            cand --kubeconfig 'The kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account]'
            cand --request-timeout 'The longest to wait for any one API request, such as 30s, 2m or 500ms'
            cand --context 'The kubeconfig context to use [default: the current context]'
            cand --color 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never'
            cand --update 'Rewrite the expectations of failing cases with the answer the manifests give now (the same keys, today''s values), print the diff, write each file atomically, then report on the updated files. Comments inside a rewritten `expect` are not kept'
            cand --complete 'The inputs are the whole state (every Service, Secret, Namespace... is in them): a reference to an object that is not in the inputs is an error, not a warning, and `simulate` treats a backend Service that is not in them as missing (HTTP 500)'
            cand --cluster 'Read what is running in the cluster of the kubeconfig (read-only). PATHs given too are put over the live state (lint: findings say whether they are new, existing or fixed). The live state is complete: missing references are errors'
            cand -A 'Read every namespace instead of one'
            cand --all-namespaces 'Read every namespace instead of one'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gwctl;migrate'= {
            cand --to 'The Gateway API release to move the manifests to (v1.1.0 to v1.6.1; a minor such as v1.5 means its newest patch): every object goes to the version that release serves, chaining steps in one run. An object the release cannot hold (a kind or field only newer releases have) is refused. `--gateway-api-version` is accepted as another name. [default: the configuration file''s `gatewayAPIVersion`, else the newest release gwctl knows]'
            cand --max-file-size 'Refuse files larger than this: bytes, or with a binary unit (K, M, G: KiB, MiB, GiB, as in 512K or 10MiB); at most 4G'
            cand --max-total-size 'Read at most this much from all inputs together (same units as --max-file-size); files past it are reported and left unchanged'
            cand --color 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never'
            cand --diff 'Print a unified diff of what would change instead of the migrated text (the default when there are several inputs)'
            cand -w 'Rewrite the files in place, atomically, keeping their permissions. A file with a refused object is not changed at all'
            cand --write 'Rewrite the files in place, atomically, keeping their permissions. A file with a refused object is not changed at all'
            cand --check 'Change nothing: print a diff of what would change and exit 1 if anything would (for CI)'
            cand --to-v1 'Also move GatewayClass, Gateway and HTTPRoute from v1beta1 to v1, and ReferenceGrant from v1beta1 to v1 for v1.5 and later. Every release still serves v1beta1, with the same schema (and ReferenceGrant is still stored as v1beta1), so this move is optional'
            cand --drop-removed-fields 'Drop the fields the target release removed (each is listed) instead of refusing the objects that set them'
            cand --no-progress 'Show no progress line. Without it, a run that takes more than a second shows files migrated on stderr, when stderr is a terminal and neither `CI` nor `GWCTL_NO_PROGRESS` is set (nor `TERM=dumb`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gwctl;upgrade'= {
            cand --from 'The Gateway API release installed now (v1.1.0 to v1.6.1, or a minor such as v1.3). [default: the bundle version the installed CRDs are annotated with, from the cluster with --cluster, or from CRDs in the inputs (`kubectl get crd -o yaml`); required when neither says]'
            cand --to 'The Gateway API release to install. [default: the newest release gwctl knows]'
            cand --from-channel 'The channel installed now. [default: the installed CRDs'' channel annotation, else standard]'
            cand --channel 'The channel to install. [default: the channel installed now]'
            cand --kubernetes-version 'The Kubernetes version the cluster runs, such as 1.31: a finding when it lacks what the target release''s CRDs use (GW605) or is older than the release supports (GW606). [default: with --cluster, the API server''s]'
            cand -o 'How to print findings on stdout'
            cand --output-format 'How to print findings on stdout'
            cand --output 'Also write findings in FORMAT to PATH, as in `--output sarif=upgrade.sarif`. Repeatable; PATH `-` is stdout, in place of --output-format'
            cand -n 'Namespace of objects that do not name one [default: default]. With --cluster, also the only namespace read [default: the kubeconfig context''s namespace]'
            cand --namespace 'Namespace of objects that do not name one [default: default]. With --cluster, also the only namespace read [default: the kubeconfig context''s namespace]'
            cand --max-file-size 'Refuse files larger than this (they are reported, not read): bytes, or with a binary unit (K, M, G: KiB, MiB, GiB, as in 512K or 10MiB); at most 4G'
            cand --max-total-size 'Read at most this much from all inputs together (same units as --max-file-size); files past it are reported (GW014), not read'
            cand --max-objects 'Check at most this many objects (documents and List items) in one run; the rest are reported (GW015), not checked'
            cand --kubeconfig 'The kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account]'
            cand --request-timeout 'The longest to wait for any one API request, such as 30s, 2m or 500ms'
            cand --context 'The kubeconfig context to use [default: the current context]'
            cand --color 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never'
            cand --cluster 'Read what is running in the cluster of the kubeconfig (read-only). PATHs given too are put over the live state (lint: findings say whether they are new, existing or fixed). The live state is complete: missing references are errors'
            cand -A 'Read every namespace instead of one'
            cand --all-namespaces 'Read every namespace instead of one'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gwctl;features'= {
            cand -o 'How to print the result on stdout'
            cand --output-format 'How to print the result on stdout'
            cand --gateway-api-version 'The Gateway API release whose features (and, for `implementations`, whose conformance reports) count (v1.1.0 to v1.6.1; a minor means its newest patch). [default: the nearest .gwctl.yaml''s `gatewayAPIVersion`, else the newest release gwctl knows]'
            cand -n 'Namespace of objects that do not name one [default: default]: a reference into another namespace needs a ReferenceGrant'
            cand --namespace 'Namespace of objects that do not name one [default: default]: a reference into another namespace needs a ReferenceGrant'
            cand --max-file-size 'Refuse files larger than this (they are reported, not read): bytes, or with a binary unit (K, M, G: KiB, MiB, GiB, as in 512K or 10MiB); at most 4G'
            cand --max-total-size 'Read at most this much from all inputs together (same units as --max-file-size); files past it are reported (GW014), not read'
            cand --max-objects 'Check at most this many objects (documents and List items) in one run; the rest are reported (GW015), not checked'
            cand --color 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gwctl;implementations'= {
            cand -o 'How to print the result on stdout'
            cand --output-format 'How to print the result on stdout'
            cand --gateway-api-version 'The Gateway API release whose features (and, for `implementations`, whose conformance reports) count (v1.1.0 to v1.6.1; a minor means its newest patch). [default: the nearest .gwctl.yaml''s `gatewayAPIVersion`, else the newest release gwctl knows]'
            cand -n 'Namespace of objects that do not name one [default: default]: a reference into another namespace needs a ReferenceGrant'
            cand --namespace 'Namespace of objects that do not name one [default: default]: a reference into another namespace needs a ReferenceGrant'
            cand --max-file-size 'Refuse files larger than this (they are reported, not read): bytes, or with a binary unit (K, M, G: KiB, MiB, GiB, as in 512K or 10MiB); at most 4G'
            cand --max-total-size 'Read at most this much from all inputs together (same units as --max-file-size); files past it are reported (GW014), not read'
            cand --max-objects 'Check at most this many objects (documents and List items) in one run; the rest are reported (GW015), not checked'
            cand --color 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gwctl;graph'= {
            cand -o 'How to draw it'
            cand --output-format 'How to draw it'
            cand --gateway 'Keep only what touches this Gateway: its class, listeners, the routes that reach it (or are refused by it), their rules, backends and policies. Repeatable; with other filters, what touches all of them is kept'
            cand --route 'Keep only what touches this route (of any kind): its parents, rules, backends and policies. Repeatable'
            cand -n 'Keep only what touches the objects of this namespace (objects that name none are in `default`). Repeatable. With --cluster, also the namespace read (one only)'
            cand --namespace 'Keep only what touches the objects of this namespace (objects that name none are in `default`). Repeatable. With --cluster, also the namespace read (one only)'
            cand --max-file-size 'Refuse files larger than this (they are reported, not read): bytes, or with a binary unit (K, M, G: KiB, MiB, GiB, as in 512K or 10MiB); at most 4G'
            cand --max-total-size 'Read at most this much from all inputs together (same units as --max-file-size); files past it are reported (GW014), not read'
            cand --max-objects 'Check at most this many objects (documents and List items) in one run; the rest are reported (GW015), not checked'
            cand --gateway-api-version 'The Gateway API release your cluster runs (v1.1.0 to v1.6.1; a minor such as v1.5 means its newest patch): it fixes which kinds, versions, fields, defaults and rules exist. [default: the configuration file''s `gatewayAPIVersion`; with --cluster, the installed CRDs'' bundle version; else the newest release gwctl knows]'
            cand --channel 'The Gateway API release channel your cluster installs. Under `standard`, kinds, versions and fields of the experimental channel are errors that say so. [default: standard, or the configuration file''s `channel`]'
            cand --crds 'CustomResourceDefinition manifests (files or folders) whose schemas are added to, or replace, the bundled ones: a newer Gateway API release, or an implementation''s own policy kinds. Repeatable'
            cand --kubeconfig 'The kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account]'
            cand --request-timeout 'The longest to wait for any one API request, such as 30s, 2m or 500ms'
            cand --context 'The kubeconfig context to use [default: the current context]'
            cand --color 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never'
            cand --complete 'The inputs are the whole state (every Service, Secret, Namespace... is in them): a reference to an object that is not in the inputs is an error, not a warning, and `simulate` treats a backend Service that is not in them as missing (HTTP 500)'
            cand --cluster 'Read what is running in the cluster of the kubeconfig (read-only). PATHs given too are put over the live state (lint: findings say whether they are new, existing or fixed). The live state is complete: missing references are errors'
            cand -A 'Read every namespace instead of one'
            cand --all-namespaces 'Read every namespace instead of one'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gwctl;rules'= {
            cand -o 'o'
            cand --output-format 'output-format'
            cand --color 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never'
            cand --cel 'List the CRDs'' CEL validation rules instead: kind, field, gwctl''s message, and the releases and channels that have the rule'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gwctl;explain'= {
            cand --color 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gwctl;completions'= {
            cand --color 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gwctl;man'= {
            cand --dir 'Write gwctl.1 and a page per subcommand (gwctl-lint.1, ...) into this folder instead of printing one page'
            cand --color 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gwctl;help'= {
            cand lint 'Check manifests and report findings'
            cand simulate 'Show where a request goes through the Gateways (or the mesh) in the manifests, and why'
            cand test 'Check routing expectations: run each case of the test files through the manifests, as `simulate` would, and report every expectation that does not hold'
            cand migrate 'Move manifests on old Gateway API versions to the versions a release serves, keeping comments and formatting'
            cand upgrade 'Report what moving the Gateway API CRDs from one release to another breaks'
            cand features 'Show the Gateway API conformance features the manifests need, field by field'
            cand implementations 'Show which implementations support every conformance feature the manifests need'
            cand graph 'Draw the routing: GatewayClasses, Gateways, listeners, routes, rules and backends'
            cand rules 'List every rule gwctl checks: code, name, default severity and summary'
            cand explain 'Print the documentation of one rule, by code (GW030) or name (duplicate-object)'
            cand completions 'Print a shell completion script'
            cand man 'Print gwctl''s manual page (roff) to stdout, or a subcommand''s, or write them all'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gwctl;help;lint'= {
        }
        &'gwctl;help;simulate'= {
        }
        &'gwctl;help;test'= {
        }
        &'gwctl;help;migrate'= {
        }
        &'gwctl;help;upgrade'= {
        }
        &'gwctl;help;features'= {
        }
        &'gwctl;help;implementations'= {
        }
        &'gwctl;help;graph'= {
        }
        &'gwctl;help;rules'= {
        }
        &'gwctl;help;explain'= {
        }
        &'gwctl;help;completions'= {
        }
        &'gwctl;help;man'= {
        }
        &'gwctl;help;help'= {
        }
    ]
    $completions[$command]
}
