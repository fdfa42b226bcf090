//! The page for an address that leads nowhere.

use crate::components::PageHeading;
use crate::components::layout::{href, use_locale};
use crate::i18n::Tr;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let locale = use_locale();
    let t = Tr(locale);
    view! {
        <PageHeading locale title=t.not_found_title() />
        <p class="mb-4">{t.not_found_body()}</p>
        <a class="inline-flex min-h-11 items-center underline" href=href(locale, "")>{t.nav_upcoming()}</a>
    }
}
