//! A small hand-written parser for the CEL that validation rules are written in: the fast
//! path in front of cel-rust's ANTLR parser.
//!
//! Why it exists: linting one small file compiles every rule its kinds carry, and most of
//! that run's instructions went into building cel-rust's ANTLR lexer and parser (its
//! tables, prediction caches and parse tree) for a few dozen short expressions. This parser
//! reads the common subset in one pass over a token list.
//!
//! What it owns: [`parse`], which returns exactly the tree `Program::compile` would give
//! (the same nodes, literal values, macro expansions and node ids, as the tests in
//! `tests/it/cel_parse.rs` hold it to), or `None` ("declined") for anything it is not sure
//! of. The caller then asks cel-rust, which also writes the error messages: this parser
//! never reports errors, so everything unusual is declined rather than handled. Declined:
//! byte strings, non-raw triple-quoted strings, escapes other than the simple one-character
//! ones, optional syntax (`.?`, `[?`, `{?k: v}`), message literals (`Foo{...}`), names
//! with a leading dot, back-quoted field names, reserved words used as names, repeated `!`
//! or `-` (cel-rust numbers those oddly), number literals with a dot but no leading digit,
//! deep nesting, and any syntax error.
//!
//! How cel-rust numbers nodes, which this parser mirrors: ids count from 1 in the order
//! cel-rust's tree walk hands them out. A node made for an operator token takes its id when
//! the walk reaches that token: after the left operand of a binary operator, `?` or `[`,
//! and after a select's operand; before a list's or map's elements, a global call's
//! arguments, a unary operator's operand and a map entry's key. `&&` and `||` chains are
//! the exception: each operator takes its id after the operand to its right, and the chain
//! is rebuilt as a balanced tree. A macro (`has`, `all`, `exists`, `exists_one`, `map`,
//! `filter`) numbers the nodes of its expansion after all of its arguments.

use super::convert::is_reserved;
use kube_cel::cel::common::ast::{
    CallExpr, ComprehensionExpr, EntryExpr, Expr, IdedEntryExpr, IdedExpr, ListExpr, LiteralValue,
    MapEntryExpr, MapExpr, SelectExpr,
};

/// Longer sources are declined. The longest upstream rule is about 1,300 bytes.
const MAX_SOURCE: usize = 16 * 1024;

/// How deeply expressions may nest (parentheses, arguments, list items, indexes, the
/// `else` branch of `?:`). cel-rust refuses more than 96 levels; staying far below keeps
/// this parser's own recursion short and never accepts what cel-rust would refuse.
const MAX_NESTING: u32 = 24;

/// How many nodes a tree may have; every node takes an id, so this bounds the id counter.
/// The largest upstream rule has about 320.
const MAX_NODES: u64 = 2048;

/// How tall the finished tree may be: long operator chains nest without parentheses, and
/// what evaluates the tree recurses once per level.
const MAX_HEIGHT: usize = 96;

/// The tree cel-rust's `Program::compile(source)` gives, or `None` when this parser
/// declines `source` (see the module documentation).
pub fn parse(source: &str) -> Option<IdedExpr> {
    if source.len() > MAX_SOURCE {
        return None;
    }
    let tokens = lex(source)?;
    let mut p = Parser {
        tokens,
        pos: 0,
        next_id: 1,
        nesting: 0,
    };
    let e = p.expr()?;
    if p.pos != p.tokens.len() || height(&e) > MAX_HEIGHT {
        return None;
    }
    Some(e)
}

/// One token. Number tokens keep their text: a literal's value depends on a `-` before it,
/// which the parser decides.
#[derive(Clone, Debug, PartialEq)]
enum Tok<'a> {
    Ident(&'a str),
    /// Decimal digits, or `0x` and hex digits.
    Int(&'a str),
    /// As [`Tok::Int`], without the `u` suffix.
    UInt(&'a str),
    Double(&'a str),
    Str(String),
    True,
    False,
    Null,
    In,
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Dot,
    Comma,
    Colon,
    Question,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Bang,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
}

/// Splits `src` into tokens the way cel-rust's lexer would (longest match first), or
/// `None` at anything this parser does not take.
fn lex(src: &str) -> Option<Vec<Tok<'_>>> {
    let b = src.as_bytes();
    let mut out = Vec::with_capacity(src.len() / 3);
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let next = b.get(i + 1).copied();
        // Punctuation first: (token, bytes it takes).
        let punct = match (c, next) {
            (b' ' | b'\t' | b'\r' | b'\n' | 0x0C, _) => {
                i += 1;
                continue;
            }
            (b'/', Some(b'/')) => {
                // A comment runs to the end of the line. A newline byte never occurs
                // inside a multi-byte UTF-8 character, so stopping on it is safe.
                while b.get(i).is_some_and(|&x| x != b'\n') {
                    i += 1;
                }
                continue;
            }
            (b'(', _) => Some((Tok::LParen, 1)),
            (b')', _) => Some((Tok::RParen, 1)),
            (b'[', _) => Some((Tok::LBracket, 1)),
            (b']', _) => Some((Tok::RBracket, 1)),
            (b'{', _) => Some((Tok::LBrace, 1)),
            (b'}', _) => Some((Tok::RBrace, 1)),
            // `.5` is a number to cel-rust's lexer; decline it rather than lex it.
            (b'.', Some(d)) if d.is_ascii_digit() => return None,
            (b'.', _) => Some((Tok::Dot, 1)),
            (b',', _) => Some((Tok::Comma, 1)),
            (b':', _) => Some((Tok::Colon, 1)),
            (b'?', _) => Some((Tok::Question, 1)),
            (b'+', _) => Some((Tok::Plus, 1)),
            (b'-', _) => Some((Tok::Minus, 1)),
            (b'*', _) => Some((Tok::Star, 1)),
            (b'/', _) => Some((Tok::Slash, 1)),
            (b'%', _) => Some((Tok::Percent, 1)),
            (b'!', Some(b'=')) => Some((Tok::Ne, 2)),
            (b'!', _) => Some((Tok::Bang, 1)),
            (b'=', Some(b'=')) => Some((Tok::Eq, 2)),
            (b'<', Some(b'=')) => Some((Tok::Le, 2)),
            (b'<', _) => Some((Tok::Lt, 1)),
            (b'>', Some(b'=')) => Some((Tok::Ge, 2)),
            (b'>', _) => Some((Tok::Gt, 1)),
            (b'&', Some(b'&')) => Some((Tok::And, 2)),
            (b'|', Some(b'|')) => Some((Tok::Or, 2)),
            _ => None,
        };
        if let Some((t, len)) = punct {
            out.push(t);
            i += len;
            continue;
        }
        let (tok, end) = match c {
            b'0'..=b'9' => number(src, i)?,
            b'\'' | b'"' => quoted(src, i)?,
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => word(src, i)?,
            // Everything else, and every non-ASCII byte outside strings and comments, is
            // either an error or syntax this parser leaves to cel-rust.
            _ => return None,
        };
        out.push(tok);
        i = end;
    }
    Some(out)
}

/// A number starting at `i`, and where it ends.
fn number(src: &str, i: usize) -> Option<(Tok<'_>, usize)> {
    let b = src.as_bytes();
    let digits_from = |mut j: usize, hex: bool| {
        while b.get(j).is_some_and(|d| {
            if hex {
                d.is_ascii_hexdigit()
            } else {
                d.is_ascii_digit()
            }
        }) {
            j += 1;
        }
        j
    };
    let hex_start = i + 2;
    let (tok, end) = if b.get(i) == Some(&b'0')
        && b.get(i + 1) == Some(&b'x')
        && b.get(hex_start).is_some_and(u8::is_ascii_hexdigit)
    {
        let j = digits_from(hex_start, true);
        match b.get(j) {
            Some(b'u' | b'U') => (Tok::UInt(src.get(i..j)?), j + 1),
            _ => (Tok::Int(src.get(i..j)?), j),
        }
    } else {
        let mut j = digits_from(i, false);
        let mut double = false;
        if b.get(j) == Some(&b'.') && b.get(j + 1).is_some_and(u8::is_ascii_digit) {
            j = digits_from(j + 1, false);
            double = true;
        }
        if let Some(b'e' | b'E') = b.get(j) {
            let mut k = j + 1;
            if let Some(b'+' | b'-') = b.get(k) {
                k += 1;
            }
            // Without digits the `e` is not part of the number (and then an error).
            if b.get(k).is_some_and(u8::is_ascii_digit) {
                j = digits_from(k, false);
                double = true;
            }
        }
        if double {
            (Tok::Double(src.get(i..j)?), j)
        } else if let Some(b'u' | b'U') = b.get(j) {
            (Tok::UInt(src.get(i..j)?), j + 1)
        } else {
            (Tok::Int(src.get(i..j)?), j)
        }
    };
    // A letter, digit or `_` right after a number (`1e`, `0x`, `1ux`), or a second
    // fraction (`1.5.5`, `1..5`), is a syntax error for cel-rust.
    match (b.get(end), b.get(end + 1)) {
        (Some(c), _) if c.is_ascii_alphanumeric() || *c == b'_' => None,
        (Some(b'.'), Some(d)) if d.is_ascii_digit() => None,
        _ => Some((tok, end)),
    }
}

/// A name or keyword starting at `i` (or a raw string, `r'...'`), and where it ends.
fn word(src: &str, i: usize) -> Option<(Tok<'_>, usize)> {
    let b = src.as_bytes();
    let mut j = i;
    while b
        .get(j)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
    {
        j += 1;
    }
    let text = src.get(i..j)?;
    if let Some(b'\'' | b'"') = b.get(j) {
        // `r'...'` is a raw string; `b'...'` bytes and anything else glued to a quote is
        // left to cel-rust.
        return match text {
            "r" | "R" => raw(src, j),
            _ => None,
        };
    }
    let tok = match text {
        "true" => Tok::True,
        "false" => Tok::False,
        "null" => Tok::Null,
        "in" => Tok::In,
        _ => Tok::Ident(text),
    };
    Some((tok, j))
}

/// A single-line quoted string whose opening quote is at `i`, with its escapes
/// interpreted, and where it ends.
fn quoted(src: &str, i: usize) -> Option<(Tok<'_>, usize)> {
    let b = src.as_bytes();
    let q = *b.get(i)?;
    if b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q) {
        // Triple-quoted: multi-line, with quoting rules of its own in cel-rust.
        return None;
    }
    let mut value = Vec::new();
    let mut j = i + 1;
    loop {
        let c = *b.get(j)?;
        if c == q {
            break;
        }
        if c == b'\\' {
            let unescaped = match *b.get(j + 1)? {
                b'\\' => b'\\',
                b'n' => b'\n',
                b't' => b'\t',
                b'r' => b'\r',
                b'a' => 0x07,
                b'b' => 0x08,
                b'f' => 0x0C,
                b'v' => 0x0B,
                b'?' => b'?',
                b'`' => b'`',
                // The other quote escaped (`'\"'`) keeps its backslash in cel-rust; the
                // numeric escapes need more care than rules have shown a need for.
                e if e == q => q,
                _ => return None,
            };
            value.push(unescaped);
            j += 2;
            continue;
        }
        // A line break ends the line, not the string: an error. Other control characters
        // are legal but unusual; leave them to cel-rust too.
        if (c < 0x20 && c != b'\t') || c == 0x7F {
            return None;
        }
        value.push(c);
        j += 1;
    }
    // Only whole characters were copied: the split points are ASCII bytes.
    Some((Tok::Str(String::from_utf8(value).ok()?), j + 1))
}

/// A raw string whose opening quote is at `i` (after its `r`), single-line or
/// triple-quoted, and where it ends. Its text is taken as written.
fn raw(src: &str, i: usize) -> Option<(Tok<'_>, usize)> {
    let b = src.as_bytes();
    let q = *b.get(i)?;
    let triple = b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q);
    let (start, end, after) = if triple {
        let start = i + 3;
        let close = [q, q, q];
        // The first closing triple ends it, as the lexer's shortest match does.
        let len = b.get(start..)?.windows(3).position(|w| w == close)?;
        (start, start + len, start + len + 3)
    } else {
        let start = i + 1;
        let len = b.get(start..)?.iter().position(|&c| c == q)?;
        (start, start + len, start + len + 1)
    };
    let text = src.get(start..end)?;
    let t = text.as_bytes();
    // cel-rust reads a raw string's quotes and backslashes with rules of its own: a quote
    // of the delimiting kind toggles "inside", and a backslash before a quote is dropped.
    // Text without either reads as written; anything else is declined. Line breaks and
    // control characters are declined too.
    let control = |c: u8| c < 0x20 || c == 0x7F;
    let mut k = 0;
    while let Some(&c) = t.get(k) {
        match c {
            // A backslash and the character after it are both kept.
            b'\\' => match t.get(k + 1) {
                Some(&e) if e != b'\'' && e != b'"' && !control(e) => k += 2,
                _ => return None,
            },
            c if c == q || control(c) => return None,
            _ => k += 1,
        }
    }
    Some((Tok::Str(text.to_string()), after))
}

/// The parser's state: the tokens, where it is, the next node id, and how deeply
/// [`Parser::expr`] is nested.
struct Parser<'a> {
    tokens: Vec<Tok<'a>>,
    pos: usize,
    next_id: u64,
    nesting: u32,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&Tok<'a>> {
        self.tokens.get(self.pos)
    }

    fn bump(&mut self) -> Option<Tok<'a>> {
        let t = self.tokens.get(self.pos).cloned();
        if t.is_some() {
            self.pos += 1;
        }
        t
    }

    fn eat(&mut self, t: &Tok<'_>) -> bool {
        if self.peek() == Some(t) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, t: &Tok<'_>) -> Option<()> {
        self.eat(t).then_some(())
    }

    /// The next node id; `None` once the tree is too large.
    fn id(&mut self) -> Option<u64> {
        let id = self.next_id;
        if id > MAX_NODES {
            return None;
        }
        self.next_id += 1;
        Some(id)
    }

    fn node(&mut self, expr: Expr) -> Option<IdedExpr> {
        Some(IdedExpr {
            id: self.id()?,
            expr,
        })
    }

    /// A call of `func`, numbered now (after its arguments).
    fn call(&mut self, func: &str, args: Vec<IdedExpr>) -> Option<IdedExpr> {
        let id = self.id()?;
        Some(call(id, func, args))
    }

    /// `cond ? a : b`, or just `cond`.
    fn expr(&mut self) -> Option<IdedExpr> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return None;
        }
        let cond = self.or()?;
        let e = if self.eat(&Tok::Question) {
            let op = self.id()?;
            let then = self.or()?;
            self.expect(&Tok::Colon)?;
            // Right-associative: `a ? b : c ? d : e` nests in the `else` branch.
            let otherwise = self.expr()?;
            call(op, "_?_:_", vec![cond, then, otherwise])
        } else {
            cond
        };
        self.nesting -= 1;
        Some(e)
    }

    fn or(&mut self) -> Option<IdedExpr> {
        self.logic(&Tok::Or, "_||_", Self::and)
    }

    fn and(&mut self) -> Option<IdedExpr> {
        self.logic(&Tok::And, "_&&_", Self::relation)
    }

    /// A chain of `op`: each operator is numbered after the operand to its right, and the
    /// chain becomes a balanced tree (as cel-rust builds it, so that long chains stay
    /// shallow).
    fn logic(
        &mut self,
        op: &Tok<'_>,
        func: &str,
        operand: fn(&mut Self) -> Option<IdedExpr>,
    ) -> Option<IdedExpr> {
        let first = operand(self)?;
        if self.peek() != Some(op) {
            return Some(first);
        }
        let mut operands = vec![Some(first)];
        let mut ops = Vec::new();
        while self.eat(op) {
            operands.push(Some(operand(self)?));
            ops.push(self.id()?);
        }
        balanced(func, &mut operands, &ops, 0, ops.len() - 1)
    }

    /// Comparisons and `in`.
    fn relation(&mut self) -> Option<IdedExpr> {
        self.left_assoc(Self::sum, relation_function)
    }

    fn sum(&mut self) -> Option<IdedExpr> {
        self.left_assoc(Self::product, |t| match t {
            Tok::Plus => Some("_+_"),
            Tok::Minus => Some("_-_"),
            _ => None,
        })
    }

    fn product(&mut self) -> Option<IdedExpr> {
        self.left_assoc(Self::unary, |t| match t {
            Tok::Star => Some("_*_"),
            Tok::Slash => Some("_/_"),
            Tok::Percent => Some("_%_"),
            _ => None,
        })
    }

    /// A left-associative chain of `operand`s joined by the operators `function_of` names,
    /// each operator numbered after the operand to its left.
    fn left_assoc(
        &mut self,
        operand: fn(&mut Self) -> Option<IdedExpr>,
        function_of: fn(&Tok<'_>) -> Option<&'static str>,
    ) -> Option<IdedExpr> {
        let mut lhs = operand(self)?;
        while let Some(func) = self.peek().and_then(function_of) {
            self.pos += 1;
            let op = self.id()?;
            let rhs = operand(self)?;
            lhs = call(op, func, vec![lhs, rhs]);
        }
        Some(lhs)
    }

    /// `!x`, `-x`, or a member expression. A `-` right before an int or double literal
    /// belongs to the literal (`-1` is the literal -1, and `-1.size()` calls `size` on it),
    /// as cel-rust's grammar reads it; so `!-1` is `!` applied to -1. Two or more `!` or
    /// `-` operators in a row (`!!x`, `--x`, `- -1`) are declined: cel-rust makes a single
    /// call of them and skips ids.
    fn unary(&mut self) -> Option<IdedExpr> {
        let func = match self.peek() {
            Some(Tok::Bang) => "!_",
            Some(Tok::Minus) if !self.signed_literal_at(self.pos) => "-_",
            _ => return self.member(),
        };
        self.pos += 1;
        match self.peek() {
            Some(Tok::Bang) => return None,
            Some(Tok::Minus) if func == "-_" || !self.signed_literal_at(self.pos) => return None,
            _ => {}
        }
        let op = self.id()?;
        let operand = self.member()?;
        Some(call(op, func, vec![operand]))
    }

    /// Whether the tokens at `at` are a `-` and the int or double literal it belongs to.
    fn signed_literal_at(&self, at: usize) -> bool {
        matches!(
            (self.tokens.get(at), self.tokens.get(at + 1)),
            (Some(Tok::Minus), Some(Tok::Int(_) | Tok::Double(_)))
        )
    }

    /// A primary expression followed by selects, method calls and indexes.
    fn member(&mut self) -> Option<IdedExpr> {
        let mut e = self.primary()?;
        loop {
            match self.peek() {
                Some(Tok::Dot) => {
                    self.pos += 1;
                    let name = self.name()?;
                    if self.eat(&Tok::LParen) {
                        let op = self.id()?;
                        let args = self.args()?;
                        e = self.method(op, name, e, args)?;
                    } else {
                        e = self.node(Expr::Select(SelectExpr {
                            operand: Box::new(e),
                            field: name.to_string(),
                            test: false,
                        }))?;
                    }
                }
                Some(Tok::LBracket) => {
                    self.pos += 1;
                    let op = self.id()?;
                    let index = self.expr()?;
                    self.expect(&Tok::RBracket)?;
                    e = call(op, "_[_]", vec![e, index]);
                }
                _ => return Some(e),
            }
        }
    }

    /// A name that is not reserved.
    fn name(&mut self) -> Option<&'a str> {
        match self.bump()? {
            // The reserved words the grammar reads as ordinary names (`true`, `in` and the like
            // are tokens of their own): a rule that uses one is left to cel-rust.
            Tok::Ident(n) if !is_reserved(n) => Some(n),
            _ => None,
        }
    }

    fn primary(&mut self) -> Option<IdedExpr> {
        match self.bump()? {
            Tok::Minus => match self.bump()? {
                Tok::Int(t) => self.int(t, true),
                Tok::Double(t) => self.double(t, true),
                _ => None,
            },
            Tok::Int(t) => self.int(t, false),
            Tok::Double(t) => self.double(t, false),
            Tok::UInt(t) => {
                let v = match t.strip_prefix("0x") {
                    Some(hex) => u64::from_str_radix(hex, 16).ok()?,
                    None => t.parse::<u64>().ok()?,
                };
                self.node(Expr::Literal(LiteralValue::UInt(v.into())))
            }
            Tok::Str(s) => self.node(Expr::Literal(LiteralValue::String(s.into()))),
            Tok::True => self.node(Expr::Literal(LiteralValue::Boolean(true.into()))),
            Tok::False => self.node(Expr::Literal(LiteralValue::Boolean(false.into()))),
            Tok::Null => self.node(Expr::Literal(LiteralValue::Null)),
            Tok::Ident(n) => {
                if is_reserved(n) {
                    return None;
                }
                match self.peek() {
                    Some(Tok::LParen) => {
                        self.pos += 1;
                        let op = self.id()?;
                        let args = self.args()?;
                        self.global(op, n, args)
                    }
                    // `Name{...}` builds a message.
                    Some(Tok::LBrace) => None,
                    _ => self.node(Expr::Ident(n.to_string())),
                }
            }
            Tok::LParen => {
                let e = self.expr()?;
                self.expect(&Tok::RParen)?;
                Some(e)
            }
            Tok::LBracket => self.list(),
            Tok::LBrace => self.map(),
            _ => None,
        }
    }

    /// An int literal; `negative` when a `-` came before it. cel-rust reads the sign and
    /// the digits as one text, so `-0x1` is an error there (declined here).
    fn int(&mut self, text: &str, negative: bool) -> Option<IdedExpr> {
        let v = match (text.strip_prefix("0x"), negative) {
            (Some(hex), false) => i64::from_str_radix(hex, 16).ok()?,
            (Some(_), true) => return None,
            (None, false) => text.parse::<i64>().ok()?,
            (None, true) => format!("-{text}").parse::<i64>().ok()?,
        };
        self.node(Expr::Literal(LiteralValue::Int(v.into())))
    }

    fn double(&mut self, text: &str, negative: bool) -> Option<IdedExpr> {
        let v = text.parse::<f64>().ok()?;
        let v = if negative { -v } else { v };
        // Too large a literal is an error in cel-rust.
        if !v.is_finite() {
            return None;
        }
        self.node(Expr::Literal(LiteralValue::Double(v.into())))
    }

    /// A list literal after its `[`; a trailing comma is allowed.
    fn list(&mut self) -> Option<IdedExpr> {
        let id = self.id()?;
        let elements = self.separated(&Tok::RBracket, true, Self::expr)?;
        Some(IdedExpr {
            id,
            expr: Expr::List(ListExpr::new(elements)),
        })
    }

    /// A map literal after its `{`; a trailing comma is allowed. Each entry is numbered
    /// before its key.
    fn map(&mut self) -> Option<IdedExpr> {
        let id = self.id()?;
        let entries = self.separated(&Tok::RBrace, true, |p| {
            let entry = p.id()?;
            let key = p.expr()?;
            p.expect(&Tok::Colon)?;
            let value = p.expr()?;
            Some(IdedEntryExpr {
                id: entry,
                expr: EntryExpr::MapEntry(MapEntryExpr {
                    key,
                    value,
                    optional: false,
                }),
            })
        })?;
        Some(IdedExpr {
            id,
            expr: Expr::Map(MapExpr { entries }),
        })
    }

    /// Call arguments after the `(`, up to and with the `)`. No trailing comma.
    fn args(&mut self) -> Option<Vec<IdedExpr>> {
        self.separated(&Tok::RParen, false, Self::expr)
    }

    /// Comma-separated items up to and with `close`; a comma before `close` only where
    /// `trailing`.
    fn separated<T>(
        &mut self,
        close: &Tok<'_>,
        trailing: bool,
        mut item: impl FnMut(&mut Self) -> Option<T>,
    ) -> Option<Vec<T>> {
        let mut items = Vec::new();
        if self.eat(close) {
            return Some(items);
        }
        loop {
            items.push(item(self)?);
            if !self.eat(&Tok::Comma) {
                self.expect(close)?;
                return Some(items);
            }
            if trailing && self.eat(close) {
                return Some(items);
            }
        }
    }

    /// `name(args)` without a target: `has(a.b)` is a macro, the rest are calls numbered
    /// `op`.
    fn global(&mut self, op: u64, name: &str, mut args: Vec<IdedExpr>) -> Option<IdedExpr> {
        if name == "has" && args.len() == 1 {
            // Only a select can be tested; anything else is an error in cel-rust.
            let Expr::Select(mut s) = args.pop()?.expr else {
                return None;
            };
            s.test = true;
            return self.node(Expr::Select(s));
        }
        Some(IdedExpr {
            id: op,
            expr: Expr::Call(CallExpr {
                func_name: name.to_string(),
                target: None,
                args,
            }),
        })
    }

    /// `target.name(args)`: the comprehension macros, or a call numbered `op`.
    fn method(
        &mut self,
        op: u64,
        name: &str,
        target: IdedExpr,
        mut args: Vec<IdedExpr>,
    ) -> Option<IdedExpr> {
        let macro_shape = matches!(
            (name, args.len()),
            (
                "all" | "exists" | "exists_one" | "existsOne" | "filter" | "map",
                2
            ) | ("map", 3)
        );
        if !macro_shape {
            return Some(IdedExpr {
                id: op,
                expr: Expr::Call(CallExpr {
                    func_name: name.to_string(),
                    target: Some(Box::new(target)),
                    args,
                }),
            });
        }
        // The last argument is the body (the value for `map`); the first names the item.
        let body = args.pop()?;
        let filter = if args.len() == 2 { args.pop() } else { None };
        let var = args.pop()?;
        let Expr::Ident(var_name) = &var.expr else {
            // Not a simple name: an error in cel-rust.
            return None;
        };
        let var_name = var_name.clone();
        let (init, cond, step, result) = match name {
            "all" | "exists" => {
                let all = name == "all";
                let init = self.node(Expr::Literal(LiteralValue::Boolean(all.into())))?;
                // Keep going while the result is not yet decided: `all` stops at false,
                // `exists` at true.
                let accu = self.accu()?;
                let undecided = if all {
                    accu
                } else {
                    self.call("!_", vec![accu])?
                };
                let cond = self.call("@not_strictly_false", vec![undecided])?;
                let accu = self.accu()?;
                let step = self.call(if all { "_&&_" } else { "_||_" }, vec![accu, body])?;
                (init, cond, step, self.accu()?)
            }
            "exists_one" | "existsOne" => {
                let init = self.node(Expr::Literal(LiteralValue::Int(0.into())))?;
                let cond = self.node(Expr::Literal(LiteralValue::Boolean(true.into())))?;
                let accu = self.accu()?;
                let one = self.node(Expr::Literal(LiteralValue::Int(1.into())))?;
                let counted = self.call("_+_", vec![accu, one])?;
                let unchanged = self.accu()?;
                let step = self.call("_?_:_", vec![body, counted, unchanged])?;
                let accu = self.accu()?;
                let one = self.node(Expr::Literal(LiteralValue::Int(1.into())))?;
                let result = self.call("_==_", vec![accu, one])?;
                (init, cond, step, result)
            }
            // `map` and `filter` append to a list: `map` its value, `filter` the item
            // itself (the item's name node, with its own id), when `filter` holds.
            _ => {
                let (value, filter) = if name == "filter" {
                    (var, Some(body))
                } else {
                    (body, filter)
                };
                let init = self.node(Expr::List(ListExpr::new(Vec::new())))?;
                let cond = self.node(Expr::Literal(LiteralValue::Boolean(true.into())))?;
                let accu = self.accu()?;
                let item = self.node(Expr::List(ListExpr::new(vec![value])))?;
                let append = self.call("_+_", vec![accu, item])?;
                let step = match filter {
                    Some(f) => {
                        let unchanged = self.accu()?;
                        self.call("_?_:_", vec![f, append, unchanged])?
                    }
                    None => append,
                };
                (init, cond, step, self.accu()?)
            }
        };
        self.node(Expr::Comprehension(Box::new(ComprehensionExpr {
            iter_range: target,
            iter_var: var_name,
            iter_var2: None,
            accu_var: ACCU.to_string(),
            accu_init: init,
            loop_cond: cond,
            loop_step: step,
            result,
        })))
    }

    /// A reference to the comprehension's accumulator.
    fn accu(&mut self) -> Option<IdedExpr> {
        self.node(Expr::Ident(ACCU.to_string()))
    }
}

/// The accumulator's name in cel-rust's macro expansions.
const ACCU: &str = "@result";

fn call(id: u64, func: &str, args: Vec<IdedExpr>) -> IdedExpr {
    IdedExpr {
        id,
        expr: Expr::Call(CallExpr {
            func_name: func.to_string(),
            target: None,
            args,
        }),
    }
}

fn relation_function(t: &Tok<'_>) -> Option<&'static str> {
    Some(match t {
        Tok::Eq => "_==_",
        Tok::Ne => "_!=_",
        Tok::Lt => "_<_",
        Tok::Le => "_<=_",
        Tok::Gt => "_>_",
        Tok::Ge => "_>=_",
        Tok::In => "@in",
        _ => return None,
    })
}

/// The balanced tree over `operands[lo..=hi + 1]` joined by `ops[lo..=hi]`: the operator at
/// the middle (rounding up) is the root, the ones before it form the left side and the
/// ones after it the right side. Operands are taken out of `operands` as they are used.
fn balanced(
    func: &str,
    operands: &mut [Option<IdedExpr>],
    ops: &[u64],
    lo: usize,
    hi: usize,
) -> Option<IdedExpr> {
    let mid = (lo + hi).div_ceil(2);
    let left = if mid == lo {
        operands.get_mut(mid)?.take()?
    } else {
        balanced(func, operands, ops, lo, mid - 1)?
    };
    let right = if mid == hi {
        operands.get_mut(mid + 1)?.take()?
    } else {
        balanced(func, operands, ops, mid + 1, hi)?
    };
    Some(call(*ops.get(mid)?, func, vec![left, right]))
}

/// The number of levels of `e`, counted without recursion.
fn height(e: &IdedExpr) -> usize {
    let mut max = 0;
    let mut stack = vec![(e, 1)];
    while let Some((e, h)) = stack.pop() {
        max = max.max(h);
        stack.extend(super::children(e).into_iter().map(|x| (x, h + 1)));
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;
    use kube_cel::cel::Program;

    /// cel-rust's tree for `src`; panics when it does not compile.
    fn antlr(src: &str) -> IdedExpr {
        match Program::compile(src) {
            Ok(p) => p.expression().clone(),
            Err(e) => panic!("{src:?} does not compile: {e}"),
        }
    }

    #[track_caller]
    fn same(src: &str) {
        let ours = parse(src).unwrap_or_else(|| panic!("declined {src:?}"));
        assert_eq!(ours, antlr(src), "{src:?}");
    }

    #[track_caller]
    fn declined(src: &str) {
        assert_eq!(parse(src), None, "{src:?}");
    }

    #[test]
    fn precedence_and_associativity() {
        for src in [
            "a || b",
            "a || b || c",
            "a || b || c || d || e",
            "a || b || c || d || e || f || g || h",
            "a && b && c && d",
            "a || b && c || d",
            "a && b || c && d",
            "!a || b",
            "a < b < c",
            "a == b != c",
            "x in y == z",
            "a + b * c - d",
            "a % b / c * d",
            "a - b - c",
            "a + b < c * d && e",
            "a ? b : c",
            "a ? b : c ? d : e",
            "a || b ? c : d",
            "a ? b : c || d",
            "(a ? b : c) ? d : e",
            "((a))",
            "-a.b",
            "!a.b",
            "-a * b",
            "a * -1",
            "a - -1",
            "a -1",
            "1 - 1",
            "-1 + 2",
            "!-1",
            "-1.size()",
            "-1u",
            "-(1)",
            "!true",
            "a in [1, 2]",
        ] {
            same(src);
        }
    }

    #[test]
    fn members_calls_and_literals() {
        for src in [
            "a.b.c",
            "a[0].b",
            "x.y(1)[2].z",
            "a.b.c()",
            "f()",
            "f(a, b)",
            "a.f(b, c)",
            "size(self) > 0 && self.size() < 10",
            "[]",
            "[a, b]",
            "[1,]",
            "{}",
            "{'a': 1, 'b': [2]}",
            "{1: 2,}",
            "{'k': v}.k",
            "1.e5",
            "0x10",
            "0x1Fu",
            "18446744073709551615u",
            "1U",
            "01",
            "-9223372036854775808",
            "1.5",
            "-1.5",
            "1e5",
            "1E+5",
            "-1e-5",
            "1.5e-3",
            "null",
            "true != false",
            "''",
            "'a' + \"b\"",
            "'it\\'s'",
            "\"say \\\"hi\\\"\"",
            "'\\\\.\\n\\t\\r\\a\\b\\f\\v\\?\\`'",
            "'é🐱'",
            "'a\"b'",
            "\"a'b\"",
            "'//' + x // a comment",
            "r'a\\.b'",
            "R\"a'b\"",
            "r\"\"\"^(?i)\\.?[a-z]*$\"\"\"",
            "r'''it\"s'''",
            "x.matches(r\"\"\"^[A-Z]$\"\"\") ? 1 : 2",
            "self.all(x, x.a == 'b') && self.exists(y, has(y.z))",
        ] {
            same(src);
        }
    }

    #[test]
    fn macros_expand_as_in_cel_rust() {
        for src in [
            "has(a.b)",
            "has(a.b.c)",
            "has((a.b))",
            "has(a.b, c)",
            "a.has(b)",
            "a.exists(x, x)",
            "a.all(x, y)",
            "a.exists_one(x, y)",
            "a.existsOne(x, y)",
            "a.map(x, y)",
            "a.map(x, y, z)",
            "a.filter(x, y)",
            "a.all(x, b.exists(y, x == y))",
            "a.filter(x, x > 1).map(y, y * 2).exists_one(z, z == 4)",
            "a.all(k, v, k == v)",
            "all(a, b)",
            "self.map(r, has(r.matches) ? r.matches.size() : 0).sum() <= 128",
        ] {
            same(src);
        }
    }

    #[test]
    fn declines_what_it_is_not_sure_of() {
        for src in [
            // Errors cel-rust reports.
            "",
            " ",
            "a +",
            "(a",
            "f(x,)",
            "[,]",
            "{,}",
            "a b",
            "has(a)",
            "a.all(1, y)",
            "a.map(x.y, z)",
            "9223372036854775808",
            "-0x10",
            "1e400",
            "1e",
            "1ux",
            "0X1",
            "1..5",
            "a.5",
            "'\\d'",
            "'abc",
            "'a\nb'",
            "a = b",
            "a & b",
            "a | b",
            "a @ b",
            "a ? b ? c : d : e",
            // Syntax this parser leaves to cel-rust.
            ".5",
            ".a",
            ".f(x)",
            "a.?b",
            "a[?0]",
            "[?a]",
            "{?a: b}",
            "Foo{a: 1}",
            "a.b{c: 1}",
            "a.`b-c`",
            "b'abc'",
            "br'abc'",
            "'''abc'''",
            "\"\"\"abc\"\"\"",
            "r'''a'b'''",
            "r'a\\'",
            "r\"a\\\"b\"",
            "r'a\\\nb'",
            "r'a\\\u{7}b'",
            "r\"\"\"a\nb\"\"\"",
            "'\\x41'",
            "'\\u0041'",
            "'\\101'",
            "'a\\\"b'",
            "\"a\\'b\"",
            "!!a",
            "!!!a",
            "--a",
            "--1",
            "- -1",
            "-!a",
            "as",
            "x.if",
            "while(x)",
            "café",
            "'\u{7}'",
        ] {
            declined(src);
        }
    }

    #[test]
    fn declines_deep_or_large_expressions() {
        let nested = format!("{}a{}", "(".repeat(30), ")".repeat(30));
        declined(&nested);
        let shallow = format!("{}a{}", "(".repeat(10), ")".repeat(10));
        same(&shallow);
        let chain = vec!["a"; 200].join(" + ");
        declined(&chain);
        let long = format!("'{}'", "x".repeat(MAX_SOURCE));
        declined(&long);
        let many = format!("[{}]", vec!["1"; 3000].join(", "));
        declined(&many);
    }
}
