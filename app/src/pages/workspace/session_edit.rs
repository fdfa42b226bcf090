//! One session in the workspace: change it, close or reopen registration, cancel it, give it
//! to another facilitator (coordinators), and, for its own facilitator, the roster and a
//! message to everyone registered. Each action is a form posting to this page with an
//! `intent`.

use super::{BUTTON, SECONDARY, WorkspaceError, WorkspaceNav};
use crate::api::formats::list_formats;
use crate::api::workspace::{open_session, roster};
use crate::components::PageHeading;
use crate::components::fields::{ErrorSummary, SelectField, Submitted, TextArea, TextField};
use crate::components::layout::use_locale;
use crate::components::registration_form::{career_label, province_label};
use crate::components::seats::SeatCount;
use crate::components::session_card::SessionTime;
use crate::components::session_form::SessionFormFields;
use crate::domain::forms::Field;
use crate::domain::session::SessionStatus;
use crate::domain::session_form::SessionForm;
use crate::i18n::{Locale, Tr};
use crate::model::{Offering, RegistrationState, SessionEditor};
use crate::pages::account::DoneNotice;
use crate::timefmt;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The message form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct MessagePost {
    pub subject: String,
    pub body: String,
}

#[component]
pub fn EditSessionPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let id =
        use_params_map().read_untracked().get_str("id").and_then(|id| id.parse::<i32>().ok()).unwrap_or(0);
    let query = use_query_map().read_untracked();
    // Scheduling lands here; the notice then says when the session starts, as stored.
    let scheduled = query.get_str("done") == Some("scheduled");
    let done = match query.get_str("done") {
        Some("saved") => Some(t.workspace_done_saved()),
        Some("closed") => Some(t.workspace_done_closed()),
        Some("opened") => Some(t.workspace_done_opened()),
        Some("reassigned") => Some(t.workspace_done_reassigned()),
        Some("sent") => Some(t.workspace_done_sent()),
        _ => None,
    };
    let data = Resource::new(|| (), move |()| async move { (open_session(id).await, list_formats().await) });
    view! {
        <Meta name="robots" content="noindex" />
        <Suspense>
            {move || data.get().map(|(editor, formats)| match editor {
                Ok(editor) => view! {
                    <Editor editor formats=formats.unwrap_or_default() done scheduled />
                }
                .into_any(),
                Err(error) => view! {
                    <PageHeading locale title=t.workspace_title() />
                    <WorkspaceError error locale />
                }
                .into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Editor(
    editor: SessionEditor,
    formats: Vec<crate::model::FormatInfo>,
    done: Option<&'static str>,
    scheduled: bool,
) -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let session = editor.summary.clone();
    let cancelled = session.status == SessionStatus::Cancelled;
    let coordinator = !editor.facilitators.is_empty();
    let submitted = Submitted::<SessionForm>::from_context();
    let form_values = if submitted.errors.is_empty() && submitted.failure.is_none() {
        editor.form.clone()
    } else {
        submitted.values.clone()
    };
    let (title, _) = session.title.pick(locale);
    let done = if scheduled {
        Some(t.workspace_done_scheduled_from(timefmt::in_eastern(locale, session.starts_at)))
    } else {
        done.map(str::to_string)
    };
    let section = "mt-8 max-w-3xl rounded-lg border border-slate-300 p-4 dark:border-slate-700";
    view! {
        <PageHeading locale title=title.to_string() />
        <WorkspaceNav locale coordinator />
        <DoneNotice text=done />
        <dl class="mb-6 grid gap-x-4 gap-y-2 sm:grid-cols-[max-content_1fr]">
            <dt class="font-semibold">{t.session_when()}</dt>
            <dd><SessionTime starts_at=session.starts_at duration_minutes=session.duration_minutes locale /></dd>
            <dt class="font-semibold">{t.session_seats()}</dt>
            <dd>
                <SeatCount offering=Offering::Session(session.id) capacity=session.capacity seats_taken=session.seats_taken
                    status=session.status locale waitlist_length=session.waitlist_length />
            </dd>
            <dt class="font-semibold">{t.workspace_registration()}</dt>
            <dd>{if editor.registration_closed { t.workspace_closed() } else { t.workspace_open() }}</dd>
        </dl>
        {if cancelled {
            view! { <p role="status" class="font-semibold">{t.workspace_is_cancelled()}</p> }.into_any()
        } else {
            view! {
                <section class=section aria-labelledby="edit-heading">
                    <h2 id="edit-heading" class="mb-2 text-xl font-semibold">{t.workspace_edit()}</h2>
                    <p class="mb-4 text-sm text-slate-700 dark:text-slate-300">{t.workspace_edit_hint()}</p>
                    <form method="post" novalidate>
                        <input type="hidden" name="intent" value="update" />
                        <SessionFormFields locale values=form_values errors=submitted.errors.clone()
                            failure=submitted.failure.clone() formats repeat=false />
                        <button type="submit" class=format!("{BUTTON} mt-6")>{t.workspace_save()}</button>
                    </form>
                </section>
                <section class=section aria-labelledby="registration-heading">
                    <h2 id="registration-heading" class="mb-2 text-xl font-semibold">{t.workspace_registration()}</h2>
                    <form method="post">
                        <input type="hidden" name="intent" value=if editor.registration_closed { "open" } else { "close" } />
                        <button type="submit" class=SECONDARY>
                            {if editor.registration_closed { t.workspace_reopen() } else { t.workspace_close() }}
                        </button>
                    </form>
                </section>
                {coordinator.then(|| view! { <Reassign editor=editor.clone() /> })}
                <section class=section aria-labelledby="cancel-heading">
                    <h2 id="cancel-heading" class="mb-2 text-xl font-semibold">{t.workspace_cancel()}</h2>
                    <form method="post" class="space-y-3">
                        <input type="hidden" name="intent" value="cancel" />
                        <label class="flex min-h-11 items-center gap-3">
                            <input type="checkbox" name="confirm" value="yes" required class="mt-1 h-6 w-6 shrink-0 accent-rose-800" />
                            <span>{t.workspace_cancel_confirm()}</span>
                        </label>
                        <button type="submit" class="min-h-11 rounded bg-rose-800 px-4 font-semibold text-white hover:bg-rose-900">
                            {t.workspace_cancel_button()}
                        </button>
                    </form>
                </section>
            }
            .into_any()
        }}
        {editor.roster_visible.then(|| view! { <Roster id=session.id locale /> })}
    }
}

#[component]
fn Reassign(editor: SessionEditor) -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let options = editor.facilitators.iter().map(|f| (f.id.to_string(), f.display_name.clone())).collect();
    view! {
        <section class="mt-8 max-w-3xl rounded-lg border border-slate-300 p-4 dark:border-slate-700" aria-labelledby="reassign-heading">
            <h2 id="reassign-heading" class="mb-2 text-xl font-semibold">{t.workspace_reassign()}</h2>
            <form method="post" class="flex flex-wrap items-end gap-3">
                <input type="hidden" name="intent" value="reassign" />
                <SelectField t label=t.session_facilitator() name="facilitator_id" field=Field::Name options
                    selected=editor.facilitator_id.to_string() />
                <button type="submit" class=SECONDARY>{t.workspace_reassign_button()}</button>
            </form>
        </section>
    }
}

#[component]
fn Roster(id: i32, locale: Locale) -> impl IntoView {
    let t = Tr(locale);
    let people = Resource::new(|| (), move |()| roster(id));
    let submitted = Submitted::<MessagePost>::from_context();
    view! {
        <section class="mt-8 max-w-3xl rounded-lg border border-slate-300 p-4 dark:border-slate-700" aria-labelledby="roster-heading">
            <h2 id="roster-heading" class="mb-2 text-xl font-semibold">{t.workspace_roster()}</h2>
            <p class="mb-3 text-sm text-slate-700 dark:text-slate-300">{t.workspace_roster_hint()}</p>
            <Suspense>
                {move || people.get().map(|people| match people {
                    Ok(people) if people.is_empty() => view! { <p>{t.workspace_roster_empty()}</p> }.into_any(),
                    Ok(people) => view! { <RosterTable locale people /> }
                    .into_any(),
                    Err(error) => view! { <WorkspaceError error locale /> }.into_any(),
                })}
            </Suspense>
            <h3 class="mb-2 mt-6 text-lg font-semibold">{t.workspace_message()}</h3>
            <ErrorSummary t errors=submitted.errors.clone() failure=submitted.failure.clone() />
            <form method="post" class="space-y-3" novalidate>
                <input type="hidden" name="intent" value="message" />
                <TextField t label=t.workspace_message_subject() name="subject" field=Field::Subject
                    value=submitted.values.subject.clone() errors=submitted.errors.clone() />
                <TextArea t label=t.workspace_message_body() name="body" field=Field::Body
                    value=submitted.values.body.clone() errors=submitted.errors.clone() />
                <button type="submit" class=SECONDARY>{t.workspace_message_send()}</button>
            </form>
        </section>
    }
}

/// Who holds a seat and who waits, in order: for the facilitator of a session or a cohort.
#[component]
pub(crate) fn RosterTable(locale: Locale, people: Vec<crate::model::RosterEntry>) -> impl IntoView {
    let t = Tr(locale);
    view! {
        <div class="overflow-x-auto">
            <table class="w-full text-left text-sm">
                <thead>
                    <tr class="border-b border-slate-300 dark:border-slate-600">
                        <th scope="col" class="py-2 pr-3">{t.register_name()}</th>
                        <th scope="col" class="py-2 pr-3">{t.register_email()}</th>
                        <th scope="col" class="py-2 pr-3">{t.register_career_stage()}</th>
                        <th scope="col" class="py-2 pr-3">{t.register_province()}</th>
                        <th scope="col" class="py-2 pr-3">{t.workspace_col_status()}</th>
                    </tr>
                </thead>
                <tbody>
                    {people.into_iter().map(|person| view! {
                        <tr class="border-b border-slate-200 dark:border-slate-700">
                            <td class="py-2 pr-3">{person.name}</td>
                            <td class="py-2 pr-3">{person.email}</td>
                            <td class="py-2 pr-3">{career_label(t, person.career_stage)}</td>
                            <td class="py-2 pr-3">{province_label(t, person.province)}</td>
                            <td class="py-2 pr-3">{match person.state {
                                RegistrationState::Waitlisted(position) => t.workspace_waiting(position),
                                _ => t.workspace_has_seat().to_string(),
                            }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
