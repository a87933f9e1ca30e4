//! The catalogue of every finding code gwctl can report.
//!
//! Each pass declares its rules with [`declare_rule!`](crate::declare_rule) beside its code
//! (the loader's input rules, the schema rules, ...); this module lists them once, in code
//! order, for `gwctl rules`, `gwctl explain`, configuration, suppressions, machine formats
//! and the catalogue tests. Findings carry their rule ([`crate::diag::Diagnostic::rule`]), so
//! nothing here is consulted to report or render one: a code or name is looked up only where
//! a person typed it.
//!
//! The list is written out rather than gathered at run time so that its order is visible
//! and fixed; `tests/it/catalog.rs` checks that it is sorted, has no duplicate code or name,
//! and holds every rule declared under `src/`.

use crate::diag::RuleMeta;

/// Every rule, sorted by code.
static ALL: &[&RuleMeta] = &[
    // GW0xx: input (the loader; GW060: suppressions)
    &crate::load::rules::INVALID_YAML,
    &crate::load::rules::DUPLICATE_KEY,
    &crate::load::rules::ALIAS_BUDGET,
    &crate::load::rules::TOO_DEEP,
    &crate::load::rules::COMPLEX_KEY,
    &crate::load::rules::UNDEFINED_ALIAS,
    &crate::load::rules::AMBIGUOUS_SCALAR,
    &crate::load::rules::NON_FINITE_FLOAT,
    &crate::load::rules::BINARY_FILE,
    &crate::load::rules::NOT_UTF8,
    &crate::load::rules::FILE_TOO_LARGE,
    &crate::load::rules::INPUTS_TOO_LARGE,
    &crate::load::rules::TOO_MANY_OBJECTS,
    &crate::load::rules::NOT_A_MAPPING,
    &crate::load::rules::INVALID_API_VERSION,
    &crate::load::rules::INVALID_KIND,
    &crate::load::rules::INVALID_NAME,
    &crate::load::rules::INVALID_NAMESPACE,
    &crate::load::rules::DUPLICATE_OBJECT,
    &crate::load::rules::UNSERVED_VERSION,
    &crate::load::rules::UNKNOWN_KIND,
    &crate::load::rules::EMPTY_INPUT,
    &crate::load::suppression::UNUSED_SUPPRESSION,
    // GW1xx: structural schema validation
    &crate::schema::rules::UNKNOWN_FIELD,
    &crate::schema::rules::CHANNEL_FIELD,
    &crate::schema::rules::TYPE,
    &crate::schema::rules::REQUIRED,
    &crate::schema::rules::ENUM,
    &crate::schema::rules::PATTERN,
    &crate::schema::rules::RANGE,
    &crate::schema::rules::LENGTH,
    &crate::schema::rules::ITEMS,
    &crate::schema::rules::PROPERTIES,
    &crate::schema::rules::FORMAT,
    &crate::schema::rules::DUPLICATE_KEY,
    &crate::schema::rules::DUPLICATE_ITEM,
    &crate::schema::rules::NO_ALTERNATIVE,
    &crate::schema::rules::AMBIGUOUS,
    &crate::schema::rules::FORBIDDEN,
    &crate::schema::rules::METADATA,
    &crate::schema::rules::UNQUALIFIED_FINALIZER,
    &crate::schema::rules::RELEASE_FIELD,
    // GW2xx: the CRDs' CEL rules
    &crate::cel::rules::RULE_VIOLATED,
    &crate::cel::rules::RULE_NOT_EVALUABLE,
    &crate::cel::rules::RULE_UNSUPPORTED,
    &crate::cel::rules::RULES_NOT_CHECKED,
    &crate::cel::rules::RULE_OVER_BUDGET,
    // GW3xx: references between objects
    &crate::checks::refs::parents::GATEWAY_NOT_FOUND,
    &crate::checks::refs::parents::SECTION_NOT_FOUND,
    &crate::checks::refs::parents::PORT_NOT_FOUND,
    &crate::checks::refs::parents::SECTION_PORT_MISMATCH,
    &crate::checks::refs::parents::PROTOCOL_REJECTS_KIND,
    &crate::checks::refs::parents::NAMESPACE_NOT_ALLOWED,
    &crate::checks::refs::parents::HOSTNAME_MISMATCH,
    &crate::checks::refs::parents::NOT_ATTACHED,
    &crate::checks::refs::parents::SERVICE_PARENT_NOT_FOUND,
    &crate::checks::refs::parents::SERVICE_PARENT_PORT,
    &crate::checks::refs::backends::SERVICE_NOT_FOUND,
    &crate::checks::refs::backends::PORT_NOT_FOUND,
    &crate::checks::refs::backends::NOT_GRANTED,
    &crate::checks::refs::backends::ZERO_WEIGHTS,
    &crate::checks::refs::gateways::CLASS_NOT_FOUND,
    &crate::checks::refs::gateways::CERT_NOT_FOUND,
    &crate::checks::refs::gateways::CERT_INVALID,
    &crate::checks::refs::gateways::REF_NOT_GRANTED,
    &crate::checks::refs::gateways::CA_NOT_FOUND,
    &crate::checks::refs::gateways::CA_INVALID,
    &crate::checks::refs::gateways::CA_EXPIRED,
    &crate::checks::refs::gateways::PORT_CONFLICT,
    &crate::checks::refs::policies::TARGET_NOT_FOUND,
    &crate::checks::refs::policies::TARGET_SECTION_NOT_FOUND,
    &crate::checks::refs::policies::CONFLICT,
    &crate::checks::refs::policies::OVERRIDE,
    &crate::checks::refs::listeners::NO_CERTIFICATE,
    &crate::checks::refs::listeners::NO_SELECTOR,
    &crate::checks::refs::listenersets::LISTENERSET_GATEWAY_NOT_FOUND,
    &crate::checks::refs::listenersets::LISTENERSET_NOT_ALLOWED,
    &crate::checks::refs::listenersets::LISTENER_CONFLICT,
    &crate::checks::refs::parents::LISTENERSET_NOT_FOUND,
    &crate::checks::refs::gateway_tls::VALIDATION_UNUSED,
    &crate::checks::refs::gateway_tls::CA_SECRET_INVALID,
    &crate::checks::refs::policies::SEVERAL_TARGETS,
    &crate::checks::refs::policies::HOSTNAME_NOT_IN_SANS,
    &crate::checks::refs::rule_names::RULE_NOT_FOUND,
    // GW4xx: conflicts between routes
    &crate::checks::refs::precedence::UNREACHABLE_RULE,
    &crate::checks::refs::precedence::DUPLICATE_MATCH,
    &crate::checks::refs::rule_names::DUPLICATE_RULE_NAME,
    // GW5xx: migrations (GW50x), deprecations (GW510) and upgrades (GW52x)
    &crate::migrate::rules::UNMIGRATABLE_TARGET_NAMESPACE,
    &crate::migrate::rules::UNMIGRATABLE_OBJECT,
    &crate::migrate::rules::NAMESPACE_DEPENDENT_TARGET,
    &crate::migrate::rules::NOT_EXPRESSIBLE,
    &crate::migrate::rules::REMOVED_FIELD,
    &crate::migrate::rules::DROPPED_REMOVED_FIELD,
    &crate::migrate::rules::NEWER_THAN_TARGET,
    &crate::checks::refs::deprecations::DEPRECATED_VERSION,
    // GW52x: `gwctl upgrade`
    &crate::upgrade::rules::VERSION_NOT_SERVED_AFTER,
    &crate::upgrade::rules::REJECTED_AFTER,
    &crate::upgrade::rules::STORAGE_VERSION_MISFIT,
    &crate::upgrade::rules::STORED_VERSION_REMOVED,
    &crate::upgrade::rules::SAFE_UPGRADES_DENIED,
    &crate::upgrade::rules::DEFAULT_CHANGED,
    // GW6xx: live cluster (GW605, GW606: its Kubernetes version)
    &crate::checks::cluster::READ_SKIPPED,
    &crate::checks::cluster::KIND_NOT_INSTALLED,
    &crate::checks::cluster::VERSION_NOT_INSTALLED,
    &crate::checks::cluster::FIELD_NOT_INSTALLED,
    &crate::checks::kubernetes::TOO_OLD,
    &crate::checks::kubernetes::OUTSIDE_SUPPORT,
    // GW7xx: conformance features against an implementation's report
    &crate::features::check::FEATURE_NOT_SUPPORTED,
    &crate::features::check::REPORT_RELEASE_DIFFERS,
    &crate::features::check::IMPLEMENTATION_SPECIFIC,
    // GW8xx: `gwctl test`
    &crate::routetest::rules::EXPECTATION_FAILED,
    &crate::routetest::rules::UNKNOWN_KEY,
    &crate::routetest::rules::INVALID_VALUE,
    &crate::routetest::rules::INVALID_REQUEST,
    &crate::routetest::rules::BACKEND_NOT_IN_MANIFESTS,
    &crate::routetest::rules::DUPLICATE_CASE,
];

/// Every rule, sorted by code.
pub fn all() -> &'static [&'static RuleMeta] {
    ALL
}

/// A rule by its code (`GW030`) or name (`duplicate-object`), case-insensitively: for what a
/// person types (`gwctl explain`, the configuration file).
pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    ALL.iter().copied().find(|r| {
        r.code.eq_ignore_ascii_case(code_or_name) || r.name.eq_ignore_ascii_case(code_or_name)
    })
}
