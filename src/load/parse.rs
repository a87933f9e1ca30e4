//! One file's bytes → text → YAML documents → objects, with the findings made on the way.
//!
//! Owns refusing what is not a manifest file to read (over a size limit, UTF-16, binary,
//! invalid UTF-8), reading the YAML stream a batch of documents at a time, turning YAML
//! issues into findings ([`yaml_issue`]) and naming the object and field of every finding
//! made on text ([`attribute_to_objects`]). What makes a document an object is in
//! [`super::object`]; masking Secret values, in [`super::redact`].

use super::limits::Raw;
use super::object::document_objects;
use super::redact::redact_secrets;
use super::{Options, rules};
use crate::diag::{Diagnostic, Label};
use crate::model::Object;
use crate::source::{self, FileId, Origin, SourceFile, Span};
use crate::yaml::{self, Comment, IssueKind, NodeValue, Scalar};

/// One file as read: its source, objects and findings, and its suppression comments.
pub(super) struct FileResult {
    pub(super) source: SourceFile,
    pub(super) objects: Vec<Object>,
    pub(super) diagnostics: Vec<Diagnostic>,
    pub(super) comments: Vec<Comment>,
}

/// Objects are handed to [`parse_file`]'s `each` in batches of this many as they are read,
/// so that a large stream's objects are checked (and their JSON cut down) while it is read:
/// their JSON before that is many times their text.
const BATCH: usize = 64;

/// Read one file's text into objects and findings. `each` sees every object once, in
/// order, in batches ([`BATCH`]) as the stream is read, before the file's own findings are
/// attributed to objects and its Secret values masked.
pub(super) fn parse_file(
    id: FileId,
    origin: Origin,
    raw: Raw,
    opts: &Options,
    each: &mut dyn FnMut(&mut [Object]),
) -> FileResult {
    let (text, regular_file) = match decode(id, &origin, raw, opts) {
        Ok(decoded) => decoded,
        Err((text, diagnostics)) => {
            return FileResult {
                source: SourceFile::new(origin, text),
                objects: vec![],
                diagnostics,
                comments: vec![],
            };
        }
    };
    let text = match text.strip_prefix('\u{feff}') {
        // Keep offsets simple: replace the byte order mark by nothing the parser sees.
        Some(rest) => rest.to_owned(),
        None => text,
    };
    let (mut objects, stream, mut diags) = read_objects(id, &text, opts, each);
    attribute_to_objects(&objects, &mut diags);
    // Every file's objects wait here until all files are read; most files hold one or two
    // objects, and a vector grown by pushing has room for four.
    objects.shrink_to_fit();
    // A regular file may be read again to show its lines; the digest says whether it is still
    // the text the positions are about.
    let digest = (opts.snippets && regular_file).then(|| source::digest(&text));
    let mut text = text;
    let redactions = redact_secrets(&objects, &mut text, &mut diags);
    let source = SourceFile::new(origin, text).with_redactions(redactions);
    if objects.is_empty() && diags.is_empty() {
        let span = Span::new(
            0,
            source.text().map_or(0, |t| t.find('\n').unwrap_or(t.len())),
        );
        diags.push(
            Diagnostic::new(&rules::EMPTY_INPUT, "file contains no Kubernetes objects")
                .at(id, span),
        );
    }
    // A text is let go when nothing will show it, or when it can be read again; a pipe's
    // text, shown in snippets, is kept.
    let mut source = source;
    if matches!(source.origin, Origin::Path(_)) && (!opts.snippets || digest.is_some()) {
        source.let_go_of_text(digest);
    }
    // Only suppression comments are read after loading; a run keeps them for every file.
    let mut comments: Vec<Comment> = stream
        .comments
        .into_iter()
        .filter(|c| c.text.trim_start().starts_with(super::suppression::MARKER))
        .collect();
    // Collected in place, the list would keep room for all of the file's comments.
    comments.shrink_to_fit();
    FileResult {
        source,
        objects,
        diagnostics: diags,
        comments,
    }
}

/// A file's bytes as UTF-8 text, and whether they are all of a regular file; or, for a
/// file gwctl does not parse, the text to keep for it and the finding that says why.
fn decode(
    id: FileId,
    origin: &Origin,
    raw: Raw,
    opts: &Options,
) -> Result<(String, bool), (String, Vec<Diagnostic>)> {
    let refused = |d: Diagnostic| Err((String::new(), vec![d]));
    let (bytes, regular_file) = match raw {
        Raw::TooLarge(len) => {
            let name = origin.to_string();
            return refused(
                Diagnostic::new(
                    &rules::FILE_TOO_LARGE,
                    format!(
                        "file is {} bytes, more than the limit of {} bytes; gwctl did not read it",
                        len, opts.max_file_size
                    ),
                )
                .file_hint(name)
                .help("split the file, or raise the limit with --max-file-size"),
            );
        }
        Raw::OverTotal(len) => {
            let name = origin.to_string();
            return refused(
                Diagnostic::new(
                    &rules::INPUTS_TOO_LARGE,
                    format!(
                        "file is {len} bytes, which would take the inputs past the limit of {} \
                         bytes in all; gwctl did not read it",
                        opts.max_total_size
                    ),
                )
                .file_hint(name)
                .help("give fewer files at a time, or raise the limit with --max-total-size"),
            );
        }
        Raw::Bytes {
            bytes,
            regular_file,
        } => (bytes, regular_file),
    };
    let name = origin.to_string();
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return refused(
            Diagnostic::new(
                &rules::NOT_UTF8,
                "file is UTF-16 text; Kubernetes manifests must be UTF-8",
            )
            .file_hint(name)
            .help("save the file as UTF-8"),
        );
    }
    if bytes.contains(&0) {
        return refused(
            Diagnostic::new(
                &rules::BINARY_FILE,
                "file contains NUL bytes: it is binary, not YAML or JSON",
            )
            .file_hint(name)
            .help("remove it from the inputs, or exclude it with .gitignore or .gwctlignore"),
        );
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, regular_file)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // The lossy text keeps every byte before `at` in place, so the position is exact;
            // the bad byte became U+FFFD (three bytes), and the span covers all of it so no
            // renderer slices inside it
            // (tests/fixtures/fuzz-regressions/lint/not-utf8-span-splits-replacement-char).
            let end = at + text[at..].chars().next().map_or(0, char::len_utf8);
            let d = Diagnostic::new(
                &rules::NOT_UTF8,
                format!("file is not valid UTF-8: byte 0x{:02X} at offset {at} is not part of a UTF-8 character", e.as_bytes()[at]),
            )
            .at(id, Span::new(at, end))
            .help("save the file as UTF-8");
            // The text is kept, so the finding's snippet can show the bad byte's line.
            Err((text, vec![d]))
        }
    }
}

/// Read the YAML stream of `text` into objects, handing them to `each` in batches. Returns
/// the objects, the stream (for its comments), and the findings: the stream's issues first,
/// then those on the objects.
fn read_objects(
    id: FileId,
    text: &str,
    opts: &Options,
    each: &mut dyn FnMut(&mut [Object]),
) -> (Vec<Object>, yaml::Stream, Vec<Diagnostic>) {
    // A file cannot hold more objects than the run keeps; reading stops there.
    let limits = yaml::Limits {
        max_documents: opts.limits.max_documents.min(opts.max_objects),
        ..opts.limits
    };
    // Each document becomes objects as soon as it is read, and its tree is dropped: a
    // stream of many documents never holds all of their trees.
    let mut objects = Vec::new();
    let mut object_diags = Vec::new();
    let mut doc_index = 0;
    let mut handed = 0;
    let stream = yaml::parse_stream_with(text, &limits, &mut |doc| {
        // An empty document (`---` with nothing after it) is a null node; kubectl skips it.
        if let Some(root) = doc
            .root
            .filter(|r| r.value != NodeValue::Scalar(Scalar::Null))
        {
            document_objects(id, doc_index, root, &mut objects, &mut object_diags);
        }
        doc_index += 1;
        if objects.len() - handed >= BATCH {
            each(&mut objects[handed..]);
            handed = objects.len();
        }
    });
    each(&mut objects[handed..]);
    let mut diags: Vec<Diagnostic> = stream.issues.iter().map(|i| yaml_issue(id, i)).collect();
    diags.append(&mut object_diags);
    (objects, stream, diags)
}

/// Findings made while reading text (a duplicate key, a YAML 1.1 scalar) name the object and
/// field they fall in, like findings made on objects.
fn attribute_to_objects(objects: &[Object], diags: &mut [Diagnostic]) {
    for d in diags.iter_mut().filter(|d| d.object.is_none()) {
        let Some(at) = d.primary.as_ref().map(|p| p.span.start) else {
            continue;
        };
        // Objects are in text order and do not overlap (documents, then list items in
        // order), so the one containing `at` is found by bisection: a linear search made a
        // stream of 100,000 objects with a finding each take hours
        // (tests/it/limits.rs: a_million_tiny_documents_refuse_cleanly).
        let after = objects.partition_point(|o| o.shape.span().start <= at);
        let Some(o) = after
            .checked_sub(1)
            .map(|i| &objects[i])
            .filter(|o| at < o.shape.span().end)
        else {
            continue;
        };
        d.object = Some(o.object_ref());
        if d.field.is_none() {
            let path = o.shape.path_at(at);
            if !path.is_root() {
                d.field = Some(path.to_string().into_boxed_str());
            }
        }
    }
}

pub(crate) fn yaml_issue(file: FileId, issue: &yaml::Issue) -> Diagnostic {
    let meta = match issue.kind {
        IssueKind::Syntax => &rules::INVALID_YAML,
        IssueKind::DuplicateKey | IssueKind::MergedKey => &rules::DUPLICATE_KEY,
        IssueKind::AliasBudget => &rules::ALIAS_BUDGET,
        IssueKind::TooDeep => &rules::TOO_DEEP,
        IssueKind::ComplexKey => &rules::COMPLEX_KEY,
        IssueKind::UnknownAlias => &rules::UNDEFINED_ALIAS,
        IssueKind::Yaml11Scalar => &rules::AMBIGUOUS_SCALAR,
        IssueKind::NonFiniteFloat => &rules::NON_FINITE_FLOAT,
        IssueKind::TooManyDocuments => &rules::TOO_MANY_OBJECTS,
    };
    let mut d = Diagnostic::new(meta, issue.message.clone()).at(file, issue.span);
    if let Some(r) = issue.related {
        let what = match issue.kind {
            IssueKind::MergedKey => "merged from here",
            _ => "first defined here",
        };
        d = d.secondary(Label::new(file, r).with_message(what));
    }
    if let Some(h) = &issue.help {
        d = d.help(h.clone());
    }
    if issue.kind == IssueKind::TooManyDocuments {
        d = d.help("give fewer objects at a time, or raise the limit with --max-objects");
    }
    d
}
