//! gwctl's own CEL parser (`src/cel/parse.rs`) against cel-rust's ANTLR parser: whenever
//! the fast parser accepts an expression, cel-rust must accept it too and give the very
//! same tree (`IdedExpr` compared with `==`: node shapes, literal values, macro expansions
//! and ids). An expression the fast parser declines costs time only, since cel-rust then
//! parses it.
//!
//! The expressions: every rule and message expression of the bundled schemas, every `rule:`
//! of the upstream CRDs in `../shared/gateway-api` (skipped when that folder is missing,
//! except under CI (`CI=true`), where that is a failure), every string literal of the
//! repository's Rust sources and the rules inside them and inside the test fixtures, and
//! thousands of generated expressions, mutations of real rules and short random strings of
//! the characters the lexer decides on (`GWCTL_CEL_PARSE_CASES` sets how many: 3,000 of
//! each kind by default, ten times that of the random strings). The fast parser is
//! expected to take at least 98% of the Gateway API rules.

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use kube_cel::cel::Program;
use kube_cel::cel::common::ast::IdedExpr;
use serde_json::Value;

use crate::common;
use crate::common::rng::Rng;

/// cel-rust's tree for `src`, or `None` when it rejects it (or panics on it).
fn antlr(src: &str) -> Option<IdedExpr> {
    let compiled = catch_unwind(AssertUnwindSafe(|| Program::compile(src))).ok()?;
    compiled.ok().map(|p| p.expression().clone())
}

/// Whether the fast parser accepts `src`; panics when it accepts it and cel-rust rejects it
/// or reads it differently.
#[track_caller]
fn check(what: &str, src: &str) -> bool {
    let Some(fast) = gwctl::cel::parse_fast(src) else {
        return false;
    };
    match antlr(src) {
        Some(reference) => assert!(
            fast == reference,
            "{what}: the parsers disagree on {src:?}\nfast: {fast:?}\ncel-rust: {reference:?}"
        ),
        None => panic!("{what}: the fast parser accepts {src:?}, which cel-rust rejects"),
    }
    true
}

/// The string values under `keys` anywhere in `v`.
fn values_under(v: &Value, keys: &[&str], out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match x {
                    Value::String(s) if keys.contains(&k.as_str()) => {
                        out.insert(s.clone());
                    }
                    _ => values_under(x, keys, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|x| values_under(x, keys, out)),
        _ => {}
    }
}

fn files_under(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, exts, out);
        } else if p.extension().is_some_and(|x| exts.iter().any(|e| x == *e)) {
            out.push(p);
        }
    }
}

/// The values under `keys` in every YAML or JSON document of `files` that reads.
fn values_in_documents(files: &[PathBuf], keys: &[&str]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        // Some fixtures are broken on purpose; they hold no rules worth reading.
        if let Ok(docs) = gwctl::yaml::parse_json_documents(&text) {
            for d in &docs {
                values_under(d, keys, &mut out);
            }
        }
    }
    out
}

/// Every `rule` of every upstream CRD of every release in `../shared/gateway-api`.
fn upstream_rules(shared: &Path) -> BTreeSet<String> {
    let mut files = Vec::new();
    for release in std::fs::read_dir(shared).unwrap().flatten() {
        files_under(&release.path().join("crd"), &["yaml"], &mut files);
    }
    files.sort();
    assert!(files.len() > 20, "too few CRDs under {}", shared.display());
    values_in_documents(&files, &["rule"])
}

/// Checks every expression of `rules`, returning the ones the fast parser declined.
fn declined<'a>(what: &str, rules: impl IntoIterator<Item = &'a String>) -> Vec<&'a String> {
    rules.into_iter().filter(|r| !check(what, r)).collect()
}

#[track_caller]
fn assert_mostly_accepted(what: &str, total: usize, declined: &[&String]) {
    let accepted = total - declined.len();
    eprintln!("{what}: the fast parser accepts {accepted} of {total}; declined: {declined:#?}");
    assert!(
        accepted * 100 >= total * 98,
        "{what}: the fast parser accepts only {accepted} of {total}; declined: {declined:#?}"
    );
}

#[test]
fn bundled_rules_parse_the_same() {
    let rules = gwctl::cel::bundled_expressions();
    assert!(rules.len() >= 59, "{}", rules.len());
    let declined = declined("bundled schemas", &rules);
    assert_mostly_accepted("bundled rules", rules.len(), &declined);
}

#[test]
fn upstream_rules_parse_the_same() {
    let Some(shared) = common::shared_gateway_api() else {
        return;
    };
    let rules = upstream_rules(&shared);
    assert!(rules.len() >= 59, "{}", rules.len());
    let declined = declined("upstream CRDs", &rules);
    assert_mostly_accepted("upstream rules", rules.len(), &declined);
}

/// The contents of every string literal of Rust source `text`, with escapes applied.
/// Enough of Rust's lexer for gwctl's sources: comments, raw strings, byte strings, char
/// literals and lifetimes.
fn rust_strings(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let at = |i: usize| chars.get(i).copied();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(c) = at(i) {
        let word_before = i > 0 && at(i - 1).is_some_and(|p| p.is_alphanumeric() || p == '_');
        if c == '/' && at(i + 1) == Some('/') {
            while at(i).is_some_and(|x| x != '\n') {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == Some('*') {
            let mut depth = 0;
            while let Some(x) = at(i) {
                if x == '/' && at(i + 1) == Some('*') {
                    depth += 1;
                    i += 2;
                } else if x == '*' && at(i + 1) == Some('/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if !word_before
            && (c == 'r' || (c == 'b' && at(i + 1) == Some('r')))
            && matches!(at(i + 1 + usize::from(c == 'b')), Some('"' | '#'))
        {
            let mut j = i + 1 + usize::from(c == 'b');
            let hashes_from = j;
            while at(j) == Some('#') {
                j += 1;
            }
            if at(j) != Some('"') {
                i = j;
                continue;
            }
            let hashes = j - hashes_from;
            let start = j + 1;
            let mut k = start;
            while let Some(x) = at(k) {
                if x == '"' && (1..=hashes).all(|h| at(k + h) == Some('#')) {
                    break;
                }
                k += 1;
            }
            out.push(chars[start..k.min(chars.len())].iter().collect());
            i = k + 1 + hashes;
        } else if c == '"' || (c == 'b' && !word_before && at(i + 1) == Some('"')) {
            let mut j = i + 1 + usize::from(c == 'b');
            let mut s = String::new();
            while let Some(x) = at(j) {
                if x == '"' {
                    break;
                }
                if x != '\\' {
                    s.push(x);
                    j += 1;
                    continue;
                }
                let e = at(j + 1).unwrap_or('\\');
                j += 2;
                match e {
                    'n' => s.push('\n'),
                    't' => s.push('\t'),
                    'r' => s.push('\r'),
                    '0' => s.push('\0'),
                    '\n' => {
                        while at(j).is_some_and(char::is_whitespace) {
                            j += 1;
                        }
                    }
                    'x' => {
                        let hex: String = chars[j..(j + 2).min(chars.len())].iter().collect();
                        s.extend(u8::from_str_radix(&hex, 16).ok().map(char::from));
                        j += 2;
                    }
                    'u' => {
                        let end = (j..chars.len()).find(|&k| chars[k] == '}').unwrap_or(j);
                        let hex: String = chars[(j + 1).min(end)..end].iter().collect();
                        s.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
                        j = end + 1;
                    }
                    other => s.push(other),
                }
            }
            out.push(s);
            i = j + 1;
        } else if c == '\'' {
            // A char literal ('x', '\'', '\u{1F600}') or a lifetime ('a).
            if at(i + 1) == Some('\\') {
                i = (i + 3..chars.len())
                    .find(|&k| chars[k] == '\'')
                    .map_or(chars.len(), |k| k + 1);
            } else if at(i + 2) == Some('\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    out
}

/// The `rule:` and `messageExpression:` values written inside `text`, a YAML or JSON
/// snippet embedded in a Rust string.
fn rules_in_snippet(text: &str, out: &mut BTreeSet<String>) {
    let re = regex::Regex::new(
        r#"(?m)(?:"(?:rule|messageExpression)"|\b(?:rule|messageExpression)):[ \t]*("(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^\n]+)"#,
    )
    .unwrap();
    for cap in re.captures_iter(text) {
        let v = cap[1].trim();
        let value = if v.starts_with('"') {
            serde_json::from_str::<String>(v).ok()
        } else if let Some(inner) = v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
            Some(inner.replace("''", "'"))
        } else {
            Some(v.to_string())
        };
        out.extend(value);
    }
}

#[test]
fn expressions_in_the_repository_parse_the_same() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources = Vec::new();
    files_under(&root.join("src"), &["rs"], &mut sources);
    files_under(&root.join("tests"), &["rs"], &mut sources);
    sources.sort();
    let mut literals = BTreeSet::new();
    let mut embedded = BTreeSet::new();
    for f in &sources {
        for s in rust_strings(&std::fs::read_to_string(f).unwrap()) {
            rules_in_snippet(&s, &mut embedded);
            literals.insert(s);
        }
    }
    let mut fixtures = Vec::new();
    files_under(&root.join("tests"), &["yaml", "yml", "json"], &mut fixtures);
    fixtures.sort();
    let in_fixtures = values_in_documents(&fixtures, &["rule", "messageExpression"]);
    // The scan must see the expressions the tests are known to use.
    for known in [
        "self.all(a, self.exists_one(b, a == b))",
        "self.name ==\n  'x'",
        "'name ' + self.name + ' is taken'",
        "!has(self.cookieConfig.lifetimeType) || self.cookieConfig.lifetimeType != 'Permanent' || has(self.absoluteTimeout)",
    ] {
        assert!(
            literals.contains(known) || embedded.contains(known),
            "not found: {known:?}"
        );
    }
    let mut accepted = 0;
    let mut total = 0;
    for (what, set) in [
        ("a string literal of the sources", &literals),
        ("a rule inside a string literal", &embedded),
        ("a rule of a test fixture", &in_fixtures),
    ] {
        for s in set {
            total += 1;
            accepted += usize::from(check(what, s));
        }
    }
    eprintln!(
        "repository: the fast parser accepts {accepted} of {total} string literals and rules \
         ({} literals, {} embedded rules, {} fixture rules)",
        literals.len(),
        embedded.len(),
        in_fixtures.len()
    );
}

const NAMES: &[&str] = &[
    "self", "oldSelf", "a", "b", "x", "y", "_z", "n9", "size", "has", "all", "map", "r", "in_",
    "truex", "nullable",
];
const RARE_NAMES: &[&str] = &["as", "if", "while", "in", "true", "null"];
/// Methods that are not macros (`has` is one only without a target).
const METHODS: &[&str] = &[
    "size",
    "matches",
    "startsWith",
    "contains",
    "has",
    "lowerAscii",
];
const MACROS: &[&str] = &["all", "exists", "exists_one", "existsOne", "map", "filter"];
const INTS: &[&str] = &[
    "0",
    "1",
    "42",
    "007",
    "128",
    "9223372036854775807",
    "0x1F",
    "0x7fffffffffffffff",
];
const UINTS: &[&str] = &["0u", "1U", "18446744073709551615u", "0x10u"];
const DOUBLES: &[&str] = &[
    "1.5",
    "0.0",
    "1e3",
    "1E-3",
    "2.5e+10",
    "1.7976931348623157e308",
    "0.1",
];
/// Literals that overflow, or are not CEL.
const RARE_NUMBERS: &[&str] = &[
    "9223372036854775808",
    "18446744073709551616u",
    "0xffffffffffffffff",
    "1e400",
    "0x",
    "1e",
    "1.",
];
const STRINGS: &[&str] = &[
    "''",
    "'a'",
    "\"b\"",
    "'it\\'s'",
    "'\\\\.'",
    "'\\n\\t\\r'",
    "'é🐱'",
    "'a\"b'",
    "\"a'b\"",
    "'//'",
    "'\\a\\b\\f\\v\\?\\`'",
    "r'a\\.b'",
    "R\"x'y\"",
    "r\"\"\"^(?i)[a-z]+\\.?$\"\"\"",
    "r'''q\"'''",
];
const RARE_STRINGS: &[&str] = &[
    "'\\x41'",
    "'\\101'",
    "'\\u00e9'",
    "'\\\"'",
    "\"\\'\"",
    "'''tri'''",
    "\"\"\"tri\"\"\"",
    "b'by'",
    "r'a\\'",
    "r\"\"\"a\"b\"\"\"",
    "'\\d'",
    "'a\tb'",
];
const RELATIONS: &[&str] = &["==", "!=", "<", "<=", ">", ">=", "in"];

/// Random CEL text from the grammar, as tokens; mostly valid, with a little syntax the
/// fast parser declines mixed in.
struct Gen {
    rng: Rng,
    out: Vec<String>,
    /// Whether this case may use syntax the fast parser declines; most cases do not, so
    /// that most of them are compared.
    odd: bool,
}

impl Gen {
    /// True one time in `n`, in the cases that may use odd syntax.
    fn odd(&mut self, n: usize) -> bool {
        self.odd && self.rng.one_in(n)
    }

    fn tok(&mut self, t: &str) {
        self.out.push(t.to_string());
    }

    fn expr(&mut self, d: u32) {
        self.or(d);
        if d > 0 && self.rng.one_in(6) {
            self.tok("?");
            self.or(d - 1);
            self.tok(":");
            self.expr(d - 1);
        }
    }

    fn chain(&mut self, d: u32, ops: &[&str], max: usize, operand: fn(&mut Self, u32)) {
        operand(self, d);
        if d == 0 {
            return;
        }
        for _ in 0..self.rng.below(max + 1) {
            let op = self.rng.pick(ops);
            self.tok(op);
            operand(self, d - 1);
        }
    }

    fn or(&mut self, d: u32) {
        self.chain(d, &["||"], 3, Self::and);
    }

    fn and(&mut self, d: u32) {
        self.chain(d, &["&&"], 2, Self::relation);
    }

    fn relation(&mut self, d: u32) {
        let n = if self.rng.one_in(2) { 1 } else { 0 };
        self.chain_n(d, RELATIONS, n, Self::sum);
    }

    fn chain_n(&mut self, d: u32, ops: &[&str], n: usize, operand: fn(&mut Self, u32)) {
        operand(self, d);
        if d == 0 {
            return;
        }
        for _ in 0..n + usize::from(self.rng.one_in(8)) {
            let op = self.rng.pick(ops);
            self.tok(op);
            operand(self, d - 1);
        }
    }

    fn sum(&mut self, d: u32) {
        self.chain(d, &["+", "-"], 2, Self::product);
    }

    fn product(&mut self, d: u32) {
        self.chain(d, &["*", "/", "%"], 1, Self::unary);
    }

    fn unary(&mut self, d: u32) {
        match self.rng.below(12) {
            0 => self.tok("!"),
            1 => self.tok("-"),
            2 if self.odd(2) => {
                let op = self.rng.pick(&["!!", "--", "- -", "!-"]);
                self.tok(op);
            }
            _ => {}
        }
        self.member(d);
    }

    fn member(&mut self, d: u32) {
        self.primary(d);
        if d == 0 {
            return;
        }
        for _ in 0..self.rng.below(3) {
            match self.rng.below(10) {
                0..=3 => {
                    let name = self.name();
                    self.tok(&format!(".{name}"));
                }
                4 | 5 => {
                    let m = self.rng.pick(METHODS);
                    self.tok(&format!(".{m}"));
                    self.args(d - 1);
                }
                6 | 7 => {
                    let m = self.rng.pick(MACROS);
                    self.tok(&format!(".{m}"));
                    self.tok("(");
                    if self.odd(5) {
                        self.expr(d - 1);
                    } else {
                        let v = self.rng.pick(&["x", "y", "i"]);
                        self.tok(v);
                    }
                    if m == "map" && self.rng.one_in(2) {
                        self.tok(",");
                        self.expr(d - 1);
                    }
                    self.tok(",");
                    self.expr(d - 1);
                    self.tok(")");
                }
                8 => {
                    self.tok("[");
                    self.expr(d - 1);
                    self.tok("]");
                }
                _ if self.odd(2) => {
                    let odd = self.rng.pick(&[".?f", "[?0]", ".`a-b`", "{}", "(1)"]);
                    self.tok(odd);
                }
                _ => {}
            }
        }
    }

    fn name(&mut self) -> String {
        if self.odd(10) {
            self.rng.pick(RARE_NAMES).to_string()
        } else {
            self.rng.pick(NAMES).to_string()
        }
    }

    fn args(&mut self, d: u32) {
        self.tok("(");
        let n = self.rng.below(3);
        for i in 0..n {
            if i > 0 {
                self.tok(",");
            }
            self.expr(d.saturating_sub(1));
        }
        if n > 0 && self.odd(5) {
            self.tok(",");
        }
        self.tok(")");
    }

    fn literal(&mut self) {
        // cel-rust rejects a sign before a hex literal, and `- -1` is declined: after a
        // `-`, only a decimal literal without a sign.
        let decimal = &INTS[..6];
        let after_minus = self.out.last().is_some_and(|t| t == "-");
        let t = match self.rng.below(20) {
            _ if after_minus => self.rng.pick(decimal),
            0..=3 => self.rng.pick(INTS),
            4 => self.rng.pick(UINTS),
            5 | 6 => self.rng.pick(DOUBLES),
            7..=12 => self.rng.pick(STRINGS),
            13 if self.odd(2) => self.rng.pick(RARE_STRINGS),
            13 if self.odd(1) => self.rng.pick(RARE_NUMBERS),
            13 => self.rng.pick(STRINGS),
            14 => "true",
            15 => "false",
            16 => "null",
            _ => {
                // A negative literal, with or without a space after the sign.
                let n = if self.rng.one_in(2) {
                    self.rng.pick(decimal)
                } else {
                    self.rng.pick(DOUBLES)
                };
                self.tok("-");
                n
            }
        };
        self.tok(t);
    }

    fn primary(&mut self, d: u32) {
        let choice = if d == 0 {
            self.rng.below(2)
        } else {
            self.rng.below(9)
        };
        match choice {
            0 => {
                let n = self.name();
                self.tok(&n);
            }
            1 => self.literal(),
            2 => {
                let n = self.name();
                self.tok(&n);
                self.args(d - 1);
            }
            3 => {
                self.tok("has");
                self.tok("(");
                self.member(d - 1);
                let n = self.name();
                self.tok(&format!(".{n}"));
                self.tok(")");
            }
            4 | 5 => {
                self.tok("(");
                self.expr(d - 1);
                self.tok(")");
            }
            6 => {
                self.tok("[");
                let n = self.rng.below(4);
                for i in 0..n {
                    if i > 0 {
                        self.tok(",");
                    }
                    self.expr(d - 1);
                }
                if n > 0 && self.rng.one_in(4) {
                    self.tok(",");
                }
                self.tok("]");
            }
            7 => {
                self.tok("{");
                let n = self.rng.below(3);
                for i in 0..n {
                    if i > 0 {
                        self.tok(",");
                    }
                    self.expr(d - 1);
                    self.tok(":");
                    self.expr(d - 1);
                }
                if n > 0 && self.rng.one_in(4) {
                    self.tok(",");
                }
                self.tok("}");
            }
            _ => {
                let odd = self
                    .rng
                    .pick(&[".x", "Foo{a: 1}", "[,]", "{,}", "f(x,)", "@"]);
                if self.odd(2) {
                    self.tok(odd);
                } else {
                    self.literal();
                }
            }
        }
    }

    /// The tokens joined by random white space and comments, keeping apart tokens that
    /// would otherwise run together into other tokens.
    fn text(mut self) -> String {
        const SEPARATORS: &[&str] = &["", "", " ", " ", " ", "  ", "\n", "\t", "\r\n", " // c\n"];
        let mut s = String::new();
        let tokens = std::mem::take(&mut self.out);
        for t in tokens {
            let wordy = |c: char| c.is_alphanumeric() || c == '_' || c == '\'' || c == '"';
            let glued = match (s.chars().last(), t.chars().next()) {
                (Some(a), Some(b)) => {
                    (wordy(a) && wordy(b))
                        || (a == '/' && b == '/')
                        || ("<>!=".contains(a) && b == '=')
                        || (a == '.' && b.is_ascii_digit())
                        || (a.is_ascii_digit() && b == '.')
                }
                _ => false,
            };
            let sep = self.rng.pick(SEPARATORS);
            s.push_str(if glued && sep.is_empty() { " " } else { sep });
            s.push_str(&t);
        }
        s
    }
}

/// Text that CEL gives meaning to, for mutations.
const PIECES: &[&str] = &[
    "(", ")", "[", "]", "{", "}", ".", ",", ":", "?", "!", "-", "+", "*", "&&", "||", "==", " in ",
    "'", "\"", "\\", "r", "b", "u", "0x", "1", ".5", "e", "`", "_", " ", "\n", "//", "has(",
    ".all(x, ", "@", "é", "\"\"\"", "-1", "?.",
];

/// Crude tokens of `s`: runs of name characters, runs of white space, and single other
/// characters.
fn crude_tokens(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let class = |c: char| {
        if c.is_alphanumeric() || c == '_' {
            0
        } else if c.is_whitespace() {
            1
        } else {
            2
        }
    };
    for c in s.chars() {
        match out.last_mut() {
            Some(last) if class(c) != 2 && last.chars().last().map(class) == Some(class(c)) => {
                last.push(c);
            }
            _ => out.push(c.to_string()),
        }
    }
    out
}

/// `rule` with one to three random edits of characters or tokens.
fn mutate(rule: &str, rng: &mut Rng) -> String {
    let mut s = rule.to_string();
    for _ in 0..1 + rng.below(3) {
        let chars: Vec<char> = s.chars().collect();
        let mut tokens = crude_tokens(&s);
        let n = chars.len();
        let i = rng.below(n + 1);
        let j = (i + 1 + rng.below(3)).min(n);
        s = match rng.below(7) {
            0 => chars[..i].iter().chain(&chars[j..]).collect(),
            1 => chars[..j]
                .iter()
                .chain(&chars[i..j])
                .chain(&chars[j..])
                .collect(),
            2 if i + 1 < n => {
                let mut c = chars.clone();
                c.swap(i, i + 1);
                c.into_iter().collect()
            }
            3 => {
                let piece = rng.pick(PIECES);
                let head: String = chars[..i].iter().collect();
                let tail: String = chars[i..].iter().collect();
                format!("{head}{piece}{tail}")
            }
            4 if !tokens.is_empty() => {
                tokens.remove(rng.below(tokens.len()));
                tokens.concat()
            }
            5 if !tokens.is_empty() => {
                let k = rng.below(tokens.len());
                let t = tokens[k].clone();
                tokens.insert(k, t);
                tokens.concat()
            }
            _ if tokens.len() > 1 => {
                let a = rng.below(tokens.len());
                let b = rng.below(tokens.len());
                tokens.swap(a, b);
                tokens.concat()
            }
            _ => s,
        };
    }
    s
}

fn cases() -> usize {
    std::env::var("GWCTL_CEL_PARSE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3_000)
}

#[test]
fn generated_expressions_parse_the_same() {
    let n = cases();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut accepted = 0;
    for case in 0..n {
        let seed = rng.next() | 1;
        let mut g = Gen {
            rng: Rng(seed),
            out: Vec::new(),
            odd: case % 4 == 0,
        };
        let depth = 1 + g.rng.below(3) as u32;
        g.expr(depth);
        let text = g.text();
        let ok = check(&format!("generated case {case} (seed {seed:#x})"), &text);
        if std::env::var("GWCTL_CEL_PARSE_SHOW").is_ok() {
            eprintln!("{ok} {} {text:?}", case % 4 == 0);
        }
        accepted += usize::from(ok);
    }
    eprintln!("generated: the fast parser accepts {accepted} of {n}");
    // The comparison says little unless most generated expressions are taken.
    assert!(accepted * 2 >= n, "accepted only {accepted} of {n}");
}

#[test]
fn mutated_rules_parse_the_same() {
    let rules: Vec<String> = gwctl::cel::bundled_expressions().into_iter().collect();
    let n = cases();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut accepted = 0;
    for case in 0..n {
        let rule = &rules[rng.below(rules.len())];
        let seed = rng.next() | 1;
        let mutated = mutate(rule, &mut Rng(seed));
        accepted += usize::from(check(
            &format!("mutation {case} (seed {seed:#x}) of {rule:?}"),
            &mutated,
        ));
    }
    eprintln!("mutated: the fast parser accepts {accepted} of {n}");
    assert!(accepted * 10 >= n, "accepted only {accepted} of {n}");
}

/// The characters the lexer decides on: quotes, escapes, number parts, operators.
const LEXER_PIECES: &[&str] = &[
    "'", "'", "\"", "\"", "\\", "\\", "r", "R", "b", "u", "U", "x", "e", "E", "0", "1", "7", "9",
    "a", "f", "F", "n", "t", "?", "`", ".", "+", "-", "_", " ", "\n", "\r", "\t", "\u{c}", "\u{b}",
    "\u{7}", "é", "(", ")", "[", "]", "{", "}", ",", ":", "!", "=", "<", ">", "&", "|", "/", "*",
    "%", " in ", "true", "null",
];

#[test]
fn random_token_soup_parses_the_same() {
    let n = cases() * 10;
    let mut rng = Rng(0x5851_f42d_4c95_7f2d);
    let mut accepted = 0;
    for case in 0..n {
        let len = 1 + rng.below(10);
        let text: String = (0..len).map(|_| rng.pick(LEXER_PIECES)).collect();
        accepted += usize::from(check(&format!("soup {case}"), &text));
    }
    eprintln!("token soup: the fast parser accepts {accepted} of {n}");
    assert!(accepted * 50 >= n, "accepted only {accepted} of {n}");
}
