_gwctl() {
    local i cur prev opts cmd
    COMPREPLY=()
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        cur="$2"
    else
        cur="${COMP_WORDS[COMP_CWORD]}"
    fi
    prev="$3"
    cmd=""
    opts=""

    for i in "${COMP_WORDS[@]:0:COMP_CWORD}"
    do
        case "${cmd},${i}" in
            ",$1")
                cmd="gwctl"
                ;;
            gwctl,completions)
                cmd="gwctl__subcmd__completions"
                ;;
            gwctl,explain)
                cmd="gwctl__subcmd__explain"
                ;;
            gwctl,features)
                cmd="gwctl__subcmd__features"
                ;;
            gwctl,graph)
                cmd="gwctl__subcmd__graph"
                ;;
            gwctl,help)
                cmd="gwctl__subcmd__help"
                ;;
            gwctl,implementations)
                cmd="gwctl__subcmd__implementations"
                ;;
            gwctl,lint)
                cmd="gwctl__subcmd__lint"
                ;;
            gwctl,man)
                cmd="gwctl__subcmd__man"
                ;;
            gwctl,migrate)
                cmd="gwctl__subcmd__migrate"
                ;;
            gwctl,rules)
                cmd="gwctl__subcmd__rules"
                ;;
            gwctl,simulate)
                cmd="gwctl__subcmd__simulate"
                ;;
            gwctl,test)
                cmd="gwctl__subcmd__test"
                ;;
            gwctl,upgrade)
                cmd="gwctl__subcmd__upgrade"
                ;;
            gwctl__subcmd__help,completions)
                cmd="gwctl__subcmd__help__subcmd__completions"
                ;;
            gwctl__subcmd__help,explain)
                cmd="gwctl__subcmd__help__subcmd__explain"
                ;;
            gwctl__subcmd__help,features)
                cmd="gwctl__subcmd__help__subcmd__features"
                ;;
            gwctl__subcmd__help,graph)
                cmd="gwctl__subcmd__help__subcmd__graph"
                ;;
            gwctl__subcmd__help,help)
                cmd="gwctl__subcmd__help__subcmd__help"
                ;;
            gwctl__subcmd__help,implementations)
                cmd="gwctl__subcmd__help__subcmd__implementations"
                ;;
            gwctl__subcmd__help,lint)
                cmd="gwctl__subcmd__help__subcmd__lint"
                ;;
            gwctl__subcmd__help,man)
                cmd="gwctl__subcmd__help__subcmd__man"
                ;;
            gwctl__subcmd__help,migrate)
                cmd="gwctl__subcmd__help__subcmd__migrate"
                ;;
            gwctl__subcmd__help,rules)
                cmd="gwctl__subcmd__help__subcmd__rules"
                ;;
            gwctl__subcmd__help,simulate)
                cmd="gwctl__subcmd__help__subcmd__simulate"
                ;;
            gwctl__subcmd__help,test)
                cmd="gwctl__subcmd__help__subcmd__test"
                ;;
            gwctl__subcmd__help,upgrade)
                cmd="gwctl__subcmd__help__subcmd__upgrade"
                ;;
            *)
                ;;
        esac
    done

    case "${cmd}" in
        gwctl)
            opts="-h -V --color --help --version lint simulate test migrate upgrade features implementations graph rules explain completions man help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 1 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gwctl__subcmd__completions)
            opts="-h -V --color --help --version bash elvish fish powershell zsh"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gwctl__subcmd__explain)
            opts="-h -V --color --help --version GW001 invalid-yaml GW002 duplicate-key GW003 alias-expansion-too-large GW004 nesting-too-deep GW005 non-scalar-key GW006 undefined-alias GW007 yaml-1.1-scalar GW008 non-finite-float GW011 binary-file GW012 not-utf8 GW013 file-too-large GW014 inputs-too-large GW015 too-many-objects GW020 document-not-mapping GW021 invalid-api-version GW022 invalid-kind GW023 invalid-metadata-name GW024 invalid-metadata-namespace GW030 duplicate-object GW040 unserved-api-version GW041 unknown-gateway-api-kind GW050 no-objects GW060 unused-suppression GW101 unknown-field GW102 experimental-only-field GW103 wrong-value-type GW104 missing-required-field GW105 value-not-allowed GW106 value-pattern-mismatch GW107 number-out-of-range GW108 string-length-out-of-range GW109 item-count-out-of-range GW110 entry-count-out-of-range GW111 invalid-format GW112 duplicate-list-entry-key GW113 duplicate-set-item GW114 no-matching-alternative GW115 ambiguous-alternative GW116 forbidden-value GW117 invalid-metadata GW118 unqualified-finalizer GW120 field-not-in-release GW201 cel-rule-violated GW202 cel-rule-not-evaluable GW203 cel-rule-unsupported GW204 cel-rules-not-checked GW205 cel-cost-budget-exceeded GW301 parent-gateway-not-found GW302 parent-section-not-found GW303 parent-port-not-found GW304 parent-section-port-mismatch GW305 listener-rejects-route-kind GW306 route-namespace-not-allowed GW307 route-hostname-mismatch GW308 route-not-attached GW309 parent-service-not-found GW310 parent-service-port-not-found GW311 backend-service-not-found GW312 backend-port-not-found GW313 backend-ref-not-granted GW314 all-backends-zero-weight GW315 gateway-class-not-found GW316 certificate-secret-not-found GW317 certificate-secret-invalid GW318 gateway-ref-not-granted GW319 ca-configmap-not-found GW320 ca-certificate-invalid GW321 ca-certificate-expired GW322 listener-port-conflict GW323 policy-target-not-found GW324 policy-section-not-found GW325 conflicting-policies GW326 session-persistence-overrides-policy GW327 listener-without-certificate GW328 listener-selector-missing GW340 listenerset-gateway-not-found GW341 listenerset-not-allowed GW342 listener-conflict GW343 parent-listenerset-not-found GW350 client-validation-applies-to-nothing GW351 ca-secret-invalid GW352 backend-tls-several-targets GW353 backend-tls-hostname-not-in-sans GW354 policy-rule-not-found GW401 unreachable-rule GW402 duplicate-route-match GW403 duplicate-rule-name GW501 unmigratable-target-namespace GW502 unmigratable-object GW503 namespace-dependent-target GW504 not-expressible-in-target GW505 removed-field GW506 dropped-removed-field GW507 newer-than-target GW510 deprecated-api-version GW520 version-not-served-after-upgrade GW521 rejected-after-upgrade GW522 storage-version-misfit GW523 stored-version-removed GW524 safe-upgrades-denied GW525 default-changed-after-upgrade GW601 cluster-read-incomplete GW602 kind-not-installed GW603 version-not-installed GW604 field-not-installed GW605 kubernetes-too-old GW606 kubernetes-outside-support GW701 feature-not-supported GW702 report-release-differs GW703 implementation-specific GW801 routing-expectation-failed GW802 unknown-test-key GW803 invalid-test-value GW804 invalid-test-request GW805 expected-backend-not-in-manifests GW806 duplicate-test-case"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gwctl__subcmd__features)
            opts="-o -n -h -V --output-format --gateway-api-version --namespace --max-file-size --max-total-size --max-objects --color --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --output-format)
                    COMPREPLY=($(compgen -W "human json" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "human json" -- "${cur}"))
                    return 0
                    ;;
                --gateway-api-version)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --namespace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-file-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-total-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-objects)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gwctl__subcmd__graph)
            opts="-o -n -A -h -V --output-format --gateway --route --namespace --max-file-size --max-total-size --max-objects --gateway-api-version --channel --complete --crds --cluster --kubeconfig --all-namespaces --request-timeout --context --color --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --output-format)
                    COMPREPLY=($(compgen -W "dot mermaid svg json html" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "dot mermaid svg json html" -- "${cur}"))
                    return 0
                    ;;
                --gateway)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --route)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --namespace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-file-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-total-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-objects)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gateway-api-version)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --channel)
                    COMPREPLY=($(compgen -W "standard experimental" -- "${cur}"))
                    return 0
                    ;;
                --crds)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gwctl__subcmd__help)
            opts="lint simulate test migrate upgrade features implementations graph rules explain completions man help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gwctl__subcmd__help__subcmd__completions)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gwctl__subcmd__help__subcmd__explain)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gwctl__subcmd__help__subcmd__features)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gwctl__subcmd__help__subcmd__graph)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gwctl__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gwctl__subcmd__help__subcmd__implementations)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gwctl__subcmd__help__subcmd__lint)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gwctl__subcmd__help__subcmd__man)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gwctl__subcmd__help__subcmd__migrate)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gwctl__subcmd__help__subcmd__rules)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gwctl__subcmd__help__subcmd__simulate)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gwctl__subcmd__help__subcmd__test)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gwctl__subcmd__help__subcmd__upgrade)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gwctl__subcmd__implementations)
            opts="-o -n -h -V --output-format --gateway-api-version --namespace --max-file-size --max-total-size --max-objects --color --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --output-format)
                    COMPREPLY=($(compgen -W "human json" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "human json" -- "${cur}"))
                    return 0
                    ;;
                --gateway-api-version)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --namespace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-file-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-total-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-objects)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gwctl__subcmd__lint)
            opts="-o -n -A -h -V --output-format --output --namespace --no-progress --max-file-size --max-total-size --max-objects --gateway-api-version --channel --complete --crds --kubernetes-version --fail-on --config --select --ignore --context --no-context --fix --unsafe-fixes --diff --implementation --conformance-report --cluster --kubeconfig --all-namespaces --request-timeout --fail-on-new --only-new --color --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --output-format)
                    COMPREPLY=($(compgen -W "human json sarif junit github gitlab compact html" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "human json sarif junit github gitlab compact html" -- "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --namespace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-file-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-total-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-objects)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gateway-api-version)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --channel)
                    COMPREPLY=($(compgen -W "standard experimental" -- "${cur}"))
                    return 0
                    ;;
                --crds)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kubernetes-version)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --fail-on)
                    COMPREPLY=($(compgen -W "error warning info" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --select)
                    COMPREPLY=($(compgen -W "GW001 invalid-yaml GW002 duplicate-key GW003 alias-expansion-too-large GW004 nesting-too-deep GW005 non-scalar-key GW006 undefined-alias GW007 yaml-1.1-scalar GW008 non-finite-float GW011 binary-file GW012 not-utf8 GW013 file-too-large GW014 inputs-too-large GW015 too-many-objects GW020 document-not-mapping GW021 invalid-api-version GW022 invalid-kind GW023 invalid-metadata-name GW024 invalid-metadata-namespace GW030 duplicate-object GW040 unserved-api-version GW041 unknown-gateway-api-kind GW050 no-objects GW060 unused-suppression GW101 unknown-field GW102 experimental-only-field GW103 wrong-value-type GW104 missing-required-field GW105 value-not-allowed GW106 value-pattern-mismatch GW107 number-out-of-range GW108 string-length-out-of-range GW109 item-count-out-of-range GW110 entry-count-out-of-range GW111 invalid-format GW112 duplicate-list-entry-key GW113 duplicate-set-item GW114 no-matching-alternative GW115 ambiguous-alternative GW116 forbidden-value GW117 invalid-metadata GW118 unqualified-finalizer GW120 field-not-in-release GW201 cel-rule-violated GW202 cel-rule-not-evaluable GW203 cel-rule-unsupported GW204 cel-rules-not-checked GW205 cel-cost-budget-exceeded GW301 parent-gateway-not-found GW302 parent-section-not-found GW303 parent-port-not-found GW304 parent-section-port-mismatch GW305 listener-rejects-route-kind GW306 route-namespace-not-allowed GW307 route-hostname-mismatch GW308 route-not-attached GW309 parent-service-not-found GW310 parent-service-port-not-found GW311 backend-service-not-found GW312 backend-port-not-found GW313 backend-ref-not-granted GW314 all-backends-zero-weight GW315 gateway-class-not-found GW316 certificate-secret-not-found GW317 certificate-secret-invalid GW318 gateway-ref-not-granted GW319 ca-configmap-not-found GW320 ca-certificate-invalid GW321 ca-certificate-expired GW322 listener-port-conflict GW323 policy-target-not-found GW324 policy-section-not-found GW325 conflicting-policies GW326 session-persistence-overrides-policy GW327 listener-without-certificate GW328 listener-selector-missing GW340 listenerset-gateway-not-found GW341 listenerset-not-allowed GW342 listener-conflict GW343 parent-listenerset-not-found GW350 client-validation-applies-to-nothing GW351 ca-secret-invalid GW352 backend-tls-several-targets GW353 backend-tls-hostname-not-in-sans GW354 policy-rule-not-found GW401 unreachable-rule GW402 duplicate-route-match GW403 duplicate-rule-name GW501 unmigratable-target-namespace GW502 unmigratable-object GW503 namespace-dependent-target GW504 not-expressible-in-target GW505 removed-field GW506 dropped-removed-field GW507 newer-than-target GW510 deprecated-api-version GW520 version-not-served-after-upgrade GW521 rejected-after-upgrade GW522 storage-version-misfit GW523 stored-version-removed GW524 safe-upgrades-denied GW525 default-changed-after-upgrade GW601 cluster-read-incomplete GW602 kind-not-installed GW603 version-not-installed GW604 field-not-installed GW605 kubernetes-too-old GW606 kubernetes-outside-support GW701 feature-not-supported GW702 report-release-differs GW703 implementation-specific GW801 routing-expectation-failed GW802 unknown-test-key GW803 invalid-test-value GW804 invalid-test-request GW805 expected-backend-not-in-manifests GW806 duplicate-test-case" -- "${cur}"))
                    return 0
                    ;;
                --ignore)
                    COMPREPLY=($(compgen -W "GW001 invalid-yaml GW002 duplicate-key GW003 alias-expansion-too-large GW004 nesting-too-deep GW005 non-scalar-key GW006 undefined-alias GW007 yaml-1.1-scalar GW008 non-finite-float GW011 binary-file GW012 not-utf8 GW013 file-too-large GW014 inputs-too-large GW015 too-many-objects GW020 document-not-mapping GW021 invalid-api-version GW022 invalid-kind GW023 invalid-metadata-name GW024 invalid-metadata-namespace GW030 duplicate-object GW040 unserved-api-version GW041 unknown-gateway-api-kind GW050 no-objects GW060 unused-suppression GW101 unknown-field GW102 experimental-only-field GW103 wrong-value-type GW104 missing-required-field GW105 value-not-allowed GW106 value-pattern-mismatch GW107 number-out-of-range GW108 string-length-out-of-range GW109 item-count-out-of-range GW110 entry-count-out-of-range GW111 invalid-format GW112 duplicate-list-entry-key GW113 duplicate-set-item GW114 no-matching-alternative GW115 ambiguous-alternative GW116 forbidden-value GW117 invalid-metadata GW118 unqualified-finalizer GW120 field-not-in-release GW201 cel-rule-violated GW202 cel-rule-not-evaluable GW203 cel-rule-unsupported GW204 cel-rules-not-checked GW205 cel-cost-budget-exceeded GW301 parent-gateway-not-found GW302 parent-section-not-found GW303 parent-port-not-found GW304 parent-section-port-mismatch GW305 listener-rejects-route-kind GW306 route-namespace-not-allowed GW307 route-hostname-mismatch GW308 route-not-attached GW309 parent-service-not-found GW310 parent-service-port-not-found GW311 backend-service-not-found GW312 backend-port-not-found GW313 backend-ref-not-granted GW314 all-backends-zero-weight GW315 gateway-class-not-found GW316 certificate-secret-not-found GW317 certificate-secret-invalid GW318 gateway-ref-not-granted GW319 ca-configmap-not-found GW320 ca-certificate-invalid GW321 ca-certificate-expired GW322 listener-port-conflict GW323 policy-target-not-found GW324 policy-section-not-found GW325 conflicting-policies GW326 session-persistence-overrides-policy GW327 listener-without-certificate GW328 listener-selector-missing GW340 listenerset-gateway-not-found GW341 listenerset-not-allowed GW342 listener-conflict GW343 parent-listenerset-not-found GW350 client-validation-applies-to-nothing GW351 ca-secret-invalid GW352 backend-tls-several-targets GW353 backend-tls-hostname-not-in-sans GW354 policy-rule-not-found GW401 unreachable-rule GW402 duplicate-route-match GW403 duplicate-rule-name GW501 unmigratable-target-namespace GW502 unmigratable-object GW503 namespace-dependent-target GW504 not-expressible-in-target GW505 removed-field GW506 dropped-removed-field GW507 newer-than-target GW510 deprecated-api-version GW520 version-not-served-after-upgrade GW521 rejected-after-upgrade GW522 storage-version-misfit GW523 stored-version-removed GW524 safe-upgrades-denied GW525 default-changed-after-upgrade GW601 cluster-read-incomplete GW602 kind-not-installed GW603 version-not-installed GW604 field-not-installed GW605 kubernetes-too-old GW606 kubernetes-outside-support GW701 feature-not-supported GW702 report-release-differs GW703 implementation-specific GW801 routing-expectation-failed GW802 unknown-test-key GW803 invalid-test-value GW804 invalid-test-request GW805 expected-backend-not-in-manifests GW806 duplicate-test-case" -- "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --implementation)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --conformance-report)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gwctl__subcmd__man)
            opts="-h -V --dir --color --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gwctl__subcmd__migrate)
            opts="-w -h -V --diff --write --check --to-v1 --to --drop-removed-fields --no-progress --max-file-size --max-total-size --color --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --to)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-file-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-total-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gwctl__subcmd__rules)
            opts="-o -h -V --output-format --cel --color --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --output-format)
                    COMPREPLY=($(compgen -W "human json" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "human json" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gwctl__subcmd__simulate)
            opts="-X -H -o -n -A -h -V --url --method --header --cookie --sni --grpc --gateway --service --from-namespace --requests --seed --output-format --save-test --namespace --max-file-size --max-total-size --max-objects --gateway-api-version --channel --complete --crds --cluster --kubeconfig --all-namespaces --request-timeout --context --color --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --method)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -X)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --header)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -H)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cookie)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sni)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --grpc)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gateway)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --service)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --from-namespace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --requests)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --seed)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output-format)
                    COMPREPLY=($(compgen -W "human json" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "human json" -- "${cur}"))
                    return 0
                    ;;
                --save-test)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --namespace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-file-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-total-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-objects)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gateway-api-version)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --channel)
                    COMPREPLY=($(compgen -W "standard experimental" -- "${cur}"))
                    return 0
                    ;;
                --crds)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gwctl__subcmd__test)
            opts="-o -n -A -h -V --manifests --update --output-format --output --namespace --max-file-size --max-total-size --max-objects --gateway-api-version --channel --complete --crds --cluster --kubeconfig --all-namespaces --request-timeout --context --color --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --manifests)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output-format)
                    COMPREPLY=($(compgen -W "human json sarif junit github gitlab compact html" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "human json sarif junit github gitlab compact html" -- "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --namespace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-file-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-total-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-objects)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gateway-api-version)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --channel)
                    COMPREPLY=($(compgen -W "standard experimental" -- "${cur}"))
                    return 0
                    ;;
                --crds)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gwctl__subcmd__upgrade)
            opts="-o -n -A -h -V --from --to --from-channel --channel --kubernetes-version --output-format --output --namespace --max-file-size --max-total-size --max-objects --cluster --kubeconfig --all-namespaces --request-timeout --context --color --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --from)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --to)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --from-channel)
                    COMPREPLY=($(compgen -W "standard experimental" -- "${cur}"))
                    return 0
                    ;;
                --channel)
                    COMPREPLY=($(compgen -W "standard experimental" -- "${cur}"))
                    return 0
                    ;;
                --kubernetes-version)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output-format)
                    COMPREPLY=($(compgen -W "human json sarif junit github gitlab compact html" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "human json sarif junit github gitlab compact html" -- "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --namespace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-file-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-total-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-objects)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
    esac
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _gwctl -o nosort -o bashdefault -o default gwctl
else
    complete -F _gwctl -o bashdefault -o default gwctl
fi
