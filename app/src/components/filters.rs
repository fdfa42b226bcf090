//! The calendar filters: a plain GET form, so the choice lives in the URL, can be shared,
//! and works without JavaScript.

use super::session_card::audience_label;
use crate::domain::calendar::CalendarFilter;
use crate::domain::session::Audience;
use crate::i18n::{Locale, Tr};
use crate::model::FormatInfo;
use leptos::prelude::*;

#[component]
pub fn FilterForm(
    locale: Locale,
    filter: CalendarFilter,
    formats: Vec<FormatInfo>,
    /// The page the form submits to, e.g. `/en/week`.
    action: String,
    /// Query parameters of the view to keep, such as the week shown.
    #[prop(optional)]
    keep: Vec<(&'static str, String)>,
) -> impl IntoView {
    let t = Tr(locale);
    let field = "min-h-11 w-full rounded border border-slate-400 bg-white px-2 dark:bg-slate-900";
    let chosen_format = filter.format.clone().unwrap_or_default();
    let chosen_language = filter.language.map(|l| l.as_str()).unwrap_or_default();
    let chosen_audience = filter.audience.map(|a| a.as_str()).unwrap_or_default();
    let clear = {
        let keep: Vec<String> = keep.iter().map(|(k, v)| format!("{k}={v}")).collect();
        if keep.is_empty() { action.clone() } else { format!("{action}?{}", keep.join("&")) }
    };
    view! {
        <form method="get" action=action class="mb-6 rounded-lg bg-slate-50 p-4 dark:bg-slate-900" aria-label=t.filter_label()>
            {keep.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value /> }).collect_view()}
            <div class="grid gap-3 sm:grid-cols-3">
                <label class="block text-sm">
                    <span class="mb-1 block font-medium">{t.filter_format()}</span>
                    <select name="format" class=field>
                        <option value="">{t.filter_any_format()}</option>
                        {formats
                            .into_iter()
                            .map(|format| {
                                let selected = format.slug == chosen_format;
                                let (name, _) = format.name.pick(locale);
                                view! { <option value=format.slug.clone() selected=selected>{name.to_string()}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="block text-sm">
                    <span class="mb-1 block font-medium">{t.filter_language()}</span>
                    <select name="language" class=field>
                        <option value="">{t.filter_any_language()}</option>
                        <option value="en" selected=chosen_language == "en">{t.filter_language_en()}</option>
                        <option value="fr" selected=chosen_language == "fr">{t.filter_language_fr()}</option>
                    </select>
                </label>
                <label class="block text-sm">
                    <span class="mb-1 block font-medium">{t.filter_audience()}</span>
                    <select name="audience" class=field>
                        <option value="">{t.filter_any_audience()}</option>
                        {Audience::ALL
                            .into_iter()
                            .map(|audience| {
                                let selected = audience.as_str() == chosen_audience;
                                view! { <option value=audience.as_str() selected=selected>{audience_label(t, audience)}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
            </div>
            <div class="mt-3 flex flex-wrap items-center gap-3">
                <button type="submit" class="min-h-11 rounded bg-teal-800 px-4 font-semibold text-white hover:bg-teal-900">
                    {t.filter_apply()}
                </button>
                {(!filter.is_empty()).then(|| view! {
                    <a href=clear class="min-h-11 inline-flex items-center underline">{t.filter_clear()}</a>
                })}
            </div>
        </form>
    }
}
