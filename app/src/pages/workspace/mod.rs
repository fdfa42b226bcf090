//! The workspace of facilitators and coordinators: their sessions, scheduling and changing
//! them, and (coordinators) facilitators and formats. Every page loads through server
//! functions that check the caller; a visitor who is not signed in is sent to sign in.

pub mod cohorts;
pub mod facilitators;
pub mod formats;
pub mod gratitude;
pub mod questions;
pub mod reports;
pub mod resources;
pub mod rounds;
pub mod session_edit;
pub mod session_new;
pub mod support;
pub mod survey;

use super::ErrorNotice;
use crate::api::account::who_am_i;
use crate::api::workspace::my_sessions;
use crate::components::PageHeading;
use crate::components::layout::{href, use_locale};
use crate::components::seats::SeatCount;
use crate::domain::access::Role;
use crate::domain::session::{SessionStatus, ends_at};
use crate::domain::zones::reference_time;
use crate::error::AppError;
use crate::i18n::{Locale, Tr};
use crate::model::{Offering, WorkspaceSession};
use crate::pages::account::DoneNotice;
use crate::timefmt;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::use_query_map;

pub(crate) const BUTTON: &str =
    "min-h-11 rounded bg-teal-800 px-4 font-semibold text-white hover:bg-teal-900";
pub(crate) const SECONDARY: &str = "min-h-11 rounded border-2 border-teal-800 px-4 font-semibold text-teal-900 hover:bg-teal-50 dark:text-teal-100 dark:hover:bg-teal-950";

/// Shows a workspace error; one that means "not signed in" sends the visitor to sign in and
/// back here afterwards.
#[component]
pub fn WorkspaceError(error: AppError, locale: Locale) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(error.status());
        if error == AppError::SignInRequired {
            let location = leptos_router::hooks::use_location();
            let here = format!("{}{}", location.pathname.get_untracked(), {
                let search = location.search.get_untracked();
                if search.is_empty() { String::new() } else { format!("?{search}") }
            });
            let target = format!("/{locale}/sign-in?next={}", crate::calendar_links::encode_component(&here));
            response.set_status(http::StatusCode::SEE_OTHER);
            if let Ok(value) = http::HeaderValue::from_str(&target) {
                response.insert_header(http::header::LOCATION, value);
            }
        }
    }
    view! { <ErrorNotice error locale /> }
}

/// The workspace's own navigation, and signing out.
#[component]
pub fn WorkspaceNav(locale: Locale, coordinator: bool) -> impl IntoView {
    let t = Tr(locale);
    let link = "min-h-11 inline-flex items-center underline";
    view! {
        <nav aria-label=t.workspace_nav() class="mb-6 flex flex-wrap items-center gap-x-5 gap-y-2 border-b border-slate-200 pb-3 dark:border-slate-700">
            <a class=link href=href(locale, "/workspace")>{t.workspace_sessions()}</a>
            <a class=link href=href(locale, "/workspace/sessions/new")>{t.workspace_schedule()}</a>
            <a class=link href=href(locale, "/workspace/groups")>{t.workspace_groups()}</a>
            <a class=link href=href(locale, "/workspace/cohorts")>{t.workspace_cohorts()}</a>
            <a class=link href=href(locale, "/workspace/reports")>{t.workspace_reports()}</a>
            <a class=link href=href(locale, "/workspace/gratitude")>{t.moderation_title()}</a>
            {coordinator.then(|| view! {
                <a class=link href=href(locale, "/workspace/rounds")>{t.workspace_rounds()}</a>
                <a class=link href=href(locale, "/workspace/facilitators")>{t.workspace_facilitators()}</a>
                <a class=link href=href(locale, "/workspace/formats")>{t.workspace_formats()}</a>
                <a class=link href=href(locale, "/workspace/support")>{t.support_lines_title()}</a>
                <a class=link href=href(locale, "/workspace/resources")>{t.resources_manage_title()}</a>
            })}
            <form method="post" action=href(locale, "/sign-out") class="ml-auto flex flex-wrap gap-2">
                <button type="submit" name="everywhere" value="no" class="min-h-11 underline">{t.workspace_sign_out()}</button>
                <button type="submit" name="everywhere" value="yes" class="min-h-11 underline">{t.workspace_sign_out_everywhere()}</button>
            </form>
        </nav>
    }
}

/// The caller's role, for the navigation; `None` while signed out.
pub(crate) fn role_resource() -> Resource<Result<Option<crate::model::CurrentUser>, AppError>> {
    Resource::new(|| (), |()| who_am_i())
}

#[component]
pub fn WorkspacePage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let done = match use_query_map().read_untracked().get_str("done") {
        Some("scheduled") => Some(t.workspace_done_scheduled()),
        Some("cancelled") => Some(t.workspace_done_cancelled()),
        _ => None,
    };
    let data = Resource::new(|| (), |()| async { (who_am_i().await, my_sessions().await) });
    view! {
        <Meta name="robots" content="noindex" />
        <PageHeading locale title=t.workspace_title() />
        <DoneNotice text=done />
        <Suspense>
            {move || data.get().map(|(user, sessions)| match (user, sessions) {
                (Ok(Some(user)), Ok(sessions)) => {
                    let coordinator = user.role == Role::Coordinator;
                    let now = chrono::Utc::now();
                    let (past, upcoming): (Vec<_>, Vec<_>) = sessions
                        .into_iter()
                        .partition(|s| ends_at(s.summary.starts_at, s.summary.duration_minutes).is_some_and(|end| end <= now));
                    view! {
                        <p class="mb-4 text-sm text-slate-700 dark:text-slate-300">
                            {t.workspace_signed_in_as(user.display_name.unwrap_or_else(|| user.email.clone()))}
                        </p>
                        <WorkspaceNav locale coordinator />
                        <h2 class="mb-2 text-xl font-semibold">{t.workspace_upcoming()}</h2>
                        <SessionTable sessions=upcoming locale coordinator />
                        <h2 class="mb-2 mt-8 text-xl font-semibold">{t.workspace_past()}</h2>
                        <SessionTable sessions=past.into_iter().rev().collect() locale coordinator />
                    }
                    .into_any()
                }
                (Ok(None), _) | (_, Err(AppError::SignInRequired)) => {
                    view! { <WorkspaceError error=AppError::SignInRequired locale /> }.into_any()
                }
                (Err(error), _) | (_, Err(error)) => view! { <WorkspaceError error locale /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn SessionTable(sessions: Vec<WorkspaceSession>, locale: Locale, coordinator: bool) -> impl IntoView {
    let t = Tr(locale);
    if sessions.is_empty() {
        return view! { <p class="text-slate-700 dark:text-slate-300">{t.workspace_none()}</p> }.into_any();
    }
    view! {
        <div class="overflow-x-auto">
            <table class="w-full text-left text-sm">
                <caption class="sr-only">{t.workspace_sessions()}</caption>
                <thead>
                    <tr class="border-b border-slate-300 dark:border-slate-600">
                        <th scope="col" class="py-2 pr-3">{t.workspace_col_when()}</th>
                        <th scope="col" class="py-2 pr-3">{t.workspace_col_session()}</th>
                        {coordinator.then(|| view! { <th scope="col" class="py-2 pr-3">{t.session_facilitator()}</th> })}
                        <th scope="col" class="py-2 pr-3">{t.workspace_col_seats()}</th>
                    </tr>
                </thead>
                <tbody>
                    {sessions
                        .into_iter()
                        .map(|item| {
                            let session = item.summary;
                            let start = reference_time(session.starts_at);
                            let when = timefmt::date_time(locale, start, timefmt::reference_zone_label(locale));
                            let (title, _) = session.title.pick(locale);
                            let cancelled = session.status == SessionStatus::Cancelled;
                            view! {
                                <tr class="border-b border-slate-200 align-top dark:border-slate-700">
                                    <td class="py-2 pr-3">{when}</td>
                                    <td class="py-2 pr-3">
                                        <a class="font-semibold underline" href=href(locale, &format!("/workspace/sessions/{}", session.id))>
                                            {title.to_string()}
                                        </a>
                                        {cancelled.then(|| view! { " (" {t.session_cancelled()} ")" })}
                                        {item.registration_closed.then(|| view! { " · " {t.workspace_closed()} })}
                                    </td>
                                    {coordinator.then(|| view! { <td class="py-2 pr-3">{session.facilitator_name.clone()}</td> })}
                                    <td class="py-2 pr-3">
                                        <SeatCount
                                            offering=Offering::Session(session.id)
                                            capacity=session.capacity
                                            seats_taken=session.seats_taken
                                            status=session.status
                                            locale
                                            waitlist_length=session.waitlist_length
                                        />
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
