use super::*;
#[cfg(test)]
mod probe {
    #[test]
    fn probe() {
        let text = "a: &x\n  b: 'q'\n  \"c\": {d: 1, e: [1]} # com\nf: *x\ng:\n  <<: *x\n  h: |\n    lit\n\nk: \"v\"\r\n";
        let s = crate::yaml::parse_stream(text, &Default::default());
        fn dump(t: &str, n: &crate::yaml::Node, d: usize) {
            let sp = n.span;
            println!("{}NODE {:?} flow={} {:?}", " ".repeat(d), sp, n.flow, &t[sp.start..sp.end]);
            if let Some(m) = n.as_map() {
                for e in m {
                    println!("{}KEY {:?} {:?}", " ".repeat(d), e.key_span, &t[e.key_span.start..e.key_span.end]);
                    dump(t, &e.value, d + 2);
                }
            }
            if let Some(m) = n.as_seq() {
                for e in m {
                    dump(t, e, d + 2);
                }
            }
        }
        for c in &s.comments {
            println!("COMMENT {:?} {:?} {:?}", c.span, &text[c.span.start..c.span.end], c.text);
        }
        for d in &s.documents {
            println!("DOC {:?}", d.span);
            dump(text, d.root.as_ref().unwrap(), 0);
        }
        println!("{:?}", s.issues);
    }
}
