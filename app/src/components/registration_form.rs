//! The registration form. Without JavaScript it is a plain form that posts to the session's
//! page, which answers with the same form, filled in, and its errors. Once hydrated, this
//! island checks the answers as the server would, sends them with the `register` server
//! function, and keeps everything typed on the page when something needs fixing.

use super::form_errors::registration_error_text;
use crate::domain::forms::{Field, FieldError};
use crate::domain::registration::{CareerStage, Province, RegistrationForm};
use crate::domain::session::Audience;
use crate::error::AppError;
use crate::i18n::{Locale, Tr};
use crate::model::Acknowledged;
use leptos::prelude::*;

pub fn career_label(t: Tr, stage: CareerStage) -> &'static str {
    match stage {
        CareerStage::MedicalStudent => t.career_medical_student(),
        CareerStage::Resident => t.career_resident(),
        CareerStage::Fellow => t.career_fellow(),
        CareerStage::PractisingPhysician => t.career_practising_physician(),
        CareerStage::RetiredPhysician => t.career_retired_physician(),
    }
}

pub fn province_label(t: Tr, province: Province) -> &'static str {
    match province {
        Province::AB => t.province_ab(),
        Province::BC => t.province_bc(),
        Province::MB => t.province_mb(),
        Province::NB => t.province_nb(),
        Province::NL => t.province_nl(),
        Province::NS => t.province_ns(),
        Province::NT => t.province_nt(),
        Province::NU => t.province_nu(),
        Province::ON => t.province_on(),
        Province::PE => t.province_pe(),
        Province::QC => t.province_qc(),
        Province::SK => t.province_sk(),
        Province::YT => t.province_yt(),
    }
}

fn input_id(field: Field) -> String {
    format!("register-{}", field.as_str())
}

fn error_id(field: Field) -> String {
    format!("register-{}-error", field.as_str())
}

/// A form submitted without JavaScript that comes back to its page: what was typed, what is
/// wrong with it, and any message. The server's form handler provides it as context.
#[derive(Clone, Debug, Default)]
pub struct RegistrationAttempt {
    pub form: RegistrationForm,
    pub errors: Vec<FieldError>,
    pub notice: Option<FormNotice>,
}

/// A message shown above the form after a submission.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FormNotice {
    /// The registration went through, or the address was registered already: the page says
    /// the same either way (the email tells which).
    EmailSent,
    Failed(AppError),
}

// A form island: an island in the full bundle, a plain component left out of the light one.
#[cfg_attr(every_island, island)]
#[cfg_attr(not(every_island), component)]
pub fn RegistrationFormIsland(
    session_id: i32,
    locale: Locale,
    audience: Audience,
    /// Every seat is taken: the button says "Join the waitlist".
    full: bool,
    /// Where the form posts without JavaScript: the session's own page.
    action: String,
    /// What was typed, when the server sends the form back.
    values: RegistrationForm,
    errors: Vec<FieldError>,
    notice: Option<FormNotice>,
) -> impl IntoView {
    let t = Tr(locale);
    // A page that answers a post without JavaScript starts on its messages, as the island does.
    let answers_a_post = !errors.is_empty() || notice.is_some();
    let errors = RwSignal::new(errors);
    let notice = RwSignal::new(notice);
    let sending = RwSignal::new(false);
    let summary_ref = NodeRef::<leptos::html::Div>::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();

    let error_for = move |field: Field| errors.with(|all| all.iter().find(|e| e.field == field).copied());
    // Each returns one closure type for every field, so the browser bundle carries one copy of
    // the code that keeps an attribute up to date rather than one per field.
    let invalid = move |field: Field| move || error_for(field).is_some().then_some("true");
    let described_by = move |field: Field, hint: Option<&'static str>| {
        move || {
            let mut ids: Vec<String> = hint.map(str::to_string).into_iter().collect();
            if error_for(field).is_some() {
                ids.push(error_id(field));
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let field_error = move |field: Field| {
        move || {
            error_for(field).map(|error| {
                view! {
                    <p id=error_id(field) class="mt-1 text-sm font-semibold text-rose-800 dark:text-rose-300">
                        {registration_error_text(t, error).unwrap_or(t.error_form())}
                    </p>
                }
            })
        }
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(form) = form_ref.get() else { return };
        let typed = browser::read_form(&form);
        notice.set(None);
        let focus_summary = move || {
            if let Some(summary) = summary_ref.get() {
                let _ = summary.focus();
            }
        };
        let found = crate::domain::registration::problems(&typed, audience);
        if !found.is_empty() {
            errors.set(found);
            request_animation_frame(focus_summary);
            return;
        }
        errors.set(Vec::new());
        sending.set(true);
        leptos::task::spawn_local(async move {
            let result = crate::api::registrations::register(session_id, locale, typed).await;
            sending.set(false);
            match result {
                Ok(Acknowledged { next_path }) => browser::go_to(&next_path),
                Err(AppError::Form(found)) => errors.set(found),
                Err(other) => notice.set(Some(FormNotice::Failed(other))),
            }
            request_animation_frame(focus_summary);
        });
    };

    let field = "mt-1 min-h-11 w-full rounded border border-slate-500 bg-white px-3 dark:bg-slate-900";
    let label = "block font-medium";
    let check = "mt-1 h-6 w-6 shrink-0 accent-teal-800";
    let chosen_language =
        if values.language.is_empty() { locale.as_str().to_string() } else { values.language.clone() };
    let eligibility_text = match audience {
        Audience::Learners => Some(t.register_eligible_learners()),
        Audience::ResidentsOnLeave => Some(t.register_eligible_residents_on_leave()),
        Audience::All => None,
    };
    let rules_href = format!("/{locale}/rules");

    view! {
        <form
            node_ref=form_ref
            method="post"
            action=action
            novalidate
            class="space-y-4"
            on:submit=on_submit
        >
            <input type="hidden" name="session_id" value=session_id />
            <div node_ref=summary_ref tabindex="-1" autofocus=answers_a_post class="outline-none">
                {move || notice.get().map(|notice| {
                    let text = match notice {
                        FormNotice::EmailSent => t.register_email_sent(),
                        FormNotice::Failed(error) => error.message(t),
                    };
                    view! { <p role="status" class="rounded border border-teal-700 bg-teal-50 p-3 text-teal-950 dark:bg-teal-950 dark:text-teal-50">{text}</p> }
                })}
                {move || (!errors.with(Vec::is_empty)).then(|| view! {
                    <div role="alert" class="rounded border border-rose-700 bg-rose-50 p-3 text-rose-950 dark:bg-rose-950 dark:text-rose-50">
                        <p class="font-semibold">{t.register_errors_title()}</p>
                        <ul class="mt-1 list-disc pl-6">
                            {errors.get().into_iter().map(|error| view! {
                                <li><a class="underline" href=format!("#{}", input_id(error.field))>{registration_error_text(t, error).unwrap_or(t.error_form())}</a></li>
                            }).collect_view()}
                        </ul>
                    </div>
                })}
            </div>

            <div>
                <label class=label for=input_id(Field::Name)>{t.register_name()}</label>
                <input
                    id=input_id(Field::Name) name="name" type="text" autocomplete="name" maxlength="120"
                    class=field value=values.name.clone()
                    aria-invalid=invalid(Field::Name) aria-describedby=described_by(Field::Name, None)
                />
                {field_error(Field::Name)}
            </div>
            <div>
                <label class=label for=input_id(Field::Email)>{t.register_email()}</label>
                <p id="register-email-hint" class="text-sm text-slate-700 dark:text-slate-300">{t.register_email_hint()}</p>
                <input
                    id=input_id(Field::Email) name="email" type="email" autocomplete="email" maxlength="254"
                    class=field value=values.email.clone()
                    aria-invalid=invalid(Field::Email)
                    aria-describedby=described_by(Field::Email, Some("register-email-hint"))
                />
                {field_error(Field::Email)}
            </div>
            <div class="grid gap-4 sm:grid-cols-2">
                <div>
                    <label class=label for=input_id(Field::CareerStage)>{t.register_career_stage()}</label>
                    <select
                        id=input_id(Field::CareerStage) name="career_stage" class=field
                        aria-invalid=invalid(Field::CareerStage) aria-describedby=described_by(Field::CareerStage, None)
                    >
                        <option value="">{t.register_choose()}</option>
                        {CareerStage::ALL.into_iter().map(|stage| view! {
                            <option value=stage.as_str() selected=values.career_stage == stage.as_str()>{career_label(t, stage)}</option>
                        }).collect_view()}
                    </select>
                    {field_error(Field::CareerStage)}
                </div>
                <div>
                    <label class=label for=input_id(Field::Province)>{t.register_province()}</label>
                    <select
                        id=input_id(Field::Province) name="province" class=field autocomplete="address-level1"
                        aria-invalid=invalid(Field::Province) aria-describedby=described_by(Field::Province, None)
                    >
                        <option value="">{t.register_choose()}</option>
                        {Province::ALL.into_iter().map(|province| view! {
                            <option value=province.as_str() selected=values.province == province.as_str()>{province_label(t, province)}</option>
                        }).collect_view()}
                    </select>
                    {field_error(Field::Province)}
                </div>
            </div>
            <fieldset aria-describedby=described_by(Field::Language, None)>
                <legend class=label>{t.register_language()}</legend>
                <div class="mt-1 flex flex-wrap gap-4" id=input_id(Field::Language)>
                    {Locale::ALL.into_iter().map(|language| {
                        let name = match language {
                            Locale::En => t.language_english(),
                            Locale::Fr => t.language_french(),
                        };
                        view! {
                            <label class="inline-flex min-h-11 items-center gap-2">
                                <input type="radio" name="language" value=language.as_str() class="h-5 w-5 accent-teal-800"
                                    checked=chosen_language == language.as_str() />
                                {name}
                            </label>
                        }
                    }).collect_view()}
                </div>
                {field_error(Field::Language)}
            </fieldset>
            {eligibility_text.map(|text| view! {
                <div>
                    <label class="flex min-h-11 items-center gap-3">
                        <input id=input_id(Field::Eligible) type="checkbox" name="eligible" value="yes" class=check
                            checked=values.eligible.is_some()
                            aria-invalid=invalid(Field::Eligible) aria-describedby=described_by(Field::Eligible, None) />
                        <span>{text}</span>
                    </label>
                    {field_error(Field::Eligible)}
                </div>
            })}
            <div>
                <label class="flex min-h-11 items-center gap-3">
                    <input id=input_id(Field::Rules) type="checkbox" name="rules" value="yes" class=check
                        checked=values.rules.is_some()
                        aria-invalid=invalid(Field::Rules) aria-describedby=described_by(Field::Rules, None) />
                    <span>{t.register_rules()}</span>
                </label>
                <a class="ml-9 inline-flex min-h-11 items-center text-sm underline" href=rules_href>{t.register_rules_link()}</a>
                {field_error(Field::Rules)}
            </div>
            <button
                type="submit"
                class="min-h-11 rounded bg-teal-800 px-5 font-semibold text-white hover:bg-teal-900 disabled:opacity-60"
                disabled=move || sending.get()
            >
                {move || if sending.get() {
                    t.register_sending()
                } else if full {
                    t.register_submit_waitlist()
                } else {
                    t.register_submit()
                }}
            </button>
        </form>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use crate::domain::registration::RegistrationForm;

    /// The form's current answers, read the way the browser would post them.
    pub fn read_form(form: &web_sys::HtmlFormElement) -> RegistrationForm {
        let data = web_sys::FormData::new_with_form(form).ok();
        let get = |name: &str| data.as_ref().and_then(|d| d.get(name).as_string()).filter(|v| !v.is_empty());
        RegistrationForm {
            name: get("name").unwrap_or_default(),
            email: get("email").unwrap_or_default(),
            career_stage: get("career_stage").unwrap_or_default(),
            province: get("province").unwrap_or_default(),
            language: get("language").unwrap_or_default(),
            eligible: get("eligible"),
            rules: get("rules"),
        }
    }

    pub fn go_to(path: &str) {
        if let Some(window) = web_sys::window() {
            let _ = window.location().assign(path);
        }
    }
}

/// The server never submits the form itself; these exist so the island compiles there.
#[cfg(not(feature = "hydrate"))]
mod browser {
    use crate::domain::registration::RegistrationForm;

    pub fn read_form(_: &web_sys::HtmlFormElement) -> RegistrationForm {
        RegistrationForm::default()
    }

    pub fn go_to(_: &str) {}
}
