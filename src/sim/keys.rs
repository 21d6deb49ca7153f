//! The simulator's key material: the RSA key that signs its tokens (RS256,
//! published as a JWKS with its certificate, as Entra publishes its own) and
//! the loopback TLS certificate with the test CA that issued it.
//!
//! The keys were generated once with OpenSSL and are embedded, so starting a
//! simulator costs no key generation. They protect nothing: the simulator
//! answers on loopback only and exists for tests and the demo.

use std::sync::LazyLock;

use aws_lc_rs::digest::{SHA1_FOR_LEGACY_USE_ONLY, digest};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256, RsaKeyPair};
use serde_json::{Value, json};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// PKCS#8 DER of the 2048-bit token-signing key.
const SIGNING_KEY: &[u8] = include_bytes!("keys/signing-key.pk8");
/// DER of the self-signed certificate of the signing key (the JWKS `x5c`).
const SIGNING_CERT: &[u8] = include_bytes!("keys/signing-cert.der");

/// PEM of the certificate the TLS listener presents (for `127.0.0.1` and `localhost`).
pub const TLS_CERT_PEM: &str = include_str!("keys/tls-cert.pem");
/// PEM (PKCS#8) of the TLS listener's private key.
pub const TLS_KEY_PEM: &str = include_str!("keys/tls-key.pem");
/// PEM of the CA that issued [`TLS_CERT_PEM`]: what a client must trust.
pub const TLS_CA_PEM: &str = include_str!("keys/tls-ca.pem");

/// The signing key with the public values derived from it.
pub struct SigningKey {
    pair: RsaKeyPair,
    /// `kid` and `x5t`: base64url of the certificate's SHA-1 thumbprint, as in Entra.
    pub key_id: String,
    n: String,
    e: String,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

/// The one signing key, parsed on first use.
pub static SIGNING: LazyLock<SigningKey> = LazyLock::new(|| {
    #[allow(clippy::expect_used)] // the embedded key is a build input, checked by the tests
    let pair = RsaKeyPair::from_pkcs8(SIGNING_KEY).expect("the embedded signing key is valid PKCS#8");
    let (n, e) = rsa_public_numbers(pair.public_key().as_ref()).unwrap_or_default();
    SigningKey {
        key_id: URL_SAFE_NO_PAD.encode(digest(&SHA1_FOR_LEGACY_USE_ONLY, SIGNING_CERT).as_ref()),
        n: URL_SAFE_NO_PAD.encode(n),
        e: URL_SAFE_NO_PAD.encode(e),
        pair,
    }
});

impl SigningKey {
    /// The RS256 signature of `message`.
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        let mut signature = vec![0; self.pair.public_modulus_len()];
        // Signing with a valid key into a buffer of the modulus length cannot fail.
        let _ = self
            .pair
            .sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), message, &mut signature);
        signature
    }

    /// The JWKS entry of this key, in Entra's shape.
    pub fn jwk(&self, issuer: &str) -> Value {
        use base64::Engine as _;
        json!({
            "kty": "RSA",
            "use": "sig",
            "kid": self.key_id,
            "x5t": self.key_id,
            "n": self.n,
            "e": self.e,
            "x5c": [base64::engine::general_purpose::STANDARD.encode(SIGNING_CERT)],
            "issuer": issuer,
        })
    }

    /// The modulus and exponent, big-endian without leading zeros.
    #[cfg(test)]
    pub fn public_numbers(&self) -> (Vec<u8>, Vec<u8>) {
        rsa_public_numbers(self.pair.public_key().as_ref())
            .map(|(n, e)| (n.to_vec(), e.to_vec()))
            .unwrap_or_default()
    }
}

/// Reads one DER element with tag `tag` off the front of `input`:
/// (contents, rest).
fn der_element(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&first, rest) = input.split_first()?;
    if first != tag {
        return None;
    }
    let (&len0, rest) = rest.split_first()?;
    let (len, rest) = if len0 < 0x80 {
        (usize::from(len0), rest)
    } else {
        let count = usize::from(len0 & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let len = rest[..count].iter().fold(0usize, |acc, &b| acc << 8 | usize::from(b));
        (len, &rest[count..])
    };
    (rest.len() >= len).then(|| rest.split_at(len))
}

/// `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }` (RFC 8017).
fn rsa_public_numbers(der: &[u8]) -> Option<(&[u8], &[u8])> {
    let (seq, _) = der_element(der, 0x30)?;
    let (n, rest) = der_element(seq, 0x02)?;
    let (e, _) = der_element(rest, 0x02)?;
    let trim = |v: &[u8]| -> usize { v.iter().take_while(|b| **b == 0).count() };
    Some((&n[trim(n)..], &e[trim(e)..]))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents};

    use super::SIGNING;

    #[test]
    fn signatures_verify_against_the_published_modulus_and_exponent() {
        let (n, e) = SIGNING.public_numbers();
        assert_eq!(n.len(), 256, "a 2048-bit modulus");
        assert_eq!(e, [1, 0, 1]);
        let signature = SIGNING.sign(b"header.payload");
        let public = RsaPublicKeyComponents { n: &n, e: &e };
        public
            .verify(&RSA_PKCS1_2048_8192_SHA256, b"header.payload", &signature)
            .unwrap();
        assert!(
            public
                .verify(&RSA_PKCS1_2048_8192_SHA256, b"header.payl0ad", &signature)
                .is_err()
        );
    }

    #[test]
    fn key_id_is_the_certificate_thumbprint() {
        assert_eq!(SIGNING.key_id.len(), 27, "base64url of 20 bytes");
        let jwk = SIGNING.jwk("https://login.microsoftonline.com/x/v2.0");
        assert_eq!(jwk["kid"], jwk["x5t"]);
        assert_eq!(jwk["kty"], "RSA");
    }
}
