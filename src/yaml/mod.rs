//! YAML streams → node trees with byte spans, read the way the Kubernetes API server reads them.
//!
//! Owns the [`Node`] tree (every value and every mapping key keeps its [`Span`]), the
//! comments of the stream, and the problems found while reading ([`Issue`]): syntax errors at
//! the parser's position, duplicate keys, alias bombs, excessive nesting and YAML 1.1 scalars
//! that YAML 1.2 reads differently. Scalars are resolved as go-yaml v2 resolves them (see
//! [`scalar`]), so [`Node::to_json`] yields the JSON that `kubectl` would send.
//!
//! Knows nothing about Kubernetes; imports only [`crate::source`] and [`crate::fieldpath`].
//! The tree is built from granit-parser's events with an explicit stack, so no input can
//! overflow the call stack while reading, and [`Limits`] bound depth and alias expansion.
//! The way back, JSON → YAML text that reads as the same JSON, is [`to_yaml`].

mod fast;
pub mod scalar;
mod shape;
mod write;

pub use shape::{Cursor, Place, Shape};
pub use write::to_yaml;

use std::borrow::Cow;
use std::collections::HashMap;

use granit_parser::{Event, Parser, ScalarStyle, ScanError, StructureStyle};
use serde_json::{Map, Value};

use crate::source::Span;

/// A value in a YAML document, with the span of its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: NodeValue,
    pub span: Span,
    /// Flow (`{a: 1}`, `[1]`) or block style; for scalars, whether the scalar was plain
    /// (unquoted), which migrations need to rewrite text faithfully.
    pub flow: bool,
    pub plain: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    /// A resolved scalar: null, bool, number or string.
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// A resolved scalar. Its JSON is the same as the [`Value`] it was resolved to, but it is
/// stored in 24 bytes where a `Value` takes 80 (with `preserve_order`, every `Value` is as
/// large as its object variant, an `IndexMap`), and a string keeps no spare capacity:
/// trees hold one per scalar of every input, so this is most of their memory.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(Box<str>),
}

impl Scalar {
    pub fn to_json(&self) -> Value {
        match self {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(*b),
            Scalar::Number(n) => Value::Number(n.clone()),
            // `String::from`, not `to_string`: on a `Box<str>` that goes through `Display`.
            Scalar::String(s) => Value::String(String::from(&**s)),
        }
    }
}

impl From<Value> for Scalar {
    /// [`scalar::resolve`] yields only scalars; a list or mapping (which it never returns)
    /// would be kept as its JSON text rather than lost.
    fn from(v: Value) -> Self {
        match v {
            Value::Null => Scalar::Null,
            Value::Bool(b) => Scalar::Bool(b),
            Value::Number(n) => Scalar::Number(n),
            Value::String(s) => Scalar::String(s.into_boxed_str()),
            other => Scalar::String(other.to_string().into_boxed_str()),
        }
    }
}

/// One `key: value` pair of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

impl Node {
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            NodeValue::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            NodeValue::Seq(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            NodeValue::Scalar(Scalar::String(s)) => Some(s),
            _ => None,
        }
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().find(|e| e.key == key)
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// A short description of the node's type, for messages ("a string", "a mapping").
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            NodeValue::Map(_) => "a mapping",
            NodeValue::Seq(_) => "a list",
            NodeValue::Scalar(Scalar::Null) => "null",
            NodeValue::Scalar(Scalar::Bool(_)) => "a boolean",
            NodeValue::Scalar(Scalar::Number(n)) if n.is_f64() => "a number",
            NodeValue::Scalar(Scalar::Number(_)) => "an integer",
            NodeValue::Scalar(Scalar::String(_)) => "a string",
        }
    }

    /// The JSON value of this node, as `kubectl` would send it.
    pub fn to_json(&self) -> Value {
        match &self.value {
            NodeValue::Scalar(v) => v.to_json(),
            NodeValue::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeValue::Map(entries) => {
                let mut m = Map::with_capacity(entries.len());
                for e in entries {
                    m.insert(e.key.clone(), e.value.to_json());
                }
                Value::Object(m)
            }
        }
    }

    fn size_and_height(&self) -> (usize, usize) {
        match &self.value {
            NodeValue::Scalar(_) => (1, 1),
            NodeValue::Seq(items) => items.iter().fold((1, 1), |(s, h), n| {
                let (ns, nh) = n.size_and_height();
                (s + ns, h.max(nh + 1))
            }),
            NodeValue::Map(entries) => entries.iter().fold((1, 1), |(s, h), e| {
                let (ns, nh) = e.value.size_and_height();
                (s + ns + 1, h.max(nh + 1))
            }),
        }
    }
}

/// "a string", "an integer", ... for a JSON value.
pub fn json_type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// One document of a stream.
#[derive(Debug, Clone)]
pub struct Document {
    /// `None` for an empty document, or one that could not be read (see the stream's issues).
    pub root: Option<Node>,
    /// From the start marker (or first content) to the end of the document.
    pub span: Span,
    /// Whether the document was abandoned because of an [`Issue`].
    pub broken: bool,
}

/// A `# comment` and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub span: Span,
    /// The text after `#`.
    pub text: String,
    /// Nothing but white space precedes it on its line (it is not after a value).
    pub own_line: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueKind {
    /// Not valid YAML; the document is skipped.
    Syntax,
    /// The same key twice in one mapping; the later value is kept, as JSON decoders do.
    DuplicateKey,
    /// A key set both by a merge key (`<<`) and otherwise in one mapping, or by two merged
    /// mappings: Kubernetes' strict YAML decoder rejects it like a duplicate key. The written
    /// key wins over merged ones, and earlier merged mappings over later ones.
    MergedKey,
    /// Aliases would expand past the budget (a "billion laughs" document); skipped.
    AliasBudget,
    /// Nesting deeper than [`Limits::max_depth`]; skipped.
    TooDeep,
    /// A mapping or list used as a mapping key, which JSON cannot represent; skipped.
    ComplexKey,
    /// An alias to an anchor that does not exist.
    UnknownAlias,
    /// A plain scalar that YAML 1.1 (Kubernetes) and YAML 1.2 read differently.
    Yaml11Scalar,
    /// A value that Kubernetes reads as an infinite or NaN float (`.inf`, `.nan`), which JSON
    /// cannot hold: kubectl and the API server refuse the document. The text is kept as a
    /// string.
    NonFiniteFloat,
    /// More documents than [`Limits::max_documents`]; the rest of the stream is not read.
    TooManyDocuments,
}

/// A problem found while reading a stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub kind: IssueKind,
    pub span: Span,
    pub message: String,
    /// Another place that explains it (the first occurrence of a duplicate key).
    pub related: Option<Span>,
    pub help: Option<String>,
}

/// Bounds that keep memory and time proportional to the input.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Deepest nesting accepted. Kubernetes objects rarely go past 20 levels.
    pub max_depth: usize,
    /// Nodes that aliases may add to one document beyond those written out, at least this
    /// many and at most as many as the document writes out itself.
    pub alias_budget: usize,
    /// Documents read from one stream; reading stops after this many, so a stream of a
    /// million tiny documents costs memory for this many only.
    pub max_documents: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 200,
            alias_budget: 10_000,
            max_documents: usize::MAX,
        }
    }
}

/// Everything read from one YAML stream.
#[derive(Debug, Default)]
pub struct Stream {
    pub documents: Vec<Document>,
    pub issues: Vec<Issue>,
    pub comments: Vec<Comment>,
}

/// Failure to read YAML as plain data, for gwctl's own embedded files and CRDs.
#[derive(Debug, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Read a stream as JSON values, failing on the first syntax or structure problem. Empty
/// documents are skipped. For data gwctl trusts more than user manifests (its own schemas,
/// CRDs); manifests go through [`parse_stream`] to get every finding.
pub fn parse_json_documents(text: &str) -> Result<Vec<Value>, YamlError> {
    let stream = parse_stream(text, &Limits::default());
    if let Some(issue) = stream
        .issues
        .iter()
        .find(|i| i.kind != IssueKind::Yaml11Scalar)
    {
        let file = crate::source::SourceFile::new(crate::source::Origin::Stdin, text);
        let (line, column) = file.line_col(issue.span.start);
        return Err(YamlError {
            line,
            column,
            message: issue.message.clone(),
        });
    }
    Ok(stream
        .documents
        .iter()
        .filter_map(|d| d.root.as_ref().map(Node::to_json))
        .collect())
}

/// Read a whole stream, recovering at the next document after a syntax error.
pub fn parse_stream(text: &str, limits: &Limits) -> Stream {
    keeping_documents(text, limits, Readers::FastFirst)
}

/// [`parse_stream`], handing each document to `each` as soon as it is read instead of
/// keeping it (the returned stream's `documents` is empty): a stream of many documents
/// (`helm template` output) never holds all of their trees, each many times its text.
///
/// Documents are read by gwctl's own reader (`src/yaml/fast.rs`) while they keep to the
/// plain block YAML that manifests are written in; from the first document that does not,
/// granit-parser reads the rest of the stream. Both hand the same events to one tree
/// builder, so the result does not depend on which reader read a document
/// (tests/it/yaml_fast.rs holds them to that).
pub fn parse_stream_with(text: &str, limits: &Limits, each: &mut dyn FnMut(Document)) -> Stream {
    read(text, limits, each, Readers::FastFirst)
}

/// [`parse_stream`] with granit-parser reading every document: the reference that the fast
/// reader is held to (tests/it/yaml_fast.rs).
#[doc(hidden)]
pub fn parse_stream_general(text: &str, limits: &Limits) -> Stream {
    keeping_documents(text, limits, Readers::GranitOnly)
}

/// Which readers read a stream.
#[derive(Clone, Copy)]
enum Readers {
    /// The fast reader, then granit-parser from the first document it declines.
    FastFirst,
    /// granit-parser alone.
    GranitOnly,
}

fn read(text: &str, limits: &Limits, each: &mut dyn FnMut(Document), readers: Readers) -> Stream {
    let mut b = Builder::new(text, *limits, each);
    let rest = match readers {
        Readers::FastFirst => fast::read(text, limits, &mut |ev, sp| b.event(ev, sp)),
        Readers::GranitOnly => Some(0),
    };
    if let Some(rest) = rest {
        read_with_granit(text, rest, &mut b);
    }
    b.finish()
}

/// [`read`], keeping the documents in the stream.
fn keeping_documents(text: &str, limits: &Limits, readers: Readers) -> Stream {
    let mut documents = Vec::new();
    let mut stream = read(text, limits, &mut |doc| documents.push(doc), readers);
    stream.documents = documents;
    stream
}

/// Where the fast reader would hand `text` over to granit-parser (`None`: it reads it all),
/// and the line of `src/yaml/fast.rs` that decided it.
#[doc(hidden)]
pub fn fast_reader_stops_at(text: &str) -> Option<(usize, u32)> {
    fast::read_or_decline(text, &Limits::default(), &mut |_, _| true)
}

/// Reads `text[from..]` with granit-parser. `from` is 0 or the start of a `---` line that
/// ends the documents read before it, where the parser's state is that of a new stream.
fn read_with_granit(text: &str, from: usize, b: &mut Builder<'_, '_>) {
    let rest = &text[from..];
    let mut options = granit_parser::Options::default();
    // Report `*name` without an anchor as its own finding, not as a syntax error.
    options.emit_unresolved_aliases = true;
    let mut parser = Parser::new_from_str_with_options(rest, options);
    let offset = |m: &granit_parser::Marker| {
        from + m
            .byte_offset()
            .unwrap_or_else(|| char_to_byte(rest, m.index()))
            .min(rest.len())
    };
    loop {
        match parser.next_event() {
            None => break,
            Some(Ok((event, span))) => {
                let sp = Span::new(offset(&span.start), offset(&span.end));
                let Some(ev) = Ev::from_granit(event) else {
                    continue;
                };
                if !b.event(ev, sp) {
                    break;
                }
            }
            Some(Err(err)) => {
                b.syntax_error(&err, offset(err.marker()));
                match parser.proceed_next_document() {
                    Ok(true) => continue,
                    Ok(false) | Err(_) => break,
                }
            }
        }
    }
}

/// The byte offset of the `chars`-th character of `text` (its length past the end).
fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map(|(b, _)| b)
        .unwrap_or(text.len())
}

/// What the tree builder needs of a reader's event; both readers produce these.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ev<'t> {
    DocumentStart,
    DocumentEnd,
    Comment(Cow<'t, str>),
    Scalar {
        text: Cow<'t, str>,
        style: ScalarStyle,
        anchor: usize,
        /// The suffix of a `tag:yaml.org,2002:` tag (`str`, `int`), the only tags that
        /// change how a scalar reads.
        core_tag: Option<String>,
    },
    SequenceStart {
        flow: bool,
        anchor: usize,
    },
    SequenceEnd,
    MappingStart {
        flow: bool,
        anchor: usize,
    },
    MappingEnd,
    Alias(usize),
    UnresolvedAlias(Cow<'t, str>),
}

impl<'t> Ev<'t> {
    /// The event the builder needs, or `None` for one it ignores (stream bounds, anchor
    /// metadata and presentation-only events later parser versions may add).
    fn from_granit(event: Event<'t>) -> Option<Self> {
        Some(match event {
            Event::DocumentStart(..) => Ev::DocumentStart,
            Event::DocumentEnd => Ev::DocumentEnd,
            Event::Comment(text, _) => Ev::Comment(text),
            Event::Scalar(text, style, anchor, tag) => Ev::Scalar {
                text,
                style,
                anchor,
                core_tag: tag.and_then(|t| t.core_suffix().map(str::to_owned)),
            },
            Event::SequenceStart(style, anchor, _) => Ev::SequenceStart {
                flow: style == StructureStyle::Flow,
                anchor,
            },
            Event::SequenceEnd => Ev::SequenceEnd,
            Event::MappingStart(style, anchor, _) => Ev::MappingStart {
                flow: style == StructureStyle::Flow,
                anchor,
            },
            Event::MappingEnd => Ev::MappingEnd,
            Event::Alias(id) => Ev::Alias(id),
            Event::UnresolvedAlias(name) => Ev::UnresolvedAlias(name),
            _ => return None,
        })
    }
}

/// The keys of one mapping so far, with where each was first written: a short list scanned
/// in place while the mapping is small (most have a handful of keys, and hashing each key
/// cost more than comparing it), a hash map once it grows, so that a huge mapping stays
/// linear.
#[derive(Default)]
struct Keys {
    few: Vec<(String, Span)>,
    many: HashMap<String, Span>,
}

impl Keys {
    const FEW: usize = 16;

    fn get(&self, key: &str) -> Option<Span> {
        if self.many.is_empty() {
            self.few.iter().find(|(k, _)| k == key).map(|(_, s)| *s)
        } else {
            self.many.get(key).copied()
        }
    }

    fn insert(&mut self, key: String, span: Span) {
        if self.many.is_empty() && self.few.len() < Self::FEW {
            self.few.push((key, span));
        } else {
            self.many.extend(self.few.drain(..));
            self.many.insert(key, span);
        }
    }
}

enum Frame {
    Seq {
        items: Vec<Node>,
        start: usize,
        flow: bool,
        anchor: usize,
    },
    Map {
        entries: Vec<Entry>,
        start: usize,
        flow: bool,
        anchor: usize,
        pending_key: Option<(String, Span, bool)>,
        seen: Keys,
        /// The values of `<<` keys, with the span of each key.
        merges: Vec<(Span, Node)>,
    },
}

struct Builder<'t, 'e> {
    text: &'t str,
    limits: Limits,
    stream: Stream,
    /// Where each document goes once read, and how many went.
    each: &'e mut dyn FnMut(Document),
    documents: usize,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize, usize)>,
    doc_start: Option<usize>,
    doc_root: Option<Node>,
    /// Set when the current document was abandoned; events are ignored until its end.
    skipping: bool,
    written_nodes: usize,
    aliased_nodes: usize,
}

impl<'t, 'e> Builder<'t, 'e> {
    fn new(text: &'t str, limits: Limits, each: &'e mut dyn FnMut(Document)) -> Self {
        Builder {
            text,
            limits,
            stream: Stream::default(),
            each,
            documents: 0,
            stack: Vec::new(),
            anchors: HashMap::new(),
            doc_start: None,
            doc_root: None,
            skipping: false,
            written_nodes: 0,
            aliased_nodes: 0,
        }
    }

    /// Handle one event; returns false to stop reading.
    fn event(&mut self, event: Ev<'_>, sp: Span) -> bool {
        match event {
            Ev::Comment(text) => {
                let before = self.text.get(..sp.start).unwrap_or_default();
                let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
                self.stream.comments.push(Comment {
                    span: sp,
                    text: text.into_owned(),
                    own_line: line.trim().is_empty(),
                });
            }
            Ev::DocumentStart => {
                if self.full(sp.start) {
                    return false;
                }
                self.reset_document();
                self.doc_start = Some(sp.start);
            }
            Ev::DocumentEnd => self.end_document(sp.end),
            _ if self.skipping => {}
            Ev::Scalar {
                text,
                style,
                anchor,
                core_tag: core,
            } => {
                let mut resolved = scalar::resolve(&text, style, core.as_deref());
                if let Some(reading) = &resolved.yaml12_differs {
                    self.yaml11_issue(&text, &resolved.value, reading, sp);
                }
                // Block scalars (`|`, `>`) end after their trailing line breaks; point at
                // the content only, so findings and edits stop at the last line of text.
                let trimmed = self
                    .text
                    .get(sp.start..sp.end)
                    .map_or(0, |t| t.len() - t.trim_end().len());
                let sp = Span::new(sp.start, sp.end - trimmed);
                if let Some(f) = scalar::non_finite(&text, style, core.as_deref()) {
                    // A key becomes a string (sigs.k8s.io/yaml spells it `.inf`); a value
                    // fails the conversion to JSON.
                    let is_key = matches!(
                        self.stack.last(),
                        Some(Frame::Map {
                            pending_key: None,
                            ..
                        })
                    );
                    if is_key {
                        resolved.value = Value::String(f.key_text().into());
                    } else {
                        self.non_finite_issue(&text, f, core.is_some(), sp);
                    }
                }
                let node = Node {
                    value: NodeValue::Scalar(resolved.value.into()),
                    span: sp,
                    flow: false,
                    plain: style == ScalarStyle::Plain,
                };
                self.written_nodes += 1;
                self.complete(node, anchor);
            }
            Ev::SequenceStart { flow, anchor } if self.push_guard(sp) => {
                self.stack.push(Frame::Seq {
                    items: Vec::new(),
                    start: sp.start,
                    flow,
                    anchor,
                });
            }
            Ev::MappingStart { flow, anchor } if self.push_guard(sp) => {
                self.stack.push(Frame::Map {
                    entries: Vec::new(),
                    start: sp.start,
                    flow,
                    anchor,
                    pending_key: None,
                    seen: Keys::default(),
                    merges: Vec::new(),
                });
            }
            Ev::SequenceEnd => {
                if let Some(Frame::Seq {
                    items,
                    start,
                    flow,
                    anchor,
                }) = self.stack.pop()
                {
                    let end = items.last().map_or(sp.end, |n| n.span.end).max(if flow {
                        sp.end
                    } else {
                        0
                    });
                    self.written_nodes += 1;
                    let node = Node {
                        value: NodeValue::Seq(items),
                        span: Span::new(start, end),
                        flow,
                        plain: false,
                    };
                    self.complete(node, anchor);
                }
            }
            Ev::MappingEnd => {
                if let Some(Frame::Map {
                    mut entries,
                    start,
                    flow,
                    anchor,
                    merges,
                    ..
                }) = self.stack.pop()
                {
                    // The mapping ends with its last written entry or `<<` value; merged
                    // entries keep the spans of the mapping they were written in.
                    let written_end = entries.last().map(|e| e.value.span.end);
                    let merges_end = merges.iter().map(|(_, n)| n.span.end).max();
                    apply_merges(&mut entries, merges, &mut self.stream.issues);
                    let flow_end = if flow { sp.end } else { 0 };
                    let end = written_end.max(merges_end).unwrap_or(sp.end).max(flow_end);
                    self.written_nodes += 1;
                    let node = Node {
                        value: NodeValue::Map(entries),
                        span: Span::new(start, end),
                        flow,
                        plain: false,
                    };
                    self.complete(node, anchor);
                }
            }
            Ev::Alias(id) => self.alias(id, sp),
            Ev::UnresolvedAlias(name) => {
                self.abandon(
                    IssueKind::UnknownAlias,
                    sp,
                    format!("alias `*{name}` refers to no anchor defined before it"),
                    Some("define the anchor (`&name`) before its first use in the same document"),
                );
            }
            // A collection past the depth limit (the document is abandoned).
            Ev::SequenceStart { .. } | Ev::MappingStart { .. } => {}
        }
        true
    }

    fn yaml11_issue(&mut self, text: &str, value: &Value, reading: &str, span: Span) {
        self.stream.issues.push(Issue {
            kind: IssueKind::Yaml11Scalar,
            span,
            message: format!(
                "`{text}` is read by Kubernetes (YAML 1.1) as {} `{value}`, but as {reading} by YAML 1.2 tools",
                json_type_name(value).trim_start_matches("a ").trim_start_matches("an "),
            ),
            related: None,
            help: Some(match value {
                Value::Bool(_) => format!("write `{value}` for a boolean, or quote it (\"{text}\") for a string"),
                _ => format!("write `{value}` for the number, or quote it (\"{text}\") for a string"),
            }),
        });
    }

    fn non_finite_issue(&mut self, text: &str, f: scalar::NonFinite, tagged: bool, span: Span) {
        let go = f.go_name();
        self.stream.issues.push(Issue {
            kind: IssueKind::NonFiniteFloat,
            span,
            message: format!(
                "`{text}` is read by Kubernetes (YAML 1.1) as the float {go}, which JSON cannot hold; kubectl and the API server refuse the document (\"unsupported value: {go}\")"
            ),
            related: None,
            help: Some(if tagged {
                format!("drop the `!!float` tag and quote the value (\"{text}\") if a string is meant; a number field needs a finite number")
            } else {
                format!("quote it (\"{text}\") if a string is meant; a number field needs a finite number")
            }),
        });
    }

    /// Checks the depth limit before opening a collection.
    fn push_guard(&mut self, sp: Span) -> bool {
        if self.stack.len() >= self.limits.max_depth {
            self.abandon(
                IssueKind::TooDeep,
                sp,
                format!(
                    "document nests deeper than {} levels; gwctl stops reading it here",
                    self.limits.max_depth
                ),
                None,
            );
            return false;
        }
        true
    }

    fn alias(&mut self, id: usize, sp: Span) {
        let Some((node, size, height)) = self.anchors.get(&id) else {
            self.abandon(
                IssueKind::UnknownAlias,
                sp,
                "alias refers to no anchor defined before it".into(),
                None,
            );
            return;
        };
        let budget = self.limits.alias_budget.max(self.written_nodes);
        if self.aliased_nodes + size > budget {
            self.abandon(
                IssueKind::AliasBudget,
                sp,
                format!(
                    "aliases in this document expand to more than {budget} extra values (an \"alias bomb\"); gwctl does not read it"
                ),
                Some("write the repeated values out, or use fewer levels of aliases"),
            );
            return;
        }
        if self.stack.len() + height > self.limits.max_depth {
            self.abandon(
                IssueKind::TooDeep,
                sp,
                format!(
                    "this alias makes the document nest deeper than {} levels; gwctl stops reading it here",
                    self.limits.max_depth
                ),
                None,
            );
            return;
        }
        self.aliased_nodes += size;
        let mut node = node.clone();
        // Findings about an aliased value point at the alias, where the user placed it.
        node.span = sp;
        self.complete(node, 0);
    }

    /// Attach a finished node to its parent (or make it the document root).
    fn complete(&mut self, node: Node, anchor: usize) {
        if anchor != 0 {
            let (size, height) = node.size_and_height();
            self.anchors.insert(anchor, (node.clone(), size, height));
        }
        match self.stack.last_mut() {
            None => self.doc_root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                pending_key: pending @ None,
                ..
            }) => {
                let key = match &node.value {
                    NodeValue::Scalar(v) => (scalar_key(v), node.span, node.plain),
                    _ => {
                        self.abandon(
                            IssueKind::ComplexKey,
                            node.span,
                            format!(
                                "{} is used as a mapping key; Kubernetes objects only have string keys",
                                node.type_name()
                            ),
                            None,
                        );
                        return;
                    }
                };
                *pending = Some(key);
            }
            Some(Frame::Map {
                pending_key,
                entries,
                seen,
                merges,
                ..
            }) => {
                let Some((key, key_span, plain)) = pending_key.take() else {
                    return;
                };
                if plain && key == "<<" {
                    merges.push((key_span, node));
                    return;
                }
                if let Some(first) = seen.get(&key) {
                    let issue = Issue {
                        kind: IssueKind::DuplicateKey,
                        span: key_span,
                        message: format!("duplicate key `{key}` in this mapping"),
                        related: Some(first),
                        help: Some(
                            "remove one of them; kubectl rejects the file, and other tools keep only one of the values".into(),
                        ),
                    };
                    self.stream.issues.push(issue);
                    entries.retain(|e| e.key != key);
                } else {
                    seen.insert(key.clone(), key_span);
                }
                entries.push(Entry {
                    key,
                    key_span,
                    value: node,
                });
            }
        }
    }

    fn abandon(&mut self, kind: IssueKind, span: Span, message: String, help: Option<&str>) {
        self.stream.issues.push(Issue {
            kind,
            span,
            message,
            related: None,
            help: help.map(str::to_owned),
        });
        self.skipping = true;
        self.stack.clear();
        self.doc_root = None;
    }

    /// A syntax error at byte `offset`: the document it is in is reported and dropped.
    fn syntax_error(&mut self, err: &ScanError, offset: usize) {
        let offset = offset.min(self.text.len());
        // A marker is a character position; never let a byte offset split a character.
        let offset = floor_char_boundary(self.text, offset);
        let line_start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.text[offset..]
            .find('\n')
            .map_or(self.text.len(), |i| offset + i);
        let line = &self.text[line_start..line_end];
        let help = if line.trim_start_matches(' ').starts_with('\t') || err.info().contains("tab") {
            Some("YAML does not allow tabs for indentation; indent with spaces".to_owned())
        } else {
            None
        };
        // The parser has its own nesting limit, a little above ours; report it the same way.
        let (kind, message) = if err.info().contains("recursion limit") {
            (
                IssueKind::TooDeep,
                format!(
                    "document nests deeper than {} levels; gwctl stops reading it here",
                    self.limits.max_depth
                ),
            )
        } else {
            (IssueKind::Syntax, format!("invalid YAML: {}", err.info()))
        };
        self.stream.issues.push(Issue {
            kind,
            // The character at the position (not its first byte: `é` is two), so every
            // renderer can slice the span (tests/it/lint_props.rs, positions_are_inside_their_file).
            span: Span::new(
                offset,
                self.text[offset..line_end]
                    .chars()
                    .next()
                    .map_or(offset, |c| offset + c.len_utf8()),
            ),
            message,
            related: None,
            help,
        });
        let start = self.doc_start.unwrap_or(0);
        self.emit(Document {
            root: None,
            span: Span::new(start, offset),
            broken: true,
        });
        self.stack.clear();
        self.doc_root = None;
        self.doc_start = None;
        self.skipping = false;
    }

    fn reset_document(&mut self) {
        self.stack.clear();
        self.anchors.clear();
        self.doc_root = None;
        self.skipping = false;
        self.written_nodes = 0;
        self.aliased_nodes = 0;
    }

    fn end_document(&mut self, end: usize) {
        let start = self.doc_start.take().unwrap_or(0);
        let root = self.doc_root.take();
        let end = root.as_ref().map_or(end, |r| r.span.end.max(end));
        self.emit(Document {
            root,
            span: Span::new(start, end),
            broken: self.skipping,
        });
        self.reset_document();
    }

    fn emit(&mut self, doc: Document) {
        self.documents += 1;
        (self.each)(doc);
    }

    /// Whether a document starting at `at` is one more than [`Limits::max_documents`];
    /// if so, says so there (reading stops).
    fn full(&mut self, at: usize) -> bool {
        if self.documents < self.limits.max_documents {
            return false;
        }
        self.stream.issues.push(Issue {
            kind: IssueKind::TooManyDocuments,
            span: Span::point(at),
            message: format!(
                "the stream has more than {} documents; gwctl stopped reading it here",
                self.limits.max_documents
            ),
            related: None,
            help: None,
        });
        true
    }

    fn finish(self) -> Stream {
        self.stream
    }
}

/// The largest character boundary of `text` at or before `i`.
fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// JSON object keys are strings: sigs.k8s.io/yaml prints other scalar keys as text.
fn scalar_key(v: &Scalar) -> String {
    match v {
        Scalar::String(s) => String::from(&**s),
        Scalar::Null => "null".into(),
        Scalar::Bool(b) => b.to_string(),
        Scalar::Number(n) => n.to_string(),
    }
}

/// YAML merge keys (`<<: *defaults`): merged entries never override keys written out, and
/// an earlier merged mapping wins over a later one. Every key that is set twice that way is
/// an issue: the API server decodes YAML strictly, and its decoder (go-yaml v2) sets merged
/// keys one by one into the same mapping, so that a key written beside a merge, or merged
/// twice, is "already set in map". Each such key is reported once: at the written key, or
/// at the `<<` whose mapping sets it again.
fn apply_merges(entries: &mut Vec<Entry>, merges: Vec<(Span, Node)>, issues: &mut Vec<Issue>) {
    if merges.is_empty() {
        return;
    }
    let written = entries.len();
    // Where each key is, by index into `entries`: a map, not a search of `entries` per
    // merged key, as merging a mapping of 100,000 keys into another took minutes
    // (tests/it/limits.rs: merging_large_mappings_is_linear).
    let mut at: HashMap<String, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.key.clone(), i))
        .collect();
    let mut reported: std::collections::HashSet<String> = std::collections::HashSet::new();
    for (merge_key, merge) in merges {
        let sources: Vec<Node> = match merge.value {
            NodeValue::Map(_) => vec![merge],
            NodeValue::Seq(items) => items,
            NodeValue::Scalar(_) => continue,
        };
        for src in sources {
            let NodeValue::Map(src_entries) = src.value else {
                continue;
            };
            for e in src_entries {
                let Some(&i) = at.get(&e.key) else {
                    at.insert(e.key.clone(), entries.len());
                    entries.push(e);
                    continue;
                };
                if !reported.insert(e.key.clone()) {
                    continue;
                }
                issues.push(if i < written {
                    Issue {
                        kind: IssueKind::MergedKey,
                        span: entries[i].key_span,
                        message: format!(
                            "key `{k}` is also set by the merge key `<<` of this mapping, and Kubernetes reads YAML strictly: a key cannot override a merged one (key \"{k}\" already set in map)",
                            k = e.key
                        ),
                        related: Some(e.key_span),
                        help: Some("remove the key here or from the merged mapping, or write the mapping out without `<<`".into()),
                    }
                } else {
                    Issue {
                        kind: IssueKind::MergedKey,
                        span: merge_key,
                        message: format!(
                            "the merge key `<<` sets `{k}` a second time, and Kubernetes reads YAML strictly: two merged mappings cannot share a key (key \"{k}\" already set in map)",
                            k = e.key
                        ),
                        related: Some(entries[i].key_span),
                        help: Some("merge mappings that share no key, or write the mapping out without `<<`".into()),
                    }
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A syntax error at a multi-byte character covers the whole character (found by
    /// tests/it/lint_props.rs; a one-byte span made renderers slice inside `é`).
    #[test]
    fn syntax_error_span_covers_a_whole_character() {
        let text = "metadata:\n  namespace: ''\u{e9}infra\n";
        let s = parse(text);
        let i = s
            .issues
            .iter()
            .find(|i| i.kind == IssueKind::Syntax)
            .unwrap();
        assert_eq!(&text[i.span.start..i.span.end], "\u{e9}");
    }

    #[test]
    fn documents_are_handed_over_one_by_one_as_read() {
        let text = "a: 1\n---\nb: [\n---\nc: 3\n";
        let mut seen = Vec::new();
        let s = parse_stream_with(text, &Limits::default(), &mut |d| {
            seen.push((d.span, d.broken, d.root.map(|r| r.to_json())));
        });
        assert!(s.documents.is_empty());
        let whole = parse_stream(text, &Limits::default());
        let kept: Vec<_> = whole
            .documents
            .into_iter()
            .map(|d| (d.span, d.broken, d.root.map(|r| r.to_json())))
            .collect();
        assert_eq!(seen, kept);
        assert_eq!(seen.len(), 3, "{seen:?}");
        assert_eq!(s.issues.len(), whole.issues.len());
    }

    #[test]
    fn reading_stops_after_max_documents() {
        let text = "a: 1\n---\nb: 2\n---\nc: 3\n";
        let limits = Limits {
            max_documents: 2,
            ..Limits::default()
        };
        let s = parse_stream(text, &limits);
        assert_eq!(s.documents.len(), 2);
        let i = s
            .issues
            .iter()
            .find(|i| i.kind == IssueKind::TooManyDocuments)
            .unwrap();
        assert_eq!(i.span.start, text.rfind("---").unwrap());
        // Exactly the limit: nothing to say.
        let s = parse_stream("a: 1\n---\nb: 2\n", &limits);
        assert!(s.issues.is_empty(), "{:?}", s.issues);
    }

    fn parse(text: &str) -> Stream {
        parse_stream(text, &Limits::default())
    }

    #[test]
    fn spans_point_at_keys_and_values() {
        let text = "a: 1\nb:\n  - x\n  - {c: d}\n";
        let s = parse(text);
        assert!(s.issues.is_empty(), "{:?}", s.issues);
        let root = s.documents[0].root.as_ref().unwrap();
        let b = root.entry("b").unwrap();
        assert_eq!(&text[b.key_span.start..b.key_span.end], "b");
        let items = b.value.as_seq().unwrap();
        assert_eq!(&text[items[0].span.start..items[0].span.end], "x");
        assert_eq!(&text[items[1].span.start..items[1].span.end], "{c: d}");
        assert_eq!(root.to_json(), json!({"a": 1, "b": ["x", {"c": "d"}]}));
        let shape = Shape::of(root);
        let loc = shape.locate(
            &crate::fieldpath::FieldPath::root()
                .key("b")
                .index(1)
                .key("c"),
        );
        let span = loc.span.unwrap();
        assert_eq!(&text[span.start..span.end], "d");
        let missing = shape.locate(&crate::fieldpath::FieldPath::root().key("b").index(7));
        assert!(missing.span.is_none());
        assert_eq!(missing.depth, 1);
    }

    #[test]
    fn multi_document_streams_recover_after_syntax_errors() {
        let s = parse("a: 1\n---\nb: [unclosed\n---\nc: 3\n");
        let roots: Vec<_> = s
            .documents
            .iter()
            .map(|d| d.root.as_ref().map(Node::to_json))
            .collect();
        assert_eq!(roots.first().cloned().flatten(), Some(json!({"a": 1})));
        assert_eq!(roots.last().cloned().flatten(), Some(json!({"c": 3})));
        assert_eq!(
            s.issues
                .iter()
                .filter(|i| i.kind == IssueKind::Syntax)
                .count(),
            1
        );
    }

    #[test]
    fn duplicate_keys_are_reported_with_both_places() {
        let text = "a: 1\nb: 2\na: 3\n";
        let s = parse(text);
        let dup = &s.issues[0];
        assert_eq!(dup.kind, IssueKind::DuplicateKey);
        assert_eq!(dup.span.start, 10);
        assert_eq!(dup.related.unwrap().start, 0);
        assert_eq!(
            s.documents[0].root.as_ref().unwrap().to_json(),
            json!({"b": 2, "a": 3})
        );
    }

    #[test]
    fn alias_bombs_are_refused_within_budget() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let s = parse(&text);
        assert!(s.issues.iter().any(|i| i.kind == IssueKind::AliasBudget));
        assert!(s.documents[0].root.is_none());
    }

    #[test]
    fn aliases_and_merge_keys_expand() {
        let s = parse("base: &b {x: 1, z: 2}\nd:\n  <<: *b\n  z: 3\n");
        assert_eq!(
            s.documents[0].root.as_ref().unwrap().to_json(),
            json!({"base": {"x": 1, "z": 2}, "d": {"z": 3, "x": 1}})
        );
    }

    /// A key written beside a merge, before or after it, or merged twice, is reported once
    /// where it is set again; the values are still the lenient reading's.
    #[test]
    fn keys_set_again_beside_a_merge_are_reported() {
        let text = "base: &b {name: a, port: 1}\nextra: &e {port: 2, tls: x}\nafter:\n  <<: *b\n  name: c\nbefore:\n  name: c\n  <<: *b\ntwice:\n  <<: [*b, *e]\nfine:\n  <<: *b\n  other: d\n";
        let s = parse(text);
        // A mapping with a merge ends where its text ends, not at the merged entries.
        let root = s.documents[0].root.as_ref().unwrap();
        let after = &root.get("after").unwrap().span;
        assert_eq!(&text[after.start..after.end], "<<: *b\n  name: c");
        let twice = &root.get("twice").unwrap().span;
        assert_eq!(&text[twice.start..twice.end], "<<: [*b, *e]");
        let found: Vec<(IssueKind, &str, usize)> = s
            .issues
            .iter()
            .map(|i| (i.kind, &text[i.span.start..i.span.end], i.span.start))
            .collect();
        let after_name = text.find("  name: c").unwrap() + 2;
        let before_name = text.rfind("  name: c").unwrap() + 2;
        let twice = text.find("twice:\n  <<").unwrap() + 9;
        assert_eq!(
            found,
            [
                (IssueKind::MergedKey, "name", after_name),
                (IssueKind::MergedKey, "name", before_name),
                (IssueKind::MergedKey, "<<", twice),
            ]
        );
        // Each points at where the key was set first: in the anchored mapping.
        let first_name = text.find("name: a").unwrap();
        let first_port = text.find("port: 1").unwrap();
        assert_eq!(s.issues[0].related.unwrap().start, first_name);
        assert_eq!(s.issues[2].related.unwrap().start, first_port);
        assert!(
            s.issues[0]
                .message
                .contains("(key \"name\" already set in map)"),
            "{}",
            s.issues[0].message
        );
        assert_eq!(
            s.documents[0].root.as_ref().unwrap().to_json(),
            json!({"base": {"name": "a", "port": 1}, "extra": {"port": 2, "tls": "x"},
                   "after": {"name": "c", "port": 1}, "before": {"name": "c", "port": 1},
                   "twice": {"name": "a", "port": 1, "tls": "x"},
                   "fine": {"other": "d", "name": "a", "port": 1}})
        );
    }

    #[test]
    fn deep_nesting_is_refused_without_overflowing_the_stack() {
        let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let s = parse(&text);
        assert!(
            s.issues.iter().any(|i| i.kind == IssueKind::TooDeep),
            "{:?}",
            s.issues
        );
    }

    #[test]
    fn yaml11_scalars_are_flagged_only_when_readings_differ() {
        let s = parse("a: yes\nb: 'yes'\nc: true\nd: 0755\ne: 8080\n");
        let flagged: Vec<_> = s
            .issues
            .iter()
            .filter(|i| i.kind == IssueKind::Yaml11Scalar)
            .map(|i| i.span.start)
            .collect();
        assert_eq!(flagged, vec![3, 27]);
        assert_eq!(
            s.documents[0].root.as_ref().unwrap().to_json(),
            json!({"a": true, "b": "yes", "c": true, "d": 493, "e": 8080})
        );
    }

    /// `.inf` and `.nan` as values are reported where they are written, and kept as
    /// strings; quoted, they are strings without a word; as keys, sigs.k8s.io/yaml makes
    /// them strings in its own spelling.
    #[test]
    fn infinite_and_nan_values_are_reported() {
        let text = "a: .inf\nb: [-.Inf, .NaN, +.INF]\nc: '.inf'\nd: !!float .nan\ne: !!str .inf\n.Inf: x\n";
        let s = parse(text);
        let flagged: Vec<&str> = s
            .issues
            .iter()
            .filter(|i| i.kind == IssueKind::NonFiniteFloat)
            .map(|i| &text[i.span.start..i.span.end])
            .collect();
        assert_eq!(flagged, [".inf", "-.Inf", ".NaN", "+.INF", ".nan"]);
        assert!(
            s.issues[0].message.contains("unsupported value: +Inf"),
            "{:?}",
            s.issues[0]
        );
        assert!(s.issues[1].message.contains("-Inf"), "{:?}", s.issues[1]);
        assert_eq!(s.issues.len(), flagged.len(), "{:?}", s.issues);
        assert_eq!(
            s.documents[0].root.as_ref().unwrap().to_json(),
            json!({"a": ".inf", "b": ["-.Inf", ".NaN", "+.INF"], "c": ".inf", "d": ".nan",
                   "e": ".inf", ".inf": "x"})
        );
    }

    #[test]
    fn tabs_get_a_hint() {
        let s = parse("a:\n\tb: 1\n");
        let i = s
            .issues
            .iter()
            .find(|i| i.kind == IssueKind::Syntax)
            .unwrap();
        assert!(i.help.as_deref().unwrap_or("").contains("tabs"), "{i:?}");
    }

    #[test]
    fn non_string_keys_become_strings() {
        // As with kubectl, a key `y` is the boolean true and becomes the key "true".
        let s = parse("1: a\ntrue: b\ny: c\n");
        assert_eq!(
            s.documents[0].root.as_ref().unwrap().to_json(),
            json!({"1": "a", "true": "c"})
        );
        assert!(s.issues.iter().any(|i| i.kind == IssueKind::Yaml11Scalar));
    }

    #[test]
    fn comments_are_kept() {
        let s = parse("# top\na: 1 # trailing\n");
        let texts: Vec<_> = s.comments.iter().map(|c| c.text.trim()).collect();
        assert_eq!(texts, vec!["top", "trailing"]);
    }
}
