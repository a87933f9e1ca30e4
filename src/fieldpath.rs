//! Field paths inside one object (`spec.listeners[1].port`).
//!
//! Owns [`PathSeg`] and [`FieldPath`], the common address that schema validation, CEL rules
//! and reference checks use to say which field a finding is about; the loader turns a path
//! back into a source position. Imports nothing from the crate.

use std::borrow::Cow;
use std::fmt;

/// One step into a JSON-like value. Most keys are field names written in gwctl's own code
/// (`spec`, `rules`), which paths borrow rather than copy: the reference graph keeps a
/// path for every reference of a run.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PathSeg {
    Key(Cow<'static, str>),
    Index(usize),
}

/// A path from an object's root to one of its fields.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldPath(pub Vec<PathSeg>);

impl FieldPath {
    pub fn root() -> Self {
        FieldPath(Vec::new())
    }

    pub fn key(&self, k: impl Into<Cow<'static, str>>) -> Self {
        self.with(PathSeg::Key(k.into()))
    }

    pub fn index(&self, i: usize) -> Self {
        self.with(PathSeg::Index(i))
    }

    fn with(&self, seg: PathSeg) -> Self {
        let mut v = Vec::with_capacity(self.0.len() + 1);
        v.extend_from_slice(&self.0);
        v.push(seg);
        FieldPath(v)
    }

    pub fn push(&mut self, seg: PathSeg) {
        self.0.push(seg);
    }

    pub fn pop(&mut self) -> Option<PathSeg> {
        self.0.pop()
    }

    pub fn segments(&self) -> &[PathSeg] {
        &self.0
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The last key in the path, if the path ends in one.
    pub fn last_key(&self) -> Option<&str> {
        match self.0.last() {
            Some(PathSeg::Key(k)) => Some(k),
            _ => None,
        }
    }
}

impl fmt::Display for FieldPath {
    /// Prints `spec.listeners[1].port`; keys that are not plain identifiers are quoted the way
    /// `kubectl explain` users read them: `metadata.labels["app.kubernetes.io/name"]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                PathSeg::Index(n) => write!(f, "[{n}]")?,
                PathSeg::Key(k) => {
                    let plain = !k.is_empty()
                        && k.chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                    if plain {
                        if i > 0 {
                            f.write_str(".")?;
                        }
                        f.write_str(k)?;
                    } else {
                        write!(f, "[{k:?}]")?;
                    }
                }
            }
        }
        Ok(())
    }
}

impl From<Vec<PathSeg>> for FieldPath {
    fn from(v: Vec<PathSeg>) -> Self {
        FieldPath(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_like_kubectl_explain() {
        let p = FieldPath::root()
            .key("spec")
            .key("listeners")
            .index(1)
            .key("port");
        assert_eq!(p.to_string(), "spec.listeners[1].port");
        let p = FieldPath::root()
            .key("metadata")
            .key("labels")
            .key("app.kubernetes.io/name");
        assert_eq!(p.to_string(), "metadata.labels[\"app.kubernetes.io/name\"]");
    }
}
