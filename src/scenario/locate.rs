//! Line and column of a field path in the scenario's text, from the spans
//! `toml_edit` keeps for every key and value.

use toml_edit::{Document, InlineTable, Item, Table, Value};

use super::reader::{Path, Seg};

/// Finds fields of one file's text.
pub struct Locator {
    text: String,
    doc: Option<Document<String>>,
}

enum Node<'a> {
    Table(&'a Table),
    Inline(&'a InlineTable),
    Value(&'a Value),
    Item(&'a Item),
}

impl Locator {
    pub fn new(text: &str) -> Locator {
        Locator {
            text: text.to_string(),
            doc: Document::parse(text.to_string()).ok(),
        }
    }

    /// 1-based line and column of `path`: of its key when `at_key`, else of its
    /// value; of the nearest enclosing field if the path is not in the file.
    pub fn locate(&self, path: &Path, at_key: bool) -> Option<(usize, usize)> {
        let doc = self.doc.as_ref()?;
        let mut node = Node::Table(doc.as_table());
        let mut best: Option<usize> = None;
        for (k, seg) in path.0.iter().enumerate() {
            let last = k + 1 == path.0.len();
            let (next, key_span) = match (&node, seg) {
                (Node::Table(t), Seg::Key(key)) => (
                    t.get(key).map(Node::Item),
                    t.key(key).and_then(|k| k.span()),
                ),
                (Node::Inline(t), Seg::Key(key)) => (
                    t.get(key).map(Node::Value),
                    t.key(key).and_then(|k| k.span()),
                ),
                (Node::Value(Value::Array(a)), Seg::Index(i)) => (a.get(*i).map(Node::Value), None),
                (Node::Item(Item::ArrayOfTables(a)), Seg::Index(i)) => {
                    (a.get(*i).map(Node::Table), None)
                }
                _ => (None, None),
            };
            let Some(next) = next else { break };
            let next = match next {
                Node::Item(Item::Table(t)) => Node::Table(t),
                Node::Item(Item::Value(Value::InlineTable(t))) => Node::Inline(t),
                Node::Item(Item::Value(v)) => Node::Value(v),
                Node::Value(Value::InlineTable(t)) => Node::Inline(t),
                other => other,
            };
            let value_span = match &next {
                Node::Table(t) => t.span(),
                Node::Inline(t) => t.span(),
                Node::Value(v) => v.span(),
                Node::Item(i) => i.span(),
            };
            best = if last && at_key {
                key_span.or(value_span)
            } else {
                value_span.or(key_span)
            }
            .map(|r| r.start)
            .or(best);
            node = next;
        }
        best.map(|offset| line_col(&self.text, offset))
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_values_keys_and_array_items() {
        let text = "[scenario]\nname = \"x\"\n\n[indicators.output]\ngrowth = { mean = 0.1, sdd = 0.02 }\n[correlation]\npairs = [[\"a\", \"b\", 0.5], [\"a\", \"c\", 2]]\n";
        let l = Locator::new(text);
        let p = Path::root()
            .key("indicators")
            .key("output")
            .key("growth")
            .key("sdd");
        assert_eq!(l.locate(&p, true), Some((5, 24)));
        let p = Path::root()
            .key("correlation")
            .key("pairs")
            .index(1)
            .index(2);
        assert_eq!(l.locate(&p, false), Some((7, 38)));
        // A missing field points at its parent.
        let p = Path::root()
            .key("indicators")
            .key("output")
            .key("growth")
            .key("sd");
        assert_eq!(l.locate(&p, false), Some((5, 10)));
    }
}
