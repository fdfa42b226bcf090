//! Labelled form controls with their errors, for the forms rendered on the server (the
//! workspace and account pages). Each control's error is tied to it with `aria-describedby`
//! and `aria-invalid`, and listed in a summary that links to it.

use super::form_errors::field_error_text;
use crate::domain::forms::{Field, FieldError};
use crate::error::AppError;
use crate::i18n::Tr;
use leptos::prelude::*;

/// A form sent back with what was typed, what is wrong with it, and any other message.
/// The form handlers provide one as context; `T` tells which form it belongs to.
#[derive(Clone, Debug, Default)]
pub struct Submitted<T> {
    pub values: T,
    pub errors: Vec<FieldError>,
    pub failure: Option<AppError>,
}

impl<T: Clone + Default + Send + Sync + 'static> Submitted<T> {
    /// The submission for this page's form, or an empty one.
    pub fn from_context() -> Submitted<T> {
        use_context::<Submitted<T>>().unwrap_or_default()
    }
}

pub const INPUT: &str =
    "mt-1 min-h-11 w-full rounded border border-slate-500 bg-white px-3 dark:bg-slate-900";
const LABEL: &str = "block font-medium";

pub fn control_id(name: &str) -> String {
    format!("field-{name}")
}

fn first_error(errors: &[FieldError], field: Field) -> Option<FieldError> {
    errors.iter().find(|e| e.field == field).copied()
}

fn error_line(t: Tr, id: String, error: Option<FieldError>) -> impl IntoView {
    error.map(|error| {
        view! {
            <p id=format!("{id}-error") class="mt-1 text-sm font-semibold text-rose-800 dark:text-rose-300">
                {field_error_text(t, error)}
            </p>
        }
    })
}

fn described_by(id: &str, hint: bool, error: bool) -> Option<String> {
    let ids: Vec<String> = [hint.then(|| format!("{id}-hint")), error.then(|| format!("{id}-error"))]
        .into_iter()
        .flatten()
        .collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// The list of problems at the top of a form, with links to each control; announced, and
/// focused when the answer page loads so a keyboard or screen-reader user starts there.
#[component]
pub fn ErrorSummary(t: Tr, errors: Vec<FieldError>, failure: Option<AppError>) -> impl IntoView {
    let failure = failure.map(|failure| {
        view! {
            <p role="alert" tabindex="-1" autofocus class="mb-4 rounded border border-rose-700 bg-rose-50 p-3 text-rose-950 dark:bg-rose-950 dark:text-rose-50">
                {failure.message(t)}
            </p>
        }
    });
    let errors = (!errors.is_empty()).then(|| {
        view! {
            <div role="alert" tabindex="-1" autofocus class="mb-4 rounded border border-rose-700 bg-rose-50 p-3 text-rose-950 dark:bg-rose-950 dark:text-rose-50">
                <p class="font-semibold">{t.register_errors_title()}</p>
                <ul class="mt-1 list-disc pl-6">
                    {errors
                        .into_iter()
                        .map(|error| view! {
                            <li><a class="underline" href=format!("#{}", control_id(error.field.as_str()))>{field_error_text(t, error)}</a></li>
                        })
                        .collect_view()}
                </ul>
            </div>
        }
    });
    view! { {failure} {errors} }
}

#[component]
pub fn TextField(
    t: Tr,
    label: &'static str,
    name: &'static str,
    /// Whose errors to show here (a field typed in two languages shows them once).
    field: Field,
    #[prop(into)] value: String,
    #[prop(optional)] errors: Vec<FieldError>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] lang: Option<&'static str>,
) -> impl IntoView {
    let id = control_id(name);
    let error = first_error(&errors, field);
    view! {
        <div>
            <label class=LABEL for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p id=format!("{id}-hint") class="text-sm text-slate-700 dark:text-slate-300">{hint}</p> })}
            <input
                id=id.clone()
                name=name
                type=kind
                value=value
                autocomplete=autocomplete
                lang=lang
                class=INPUT
                aria-invalid=error.is_some().then_some("true")
                aria-describedby=described_by(&id, hint.is_some(), error.is_some())
            />
            {error_line(t, id.clone(), error)}
        </div>
    }
}

#[component]
pub fn TextArea(
    t: Tr,
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    field: Field,
    #[prop(into)] value: String,
    #[prop(optional)] errors: Vec<FieldError>,
    #[prop(optional)] lang: Option<&'static str>,
) -> impl IntoView {
    let id = control_id(&name);
    let error = first_error(&errors, field);
    view! {
        <div>
            <label class=LABEL for=id.clone()>{label}</label>
            <textarea
                id=id.clone()
                name=name
                rows="5"
                lang=lang
                class="mt-1 w-full rounded border border-slate-500 bg-white px-3 py-2 dark:bg-slate-900"
                aria-invalid=error.is_some().then_some("true")
                aria-describedby=described_by(&id, false, error.is_some())
            >
                {value}
            </textarea>
            {error_line(t, id.clone(), error)}
        </div>
    }
}

#[component]
pub fn SelectField(
    t: Tr,
    label: &'static str,
    name: &'static str,
    field: Field,
    options: Vec<(String, String)>,
    #[prop(into)] selected: String,
    #[prop(optional)] errors: Vec<FieldError>,
    #[prop(optional)] placeholder: Option<&'static str>,
) -> impl IntoView {
    let id = control_id(name);
    let error = first_error(&errors, field);
    view! {
        <div>
            <label class=LABEL for=id.clone()>{label}</label>
            <select
                id=id.clone()
                name=name
                class=INPUT
                aria-invalid=error.is_some().then_some("true")
                aria-describedby=described_by(&id, false, error.is_some())
            >
                {placeholder.map(|text| view! { <option value="">{text}</option> })}
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let chosen = value == selected;
                        view! { <option value=value selected=chosen>{text}</option> }
                    })
                    .collect_view()}
            </select>
            {error_line(t, id.clone(), error)}
        </div>
    }
}

/// A checkbox whose label is a sentence the person agrees with.
#[component]
pub fn CheckboxField(
    t: Tr,
    #[prop(into)] label: String,
    name: &'static str,
    field: Field,
    checked: bool,
    #[prop(optional)] errors: Vec<FieldError>,
    #[prop(optional)] lang: Option<&'static str>,
) -> impl IntoView {
    let id = control_id(name);
    let error = first_error(&errors, field);
    view! {
        <div>
            <label class="flex min-h-11 items-center gap-3" for=id.clone()>
                <input
                    id=id.clone()
                    type="checkbox"
                    name=name
                    value="yes"
                    checked=checked
                    class="h-5 w-5 shrink-0 accent-teal-800"
                    aria-invalid=error.is_some().then_some("true")
                    aria-describedby=described_by(&id, false, error.is_some())
                />
                <span lang=lang>{label}</span>
            </label>
            {error_line(t, id.clone(), error)}
        </div>
    }
}

/// One choice among a few, as radio buttons under a legend (a rating, yes or no). The group
/// carries the control id, so the error summary's link lands on it.
#[component]
pub fn RadioGroup(
    t: Tr,
    #[prop(into)] legend: String,
    #[prop(into)] name: String,
    field: Field,
    /// Each option's value and words.
    options: Vec<(String, String)>,
    #[prop(into)] selected: String,
    #[prop(optional)] errors: Vec<FieldError>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    choice_group(t, legend, name, field, options, "radio", vec![selected], errors, hint)
}

/// Several choices among a list, as checkboxes under a legend (a resource's topics), carrying
/// the control id like [`RadioGroup`].
#[component]
pub fn CheckboxGroup(
    t: Tr,
    #[prop(into)] legend: String,
    name: &'static str,
    field: Field,
    /// Each option's value and words.
    options: Vec<(String, String)>,
    /// The values ticked.
    selected: Vec<String>,
    #[prop(optional)] errors: Vec<FieldError>,
) -> impl IntoView {
    choice_group(t, legend, name.to_string(), field, options, "checkbox", selected, errors, None)
}

/// The fieldset both groups are: a legend, an optional hint, one `kind` input per option
/// (ticked when its value is in `selected`), and the field's error.
#[allow(clippy::too_many_arguments)]
fn choice_group(
    t: Tr,
    legend: String,
    name: String,
    field: Field,
    options: Vec<(String, String)>,
    kind: &'static str,
    selected: Vec<String>,
    errors: Vec<FieldError>,
    hint: Option<&'static str>,
) -> impl IntoView {
    let id = control_id(&name);
    let error = first_error(&errors, field);
    view! {
        <fieldset id=id.clone() tabindex="-1" aria-describedby=described_by(&id, hint.is_some(), error.is_some())>
            <legend class=LABEL>{legend}</legend>
            {hint.map(|hint| view! { <p id=format!("{id}-hint") class="text-sm text-slate-700 dark:text-slate-300">{hint}</p> })}
            <div class="mt-1 flex flex-wrap gap-x-5">
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let chosen = selected.contains(&value);
                        view! {
                            <label class="flex min-h-11 min-w-11 items-center gap-2">
                                <input type=kind name=name.clone() value=value checked=chosen class="h-5 w-5 accent-teal-800" />
                                <span>{text}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
            {error_line(t, id.clone(), error)}
        </fieldset>
    }
}

/// A file chosen to upload (the form must be `multipart/form-data`). A browser never fills a
/// file control again, so a form sent back asks for the file anew.
#[component]
pub fn FileField(
    t: Tr,
    label: &'static str,
    name: &'static str,
    field: Field,
    /// The types the picker offers (`application/pdf,.pdf`).
    accept: &'static str,
    #[prop(optional)] errors: Vec<FieldError>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let id = control_id(name);
    let error = first_error(&errors, field);
    view! {
        <div>
            <label class=LABEL for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p id=format!("{id}-hint") class="text-sm text-slate-700 dark:text-slate-300">{hint}</p> })}
            <input
                id=id.clone()
                name=name
                type="file"
                accept=accept
                class="mt-1 block min-h-11 w-full rounded border border-slate-500 bg-white px-3 py-2 dark:bg-slate-900"
                aria-invalid=error.is_some().then_some("true")
                aria-describedby=described_by(&id, hint.is_some(), error.is_some())
            />
            {error_line(t, id.clone(), error)}
        </div>
    }
}
