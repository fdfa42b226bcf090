//! Rules for accounts: what makes an acceptable password, and when sign-in attempts are
//! refused to slow down guessing.

use super::forms::{Field, FieldError, Problem, Problems, looks_like_email};
use crate::i18n::Locale;
use chrono::Duration;
use serde::{Deserialize, Serialize};

pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Failed sign-ins counted over this window.
pub fn failure_window() -> Duration {
    Duration::minutes(15)
}
/// Failures allowed for one account, then for one network address, within the window.
pub const MAX_FAILURES_PER_ACCOUNT: u64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: u64 = 20;

/// Long passphrases are encouraged; nothing else is imposed (NIST 800-63B).
pub fn check_password(password: &str, email: &str) -> Result<(), FieldError> {
    let length = password.chars().count();
    let problem = if length < MIN_PASSWORD_CHARS {
        Some(Problem::TooShort)
    } else if length > MAX_PASSWORD_CHARS {
        Some(Problem::TooLong)
    } else if password.trim().eq_ignore_ascii_case(email.trim()) {
        Some(Problem::Invalid)
    } else {
        None
    };
    match problem {
        Some(problem) => Err(FieldError { field: Field::Password, problem }),
        None => Ok(()),
    }
}

/// Whether another sign-in attempt may be checked, given the failures in the window.
pub fn sign_in_allowed(account_failures: u64, address_failures: u64) -> bool {
    account_failures < MAX_FAILURES_PER_ACCOUNT && address_failures < MAX_FAILURES_PER_ADDRESS
}

/// The form of an address compared when signing in or inviting.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The sign-in form. The password is never sent back to the page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SignInForm {
    pub email: String,
    pub password: String,
    /// Where to go after signing in (a path on this site).
    pub next: String,
}

/// A password chosen twice (accepting an invitation, or after a reset).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    pub password: String,
    pub confirm: String,
}

impl PasswordForm {
    pub fn check(&self, email: &str) -> Result<&str, FieldError> {
        check_password(&self.password, email)?;
        if self.password != self.confirm {
            return Err(FieldError { field: Field::Password, problem: Problem::Mismatch });
        }
        Ok(&self.password)
    }
}

/// Where to send someone after signing in: a path on this site in their language, never
/// another site (an open redirect would lend the site's name to a phishing link).
pub fn after_sign_in(next: &str, locale: Locale) -> String {
    let home = format!("/{locale}/workspace");
    let local = next.starts_with(&format!("/{locale}/")) && !next.starts_with("//") && !next.contains("://");
    if local { next.to_string() } else { home }
}

/// A coordinator's invitation of a new facilitator, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InvitationForm {
    pub email: String,
    pub display_name: String,
    pub credentials_en: String,
    pub credentials_fr: String,
    /// The language of the invitation email and of the account's emails after.
    pub language: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invitation {
    pub email_key: String,
    pub display_name: String,
    pub credentials: (String, String),
    pub language: Locale,
}

impl InvitationForm {
    pub fn check(&self) -> Result<Invitation, Vec<FieldError>> {
        let mut problems = Problems::default();
        let email = problems.required_text(Field::Email, &self.email, 254);
        if !email.is_empty() && !looks_like_email(email) {
            problems.add(Field::Email, Problem::InvalidEmail);
        }
        let display_name = problems.required_text(Field::Name, &self.display_name, 120).to_string();
        let credentials_en =
            problems.required_text(Field::Credentials, &self.credentials_en, 200).to_string();
        let credentials_fr =
            problems.required_text(Field::Credentials, &self.credentials_fr, 200).to_string();
        let language = self.language.parse::<Locale>().ok();
        if language.is_none() {
            problems.add(Field::Language, Problem::Required);
        }
        let email_key = email_key(email);
        problems.finish(|| Invitation {
            email_key,
            display_name,
            credentials: (credentials_en, credentials_fr),
            language: language.expect("checked"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_need_length_and_must_not_be_the_address() {
        assert_eq!(check_password("short", "a@b.ca").unwrap_err().problem, Problem::TooShort);
        assert_eq!(check_password(&"x".repeat(129), "a@b.ca").unwrap_err().problem, Problem::TooLong);
        assert_eq!(
            check_password("Dr.Ada@Example.ca", "dr.ada@example.ca").unwrap_err().problem,
            Problem::Invalid
        );
        assert!(check_password("correct horse battery staple", "a@b.ca").is_ok());
        assert!(check_password("ééééééééééé!", "a@b.ca").is_ok(), "length counts characters, not bytes");
    }

    #[test]
    fn invitations_need_an_address_a_name_credentials_in_both_languages_and_a_language() {
        let form = InvitationForm {
            email: " Dr.New@Example.ca ".into(),
            display_name: "Dr. New".into(),
            credentials_en: "Psychologist".into(),
            credentials_fr: "Psychologue".into(),
            language: "fr".into(),
        };
        let invitation = form.check().unwrap();
        assert_eq!(invitation.email_key, "dr.new@example.ca");
        assert_eq!(invitation.language, Locale::Fr);
        let missing = InvitationForm { email: "nobody".into(), ..Default::default() }.check().unwrap_err();
        let fields: Vec<(Field, Problem)> = missing.iter().map(|e| (e.field, e.problem)).collect();
        assert_eq!(
            fields,
            [
                (Field::Email, Problem::InvalidEmail),
                (Field::Name, Problem::Required),
                (Field::Credentials, Problem::Required),
                (Field::Credentials, Problem::Required),
                (Field::Language, Problem::Required),
            ]
        );
    }

    #[test]
    fn a_chosen_password_must_be_typed_the_same_twice() {
        let same = PasswordForm {
            password: "a long enough passphrase".into(),
            confirm: "a long enough passphrase".into(),
        };
        assert_eq!(same.check("a@b.ca"), Ok("a long enough passphrase"));
        let differ = PasswordForm {
            password: "a long enough passphrase".into(),
            confirm: "a long enough passphrasE".into(),
        };
        assert_eq!(differ.check("a@b.ca").unwrap_err().problem, Problem::Mismatch);
    }

    #[test]
    fn sign_in_returns_only_to_pages_of_this_site() {
        assert_eq!(after_sign_in("/fr/workspace/sessions/3", Locale::Fr), "/fr/workspace/sessions/3");
        assert_eq!(after_sign_in("https://evil.example/fr/", Locale::Fr), "/fr/workspace");
        assert_eq!(after_sign_in("//evil.example/fr/", Locale::Fr), "/fr/workspace");
        assert_eq!(after_sign_in("", Locale::En), "/en/workspace");
    }

    #[test]
    fn sign_in_stops_after_too_many_failures_for_an_account_or_an_address() {
        assert!(sign_in_allowed(0, 0));
        assert!(sign_in_allowed(4, 19));
        assert!(!sign_in_allowed(5, 0));
        assert!(!sign_in_allowed(0, 20));
        assert_eq!(email_key("  Ada@Example.CA "), "ada@example.ca");
    }
}
