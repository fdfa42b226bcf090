//! Rounds: the pages, components, server functions, domain rules and shared types of the
//! peer-support calendar. Compiled twice: with `ssr` into the server, with `hydrate` into the
//! browser bundle, where only the `#[island]` components run.

#![recursion_limit = "512"]

pub mod api;
pub mod calendar_links;
pub mod components;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
pub mod timefmt;

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{ParamSegment, SsrMode, StaticSegment, path};

/// The header's teal, also the browser toolbar's and the installed app's title bar colour.
pub const THEME_COLOUR: &str = "#134e4a";

/// The HTML document around every page. `<html lang>` follows the language in the URL.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    document(options, App)
}

/// The same document around the error page, for a request whose own page failed to render.
pub fn error_shell(options: LeptosOptions) -> impl IntoView {
    document(options, pages::server_error::ServerErrorApp)
}

fn document<V: IntoView + 'static>(options: LeptosOptions, body: fn() -> V) -> impl IntoView {
    let locale = request_locale();
    let lang = locale.as_str();
    #[cfg(feature = "ssr")]
    send_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <meta name="theme-color" content=THEME_COLOUR />
                <meta name="description" content=i18n::Tr(locale).app_description() />
                <HashedStylesheet options=options.clone() />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="apple-touch-icon" href="/icons/icon-192.png" />
                <link rel="manifest" href=format!("/{lang}/manifest.webmanifest") />
                <IslandScripts options=options.clone() />
                <MetaTags />
            </head>
            <body class="min-h-screen bg-white text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
                {body()}
            </body>
        </html>
    }
}

/// Starts the bundle (`island_start.js`) in place of Leptos's `HydrationScripts`, which
/// preloads it beside the page's text and wakes every island of the page in one long task.
/// The script picks the light build when the page holds only its islands.
#[component]
fn IslandScripts(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        // Only islands are hydrated: the rest of the page needs no hydration markers.
        if let Some(context) = Owner::current_shared_context() {
            context.set_is_hydrating(false);
        }
        let bundle = server::bundle::Bundle::current(&options);
        let start = format!(
            "({})({:?}, {:?}, {:?}, {:?});",
            island_start_without_comments(),
            [&bundle.full.js, &bundle.full.wasm],
            [&bundle.light.js, &bundle.light.wasm],
            components::LIGHT_ISLANDS,
            components::WAKE_WHEN_SEEN
        );
        view! { <script type="module" nonce=leptos::nonce::use_nonce()>{start}</script> }
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = options;
    }
}

/// The start script as every page carries it: its comments are for readers of the source,
/// not worth their bytes in each response.
#[cfg(feature = "ssr")]
fn island_start_without_comments() -> &'static str {
    static SCRIPT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SCRIPT.get_or_init(|| {
        include_str!("island_start.js")
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string()
    })
}

/// The page's policy names the nonce Leptos gave this response's inline hydration script.
#[cfg(feature = "ssr")]
fn send_content_security_policy() {
    let nonce = leptos::nonce::use_nonce().map(|nonce| nonce.to_string());
    let inline = nonce
        .as_deref()
        .map_or(server::security::InlineScripts::None, server::security::InlineScripts::Nonce);
    let policy = server::security::content_security_policy(inline);
    if let (Some(response), Ok(policy)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(&policy))
    {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, policy);
    }
}

/// The language of the current request, from its path; English outside a language prefix.
fn request_locale() -> i18n::Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| i18n::Locale::from_path(parts.uri.path()))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        i18n::Locale::default()
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Every page waits for its data before the first byte (`SsrMode::Async`), so the HTML is
    // complete without JavaScript: no streamed placeholders to swap in.
    view! {
        <Router>
            <Routes fallback=pages::not_found::NotFound>
                <ParentRoute path=ParamSegment("lang") view=components::layout::Layout ssr=SsrMode::Async>
                    <Route path=StaticSegment("") view=pages::upcoming::UpcomingPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("week") view=pages::week::WeekPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("month") view=pages::month::MonthPage ssr=SsrMode::Async />
                    <Route path=path!("sessions/:id") view=pages::session::SessionPage ssr=SsrMode::Async />
                    <Route path=path!("registrations/:token") view=pages::registration::RegistrationPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("programs") view=pages::programs::ProgramsPage ssr=SsrMode::Async />
                    <Route path=path!("rounds/:id") view=pages::rounds::RoundPage ssr=SsrMode::Async />
                    <Route path=path!("rounds/:id/draw") view=pages::rounds::DrawPage ssr=SsrMode::Async />
                    <Route path=path!("applications/:token") view=pages::rounds::ApplicationPage ssr=SsrMode::Async />
                    <Route path=path!("cohorts/:id") view=pages::cohorts::CohortPage ssr=SsrMode::Async />
                    <Route path=path!("cohort-registrations/:token") view=pages::cohorts::CohortRegistrationPage ssr=SsrMode::Async />
                    <Route path=path!("evaluations/:token") view=pages::evaluation::EvaluationPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("my-sessions") view=pages::my_sessions::MySessionsPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("about") view=pages::about::AboutPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("faq") view=pages::faq::FaqPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("rules") view=pages::rules::RulesPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("support") view=pages::support::SupportPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("gratitude") view=pages::gratitude::GratitudeWallPage ssr=SsrMode::Async />
                    <Route path=path!("gratitude/share") view=pages::gratitude::ShareStoryPage ssr=SsrMode::Async />
                    <Route path=path!("gratitude/story/:token") view=pages::gratitude::OwnStoryPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("resources") view=pages::resources::ResourcesPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("sign-in") view=pages::account::SignInPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("forgot-password") view=pages::account::ForgotPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("reset-password/:token") view=pages::account::ResetPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("invitation/:token") view=pages::account::InvitationPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("workspace") view=pages::workspace::WorkspacePage ssr=SsrMode::Async />
                    <Route path=path!("workspace/sessions/new") view=pages::workspace::session_new::NewSessionPage ssr=SsrMode::Async />
                    <Route path=path!("workspace/sessions/:id") view=pages::workspace::session_edit::EditSessionPage ssr=SsrMode::Async />
                    <Route path=path!("workspace/facilitators") view=pages::workspace::facilitators::FacilitatorsPage ssr=SsrMode::Async />
                    <Route path=path!("workspace/rounds") view=pages::workspace::rounds::RoundsPage ssr=SsrMode::Async />
                    <Route path=path!("workspace/rounds/:id") view=pages::workspace::rounds::RoundAdminPage ssr=SsrMode::Async />
                    <Route path=path!("workspace/rounds/:id/survey") view=pages::workspace::survey::SurveyPage ssr=SsrMode::Async />
                    <Route path=path!("workspace/support") view=pages::workspace::support::SupportLinesPage ssr=SsrMode::Async />
                    <Route path=path!("workspace/gratitude") view=pages::workspace::gratitude::ModerationPage ssr=SsrMode::Async />
                    <Route path=path!("workspace/resources") view=pages::workspace::resources::ResourcesAdminPage ssr=SsrMode::Async />
                    <Route path=path!("workspace/groups") view=pages::workspace::rounds::MyGroupsPage ssr=SsrMode::Async />
                    <Route path=path!("workspace/cohorts") view=pages::workspace::cohorts::CohortsPage ssr=SsrMode::Async />
                    <Route path=path!("workspace/cohorts/:id") view=pages::workspace::cohorts::CohortAdminPage ssr=SsrMode::Async />
                    <Route path=path!("workspace/formats") view=pages::workspace::formats::FormatsPage ssr=SsrMode::Async />
                    <Route path=path!("workspace/reports") view=pages::workspace::reports::ReportsPage ssr=SsrMode::Async />
                    <Route path=path!("workspace/formats/:id/questions") view=pages::workspace::questions::QuestionsPage ssr=SsrMode::Async />
                    <Route path=path!("*any") view=pages::not_found::NotFound ssr=SsrMode::Async />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
