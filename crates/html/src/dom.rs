//! The page tree extraction works on: html5ever's tokenizer feeding a light tree builder of our own.
//!
//! Tokenizing follows the HTML5 spec through html5ever (character references, raw-text and RCDATA
//! content of script, style, title, textarea, broken markup). Tree construction is ours because
//! html5ever's full tree builder (foster parenting, adoption agency, a reference-counted node per
//! element) costs several milliseconds on a 170 kB news page, while extraction needs far less:
//! elements, a few attributes, text. This builder keeps only the attributes extraction reads,
//! drops the content of script, style and similar elements (keeping `<title>` and JSON-LD as
//! `Element::raw`), and repairs the common breakage the way browsers do (implied `</p>`, `</li>`,
//! `</td>`, stray end tags ignored, unclosed elements closed at the end).
//!
//! Nodes live in one arena in document order, so a parent always has a smaller index than its
//! descendants: a reverse sweep over the arena is a bottom-up pass.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

pub type NodeId = usize;

/// One node; children are linked (first, last, next sibling) rather than kept in a vector,
/// which saves an allocation per node. `0` means "none": the document node is nobody's child.
#[derive(Debug)]
pub struct Node {
    pub parent: NodeId,
    pub first_child: NodeId,
    pub last_child: NodeId,
    pub next_sibling: NodeId,
    pub data: NodeData,
}

/// The children of a node, in order.
pub struct Children<'a> {
    dom: &'a Dom,
    next: NodeId,
}

impl Iterator for Children<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        if self.next == 0 {
            return None;
        }
        let id = self.next;
        self.next = self.dom.nodes[id].next_sibling;
        Some(id)
    }
}

#[derive(Debug)]
pub enum NodeData {
    Document,
    Element(Element),
    /// Decoded text, as a byte range of `Dom::text_buf` (one buffer, not a string per node).
    Text(std::ops::Range<u32>),
}

#[derive(Debug)]
pub struct Element {
    /// Lower-case tag name; unknown tags share one name (`"*"`), custom elements keep theirs.
    pub tag: &'static str,
    pub attrs: Vec<(&'static str, String)>,
    /// Properties of the tag (`BLOCK`, `VOID`, ...), looked up once when parsing.
    pub flags: u8,
    /// The raw content of a raw-text element we keep (`<title>`, JSON-LD `<script>`).
    pub raw: Option<String>,
}

pub const BLOCK: u8 = 1;
const VOID_TAG: u8 = 2;
const RAW_TAG: u8 = 4;
const CLOSES_P_TAG: u8 = 8;
const SCOPE_TAG: u8 = 16;

impl Element {
    pub fn is_block(&self) -> bool {
        self.flags & BLOCK != 0
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

pub struct Dom {
    pub nodes: Vec<Node>,
    text_buf: String,
    /// Elements opened deeper than [`MAX_DEPTH`] levels, whose content was flattened into the
    /// element at that depth (their text is kept).
    pub flattened: usize,
    /// Attributes dropped from tags that carried more than [`MAX_ATTRS`].
    pub dropped_attrs: usize,
}

/// Elements whose attributes extraction reads; all other attributes are skipped while parsing.
const KEPT_ATTRS: &[&str] = &[
    "class",
    "id",
    "role",
    "itemprop",
    "itemtype",
    "property",
    "name",
    "content",
    "rel",
    "datetime",
    "type",
    "hidden",
    "aria-hidden",
    "style",
    "lang",
    "http-equiv",
    "data-testid",
];

/// Tags we distinguish; everything else is `"*"`.
const KNOWN_TAGS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "label",
    "legend",
    "li",
    "link",
    "main",
    "map",
    "mark",
    "math",
    "menu",
    "meta",
    "nav",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "p",
    "picture",
    "pre",
    "q",
    "s",
    "script",
    "section",
    "select",
    "small",
    "source",
    "span",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "u",
    "ul",
    "video",
    "wbr",
    "area",
    "param",
    "frameset",
    "frame",
    "noembed",
    "noframes",
    "xmp",
    "object",
];

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "frame",
];

/// Elements whose content is not markup: the tokenizer delivers it as text up to their end tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "noscript", "xmp", "iframe", "noembed", "noframes",
    "template", "svg", "math",
];

/// Start tags that close an open `<p>` (HTML's "close a p element" rule).
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
    "li",
    "dd",
    "dt",
];

/// Elements that stop the search for an element to close ("scope" in the HTML spec).
const SCOPE: &[&str] = &[
    "html", "table", "td", "th", "caption", "object", "template", "button",
];

/// Deeper nesting than this is flattened: no page needs it, and it bounds every walk. It must
/// stay below the depth at which extraction's own walks stop (200 levels), so that flattened
/// text is still read.
pub const MAX_DEPTH: usize = 128;
/// Attributes kept per tag; the rest are cut before the tokenizer sees them, whose duplicate
/// check compares each attribute with all before it (quadratic in the attributes of one tag).
pub const MAX_ATTRS: usize = 256;
/// How far down the stack of open elements an end tag or implied end tag looks; keeps
/// pathological nesting linear (a real page's element to close is a few levels up).
const MAX_SCOPE_WALK: usize = 48;

fn tag_flags(tag: &str) -> u8 {
    let mut f = 0;
    for (set, flag) in [
        (VOID, VOID_TAG),
        (RAW_TEXT, RAW_TAG),
        (CLOSES_P, CLOSES_P_TAG),
        (SCOPE, SCOPE_TAG),
    ] {
        if set.contains(&tag) {
            f |= flag;
        }
    }
    if is_block(tag) {
        f |= BLOCK;
    }
    f
}

/// The interned name of a tag and its flags.
fn intern_tag(name: &str) -> (&'static str, u8) {
    static SORTED: std::sync::OnceLock<Vec<(&'static str, u8)>> = std::sync::OnceLock::new();
    let sorted = SORTED.get_or_init(|| {
        let mut v: Vec<(&'static str, u8)> =
            KNOWN_TAGS.iter().map(|t| (*t, tag_flags(t))).collect();
        v.sort_unstable();
        v.dedup();
        v
    });
    if name.len() > 10 {
        return ("*", 0);
    }
    let mut buf = [0u8; 10];
    let lower = &mut buf[..name.len()];
    lower.copy_from_slice(name.as_bytes());
    lower.make_ascii_lowercase();
    sorted
        .binary_search_by(|(t, _)| t.as_bytes().cmp(lower))
        .map_or(("*", 0), |i| sorted[i])
}

/// Attributes kept on one tag only, where metadata lives: a canonical `<link href>`, the
/// machine-readable date in `<abbr class="published" title="…">`, the `<a href>` of a blog's
/// author archive ("…/author/name/"; other links' targets are not kept).
fn tag_attr(tag: &str, name: &str, value: &str) -> Option<&'static str> {
    match tag {
        "link" if name.eq_ignore_ascii_case("href") => Some("href"),
        "abbr" if name.eq_ignore_ascii_case("title") => Some("title"),
        "a" if name.eq_ignore_ascii_case("href") && crate::meta::is_author_archive(value) => {
            Some("href")
        }
        _ => None,
    }
}

fn intern_attr(name: &str) -> Option<&'static str> {
    KEPT_ATTRS
        .iter()
        .find(|a| a.eq_ignore_ascii_case(name))
        .copied()
}

impl Dom {
    pub fn parse(html: &str) -> Dom {
        let (html, dropped_attrs) = bound_attributes(html);
        let mut dom = Builder::run(&html);
        dom.dropped_attrs = dropped_attrs;
        dom
    }

    /// What was flattened or cut while parsing, for `Article::warnings`.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.flattened > 0 {
            out.push(format!(
                "HTML nested deeper than {MAX_DEPTH} levels: flattened ({} {} below that depth)",
                self.flattened,
                if self.flattened == 1 {
                    "element"
                } else {
                    "elements"
                }
            ));
        }
        if self.dropped_attrs > 0 {
            out.push(format!(
                "HTML tags with more than {MAX_ATTRS} attributes: {} {} dropped",
                self.dropped_attrs,
                if self.dropped_attrs == 1 {
                    "attribute"
                } else {
                    "attributes"
                }
            ));
        }
        out
    }

    /// The text of a text node (empty for other nodes).
    pub fn text(&self, id: NodeId) -> &str {
        match &self.nodes[id].data {
            NodeData::Text(r) => &self.text_buf[r.start as usize..r.end as usize],
            _ => "",
        }
    }

    pub fn children(&self, id: NodeId) -> Children<'_> {
        Children {
            dom: self,
            next: self.nodes[id].first_child,
        }
    }

    /// The last node of `id`'s subtree: nodes are in document order, so the subtree is the
    /// id range `id..=last_descendant(id)`.
    pub fn last_descendant(&self, mut id: NodeId) -> NodeId {
        while self.nodes[id].last_child != 0 {
            id = self.nodes[id].last_child;
        }
        id
    }

    pub fn element(&self, id: NodeId) -> Option<&Element> {
        match &self.nodes[id].data {
            NodeData::Element(e) => Some(e),
            _ => None,
        }
    }

    pub fn tag(&self, id: NodeId) -> &'static str {
        self.element(id).map_or("", |e| e.tag)
    }

    /// All element ids in document order.
    pub fn elements(&self) -> impl Iterator<Item = (NodeId, &Element)> {
        self.nodes
            .iter()
            .enumerate()
            .filter_map(|(i, n)| match &n.data {
                NodeData::Element(e) => Some((i, e)),
                _ => None,
            })
    }

    /// Concatenated text of a subtree with whitespace collapsed.
    pub fn text_of(&self, id: NodeId) -> String {
        let mut out = String::new();
        self.collect_text(id, &mut out, 0);
        collapse_ws(&out)
    }

    fn collect_text(&self, id: NodeId, out: &mut String, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match &self.nodes[id].data {
            NodeData::Text(_) => out.push_str(self.text(id)),
            NodeData::Element(e) if e.tag == "br" => out.push(' '),
            _ => {
                for c in self.children(id) {
                    if let NodeData::Element(e) = &self.nodes[c].data {
                        if e.is_block() {
                            out.push(' ');
                            self.collect_text(c, out, depth + 1);
                            out.push(' ');
                            continue;
                        }
                    }
                    self.collect_text(c, out, depth + 1);
                }
            }
        }
    }

    pub fn is_ancestor(&self, ancestor: NodeId, mut node: NodeId) -> bool {
        while node != 0 {
            if node == ancestor {
                return true;
            }
            node = self.nodes[node].parent;
        }
        ancestor == 0
    }
}

/// Elements that start a new line of text.
pub fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "pre"
            | "table"
            | "tbody"
            | "thead"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "figure"
            | "figcaption"
            | "header"
            | "footer"
            | "aside"
            | "nav"
            | "form"
            | "fieldset"
            | "hr"
            | "br"
            | "address"
            | "details"
            | "summary"
            | "center"
            | "menu"
            | "body"
            | "html"
            | "dialog"
            | "legend"
            | "select"
            | "option"
            | "textarea"
    )
}

/// Collapses runs of whitespace (including no-break spaces) to one space and trims.
pub fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
        } else if c == '\u{ad}' || c == '\u{200b}' || c == '\u{feff}' {
            // soft hyphen, zero-width space: invisible, and they split words
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Builds the arena from html5ever's tokens. Tokenizing (character references, raw-text and
/// RCDATA states, broken markup) follows the HTML5 spec; tree construction is ours.
struct Builder {
    nodes: Vec<Node>,
    stack: Vec<NodeId>,
    text_buf: String,
    seen_body: bool,
    seen_html: bool,
    seen_head: bool,
    seen_body_tag: bool,
    /// The raw-text element whose content the tokenizer is delivering (0: none).
    raw_node: NodeId,
    /// Whether that content is kept in `Element::raw` (title, JSON-LD) or dropped.
    raw_keep: bool,
    /// Elements not pushed because the stack was [`MAX_DEPTH`] deep.
    flattened: usize,
}

/// The token sink: html5ever hands tokens through `&self`, so the builder sits in a `RefCell`.
struct Sink(RefCell<Builder>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line_number: u64) -> TokenSinkResult<()> {
        let mut b = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => match tag.kind {
                TagKind::StartTag => {
                    if let Some(kind) = b.start_tag(tag) {
                        return TokenSinkResult::RawData(kind);
                    }
                }
                TagKind::EndTag => {
                    if b.raw_node != 0 {
                        // In a raw-text state the tokenizer emits only the element's own end tag.
                        b.raw_node = 0;
                    } else {
                        b.end_tag(&tag.name);
                    }
                }
            },
            Token::CharacterTokens(text) => b.add_text(&text),
            // Comments, doctypes, NUL characters and parse errors carry nothing we extract.
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// Input is fed in slices of this size: a tendril holds at most 4 GiB, and smaller buffers
/// keep peak memory down on huge inputs.
const FEED_CHUNK: usize = 1 << 20;

impl Builder {
    fn new(src_len: usize) -> Self {
        Builder {
            nodes: vec![Node {
                parent: 0,
                first_child: 0,
                last_child: 0,
                next_sibling: 0,
                data: NodeData::Document,
            }],
            stack: vec![0],
            text_buf: String::with_capacity(src_len / 4),
            seen_body: false,
            seen_html: false,
            seen_head: false,
            seen_body_tag: false,
            raw_node: 0,
            raw_keep: false,
            flattened: 0,
        }
    }

    fn run(html: &str) -> Dom {
        let tokenizer = Tokenizer::new(
            Sink(RefCell::new(Builder::new(html.len()))),
            TokenizerOpts::default(),
        );
        let queue = BufferQueue::default();
        let mut rest = html;
        while !rest.is_empty() {
            let mut cut = rest.len().min(FEED_CHUNK);
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            queue.push_back(StrTendril::from_slice(&rest[..cut]));
            rest = &rest[cut..];
            // Our sink never asks to run a script, so one feed consumes the queue.
            let _ = tokenizer.feed(&queue);
        }
        tokenizer.end();
        let b = tokenizer.sink.0.into_inner();
        Dom {
            nodes: b.nodes,
            text_buf: b.text_buf,
            flattened: b.flattened,
            dropped_attrs: 0,
        }
    }

    fn current(&self) -> NodeId {
        *self.stack.last().unwrap_or(&0)
    }

    fn push_node(&mut self, data: NodeData) -> NodeId {
        let parent = self.current();
        let id = self.nodes.len();
        self.nodes.push(Node {
            parent,
            first_child: 0,
            last_child: 0,
            next_sibling: 0,
            data,
        });
        let last = self.nodes[parent].last_child;
        if last == 0 {
            self.nodes[parent].first_child = id;
        } else {
            self.nodes[last].next_sibling = id;
        }
        self.nodes[parent].last_child = id;
        id
    }

    /// Adds decoded text (html5ever has already resolved character references).
    fn add_text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if self.raw_node != 0 {
            if self.raw_keep {
                if let NodeData::Element(e) = &mut self.nodes[self.raw_node].data {
                    if let Some(raw) = &mut e.raw {
                        raw.push_str(text);
                    }
                }
            }
            return;
        }
        // Text in <head> that is not whitespace means the body has started.
        if self.top_tag() == "head" && !text.trim().is_empty() {
            self.stack.pop();
        }
        let start = self.text_buf.len();
        self.text_buf.push_str(text);
        // Offsets are u32: beyond 4 GiB of text, stop adding (no real page comes near).
        let Ok(end) = u32::try_from(self.text_buf.len()) else {
            self.text_buf.truncate(start);
            return;
        };
        let parent = self.current();
        let last = self.nodes[parent].last_child;
        if last != 0 {
            if let NodeData::Text(r) = &mut self.nodes[last].data {
                // Adjacent text continues the previous run when that run ends the buffer.
                if r.end as usize == start {
                    r.end = end;
                    return;
                }
            }
        }
        self.push_node(NodeData::Text(start as u32..end));
    }

    fn top_tag(&self) -> &'static str {
        match &self.nodes[self.current()].data {
            NodeData::Element(e) => e.tag,
            _ => "",
        }
    }

    fn tag_at(&self, stack_index: usize) -> &'static str {
        self.el_at(stack_index).0
    }

    fn el_at(&self, stack_index: usize) -> (&'static str, u8) {
        match &self.nodes[self.stack[stack_index]].data {
            NodeData::Element(e) => (e.tag, e.flags),
            _ => ("", 0),
        }
    }

    /// Pops up to and including the nearest open `tag`, if it is open within scope.
    fn close_in_scope(&mut self, tag: &str, extra_scope: &[&str]) -> bool {
        let floor = self.stack.len().saturating_sub(MAX_SCOPE_WALK).max(1);
        for i in (floor..self.stack.len()).rev() {
            let (t, flags) = self.el_at(i);
            if t == tag {
                self.stack.truncate(i);
                return true;
            }
            if flags & SCOPE_TAG != 0 || extra_scope.contains(&t) {
                return false;
            }
        }
        false
    }

    /// Adds a start tag to the tree; returns the tokenizer state its content needs when it
    /// is a raw-text element.
    fn start_tag(&mut self, tag_token: Tag) -> Option<RawKind> {
        let raw_name: &str = &tag_token.name;
        let (tag, flags) = intern_tag(raw_name);
        let mut attrs: Vec<(&'static str, String)> = Vec::new();
        for a in &tag_token.attrs {
            if let Some(name) =
                intern_attr(&a.name.local).or_else(|| tag_attr(tag, &a.name.local, &a.value))
            {
                // The tokenizer already drops duplicate attributes.
                attrs.push((name, a.value.to_string()));
            }
        }
        // Raw-text elements: the tokenizer delivers their content as text up to the matching
        // end tag. Foreign `<svg/>` and `<math/>` may really be empty; other self-closing
        // raw-text tags are treated as start tags, as browsers do.
        let raw_kind =
            if flags & RAW_TAG != 0 && !(tag_token.self_closing && matches!(tag, "svg" | "math")) {
                Some(match raw_name {
                    "title" | "textarea" => RawKind::Rcdata,
                    "script" => RawKind::ScriptData,
                    _ => RawKind::Rawtext,
                })
            } else {
                None
            };
        let keep = raw_kind.is_some()
            && (tag == "title"
                || (tag == "script"
                    && attrs
                        .iter()
                        .any(|(n, v)| *n == "type" && v.to_ascii_lowercase().contains("ld+json"))));
        let raw = keep.then(String::new);

        match tag {
            "html" | "body" | "head" => {
                // Repeated structural tags are merged by browsers; we drop them.
                let seen = match tag {
                    "html" => &mut self.seen_html,
                    "head" => &mut self.seen_head,
                    _ => &mut self.seen_body_tag,
                };
                if *seen || (tag == "head" && self.seen_body) {
                    return None;
                }
                *seen = true;
                if tag == "body" {
                    self.seen_body = true;
                    if self.top_tag() == "head" {
                        self.stack.pop();
                    }
                }
            }
            _ => {}
        }
        if self.top_tag() == "head"
            && !matches!(
                tag,
                "meta"
                    | "link"
                    | "title"
                    | "script"
                    | "style"
                    | "base"
                    | "noscript"
                    | "template"
                    | "*"
            )
        {
            self.stack.pop();
        }
        // Implied end tags.
        if flags & CLOSES_P_TAG != 0 {
            self.close_in_scope("p", &[]);
        }
        match tag {
            "li" => {
                self.close_in_scope("li", &["ul", "ol"]);
            }
            "dt" | "dd" if !self.close_in_scope("dd", &["dl"]) => {
                self.close_in_scope("dt", &["dl"]);
            }
            "tr" => {
                self.close_in_scope("tr", &["tbody", "thead", "tfoot"]);
            }
            "td" | "th" => {
                let floor = self.stack.len().saturating_sub(MAX_SCOPE_WALK).max(1);
                for i in (floor..self.stack.len()).rev() {
                    let t = self.tag_at(i);
                    if t == "td" || t == "th" {
                        self.stack.truncate(i);
                        break;
                    }
                    if matches!(t, "tr" | "table") {
                        break;
                    }
                }
            }
            "option" if self.top_tag() == "option" => {
                self.stack.pop();
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                if matches!(self.top_tag(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
                    self.stack.pop();
                }
            }
            "a" => {
                self.close_in_scope("a", &[]);
            }
            _ => {}
        }
        let id = self.push_node(NodeData::Element(Element {
            tag,
            attrs,
            flags,
            raw,
        }));
        if raw_kind.is_some() {
            // Raw-text elements never go on the stack: their content is not markup.
            self.raw_node = id;
            self.raw_keep = keep;
            return raw_kind;
        }
        let is_void = flags & (VOID_TAG | RAW_TAG) != 0 || tag_token.self_closing;
        if !is_void {
            if self.stack.len() < MAX_DEPTH {
                self.stack.push(id);
            } else {
                self.flattened += 1;
            }
        }
        None
    }

    fn end_tag(&mut self, name: &str) {
        let (tag, flags) = intern_tag(name);
        match tag {
            "html" | "body" => return,
            "br" => {
                self.push_node(NodeData::Element(Element {
                    tag: "br",
                    attrs: Vec::new(),
                    flags,
                    raw: None,
                }));
                return;
            }
            "*" => {
                // Unknown elements are all "*": close only if the top one is one.
                if self.top_tag() == "*" {
                    self.stack.pop();
                }
                return;
            }
            _ => {}
        }
        // A stray end tag that is not open is ignored; one that is open closes what it contains.
        let floor = self.stack.len().saturating_sub(MAX_SCOPE_WALK).max(1);
        for i in (floor..self.stack.len()).rev() {
            let (t, t_flags) = self.el_at(i);
            if t == tag {
                self.stack.truncate(i);
                return;
            }
            // Inline end tags must not close block containers that are still open.
            if flags & BLOCK == 0 && t_flags & BLOCK != 0 {
                return;
            }
            if t_flags & SCOPE_TAG != 0 && !matches!(tag, "table" | "td" | "th" | "tr" | "tbody") {
                return;
            }
        }
    }
}

/// Cuts the attributes after the first [`MAX_ATTRS`] of every tag (with a count of what was
/// cut), in one linear pass that follows the tokenizer closely enough for tags: comments and the
/// content of raw-text elements are skipped, quoted values may hold `>`. Ordinary pages come
/// back borrowed, unchanged.
fn bound_attributes(html: &str) -> (std::borrow::Cow<'_, str>, usize) {
    let b = html.as_bytes();
    let n = b.len();
    let space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0c);
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut dropped = 0;
    let mut i = 0;
    while let Some(p) = b[i..].iter().position(|&c| c == b'<') {
        let start = i + p;
        i = start + 1;
        if b[i..].starts_with(b"!--") {
            i = find_from(b, i + 3, b"-->").map_or(n, |e| e + 3);
            continue;
        }
        if i >= n || !b[i].is_ascii_alphabetic() {
            continue;
        }
        let name_start = i;
        while i < n && !space(b[i]) && b[i] != b'>' && b[i] != b'/' {
            i += 1;
        }
        let name = &b[name_start..i];
        let mut count = 0usize;
        let mut cut = None;
        loop {
            while i < n && (space(b[i]) || b[i] == b'/') {
                i += 1;
            }
            if i >= n || b[i] == b'>' {
                break;
            }
            let attr_start = i;
            i += 1;
            while i < n && !space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
                i += 1;
            }
            let mut j = i;
            while j < n && space(b[j]) {
                j += 1;
            }
            if j < n && b[j] == b'=' {
                j += 1;
                while j < n && space(b[j]) {
                    j += 1;
                }
                if j < n && (b[j] == b'"' || b[j] == b'\'') {
                    let q = b[j];
                    j = b[j + 1..]
                        .iter()
                        .position(|&c| c == q)
                        .map_or(n, |e| j + 1 + e + 1);
                } else {
                    while j < n && !space(b[j]) && b[j] != b'>' {
                        j += 1;
                    }
                }
                i = j;
            }
            count += 1;
            if count == MAX_ATTRS + 1 {
                cut = Some(attr_start);
            }
        }
        if let Some(c) = cut {
            dropped += count - MAX_ATTRS;
            let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
            // Both ends sit next to ASCII bytes, so they are character boundaries.
            o.push_str(&html[copied..c]);
            copied = i;
        }
        // The content of raw-text elements is not markup: skip to their end tag.
        const RAW: &[&[u8]] = &[
            b"script",
            b"style",
            b"textarea",
            b"title",
            b"xmp",
            b"iframe",
            b"noembed",
            b"noframes",
        ];
        if let Some(raw) = RAW.iter().find(|r| r.eq_ignore_ascii_case(name)) {
            let mut k = i;
            i = n;
            while let Some(e) = find_from(b, k, b"</") {
                let tail = &b[e + 2..];
                if tail.len() >= raw.len() && tail[..raw.len()].eq_ignore_ascii_case(raw) {
                    i = e;
                    break;
                }
                k = e + 2;
            }
        }
    }
    match out {
        None => (std::borrow::Cow::Borrowed(html), 0),
        Some(mut o) => {
            o.push_str(&html[copied..]);
            (std::borrow::Cow::Owned(o), dropped)
        }
    }
}

/// The first position at or after `from` where `needle` starts.
fn find_from(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    let first = needle[0];
    let mut k = from;
    while let Some(p) = hay[k..].iter().position(|&c| c == first) {
        let at = k + p;
        if hay[at..].starts_with(needle) {
            return Some(at);
        }
        k = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_attributes_are_cut_and_counted() {
        let mut html = String::from("<html><body><p ");
        for i in 0..(MAX_ATTRS + 50) {
            html.push_str(&format!("a{i}=\"x>y\" "));
        }
        html.push_str("class=lead>Der Text bleibt.</p><script>if (a<b) { x = '<p a b c>'; }</script><p>Zwei</p></body></html>");
        let (cut, dropped) = bound_attributes(&html);
        assert_eq!(dropped, 51);
        assert!(cut.contains("a255=\"x>y\" >Der Text bleibt."), "{cut}");
        assert!(!cut.contains("a256="));
        assert!(cut.ends_with("<p>Zwei</p></body></html>"));
        let dom = Dom::parse(&html);
        assert_eq!(dom.dropped_attrs, 51);
        assert!(dom.text_of(0).contains("Der Text bleibt. Zwei"));
        let ordinary = "<p class=a id='b' data-x=\"<>\">x</p><!-- <p a b> --><style>p>a{}</style>";
        assert!(matches!(
            bound_attributes(ordinary),
            (std::borrow::Cow::Borrowed(_), 0)
        ));
    }

    #[test]
    fn deep_nesting_is_flattened_and_keeps_its_text() {
        let depth = 3 * MAX_DEPTH;
        let html = format!(
            "<html><body>{}<p>Tief unten steht der Text.</p>{}</body></html>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let dom = Dom::parse(&html);
        assert!(dom.flattened > 0);
        assert!(dom.text_of(0).contains("Tief unten steht der Text."));
        assert_eq!(dom.warnings().len(), 1);
        assert!(Dom::parse("<p>flach</p>").warnings().is_empty());
    }

    fn body_text(html: &str) -> String {
        let dom = Dom::parse(html);
        dom.text_of(0)
    }

    #[test]
    fn parses_basic_structure() {
        let dom = Dom::parse("<html><head><title>T &amp; U</title></head><body><p class=x>Hi <b>there</b></p></body></html>");
        let title = dom.elements().find(|(_, e)| e.tag == "title").unwrap().1;
        assert_eq!(title.raw.as_deref(), Some("T & U"));
        let p = dom.elements().find(|(_, e)| e.tag == "p").unwrap();
        assert_eq!(p.1.attr("class"), Some("x"));
        assert_eq!(dom.text_of(p.0), "Hi there");
    }

    #[test]
    fn implied_end_tags() {
        let dom = Dom::parse("<div><p>one<p>two<ul><li>a<li>b</ul></div>");
        let ps: Vec<_> = dom.elements().filter(|(_, e)| e.tag == "p").collect();
        assert_eq!(ps.len(), 2);
        assert_eq!(dom.text_of(ps[0].0), "one");
        let lis: Vec<_> = dom.elements().filter(|(_, e)| e.tag == "li").collect();
        assert_eq!(dom.text_of(lis[0].0), "a");
    }

    #[test]
    fn scripts_and_comments_are_not_text() {
        let t = body_text("<p>a<script>if (x < 3) { document.write('</p>') }</script>b<!-- c --></p><style>p{}</style>");
        assert_eq!(t, "ab");
    }

    #[test]
    fn broken_markup_never_panics() {
        for s in [
            "<",
            "<a",
            "<a href='x",
            "</",
            "<!--",
            "<![CDATA[",
            "<p>\u{e4}<",
            "</div></div><p>x",
            "<script>",
            "<<<>>>",
            "<a =x>",
        ] {
            let _ = Dom::parse(s);
        }
        let deep = "<div>".repeat(10_000) + "x" + &"</div>".repeat(10_000);
        assert_eq!(body_text(&deep), "x");
    }

    #[test]
    fn stray_end_tags_are_ignored() {
        let dom = Dom::parse("<div><span>a</div>b</span></p><p>c</p>");
        assert_eq!(dom.text_of(0), "a b c");
    }
}
