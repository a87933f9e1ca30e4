//! Secret values never reach output. Owns finding the `data` and `stringData` of Secrets in
//! a file's text, masking them in the text that is kept, and hiding the quoted parts of the
//! findings that point into them; also the same masking for text that `gwctl migrate` shows
//! ([`redact_secret_values`]).

use super::Options;
use super::limits::Raw;
use super::parse::parse_file;
use crate::diag::Diagnostic;
use crate::model::Object;
use crate::source::{FileId, Origin, Redactions};

/// Secret values never reach output. The values under a Secret's `data` and `stringData`
/// are overwritten in the kept source text with `*` (byte for byte, so every position stays
/// exact and snippets show the layout but not the value), and a finding inside one has the
/// quoted parts of its message and help replaced, since messages quote the user's value.
/// Objects keep their JSON, so checks can still read a Secret's key names and type.
pub(super) fn redact_secrets(
    objects: &[Object],
    text: &mut String,
    diags: &mut [Diagnostic],
) -> Redactions {
    let redactions = secret_regions(objects);
    if !redactions.is_empty() {
        redactions.apply(text);
        redact_messages(diags, &redactions);
    }
    redactions
}

/// The same redaction as `load` applies, for text that other commands show: `text` read as
/// a manifest file with the values of its Secrets masked, and the findings in `diags` that
/// are in `file` and point into those values with their quoted parts hidden. `gwctl
/// migrate` shows its findings' snippets and its diffs' context lines from this text, never
/// from the input.
pub fn redact_secret_values(file: FileId, text: &str, diags: &mut [Diagnostic]) -> String {
    let opts = Options {
        max_objects: usize::MAX,
        ..Options::default()
    };
    let r = parse_file(
        file,
        Origin::Stdin,
        Raw::text(text.to_owned()),
        &opts,
        &mut |_| (),
    );
    let mut masked = text.to_owned();
    if let Some(redactions) = r.source.redactions() {
        redactions.apply(&mut masked);
        for d in diags
            .iter_mut()
            .filter(|d| d.primary.as_ref().is_some_and(|p| p.file == file))
        {
            redact_messages(std::slice::from_mut(d), redactions);
        }
    }
    masked
}

/// The `data`/`stringData` mappings of Secrets, and the key spans in them that are shown.
fn secret_regions(objects: &[Object]) -> Redactions {
    // Whole `data`/`stringData` mappings are redacted, not just the values the tree kept: a
    // duplicate key's first value, or a comment, is text in the same place.
    let mut regions = Vec::new();
    let mut keep = Vec::new();
    for o in objects
        .iter()
        .filter(|o| o.group.is_empty() && o.kind == "Secret")
    {
        for field in ["data", "stringData"] {
            if let Some(map) = o.shape.root().get(field) {
                regions.push(map.span());
                keep.extend(map.entries().map(|e| e.key_span()));
            }
        }
    }
    Redactions::new(regions, keep)
}

pub(super) fn redact_messages(diags: &mut [Diagnostic], redactions: &Redactions) {
    for d in diags.iter_mut() {
        let Some(p) = &d.primary else { continue };
        if redactions.hides(p.span.start) {
            d.message = redact_quoted(&d.message).into_boxed_str();
            d.help = if d.is(&super::rules::AMBIGUOUS_SCALAR) {
                // Its help spells out the value twice ("write `true` for a boolean, or quote
                // it"); masked, that reads "write `(secret value hidden)`", and the boolean
                // it names would tell `yes` from `no`. Every value of a Secret's data and
                // stringData is a string, so there is one thing to say.
                Some(SECRET_SCALAR_HELP.into())
            } else {
                d.help.as_deref().map(|h| redact_quoted(h).into())
            };
        }
    }
}

/// What to do about a YAML 1.1 value inside a Secret, said without the value.
const SECRET_SCALAR_HELP: &str =
    "put the value in double quotes: the values of a Secret's data and stringData are strings";

/// Replace every `...` and "..." part of a message with a placeholder.
fn redact_quoted(m: &str) -> String {
    let mut out = String::with_capacity(m.len());
    let mut quote: Option<char> = None;
    for c in m.chars() {
        match quote {
            Some(q) if c == q => {
                out.push_str("(secret value hidden)");
                out.push(c);
                quote = None;
            }
            Some(_) => {}
            None if c == '`' || c == '"' => {
                out.push(c);
                quote = Some(c);
            }
            None => out.push(c),
        }
    }
    out
}
