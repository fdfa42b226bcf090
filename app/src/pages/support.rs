//! Where to turn right now. It leads with what to do at once (911, the 9-8-8 crisis line, the
//! program's wellness line), each a link a thumb can tap to call or text, then the directory
//! coordinators keep, with the viewer's province or territory first (chosen once, remembered on
//! the device by a cookie, so it works without JavaScript). Linked from every page, and kept by
//! the service worker from installation so it opens without a connection.

use crate::api::support::get_support_directory;
use crate::components::PageHeading;
use crate::components::layout::use_locale;
use crate::components::registration_form::province_label;
use crate::domain::registration::Province;
use crate::domain::session::SessionLanguage;
use crate::domain::support::{SupportLine, for_viewer, tel_href};
use crate::i18n::{Locale, Tr};
use crate::model::{Contacts, SupportDirectory};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The cookie that remembers the viewer's province or territory on this device.
pub const PROVINCE_COOKIE: &str = "rounds_province";

const CALL: &str = "inline-flex min-h-12 min-w-12 items-center rounded bg-teal-800 px-5 text-lg font-semibold text-white hover:bg-teal-900";
const TEXT: &str = "inline-flex min-h-12 min-w-12 items-center rounded border-2 border-teal-800 px-5 text-lg font-semibold dark:border-teal-300";
const CARD: &str = "rounded-lg border border-slate-200 p-4 dark:border-slate-700";

/// The province the page is asked for (`?province=ON`, remembered from then on), or the one
/// remembered; an empty choice forgets it.
fn viewer_province() -> Option<Province> {
    let asked = use_query_map().read_untracked().get("province");
    #[cfg(feature = "ssr")]
    let asked = match asked {
        Some(code) => {
            remember(&code);
            Some(code)
        }
        None => remembered(),
    };
    asked.and_then(|code| code.parse().ok())
}

#[cfg(feature = "ssr")]
fn remembered() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    parts.headers.get_all(http::header::COOKIE).iter().filter_map(|value| value.to_str().ok()).find_map(
        |cookies| {
            cookies.split(';').find_map(|cookie| {
                let (name, value) = cookie.trim().split_once('=')?;
                (name == PROVINCE_COOKIE).then(|| value.to_string())
            })
        },
    )
}

#[cfg(feature = "ssr")]
fn remember(code: &str) {
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else { return };
    let cookie = match code.parse::<Province>() {
        Ok(province) => format!(
            "{PROVINCE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
            province.as_str()
        ),
        Err(()) => format!("{PROVINCE_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax; HttpOnly"),
    };
    if let Ok(value) = http::HeaderValue::from_str(&cookie) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

#[component]
pub fn SupportPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let province = viewer_province();
    let directory = Resource::new(|| (), |()| get_support_directory());
    view! {
        <PageHeading locale title=t.support_title() />
        <div class="max-w-prose space-y-4">
            <p>{t.support_intro()}</p>
            <Suspense>
                {move || directory.get().map(|directory| match directory {
                    Ok(directory) => view! { <Support locale directory province /> }.into_any(),
                    // The crisis lines never depend on the database.
                    Err(_) => view! { <RightNow locale contacts=Contacts::default() /> }.into_any(),
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Support(locale: Locale, directory: SupportDirectory, province: Option<Province>) -> impl IntoView {
    let t = Tr(locale);
    let sections = for_viewer(&directory.lines, province);
    let contacts = directory.contacts;
    view! {
        <RightNow locale contacts=contacts.clone() />
        <section aria-labelledby="directory" class="space-y-4">
            <h2 id="directory" class="text-xl font-semibold">{t.support_programs_title()}</h2>
            <p>{t.support_programs_intro()}</p>
            <form method="get" class="flex flex-wrap items-end gap-3">
                <div>
                    <label for="support-province" class="block font-medium">{t.support_your_province()}</label>
                    <select id="support-province" name="province" class="min-h-11 rounded border border-slate-500 bg-white px-3 dark:bg-slate-900">
                        <option value="">{t.support_no_province()}</option>
                        {Province::ALL.into_iter().map(|option| view! {
                            <option value=option.as_str() selected=province == Some(option)>{province_label(t, option)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="min-h-11 rounded border border-teal-800 px-4 font-semibold dark:border-teal-300">{t.support_show_first()}</button>
            </form>
            {sections.into_iter().map(|(area, lines)| {
                let heading = area.map_or_else(|| t.support_national_lines().to_string(), |area| province_label(t, area).to_string());
                view! {
                    <section class="space-y-3">
                        <h3 class="text-lg font-semibold">{heading}</h3>
                        {lines.into_iter().map(|line| view! { <Line locale line /> }).collect_view()}
                    </section>
                }
            }).collect_view()}
        </section>
        {(contacts.sessions_email.is_some() || contacts.help_email.is_some()).then(|| view! {
            <section aria-labelledby="contact" class=CARD>
                <h2 id="contact" class="text-xl font-semibold">{t.support_contact_title()}</h2>
                <ContactAddresses locale contacts />
            </section>
        })}
    }
}

/// What to do right now: lead the page, whatever the directory holds.
#[component]
fn RightNow(locale: Locale, contacts: Contacts) -> impl IntoView {
    let t = Tr(locale);
    view! {
        <section aria-labelledby="right-now" class="space-y-4 rounded-lg border-2 border-rose-700 p-4">
            <h2 id="right-now" class="text-xl font-semibold">{t.support_right_now()}</h2>
            <div>
                <h3 class="font-semibold">{t.support_emergency_title()}</h3>
                <p>{t.support_emergency()}</p>
                <p class="mt-2"><a class=CALL href="tel:911">{t.support_call_911()}</a></p>
            </div>
            <div>
                <h3 class="font-semibold">{t.support_crisis_title()}</h3>
                <p>{t.support_crisis()}</p>
                <p class="mt-2 flex flex-wrap gap-3">
                    <a class=CALL href="tel:988">{t.support_call()}</a>
                    <a class=TEXT href="sms:988">{t.support_text()}</a>
                </p>
            </div>
            {contacts.wellness_line.map(|phone| view! {
                <div>
                    <h3 class="font-semibold">{t.support_national_title()}</h3>
                    <p>{t.support_national()}</p>
                    <p class="mt-2"><a class=CALL href=tel_href(&phone)>{t.support_call_number(&phone)}</a></p>
                    {contacts.wellness_line_example.then(|| view! { <p class="mt-1 text-sm font-medium">{t.support_example_number()}</p> })}
                </div>
            })}
        </section>
    }
}

#[component]
fn Line(locale: Locale, line: SupportLine) -> impl IntoView {
    let t = Tr(locale);
    let (name, hours) = match locale {
        Locale::En => (line.name.0, line.hours.0),
        Locale::Fr => (line.name.1, line.hours.1),
    };
    let languages = match line.languages {
        SessionLanguage::En => t.support_in_english(),
        SessionLanguage::Fr => t.support_in_french(),
        SessionLanguage::Bilingual => t.support_in_both(),
    };
    view! {
        <article class=CARD>
            <h4 class="font-semibold">{name}</h4>
            {line.example.then(|| view! { <p class="text-sm font-medium">{t.support_example_entry()}</p> })}
            <p class="mt-1">{hours} " · " {languages}</p>
            <p class="mt-2 flex flex-wrap gap-3">
                <a class=CALL href=tel_href(&line.phone)>{t.support_call_number(&line.phone)}</a>
                {line.website.map(|site| view! {
                    <a class="inline-flex min-h-11 items-center underline" href=site rel="noopener noreferrer">{t.support_website()}</a>
                })}
            </p>
        </article>
    }
}

/// The site's contact addresses, as mail links (also on the FAQ).
#[component]
pub fn ContactAddresses(locale: Locale, contacts: Contacts) -> impl IntoView {
    let t = Tr(locale);
    let address = |label: &'static str, email: Option<String>| {
        email.map(|email| {
            view! {
                <p>{label} " "<a class="inline-flex min-h-11 items-center underline" href=format!("mailto:{email}")>{email.clone()}</a></p>
            }
        })
    };
    view! {
        {address(t.support_sessions_contact(), contacts.sessions_email)}
        {address(t.support_help_contact(), contacts.help_email)}
    }
}
