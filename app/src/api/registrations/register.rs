use crate::domain::registration::RegistrationForm;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::model::Acknowledged;
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
    crate::server::rate_limit::admit_server_fn_write(&state, &form.email)?;
    crate::server::registrations::register_for_session(&state, session_id, &form, locale, chrono::Utc::now())
        .await
}
