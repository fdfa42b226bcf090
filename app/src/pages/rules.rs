//! The community rules every participant accepts when registering.

use crate::components::PageHeading;
use crate::components::layout::use_locale;
use crate::i18n::Tr;
use leptos::prelude::*;

#[component]
fn RuleList(title: &'static str, items: Vec<&'static str>) -> impl IntoView {
    view! {
        <section>
            <h2 class="text-xl font-semibold">{title}</h2>
            <ul class="mt-2 list-disc space-y-1 pl-6">
                {items.into_iter().map(|item| view! { <li>{item}</li> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
pub fn RulesPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    view! {
        <PageHeading locale title=t.rules_title() />
        <div class="max-w-prose space-y-5">
            <p>{t.rules_intro()}</p>
            <RuleList
                title=t.rules_encourage_title()
                items=vec![t.rules_encourage_honest(), t.rules_encourage_support(), t.rules_encourage_topic(), t.rules_encourage_respect()]
            />
            <RuleList
                title=t.rules_expect_title()
                items=vec![t.rules_expect_welcome(), t.rules_expect_participate(), t.rules_expect_wisdom(), t.rules_expect_rules()]
            />
            <RuleList
                title=t.rules_refuse_title()
                items=vec![t.rules_refuse_intimidation(), t.rules_refuse_comments(), t.rules_refuse_collegiality(), t.rules_refuse_personal()]
            />
        </div>
    }
}
