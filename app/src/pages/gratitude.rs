//! The gratitude wall: stories physicians and learners share, once a moderator approved them,
//! newest first, in either language or both; the form to share one; and the author's private
//! page, where the address is confirmed and the story withdrawn. Every form posts without
//! JavaScript.

use super::ErrorNotice;
use super::account::DoneNotice;
use super::workspace::{BUTTON, SECONDARY};
use crate::api::gratitude::{get_own_story, get_wall};
use crate::components::PageHeading;
use crate::components::fields::{
    CheckboxField, ErrorSummary, RadioGroup, SelectField, Submitted, TextArea, TextField,
};
use crate::components::layout::{href, use_locale};
use crate::domain::forms::Field;
use crate::domain::gratitude::{DeclineReason, MAX_STORY, ShownAs, Story, StoryForm, StoryStatus, WallPage};
use crate::domain::zones::reference_time;
use crate::i18n::{Locale, Tr};
use crate::timefmt;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::{use_params_map, use_query_map};

const LINK_BUTTON: &str =
    "inline-flex min-h-11 items-center rounded bg-teal-800 px-4 font-semibold text-white hover:bg-teal-900";
const PAGE_LINK: &str = "inline-flex min-h-11 min-w-11 items-center underline";

/// The language a wall's address asks for: "en", "fr", or both.
fn language_filter(asked: Option<String>) -> Option<Locale> {
    asked.and_then(|language| language.parse().ok())
}

#[component]
pub fn GratitudeWallPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let query = use_query_map().read_untracked();
    let language = language_filter(query.get("language"));
    let page = query.get("page");
    let reported = query.get_str("reported").is_some();
    drop(query);
    let failure = Submitted::<()>::from_context().failure;
    let wall =
        Resource::new(|| (), move |()| get_wall(language.map(|l| l.as_str().to_string()), page.clone()));
    let languages = vec![
        (String::new(), t.gratitude_both_languages().to_string()),
        ("en".to_string(), t.language_en().to_string()),
        ("fr".to_string(), t.language_fr().to_string()),
    ];
    view! {
        <PageHeading locale title=t.gratitude_title() />
        <DoneNotice text=reported.then(|| t.gratitude_reported()) />
        <ErrorSummary t errors=Vec::new() failure />
        <p class="max-w-prose">{t.gratitude_intro()}</p>
        <p class="mt-3"><a class=LINK_BUTTON href=href(locale, "/gratitude/share")>{t.gratitude_share()}</a></p>
        <form method="get" class="mt-4 flex flex-wrap items-end gap-3">
            <SelectField t label=t.gratitude_language_filter() name="language" field=Field::Language options=languages selected=language.map(|l| l.as_str().to_string()).unwrap_or_default() />
            <button type="submit" class=SECONDARY>{t.gratitude_show()}</button>
        </form>
        <Suspense>
            {move || wall.get().map(|result| match result {
                Ok(wall) => view! { <Stories locale wall language /> }.into_any(),
                Err(error) => view! { <ErrorNotice error locale /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Stories(locale: Locale, wall: WallPage, language: Option<Locale>) -> impl IntoView {
    let t = Tr(locale);
    let page_href = move |page: u64| {
        let mut query = vec![format!("page={page}")];
        if let Some(language) = language {
            query.insert(0, format!("language={language}"));
        }
        href(locale, &format!("/gratitude?{}", query.join("&")))
    };
    let previous = (wall.page > 1).then(|| {
        view! { <a class=PAGE_LINK rel="prev" href=page_href(wall.page - 1)>{t.gratitude_newer()}</a> }
    });
    let next = wall.more.then(|| {
        view! { <a class=PAGE_LINK rel="next" href=page_href(wall.page + 1)>{t.gratitude_older()}</a> }
    });
    if wall.stories.is_empty() {
        return view! { <p class="mt-6">{t.gratitude_empty()}</p> }.into_any();
    }
    view! {
        <ul class="mt-6 max-w-3xl space-y-4">
            {wall.stories.into_iter().map(|story| view! { <StoryCard locale story /> }).collect_view()}
        </ul>
        <nav aria-label=t.gratitude_pages() class="mt-6 flex gap-6">{previous} {next}</nav>
    }
    .into_any()
}

#[component]
fn StoryCard(locale: Locale, story: Story) -> impl IntoView {
    let t = Tr(locale);
    let signature = story.signature.clone().unwrap_or_else(|| t.gratitude_a_colleague().to_string());
    let published = story.published_at.map(|at| timefmt::date(locale, reference_time(at).date()));
    let byline = format!("story-{}", story.id);
    let labelled_by = byline.clone();
    view! {
        <li class="rounded-lg border border-slate-200 p-4 dark:border-slate-700">
            <article aria-labelledby=labelled_by>
                <blockquote lang=story.language.as_str() class="whitespace-pre-line">{story.body}</blockquote>
                <p id=byline class="mt-2 text-sm font-semibold">"— " {signature} {published.map(|date| format!(", {date}"))}</p>
                <form method="post" action=href(locale, &format!("/gratitude/{}/report", story.id)) class="mt-2">
                    <button type="submit" class="min-h-11 text-sm underline">{t.gratitude_report()}</button>
                </form>
            </article>
        </li>
    }
}

#[component]
pub fn ShareStoryPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let sent = use_query_map().read_untracked().get_str("sent").is_some();
    let submitted = Submitted::<StoryForm>::from_context();
    view! {
        <Meta name="robots" content="noindex" />
        <PageHeading locale title=t.gratitude_share() />
        {if sent {
            view! { <DoneNotice text=Some(t.gratitude_check_email()) /> }.into_any()
        } else {
            view! { <ShareForm locale submitted /> }.into_any()
        }}
    }
}

#[component]
fn ShareForm(locale: Locale, submitted: Submitted<StoryForm>) -> impl IntoView {
    let t = Tr(locale);
    let values = submitted.values;
    let e = || submitted.errors.clone();
    let language =
        if values.language.is_empty() { locale.as_str().to_string() } else { values.language.clone() };
    let shown_as = if values.shown_as.is_empty() {
        ShownAs::FirstName.as_str().to_string()
    } else {
        values.shown_as.clone()
    };
    let shown_options = ShownAs::ALL
        .into_iter()
        .map(|shown| {
            let label = match shown {
                ShownAs::FirstName => t.gratitude_shown_first_name(),
                ShownAs::Initials => t.gratitude_shown_initials(),
                ShownAs::Colleague => t.gratitude_shown_colleague(),
            };
            (shown.as_str().to_string(), label.to_string())
        })
        .collect::<Vec<_>>();
    let languages = vec![
        ("en".to_string(), t.language_en().to_string()),
        ("fr".to_string(), t.language_fr().to_string()),
    ];
    view! {
        <p class="max-w-prose">{t.gratitude_share_intro()}</p>
        <p class="mt-3 max-w-prose rounded border border-amber-700 bg-amber-50 p-3 text-amber-950 dark:bg-amber-950 dark:text-amber-50">
            <strong>{t.gratitude_privacy_reminder()}</strong>
        </p>
        <ErrorSummary t errors=e() failure=submitted.failure.clone() />
        <form method="post" class="mt-4 max-w-2xl space-y-4" novalidate>
            <div>
                <TextArea t label=t.gratitude_story_field() name="story" field=Field::Story value=values.story.clone() errors=e() />
                <p class="mt-1 text-sm text-slate-700 dark:text-slate-300">{t.gratitude_story_hint(MAX_STORY.to_string())}</p>
            </div>
            <SelectField t label=t.gratitude_story_language() name="language" field=Field::Language options=languages selected=language errors=e() />
            <RadioGroup t legend=t.gratitude_shown_as() name="shown_as" field=Field::ShownAs options=shown_options selected=shown_as errors=e() />
            <TextField t label=t.gratitude_name() name="name" field=Field::Name value=values.name.clone() errors=e() autocomplete="name" hint=t.gratitude_name_hint() />
            <TextField t label=t.gratitude_email() name="email" field=Field::Email kind="email" value=values.email.clone() errors=e() autocomplete="email" hint=t.gratitude_email_hint() />
            <CheckboxField t label=t.gratitude_eligible() name="eligible" field=Field::Colleague checked=values.eligible == "yes" errors=e() />
            <div>
                <CheckboxField t label=t.gratitude_rules() name="rules" field=Field::Rules checked=values.rules == "yes" errors=e() />
                <a class="inline-flex min-h-11 items-center underline" href=href(locale, "/rules")>{t.nav_rules()}</a>
            </div>
            <button type="submit" class=BUTTON>{t.gratitude_send()}</button>
        </form>
    }
}

#[component]
pub fn OwnStoryPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let token = use_params_map().read_untracked().get("token").unwrap_or_default();
    let done = match use_query_map().read_untracked().get_str("done") {
        Some("confirmed") => Some(t.gratitude_confirmed()),
        Some("withdrawn") => Some(t.gratitude_withdrawn()),
        _ => None,
    };
    let withdrawn = done == Some(t.gratitude_withdrawn());
    let failure = Submitted::<()>::from_context().failure;
    let story = Resource::new(|| (), move |()| get_own_story(token.clone()));
    view! {
        // Private: out of search engines and other sites' logs (see the registration page).
        <Meta name="robots" content="noindex" />
        <Meta name="referrer" content="same-origin" />
        <PageHeading locale title=t.gratitude_own_title() />
        <DoneNotice text=done />
        <ErrorSummary t errors=Vec::new() failure />
        {(!withdrawn).then(|| view! {
            <Suspense>
                {move || story.get().map(|result| match result {
                    Ok(story) => view! { <OwnStory locale story /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error locale /> }.into_any(),
                })}
            </Suspense>
        })}
    }
}

#[component]
fn OwnStory(locale: Locale, story: Story) -> impl IntoView {
    let t = Tr(locale);
    let standing = match story.status {
        StoryStatus::Unconfirmed => t.gratitude_status_unconfirmed(),
        StoryStatus::Pending => t.gratitude_status_pending(),
        StoryStatus::Approved => t.gratitude_status_approved(),
    };
    let confirm = (story.status == StoryStatus::Unconfirmed).then(|| {
        view! {
            <form method="post">
                <input type="hidden" name="intent" value="confirm" />
                <button type="submit" class=BUTTON>{t.gratitude_confirm()}</button>
            </form>
        }
    });
    view! {
        <p class="max-w-prose font-semibold">{standing}</p>
        <blockquote lang=story.language.as_str() class="mt-3 max-w-3xl whitespace-pre-line rounded-lg border border-slate-200 p-4 dark:border-slate-700">
            {story.body}
        </blockquote>
        <div class="mt-4 flex flex-wrap gap-3">
            {confirm}
            <form method="post">
                <input type="hidden" name="intent" value="withdraw" />
                <button type="submit" class=SECONDARY>{t.gratitude_withdraw()}</button>
            </form>
        </div>
        <p class="mt-2 max-w-prose text-sm">{t.gratitude_withdraw_hint()}</p>
    }
}

/// Why a story was declined, as its author and the moderators read it.
pub fn decline_reason_text(t: Tr, reason: DeclineReason) -> &'static str {
    match reason {
        DeclineReason::Identifies => t.story_reason_identifies(),
        DeclineReason::NotGratitude => t.story_reason_not_gratitude(),
        DeclineReason::BreaksRules => t.story_reason_breaks_rules(),
        DeclineReason::Duplicate => t.story_reason_duplicate(),
    }
}
