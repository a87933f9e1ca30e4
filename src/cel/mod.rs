//! The CEL pass: evaluates a schema's `x-kubernetes-validations` rules on an object offline,
//! with the API server's semantics.
//!
//! Owns [`evaluate`] (and [`evaluate_after_schema`], which first applies the API server's
//! rule that blocking schema errors skip CEL), the per-expression compile cache, and the
//! GW2xx rules ([`rules`]).
//! Evaluation is `kube-cel`'s (cel-rust plus the Kubernetes CEL libraries), and so is
//! parsing, except that `parse` reads the common rules into the same tree first, sparing a
//! short lint the start-up cost of cel-rust's ANTLR parser. This module adds what the API
//! server does around them:
//!
//! - the object must already be defaulted ([`crate::schema::validate`] does it), since
//!   rules such as "a Service backend needs a port" read defaulted fields;
//! - a rule runs only where its field is present, once per item for rules on list items;
//!   transition rules (`oldSelf`) run only when an old object is given and the field has a
//!   correlated old value (object fields, and items of `x-kubernetes-list-type: map` lists);
//! - values are typed by the schema (`__namespace__`-style field escaping, numbers, duration
//!   and date-time formats, fields of the other channel pruned; see `convert`); a value of
//!   the wrong type is left to the schema pass and its rules do not run;
//! - a rule placed twice on one node (upstream HTTPRoute has R19 twice on backendRef
//!   filters) is evaluated and reported once;
//! - an evaluation error that decides the result rejects the object ("could not be
//!   evaluated"), as in the API server; CEL's `true || error` is true and `false || error`
//!   an error;
//! - `duration()` is strict like Go's `time.ParseDuration` (cel-rust ignores trailing text),
//!   `size()` counts code points and keeps the reason of an error in its argument, and
//!   `matches()` compiles each pattern once;
//! - a rule gwctl cannot evaluate (an undeclared function or macro such as `sortBy`,
//!   `cel.bind`, two-variable comprehensions; struct literals; a rule that does not parse)
//!   is reported as not evaluated (GW203), never as a pass.
//!
//! Kubernetes CEL libraries available to rules, all from kube-cel 0.8 (default features):
//! strings (`charAt`, `indexOf`, `lastIndexOf`, `lowerAscii`, `upperAscii`, `replace`,
//! `split`, `join`, `substring`, `trim`, `reverse`, `strings.quote`, `format`), lists
//! (`isSorted`, `sum`, `min`, `max`, `indexOf`, `lastIndexOf`, `distinct`, `flatten`,
//! `first`, `last`, `slice`, `sort`, `lists.range`), sets, regex (`find`, `findAll`), URLs
//! (`isURL`, `url` and its getters), IP and CIDR (`ip`, `cidr`, `isIP`, `isCIDR`, ...),
//! `quantity`, `semver`, named formats (`format.dns1123Label()` ...), math, base64, plus
//! cel-rust's standard functions (`size`, `matches` (RE2 syntax via the `regex` crate),
//! `startsWith`, `endsWith`, `contains`, `duration`, `timestamp` and its getters).
//! Not available (reported as GW203, never passed): `sortBy`, `cel.bind`, two-variable
//! comprehensions (`all(k, v, ...)`, `transformList`, `transformMap`), optional syntax
//! (`self.?field`, `list[?0]`), `type()` and `dyn()`, and message construction
//! (`Foo{...}`).
//!
//! One known difference remains: inside `all()`/`exists()`, an error on one item is
//! returned even when a later item would decide the result (CEL-go absorbs it). No Gateway
//! API rule can error inside a comprehension once defaults are applied and required fields
//! are present (otherwise [`evaluate_after_schema`] does not run the rules at all).

mod convert;
mod lists;
mod native;
mod parse;
mod plans;
pub mod rules;

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, OnceLock};

use kube_cel::KubeCelExt;
use kube_cel::cel::common::ast::{EntryExpr, Expr, IdedExpr};
use kube_cel::cel::extractors::Arguments;
use kube_cel::cel::objects::KeyRef;
use kube_cel::cel::{Context, ExecutionError, FunctionContext, Program, Value as Cel};
use regex::Regex;
use serde_json::Value;

use crate::diag::RuleMeta;
use crate::fieldpath::{FieldPath, PathSeg};
use crate::schema::{Additional, CelRule, ListType, Node, ObjectSchema, SchemaType, Violation};

pub use convert::escape_field;
pub use lists::Shape;

/// The API server's runtime cost limit for one evaluation of one rule (`PerCallLimit`).
pub const COST_BUDGET: u64 = 1_000_000;

/// v1.1.0's session persistence rule (R51). It reads `self.cookieConfig.lifetimeType`
/// under `has()`, which errors when `cookieConfig` is absent; v1.1.1 guards it with
/// `!has(self.cookieConfig) ||`.
const R51_V110: &str = "!has(self.cookieConfig.lifetimeType) || self.cookieConfig.lifetimeType != 'Permanent' || has(self.absoluteTimeout)";

/// One expression, compiled once per process.
struct Compiled {
    /// The expression it was compiled from.
    text: String,
    /// The parsed expression, as `Program::compile` gives it (evaluated with
    /// [`Cel::resolve`], which is what `Program::execute` does), or why it cannot run.
    program: Result<IdedExpr, String>,
    /// How deeply the expression iterates (see [`iteration_depth`]); 0 and 1 are linear in
    /// the value, deeper ones are checked against [`COST_BUDGET`] before they run.
    depth: u32,
    shape: Option<Shape>,
    r51_v110: bool,
}

/// Compiled programs keyed by expression text: the bundled schemas place ~460 rules but
/// only 59 distinct expressions.
fn compiled(rule: &str) -> Arc<Compiled> {
    thread_local! {
        // Lint threads look here first, so that evaluating does not take the shared lock.
        // Keyed by where the text is (a schema's rules live as long as its store), which
        // is cheaper than hashing rules of hundreds of bytes on every evaluation; the text
        // is compared on a hit, so a store freed and another allocated in its place cannot
        // get the wrong program.
        static LOCAL: RefCell<ByAddress> = RefCell::new(HashMap::default());
    }
    let key = (rule.as_ptr() as usize, rule.len());
    if let Some(c) = LOCAL.with(|l| l.borrow().get(&key).cloned())
        && c.text == rule
    {
        return c;
    }
    let c = shared_compiled(rule);
    LOCAL.with(|l| l.borrow_mut().insert(key, c.clone()));
    c
}

/// [`compiled`]'s per-thread cache: programs by the address and length of their text.
type ByAddress = HashMap<(usize, usize), Arc<Compiled>, BuildHasherDefault<AddressHasher>>;

/// Hashes the (address, length) keys of [`compiled`]'s cache: an address is already a
/// well-spread number and no one chooses it, so SipHash's defence against chosen keys only
/// costs time on every rule of every object.
#[derive(Default)]
struct AddressHasher(u64);

impl std::hash::Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_usize(usize::from(*b));
        }
    }

    fn write_usize(&mut self, n: usize) {
        // Fibonacci hashing: the multiply spreads the address into the high bits, which
        // the table reads first.
        self.0 = (self.0.rotate_left(5) ^ n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// The process-wide cache behind [`compiled`]: each expression is compiled once in all.
fn shared_compiled(rule: &str) -> Arc<Compiled> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<Compiled>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    // A poisoned lock only means another thread panicked while inserting; the map is still
    // a valid cache.
    if let Some(c) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(rule) {
        return c.clone();
    }
    // Compiled outside the lock, so that the lint threads, which meet a kind's rules at
    // the same time on a large run, compile different rules at once rather than in turn;
    // when two compile the same one, the first to insert wins.
    let c = Arc::new(compile(rule));
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    map.entry(rule.to_string()).or_insert(c).clone()
}

fn compile(rule: &str) -> Compiled {
    // The verdict is the expression's; a few costly ones run as an equivalent (`plans`).
    let source = plans::cheaper(rule).unwrap_or(rule);
    let program = parse_expression(source).and_then(|e| match unsupported_syntax(&e) {
        Some(why) => Err(why),
        None => Ok(e),
    });
    let depth = program.as_ref().map_or(0, iteration_depth);
    Compiled {
        text: rule.to_string(),
        program,
        depth,
        shape: Shape::of(rule),
        r51_v110: squash(rule) == squash(R51_V110),
    }
}

/// `source` parsed: by [`parse`] when it takes it (the same tree, without the start-up cost
/// of cel-rust's ANTLR parser), otherwise by cel-rust, which also words the errors.
fn parse_expression(source: &str) -> Result<IdedExpr, String> {
    let parsed = catch_unwind(|| match parse::parse(source) {
        Some(e) => Ok(e),
        None => Program::compile(source).map(|p| p.expression().clone()),
    });
    match parsed {
        Ok(Ok(e)) => Ok(e),
        Ok(Err(e)) => Err(format!("it does not compile: {}", one_line(&e.to_string()))),
        Err(_) => Err("the CEL parser failed on it".to_string()),
    }
}

/// Every rule and message expression of the bundled schemas, for every release, kind,
/// version and channel: for the tests that hold gwctl's CEL to every rule it ships.
#[doc(hidden)]
pub fn bundled_expressions() -> std::collections::BTreeSet<String> {
    use crate::schema::release::entries;
    use crate::schema::{Additional, Channel, Release, Store};

    fn collect(n: &Node, out: &mut std::collections::BTreeSet<String>) {
        for r in &n.rules {
            out.insert(r.rule.clone());
            out.extend(r.message_expression.clone());
        }
        let children = n
            .properties
            .values()
            .chain(n.items.as_deref())
            .chain(n.not.as_deref())
            .chain(n.all_of.iter())
            .chain(n.one_of.iter())
            .chain(n.any_of.iter());
        for c in children {
            collect(c, out);
        }
        if let Some(Additional::Schema(s)) = &n.additional_properties {
            collect(s, out);
        }
    }

    let mut out = std::collections::BTreeSet::new();
    for entry in 0..entries().len() {
        for k in Store::for_release(Release::of_entry(entry)).kinds() {
            for v in &k.versions {
                for c in [Channel::Standard, Channel::Experimental] {
                    collect(&v.schema(c).root, &mut out);
                }
            }
        }
    }
    out
}

/// [`parse`]'s tree for `source`, or `None` where it leaves `source` to cel-rust: for the
/// tests that hold the two parsers equal (tests/it/cel_parse.rs).
#[doc(hidden)]
pub fn parse_fast(source: &str) -> Option<IdedExpr> {
    parse::parse(source)
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How many levels of iteration over the value an expression nests: a comprehension
/// (`all`, `exists`, `exists_one`, `map`, `filter`) is one level, as is a function that
/// compares every item with every other (`distinct`, the `sets` functions) or searches a
/// list (`in`); its range, body and arguments nest inside it.
fn iteration_depth(e: &IdedExpr) -> u32 {
    // Explicit stack: an expression nests at most as deep as cel-rust's parser allows, but
    // evaluating it must not depend on that.
    let mut max = 0;
    let mut stack = vec![(e, 0u32)];
    while let Some((e, d)) = stack.pop() {
        max = max.max(d);
        let d = match &e.expr {
            // `x in list` searches the list: another level when inside a loop.
            Expr::Call(c)
                if c.func_name == "distinct"
                    || c.func_name == "@in"
                    || c.func_name.starts_with("sets.") =>
            {
                max = max.max(d + 1);
                d + 1
            }
            Expr::Comprehension(c) => {
                // The range is evaluated once, outside the loop.
                stack.push((&c.iter_range, d));
                stack.push((&c.accu_init, d));
                for x in [&c.loop_cond, &c.loop_step, &c.result] {
                    stack.push((x, d + 1));
                }
                continue;
            }
            _ => d,
        };
        stack.extend(children(e).into_iter().map(|x| (x, d)));
    }
    max
}

/// The subexpressions of `e` one level down: a call's target and arguments, a
/// comprehension's parts, list items, map keys and values, a select's operand. Messages
/// (`Foo{...}`) have none here: gwctl refuses them before anything walks them.
fn children(e: &IdedExpr) -> Vec<&IdedExpr> {
    match &e.expr {
        Expr::Call(c) => c.target.as_deref().into_iter().chain(&c.args).collect(),
        Expr::Comprehension(c) => vec![
            &c.iter_range,
            &c.accu_init,
            &c.loop_cond,
            &c.loop_step,
            &c.result,
        ],
        Expr::List(l) => l.elements.iter().collect(),
        Expr::Map(m) => m
            .entries
            .iter()
            .filter_map(|en| match &en.expr {
                EntryExpr::MapEntry(me) => Some([&me.key, &me.value]),
                EntryExpr::StructField(_) => None,
            })
            .flatten()
            .collect(),
        Expr::Select(s) => vec![&s.operand],
        Expr::Struct(_) | Expr::Unspecified | Expr::Ident(_) | Expr::Literal(_) => Vec::new(),
    }
}

/// An upper bound of the work a rule iterating `depth` levels deep does on `v` (and `old`):
/// the value's size (an item, entry or scalar is one unit, ten bytes of text one unit, as
/// in the API server's cost model), times the longest list or map for each level after
/// the first. Stops counting once past `budget`.
fn estimated_cost(v: &Value, old: Option<&Value>, depth: u32, budget: u64) -> u64 {
    let mut size: u64 = 0;
    let mut longest: u64 = 1;
    // Sized for the usual object so the walk does not grow it step by step.
    let mut stack: Vec<&Value> = Vec::with_capacity(64);
    stack.push(v);
    stack.extend(old);
    while let Some(x) = stack.pop() {
        size += 1;
        match x {
            Value::String(s) => size += s.len() as u64 / 10,
            Value::Array(items) => {
                longest = longest.max(items.len() as u64);
                stack.extend(items);
            }
            Value::Object(m) => {
                longest = longest.max(m.len() as u64);
                stack.extend(m.values());
            }
            _ => {}
        }
        if size > budget {
            return size;
        }
    }
    (1..depth).fold(size, |c, _| c.saturating_mul(longest))
}

/// Syntax cel-rust parses but cannot evaluate (it would panic or silently misread it).
fn unsupported_syntax(e: &IdedExpr) -> Option<String> {
    match &e.expr {
        Expr::Struct(s) => Some(format!(
            "it builds a message `{}{{...}}`, which gwctl does not support",
            s.type_name
        )),
        Expr::Unspecified => Some("it contains an empty expression".to_string()),
        Expr::Call(c) => c
            .target
            .as_deref()
            .and_then(unsupported_syntax)
            .or_else(|| c.args.iter().find_map(unsupported_syntax)),
        Expr::Comprehension(c) => {
            if c.iter_var2.is_some() {
                return Some(
                    "it uses a two-variable comprehension, which gwctl does not support"
                        .to_string(),
                );
            }
            [
                &c.iter_range,
                &c.accu_init,
                &c.loop_cond,
                &c.loop_step,
                &c.result,
            ]
            .into_iter()
            .find_map(unsupported_syntax)
        }
        Expr::List(l) => l.elements.iter().find_map(unsupported_syntax),
        Expr::Map(m) => m.entries.iter().find_map(|en| match &en.expr {
            EntryExpr::MapEntry(me) => {
                unsupported_syntax(&me.key).or_else(|| unsupported_syntax(&me.value))
            }
            EntryExpr::StructField(_) => {
                Some("it contains a struct field outside a message".to_string())
            }
        }),
        Expr::Select(s) => unsupported_syntax(&s.operand),
        Expr::Ident(_) | Expr::Literal(_) => None,
    }
}

thread_local! {
    /// cel-rust's standard functions plus every Kubernetes library kube-cel provides. A
    /// `Context` is not `Sync`, so each thread builds its own once.
    static BASE: Context<'static> = base_context();
}

fn base_context() -> Context<'static> {
    let mut ctx = Context::default().with_all();
    ctx.add_function("duration", strict_duration);
    ctx.add_function("size", size);
    ctx.add_function("matches", matches);
    ctx
}

/// `s.matches(re)` and `matches(s, re)`: an unanchored RE2 search, as cel-rust does it, but
/// with each pattern compiled once per thread instead of on every call (the bundled rules
/// match four patterns on every path, address and gRPC method).
fn matches(ftx: &FunctionContext, Arguments(args): Arguments) -> Result<Cel, ExecutionError> {
    let (text, pattern) = match (&ftx.this, args.as_slice()) {
        (Some(Cel::String(t)), [Cel::String(p)]) => (t, p),
        (None, [Cel::String(t), Cel::String(p)]) => (t, p),
        _ => return Err(ftx.error("matches takes a string and a regular expression")),
    };
    regex_matches(text, pattern)
        .map(Cel::Bool)
        .map_err(|e| ftx.error(e))
}

/// Whether `pattern` matches somewhere in `text`, with each pattern compiled once per thread
/// (`matches()` here and in the fast path, [`native`]).
fn regex_matches(text: &str, pattern: &str) -> Result<bool, String> {
    thread_local! {
        static COMPILED: RefCell<HashMap<String, Regex>> = RefCell::new(HashMap::new());
    }
    COMPILED.with(|c| {
        let mut cache = c.borrow_mut();
        if let Some(re) = cache.get(pattern) {
            return Ok(re.is_match(text));
        }
        let re = Regex::new(pattern)
            .map_err(|e| format!("{pattern:?} is not a valid regular expression: {e}"))?;
        let found = re.is_match(text);
        // Patterns come from schemas, so there are few; the bound only guards odd input.
        if cache.len() >= 1024 {
            cache.clear();
        }
        cache.insert(pattern.to_string(), re);
        Ok(found)
    })
}

/// `size(x)` and `x.size()`. cel-rust's own version counts a string's bytes rather than its
/// code points, and turns an error in its argument (`size(self.unset)`) into "missing
/// argument"; the API server says "no such key", which is what users need to read.
fn size(ftx: &FunctionContext, Arguments(args): Arguments) -> Result<Cel, ExecutionError> {
    let v = match (&ftx.this, args.as_slice()) {
        (Some(this), []) => this,
        (None, [arg]) => arg,
        _ => return Err(ftx.error("size takes exactly one value")),
    };
    let n = match v {
        Cel::List(l) => l.len(),
        Cel::Map(m) => m.map.len(),
        Cel::String(s) => s.chars().count(),
        Cel::Bytes(b) => b.len(),
        other => return Err(ftx.error(format!("size does not apply to {}", type_name(other)))),
    };
    Ok(Cel::Int(i64::try_from(n).unwrap_or(i64::MAX)))
}

/// Go's `time.ParseDuration` grammar; cel-rust's own `duration()` stops at the first
/// character it does not understand and ignores the rest.
fn strict_duration(s: Arc<String>) -> Result<Cel, ExecutionError> {
    static GO: OnceLock<Regex> = OnceLock::new();
    let re = GO.get_or_init(|| {
        Regex::new(r"^[-+]?(0|(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$")
            .expect("static regex")
    });
    if !re.is_match(&s) {
        return Err(ExecutionError::function_error(
            "duration",
            format!("invalid duration {:?}", s.as_str()),
        ));
    }
    let unsigned = s.strip_prefix('+').unwrap_or(&s);
    kube_cel::cel::functions::duration(Arc::new(unsigned.to_string()))
}

/// Evaluates every CEL rule of `schema` on `object`, which must
/// already be defaulted (see [`crate::schema::validate`]). `old` is the stored object for
/// transition rules (`oldSelf`); without it they do not run, as on a create.
pub fn evaluate(schema: &ObjectSchema, object: &Value, old: Option<&Value>) -> Vec<Violation> {
    evaluate_with(schema, object, old, true)
}

/// [`evaluate`] with every rule run in cel-rust, without the fast path: for the test that
/// holds the two equal on real and mutated objects.
#[doc(hidden)]
pub fn evaluate_in_cel_rust(
    schema: &ObjectSchema,
    object: &Value,
    old: Option<&Value>,
) -> Vec<Violation> {
    evaluate_with(schema, object, old, false)
}

fn evaluate_with(
    schema: &ObjectSchema,
    object: &Value,
    old: Option<&Value>,
    fast: bool,
) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut path = FieldPath::root();
    BASE.with(|base| {
        let mut w = Walker {
            base,
            out: &mut out,
            fast,
        };
        w.walk(&schema.root, object, None, old, true, &mut path);
    });
    out
}

/// Whether the API server would skip CEL because of this structural finding. Its
/// `hasBlockingErr` treats wrong types, missing required fields, values outside an enum and
/// values over maxLength, maxItems or maxProperties as blocking; other findings (patterns,
/// minimums, duplicates) are not.
pub fn blocks_cel(v: &Violation) -> bool {
    use crate::schema::rules::{ENUM, ITEMS, LENGTH, PROPERTIES, REQUIRED, TYPE};
    // Of length, items and properties only the "too long / too many" direction blocks.
    if [&TYPE, &REQUIRED, &ENUM].iter().any(|r| v.is(r)) {
        true
    } else if [&LENGTH, &ITEMS, &PROPERTIES].iter().any(|r| v.is(r)) {
        v.message.contains("too long") || v.message.contains("too many")
    } else {
        false
    }
}

/// What the API server does after structural validation: when `structural` (the findings
/// of [`crate::schema::validate`] for this object) has a blocking finding ([`blocks_cel`]),
/// the rules are not run and one GW204 note says so; otherwise [`evaluate`].
pub fn evaluate_after_schema(
    schema: &ObjectSchema,
    object: &Value,
    old: Option<&Value>,
    structural: &[Violation],
) -> Vec<Violation> {
    if structural.iter().any(blocks_cel) {
        return vec![Violation {
            rule: &rules::RULES_NOT_CHECKED,
            path: FieldPath::root(),
            on_key: false,
            message: "validation rules were not checked because the object breaks its schema; \
                      fix the schema findings to complete validation"
                .to_string(),
            related: Vec::new(),
            fix: None,
        }];
    }
    evaluate(schema, object, old)
}

struct Walker<'a> {
    base: &'a Context<'static>,
    out: &'a mut Vec<Violation>,
    /// Try the fast path ([`native`]) before cel-rust.
    fast: bool,
}

impl Walker<'_> {
    /// `converted` is `v` as CEL sees it, when an ancestor with rules has converted it
    /// already: [`convert::to_cel`] types a value by the same schema node whether it
    /// starts there or at an ancestor, so the ancestor's converted child is reused instead
    /// of converting every subtree again at each level that has rules.
    fn walk(
        &mut self,
        node: &Node,
        v: &Value,
        converted: Option<&Cel>,
        old: Option<&Value>,
        root: bool,
        path: &mut FieldPath,
    ) {
        // The API server does not validate a null value (a nullable field set to null).
        if v.is_null() || !has_schema_type(node, v) {
            // The schema pass reports the wrong type; rules written for the right one would
            // only add "could not be evaluated" noise about the same value.
            return;
        }
        let convert = |x: &Value| {
            if root {
                convert::root_to_cel(x, node)
            } else {
                convert::to_cel(x, Some(node))
            }
        };
        // The rules the fast path confirms pass need nothing converted (see `native`); the
        // others run in cel-rust, which alone decides failures and errors.
        // A transition rule without an old object does not run (see `run`); it needs no
        // conversion either.
        let left: Vec<&CelRule> = node
            .rules
            .iter()
            .filter(|r| !(r.transition && old.is_none() && !r.optional_old_self))
            .filter(|r| !(self.fast && !root && passes_fast(r, node, v)))
            .collect();
        let this = match converted {
            Some(c) => Some(c.clone()),
            None if !left.is_empty() => Some(convert(v)),
            None => None,
        };
        if !left.is_empty()
            && let Some(this) = &this
        {
            let before = old.map(convert);
            // cel-rust deep-copies a variable into its evaluation form when it is bound, so
            // `self` (and `oldSelf`) are bound once per node and the node's rules share the
            // scope, rather than binding per rule. Transition rules get a scope that also
            // has `oldSelf`; the others never see it, as before.
            let base = self.base;
            let mut scope = base.new_inner_scope();
            scope.add_variable_from_value("self", this.clone());
            let mut scope_old: Option<Context<'_>> = None;
            // A rule placed twice on one node (upstream's HTTPRoute has R19 twice on
            // backendRef filters) gives one finding.
            let mut seen: Vec<&str> = Vec::new();
            for rule in left {
                if seen.contains(&rule.rule.as_str()) {
                    continue;
                }
                seen.push(&rule.rule);
                let ctx = match &before {
                    Some(b) if rule.transition => scope_old.get_or_insert_with(|| {
                        let mut c = base.new_inner_scope();
                        c.add_variable_from_value("self", this.clone());
                        c.add_variable_from_value("oldSelf", b.clone());
                        c
                    }),
                    _ => &scope,
                };
                self.run(rule, (v, old), (ctx, this), before.is_some(), path);
            }
        }
        match v {
            Value::Object(m) => {
                let map = match &this {
                    Some(Cel::Map(map)) => Some(map),
                    _ => None,
                };
                for (k, child) in m {
                    if root && k == "metadata" {
                        continue;
                    }
                    // The child's name in the converted map: declared fields are escaped,
                    // the keys of an `additionalProperties` map are not (as in `to_cel`).
                    let (sub, escaped) = match node.properties.get(k) {
                        Some(p) => (p, true),
                        None => match &node.additional_properties {
                            Some(Additional::Schema(s)) => (&**s, false),
                            _ => continue,
                        },
                    };
                    let child_cel = map.and_then(|m| {
                        if escaped {
                            m.get(&KeyRef::String(&convert::escape_field(k)))
                        } else {
                            m.get(&KeyRef::String(k))
                        }
                    });
                    let child_old = old.and_then(|o| o.get(k));
                    path.push(PathSeg::Key(k.clone().into()));
                    self.walk(sub, child, child_cel, child_old, false, path);
                    path.pop();
                }
            }
            Value::Array(items) => {
                let Some(item_node) = node.items.as_deref() else {
                    return;
                };
                let list = match &this {
                    Some(Cel::List(list)) => Some(list),
                    _ => None,
                };
                for (i, item) in items.iter().enumerate() {
                    let item_old = old.and_then(|o| correlate(node, item, o));
                    let item_cel = list.and_then(|l| l.get(i));
                    path.push(PathSeg::Index(i));
                    self.walk(item_node, item, item_cel, item_old, false, path);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    /// `json` is the value and its old value, as JSON (for the cost estimate); `ctx` binds
    /// `self` (`this`, as CEL), and `oldSelf` for a transition rule when `has_old`.
    fn run(
        &mut self,
        rule: &CelRule,
        json: (&Value, Option<&Value>),
        ctx: (&Context<'_>, &Cel),
        has_old: bool,
        path: &FieldPath,
    ) {
        let (v, old_json) = json;
        let (ctx, this) = ctx;
        let uses_old = rule.transition;
        if uses_old && !has_old {
            if rule.optional_old_self {
                // The API server would run it with `oldSelf` as an empty optional, which
                // cel-rust cannot bind; say so rather than skip it.
                let message = format!(
                    "rule {:?} was not evaluated: gwctl does not support optionalOldSelf",
                    rule.rule
                );
                self.push(&rules::RULE_UNSUPPORTED, path.clone(), message, Vec::new());
            }
            return;
        }
        let c = compiled(&rule.rule);
        let program = match &c.program {
            Ok(p) => p,
            Err(why) => {
                self.push(
                    &rules::RULE_UNSUPPORTED,
                    path.clone(),
                    format!("rule {:?} was not evaluated: {why}", rule.rule),
                    Vec::new(),
                );
                return;
            }
        };
        // cel-rust cannot stop an evaluation part way, so a rule that would go past the API
        // server's cost limit is not started (nested iteration over an unbounded list would
        // otherwise take hours). Linear rules cannot get there on a file gwctl reads.
        if c.depth >= 2 {
            let old = old_json.filter(|_| uses_old);
            let cost = estimated_cost(v, old, c.depth, COST_BUDGET);
            if cost > COST_BUDGET {
                let message = format!(
                    "rule {:?} was not evaluated: cost budget exceeded (estimated cost {cost}, \
                     more than the limit of {COST_BUDGET} the API server allows one rule)",
                    rule.rule
                );
                self.push(&rules::RULE_OVER_BUDGET, path.clone(), message, Vec::new());
                return;
            }
        }
        let result = catch_unwind(AssertUnwindSafe(|| Cel::resolve(program, ctx)));
        match result {
            Ok(Ok(Cel::Bool(true))) => {}
            Ok(Ok(Cel::Bool(false))) => {
                let message = message_of(rule, ctx)
                    .or_else(|| rule.message.clone())
                    .unwrap_or_else(|| format!("failed rule: {}", rule.rule));
                // `fieldPath` moves the finding below the rule's node, as in the API server.
                if let Some(at) = rule.field_path.as_deref().and_then(|f| below(path, f)) {
                    self.push(&rules::RULE_VIOLATED, at, message, Vec::new());
                    return;
                }
                match c.shape.and_then(|s| s.locate(v).map(|p| (s, p))) {
                    // The entry itself is the finding, as for the schema's duplicate entries.
                    Some((shape, (bad, other))) => {
                        let label = shape.related_label(v.get(other).unwrap_or(&Value::Null));
                        self.out.push(Violation {
                            rule: &rules::RULE_VIOLATED,
                            path: path.index(bad),
                            on_key: true,
                            message: one_line(&message),
                            related: vec![(path.index(other), label)],
                            fix: None,
                        });
                    }
                    None => match self.failing_item(rule, program, this, v) {
                        // A rule that holds or fails item by item (`self.all(l, ...)` on
                        // listeners): the item that fails it, at the field the rule reads.
                        Some((i, field)) => {
                            let mut at = path.index(i);
                            let mut at_value = v.get(i);
                            for key in field.into_iter().flatten() {
                                at_value = at_value.and_then(|x| x.get(&key));
                                at = at.key(key);
                            }
                            // A scalar is shown by its value (`mode: Passthrough`), a
                            // mapping or the item itself by where it starts.
                            let on_key = at_value.is_none_or(|x| x.is_object() || x.is_array());
                            self.out.push(Violation {
                                rule: &rules::RULE_VIOLATED,
                                path: at,
                                on_key,
                                message: one_line(&message),
                                related: Vec::new(),
                                fix: None,
                            });
                        }
                        None => self.push(&rules::RULE_VIOLATED, path.clone(), message, Vec::new()),
                    },
                }
            }
            Ok(Ok(other)) => {
                let message = format!(
                    "rule {:?} could not be evaluated: it returned {}, expected a boolean",
                    rule.rule,
                    type_name(&other)
                );
                self.push(
                    &rules::RULE_NOT_EVALUABLE,
                    path.clone(),
                    message,
                    Vec::new(),
                );
            }
            Ok(Err(ExecutionError::UndeclaredReference(name))) => {
                let message = format!(
                    "rule {:?} was not evaluated: gwctl does not support `{name}`",
                    rule.rule
                );
                self.push(&rules::RULE_UNSUPPORTED, path.clone(), message, Vec::new());
            }
            Ok(Err(e)) => {
                let message = if c.r51_v110 {
                    r51_message(&e)
                } else {
                    format!(
                        "rule could not be evaluated: {} (the API server rejects the object; the rule's message is {:?})",
                        why(&e),
                        rule.message.as_deref().unwrap_or(&rule.rule)
                    )
                };
                self.push(
                    &rules::RULE_NOT_EVALUABLE,
                    path.clone(),
                    message,
                    Vec::new(),
                );
            }
            Err(_) => {
                let message = format!(
                    "rule {:?} was not evaluated: the CEL evaluator failed on it",
                    rule.rule
                );
                self.push(&rules::RULE_UNSUPPORTED, path.clone(), message, Vec::new());
            }
        }
    }

    /// For a failed rule `self.all(x, P)` whose `P` reads only `x` (not `self`), the first
    /// item of the list `this` that fails `P`, found by running the same program on that item
    /// alone, and the field of the item that `P` tests (see [`lists::item_field`]).
    /// `None` for any other rule, or when no single item fails it.
    fn failing_item(
        &self,
        rule: &CelRule,
        program: &IdedExpr,
        this: &Cel,
        v: &Value,
    ) -> Option<(usize, Option<Vec<String>>)> {
        let (var, body) = lists::all_body(&rule.rule)?;
        let (Cel::List(items), Some(json)) = (this, v.as_array()) else {
            return None;
        };
        if rule.transition || items.len() != json.len() {
            return None;
        }
        let i = items.iter().position(|item| {
            let mut scope = self.base.new_inner_scope();
            scope.add_variable_from_value("self", Cel::List(Arc::new(vec![item.clone()])));
            let verdict = catch_unwind(AssertUnwindSafe(|| Cel::resolve(program, &scope)));
            matches!(verdict, Ok(Ok(Cel::Bool(false))))
        })?;
        Some((i, lists::item_field(var, body, &json[i])))
    }

    fn push(
        &mut self,
        rule: &'static RuleMeta,
        path: FieldPath,
        message: String,
        related: Vec<(FieldPath, String)>,
    ) {
        self.out.push(Violation {
            rule,
            path,
            on_key: false,
            // Rules and their messages may span lines in a CRD; a finding is one line.
            message: one_line(&message),
            related,
            fix: None,
        });
    }
}

/// Whether the fast path ([`native`]) confirms that `rule` passes on `v`. Transition rules,
/// rules that do not compile and rules over the cost budget are left to [`Walker::run`],
/// which reports them.
fn passes_fast(rule: &CelRule, node: &Node, v: &Value) -> bool {
    if rule.transition {
        return false;
    }
    let c = compiled(&rule.rule);
    let Ok(program) = &c.program else {
        return false;
    };
    if c.depth >= 2 && estimated_cost(v, None, c.depth, COST_BUDGET) > COST_BUDGET {
        return false;
    }
    native::passes(program, v, node)
}

fn has_schema_type(node: &Node, v: &Value) -> bool {
    match node.types {
        None => true,
        Some(SchemaType::Object) => v.is_object(),
        Some(SchemaType::Array) => v.is_array(),
        Some(SchemaType::String) => v.is_string() || (node.int_or_string && v.is_number()),
        Some(SchemaType::Integer) => {
            v.as_f64().is_some_and(|f| f.fract() == 0.0) || (node.int_or_string && v.is_string())
        }
        Some(SchemaType::Number) => v.is_number(),
        Some(SchemaType::Boolean) => v.is_boolean(),
    }
}

/// The rule's `messageExpression`, when it has one that evaluates to a non-empty string;
/// otherwise the API server falls back to `message`.
fn message_of(rule: &CelRule, ctx: &Context<'_>) -> Option<String> {
    let expr = rule.message_expression.as_deref()?;
    let c = compiled(expr);
    let program = c.program.as_ref().ok()?;
    match catch_unwind(AssertUnwindSafe(|| Cel::resolve(program, ctx))) {
        Ok(Ok(Cel::String(s))) if !s.trim().is_empty() => Some(one_line(&s)),
        _ => None,
    }
}

/// `path` extended by a rule's `fieldPath` (`.spec.ports`, `.labels['app.kubernetes.io/name']`);
/// `None` when the field path is not in that form.
fn below(path: &FieldPath, field_path: &str) -> Option<FieldPath> {
    let mut out = path.clone();
    let mut rest = field_path;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("['") {
            let end = r.find("']")?;
            out.push(PathSeg::Key(r[..end].to_string().into()));
            rest = &r[end + 2..];
        } else if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            if end == 0 {
                return None;
            }
            out.push(PathSeg::Key(r[..end].to_string().into()));
            rest = &r[end..];
        } else {
            return None;
        }
    }
    Some(out)
}

/// The old item that corresponds to `item`: for `x-kubernetes-list-type: map` lists the one
/// with the same keys, as the API server correlates them; other lists are not correlated.
fn correlate<'o>(list: &Node, item: &Value, old: &'o Value) -> Option<&'o Value> {
    if list.list_type != Some(ListType::Map) || list.list_map_keys.is_empty() {
        return None;
    }
    let keys = &list.list_map_keys;
    old.as_array()?
        .iter()
        .find(|o| keys.iter().all(|k| o.get(k) == item.get(k)))
}

fn why(e: &ExecutionError) -> String {
    match e {
        ExecutionError::NoSuchKey(k) => format!("no such key: {k}"),
        other => {
            // cel-rust capitalises its messages; lower only the first letter so that quoted
            // values stay as the user wrote them.
            let text = one_line(&other.to_string());
            let mut chars = text.chars();
            match chars.next() {
                Some(c) => c.to_lowercase().chain(chars).collect(),
                None => text,
            }
        }
    }
}

fn r51_message(e: &ExecutionError) -> String {
    format!(
        "sessionPersistence could not be evaluated: {}; this is a defect of Gateway API \
         v1.1.0's rule, fixed in v1.1.1, and v1.1.0 API servers reject the object: add \
         `cookieConfig: {{lifetimeType: Session}}` or an `absoluteTimeout` so that both versions \
         accept it",
        why(e)
    )
}

fn type_name(v: &Cel) -> &'static str {
    match v {
        Cel::List(_) => "a list",
        Cel::Map(_) => "a map",
        Cel::Function(..) => "a function",
        Cel::Int(_) => "an int",
        Cel::UInt(_) => "a uint",
        Cel::Float(_) => "a double",
        Cel::String(_) => "a string",
        Cel::Bytes(_) => "bytes",
        Cel::Bool(_) => "a bool",
        Cel::Duration(_) => "a duration",
        Cel::Timestamp(_) => "a timestamp",
        Cel::Opaque(_) => "an opaque value",
        Cel::Null => "null",
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn iteration_depth_counts_nested_loops_and_quadratic_functions() {
        let depth = |r: &str| iteration_depth(Program::compile(r).unwrap().expression());
        assert_eq!(depth("self.size() > 0"), 0);
        assert_eq!(depth("self.all(x, x > 0)"), 1);
        assert_eq!(depth("self.all(a, self.exists_one(b, a == b))"), 2);
        assert_eq!(depth("self.map(x, x).all(y, y in self)"), 2);
        assert_eq!(depth("'a' in self"), 1);
        assert_eq!(depth("self.all(a, a.items.distinct().size() > 0)"), 2);
    }

    #[test]
    fn estimated_cost_grows_with_nesting_and_stops_early() {
        let v: Value = serde_json::json!(["a", "b", "c", "d"]);
        assert_eq!(estimated_cost(&v, None, 1, COST_BUDGET), 5);
        assert_eq!(estimated_cost(&v, None, 2, COST_BUDGET), 20);
        let big = Value::Array(vec![Value::Null; 2_000_000]);
        assert!(estimated_cost(&big, None, 1, COST_BUDGET) > COST_BUDGET);
    }
    #[test]
    fn every_bundled_rule_compiles_and_is_supported() {
        let rules = bundled_expressions();
        // 59 distinct v1.1 expressions, plus the two of BackendTLSPolicy v1alpha2 (v1.0).
        assert!(rules.len() >= 59, "{}", rules.len());
        for r in &rules {
            if let Err(why) = &compiled(r).program {
                panic!("{r}: {why}");
            }
        }
    }

    #[test]
    fn known_shapes_match_the_bundled_expressions() {
        let squashed: BTreeSet<String> = bundled_expressions().iter().map(|r| squash(r)).collect();
        for k in lists::KNOWN
            .iter()
            .chain(plans::ORIGINALS)
            .chain([&R51_V110])
        {
            assert!(
                squashed.contains(&squash(k)),
                "not in the bundled schemas: {k}"
            );
        }
    }

    #[test]
    fn semantics_match_the_api_server() {
        let eval = |rule: &str, v: serde_json::Value| -> Result<Cel, ExecutionError> {
            let p = Program::compile(rule).unwrap();
            BASE.with(|b| {
                let mut ctx = b.new_inner_scope();
                ctx.add_variable_from_value("self", convert::to_cel(&v, None));
                p.execute(&ctx)
            })
        };
        let o = serde_json::json!({"a": 1, "namespace": "ns", "s": "é"});
        assert_eq!(eval("true || self.x == 1", o.clone()), Ok(Cel::Bool(true)));
        assert_eq!(eval("self.x == 1 || true", o.clone()), Ok(Cel::Bool(true)));
        assert!(eval("false || self.x == 1", o.clone()).is_err());
        assert_eq!(
            eval("self.x == 1 && false", o.clone()),
            Ok(Cel::Bool(false))
        );
        assert!(matches!(
            eval("has(self.x.y)", o.clone()),
            Err(ExecutionError::NoSuchKey(_))
        ));
        assert_eq!(
            eval("self.__namespace__ == 'ns'", o.clone()),
            Ok(Cel::Bool(true))
        );
        assert_eq!(
            eval("size(self.s) == 1 && self.s.size() == 1", o.clone()),
            Ok(Cel::Bool(true))
        );
        assert_eq!(
            eval(r#"'ABC'.matches(r"""^(?i)abc$""")"#, o.clone()),
            Ok(Cel::Bool(true))
        );
        assert_eq!(
            eval("matches('abc', 'b') && !'abc'.matches('^b')", o.clone()),
            Ok(Cel::Bool(true))
        );
        assert!(eval("'abc'.matches('(')", o.clone()).is_err());
        assert!(eval("'abc'.matches('(?=a)')", o.clone()).is_err());
        assert_eq!(
            eval("duration('1h') < duration('90m')", o.clone()),
            Ok(Cel::Bool(true))
        );
        assert_eq!(
            eval("duration('1500ms') > duration('1s')", o.clone()),
            Ok(Cel::Bool(true))
        );
        assert_eq!(
            eval("duration('1h30m') == duration('90m')", o.clone()),
            Ok(Cel::Bool(true))
        );
        assert!(eval("duration('1h ') == duration('1h')", o.clone()).is_err());
        assert_eq!(
            eval(
                "[1, 2, 3].exists_one(x, x == 2) && [1, 2].all(x, x in [1, 2]) && [{'a': 1}][0].a == 1",
                o
            ),
            Ok(Cel::Bool(true))
        );
    }
}
