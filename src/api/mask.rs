//! SAS signatures in answers: the `sig=` of a download URL (LCS's `FileLocation`) is a
//! credential, so a terminal shows it masked.

/// What a masked signature reads as.
pub const MASK: &str = "***";

/// `text` with the value of every `sig=` query parameter replaced by [`MASK`].
pub fn mask_sas(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let at_param = (i == 0 || matches!(bytes[i - 1], b'?' | b'&'))
            || (i >= 5 && text.is_char_boundary(i - 5) && text[i - 5..i].eq_ignore_ascii_case("\\u0026"));
        if at_param && bytes.len() - i >= 4 && bytes[i..i + 4].eq_ignore_ascii_case(b"sig=") {
            out.push_str(&text[i..i + 4]);
            i += 4;
            let start = i;
            while i < bytes.len()
                && !matches!(
                    bytes[i],
                    b'&' | b'"' | b'\'' | b'\\' | b'<' | b'>' | b' ' | b'\n' | b'\r' | b'\t' | b'#'
                )
            {
                i += 1;
            }
            if i > start {
                out.push_str(MASK);
            }
            continue;
        }
        let ch = text[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// Whether `text` holds a SAS signature.
pub fn has_sas(text: &str) -> bool {
    mask_sas(text) != text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_location_keeps_its_shape_but_loses_its_signature() {
        let body = r#"{"FileLocation":"https://x.blob.core.windows.net/c/db.bacpac?sv=2020-08-04&sr=b&sig=AbC%2Bd3f%3D&se=2026"}"#;
        let masked = mask_sas(body);
        assert_eq!(
            masked,
            r#"{"FileLocation":"https://x.blob.core.windows.net/c/db.bacpac?sv=2020-08-04&sr=b&sig=***&se=2026"}"#
        );
        assert!(has_sas(body));
        assert!(!has_sas(&masked.replace("sig=***", "")));
    }

    #[test]
    fn only_a_query_parameter_named_sig_is_masked() {
        assert_eq!(mask_sas("design=a&usig=b"), "design=a&usig=b");
        assert_eq!(mask_sas("https://h/p?SIG=x"), "https://h/p?SIG=***");
        assert_eq!(mask_sas("ünï?sig=é"), "ünï?sig=***");
    }
}
