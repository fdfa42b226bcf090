//! The page a request answers when its own page failed to render (the server caught a panic):
//! the site's frame and a sentence in the page's language, never a cut-off connection.

use crate::components::PageHeading;
use crate::components::layout::{Layout, href, use_locale};
use crate::i18n::Tr;
use leptos::prelude::*;
use leptos_meta::provide_meta_context;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{ParamSegment, SsrMode, WildcardSegment};

/// Every address renders the error page, in the frame of its language (`/fr/…` in French).
#[component]
pub fn ServerErrorApp() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <Routes fallback=ServerError>
                <ParentRoute path=ParamSegment("lang") view=Layout ssr=SsrMode::Async>
                    <Route path=WildcardSegment("any") view=ServerError ssr=SsrMode::Async />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

#[component]
pub fn ServerError() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::INTERNAL_SERVER_ERROR);
    }
    let locale = use_locale();
    let t = Tr(locale);
    view! {
        <PageHeading locale title=t.server_error_title() />
        <p class="mb-4">{t.server_error_body()}</p>
        <a class="inline-flex min-h-11 items-center underline" href=href(locale, "")>{t.nav_upcoming()}</a>
    }
}
