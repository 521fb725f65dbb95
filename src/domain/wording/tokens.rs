//! A small tokenizer for the wording checker: words with byte spans, lower-cased and
//! stripped of apostrophes, with sentence numbers and whether they sit inside a quote.

/// One word of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Byte offsets of the word in the original text.
    pub start: usize,
    pub end: usize,
    /// Lower case, apostrophes removed: "Shouldn’t" gives "shouldnt".
    pub norm: String,
    /// Whether the word starts with a capital letter as written.
    pub capitalized: bool,
    /// Inside "double quotes", “curly quotes”, `backticks` or a line starting with `>`.
    pub quoted: bool,
    /// Which sentence the word is in, counting from 0.
    pub sentence: usize,
}

/// A text split into words, with what is known about each sentence.
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    pub words: Vec<Word>,
    /// For each sentence: whether it ends with a question mark.
    pub questions: Vec<bool>,
}

/// Words after which a full stop does not end the sentence.
const ABBREVIATIONS: &[&str] = &["eg", "ie", "etc", "vs", "approx", "incl", "mr", "ms", "mrs", "dr", "no", "fig", "cf"];

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// Splits `text` into words. Sentences end at `.`, `!`, `?`, `;` and line breaks.
pub fn tokenize(text: &str) -> Tokens {
    let mut words = Vec::new();
    let mut questions = vec![false];
    let mut sentence = 0;
    let mut in_double = false;
    let mut in_curly = false;
    let mut in_backtick = false;
    let mut line_quoted = text.trim_start().starts_with('>');
    let mut at_line_start = true;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_alphanumeric() {
            let start = i;
            let mut end = i + c.len_utf8();
            let mut norm: String = c.to_lowercase().collect();
            while let Some(&(j, d)) = chars.peek() {
                if d.is_alphanumeric() {
                    norm.extend(d.to_lowercase());
                } else if is_apostrophe(d) {
                    // Keep an apostrophe only between letters: "don't", "engineer's".
                    let mut ahead = text[j + d.len_utf8()..].chars();
                    if !ahead.next().is_some_and(char::is_alphanumeric) {
                        break;
                    }
                } else {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            words.push(Word {
                start,
                end,
                norm,
                capitalized: c.is_uppercase(),
                quoted: in_double || in_curly || in_backtick || line_quoted,
                sentence,
            });
            at_line_start = false;
            continue;
        }
        match c {
            '"' => in_double = !in_double,
            '“' => in_curly = true,
            '”' => in_curly = false,
            '`' => in_backtick = !in_backtick,
            '>' if at_line_start => line_quoted = true,
            '.' | '!' | '?' | ';' | '\n' => {
                // "e.g." and "3.5" do not end sentences: a full stop must be followed by space.
                let abbreviation = c == '.'
                    && words.last().is_some_and(|w: &Word| {
                        w.end == i && (w.norm.chars().count() == 1 || ABBREVIATIONS.contains(&w.norm.as_str()))
                    });
                let ends = c != '.' || (!abbreviation && chars.peek().is_none_or(|&(_, d)| d.is_whitespace()));
                if ends && words.last().is_some_and(|w| w.sentence == sentence) {
                    if let Some(q) = questions.last_mut() {
                        *q = c == '?';
                    }
                    sentence += 1;
                    questions.push(false);
                }
                if c == '\n' {
                    line_quoted = text[i + 1..].trim_start_matches([' ', '\t']).starts_with('>');
                    in_double = false;
                    in_backtick = false;
                    at_line_start = true;
                }
                continue;
            }
            _ => {}
        }
        if !c.is_whitespace() {
            at_line_start = false;
        }
    }
    Tokens { words, questions }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(text: &str) -> Vec<String> {
        tokenize(text).words.into_iter().map(|w| w.norm).collect()
    }

    #[test]
    fn contractions_and_curly_apostrophes_normalise() {
        assert_eq!(norms("Shouldn’t have; should've"), ["shouldnt", "have", "shouldve"]);
        assert_eq!(norms("the engineers' laptops"), ["the", "engineers", "laptops"]);
    }

    #[test]
    fn spans_point_into_the_original_text() {
        let text = "Ops said “héllo” then";
        let t = tokenize(text);
        let spans: Vec<&str> = t.words.iter().map(|w| &text[w.start..w.end]).collect();
        assert_eq!(spans, ["Ops", "said", "héllo", "then"]);
        assert!(t.words[2].quoted && !t.words[3].quoted);
    }

    #[test]
    fn sentences_and_questions_are_tracked() {
        let t = tokenize("Who did this? The pod restarted. e.g. version 3.5 shipped");
        let sentences: Vec<usize> = t.words.iter().map(|w| w.sentence).collect();
        assert_eq!(sentences, [0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 2]);
        assert_eq!(t.questions, [true, false, false]);
    }

    #[test]
    fn quoted_lines_and_backticks_are_marked() {
        let t = tokenize("We saw:\n> should have failed\nand `human error` in logs");
        let quoted: Vec<(&str, bool)> = t.words.iter().map(|w| (w.norm.as_str(), w.quoted)).collect();
        assert_eq!(
            quoted,
            [
                ("we", false),
                ("saw", false),
                ("should", true),
                ("have", true),
                ("failed", true),
                ("and", false),
                ("human", true),
                ("error", true),
                ("in", false),
                ("logs", false)
            ]
        );
    }
}
