//! The shape of a parsed document: where each field is written, without its values.
//!
//! Once an object's JSON is built, its [`Node`] tree is needed only to turn a field path back
//! into a position (and a position into a field path). A [`Shape`] keeps exactly that:
//! the structure, the mapping keys and every span, in two allocations per object: one
//! array of fixed-size slots (children of a node are contiguous, in breadth-first order)
//! and one string with all keys. A `Node` tree spends an allocation on every key and
//! every string scalar and about 100 bytes on each entry; lint keeps one shape per object
//! of the run, so this is most of the memory a large input costs.

use crate::fieldpath::{FieldPath, PathSeg};
use crate::source::Span;

use super::{Node, NodeValue};

/// The number of nodes of a tree and the bytes of its mapping keys.
fn count(node: &Node) -> (usize, usize) {
    match &node.value {
        NodeValue::Scalar(_) => (1, 0),
        NodeValue::Seq(items) => items.iter().fold((1, 0), |(n, k), item| {
            let (a, b) = count(item);
            (n + a, k + b)
        }),
        NodeValue::Map(entries) => entries.iter().fold((1, 0), |(n, k), e| {
            let (a, b) = count(&e.value);
            (n + a, k + b + e.key.len())
        }),
    }
}

/// Structure, keys and spans of a [`Node`] tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    slots: Vec<Slot>,
    keys: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Scalar = 0,
    Seq = 1,
    Map = 2,
}

/// One node. Offsets are `u32`: files are read only up to 4 GiB (see
/// [`crate::load::MAX_SUPPORTED_FILE_SIZE`]), so no position is cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot {
    start: u32,
    end: u32,
    /// The span of the key naming this node, when it is a mapping value.
    key_start: u32,
    key_end: u32,
    /// The key's text in [`Shape::keys`].
    key_at: u32,
    key_len: u32,
    /// Children are `slots[first..first + len]`.
    first: u32,
    /// The number of children in the low 30 bits, the [`Kind`] in the top two: 32 bytes a
    /// slot, not 36 (no input gets near a billion entries in one mapping).
    len_kind: u32,
}

const LEN_BITS: u32 = 30;
const LEN_MASK: u32 = (1 << LEN_BITS) - 1;

fn narrow(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Slot {
    fn new(node: &Node) -> Self {
        Slot {
            start: narrow(node.span.start),
            end: narrow(node.span.end),
            key_start: 0,
            key_end: 0,
            key_at: 0,
            key_len: 0,
            first: 0,
            len_kind: (match node.value {
                NodeValue::Scalar(_) => Kind::Scalar,
                NodeValue::Seq(_) => Kind::Seq,
                NodeValue::Map(_) => Kind::Map,
            } as u32)
                << LEN_BITS,
        }
    }

    fn kind(&self) -> Kind {
        match self.len_kind >> LEN_BITS {
            0 => Kind::Scalar,
            1 => Kind::Seq,
            _ => Kind::Map,
        }
    }

    fn len(&self) -> u32 {
        self.len_kind & LEN_MASK
    }

    fn set_len(&mut self, len: usize) {
        self.len_kind = (self.len_kind & !LEN_MASK) | narrow(len).min(LEN_MASK);
    }

    fn span(&self) -> Span {
        Span::new(self.start as usize, self.end as usize)
    }

    fn key_span(&self) -> Span {
        Span::new(self.key_start as usize, self.key_end as usize)
    }

    fn children(&self) -> std::ops::Range<usize> {
        let first = self.first as usize;
        first..first + self.len() as usize
    }
}

/// Where a field path leads in a shape: the span of the field if it exists, and the best
/// span to point at otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// The span of the node at the full path, if every step exists.
    pub span: Option<Span>,
    /// The span of the key that names the last step (for mapping entries).
    pub key_span: Option<Span>,
    /// The span of the deepest node that exists along the path.
    pub nearest: Span,
    /// How many path segments exist.
    pub depth: usize,
}

/// One node of a [`Shape`].
#[derive(Debug, Clone, Copy)]
pub struct Cursor<'a> {
    shape: &'a Shape,
    at: usize,
}

impl Shape {
    pub fn of(root: &Node) -> Shape {
        // Sized exactly up front: grown slot by slot, the arrays cost more in copies than
        // the layout itself.
        let (count, key_bytes) = count(root);
        let mut slots = Vec::with_capacity(count);
        slots.push(Slot::new(root));
        let mut keys = String::with_capacity(key_bytes);
        // `nodes[i]` is the tree node of `slots[i]`; visiting them in order lays out every
        // node's children together, after all nodes of the levels above.
        let mut nodes = Vec::with_capacity(count);
        nodes.push(root);
        let mut i = 0;
        while i < nodes.len() {
            let first = slots.len();
            match &nodes[i].value {
                NodeValue::Scalar(_) => {}
                NodeValue::Seq(items) => {
                    for item in items {
                        slots.push(Slot::new(item));
                        nodes.push(item);
                    }
                }
                NodeValue::Map(entries) => {
                    for e in entries {
                        let mut slot = Slot::new(&e.value);
                        slot.key_start = narrow(e.key_span.start);
                        slot.key_end = narrow(e.key_span.end);
                        slot.key_at = narrow(keys.len());
                        slot.key_len = narrow(e.key.len());
                        keys.push_str(&e.key);
                        slots.push(slot);
                        nodes.push(&e.value);
                    }
                }
            }
            slots[i].first = narrow(first);
            let len = slots.len() - first;
            slots[i].set_len(len);
            i += 1;
        }
        debug_assert_eq!((slots.len(), keys.len()), (count, key_bytes));
        Shape { slots, keys }
    }

    pub fn root(&self) -> Cursor<'_> {
        Cursor { shape: self, at: 0 }
    }

    /// The span of the whole document.
    pub fn span(&self) -> Span {
        self.slots[0].span()
    }

    fn key(&self, slot: &Slot) -> &str {
        let at = slot.key_at as usize;
        self.keys.get(at..at + slot.key_len as usize).unwrap_or("")
    }

    /// Follow a field path as far as it exists. A key written twice resolves to its last
    /// occurrence, as it does in the JSON.
    pub fn locate(&self, path: &FieldPath) -> Place {
        let mut cur = self.root();
        let mut key_span = None;
        for (i, seg) in path.segments().iter().enumerate() {
            let next = match seg {
                PathSeg::Key(k) => cur.get(k).inspect(|c| key_span = Some(c.key_span())),
                PathSeg::Index(n) => {
                    key_span = None;
                    cur.item(*n)
                }
            };
            match next {
                Some(n) => cur = n,
                None => {
                    return Place {
                        span: None,
                        key_span: None,
                        nearest: cur.span(),
                        depth: i,
                    };
                }
            }
        }
        Place {
            span: Some(cur.span()),
            key_span,
            nearest: cur.span(),
            depth: path.segments().len(),
        }
    }

    /// The path of the deepest node whose text contains `offset` (a key counts as part of
    /// its entry), so that a finding found in the text can name its field.
    pub fn path_at(&self, offset: usize) -> FieldPath {
        let contains = |s: Span| s.start <= offset && offset < s.end.max(s.start + 1);
        let mut path = FieldPath::root();
        let mut cur = &self.slots[0];
        loop {
            let range = cur.children();
            let next = match cur.kind() {
                Kind::Scalar => None,
                Kind::Map => self.slots[range].iter().find_map(|c| {
                    let covers = (c.key_start as usize <= offset && offset < c.key_end as usize)
                        || contains(c.span());
                    covers.then(|| (PathSeg::Key(self.key(c).to_owned().into()), c))
                }),
                Kind::Seq => self.slots[range]
                    .iter()
                    .enumerate()
                    .find_map(|(i, c)| contains(c.span()).then_some((PathSeg::Index(i), c))),
            };
            match next {
                Some((seg, slot)) => {
                    path.push(seg);
                    cur = slot;
                }
                None => return path,
            }
        }
    }
}

impl<'a> Cursor<'a> {
    fn slot(&self) -> &'a Slot {
        &self.shape.slots[self.at]
    }

    pub fn span(&self) -> Span {
        self.slot().span()
    }

    /// The span of the key naming this node; empty at the root and in sequences.
    pub fn key_span(&self) -> Span {
        self.slot().key_span()
    }

    pub fn is_map(&self) -> bool {
        self.slot().kind() == Kind::Map
    }

    /// The value of `key` in a mapping (its last occurrence).
    pub fn get(&self, key: &str) -> Option<Cursor<'a>> {
        if self.slot().kind() != Kind::Map {
            return None;
        }
        self.slot()
            .children()
            .rev()
            .find(|&i| self.shape.key(&self.shape.slots[i]) == key)
            .map(|at| Cursor {
                shape: self.shape,
                at,
            })
    }

    /// Item `n` of a sequence.
    pub fn item(&self, n: usize) -> Option<Cursor<'a>> {
        let slot = self.slot();
        (slot.kind() == Kind::Seq && n < slot.len() as usize).then(|| Cursor {
            shape: self.shape,
            at: slot.first as usize + n,
        })
    }

    /// The values of a mapping, in text order (each has its [`Cursor::key_span`]).
    pub fn entries(&self) -> impl Iterator<Item = Cursor<'a>> + use<'a> {
        let shape = self.shape;
        let range = if self.slot().kind() == Kind::Map {
            self.slot().children()
        } else {
            0..0
        };
        range.map(move |at| Cursor { shape, at })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Limits, parse_stream};

    fn both(text: &str) -> (Node, Shape) {
        let stream = parse_stream(text, &Limits::default());
        let node = stream.documents.into_iter().next().unwrap().root.unwrap();
        let shape = Shape::of(&node);
        (node, shape)
    }

    const DOC: &str = "\
apiVersion: v1
kind: Service
metadata: {name: web, labels: {app: web}}
spec:
  ports:
  - port: 80
    name: http
  - {port: 443, name: https}
  selector:
    app: web
  dup: 1
  dup: 2
";

    /// Every node of the tree with its path and the span of the key naming it.
    fn nodes<'a>(
        node: &'a Node,
        prefix: FieldPath,
        key_span: Option<Span>,
        out: &mut Vec<(FieldPath, &'a Node, Option<Span>)>,
    ) {
        out.push((prefix.clone(), node, key_span));
        match &node.value {
            NodeValue::Scalar(_) => {}
            NodeValue::Seq(items) => {
                for (i, n) in items.iter().enumerate() {
                    nodes(n, prefix.index(i), None, out);
                }
            }
            NodeValue::Map(entries) => {
                for e in entries {
                    nodes(&e.value, prefix.key(e.key.clone()), Some(e.key_span), out);
                }
            }
        }
    }

    #[test]
    fn locates_every_field_of_the_tree() {
        let (node, shape) = both(DOC);
        let mut all = Vec::new();
        nodes(&node, FieldPath::root(), None, &mut all);
        for (path, n, key_span) in &all {
            let place = shape.locate(path);
            assert_eq!(place.span, Some(n.span), "{path}");
            assert_eq!(place.key_span, *key_span, "{path}");
            assert_eq!(place.nearest, n.span, "{path}");
            assert_eq!(place.depth, path.segments().len(), "{path}");
            // One step past any field: not found, and the field is the nearest.
            for missing in [path.key("absent"), path.index(7)] {
                let place = shape.locate(&missing);
                assert_eq!(place.span, None, "{missing}");
                assert_eq!(place.key_span, None, "{missing}");
                assert_eq!(place.nearest, n.span, "{missing}");
                assert_eq!(place.depth, path.segments().len(), "{missing}");
            }
        }
        assert_eq!(shape.span(), node.span);
    }

    #[test]
    fn path_at_names_the_deepest_field_at_every_offset() {
        let (node, shape) = both(DOC);
        let mut all = Vec::new();
        nodes(&node, FieldPath::root(), None, &mut all);
        for at in 0..=DOC.len() {
            let path = shape.path_at(at);
            // The path leads somewhere, and what it leads to (or its key) holds the offset.
            let place = shape.locate(&path);
            assert_eq!(place.depth, path.segments().len(), "offset {at}");
            if !path.is_root() {
                let (_, n, key) = all.iter().find(|(p, _, _)| *p == path).unwrap();
                let within = |s: Span| s.start <= at && at < s.end.max(s.start + 1);
                assert!(
                    within(n.span) || key.is_some_and(within),
                    "offset {at}: {path}"
                );
            }
        }
        // A scalar's first byte names the scalar; a key's names its entry.
        let port = DOC.find("80").unwrap();
        assert_eq!(shape.path_at(port).to_string(), "spec.ports[0].port");
        let selector = DOC.find("selector").unwrap();
        assert_eq!(shape.path_at(selector).to_string(), "spec.selector");
    }

    #[test]
    fn a_slot_is_32_bytes() {
        // Every node of every object of a run has one.
        assert_eq!(std::mem::size_of::<Slot>(), 32);
    }

    #[test]
    fn cursors_walk_mappings_and_sequences() {
        let (_, shape) = both(DOC);
        let spec = shape.root().get("spec").unwrap();
        assert!(spec.is_map());
        let keys: Vec<&str> = spec
            .entries()
            .map(|c| &DOC[c.key_span().start..c.key_span().end])
            .collect();
        // The tree keeps one entry per key: the last value, as in the JSON.
        assert_eq!(keys, ["ports", "selector", "dup"]);
        let dup = spec.get("dup").unwrap();
        assert_eq!(&DOC[dup.span().start..dup.span().end], "2");
        let second = spec.get("ports").unwrap().item(1).unwrap();
        assert_eq!(
            &DOC[second.span().start..second.span().end],
            "{port: 443, name: https}"
        );
        assert!(spec.get("ports").unwrap().item(2).is_none());
        assert!(second.item(0).is_none());
        assert_eq!(shape.root().get("kind").unwrap().entries().count(), 0);
    }
}
