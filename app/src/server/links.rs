//! Signed, unguessable links: the one-click cancel link in every registration email.
//!
//! A token is `{id}.{nonce}.{mac}`: the row it opens, a random nonce stored on that row (a new
//! registration gets a new one, so older links stop working), and an HMAC-SHA256 over both
//! with the server's key, so a token cannot be made up or altered.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use rand::RngCore;
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// What a link is for; a token signed for one purpose does not open another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Registration,
    /// An application to a round: see it, and withdraw it before the deadline.
    Application,
    /// A registration for a cohort group: see it, and withdraw from every meeting.
    CohortRegistration,
    /// Who reported a story on the gratitude wall, as a pseudonym (see [`LinkSigner::pseudonym`]).
    StoryReport,
    /// A key public writes are counted under in the database (see `rate_limit::admit_write`).
    WriteLimit,
}

impl Purpose {
    fn label(self) -> &'static str {
        match self {
            Purpose::Registration => "registration",
            Purpose::Application => "application",
            Purpose::CohortRegistration => "cohort-registration",
            Purpose::StoryReport => "story-report",
            Purpose::WriteLimit => "write-limit",
        }
    }
}

#[derive(Clone)]
pub struct LinkSigner {
    key: Vec<u8>,
}

impl std::fmt::Debug for LinkSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkSigner(..)")
    }
}

/// 32 random bytes, URL-safe: a nonce or a new key.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The SHA-256 of a secret, hex-encoded: what the database keeps instead of the secret
/// itself (single-use account links, browser session ids).
pub fn digest(secret: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(secret.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

impl LinkSigner {
    /// A signer from a key as stored (see [`random_token`]).
    pub fn new(key: &str) -> LinkSigner {
        LinkSigner { key: key.as_bytes().to_vec() }
    }

    fn mac(&self, purpose: Purpose, id: i32, nonce: &str) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC takes keys of any length");
        mac.update(purpose.label().as_bytes());
        mac.update(b":");
        mac.update(id.to_string().as_bytes());
        mac.update(b":");
        mac.update(nonce.as_bytes());
        mac
    }

    pub fn sign(&self, purpose: Purpose, id: i32, nonce: &str) -> String {
        let tag = self.mac(purpose, id, nonce).finalize().into_bytes();
        format!("{id}.{nonce}.{}", URL_SAFE_NO_PAD.encode(tag))
    }

    /// A stable stand-in for `value` (a network address) about row `id`: the same value gives
    /// the same pseudonym, and without the server's key nobody can tell which value it was,
    /// where a plain hash of an address is undone by trying every address.
    pub fn pseudonym(&self, purpose: Purpose, id: i32, value: &str) -> String {
        URL_SAFE_NO_PAD.encode(self.mac(purpose, id, value).finalize().into_bytes())
    }

    /// The row id and nonce of a genuine token, compared in constant time; `None` otherwise.
    pub fn verify(&self, purpose: Purpose, token: &str) -> Option<(i32, String)> {
        if token.len() > 200 {
            return None;
        }
        let mut parts = token.split('.');
        let (id, nonce, tag) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let id: i32 = id.parse().ok()?;
        let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
        self.mac(purpose, id, nonce).verify_slice(&tag).ok()?;
        Some((id, nonce.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_token_opens_only_its_own_row() {
        let signer = LinkSigner::new("server key");
        let nonce = random_token();
        let token = signer.sign(Purpose::Registration, 42, &nonce);
        assert_eq!(signer.verify(Purpose::Registration, &token), Some((42, nonce.clone())));

        let other_row = token.replacen("42.", "43.", 1);
        assert_eq!(signer.verify(Purpose::Registration, &other_row), None);
        let other_key = LinkSigner::new("another key");
        assert_eq!(other_key.verify(Purpose::Registration, &token), None);
        let mut tampered = token.clone();
        tampered.pop();
        tampered.push(if token.ends_with('A') { 'B' } else { 'A' });
        assert_eq!(signer.verify(Purpose::Registration, &tampered), None);
        for junk in ["", "42", "42.abc", "x.y.z", "42.a.b.c"] {
            assert_eq!(signer.verify(Purpose::Registration, junk), None, "{junk}");
        }
    }

    #[test]
    fn pseudonyms_are_stable_per_row_and_need_the_key() {
        let signer = LinkSigner::new("server key");
        let of = |id, value| signer.pseudonym(Purpose::StoryReport, id, value);
        assert_eq!(of(1, "192.0.2.1"), of(1, "192.0.2.1"));
        assert_ne!(of(1, "192.0.2.1"), of(2, "192.0.2.1"), "another story");
        assert_ne!(of(1, "192.0.2.1"), of(1, "192.0.2.2"));
        assert_ne!(
            of(1, "192.0.2.1"),
            LinkSigner::new("other").pseudonym(Purpose::StoryReport, 1, "192.0.2.1")
        );
        assert!(!of(1, "192.0.2.1").contains("192"));
    }

    #[test]
    fn digests_are_stable_hex() {
        assert_eq!(digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_ne!(digest("abc"), digest("abd"));
    }

    #[test]
    fn random_tokens_differ() {
        assert_ne!(random_token(), random_token());
        assert_eq!(random_token().len(), 43);
    }
}
