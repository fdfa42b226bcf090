//! The frame of every page: skip link, header with navigation, the language toggle and the
//! "get support now" link, the page itself, and the footer.

use crate::i18n::{Locale, Tr};
use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_location, use_params_map};

/// The site's absolute address (`ROUNDS_PUBLIC_URL`), provided by the server to every page
/// for links that leave the site, such as "add to Google Calendar".
#[derive(Clone, Debug, Default)]
pub struct SiteUrl(pub String);

/// The language of the page being rendered, provided by [`Layout`].
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

/// A link to `path` (empty for the home page, otherwise starting with `/`) in a language.
pub fn href(locale: Locale, path: &str) -> String {
    format!("/{}{}", locale.as_str(), path)
}

#[component]
pub fn Layout() -> impl IntoView {
    let params = use_params_map();
    let location = use_location();
    let segment = params.read_untracked().get("lang").unwrap_or_default();
    let Ok(locale) = segment.parse::<Locale>() else {
        // `/about` or `/sessions/4`: not a language, so send the visitor to the same page in
        // the language their browser asks for.
        #[cfg(feature = "ssr")]
        redirect_to_negotiated_language(&location.pathname.get_untracked(), &location.search.get_untracked());
        return ().into_any();
    };
    provide_context(locale);
    let t = Tr(locale);

    let here = move || {
        let search = location.search.get();
        let path = location.pathname.get();
        if search.is_empty() { path } else { format!("{path}?{search}") }
    };
    let other = locale.other();
    let nav_link = "rounded px-2 py-2 underline-offset-4 hover:underline focus-visible:outline-2 min-h-11 inline-flex items-center";

    view! {
        <a
            href="#main"
            class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-4 focus:py-2 focus:text-teal-900"
        >
            {t.nav_skip()}
        </a>
        <header class="border-b border-slate-200 bg-teal-900 text-white dark:border-slate-800">
            <div class="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-2 px-4 py-3">
                <a href=href(locale, "") class="text-xl font-semibold tracking-tight min-h-11 inline-flex items-center">
                    {t.app_name()}
                </a>
                <div class="flex items-center gap-2">
                    <a
                        href=move || other.switch_path(&here())
                        hreflang=other.as_str()
                        lang=other.as_str()
                        class="rounded border border-white/60 px-3 py-2 text-sm min-h-11 inline-flex items-center hover:bg-white/10"
                    >
                        {Tr(other).nav_language_name()}
                    </a>
                    <a
                        href=href(locale, "/support")
                        class="rounded bg-rose-700 px-3 py-2 text-sm font-semibold text-white min-h-11 inline-flex items-center hover:bg-rose-800"
                    >
                        {t.nav_support()}
                    </a>
                </div>
            </div>
            <nav aria-label=t.nav_label() class="mx-auto max-w-5xl px-2 pb-2">
                <ul class="flex flex-wrap gap-x-1 text-sm">
                    <li><a class=nav_link href=href(locale, "")>{t.nav_upcoming()}</a></li>
                    <li><a class=nav_link href=href(locale, "/week")>{t.nav_week()}</a></li>
                    <li><a class=nav_link href=href(locale, "/month")>{t.nav_month()}</a></li>
                    <li><a class=nav_link href=href(locale, "/my-sessions")>{t.nav_my_sessions()}</a></li>
                    <li><a class=nav_link href=href(locale, "/programs")>{t.nav_programs()}</a></li>
                    <li><a class=nav_link href=href(locale, "/about")>{t.nav_about()}</a></li>
                    <li><a class=nav_link href=href(locale, "/faq")>{t.nav_faq()}</a></li>
                    <li><a class=nav_link href=href(locale, "/resources")>{t.resources_nav()}</a></li>
                    <li><a class=nav_link href=href(locale, "/rules")>{t.nav_rules()}</a></li>
                </ul>
            </nav>
        </header>
        <main id="main" tabindex="-1" class="mx-auto max-w-5xl px-4 py-6">
            // Inert (no text, nothing for a screen reader) unless the service worker serves this
            // page's copy without a connection: it then unwraps the template (worker.js).
            <template data-offline-notice="">
                <p role="status" class="mb-4 rounded border border-amber-700 bg-amber-50 p-3 font-semibold text-amber-950 dark:bg-amber-950 dark:text-amber-50">
                    {t.offline_notice()}
                </p>
            </template>
            <Outlet />
        </main>
        <footer class="mt-12 border-t border-slate-200 bg-slate-50 dark:border-slate-800 dark:bg-slate-900">
            <div class="mx-auto max-w-5xl space-y-2 px-4 py-6 text-sm text-slate-700 dark:text-slate-300">
                <p>{t.footer_about()}</p>
                <p>
                    {t.footer_not_crisis()} " "
                    <a class="font-semibold underline" href=href(locale, "/support")>{t.nav_support()}</a>
                </p>
                <p>
                    {t.footer_community()} " "
                    <a class="underline" href=href(locale, "/gratitude")>{t.gratitude_title()}</a>
                    " · "
                    <a class="underline" href=href(locale, "/resources")>{t.resources_title()}</a>
                </p>
                <p><a class="underline" href=href(locale, "/workspace")>{t.footer_workspace()}</a></p>
            </div>
        </footer>
    }
    .into_any()
}

#[cfg(feature = "ssr")]
fn redirect_to_negotiated_language(path: &str, search: &str) {
    let accept = use_context::<http::request::Parts>()
        .and_then(|parts| parts.headers.get(http::header::ACCEPT_LANGUAGE)?.to_str().ok().map(str::to_string))
        .unwrap_or_default();
    let locale = Locale::negotiate(&accept);
    let target = if search.is_empty() { path.to_string() } else { format!("{path}?{search}") };
    // A page request, never a server-function call: always a real redirect.
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::FOUND);
        if let Ok(location) = http::HeaderValue::from_str(&locale.switch_path(&target)) {
            response.insert_header(http::header::LOCATION, location);
        }
        response.insert_header(http::header::VARY, http::HeaderValue::from_static("accept-language"));
    }
}
