//! gwctl's integration tests, linked into one binary: on a 2-core CI each separate test
//! crate cost its own link of gwctl and every dev-dependency.
//!
//! Each module is one area, as its own docs say. Snapshots of rendered output live in the
//! top-level `snapshots/` folder (see [`common::snapshot_settings`]); fixtures in
//! `tests/fixtures/`.

mod common;

mod catalog;
mod cel_parse;
mod cel_rules;
mod cli;
mod cli_inputs;
mod cluster;
mod conformance;
mod conformance_reports;
mod context;
mod features_cli;
mod features_conformance;
mod findings;
mod fix;
mod formats;
mod fuzz_regressions;
mod graph;
mod layers;
mod limits;
mod lint_props;
mod migrate;
mod migrate_cli;
mod migrate_props;
mod migrate_targets;
mod precommit;
mod progress;
mod refs_newer;
mod releases;
mod report;
mod routetest;
mod schema_agreement;
mod schema_examples;
mod schema_validation;
mod sim;
mod sim_http;
mod upgrade;
mod upstream_examples;
mod write_atomic;
mod yaml_fast;
