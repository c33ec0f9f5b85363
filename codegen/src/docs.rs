//! Converts the model's HTML documentation into Markdown for rustdoc.
//!
//! botocore documentation is a small, well-behaved HTML subset (`p`, `code`,
//! `a`, `b`/`i`, lists, `note`/`important`), but rustdoc warns on what
//! Markdown would misread: `[x]` looks like a broken intra-doc link, `<x>` like
//! an unclosed HTML tag, a bare URL like a missing link. So text is escaped and
//! URLs are wrapped; tags we do not know keep their text and lose the tag.

/// A parsed HTML node.
#[derive(Debug)]
enum Node {
    Text(String),
    Element {
        name: String,
        href: Option<String>,
        children: Vec<Node>,
    },
}

const BLOCK_TAGS: &[&str] = &[
    "p",
    "ul",
    "ol",
    "li",
    "note",
    "important",
    "pre",
    "dl",
    "dt",
    "dd",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "fullname",
];
const VOID_TAGS: &[&str] = &["br", "hr", "img"];

/// Converts botocore HTML documentation to Markdown: blocks separated by a
/// blank line, no trailing newline.
pub fn html_to_markdown(html: &str) -> String {
    let nodes = parse(html);
    render_blocks(&nodes).join("\n\n")
}

fn parse(html: &str) -> Vec<Node> {
    // A stack of open elements; the bottom entry is the document root.
    let mut stack: Vec<(String, Option<String>, Vec<Node>)> =
        vec![(String::new(), None, Vec::new())];
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<') {
            if let Some(end) = after.find('>') {
                let tag = &after[..end];
                rest = &after[end + 1..];
                if let Some(name) = tag.strip_prefix('/') {
                    close(&mut stack, &name.trim().to_ascii_lowercase());
                } else if !tag.starts_with('!') {
                    let (name, href) = parse_open_tag(tag);
                    if VOID_TAGS.contains(&name.as_str()) {
                        if name == "br" {
                            top(&mut stack).push(Node::Text("\n".into()));
                        }
                    } else if !tag.trim_end().ends_with('/') {
                        stack.push((name, href, Vec::new()));
                    }
                }
                continue;
            }
        }
        // Text runs to the next tag; the first character may be a `<` that
        // opened no tag, and may be more than one byte long.
        let first = rest.chars().next().map_or(1, char::len_utf8);
        let next = rest[first..].find('<').map_or(rest.len(), |i| i + first);
        top(&mut stack).push(Node::Text(decode_entities(&rest[..next])));
        rest = &rest[next..];
    }
    while stack.len() > 1 {
        let name = stack.last().map(|e| e.0.clone()).unwrap_or_default();
        close(&mut stack, &name);
    }
    stack.pop().map(|e| e.2).unwrap_or_default()
}

fn top(stack: &mut [(String, Option<String>, Vec<Node>)]) -> &mut Vec<Node> {
    &mut stack.last_mut().expect("the root is never popped").2
}

/// Closes the innermost open element named `name`, and any left open inside
/// it; a stray end tag is ignored.
fn close(stack: &mut Vec<(String, Option<String>, Vec<Node>)>, name: &str) {
    let Some(pos) = stack.iter().rposition(|e| e.0 == name) else {
        return;
    };
    if pos == 0 {
        return;
    }
    while stack.len() > pos {
        let (name, href, children) = stack.pop().expect("checked above");
        top(stack).push(Node::Element {
            name,
            href,
            children,
        });
    }
}

fn parse_open_tag(tag: &str) -> (String, Option<String>) {
    let tag = tag.trim().trim_end_matches('/');
    let name_end = tag.find(char::is_whitespace).unwrap_or(tag.len());
    let name = tag[..name_end].to_ascii_lowercase();
    let href = tag[name_end..].find("href=").and_then(|i| {
        let value = &tag[name_end + i + 5..];
        let quote = value.chars().next()?;
        if quote == '"' || quote == '\'' {
            value[1..]
                .find(quote)
                .map(|end| decode_entities(&value[1..1 + end]))
        } else {
            Some(value.split_whitespace().next().unwrap_or("").to_string())
        }
    });
    (name, href)
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let entity = rest.find(';').filter(|&i| i <= 10).map(|i| &rest[1..i]);
        let decoded = entity.and_then(|e| match e {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ => {
                let num = e.strip_prefix('#')?;
                let code = match num.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => num.parse().ok()?,
                };
                char::from_u32(code)
            }
        });
        match (entity, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = &rest[e.len() + 2..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_block(node: &Node) -> bool {
    matches!(node, Node::Element { name, .. } if BLOCK_TAGS.contains(&name.as_str()))
}

/// Renders a sequence of nodes as Markdown blocks: runs of inline nodes
/// become paragraphs.
fn render_blocks(nodes: &[Node]) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut inline = String::new();
    let flush = |inline: &mut String, blocks: &mut Vec<String>| {
        let paragraph = tidy_inline(inline);
        if !paragraph.is_empty() {
            blocks.push(paragraph);
        }
        inline.clear();
    };
    for node in nodes {
        if is_block(node) {
            flush(&mut inline, &mut blocks);
            blocks.extend(render_block(node));
        } else {
            inline.push_str(&render_inline(node));
        }
    }
    flush(&mut inline, &mut blocks);
    blocks
}

/// Collapses whitespace within each line and trims the paragraph.
fn tidy_inline(text: &str) -> String {
    text.split('\n')
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn render_block(node: &Node) -> Vec<String> {
    let Node::Element { name, children, .. } = node else {
        return Vec::new();
    };
    match name.as_str() {
        "ul" | "ol" => {
            let items: Vec<String> = children
                .iter()
                .filter(|c| !matches!(c, Node::Text(t) if t.trim().is_empty()))
                .enumerate()
                .map(|(i, item)| {
                    let marker = if name == "ol" {
                        format!("{}. ", i + 1)
                    } else {
                        "- ".to_string()
                    };
                    let body = match item {
                        Node::Element { name, children, .. } if name == "li" => {
                            render_blocks(children)
                        }
                        other => render_blocks(std::slice::from_ref(other)),
                    };
                    indent_item(&marker, &body.join("\n\n"))
                })
                .collect();
            if items.is_empty() {
                Vec::new()
            } else {
                vec![items.join("\n")]
            }
        }
        "note" | "important" => {
            let label = if name == "note" {
                "**Note:**"
            } else {
                "**Important:**"
            };
            let mut body = render_blocks(children);
            match body.first_mut() {
                Some(first) => *first = format!("{label} {first}"),
                None => return Vec::new(),
            }
            let quoted = body
                .join("\n\n")
                .lines()
                .map(|l| {
                    if l.is_empty() {
                        ">".to_string()
                    } else {
                        format!("> {l}")
                    }
                })
                .collect::<Vec<_>>()
                .join("\n");
            vec![quoted]
        }
        "pre" => {
            let text = plain_text(children);
            let text = text.trim_matches('\n');
            if text.trim().is_empty() {
                Vec::new()
            } else {
                vec![format!("```text\n{text}\n```")]
            }
        }
        h if h.len() == 2 && h.starts_with('h') => {
            let level = h[1..].parse::<usize>().unwrap_or(1);
            let text = tidy_inline(&render_inlines(children)).replace('\n', " ");
            vec![format!("{} {text}", "#".repeat(level))]
        }
        "dt" => {
            let text = tidy_inline(&render_inlines(children)).replace('\n', " ");
            vec![format!("**{text}**")]
        }
        _ => render_blocks(children),
    }
}

fn indent_item(marker: &str, body: &str) -> String {
    let pad = " ".repeat(marker.len());
    let mut out = String::new();
    for (i, line) in body.lines().enumerate() {
        if i == 0 {
            out.push_str(marker);
        } else {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(&pad);
            }
        }
        out.push_str(line);
    }
    if out.is_empty() {
        out.push_str(marker.trim_end());
    }
    out
}

fn render_inlines(nodes: &[Node]) -> String {
    nodes.iter().map(render_inline).collect()
}

fn render_inline(node: &Node) -> String {
    match node {
        Node::Text(text) => escape_text(text),
        Node::Element {
            name,
            href,
            children,
        } => match name.as_str() {
            "code" => code_span(&plain_text(children)),
            "a" => {
                let text = tidy_inline(&render_inlines(children)).replace('\n', " ");
                match href.as_deref().map(str::trim) {
                    Some(url) if !url.is_empty() && !text.is_empty() => {
                        format!("[{text}]({})", url.replace(' ', "%20").replace(')', "%29"))
                    }
                    Some(url) if !url.is_empty() => format!("<{url}>"),
                    // `<a>OperationName</a>`: a cross-reference without a target.
                    _ => code_span(&plain_text(children)),
                }
            }
            "b" | "strong" => wrap("**", &render_inlines(children)),
            "i" | "em" => wrap("*", &render_inlines(children)),
            _ if is_block(node) => render_blocks(std::slice::from_ref(node)).join(" "),
            _ => render_inlines(children),
        },
    }
}

fn wrap(marker: &str, inner: &str) -> String {
    let trimmed = inner.trim();
    if trimmed.is_empty() {
        return inner.to_string();
    }
    // Keep the surrounding spaces outside the markers, or Markdown ignores them.
    let lead = if inner.starts_with(char::is_whitespace) {
        " "
    } else {
        ""
    };
    let trail = if inner.ends_with(char::is_whitespace) {
        " "
    } else {
        ""
    };
    format!("{lead}{marker}{trimmed}{marker}{trail}")
}

fn plain_text(nodes: &[Node]) -> String {
    nodes
        .iter()
        .map(|n| match n {
            Node::Text(t) => t.clone(),
            Node::Element { children, .. } => plain_text(children),
        })
        .collect()
}

fn code_span(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return String::new();
    }
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Escapes Markdown syntax in plain text and turns bare URLs into autolinks.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let url_start = word.find("https://").or_else(|| word.find("http://"));
        match url_start {
            Some(start) => {
                escape_into(&mut out, &word[..start]);
                let url = &word[start..];
                let end = url.trim_end_matches(['.', ',', ';', ')', ':']).len();
                out.push('<');
                out.push_str(&url[..end]);
                out.push('>');
                escape_into(&mut out, &url[end..]);
            }
            None => escape_into(&mut out, word),
        }
    }
    out
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::html_to_markdown as md;

    #[test]
    fn paragraphs_become_blocks() {
        assert_eq!(md("<p>One.</p> <p>Two  words.</p>"), "One.\n\nTwo words.");
        assert_eq!(md("plain text"), "plain text");
        assert_eq!(md(""), "");
    }

    #[test]
    fn code_and_emphasis() {
        assert_eq!(
            md("<p>Use <code>Foo_Bar</code> now.</p>"),
            "Use `Foo_Bar` now."
        );
        assert_eq!(md("<p>a <code>x`y</code></p>"), "a ``x`y``");
        assert_eq!(
            md("<p>the <i>Guide</i> and <b>bold </b>text</p>"),
            "the *Guide* and **bold** text"
        );
    }

    #[test]
    fn links() {
        assert_eq!(
            md(r#"<p>see <a href="https://example.com/a.html">Managing rules</a> in</p>"#),
            "see [Managing rules](https://example.com/a.html) in"
        );
        assert_eq!(
            md("<p>with the <a>UpdatePhoneNumber</a> action</p>"),
            "with the `UpdatePhoneNumber` action"
        );
        assert_eq!(
            md("<p>refer to https://docs.aws.amazon.com/x.html.</p>"),
            "refer to <https://docs.aws.amazon.com/x.html>."
        );
    }

    #[test]
    fn lists() {
        let html =
            "<ul> <li> <p> <code>0</code> - ok.</p> </li> <li><p>two</p><p>more</p></li> </ul>";
        assert_eq!(md(html), "- `0` - ok.\n- two\n\n  more");
        assert_eq!(md("<ol><li>a</li><li>b</li></ol>"), "1. a\n2. b");
    }

    #[test]
    fn notes_are_quoted() {
        assert_eq!(
            md("<p>Gets it.</p> <important> <p>End of support.</p> </important>"),
            "Gets it.\n\n> **Important:** End of support."
        );
        assert_eq!(md("<note><p>a</p><p>b</p></note>"), "> **Note:** a\n>\n> b");
    }

    #[test]
    fn markdown_and_html_in_text_are_escaped() {
        assert_eq!(
            md("<p>a [b] &lt;c&gt; *d* snake_case</p>"),
            "a \\[b\\] \\<c\\> \\*d\\* snake\\_case"
        );
        assert_eq!(md("<p>&amp; &#39; &#x41; &bogus;</p>"), "& ' A &bogus;");
    }

    #[test]
    fn broken_html_keeps_its_text() {
        assert_eq!(
            md("<p>open <b>never closed</p> tail"),
            "open **never closed**\n\ntail"
        );
        assert_eq!(md("stray </i> end"), "stray end");
        assert_eq!(md("<p>line<br/>break</p>"), "line\nbreak");
        assert_eq!(md("<pre>a  b\n c</pre>"), "```text\na  b\n c\n```");
    }

    /// Text that starts with a character of more than one byte, right after
    /// a tag: ten botocore models (location, sesv2, ...) made the converter
    /// panic here.
    #[test]
    fn multi_byte_text_after_a_tag() {
        assert_eq!(md("<p>é</p>"), "é");
        assert_eq!(md("<p>Émoji 🎉 <b>gras</b></p>"), "Émoji 🎉 **gras**");
        assert_eq!(md("日本<code>語</code>"), "日本`語`");
    }
}
