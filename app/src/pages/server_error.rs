//! The page a request answers when its own page failed to render (the server caught a panic):
//! the site's frame and a sentence in the page's language, never a cut-off connection.

use super::not_found::{PageProblem, ProblemPage};
use crate::components::layout::Layout;
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
    view! { <ProblemPage problem=PageProblem::ServerError /> }
}
