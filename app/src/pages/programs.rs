//! The programs beyond drop-in sessions: cohort groups joined as a whole, and groups that
//! take applications.

use super::ErrorNotice;
use crate::api::cohorts::list_cohorts;
use crate::api::rounds::list_rounds;
use crate::components::PageHeading;
use crate::components::layout::{href, use_locale};
use crate::i18n::Tr;
use crate::pages::cohorts::CohortCard;
use crate::pages::rounds::Deadline;
use leptos::prelude::*;

#[component]
pub fn ProgramsPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let rounds = Resource::new(|| (), |()| list_rounds());
    let cohorts = Resource::new(|| (), |()| list_cohorts());
    view! {
        <PageHeading locale title=t.programs_title() />
        <p class="mb-6 max-w-prose">{t.programs_intro()}</p>
        <h2 class="mb-3 text-xl font-semibold">{t.programs_cohorts()}</h2>
        <p class="mb-3 max-w-prose">{t.programs_cohorts_intro()}</p>
        <Suspense>
            {move || cohorts.get().map(|result| match result {
                Ok(cohorts) if cohorts.is_empty() => view! { <p class="mb-8">{t.programs_no_cohorts()}</p> }.into_any(),
                Ok(cohorts) => view! {
                    <div class="mb-8 grid max-w-4xl gap-3 md:grid-cols-2">
                        {cohorts.into_iter().map(|cohort| view! { <CohortCard cohort locale /> }).collect_view()}
                    </div>
                }.into_any(),
                Err(error) => view! { <ErrorNotice error locale /> }.into_any(),
            })}
        </Suspense>
        <h2 class="mb-3 text-xl font-semibold">{t.programs_rounds()}</h2>
        <Suspense>
            {move || rounds.get().map(|result| match result {
                Ok(rounds) if rounds.is_empty() => view! { <p>{t.programs_none()}</p> }.into_any(),
                Ok(rounds) => view! {
                    <ul class="max-w-3xl space-y-3">
                        {rounds.into_iter().map(|round| {
                            let (description, lang) = round.description.pick(locale);
                            view! {
                                <li class="rounded-lg border border-slate-300 p-4 dark:border-slate-700">
                                    <a class="inline-flex min-h-11 items-center text-lg font-semibold underline" href=href(locale, &format!("/rounds/{}", round.id))>
                                        {round.title.pick(locale).0.to_string()}
                                    </a>
                                    <p class="line-clamp-3" lang=lang.as_str()>{description.to_string()}</p>
                                    <div class="mt-1"><Deadline locale deadline=round.deadline open=round.accepting /></div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(error) => view! { <ErrorNotice error locale /> }.into_any(),
            })}
        </Suspense>
    }
}
