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

/// Returns `markdown` as the text a reader sees, without its markup: for formats that
/// show text only (an iCalendar description). Paragraphs are separated by a blank line.
pub fn markdown_to_text(markdown: &str) -> String {
    use pulldown_cmark::TagEnd;
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Text(text) | Event::Code(text) | Event::Html(text) | Event::InlineHtml(text) => {
                out.push_str(&text)
            }
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                out.push_str("\n\n")
            }
            _ => {}
        }
    }
    out.trim_end().to_string()
}

/// Escapes text for HTML and XML alike, and drops the control characters XML 1.0 forbids
/// (a stray one in a title would make the whole Atom feed unreadable).
///
/// minijinja's own escaping also turns `/` into `&#x2f;`, which is valid but makes every
/// link and date in the pages and the feed hard to read; nothing here needs it.
pub fn escape_into(out: &mut impl std::fmt::Write, text: &str) -> std::fmt::Result {
    let mut start = 0;
    for (index, c) in text.char_indices() {
        let replacement = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&#39;",
            '\t' | '\n' | '\r' => continue,
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => "",
            _ => continue,
        };
        out.write_str(&text[start..index])?;
        out.write_str(replacement)?;
        start = index + c.len_utf8();
    }
    out.write_str(&text[start..])
}

/// Returns `text` escaped as [`escape_into`] does.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text).expect("writing to a String cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_keeps_the_words_and_drops_the_markup() {
        assert_eq!(
            markdown_to_text("**Bold** and `code`\nnext line\n\n- one\n- two <b>\n"),
            "Bold and code\nnext line\n\none\n\ntwo <b>"
        );
    }

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

    #[test]
    fn escapes_markup_and_drops_what_xml_forbids() {
        assert_eq!(
            escape("<script>alert('x & \"y\"')</script>"),
            "&lt;script&gt;alert(&#39;x &amp; &quot;y&quot;&#39;)&lt;/script&gt;"
        );
        assert_eq!(escape("a\u{0}b\u{b}c\td\ne\u{fffe}"), "abc\td\ne");
        assert_eq!(escape("https://x.example/a"), "https://x.example/a");
        assert_eq!(escape("café ☕"), "café ☕");
    }
}
