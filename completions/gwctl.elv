
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
            cand rules 'List every rule gwctl checks: code, name, default severity and summary'
            cand explain 'Print the documentation of one rule, by code (GW030) or name (duplicate-object)'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gwctl;lint'= {
            cand -o 'How to print findings'
            cand --output-format 'How to print findings'
            cand -n 'Namespace of objects that do not name one, as `kubectl apply -n` would use'
            cand --namespace 'Namespace of objects that do not name one, as `kubectl apply -n` would use'
            cand --max-file-size 'Refuse files larger than this many bytes (they are reported, not read)'
            cand --channel 'The Gateway API release channel your cluster installs. Under `standard`, kinds, versions and fields of the experimental channel are errors that say so'
            cand --crds 'CustomResourceDefinition manifests (files or folders) whose schemas are added to, or replace, the bundled ones: a newer Gateway API release, or an implementation''s own policy kinds. Repeatable'
            cand --color 'When to colour output: auto (only on a terminal, honouring NO_COLOR and CLICOLOR_FORCE), always or never'
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
        &'gwctl;help'= {
            cand lint 'Check manifests and report findings'
            cand rules 'List every rule gwctl checks: code, name, default severity and summary'
            cand explain 'Print the documentation of one rule, by code (GW030) or name (duplicate-object)'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gwctl;help;lint'= {
        }
        &'gwctl;help;rules'= {
        }
        &'gwctl;help;explain'= {
        }
        &'gwctl;help;completions'= {
        }
        &'gwctl;help;help'= {
        }
    ]
    $completions[$command]
}
