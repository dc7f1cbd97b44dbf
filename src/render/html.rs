//! Markdown to HTML for targets that want HTML, with raw HTML escaped rather than passed on:
//! a title or message containing `<script>` must arrive as text.

use pulldown_cmark::{Event, Options, Parser, html};

/// Returns `markdown` as HTML; any HTML inside it comes out escaped.
pub fn markdown_to_html(markdown: &str) -> String {
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES,
    )
    .map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, parser);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_raw_html() {
        let html = markdown_to_html(
            "# Title <script>alert(1)</script>\n\n<div onclick=x>hi</div>\n\n**bold**",
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(html.contains("&lt;div onclick=x&gt;"), "{html}");
        assert!(html.contains("<strong>bold</strong>"), "{html}");
    }
}
