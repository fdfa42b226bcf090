use crate::domain::registration::RegistrationForm;
#[cfg(feature = "ssr")]
use crate::domain::registration::validate;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::model::Acknowledged;
#[cfg(feature = "ssr")]
use crate::model::Offering;
use leptos::prelude::*;

/// Registers for a session, or joins its waitlist when it is full. `locale` is the language
/// of the page the form was on, for the link returned. Public; rate-limited per network
/// address and per email address.
#[server(prefix = "/api", endpoint = "registrations/register")]
pub async fn register(
    session_id: i32,
    locale: Locale,
    form: RegistrationForm,
) -> Result<Acknowledged, AppError> {
    let state = crate::server::state::app_state()?;
    crate::server::rate_limit::admit_server_fn_write(&state, &form.email).await?;
    let check = move |audience| validate(&form, audience);
    let now = chrono::Utc::now();
    crate::server::registrations::register(&state, Offering::Session(session_id), check, locale, now).await
}
