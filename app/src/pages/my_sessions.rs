//! "My sessions": the registrations made on this device, with no account (see
//! `components::device_sessions`).

use crate::components::PageHeading;
use crate::components::device_sessions::DeviceSessions;
use crate::components::layout::use_locale;
use crate::i18n::Tr;
use leptos::prelude::*;

#[component]
pub fn MySessionsPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    view! {
        <PageHeading locale title=t.device_title() />
        <p class="mb-6 max-w-prose text-slate-700 dark:text-slate-300">{t.device_intro()}</p>
        <noscript>
            <p class="max-w-prose">{t.device_needs_javascript()}</p>
        </noscript>
        <DeviceSessions locale />
    }
}
