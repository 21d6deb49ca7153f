//! Reads Entra's `error_description` the way Entra writes it.
//!
//! Two layouts are in use. The older one puts the ids on their own lines:
//! `AADSTS50126: Error validating credentials….\r\nTrace ID: …\r\nCorrelation ID: …\r\nTimestamp: …`;
//! the newer one keeps everything on one line, separated by spaces. Some descriptions carry
//! non-breaking spaces (U+00A0) between sentences, several codes (`AADSTS70002: Error validating
//! credentials. AADSTS50126: …`), or arrive without the JSON fields the ids normally sit in.
//! Everything here borrows from the description: nothing is copied or rewritten.

/// Longest run of a description read for one id value: ids are GUIDs and timestamps.
const MAX_ID: usize = 64;
/// Longest first sentence quoted back to the user.
const MAX_SENTENCE: usize = 240;

/// Every `AADSTSnnnn` code in the text, in order of appearance, without repeats.
pub fn codes(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("AADSTS") {
        rest = &rest[at + "AADSTS".len()..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if let Ok(code) = rest[..digits].parse::<u32>()
            && !out.contains(&code)
        {
            out.push(code);
        }
        rest = &rest[digits..];
    }
    out
}

/// The message without the trace lines that follow it: the first line of the older layout,
/// or everything before `Trace ID:` in the newer one.
pub fn message(text: &str) -> &str {
    let end = [find_label(text, "Trace ID:"), find_label(text, "Correlation ID:")]
        .into_iter()
        .flatten()
        .map(|(start, _)| start)
        .chain(text.find(['\r', '\n']))
        .min()
        .unwrap_or(text.len());
    // The comma-separated layout leaves a comma before `Trace ID:`.
    text[..end].trim().trim_end_matches(',').trim_end()
}

/// The first sentence of the message, without its `AADSTSnnnn:` prefix, at most
/// [`MAX_SENTENCE`] bytes (cut on a character boundary).
pub fn first_sentence(text: &str) -> Option<&str> {
    let mut msg = message(text);
    if let Some(rest) = msg.strip_prefix("AADSTS") {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if let Some(after) = rest[digits..].strip_prefix(':') {
            msg = after.trim_start();
        }
    }
    // A sentence ends at ". " (any whitespace, including U+00A0) or at the end.
    let end = msg
        .char_indices()
        .find(|&(i, c)| c == '.' && msg[i + 1..].chars().next().is_none_or(char::is_whitespace))
        .map_or(msg.len(), |(i, _)| i + 1);
    let mut sentence = &msg[..end];
    if sentence.len() > MAX_SENTENCE {
        let mut cut = MAX_SENTENCE;
        while !sentence.is_char_boundary(cut) {
            cut -= 1;
        }
        sentence = &sentence[..cut];
    }
    let sentence = sentence.trim();
    (!sentence.is_empty()).then_some(sentence)
}

/// The value after `Trace ID:`.
pub fn trace_id(text: &str) -> Option<&str> {
    token_after(text, "Trace ID:")
}

/// The value after `Correlation ID:`.
pub fn correlation_id(text: &str) -> Option<&str> {
    token_after(text, "Correlation ID:")
}

/// The value after `Timestamp:` (`2024-10-03 18:40:55Z`: it contains a space).
pub fn timestamp(text: &str) -> Option<&str> {
    let (_, after) = find_label(text, "Timestamp:")?;
    let value = text[after..].trim_start_matches(is_blank);
    let len = value
        .char_indices()
        .take_while(|&(i, c)| i < MAX_ID && (c.is_ascii_digit() || "-:. TZ".contains(c)))
        .map(|(i, c)| i + c.len_utf8())
        .last()?;
    let value = value[..len].trim_end();
    // Stop after the zone letter: what follows belongs to the next field.
    let value = value.find('Z').map_or(value, |z| &value[..=z]);
    (!value.is_empty()).then_some(value)
}

/// Spaces within a line (an ordinary space, U+00A0, a tab), not line breaks: an empty value
/// at the end of a line must not take the next line's label as its value.
fn is_blank(c: char) -> bool {
    c.is_whitespace() && c != '\r' && c != '\n'
}

fn token_after<'a>(text: &'a str, label: &str) -> Option<&'a str> {
    let (_, after) = find_label(text, label)?;
    let value = text[after..].trim_start_matches(is_blank);
    if ["Trace", "Correlation", "Timestamp"]
        .iter()
        .any(|l| value.starts_with(l))
    {
        return None;
    }
    let len = value
        .char_indices()
        .take_while(|&(i, c)| i < MAX_ID && !c.is_whitespace() && c != ',' && c != '"')
        .map(|(i, c)| i + c.len_utf8())
        .last()?;
    Some(&value[..len])
}

/// Finds `label` where any whitespace of the label may be any whitespace of the text (an
/// ordinary space, U+00A0, a tab). Returns where the match starts and where it ends.
fn find_label(text: &str, label: &str) -> Option<(usize, usize)> {
    let words: Vec<&str> = label.split(' ').collect();
    let first = words.first()?;
    let mut from = 0;
    while let Some(pos) = text[from..].find(first) {
        let start = from + pos;
        let mut end = start + first.len();
        let mut matched = true;
        for word in &words[1..] {
            let gap = text[end..]
                .char_indices()
                .take_while(|(_, c)| c.is_whitespace())
                .last()
                .map(|(i, c)| i + c.len_utf8());
            match gap {
                Some(g) if text[end + g..].starts_with(word) => end += g + word.len(),
                _ => {
                    matched = false;
                    break;
                }
            }
        }
        if matched {
            return Some((start, end));
        }
        from = start + first.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const MULTI_LINE: &str = "AADSTS50126: Error validating credentials due to invalid username or password.\r\nTrace ID: a287413d-c526-4d4a-a6eb-ac9108b03000\r\nCorrelation ID: 7f85270a-1b07-401e-b684-a19533c1b5ea\r\nTimestamp: 2021-06-25 13:16:19Z";
    const ONE_LINE: &str = "AADSTS9002313: Invalid request. Request is malformed or invalid. Trace ID: 416deea9-9d5c-4cbe-81eb-e6397b902000 Correlation ID: bd487592-f96d-48f0-b095-f9ade4b75d45 Timestamp: 2024-10-03 18:40:55Z";

    #[test]
    fn the_older_multi_line_layout_gives_message_and_ids() {
        assert_eq!(
            message(MULTI_LINE),
            "AADSTS50126: Error validating credentials due to invalid username or password."
        );
        assert_eq!(trace_id(MULTI_LINE), Some("a287413d-c526-4d4a-a6eb-ac9108b03000"));
        assert_eq!(correlation_id(MULTI_LINE), Some("7f85270a-1b07-401e-b684-a19533c1b5ea"));
        assert_eq!(timestamp(MULTI_LINE), Some("2021-06-25 13:16:19Z"));
    }

    #[test]
    fn the_newer_single_line_layout_gives_message_and_ids() {
        assert_eq!(
            message(ONE_LINE),
            "AADSTS9002313: Invalid request. Request is malformed or invalid."
        );
        assert_eq!(trace_id(ONE_LINE), Some("416deea9-9d5c-4cbe-81eb-e6397b902000"));
        assert_eq!(correlation_id(ONE_LINE), Some("bd487592-f96d-48f0-b095-f9ade4b75d45"));
        assert_eq!(timestamp(ONE_LINE), Some("2024-10-03 18:40:55Z"));
        assert_eq!(first_sentence(ONE_LINE), Some("Invalid request."));
    }

    #[test]
    fn non_breaking_spaces_separate_sentences_and_labels() {
        // As Entra sends AADSTS700082 (the U+00A0 shows as "&nbsp;" in
        // https://github.com/microsoft/powerplatform-build-tools/issues/894).
        let text = "AADSTS700082: The refresh token has expired due to inactivity.\u{a0}The token was issued on 2024-01-28T19:43:52.3866932Z and was inactive for 90.00:00:00. Trace\u{a0}ID: 4e7e9611-79bb-4525-a2f8-47212bf25300 Correlation\u{a0}ID: fc3fb0fc-fccc-4422-9905-9c8b4d639f89 Timestamp: 2024-05-23 19:17:36Z";
        assert_eq!(
            first_sentence(text),
            Some("The refresh token has expired due to inactivity.")
        );
        assert_eq!(trace_id(text), Some("4e7e9611-79bb-4525-a2f8-47212bf25300"));
        assert_eq!(correlation_id(text), Some("fc3fb0fc-fccc-4422-9905-9c8b4d639f89"));
        assert!(message(text).ends_with("90.00:00:00."), "{}", message(text));
    }

    #[test]
    fn every_code_in_the_description_is_found_once_in_order() {
        let text = "AADSTS70002: Error validating credentials. AADSTS50126: Invalid username or password, Trace ID: c738f926, AADSTS50126";
        assert_eq!(codes(text), vec![70002, 50126]);
        assert!(message(text).ends_with("password"), "{}", message(text));
        assert_eq!(trace_id(text), Some("c738f926"));
        assert!(codes("no code here").is_empty());
        assert!(codes("AADSTS").is_empty());
    }

    #[test]
    fn hostile_descriptions_are_bounded_and_never_panic() {
        let long = format!("AADSTS1: {}", "é".repeat(1000));
        assert!(first_sentence(&long).unwrap().len() <= MAX_SENTENCE);
        let id = format!("Trace ID: {}", "a".repeat(1000));
        assert_eq!(trace_id(&id).unwrap().len(), MAX_ID);
        for text in [
            "",
            "Trace ID:",
            "Trace ID: ",
            "Timestamp:",
            "AADSTS99999999999999: x",
            "Trace\u{a0}",
        ] {
            let _ = (
                codes(text),
                message(text),
                first_sentence(text),
                trace_id(text),
                timestamp(text),
            );
        }
        assert_eq!(first_sentence("   "), None);
    }

    #[test]
    fn an_empty_id_does_not_take_the_next_label_as_its_value() {
        // As in https://github.com/wkh237/react-native-azure-ad/issues/31.
        let text = "AADSTS50173: The provided grant has expired due to it being revoked.\nTrace ID: \nCorrelation ID: \nTimestamp: 2017-12-03 07:57:31Z";
        assert_eq!(trace_id(text), None);
        assert_eq!(correlation_id(text), None);
        assert_eq!(timestamp(text), Some("2017-12-03 07:57:31Z"));
        assert_eq!(trace_id("x. Trace ID:  Correlation ID: abc"), None);
        assert_eq!(correlation_id("x. Trace ID:  Correlation ID: abc"), Some("abc"));
    }

    proptest::proptest! {
        /// Descriptions built from the pieces Entra uses, in any order and any spacing, and
        /// arbitrary text: every reader returns a part of the text or nothing, never panics.
        #[test]
        fn any_description_is_read_without_panic_and_only_from_its_own_text(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just("AADSTS50126:".to_string()),
                    proptest::strategy::Just("AADSTS".to_string()),
                    proptest::strategy::Just("Trace ID:".to_string()),
                    proptest::strategy::Just("Trace\u{a0}ID:".to_string()),
                    proptest::strategy::Just("Correlation ID:".to_string()),
                    proptest::strategy::Just("Timestamp:".to_string()),
                    proptest::strategy::Just("\r\n".to_string()),
                    proptest::strategy::Just(". ".to_string()),
                    "[0-9a-f-]{0,40}",
                    "\\PC{0,20}",
                ],
                0..24,
            )
        ) {
            let text = parts.join(" ");
            for code in codes(&text) {
                let needle = format!("AADSTS{code}");
                proptest::prop_assert!(text.contains(&needle));
            }
            proptest::prop_assert!(text.contains(message(&text)));
            for found in [first_sentence(&text), trace_id(&text), correlation_id(&text), timestamp(&text)]
                .into_iter()
                .flatten()
            {
                proptest::prop_assert!(text.contains(found));
                proptest::prop_assert!(found.len() <= MAX_SENTENCE);
            }
        }
    }
}
