
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'gwctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'gwctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'gwctl' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check manifests and report findings')
            [CompletionResult]::new('simulate', 'simulate', [CompletionResultType]::ParameterValue, 'Show where a request goes through the Gateways (or the mesh) in the manifests, and why')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Check routing expectations: run each case of the test files through the manifests, as `simulate` would, and report every expectation that does not hold')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Move manifests on old Gateway API versions to the versions a release serves, keeping comments and formatting')
            [CompletionResult]::new('upgrade', 'upgrade', [CompletionResultType]::ParameterValue, 'Report what moving the Gateway API CRDs from one release to another breaks')
            [CompletionResult]::new('features', 'features', [CompletionResultType]::ParameterValue, 'Show the Gateway API conformance features the manifests need, field by field')
            [CompletionResult]::new('implementations', 'implementations', [CompletionResultType]::ParameterValue, 'Show which implementations support every conformance feature the manifests need')
            [CompletionResult]::new('graph', 'graph', [CompletionResultType]::ParameterValue, 'Draw the routing: GatewayClasses, Gateways, listeners, routes, rules and backends')
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'List every rule gwctl checks: code, name, default severity and summary')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Print the documentation of one rule, by code (GW030) or name (duplicate-object)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print gwctl''s manual page (roff) to stdout, or a subcommand''s, or write them all')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'gwctl;lint' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print findings on stdout')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'How to print findings on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Also write findings in FORMAT to PATH, as in `--output sarif=gwctl.sarif`. Repeatable, so that one run feeds several CI systems. A file is replaced atomically (written beside it, then renamed), so a reader never sees half of it. PATH `-` is stdout, in place of --output-format')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of objects that do not name one, as `kubectl apply -n` would use [default: default]. With --cluster, also the only namespace read [default: the kubeconfig context''s namespace]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of objects that do not name one, as `kubectl apply -n` would use [default: default]. With --cluster, also the only namespace read [default: the kubeconfig context''s namespace]')
            [CompletionResult]::new('--max-file-size', '--max-file-size', [CompletionResultType]::ParameterName, 'Refuse files larger than this (they are reported, not read): bytes, or with a binary unit (K, M, G: KiB, MiB, GiB, as in 512K or 10MiB); at most 4G')
            [CompletionResult]::new('--max-total-size', '--max-total-size', [CompletionResultType]::ParameterName, 'Read at most this much from all inputs together (same units as --max-file-size); files past it are reported (GW014), not read')
            [CompletionResult]::new('--max-objects', '--max-objects', [CompletionResultType]::ParameterName, 'Check at most this many objects (documents and List items) in one run; the rest are reported (GW015), not checked')
            [CompletionResult]::new('--gateway-api-version', '--gateway-api-version', [CompletionResultType]::ParameterName, 'The Gateway API release your cluster runs (v1.1.0 to v1.6.1; a minor such as v1.5 means its newest patch): it fixes which kinds, versions, fields, defaults and rules exist. [default: the configuration file''s `gatewayAPIVersion`; with --cluster, the installed CRDs'' bundle version; else the newest release gwctl knows]')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'The Gateway API release channel your cluster installs. Under `standard`, kinds, versions and fields of the experimental channel are errors that say so. [default: standard, or the configuration file''s `channel`]')
            [CompletionResult]::new('--crds', '--crds', [CompletionResultType]::ParameterName, 'CustomResourceDefinition manifests (files or folders) whose schemas are added to, or replace, the bundled ones: a newer Gateway API release, or an implementation''s own policy kinds. Repeatable')
            [CompletionResult]::new('--kubernetes-version', '--kubernetes-version', [CompletionResultType]::ParameterName, 'The Kubernetes version the cluster runs, such as 1.31 (v1.31 and 1.31.2 are read too): a finding when it lacks what the Gateway API release''s CRDs use (GW605) or is older than the release supports (GW606). [default: the configuration file''s `kubernetesVersion`; with --cluster, the API server''s]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'The lowest severity that makes the exit status 1. [default: error, or the configuration file''s `failOn`]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this configuration file instead of the nearest `.gwctl.yaml` found from the working directory upward')
            [CompletionResult]::new('--select', '--select', [CompletionResultType]::ParameterName, 'Report only these rules: codes (GW311), code prefixes (GW3 for every reference rule) or names (backend-port-not-found). Comma-separated or repeated')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Never report these rules (same forms as --select)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Read a file or folder as context: its objects resolve the PATHs'' references, and only the PATHs are reported on. Repeatable. With --cluster: the kubeconfig context [default: the current context]')
            [CompletionResult]::new('--implementation', '--implementation', [CompletionResultType]::ParameterName, 'Check every field that needs a conformance feature against this implementation''s bundled conformance report (GW701–GW703): NAME (its newest report for the lint''s release, such as `envoy-gateway`, `istio`, `cilium`) or NAME@VERSION (`envoy-gateway@v1.9.0`). [default: the configuration file''s `implementation`; with --cluster, each Gateway''s GatewayClass `status.supportedFeatures`]')
            [CompletionResult]::new('--conformance-report', '--conformance-report', [CompletionResultType]::ParameterName, 'Check every field that needs a conformance feature against this ConformanceReport file, such as your own run of the conformance suite (GW701–GW703). [default: the configuration file''s `conformanceReport`]')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'The kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account]')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'The longest to wait for any one API request, such as 30s, 2m or 500ms')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Show no progress line. Without it, a run that takes more than a second shows files read and objects checked on stderr, when stderr is a terminal and neither `CI` nor `GWCTL_NO_PROGRESS` is set (nor `TERM=dumb`)')
            [CompletionResult]::new('--complete', '--complete', [CompletionResultType]::ParameterName, 'The inputs are the whole state (every Service, Secret, Namespace... is in them): a reference to an object that is not in the inputs is an error, not a warning, and `simulate` treats a backend Service that is not in them as missing (HTTP 500)')
            [CompletionResult]::new('--no-context', '--no-context', [CompletionResultType]::ParameterName, 'Do not read the configuration file''s `context:` (--context PATHs still count): lint the named PATHs on their own, as before context existed')
            [CompletionResult]::new('--fix', '--fix', [CompletionResultType]::ParameterName, 'Apply the safe fixes of the findings to the files, in place (only the fixed values change; comments and formatting are kept), then report what remains. With stdin, print the fixed text on stdout and the findings on stderr')
            [CompletionResult]::new('--unsafe-fixes', '--unsafe-fixes', [CompletionResultType]::ParameterName, 'With --fix, also apply unsafe fixes: corrections that change meaning if gwctl''s guess is wrong (a field renamed to one two edits away)')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'With --fix, write nothing: print a unified diff of the fixes on stdout. Exit status 1 when there is something to fix')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Read what is running in the cluster of the kubeconfig (read-only). PATHs given too are put over the live state (lint: findings say whether they are new, existing or fixed). The live state is complete: missing references are errors')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Read every namespace instead of one')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Read every namespace instead of one')
            [CompletionResult]::new('--fail-on-new', '--fail-on-new', [CompletionResultType]::ParameterName, 'Set the exit status from the findings the PATHs introduce (new) only, ignoring those already in the cluster')
            [CompletionResult]::new('--only-new', '--only-new', [CompletionResultType]::ParameterName, 'Print only the findings the PATHs introduce (new); implies --fail-on-new')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gwctl;simulate' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'The request: scheme://host[:port]/path?query. The port (default 80 for http, 443 for https) selects listeners; the host is the Host header and SNI. A TLS, TCP or UDP connection to TLSRoutes, TCPRoutes or UDPRoutes: tls://host[:port] (SNI host, port 443 by default), tcp://host:port, udp://host:port')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'The request method (POST for --grpc). OPTIONS with `Origin` and `Access-Control-Request-Method` headers is a CORS preflight')
            [CompletionResult]::new('--method', '--method', [CompletionResultType]::ParameterName, 'The request method (POST for --grpc). OPTIONS with `Origin` and `Access-Control-Request-Method` headers is a CORS preflight')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'A request header, `Name: value`. Repeatable')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'A request header, `Name: value`. Repeatable')
            [CompletionResult]::new('--cookie', '--cookie', [CompletionResultType]::ParameterName, 'A cookie the client sends, `name=value`. Repeatable')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'The SNI of an https request''s connection, when it is not the URL''s host: a client reusing a connection set up for another host. When SNI and Host select different HTTPS listeners the answer is 421 Misdirected Request (GEP-3567)')
            [CompletionResult]::new('--grpc', '--grpc', [CompletionResultType]::ParameterName, 'Simulate a gRPC call SERVICE/METHOD against GRPCRoutes (path /SERVICE/METHOD, POST)')
            [CompletionResult]::new('--gateway', '--gateway', [CompletionResultType]::ParameterName, 'The Gateway that receives the request; needed only when several listen on the port')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Simulate a mesh (GAMMA) request to this Service instead of a Gateway. The port defaults to the URL''s')
            [CompletionResult]::new('--from-namespace', '--from-namespace', [CompletionResultType]::ParameterName, 'The caller''s namespace for a mesh request: consumer routes apply only to callers in their own namespace. [default: the --namespace value]')
            [CompletionResult]::new('--requests', '--requests', [CompletionResultType]::ParameterName, 'Send this many requests and show how they spread over the backends (at most 100000)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed of the spread for --requests; the same seed gives the same spread')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print the trace')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'How to print the trace')
            [CompletionResult]::new('--save-test', '--save-test', [CompletionResultType]::ParameterName, 'Also append the request and today''s answer as a case to this `gwctl test` file (created when missing), keeping the file''s text and comments: a snapshot of the routing that `gwctl test` then keeps true')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of objects that do not name one, as `kubectl apply -n` would use')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of objects that do not name one, as `kubectl apply -n` would use')
            [CompletionResult]::new('--max-file-size', '--max-file-size', [CompletionResultType]::ParameterName, 'Refuse files larger than this (they are reported, not read): bytes, or with a binary unit (K, M, G: KiB, MiB, GiB, as in 512K or 10MiB); at most 4G')
            [CompletionResult]::new('--max-total-size', '--max-total-size', [CompletionResultType]::ParameterName, 'Read at most this much from all inputs together (same units as --max-file-size); files past it are reported (GW014), not read')
            [CompletionResult]::new('--max-objects', '--max-objects', [CompletionResultType]::ParameterName, 'Check at most this many objects (documents and List items) in one run; the rest are reported (GW015), not checked')
            [CompletionResult]::new('--gateway-api-version', '--gateway-api-version', [CompletionResultType]::ParameterName, 'The Gateway API release your cluster runs (v1.1.0 to v1.6.1; a minor such as v1.5 means its newest patch): it fixes which kinds, versions, fields, defaults and rules exist. [default: the configuration file''s `gatewayAPIVersion`; with --cluster, the installed CRDs'' bundle version; else the newest release gwctl knows]')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'The Gateway API release channel your cluster installs. Under `standard`, kinds, versions and fields of the experimental channel are errors that say so. [default: standard, or the configuration file''s `channel`]')
            [CompletionResult]::new('--crds', '--crds', [CompletionResultType]::ParameterName, 'CustomResourceDefinition manifests (files or folders) whose schemas are added to, or replace, the bundled ones: a newer Gateway API release, or an implementation''s own policy kinds. Repeatable')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'The kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account]')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'The longest to wait for any one API request, such as 30s, 2m or 500ms')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use [default: the current context]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never')
            [CompletionResult]::new('--complete', '--complete', [CompletionResultType]::ParameterName, 'The inputs are the whole state (every Service, Secret, Namespace... is in them): a reference to an object that is not in the inputs is an error, not a warning, and `simulate` treats a backend Service that is not in them as missing (HTTP 500)')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Read what is running in the cluster of the kubeconfig (read-only). PATHs given too are put over the live state (lint: findings say whether they are new, existing or fixed). The live state is complete: missing references are errors')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Read every namespace instead of one')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Read every namespace instead of one')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gwctl;test' {
            [CompletionResult]::new('--manifests', '--manifests', [CompletionResultType]::ParameterName, 'Manifests (files or folders, as for `lint`) the cases run through, besides those each test file names under `manifests:`. Repeatable')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print the results on stdout')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'How to print the results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Also write the results in FORMAT to PATH, as in `--output junit=routing.xml`. Repeatable; as for `lint`')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of objects that do not name one, and the caller''s namespace of mesh requests that name none')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of objects that do not name one, and the caller''s namespace of mesh requests that name none')
            [CompletionResult]::new('--max-file-size', '--max-file-size', [CompletionResultType]::ParameterName, 'Refuse files larger than this (they are reported, not read): bytes, or with a binary unit (K, M, G: KiB, MiB, GiB, as in 512K or 10MiB); at most 4G')
            [CompletionResult]::new('--max-total-size', '--max-total-size', [CompletionResultType]::ParameterName, 'Read at most this much from all inputs together (same units as --max-file-size); files past it are reported (GW014), not read')
            [CompletionResult]::new('--max-objects', '--max-objects', [CompletionResultType]::ParameterName, 'Check at most this many objects (documents and List items) in one run; the rest are reported (GW015), not checked')
            [CompletionResult]::new('--gateway-api-version', '--gateway-api-version', [CompletionResultType]::ParameterName, 'The Gateway API release your cluster runs (v1.1.0 to v1.6.1; a minor such as v1.5 means its newest patch): it fixes which kinds, versions, fields, defaults and rules exist. [default: the configuration file''s `gatewayAPIVersion`; with --cluster, the installed CRDs'' bundle version; else the newest release gwctl knows]')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'The Gateway API release channel your cluster installs. Under `standard`, kinds, versions and fields of the experimental channel are errors that say so. [default: standard, or the configuration file''s `channel`]')
            [CompletionResult]::new('--crds', '--crds', [CompletionResultType]::ParameterName, 'CustomResourceDefinition manifests (files or folders) whose schemas are added to, or replace, the bundled ones: a newer Gateway API release, or an implementation''s own policy kinds. Repeatable')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'The kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account]')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'The longest to wait for any one API request, such as 30s, 2m or 500ms')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use [default: the current context]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never')
            [CompletionResult]::new('--update', '--update', [CompletionResultType]::ParameterName, 'Rewrite the expectations of failing cases with the answer the manifests give now (the same keys, today''s values), print the diff, write each file atomically, then report on the updated files. Comments inside a rewritten `expect` are not kept')
            [CompletionResult]::new('--complete', '--complete', [CompletionResultType]::ParameterName, 'The inputs are the whole state (every Service, Secret, Namespace... is in them): a reference to an object that is not in the inputs is an error, not a warning, and `simulate` treats a backend Service that is not in them as missing (HTTP 500)')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Read what is running in the cluster of the kubeconfig (read-only). PATHs given too are put over the live state (lint: findings say whether they are new, existing or fixed). The live state is complete: missing references are errors')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Read every namespace instead of one')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Read every namespace instead of one')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gwctl;migrate' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The Gateway API release to move the manifests to (v1.1.0 to v1.6.1; a minor such as v1.5 means its newest patch): every object goes to the version that release serves, chaining steps in one run. An object the release cannot hold (a kind or field only newer releases have) is refused. `--gateway-api-version` is accepted as another name. [default: the configuration file''s `gatewayAPIVersion`, else the newest release gwctl knows]')
            [CompletionResult]::new('--max-file-size', '--max-file-size', [CompletionResultType]::ParameterName, 'Refuse files larger than this: bytes, or with a binary unit (K, M, G: KiB, MiB, GiB, as in 512K or 10MiB); at most 4G')
            [CompletionResult]::new('--max-total-size', '--max-total-size', [CompletionResultType]::ParameterName, 'Read at most this much from all inputs together (same units as --max-file-size); files past it are reported and left unchanged')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Print a unified diff of what would change instead of the migrated text (the default when there are several inputs)')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Rewrite the files in place, atomically, keeping their permissions. A file with a refused object is not changed at all')
            [CompletionResult]::new('--write', '--write', [CompletionResultType]::ParameterName, 'Rewrite the files in place, atomically, keeping their permissions. A file with a refused object is not changed at all')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Change nothing: print a diff of what would change and exit 1 if anything would (for CI)')
            [CompletionResult]::new('--to-v1', '--to-v1', [CompletionResultType]::ParameterName, 'Also move GatewayClass, Gateway and HTTPRoute from v1beta1 to v1, and ReferenceGrant from v1beta1 to v1 for v1.5 and later. Every release still serves v1beta1, with the same schema (and ReferenceGrant is still stored as v1beta1), so this move is optional')
            [CompletionResult]::new('--drop-removed-fields', '--drop-removed-fields', [CompletionResultType]::ParameterName, 'Drop the fields the target release removed (each is listed) instead of refusing the objects that set them')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Show no progress line. Without it, a run that takes more than a second shows files migrated on stderr, when stderr is a terminal and neither `CI` nor `GWCTL_NO_PROGRESS` is set (nor `TERM=dumb`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gwctl;upgrade' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'The Gateway API release installed now (v1.1.0 to v1.6.1, or a minor such as v1.3). [default: the bundle version the installed CRDs are annotated with, from the cluster with --cluster, or from CRDs in the inputs (`kubectl get crd -o yaml`); required when neither says]')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The Gateway API release to install. [default: the newest release gwctl knows]')
            [CompletionResult]::new('--from-channel', '--from-channel', [CompletionResultType]::ParameterName, 'The channel installed now. [default: the installed CRDs'' channel annotation, else standard]')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'The channel to install. [default: the channel installed now]')
            [CompletionResult]::new('--kubernetes-version', '--kubernetes-version', [CompletionResultType]::ParameterName, 'The Kubernetes version the cluster runs, such as 1.31: a finding when it lacks what the target release''s CRDs use (GW605) or is older than the release supports (GW606). [default: with --cluster, the API server''s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print findings on stdout')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'How to print findings on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Also write findings in FORMAT to PATH, as in `--output sarif=upgrade.sarif`. Repeatable; PATH `-` is stdout, in place of --output-format')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of objects that do not name one [default: default]. With --cluster, also the only namespace read [default: the kubeconfig context''s namespace]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of objects that do not name one [default: default]. With --cluster, also the only namespace read [default: the kubeconfig context''s namespace]')
            [CompletionResult]::new('--max-file-size', '--max-file-size', [CompletionResultType]::ParameterName, 'Refuse files larger than this (they are reported, not read): bytes, or with a binary unit (K, M, G: KiB, MiB, GiB, as in 512K or 10MiB); at most 4G')
            [CompletionResult]::new('--max-total-size', '--max-total-size', [CompletionResultType]::ParameterName, 'Read at most this much from all inputs together (same units as --max-file-size); files past it are reported (GW014), not read')
            [CompletionResult]::new('--max-objects', '--max-objects', [CompletionResultType]::ParameterName, 'Check at most this many objects (documents and List items) in one run; the rest are reported (GW015), not checked')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'The kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account]')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'The longest to wait for any one API request, such as 30s, 2m or 500ms')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use [default: the current context]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Read what is running in the cluster of the kubeconfig (read-only). PATHs given too are put over the live state (lint: findings say whether they are new, existing or fixed). The live state is complete: missing references are errors')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Read every namespace instead of one')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Read every namespace instead of one')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gwctl;features' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print the result on stdout')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'How to print the result on stdout')
            [CompletionResult]::new('--gateway-api-version', '--gateway-api-version', [CompletionResultType]::ParameterName, 'The Gateway API release whose features (and, for `implementations`, whose conformance reports) count (v1.1.0 to v1.6.1; a minor means its newest patch). [default: the nearest .gwctl.yaml''s `gatewayAPIVersion`, else the newest release gwctl knows]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of objects that do not name one [default: default]: a reference into another namespace needs a ReferenceGrant')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of objects that do not name one [default: default]: a reference into another namespace needs a ReferenceGrant')
            [CompletionResult]::new('--max-file-size', '--max-file-size', [CompletionResultType]::ParameterName, 'Refuse files larger than this (they are reported, not read): bytes, or with a binary unit (K, M, G: KiB, MiB, GiB, as in 512K or 10MiB); at most 4G')
            [CompletionResult]::new('--max-total-size', '--max-total-size', [CompletionResultType]::ParameterName, 'Read at most this much from all inputs together (same units as --max-file-size); files past it are reported (GW014), not read')
            [CompletionResult]::new('--max-objects', '--max-objects', [CompletionResultType]::ParameterName, 'Check at most this many objects (documents and List items) in one run; the rest are reported (GW015), not checked')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gwctl;implementations' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print the result on stdout')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'How to print the result on stdout')
            [CompletionResult]::new('--gateway-api-version', '--gateway-api-version', [CompletionResultType]::ParameterName, 'The Gateway API release whose features (and, for `implementations`, whose conformance reports) count (v1.1.0 to v1.6.1; a minor means its newest patch). [default: the nearest .gwctl.yaml''s `gatewayAPIVersion`, else the newest release gwctl knows]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of objects that do not name one [default: default]: a reference into another namespace needs a ReferenceGrant')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of objects that do not name one [default: default]: a reference into another namespace needs a ReferenceGrant')
            [CompletionResult]::new('--max-file-size', '--max-file-size', [CompletionResultType]::ParameterName, 'Refuse files larger than this (they are reported, not read): bytes, or with a binary unit (K, M, G: KiB, MiB, GiB, as in 512K or 10MiB); at most 4G')
            [CompletionResult]::new('--max-total-size', '--max-total-size', [CompletionResultType]::ParameterName, 'Read at most this much from all inputs together (same units as --max-file-size); files past it are reported (GW014), not read')
            [CompletionResult]::new('--max-objects', '--max-objects', [CompletionResultType]::ParameterName, 'Check at most this many objects (documents and List items) in one run; the rest are reported (GW015), not checked')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gwctl;graph' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to draw it')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'How to draw it')
            [CompletionResult]::new('--gateway', '--gateway', [CompletionResultType]::ParameterName, 'Keep only what touches this Gateway: its class, listeners, the routes that reach it (or are refused by it), their rules, backends and policies. Repeatable; with other filters, what touches all of them is kept')
            [CompletionResult]::new('--route', '--route', [CompletionResultType]::ParameterName, 'Keep only what touches this route (of any kind): its parents, rules, backends and policies. Repeatable')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Keep only what touches the objects of this namespace (objects that name none are in `default`). Repeatable. With --cluster, also the namespace read (one only)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Keep only what touches the objects of this namespace (objects that name none are in `default`). Repeatable. With --cluster, also the namespace read (one only)')
            [CompletionResult]::new('--max-file-size', '--max-file-size', [CompletionResultType]::ParameterName, 'Refuse files larger than this (they are reported, not read): bytes, or with a binary unit (K, M, G: KiB, MiB, GiB, as in 512K or 10MiB); at most 4G')
            [CompletionResult]::new('--max-total-size', '--max-total-size', [CompletionResultType]::ParameterName, 'Read at most this much from all inputs together (same units as --max-file-size); files past it are reported (GW014), not read')
            [CompletionResult]::new('--max-objects', '--max-objects', [CompletionResultType]::ParameterName, 'Check at most this many objects (documents and List items) in one run; the rest are reported (GW015), not checked')
            [CompletionResult]::new('--gateway-api-version', '--gateway-api-version', [CompletionResultType]::ParameterName, 'The Gateway API release your cluster runs (v1.1.0 to v1.6.1; a minor such as v1.5 means its newest patch): it fixes which kinds, versions, fields, defaults and rules exist. [default: the configuration file''s `gatewayAPIVersion`; with --cluster, the installed CRDs'' bundle version; else the newest release gwctl knows]')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'The Gateway API release channel your cluster installs. Under `standard`, kinds, versions and fields of the experimental channel are errors that say so. [default: standard, or the configuration file''s `channel`]')
            [CompletionResult]::new('--crds', '--crds', [CompletionResultType]::ParameterName, 'CustomResourceDefinition manifests (files or folders) whose schemas are added to, or replace, the bundled ones: a newer Gateway API release, or an implementation''s own policy kinds. Repeatable')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'The kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account]')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'The longest to wait for any one API request, such as 30s, 2m or 500ms')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use [default: the current context]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never')
            [CompletionResult]::new('--complete', '--complete', [CompletionResultType]::ParameterName, 'The inputs are the whole state (every Service, Secret, Namespace... is in them): a reference to an object that is not in the inputs is an error, not a warning, and `simulate` treats a backend Service that is not in them as missing (HTTP 500)')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Read what is running in the cluster of the kubeconfig (read-only). PATHs given too are put over the live state (lint: findings say whether they are new, existing or fixed). The live state is complete: missing references are errors')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Read every namespace instead of one')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Read every namespace instead of one')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gwctl;rules' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'o')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'output-format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never')
            [CompletionResult]::new('--cel', '--cel', [CompletionResultType]::ParameterName, 'List the CRDs'' CEL validation rules instead: kind, field, gwctl''s message, and the releases and channels that have the rule')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gwctl;explain' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gwctl;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gwctl;man' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write gwctl.1 and a page per subcommand (gwctl-lint.1, ...) into this folder instead of printing one page')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gwctl;help' {
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check manifests and report findings')
            [CompletionResult]::new('simulate', 'simulate', [CompletionResultType]::ParameterValue, 'Show where a request goes through the Gateways (or the mesh) in the manifests, and why')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Check routing expectations: run each case of the test files through the manifests, as `simulate` would, and report every expectation that does not hold')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Move manifests on old Gateway API versions to the versions a release serves, keeping comments and formatting')
            [CompletionResult]::new('upgrade', 'upgrade', [CompletionResultType]::ParameterValue, 'Report what moving the Gateway API CRDs from one release to another breaks')
            [CompletionResult]::new('features', 'features', [CompletionResultType]::ParameterValue, 'Show the Gateway API conformance features the manifests need, field by field')
            [CompletionResult]::new('implementations', 'implementations', [CompletionResultType]::ParameterValue, 'Show which implementations support every conformance feature the manifests need')
            [CompletionResult]::new('graph', 'graph', [CompletionResultType]::ParameterValue, 'Draw the routing: GatewayClasses, Gateways, listeners, routes, rules and backends')
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'List every rule gwctl checks: code, name, default severity and summary')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Print the documentation of one rule, by code (GW030) or name (duplicate-object)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print gwctl''s manual page (roff) to stdout, or a subcommand''s, or write them all')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'gwctl;help;lint' {
            break
        }
        'gwctl;help;simulate' {
            break
        }
        'gwctl;help;test' {
            break
        }
        'gwctl;help;migrate' {
            break
        }
        'gwctl;help;upgrade' {
            break
        }
        'gwctl;help;features' {
            break
        }
        'gwctl;help;implementations' {
            break
        }
        'gwctl;help;graph' {
            break
        }
        'gwctl;help;rules' {
            break
        }
        'gwctl;help;explain' {
            break
        }
        'gwctl;help;completions' {
            break
        }
        'gwctl;help;man' {
            break
        }
        'gwctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
