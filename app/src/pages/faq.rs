//! Frequently asked questions, as a list of questions and answers.

use crate::components::PageHeading;
use crate::components::layout::use_locale;
use crate::i18n::Tr;
use crate::pages::support::ContactAddresses;
use leptos::prelude::*;

#[component]
pub fn FaqPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let contacts = Resource::new(|| (), |()| crate::api::support::get_contacts());
    let entries = [
        (t.faq_who_q(), t.faq_who_a()),
        (t.faq_cost_q(), t.faq_cost_a()),
        (t.faq_register_q(), t.faq_register_a()),
        (t.faq_size_q(), t.faq_size_a()),
        (t.faq_french_q(), t.faq_french_a()),
        (t.faq_join_q(), t.faq_join_a()),
        (t.faq_anonymous_q(), t.faq_anonymous_a()),
        (t.faq_confidential_q(), t.faq_confidential_a()),
        (t.faq_limit_q(), t.faq_limit_a()),
        (t.faq_facilitators_q(), t.faq_facilitators_a()),
        (t.faq_times_q(), t.faq_times_a()),
    ];
    view! {
        <PageHeading locale title=t.faq_title() />
        <div class="max-w-prose space-y-5">
            {entries.into_iter().map(|(question, answer)| view! {
                <section>
                    <h2 class="text-lg font-semibold">{question}</h2>
                    <p>{answer}</p>
                </section>
            }).collect_view()}
            <Suspense>
                {move || contacts.get().and_then(Result::ok).filter(|contacts| contacts.help_email.is_some() || contacts.sessions_email.is_some()).map(|contacts| view! {
                    <section>
                        <h2 class="text-lg font-semibold">{t.support_contact_title()}</h2>
                        <ContactAddresses locale contacts />
                    </section>
                })}
            </Suspense>
        </div>
    }
}
