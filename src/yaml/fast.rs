//! A reader for the block YAML that manifests are written in, several times faster than a
//! general YAML parser because it looks at each byte once and allocates nothing per scalar.
//!
//! It reads a stream one document at a time and hands the builder the same events, with the
//! same spans, that granit-parser would: block mappings and sequences (including sequences
//! written at their key's indentation), single-line plain and quoted scalars, `[]`, `{}` and
//! one-line flow sequences of scalars, comments, and `---` markers. At the first document
//! that uses anything else (anchors, tags, block scalars, multi-line scalars, escapes,
//! directives, tabs, carriage returns, complex flow collections, invalid YAML of any kind)
//! it stops and says where: granit-parser reads the rest of the stream from there. Declining
//! is always safe; reading a document differently from granit-parser is the one thing this
//! module must never do, and tests/it/yaml_fast.rs compares the two on every YAML file the
//! repository and `../shared` hold, and on mutations of them.

use std::borrow::Cow;

use granit_parser::ScalarStyle;

use super::{Ev, Limits};
use crate::source::Span;

/// Deepest nesting this reader follows before leaving a document to granit-parser, whose
/// depth findings it does not reproduce.
const MAX_DEPTH: usize = 64;

/// YAML's limit on an implicit key's length; longer keys are left to granit-parser.
const MAX_KEY: usize = 1000;

/// A document left to granit-parser, with the line of this file that decided it (for
/// debugging: `fast_reader_declines`).
#[derive(Debug)]
struct Decline(u32);

type Read<T> = Result<T, Decline>;

/// Reads the documents of `text` that this reader handles, handing each one's events to
/// `emit` once the whole document has been read. Returns `None` when the stream was read to
/// its end (or `emit` asked to stop), or the offset from which granit-parser must read: 0, or
/// the start of the `---` line of the first document this reader declined.
pub(super) fn read<'t>(
    text: &'t str,
    limits: &Limits,
    emit: &mut dyn FnMut(Ev<'t>, Span) -> bool,
) -> Option<usize> {
    read_or_decline(text, limits, emit).map(|(at, _)| at)
}

/// [`read`], also saying which line of this file declined the document.
pub(super) fn read_or_decline<'t>(
    text: &'t str,
    limits: &Limits,
    emit: &mut dyn FnMut(Ev<'t>, Span) -> bool,
) -> Option<(usize, u32)> {
    if !plain_text(text) {
        return Some((0, line!()));
    }
    let mut r = Reader {
        text,
        b: text.as_bytes(),
        pos: 0,
        events: Vec::new(),
        max_depth: limits.max_depth.min(MAX_DEPTH),
    };
    loop {
        let start = r.pos;
        r.events.clear();
        let more = match r.document() {
            Ok(more) => more,
            Err(Decline(line)) => return Some((start, line)),
        };
        for (ev, sp) in r.events.drain(..) {
            if !emit(ev, sp) {
                return None;
            }
        }
        if !more {
            return None;
        }
    }
}

/// Whether every character of `text` is one this reader can take at face value: no tab,
/// carriage return, byte order mark or other character that YAML treats specially or
/// refuses (C0 and C1 controls, DEL, non-characters).
fn plain_text(text: &str) -> bool {
    let ascii_ok = |b: u8| b >= 0x20 && b != 0x7f || b == b'\n';
    if text.is_ascii() {
        return text.bytes().all(ascii_ok);
    }
    text.chars().all(|c| {
        if c.is_ascii() {
            ascii_ok(c as u8)
        } else {
            matches!(c, '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FEFE}' | '\u{FF00}'..='\u{FFFD}' | '\u{10000}'..)
        }
    })
}

struct Reader<'t> {
    text: &'t str,
    b: &'t [u8],
    /// The next byte to read.
    pos: usize,
    /// The current document's events, handed over once it has been read whole.
    events: Vec<(Ev<'t>, Span)>,
    max_depth: usize,
}

/// The next line with content, as seen from the end of the previous one.
#[derive(Clone, Copy)]
struct Line {
    /// Where its content starts (after the indentation).
    at: usize,
    indent: usize,
}

impl<'t> Reader<'t> {
    fn push(&mut self, ev: Ev<'t>, start: usize, end: usize) {
        self.events.push((ev, Span::new(start, end)));
    }

    fn byte(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    /// Whether the byte at `i` ends a token: a space, a line break, or the end of the text.
    fn blank_at(&self, i: usize) -> bool {
        matches!(self.byte(i), None | Some(b' ' | b'\n'))
    }

    fn line_end(&self, from: usize) -> usize {
        self.b[from..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(self.b.len(), |i| from + i)
    }

    /// Whether a document marker (`---` or `...`) starts at the line start `i`; one that is
    /// followed by anything on its line is declined.
    fn marker(&self, i: usize) -> Read<Option<&'static str>> {
        let m = match self.b.get(i..i + 3) {
            Some(b"---") => "---",
            Some(b"...") => return Err(Decline(line!())),
            _ => return Ok(None),
        };
        match self.byte(i + 3) {
            None | Some(b'\n') => Ok(Some(m)),
            // `--- content`, `----`: rare enough to leave to granit-parser.
            Some(_) => Err(Decline(line!())),
        }
    }

    /// Skips blank lines and comment lines from the line start `self.pos`, handing over the
    /// comments, and stops at the next line with content. `None` at the end of the text or
    /// at a `---` line (left unread).
    fn next_line(&mut self) -> Read<Option<Line>> {
        loop {
            let start = self.pos;
            if start >= self.b.len() {
                return Ok(None);
            }
            let mut at = start;
            while self.byte(at) == Some(b' ') {
                at += 1;
            }
            match self.byte(at) {
                None => {
                    self.pos = at;
                    return Ok(None);
                }
                Some(b'\n') => self.pos = at + 1,
                Some(b'#') => {
                    let end = self.comment(at);
                    self.pos = end + 1;
                }
                Some(b'%') if at == start => return Err(Decline(line!())),
                Some(_) => {
                    if at == start && self.marker(start)?.is_some() {
                        return Ok(None);
                    }
                    return Ok(Some(Line {
                        at,
                        indent: at - start,
                    }));
                }
            }
        }
    }

    /// The comment starting at `#` at `at`, handed over; returns the end of its line.
    fn comment(&mut self, at: usize) -> usize {
        let end = self.line_end(at);
        self.push(Ev::Comment(Cow::Borrowed(&self.text[at + 1..end])), at, end);
        end
    }

    /// After a value or key on a line: only spaces and a comment may follow. Moves to the
    /// start of the next line.
    fn end_of_line(&mut self, mut at: usize) -> Read<()> {
        let spaced = self.byte(at) == Some(b' ');
        while self.byte(at) == Some(b' ') {
            at += 1;
        }
        match self.byte(at) {
            None => self.pos = at,
            Some(b'\n') => self.pos = at + 1,
            Some(b'#') if spaced => self.pos = self.comment(at) + 1,
            Some(_) => return Err(Decline(line!())),
        }
        Ok(())
    }

    /// One document from the line start `self.pos`; false at the end of the stream (after
    /// handing over any comments that end it).
    fn document(&mut self) -> Read<bool> {
        if self.pos < self.b.len() && self.marker(self.pos)?.is_some() {
            let m = self.pos;
            self.push(Ev::DocumentStart, m, m + 3);
            self.pos = (m + 4).min(self.b.len());
            let Some(line) = self.next_line()? else {
                // An empty document: a null where its content would start.
                self.push(null(), m + 3, m + 3);
                self.push(Ev::DocumentEnd, m + 3, m + 3);
                return Ok(self.pos < self.b.len());
            };
            self.root(line)?;
        } else {
            let Some(line) = self.next_line()? else {
                if self.pos < self.b.len() {
                    // Comments, then a `---`: the next call reads that document.
                    return Ok(true);
                }
                return Ok(false);
            };
            self.push(Ev::DocumentStart, line.at, line.at);
            self.root(line)?;
        }
        if self.next_line()?.is_some() {
            // Content after the root's end: a shallower line, which is invalid YAML.
            return Err(Decline(line!()));
        }
        let end = self.pos.min(self.b.len());
        self.push(Ev::DocumentEnd, end, end);
        Ok(self.pos < self.b.len())
    }

    fn root(&mut self, line: Line) -> Read<()> {
        if self.is_dash(line.at) {
            self.sequence(line, false, 1)
        } else if let Some(key) = self.key(line.at)? {
            self.mapping(line.indent, key, 1)
        } else {
            // A document that is a lone scalar is not a manifest.
            Err(Decline(line!()))
        }
    }

    /// Whether a block sequence entry (`- ` or a lone `-`) starts at `at`.
    fn is_dash(&self, at: usize) -> bool {
        self.byte(at) == Some(b'-') && self.blank_at(at + 1)
    }

    /// A block mapping whose first key (already read, not yet handed over) is at column
    /// `indent`.
    fn mapping(&mut self, indent: usize, first: Key<'t>, depth: usize) -> Read<()> {
        if depth >= self.max_depth {
            return Err(Decline(line!()));
        }
        self.push(
            Ev::MappingStart {
                flow: false,
                anchor: 0,
            },
            first.start,
            first.start,
        );
        let mut key = first;
        loop {
            let colon = key.colon;
            self.push(key.event, key.start, key.end);
            self.value(indent, colon, depth)?;
            let Some(line) = self.next_line()? else {
                break;
            };
            if line.indent < indent {
                break;
            }
            if line.indent > indent || self.is_dash(line.at) {
                return Err(Decline(line!()));
            }
            key = self.key(line.at)?.ok_or(Decline(line!()))?;
        }
        let end = self.pos;
        self.push(Ev::MappingEnd, end, end);
        Ok(())
    }

    /// A mapping value, after its key's `:` at `colon`; the key is at column `indent`.
    /// Leaves `self.pos` at a line start.
    fn value(&mut self, indent: usize, colon: usize, depth: usize) -> Read<()> {
        let from = colon + 1;
        let mut at = from;
        while self.byte(at) == Some(b' ') {
            at += 1;
        }
        match self.byte(at) {
            None | Some(b'\n') | Some(b'#') => {
                self.end_of_line(from)?;
                match self.next_line()? {
                    Some(line) if line.indent > indent => {
                        if self.is_dash(line.at) {
                            self.sequence(line, false, depth + 1)
                        } else {
                            let key = self.key(line.at)?.ok_or(Decline(line!()))?;
                            self.mapping(line.indent, key, depth + 1)
                        }
                    }
                    Some(line) if line.indent == indent && self.is_dash(line.at) => {
                        self.sequence(line, true, depth + 1)
                    }
                    _ => {
                        // Nothing more indented follows: the value is null, placed at
                        // the `:` as granit-parser places it.
                        self.push(null(), colon, colon);
                        Ok(())
                    }
                }
            }
            Some(_) => self.inline(at, indent, depth),
        }
    }

    /// A block sequence whose first `-` is at `line`. `indentless` when it is written at
    /// the indentation of the key it is the value of (`key:\n- item`).
    fn sequence(&mut self, line: Line, indentless: bool, depth: usize) -> Read<()> {
        if depth >= self.max_depth {
            return Err(Decline(line!()));
        }
        let indent = line.indent;
        let mut dash = line.at;
        let mut first = true;
        loop {
            let mut at = dash + 1;
            while self.byte(at) == Some(b' ') {
                at += 1;
            }
            if matches!(self.byte(at), None | Some(b'\n' | b'#')) || self.is_dash(at) {
                // An entry on the following lines, or a sequence in a sequence.
                return Err(Decline(line!()));
            }
            if first {
                // granit-parser starts a sequence written at its key's indentation at its
                // first entry's content, and any other at its first `-`.
                let start = if indentless { at } else { dash };
                self.push(
                    Ev::SequenceStart {
                        flow: false,
                        anchor: 0,
                    },
                    start,
                    start,
                );
                first = false;
            }
            let column = at - (dash - indent);
            if let Some(key) = self.key(at)? {
                self.mapping(column, key, depth + 1)?;
            } else {
                self.inline(at, indent, depth)?;
            }
            let Some(next) = self.next_line()? else {
                break;
            };
            if next.indent < indent {
                break;
            }
            if next.indent > indent {
                return Err(Decline(line!()));
            }
            if !self.is_dash(next.at) {
                if indentless {
                    break;
                }
                return Err(Decline(line!()));
            }
            dash = next.at;
        }
        let end = self.pos;
        self.push(Ev::SequenceEnd, end, end);
        Ok(())
    }

    /// A value that starts at `at`, in a collection at column `indent`: a scalar (plain ones
    /// may go on over more indented lines, block scalars start on the next line) or a
    /// one-line flow collection. Reads through the end of its last line, comment included,
    /// and leaves `self.pos` at the start of the next.
    fn inline(&mut self, at: usize, indent: usize, depth: usize) -> Read<()> {
        match self.byte(at) {
            Some(b'[' | b'{' | b'"' | b'\'') => {
                let end = self.flow_node(at, depth)?;
                self.end_of_line(end)
            }
            Some(b'|' | b'>') => self.block_scalar(at, indent),
            _ => self.plain(at, indent),
        }
    }

    /// A plain scalar in block context from `at`: its first line up to a comment or the
    /// line's end, then any more indented lines that continue it (folded into one line as
    /// YAML folds them).
    fn plain(&mut self, at: usize, indent: usize) -> Read<()> {
        if !self.plain_start(at, false) {
            return Err(Decline(line!()));
        }
        let (mut end, mut comment) = self.plain_line(at)?;
        let mut line_end = self.line_end(end);
        let mut folded: Option<String> = None;
        while !comment && line_end < self.b.len() {
            // Look past empty lines for a line that continues the scalar.
            let mut p = line_end + 1;
            let mut empty = 0;
            let content = loop {
                let mut c = p;
                while self.byte(c) == Some(b' ') {
                    c += 1;
                }
                match self.byte(c) {
                    Some(b'\n') => {
                        empty += 1;
                        p = c + 1;
                    }
                    None => break None,
                    Some(_) => break Some((c, c - p)),
                }
            };
            let Some((c, ind)) = content else { break };
            if ind <= indent || self.b[c] == b'#' {
                break;
            }
            if !self.plain_start(c, false) || matches!(self.b[c], b'-' | b'?' | b':') {
                return Err(Decline(line!()));
            }
            let (e, cm) = self.plain_line(c)?;
            let s = folded.get_or_insert_with(|| self.text[at..end].to_owned());
            if empty == 0 {
                s.push(' ');
            }
            for _ in 0..empty {
                s.push('\n');
            }
            s.push_str(&self.text[c..e]);
            end = e;
            comment = cm;
            line_end = self.line_end(e);
        }
        let text = match folded {
            Some(s) => Cow::Owned(s),
            None => Cow::Borrowed(&self.text[at..end]),
        };
        self.push(
            Ev::Scalar {
                text,
                style: ScalarStyle::Plain,
                anchor: 0,
                core_tag: None,
            },
            at,
            end,
        );
        self.end_of_line(end)
    }

    /// One line of a plain scalar in block context from `at`: where it ends (trailing
    /// spaces excluded), and whether a comment follows it.
    fn plain_line(&self, at: usize) -> Read<(usize, bool)> {
        match self.scan_plain(at) {
            (end, PlainStop::LineEnd) => Ok((end, false)),
            (end, PlainStop::Comment) => Ok((end, true)),
            // `: ` here would make the line a second key, which YAML refuses.
            (_, PlainStop::Colon(_)) => Err(Decline(line!())),
        }
    }

    /// Scans a plain scalar in block context from `at` to what ends it on its line: the
    /// line's end, a comment, or a `:` followed by a space or the line's end. Returns where
    /// the text ends (trailing spaces excluded) and what stopped it.
    fn scan_plain(&self, at: usize) -> (usize, PlainStop) {
        let line_end = self.line_end(at);
        let mut end = at;
        for i in at..line_end {
            match self.b[i] {
                b' ' if self.byte(i + 1) == Some(b'#') => return (end, PlainStop::Comment),
                b' ' => {}
                b':' if self.blank_at(i + 1) => return (end, PlainStop::Colon(i)),
                _ => end = i + 1,
            }
        }
        (end, PlainStop::LineEnd)
    }

    /// A literal (`|`) or folded (`>`) block scalar whose header is at `at`, the value of
    /// an entry of a collection at column `indent`. Explicit indentation, leading empty
    /// lines and folded lines that are more indented are left to granit-parser.
    fn block_scalar(&mut self, at: usize, indent: usize) -> Read<()> {
        let literal = self.b[at] == b'|';
        let mut i = at + 1;
        let chomp = match self.byte(i) {
            Some(b'-') => {
                i += 1;
                Chomp::Strip
            }
            Some(b'+') => {
                i += 1;
                Chomp::Keep
            }
            _ => Chomp::Clip,
        };
        if !self.blank_at(i) {
            return Err(Decline(line!()));
        }
        self.end_of_line(i)?;
        // The content: lines indented as the first one is, which must be more than the
        // collection; empty lines (spaces only, no more than that) inside or after it.
        let first = self.pos;
        let mut c = first;
        while self.byte(c) == Some(b' ') {
            c += 1;
        }
        let width = c - first;
        if width <= indent || matches!(self.byte(c), None | Some(b'\n')) {
            return Err(Decline(line!()));
        }
        let mut value = String::new();
        let mut empty = 0;
        let mut seen = false;
        let mut p = first;
        let mut end = c;
        while p < self.b.len() {
            let line_end = self.line_end(p);
            let line = &self.text[p..line_end];
            if line_end == self.b.len() && !line.is_empty() {
                // A last line without its line break: chomping reads it differently.
                return Err(Decline(line!()));
            }
            let spaces = line.len() - line.trim_start_matches(' ').len();
            if spaces == line.len() {
                if spaces > width {
                    return Err(Decline(line!()));
                }
                empty += 1;
            } else if spaces < width {
                break;
            } else {
                let content = &line[width..];
                if seen {
                    if literal {
                        value.push('\n');
                        for _ in 0..empty {
                            value.push('\n');
                        }
                    } else if content.starts_with(' ') {
                        return Err(Decline(line!()));
                    } else if empty == 0 {
                        value.push(' ');
                    } else {
                        for _ in 0..empty {
                            value.push('\n');
                        }
                    }
                } else if !literal && content.starts_with(' ') {
                    return Err(Decline(line!()));
                }
                value.push_str(content);
                seen = true;
                empty = 0;
            }
            end = line_end;
            p = (line_end + 1).min(self.b.len());
            if line_end == self.b.len() {
                break;
            }
        }
        match chomp {
            Chomp::Strip => {}
            Chomp::Clip => value.push('\n'),
            Chomp::Keep => {
                value.push('\n');
                for _ in 0..empty {
                    value.push('\n');
                }
            }
        }
        // The span runs from the content to the last line read; the tree's builder ends it
        // at the last character that is not white space, as it does granit-parser's.
        self.push(
            Ev::Scalar {
                text: Cow::Owned(value),
                style: if literal {
                    ScalarStyle::Literal
                } else {
                    ScalarStyle::Folded
                },
                anchor: 0,
                core_tag: None,
            },
            c,
            end,
        );
        self.pos = p;
        Ok(())
    }

    /// Whether a plain scalar may start at `at`: not with an indicator, except `-`, `?` and
    /// `:` followed by a character that cannot end it.
    fn plain_start(&self, at: usize, flow: bool) -> bool {
        match self.byte(at) {
            None | Some(b' ' | b'\n') => false,
            Some(b'-' | b'?' | b':') => {
                let next = self.byte(at + 1);
                let ends = self.blank_at(at + 1)
                    || flow && matches!(next, Some(b',' | b'[' | b']' | b'{' | b'}'));
                !ends
            }
            Some(
                b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
                | b'"' | b'%' | b'@' | b'`',
            ) => false,
            Some(_) => true,
        }
    }

    /// A single-line quoted scalar starting at its quote at `at`; returns its event and the
    /// end past the closing quote.
    fn quoted(&self, at: usize) -> Read<(Ev<'t>, usize)> {
        let q = self.b[at];
        let mut i = at + 1;
        let mut owned: Option<String> = None;
        let mut from = i;
        loop {
            match self.byte(i) {
                None | Some(b'\n') => return Err(Decline(line!())),
                Some(b'\\') if q == b'"' => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.text[from..i]);
                    let (c, len) = self.escape(i + 1)?;
                    s.push(c);
                    i += 1 + len;
                    from = i;
                }
                Some(c) if c == q => {
                    if q == b'\'' && self.byte(i + 1) == Some(b'\'') {
                        let s = owned.get_or_insert_with(String::new);
                        s.push_str(&self.text[from..=i]);
                        i += 2;
                        from = i;
                        continue;
                    }
                    break;
                }
                Some(_) => i += 1,
            }
        }
        let text = match owned {
            Some(mut s) => {
                s.push_str(&self.text[from..i]);
                Cow::Owned(s)
            }
            None => Cow::Borrowed(&self.text[at + 1..i]),
        };
        let style = if q == b'"' {
            ScalarStyle::DoubleQuoted
        } else {
            ScalarStyle::SingleQuoted
        };
        Ok((
            Ev::Scalar {
                text,
                style,
                anchor: 0,
                core_tag: None,
            },
            i + 1,
        ))
    }

    /// The escape after a `\` at `at` in double quotes: the character and the length of
    /// its code. Only the escapes JSON also has are read here; YAML's others (`\N`, `\_`,
    /// `\x`, `\U`, a line break) are left to granit-parser.
    fn escape(&self, at: usize) -> Read<(char, usize)> {
        let c = match self.byte(at) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'n') => '\n',
            Some(b't') => '\t',
            Some(b'r') => '\r',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'0') => '\0',
            Some(b'u') => {
                let hex = self.text.get(at + 1..at + 5).ok_or(Decline(line!()))?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(Decline(line!()));
                }
                let code = u32::from_str_radix(hex, 16).map_err(|_| Decline(line!()))?;
                let c = char::from_u32(code).ok_or(Decline(line!()))?;
                return Ok((c, 5));
            }
            _ => return Err(Decline(line!())),
        };
        Ok((c, 1))
    }

    /// A flow node on this line at `at`: a quoted or plain scalar, or a flow sequence or
    /// mapping of them. Returns where it ends.
    fn flow_node(&mut self, at: usize, depth: usize) -> Read<usize> {
        match self.byte(at) {
            Some(b'[') => self.flow_collection(at, depth + 1, false),
            Some(b'{') => self.flow_collection(at, depth + 1, true),
            Some(b'"' | b'\'') => {
                let (ev, end) = self.quoted(at)?;
                self.push(ev, at, end);
                Ok(end)
            }
            _ if self.plain_start(at, true) => {
                let end = self.flow_plain(at);
                self.push(plain(&self.text[at..end]), at, end);
                Ok(end)
            }
            _ => Err(Decline(line!())),
        }
    }

    /// A plain scalar in a flow collection from `at`; returns its end. It stops at a flow
    /// indicator, a `:` or a comment; what may follow is the caller's to check.
    fn flow_plain(&self, at: usize) -> usize {
        let mut end = at;
        let mut i = at;
        loop {
            match self.byte(i) {
                None | Some(b'\n' | b',' | b']' | b'[' | b'{' | b'}' | b':') => break,
                Some(b' ') if self.byte(i + 1) == Some(b'#') => break,
                Some(b' ') => {}
                Some(_) => end = i + 1,
            }
            i += 1;
        }
        end
    }

    fn skip_spaces(&self, mut i: usize) -> usize {
        while self.byte(i) == Some(b' ') {
            i += 1;
        }
        i
    }

    /// A flow sequence (`[a, "b", {c: d}]`, `[]`) or mapping (`{a: b, "c": [d]}`, `{}`) on
    /// one line, from its bracket at `at`; returns its end. A trailing comma is left to
    /// granit-parser.
    fn flow_collection(&mut self, at: usize, depth: usize, mapping: bool) -> Read<usize> {
        if depth >= self.max_depth {
            return Err(Decline(line!()));
        }
        let (start, end, close) = if mapping {
            let start = Ev::MappingStart {
                flow: true,
                anchor: 0,
            };
            (start, Ev::MappingEnd, b'}')
        } else {
            let start = Ev::SequenceStart {
                flow: true,
                anchor: 0,
            };
            (start, Ev::SequenceEnd, b']')
        };
        self.push(start, at, at + 1);
        let mut i = self.skip_spaces(at + 1);
        if self.byte(i) != Some(close) {
            loop {
                i = if mapping {
                    self.flow_pair(i, depth)?
                } else {
                    self.flow_node(i, depth)?
                };
                i = self.skip_spaces(i);
                match self.byte(i) {
                    Some(c) if c == close => break,
                    Some(b',') => {
                        i = self.skip_spaces(i + 1);
                        if self.byte(i) == Some(close) {
                            return Err(Decline(line!()));
                        }
                    }
                    _ => return Err(Decline(line!())),
                }
            }
        }
        self.push(end, i, i + 1);
        Ok(i + 1)
    }

    /// One `key: value` of a flow mapping from `at`; returns the value's end. Every key
    /// needs `: ` and a value.
    fn flow_pair(&mut self, at: usize, depth: usize) -> Read<usize> {
        let key_end = match self.byte(at) {
            Some(b'"' | b'\'') => {
                let (ev, end) = self.quoted(at)?;
                self.push(ev, at, end);
                end
            }
            _ if self.plain_start(at, true) => {
                let end = self.flow_plain(at);
                self.push(plain(&self.text[at..end]), at, end);
                end
            }
            _ => return Err(Decline(line!())),
        };
        if self.byte(key_end) != Some(b':') || self.byte(key_end + 1) != Some(b' ') {
            return Err(Decline(line!()));
        }
        let i = self.skip_spaces(key_end + 1);
        if matches!(self.byte(i), Some(b',' | b'}')) {
            return Err(Decline(line!()));
        }
        self.flow_node(i, depth)
    }

    /// A mapping key at `at`, if the line holds one there: a plain or quoted scalar followed
    /// by `:` and a space or the line's end. `None` when the line holds no key; a declined
    /// document when it is not one this reader takes.
    fn key(&self, at: usize) -> Read<Option<Key<'t>>> {
        if matches!(self.byte(at), Some(b'"' | b'\'')) {
            let line_end = self.line_end(at);
            let Ok((event, end)) = self.quoted(at) else {
                // A quoted scalar that goes on past its line, or has escapes: whether it is
                // a key or a value, it is left to granit-parser.
                return Err(Decline(line!()));
            };
            return match self.byte(end) {
                Some(b':') if self.blank_at(end + 1) && end - at <= MAX_KEY => Ok(Some(Key {
                    event,
                    start: at,
                    end,
                    colon: end,
                })),
                _ if end == line_end || self.byte(end) == Some(b' ') => {
                    // `"a" : b` and `"a" # c` are unusual; a value is read by `inline`.
                    let rest = self.text[end..line_end].trim_start_matches(' ');
                    if rest.is_empty() || rest.starts_with('#') {
                        Ok(None)
                    } else {
                        Err(Decline(line!()))
                    }
                }
                _ => Err(Decline(line!())),
            };
        }
        if !self.plain_start(at, false) {
            return match self.byte(at) {
                Some(b'[' | b'{') => Ok(None),
                _ => Err(Decline(line!())),
            };
        }
        match self.scan_plain(at) {
            (end, PlainStop::Colon(colon)) => {
                if end - at > MAX_KEY {
                    return Err(Decline(line!()));
                }
                Ok(Some(Key {
                    event: plain(&self.text[at..end]),
                    start: at,
                    end,
                    colon,
                }))
            }
            _ => Ok(None),
        }
    }
}

/// What ends a plain scalar on its line.
enum PlainStop {
    LineEnd,
    Comment,
    /// A `:` that makes the text before it a key, at this offset.
    Colon(usize),
}

/// What a block scalar keeps of its final line breaks.
enum Chomp {
    Strip,
    Clip,
    Keep,
}

/// A key read but not yet handed over.
struct Key<'t> {
    event: Ev<'t>,
    start: usize,
    end: usize,
    /// Where its `:` is.
    colon: usize,
}

fn plain(text: &str) -> Ev<'_> {
    Ev::Scalar {
        text: Cow::Borrowed(text),
        style: ScalarStyle::Plain,
        anchor: 0,
        core_tag: None,
    }
}

/// The null of an empty value, as granit-parser spells it.
fn null() -> Ev<'static> {
    plain("~")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(text: &str) -> (Vec<(Ev<'_>, Span)>, Option<usize>) {
        let mut out = Vec::new();
        let rest = read(text, &Limits::default(), &mut |ev, sp| {
            out.push((ev, sp));
            true
        });
        (out, rest)
    }

    #[test]
    fn declines_what_it_does_not_read_from_the_document_that_uses_it() {
        let text = "a: 1\n---\nb: &x 2\n";
        let (evs, rest) = events(text);
        assert_eq!(rest, Some(5));
        assert_eq!(evs.first().map(|e| &e.0), Some(&Ev::DocumentStart));
        assert_eq!(evs.last().map(|e| &e.0), Some(&Ev::DocumentEnd));
        for t in [
            "a: |2\n   x\n",
            "a: !!str b\n",
            "a:\tb\n",
            "a: \"\\x41\"\n",
            "%YAML 1.2\n---\n",
            "a: b\n  - c\n",
        ] {
            assert_eq!(events(t).1, Some(0), "{t:?}");
        }
    }

    #[test]
    fn reads_block_manifests_whole() {
        let text = "# c\napiVersion: v1\nkind: Service\nmetadata:\n  name: x # n\nspec:\n  ports:\n  - port: 80\n    name: 'h''t'\n  hosts: [\"a\", b]\n  x: {}\n";
        let (evs, rest) = events(text);
        assert_eq!(rest, None);
        let scalars: Vec<_> = evs
            .iter()
            .filter_map(|(e, _)| match e {
                Ev::Scalar { text, .. } => Some(text.as_ref()),
                _ => None,
            })
            .collect();
        assert_eq!(
            scalars,
            [
                "apiVersion",
                "v1",
                "kind",
                "Service",
                "metadata",
                "name",
                "x",
                "spec",
                "ports",
                "port",
                "80",
                "name",
                "h't",
                "hosts",
                "a",
                "b",
                "x"
            ]
        );
    }
}
