//! The catalogue of every finding code gwctl can report.
//!
//! Each pass owns its rules' metadata beside its code (the loader's input rules, the schema
//! rules, ...); this module only lists them in one place, ordered by code, for `gwctl rules`,
//! `gwctl explain`, machine formats and the catalogue tests.

use std::sync::OnceLock;

use crate::diag::RuleMeta;

/// Every rule, sorted by code.
pub fn all() -> &'static [&'static RuleMeta] {
    static ALL: OnceLock<Vec<&'static RuleMeta>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut v: Vec<&'static RuleMeta> = crate::load::rules::RULES.to_vec();
        v.extend(crate::schema::RULES.iter());
        v.extend(crate::cel::RULES.iter().copied());
        v.extend(crate::checks::refs::rules());
        v.push(&crate::suppress::UNUSED);
        v.extend(crate::checks::cluster::RULES.iter());
        v.extend_from_slice(crate::migrate::rules::RULES);
        v.sort_by_key(|r| r.code);
        v
    })
}

/// A rule by its code (`GW030`) or name (`duplicate-object`), case-insensitively.
pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    all().iter().copied().find(|r| {
        r.code.eq_ignore_ascii_case(code_or_name) || r.name.eq_ignore_ascii_case(code_or_name)
    })
}

pub fn by_code(code: &str) -> Option<&'static RuleMeta> {
    all().iter().copied().find(|r| r.code == code)
}
