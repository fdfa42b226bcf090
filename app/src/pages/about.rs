//! About the program: who it is for, the session formats, and what happens to personal data.

use crate::api::formats::list_formats;
use crate::components::PageHeading;
use crate::components::layout::use_locale;
use crate::i18n::Tr;
use leptos::prelude::*;

#[component]
pub fn AboutPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let formats = Resource::new(|| (), |()| list_formats());
    view! {
        <PageHeading locale title=t.about_title() />
        <div class="max-w-prose space-y-4">
            <p>{t.about_intro()}</p>
            <h2 class="text-xl font-semibold">{t.about_who_title()}</h2>
            <p>{t.about_who()}</p>
            <h2 class="text-xl font-semibold">{t.about_formats_title()}</h2>
            <Suspense>
                {move || formats.get().map(|formats| {
                    formats.unwrap_or_default().into_iter().map(|format| {
                        let (name, _) = format.name.pick(locale);
                        let (description, _) = format.description.pick(locale);
                        let (led_by, _) = format.led_by.pick(locale);
                        view! {
                            <section>
                                <h3 class="font-semibold">{name.to_string()}</h3>
                                <p>{description.to_string()}</p>
                                <p class="text-sm text-slate-700 dark:text-slate-300">{t.session_format_led_by(led_by)}</p>
                            </section>
                        }
                    }).collect_view()
                })}
            </Suspense>
            <h2 class="text-xl font-semibold">{t.about_privacy_title()}</h2>
            <p>{t.about_privacy()}</p>
            <p class="font-semibold">{t.about_not_therapy()}</p>
        </div>
    }
}
