
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
            cand migrate 'Move manifests on old Gateway API versions to their v1.1 versions, keeping comments and formatting'
            cand rules 'List every rule gwctl checks: code, name, default severity and summary'
            cand explain 'Print the documentation of one rule, by code (GW030) or name (duplicate-object)'
            cand completions 'Print a shell completion script'
            cand man 'Print gwctl''s manual page (roff) to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gwctl;lint'= {
            cand -o 'How to print findings on stdout'
            cand --output-format 'How to print findings on stdout'
            cand --output 'Also write findings in FORMAT to PATH, as in `--output sarif=gwctl.sarif`. Repeatable, so that one run feeds several CI systems. A file is replaced atomically (written beside it, then renamed), so a reader never sees half of it. PATH `-` is stdout, in place of --output-format'
            cand -n 'Namespace of objects that do not name one, as `kubectl apply -n` would use'
            cand --namespace 'Namespace of objects that do not name one, as `kubectl apply -n` would use'
            cand --max-file-size 'Refuse files larger than this many bytes (they are reported, not read)'
            cand --channel 'The Gateway API release channel your cluster installs. Under `standard`, kinds, versions and fields of the experimental channel are errors that say so. [default: standard, or the configuration file''s `channel`]'
            cand --fail-on 'The lowest severity that makes the exit status 1. [default: error, or the configuration file''s `failOn`]'
            cand --config 'Read this configuration file instead of the nearest `.gwctl.yaml` found from the working directory upward'
            cand --select 'Report only these rules: codes (GW311), code prefixes (GW3 for every reference rule) or names (backend-port-not-found). Comma-separated or repeated'
            cand --ignore 'Never report these rules (same forms as --select)'
            cand --crds 'CustomResourceDefinition manifests (files or folders) whose schemas are added to, or replace, the bundled ones: a newer Gateway API release, or an implementation''s own policy kinds. Repeatable'
            cand --color 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never'
            cand --complete 'The inputs are the whole state (every Service, Secret, Namespace... is in them), so a reference to an object that is not in the inputs is an error, not a warning'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gwctl;migrate'= {
            cand --max-file-size 'Refuse files larger than this many bytes'
            cand --color 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never'
            cand --diff 'Print a unified diff of what would change instead of the migrated text (the default when there are several inputs)'
            cand -w 'Rewrite the files in place, atomically, keeping their permissions. A file with a refused object is not changed at all'
            cand --write 'Rewrite the files in place, atomically, keeping their permissions. A file with a refused object is not changed at all'
            cand --check 'Change nothing: print a diff of what would change and exit 1 if anything would (for CI)'
            cand --to-v1 'Also move GatewayClass, Gateway and HTTPRoute from v1beta1 to v1. v1.1 still serves v1beta1, with the same schema, so this move is optional'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gwctl;rules'= {
            cand -o 'o'
            cand --output-format 'output-format'
            cand --color 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never'
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
            cand --color 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gwctl;help'= {
            cand lint 'Check manifests and report findings'
            cand migrate 'Move manifests on old Gateway API versions to their v1.1 versions, keeping comments and formatting'
            cand rules 'List every rule gwctl checks: code, name, default severity and summary'
            cand explain 'Print the documentation of one rule, by code (GW030) or name (duplicate-object)'
            cand completions 'Print a shell completion script'
            cand man 'Print gwctl''s manual page (roff) to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gwctl;help;lint'= {
        }
        &'gwctl;help;migrate'= {
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
