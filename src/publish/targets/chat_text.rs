//! Text people typed, made safe for a chat service: mentions that cannot notify, Slack's
//! three escapes, and posts cut to a service's limit at a word boundary with "…" and a link
//! to the status page. Which of these a service needs is its module's choice; the one
//! deliberate mention comes from the target's `mention` setting, never from the text.

/// Placed after an `@` (or a `<` before one) so that the service reads no mention: U+2060
/// WORD JOINER is invisible, keeps the word on one line, and is no part of any name.
const JOINER: char = '\u{2060}';

/// Returns `text` with every mention a person typed made inert: `@channel`, `@here`,
/// `@all`, `@everyone` and `@someone` at the start of a word, Discord's `<@123>` and
/// `<@&123>`, and Slack's `<!channel>`, which Mattermost's webhooks also read. An `@` inside
/// a word (an email address) is left alone.
pub fn defuse_mentions(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        let next = chars.peek().copied();
        let word_start = previous.is_none_or(|p| !(p.is_alphanumeric() || p == '_'));
        match (c, next) {
            ('@', Some(n)) if word_start && n.is_alphanumeric() => {
                out.push(JOINER);
            }
            ('<', Some('@' | '!')) => out.push(JOINER),
            _ => {}
        }
        previous = Some(c);
    }
    out
}

/// Escapes the three characters Slack's mrkdwn reads as markup (`<!channel>`, `<@U123>`,
/// `<url|label>`), as Slack's formatting guide asks: `&`, `<` and `>`.
pub fn slack_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Splits `text` into pieces of at most `limit` characters: at paragraph or line breaks
/// where it can, else at the last space, and only a word longer than `limit` mid-word
/// (never inside an `&amp;`-style entity).
pub fn chunks(text: &str, limit: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    for line in text.split_inclusive('\n') {
        if current.chars().count() + line.chars().count() > limit && !current.is_empty() {
            pieces.push(current.trim_end().to_string());
            current.clear();
        }
        let mut line = line;
        while line.chars().count() > limit {
            let cut = word_cut(line, limit);
            pieces.push(line[..cut].trim_end().to_string());
            line = line[cut..].trim_start();
        }
        current.push_str(line);
    }
    if !current.trim().is_empty() {
        pieces.push(current.trim_end().to_string());
    }
    pieces
}

/// Returns the byte index at which to cut `text` so that the part before holds at most
/// `limit` characters, ending at a word boundary when there is one in the second half.
fn word_cut(text: &str, limit: usize) -> usize {
    let hard = text
        .char_indices()
        .nth(limit)
        .map_or(text.len(), |(index, _)| index);
    let head = &text[..hard];
    if hard == text.len() {
        return hard;
    }
    if text[hard..].starts_with(char::is_whitespace) {
        return hard;
    }
    match head.rfind(char::is_whitespace) {
        Some(space) if space >= head.len() / 2 => space,
        // One long word: cut it, but not inside an entity such as `&amp;`.
        _ => match head.rfind('&') {
            Some(amp) if amp + 6 > head.len() && !head[amp..].contains(';') && amp > 0 => amp,
            _ => hard,
        },
    }
}

/// Returns `text` if it has at most `limit` characters; else its start, cut at a word
/// boundary, then "…" and `more` (a link to the rest), all within `limit`.
pub fn cut(text: &str, limit: usize, more: &str) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    close(text, limit, more)
}

/// Returns the start of `text`, cut at a word boundary, then "…" and `more`, all within
/// `limit`: the last piece of a text that goes on beyond what is sent.
pub fn close(text: &str, limit: usize, more: &str) -> String {
    let tail = if more.is_empty() {
        "…".to_string()
    } else {
        format!("…\n\n{more}")
    };
    let room = limit.saturating_sub(tail.chars().count());
    let head = &text[..word_cut(text, room)];
    format!("{}{tail}", head.trim_end())
}

/// The Markdown link to the status page that follows a cut text (Discord, Mattermost,
/// Teams), or nothing when the org has no status page.
pub fn markdown_more(status_url: Option<&str>) -> String {
    status_url.map_or_else(String::new, |url| {
        format!("[Read the full update on the status page]({url})")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_people_typed_are_inert() {
        let j = JOINER;
        assert_eq!(
            defuse_mentions("@channel and @here, (@all) @everyone"),
            format!("@{j}channel and @{j}here, (@{j}all) @{j}everyone")
        );
        assert_eq!(defuse_mentions("ops@acme.example"), "ops@acme.example");
        assert_eq!(
            defuse_mentions("<@123> <@&9>"),
            format!("<{j}@{j}123> <{j}@&9>")
        );
        assert_eq!(defuse_mentions("a @ b"), "a @ b");
        assert_eq!(defuse_mentions("<!here>"), format!("<{j}!here>"));
    }

    #[test]
    fn slack_markup_is_escaped() {
        assert_eq!(
            slack_escape("<!channel> & <https://x|y>"),
            "&lt;!channel&gt; &amp; &lt;https://x|y&gt;"
        );
    }

    #[test]
    fn chunks_at_line_breaks_then_words() {
        assert_eq!(chunks("ab\ncd\nef", 5), ["ab", "cd\nef"]);
        assert_eq!(chunks("abcdefg", 3), ["abc", "def", "g"]);
        assert_eq!(
            chunks("one two three four", 9),
            ["one two", "three", "four"]
        );
        assert_eq!(chunks("aaaa &amp; b", 7), ["aaaa", "&amp; b"]);
        for piece in chunks(&"word ".repeat(2000), 3000) {
            assert!(piece.chars().count() <= 3000);
            assert!(piece.ends_with("word"), "{piece}");
        }
    }

    #[test]
    fn cuts_end_with_an_ellipsis_and_the_link() {
        assert_eq!(cut("short", 10, "more"), "short");
        let long = "alpha beta gamma delta epsilon";
        let out = cut(long, 20, "");
        assert_eq!(out, "alpha beta gamma…");
        let out = cut(&"word ".repeat(100), 60, "[more](https://s)");
        assert!(out.chars().count() <= 60, "{out}");
        assert!(out.ends_with("word…\n\n[more](https://s)"), "{out}");
    }
}
