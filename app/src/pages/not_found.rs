//! The pages for a request that cannot be answered as asked: an address that leads nowhere,
//! and a page that failed to render (see `server_error`). One frame, one sentence, a way on.

use crate::components::PageHeading;
use crate::components::layout::{href, use_locale};
use crate::i18n::Tr;
use leptos::prelude::*;

/// What went wrong, as the page tells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageProblem {
    NotFound,
    ServerError,
}

#[component]
pub fn ProblemPage(problem: PageProblem) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(match problem {
            PageProblem::NotFound => http::StatusCode::NOT_FOUND,
            PageProblem::ServerError => http::StatusCode::INTERNAL_SERVER_ERROR,
        });
    }
    let locale = use_locale();
    let t = Tr(locale);
    let (title, body) = match problem {
        PageProblem::NotFound => (t.not_found_title(), t.not_found_body()),
        PageProblem::ServerError => (t.server_error_title(), t.server_error_body()),
    };
    view! {
        <PageHeading locale title />
        <p class="mb-4">{body}</p>
        <a class="inline-flex min-h-11 items-center underline" href=href(locale, "")>{t.nav_upcoming()}</a>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    view! { <ProblemPage problem=PageProblem::NotFound /> }
}
