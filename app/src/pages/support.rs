//! Where to turn right now: emergency and crisis lines, the national wellness line and the
//! provincial physician health programs. Linked from the header of every page.

use crate::components::PageHeading;
use crate::components::layout::use_locale;
use crate::i18n::Tr;
use leptos::prelude::*;

#[component]
pub fn SupportPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let programs = [
        t.support_program_bc(),
        t.support_program_ab(),
        t.support_program_sk(),
        t.support_program_mb(),
        t.support_program_on(),
        t.support_program_qc(),
        t.support_program_nb(),
        t.support_program_ns(),
        t.support_program_pe(),
        t.support_program_nl(),
        t.support_program_territories(),
    ];
    let card = "rounded-lg border border-slate-200 p-4 dark:border-slate-700";
    view! {
        <PageHeading locale title=t.support_title() />
        <div class="max-w-prose space-y-4">
            <p>{t.support_intro()}</p>
            <section class="rounded-lg border-2 border-rose-700 p-4">
                <h2 class="text-xl font-semibold">{t.support_emergency_title()}</h2>
                <p>{t.support_emergency()}</p>
            </section>
            <section class=card>
                <h2 class="text-xl font-semibold">{t.support_crisis_title()}</h2>
                <p>{t.support_crisis()}</p>
                <p class="mt-2 flex flex-wrap gap-3">
                    <a class="min-h-11 inline-flex items-center rounded bg-teal-800 px-4 font-semibold text-white" href="tel:988">{t.support_call()}</a>
                    <a class="min-h-11 inline-flex items-center rounded border border-teal-800 px-4 font-semibold" href="sms:988">{t.support_text()}</a>
                </p>
            </section>
            <section class=card>
                <h2 class="text-xl font-semibold">{t.support_national_title()}</h2>
                <p>{t.support_national()}</p>
            </section>
            <section class=card>
                <h2 class="text-xl font-semibold">{t.support_programs_title()}</h2>
                <p>{t.support_programs_intro()}</p>
                <ul class="mt-2 list-disc space-y-1 pl-6">
                    {programs.into_iter().map(|program| view! { <li>{program}</li> }).collect_view()}
                </ul>
            </section>
        </div>
    }
}
