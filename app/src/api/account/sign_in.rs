use crate::error::AppError;
use crate::model::CurrentUser;
use leptos::prelude::*;

/// Signs in with an address and password. Public; rate-limited per account and per address.
#[server(prefix = "/api", endpoint = "account/sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<CurrentUser, AppError> {
    use crate::server::auth;
    let state = crate::server::state::app_state()?;
    let session = auth::browser_session().await?;
    let address = auth::client_address(&state);
    auth::sign_in(&state, &session, &email, &password, address, chrono::Utc::now()).await?;
    let account = auth::current_account(&state, &session).await?.ok_or(AppError::SignInRequired)?;
    crate::server::workspace::current_user(&state, &account).await
}

/// The signed-in person, or `None`. Public.
#[server(prefix = "/api", endpoint = "account/current")]
pub async fn who_am_i() -> Result<Option<CurrentUser>, AppError> {
    use crate::server::auth;
    let state = crate::server::state::app_state()?;
    let session = auth::browser_session().await?;
    match auth::current_account(&state, &session).await? {
        Some(account) => Ok(Some(crate::server::workspace::current_user(&state, &account).await?)),
        None => Ok(None),
    }
}

/// Ends this browser's session. Public (signing out twice is harmless).
#[server(prefix = "/api", endpoint = "account/sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    crate::server::auth::sign_out(&crate::server::auth::browser_session().await?).await
}

/// Ends every session of the signed-in account. Signed-in accounts only.
#[server(prefix = "/api", endpoint = "account/sign_out_everywhere")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    use crate::server::auth;
    let state = crate::server::state::app_state()?;
    auth::sign_out_everywhere(&state, &auth::browser_session().await?, chrono::Utc::now()).await
}
