//! Scheduling a session, once or weekly.

use super::{BUTTON, WorkspaceError, WorkspaceNav, role_resource};
use crate::api::admin::facilitators;
use crate::api::formats::list_formats;
use crate::components::PageHeading;
use crate::components::fields::{SelectField, Submitted};
use crate::components::layout::use_locale;
use crate::components::session_form::SessionFormFields;
use crate::domain::access::Role;
use crate::domain::forms::Field;
use crate::domain::session_form::SessionForm;
use crate::error::AppError;
use crate::i18n::Tr;
use leptos::prelude::*;
use leptos_meta::Meta;

/// What the form posts besides the session: whom a coordinator schedules it for.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct NewSessionPost {
    #[serde(flatten)]
    pub session: SessionForm,
    pub facilitator_id: String,
}

#[component]
pub fn NewSessionPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let user = role_resource();
    let formats = Resource::new(|| (), |()| list_formats());
    let submitted = Submitted::<NewSessionPost>::from_context();
    view! {
        <Meta name="robots" content="noindex" />
        <PageHeading locale title=t.workspace_schedule() />
        <Suspense>
            {move || {
                let submitted = submitted.clone();
                let formats = formats.get()?;
                user.get().map(move |user| match user {
                    Ok(Some(user)) => {
                        let coordinator = user.role == Role::Coordinator;
                        view! {
                            <WorkspaceNav locale coordinator />
                            <p class="mb-4 max-w-prose">{t.schedule_intro()}</p>
                            <form method="post" novalidate class="max-w-3xl">
                                {coordinator.then(|| view! { <FacilitatorChoice selected=submitted.values.facilitator_id.clone() /> })}
                                <SessionFormFields
                                    locale
                                    values=submitted.values.session.clone()
                                    errors=submitted.errors.clone()
                                    failure=submitted.failure.clone()
                                    formats=formats.clone().unwrap_or_default()
                                    repeat=true
                                />
                                <button type="submit" class=format!("{BUTTON} mt-6")>{t.schedule_submit()}</button>
                            </form>
                        }
                        .into_any()
                    }
                    Ok(None) => view! { <WorkspaceError error=AppError::SignInRequired locale /> }.into_any(),
                    Err(error) => view! { <WorkspaceError error locale /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

/// A coordinator schedules for a facilitator of their choice.
#[component]
fn FacilitatorChoice(selected: String) -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let list = Resource::new(|| (), |()| facilitators());
    view! {
        <Suspense>
            {move || {
                let selected = selected.clone();
                list.get().map(|list| {
                    let options = list
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|f| f.active || f.account_id.is_none())
                        .map(|f| (f.facilitator_id.to_string(), f.display_name))
                        .collect();
                    view! {
                        <div class="mb-6 max-w-md">
                            <SelectField t label=t.session_facilitator() name="facilitator_id" field=Field::Name
                                options selected placeholder=t.register_choose() />
                        </div>
                    }
                })
            }}
        </Suspense>
    }
}
