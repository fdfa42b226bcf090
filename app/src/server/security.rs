//! The Content-Security-Policy, written once for the pages (which name their inline scripts
//! by nonce, or by hash when the page is a kept copy) and for every other response.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

/// How a response vouches for the inline scripts it carries (Leptos's hydration script and
/// its two lines of bookkeeping).
#[derive(Clone, Copy, Debug)]
pub enum InlineScripts<'a> {
    /// No inline script may run.
    None,
    /// This response's own random nonce.
    Nonce(&'a str),
    /// The scripts' SHA-256 digests, as `'sha256-…'` sources: for a page sent more than once.
    Hashes(&'a [String]),
}

/// Scripts run only from this site or, inline, when vouched for; the wasm may compile
/// (`'wasm-unsafe-eval'`); no inline styles, no plugins, no framing, forms post only here.
pub fn content_security_policy(inline: InlineScripts) -> String {
    let vouched = match inline {
        InlineScripts::None => String::new(),
        InlineScripts::Nonce(nonce) => format!(" 'nonce-{nonce}'"),
        InlineScripts::Hashes(hashes) => hashes.iter().map(|hash| format!(" {hash}")).collect(),
    };
    let scripts = format!("script-src 'self'{vouched} 'wasm-unsafe-eval'");
    [
        "default-src 'self'",
        &scripts,
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    .join("; ")
}

/// The nonce a policy written by [`content_security_policy`] vouches with, if any.
pub fn policy_nonce(policy: &str) -> Option<&str> {
    policy.split_once("'nonce-")?.1.split_once('\'').map(|(nonce, _)| nonce)
}

/// The `'sha256-…'` source of every distinct inline `<script>` in a page, in order. A script
/// with a `src` is covered by `'self'` and has no text of its own to hash.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after_name = &rest[start + "<script".len()..];
        let Some(tag_end) = after_name.find('>') else { break };
        let attributes = &after_name[..tag_end];
        let body = &after_name[tag_end + 1..];
        let Some(body_end) = body.find("</script>") else { break };
        if !attributes.contains(" src=") {
            let digest = Sha256::digest(&body.as_bytes()[..body_end]);
            let source = format!("'sha256-{}'", STANDARD.encode(digest));
            if !hashes.contains(&source) {
                hashes.push(source);
            }
        }
        rest = &body[body_end + "</script>".len()..];
    }
    hashes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_allow_their_own_inline_script_and_nothing_else_inline() {
        let policy = content_security_policy(InlineScripts::Nonce("abc123"));
        assert!(policy.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'"));
        assert!(!policy.contains("unsafe-inline"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert_eq!(policy_nonce(&policy), Some("abc123"));
        assert!(
            content_security_policy(InlineScripts::None).contains("script-src 'self' 'wasm-unsafe-eval'")
        );
        assert_eq!(policy_nonce(&content_security_policy(InlineScripts::None)), None);
        let hashes = ["'sha256-a'".to_string(), "'sha256-b'".to_string()];
        assert!(
            content_security_policy(InlineScripts::Hashes(&hashes))
                .contains("script-src 'self' 'sha256-a' 'sha256-b' 'wasm-unsafe-eval'")
        );
    }

    #[test]
    fn inline_scripts_are_hashed_once_each_and_external_ones_not_at_all() {
        let html = concat!(
            r#"<head><script type="module" nonce="n">alert(1)</script>"#,
            r#"<script src="/pkg/app.js"></script>"#,
            r#"<script nonce="n">alert(1)</script><script>x=[];</script></head>"#,
        );
        // `echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64`, and the same for `x=[];`.
        assert_eq!(
            inline_script_hashes(html),
            [
                "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='",
                "'sha256-qQ84Wi+YZ7UEyecrvW/LumXlepLXMbQUTJ3oNPGArEQ='",
            ]
        );
        assert!(inline_script_hashes("<p>no scripts</p>").is_empty());
    }
}
