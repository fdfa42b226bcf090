//! Moderating the gratitude wall: the confirmed stories waiting for a decision (those reports
//! took off the wall say so), each approved or declined with a reason the author is told; and,
//! for a coordinator, which facilitators moderate too.

use super::{BUTTON, SECONDARY, WorkspaceError, WorkspaceNav};
use crate::api::gratitude::get_moderation;
use crate::components::PageHeading;
use crate::components::fields::{ErrorSummary, Submitted};
use crate::components::layout::{href, use_locale};
use crate::domain::gratitude::{DeclineReason, ModeratorChoice, WaitingStory};
use crate::i18n::{Locale, Tr};
use crate::pages::account::DoneNotice;
use crate::pages::gratitude::decline_reason_text;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ModerationPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let done = match use_query_map().read_untracked().get_str("done") {
        Some("approved") => Some(t.moderation_done_approved()),
        Some("declined") => Some(t.moderation_done_declined()),
        Some("moderators") => Some(t.moderation_done_moderators()),
        _ => None,
    };
    let moderation = Resource::new(|| (), |()| get_moderation());
    let failure = Submitted::<()>::from_context().failure;
    view! {
        <Meta name="robots" content="noindex" />
        <PageHeading locale title=t.moderation_title() />
        <Suspense>
            {move || {
                let failure = failure.clone();
                moderation.get().map(move |result| match result {
                Ok(moderation) => {
                    let coordinator = moderation.moderators.is_some();
                    view! {
                        <WorkspaceNav locale coordinator />
                        <DoneNotice text=done />
                        <ErrorSummary t errors=Vec::new() failure />
                        <p class="max-w-prose">{t.moderation_intro()} " "
                            <a class="inline-flex min-h-11 items-center underline" href=href(locale, "/gratitude")>{t.gratitude_title()}</a>
                        </p>
                        {if moderation.waiting.is_empty() {
                            view! { <p class="mt-4">{t.moderation_empty()}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="mt-4 max-w-3xl space-y-4">
                                    {moderation.waiting.into_iter().map(|waiting| view! { <Waiting locale waiting /> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        {moderation.moderators.map(|choices| view! { <Moderators locale choices /> })}
                    }
                    .into_any()
                }
                Err(error) => view! { <WorkspaceError error locale /> }.into_any(),
            })
            }}
        </Suspense>
    }
}

#[component]
fn Waiting(locale: Locale, waiting: WaitingStory) -> impl IntoView {
    let t = Tr(locale);
    let story = waiting.story;
    let reason_id = format!("reason-{}", story.id);
    let signature = story.signature.clone().unwrap_or_else(|| t.gratitude_a_colleague().to_string());
    let reported = (waiting.reports > 0).then(|| {
        view! { <p class="font-semibold text-rose-900 dark:text-rose-200">{t.moderation_reported(waiting.reports as i64)}</p> }
    });
    view! {
        <li class="rounded-lg border border-slate-300 p-4 dark:border-slate-700">
            {reported}
            <blockquote lang=story.language.as_str() class="whitespace-pre-line">{story.body}</blockquote>
            <p class="mt-2 text-sm">"— " {signature}</p>
            <div class="mt-3 flex flex-wrap items-end gap-4">
                <form method="post">
                    <input type="hidden" name="story" value=story.id />
                    <input type="hidden" name="decision" value="approve" />
                    <button type="submit" class=BUTTON>{t.moderation_approve()}</button>
                </form>
                <form method="post" class="flex flex-wrap items-end gap-2">
                    <input type="hidden" name="story" value=story.id />
                    <input type="hidden" name="decision" value="decline" />
                    <div>
                        <label class="block font-semibold" for=reason_id.clone()>{t.moderation_reason()}</label>
                        <select id=reason_id name="reason" required class="mt-1 min-h-11 rounded border border-slate-500 bg-white px-2 dark:bg-slate-900">
                            {DeclineReason::ALL
                                .into_iter()
                                .map(|reason| view! { <option value=reason.as_str()>{decline_reason_text(t, reason)}</option> })
                                .collect_view()}
                        </select>
                    </div>
                    <button type="submit" class=SECONDARY>{t.moderation_decline()}</button>
                </form>
            </div>
        </li>
    }
}

#[component]
fn Moderators(locale: Locale, choices: Vec<ModeratorChoice>) -> impl IntoView {
    let t = Tr(locale);
    view! {
        <section aria-labelledby="moderators" class="mt-8 max-w-3xl">
            <h2 id="moderators" class="mb-2 text-xl font-semibold">{t.moderation_moderators()}</h2>
            <p class="max-w-prose">{t.moderation_moderators_intro()}</p>
            {if choices.is_empty() {
                view! { <p class="mt-2">{t.moderation_no_facilitators()}</p> }.into_any()
            } else {
                view! {
                    <form method="post" class="mt-2 space-y-1">
                        <input type="hidden" name="decision" value="moderators" />
                        <fieldset>
                            <legend class="sr-only">{t.moderation_moderators()}</legend>
                            {choices.into_iter().map(|choice| view! {
                                <label class="flex min-h-11 items-center gap-3">
                                    <input type="checkbox" name="moderator" value=choice.account_id checked=choice.moderates class="h-5 w-5 accent-teal-800" />
                                    <span>{choice.name}</span>
                                </label>
                            }).collect_view()}
                        </fieldset>
                        <button type="submit" class=SECONDARY>{t.moderation_save_moderators()}</button>
                    </form>
                }.into_any()
            }}
        </section>
    }
}
