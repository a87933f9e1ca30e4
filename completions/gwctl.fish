# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_gwctl_global_optspecs
    string join \n color= h/help V/version
end

function __fish_gwctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_gwctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_gwctl_using_subcommand
    set -l cmd (__fish_gwctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c gwctl -n "__fish_gwctl_needs_command" -l color -d 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gwctl -n "__fish_gwctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gwctl -n "__fish_gwctl_needs_command" -s V -l version -d 'Print version'
complete -c gwctl -n "__fish_gwctl_needs_command" -f -a "lint" -d 'Check manifests and report findings'
complete -c gwctl -n "__fish_gwctl_needs_command" -f -a "simulate" -d 'Show where a request goes through the Gateways (or the mesh) in the manifests, and why'
complete -c gwctl -n "__fish_gwctl_needs_command" -f -a "migrate" -d 'Move manifests on old Gateway API versions to their v1.1 versions, keeping comments and formatting'
complete -c gwctl -n "__fish_gwctl_needs_command" -f -a "rules" -d 'List every rule gwctl checks: code, name, default severity and summary'
complete -c gwctl -n "__fish_gwctl_needs_command" -f -a "explain" -d 'Print the documentation of one rule, by code (GW030) or name (duplicate-object)'
complete -c gwctl -n "__fish_gwctl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c gwctl -n "__fish_gwctl_needs_command" -f -a "man" -d 'Print gwctl\'s manual page (roff) to stdout'
complete -c gwctl -n "__fish_gwctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gwctl -n "__fish_gwctl_using_subcommand lint" -s o -l output-format -d 'How to print findings on stdout' -r -f -a "human\t'Source snippets with the offending span marked, for people'
json\t'One JSON document; see the README for its shape'
sarif\t'SARIF 2.1.0, for GitHub code scanning and other SARIF viewers'
junit\t'JUnit XML: a test suite per file, a test case per object'
github\t'GitHub Actions workflow commands, shown as annotations on the pull request'
gitlab\t'GitLab Code Quality JSON, for the merge request widget'
compact\t'One line per finding: `file:line:col: severity CODE message`'"
complete -c gwctl -n "__fish_gwctl_using_subcommand lint" -l output -d 'Also write findings in FORMAT to PATH, as in `--output sarif=gwctl.sarif`. Repeatable, so that one run feeds several CI systems. A file is replaced atomically (written beside it, then renamed), so a reader never sees half of it. PATH `-` is stdout, in place of --output-format' -r
complete -c gwctl -n "__fish_gwctl_using_subcommand lint" -s n -l namespace -d 'Namespace of objects that do not name one, as `kubectl apply -n` would use [default: default]. With --cluster, also the only namespace read [default: the kubeconfig context\'s namespace]' -r
complete -c gwctl -n "__fish_gwctl_using_subcommand lint" -l max-file-size -d 'Refuse files larger than this many bytes (they are reported, not read); at most 4294967295 (4 GiB)' -r
complete -c gwctl -n "__fish_gwctl_using_subcommand lint" -l max-total-size -d 'Read at most this many bytes from all inputs together; files past it are reported (GW014), not read' -r
complete -c gwctl -n "__fish_gwctl_using_subcommand lint" -l max-objects -d 'Check at most this many objects (documents and List items) in one run; the rest are reported (GW015), not checked' -r
complete -c gwctl -n "__fish_gwctl_using_subcommand lint" -l channel -d 'The Gateway API release channel your cluster installs. Under `standard`, kinds, versions and fields of the experimental channel are errors that say so. [default: standard, or the configuration file\'s `channel`]' -r -f -a "standard\t''
experimental\t''"
complete -c gwctl -n "__fish_gwctl_using_subcommand lint" -l crds -d 'CustomResourceDefinition manifests (files or folders) whose schemas are added to, or replace, the bundled ones: a newer Gateway API release, or an implementation\'s own policy kinds. Repeatable' -r -F
complete -c gwctl -n "__fish_gwctl_using_subcommand lint" -l fail-on -d 'The lowest severity that makes the exit status 1. [default: error, or the configuration file\'s `failOn`]' -r -f -a "error\t''
warning\t''
info\t''"
complete -c gwctl -n "__fish_gwctl_using_subcommand lint" -l config -d 'Read this configuration file instead of the nearest `.gwctl.yaml` found from the working directory upward' -r -F
complete -c gwctl -n "__fish_gwctl_using_subcommand lint" -l select -d 'Report only these rules: codes (GW311), code prefixes (GW3 for every reference rule) or names (backend-port-not-found). Comma-separated or repeated' -r
complete -c gwctl -n "__fish_gwctl_using_subcommand lint" -l ignore -d 'Never report these rules (same forms as --select)' -r
complete -c gwctl -n "__fish_gwctl_using_subcommand lint" -l context -d 'Read a file or folder as context: its objects resolve the PATHs\' references, and only the PATHs are reported on. Repeatable. With --cluster: the kubeconfig context [default: the current context]' -r -F
complete -c gwctl -n "__fish_gwctl_using_subcommand lint" -l kubeconfig -d 'The kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account]' -r -F
complete -c gwctl -n "__fish_gwctl_using_subcommand lint" -l request-timeout -d 'The longest to wait for any one API request, such as 30s, 2m or 500ms' -r
complete -c gwctl -n "__fish_gwctl_using_subcommand lint" -l color -d 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gwctl -n "__fish_gwctl_using_subcommand lint" -l complete -d 'The inputs are the whole state (every Service, Secret, Namespace... is in them): a reference to an object that is not in the inputs is an error, not a warning, and `simulate` treats a backend Service that is not in them as missing (HTTP 500)'
complete -c gwctl -n "__fish_gwctl_using_subcommand lint" -l cluster -d 'Read what is running in the cluster of the kubeconfig (read-only). PATHs given too are put over the live state (lint: findings say whether they are new, existing or fixed). The live state is complete: missing references are errors'
complete -c gwctl -n "__fish_gwctl_using_subcommand lint" -s A -l all-namespaces -d 'Read every namespace instead of one'
complete -c gwctl -n "__fish_gwctl_using_subcommand lint" -l fail-on-new -d 'Set the exit status from the findings the PATHs introduce (new) only, ignoring those already in the cluster'
complete -c gwctl -n "__fish_gwctl_using_subcommand lint" -l only-new -d 'Print only the findings the PATHs introduce (new); implies --fail-on-new'
complete -c gwctl -n "__fish_gwctl_using_subcommand lint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gwctl -n "__fish_gwctl_using_subcommand lint" -s V -l version -d 'Print version'
complete -c gwctl -n "__fish_gwctl_using_subcommand simulate" -l url -d 'The request: scheme://host[:port]/path?query. The port (default 80 for http, 443 for https) selects listeners; the host is the Host header and SNI' -r
complete -c gwctl -n "__fish_gwctl_using_subcommand simulate" -s X -l method -d 'The request method (POST for --grpc)' -r
complete -c gwctl -n "__fish_gwctl_using_subcommand simulate" -s H -l header -d 'A request header, `Name: value`. Repeatable' -r
complete -c gwctl -n "__fish_gwctl_using_subcommand simulate" -l cookie -d 'A cookie the client sends, `name=value`. Repeatable' -r
complete -c gwctl -n "__fish_gwctl_using_subcommand simulate" -l grpc -d 'Simulate a gRPC call SERVICE/METHOD against GRPCRoutes (path /SERVICE/METHOD, POST)' -r
complete -c gwctl -n "__fish_gwctl_using_subcommand simulate" -l gateway -d 'The Gateway that receives the request; needed only when several listen on the port' -r
complete -c gwctl -n "__fish_gwctl_using_subcommand simulate" -l service -d 'Simulate a mesh (GAMMA) request to this Service instead of a Gateway. The port defaults to the URL\'s' -r
complete -c gwctl -n "__fish_gwctl_using_subcommand simulate" -l from-namespace -d 'The caller\'s namespace for a mesh request: consumer routes apply only to callers in their own namespace. [default: the --namespace value]' -r
complete -c gwctl -n "__fish_gwctl_using_subcommand simulate" -l requests -d 'Send this many requests and show how they spread over the backends (at most 100000)' -r
complete -c gwctl -n "__fish_gwctl_using_subcommand simulate" -l seed -d 'Seed of the spread for --requests; the same seed gives the same spread' -r
complete -c gwctl -n "__fish_gwctl_using_subcommand simulate" -s o -l output-format -d 'How to print the trace' -r -f -a "human\t'A readable trace, for people'
json\t'One JSON document; see the README for its shape'"
complete -c gwctl -n "__fish_gwctl_using_subcommand simulate" -s n -l namespace -d 'Namespace of objects that do not name one, as `kubectl apply -n` would use' -r
complete -c gwctl -n "__fish_gwctl_using_subcommand simulate" -l max-file-size -d 'Refuse files larger than this many bytes (they are reported, not read); at most 4294967295 (4 GiB)' -r
complete -c gwctl -n "__fish_gwctl_using_subcommand simulate" -l max-total-size -d 'Read at most this many bytes from all inputs together; files past it are reported (GW014), not read' -r
complete -c gwctl -n "__fish_gwctl_using_subcommand simulate" -l max-objects -d 'Check at most this many objects (documents and List items) in one run; the rest are reported (GW015), not checked' -r
complete -c gwctl -n "__fish_gwctl_using_subcommand simulate" -l channel -d 'The Gateway API release channel your cluster installs. Under `standard`, kinds, versions and fields of the experimental channel are errors that say so. [default: standard, or the configuration file\'s `channel`]' -r -f -a "standard\t''
experimental\t''"
complete -c gwctl -n "__fish_gwctl_using_subcommand simulate" -l crds -d 'CustomResourceDefinition manifests (files or folders) whose schemas are added to, or replace, the bundled ones: a newer Gateway API release, or an implementation\'s own policy kinds. Repeatable' -r -F
complete -c gwctl -n "__fish_gwctl_using_subcommand simulate" -l kubeconfig -d 'The kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account]' -r -F
complete -c gwctl -n "__fish_gwctl_using_subcommand simulate" -l request-timeout -d 'The longest to wait for any one API request, such as 30s, 2m or 500ms' -r
complete -c gwctl -n "__fish_gwctl_using_subcommand simulate" -l context -d 'The kubeconfig context to use [default: the current context]' -r
complete -c gwctl -n "__fish_gwctl_using_subcommand simulate" -l color -d 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gwctl -n "__fish_gwctl_using_subcommand simulate" -l complete -d 'The inputs are the whole state (every Service, Secret, Namespace... is in them): a reference to an object that is not in the inputs is an error, not a warning, and `simulate` treats a backend Service that is not in them as missing (HTTP 500)'
complete -c gwctl -n "__fish_gwctl_using_subcommand simulate" -l cluster -d 'Read what is running in the cluster of the kubeconfig (read-only). PATHs given too are put over the live state (lint: findings say whether they are new, existing or fixed). The live state is complete: missing references are errors'
complete -c gwctl -n "__fish_gwctl_using_subcommand simulate" -s A -l all-namespaces -d 'Read every namespace instead of one'
complete -c gwctl -n "__fish_gwctl_using_subcommand simulate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gwctl -n "__fish_gwctl_using_subcommand simulate" -s V -l version -d 'Print version'
complete -c gwctl -n "__fish_gwctl_using_subcommand migrate" -l max-file-size -d 'Refuse files larger than this many bytes; at most 4294967295 (4 GiB)' -r
complete -c gwctl -n "__fish_gwctl_using_subcommand migrate" -l max-total-size -d 'Read at most this many bytes from all inputs together; files past it are reported and left unchanged' -r
complete -c gwctl -n "__fish_gwctl_using_subcommand migrate" -l color -d 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gwctl -n "__fish_gwctl_using_subcommand migrate" -l diff -d 'Print a unified diff of what would change instead of the migrated text (the default when there are several inputs)'
complete -c gwctl -n "__fish_gwctl_using_subcommand migrate" -s w -l write -d 'Rewrite the files in place, atomically, keeping their permissions. A file with a refused object is not changed at all'
complete -c gwctl -n "__fish_gwctl_using_subcommand migrate" -l check -d 'Change nothing: print a diff of what would change and exit 1 if anything would (for CI)'
complete -c gwctl -n "__fish_gwctl_using_subcommand migrate" -l to-v1 -d 'Also move GatewayClass, Gateway and HTTPRoute from v1beta1 to v1. v1.1 still serves v1beta1, with the same schema, so this move is optional'
complete -c gwctl -n "__fish_gwctl_using_subcommand migrate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gwctl -n "__fish_gwctl_using_subcommand migrate" -s V -l version -d 'Print version'
complete -c gwctl -n "__fish_gwctl_using_subcommand rules" -s o -l output-format -r -f -a "human\t'One line per rule'
json\t'A JSON array of rules, with their documentation'"
complete -c gwctl -n "__fish_gwctl_using_subcommand rules" -l color -d 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gwctl -n "__fish_gwctl_using_subcommand rules" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gwctl -n "__fish_gwctl_using_subcommand rules" -s V -l version -d 'Print version'
complete -c gwctl -n "__fish_gwctl_using_subcommand explain" -l color -d 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gwctl -n "__fish_gwctl_using_subcommand explain" -s h -l help -d 'Print help'
complete -c gwctl -n "__fish_gwctl_using_subcommand explain" -s V -l version -d 'Print version'
complete -c gwctl -n "__fish_gwctl_using_subcommand completions" -l color -d 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gwctl -n "__fish_gwctl_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gwctl -n "__fish_gwctl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c gwctl -n "__fish_gwctl_using_subcommand man" -l color -d 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gwctl -n "__fish_gwctl_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gwctl -n "__fish_gwctl_using_subcommand man" -s V -l version -d 'Print version'
complete -c gwctl -n "__fish_gwctl_using_subcommand help; and not __fish_seen_subcommand_from lint simulate migrate rules explain completions man help" -f -a "lint" -d 'Check manifests and report findings'
complete -c gwctl -n "__fish_gwctl_using_subcommand help; and not __fish_seen_subcommand_from lint simulate migrate rules explain completions man help" -f -a "simulate" -d 'Show where a request goes through the Gateways (or the mesh) in the manifests, and why'
complete -c gwctl -n "__fish_gwctl_using_subcommand help; and not __fish_seen_subcommand_from lint simulate migrate rules explain completions man help" -f -a "migrate" -d 'Move manifests on old Gateway API versions to their v1.1 versions, keeping comments and formatting'
complete -c gwctl -n "__fish_gwctl_using_subcommand help; and not __fish_seen_subcommand_from lint simulate migrate rules explain completions man help" -f -a "rules" -d 'List every rule gwctl checks: code, name, default severity and summary'
complete -c gwctl -n "__fish_gwctl_using_subcommand help; and not __fish_seen_subcommand_from lint simulate migrate rules explain completions man help" -f -a "explain" -d 'Print the documentation of one rule, by code (GW030) or name (duplicate-object)'
complete -c gwctl -n "__fish_gwctl_using_subcommand help; and not __fish_seen_subcommand_from lint simulate migrate rules explain completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c gwctl -n "__fish_gwctl_using_subcommand help; and not __fish_seen_subcommand_from lint simulate migrate rules explain completions man help" -f -a "man" -d 'Print gwctl\'s manual page (roff) to stdout'
complete -c gwctl -n "__fish_gwctl_using_subcommand help; and not __fish_seen_subcommand_from lint simulate migrate rules explain completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
