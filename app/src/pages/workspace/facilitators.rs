//! The coordinator's list of facilitators: invite one by email, send an invitation again,
//! deactivate or reactivate an account.

use super::{BUTTON, SECONDARY, WorkspaceError, WorkspaceNav};
use crate::api::admin::facilitators;
use crate::components::PageHeading;
use crate::components::fields::{ErrorSummary, SelectField, Submitted, TextField};
use crate::components::layout::use_locale;
use crate::domain::accounts::InvitationForm;
use crate::domain::forms::Field;
use crate::i18n::{Locale, Tr};
use crate::pages::account::DoneNotice;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::use_query_map;

#[component]
pub fn FacilitatorsPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let done = match use_query_map().read_untracked().get_str("done") {
        Some("invited") => Some(t.workspace_done_invited()),
        Some("updated") => Some(t.workspace_done_saved()),
        _ => None,
    };
    let list = Resource::new(|| (), |()| facilitators());
    let submitted = Submitted::<InvitationForm>::from_context();
    view! {
        <Meta name="robots" content="noindex" />
        <PageHeading locale title=t.workspace_facilitators() />
        <Suspense>
            {move || {
                let submitted = submitted.clone();
                list.get().map(move |list| match list {
                    Ok(list) => view! {
                        <WorkspaceNav locale coordinator=true />
                        <DoneNotice text=done />
                        <div class="overflow-x-auto">
                            <table class="w-full text-left text-sm">
                                <thead>
                                    <tr class="border-b border-slate-300 dark:border-slate-600">
                                        <th scope="col" class="py-2 pr-3">{t.register_name()}</th>
                                        <th scope="col" class="py-2 pr-3">{t.register_email()}</th>
                                        <th scope="col" class="py-2 pr-3">{t.workspace_col_status()}</th>
                                        <th scope="col" class="py-2 pr-3"><span class="sr-only">{t.workspace_col_actions()}</span></th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {list.into_iter().map(|f| {
                                        let status = match (f.account_id, f.invitation_pending, f.active) {
                                            (None, _, _) => t.workspace_no_account(),
                                            (_, true, _) => t.workspace_invited(),
                                            (_, false, true) => t.workspace_active(),
                                            (_, false, false) => t.workspace_inactive(),
                                        };
                                        view! {
                                            <tr class="border-b border-slate-200 align-top dark:border-slate-700">
                                                <td class="py-2 pr-3">{f.display_name.clone()}<span class="block text-slate-700 dark:text-slate-300">{f.credentials.pick(locale).0.to_string()}</span></td>
                                                <td class="py-2 pr-3">{f.email.clone().unwrap_or_default()}</td>
                                                <td class="py-2 pr-3">{status}</td>
                                                <td class="py-2 pr-3">
                                                    {f.account_id.map(|account_id| view! {
                                                        <form method="post" class="flex flex-wrap gap-2">
                                                            <input type="hidden" name="account_id" value=account_id />
                                                            {if f.invitation_pending {
                                                                view! { <button type="submit" name="intent" value="reinvite" class=SECONDARY>{t.workspace_reinvite()}</button> }.into_any()
                                                            } else if f.active {
                                                                view! { <button type="submit" name="intent" value="deactivate" class=SECONDARY>{t.workspace_deactivate()}</button> }.into_any()
                                                            } else {
                                                                view! { <button type="submit" name="intent" value="activate" class=SECONDARY>{t.workspace_activate()}</button> }.into_any()
                                                            }}
                                                        </form>
                                                    })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <InviteForm locale submitted />
                    }
                    .into_any(),
                    Err(error) => view! { <WorkspaceError error locale /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn InviteForm(locale: Locale, submitted: Submitted<InvitationForm>) -> impl IntoView {
    let t = Tr(locale);
    let v = submitted.values;
    let e = submitted.errors;
    let languages = vec![
        ("en".to_string(), t.language_english().to_string()),
        ("fr".to_string(), t.language_french().to_string()),
    ];
    view! {
        <section class="mt-8 max-w-3xl rounded-lg border border-slate-300 p-4 dark:border-slate-700" aria-labelledby="invite-heading">
            <h2 id="invite-heading" class="mb-2 text-xl font-semibold">{t.workspace_invite()}</h2>
            <p class="mb-3 text-sm text-slate-700 dark:text-slate-300">{t.workspace_invite_hint()}</p>
            <ErrorSummary t errors=e.clone() failure=submitted.failure />
            <form method="post" class="space-y-4" novalidate>
                <input type="hidden" name="intent" value="invite" />
                <div class="grid gap-4 sm:grid-cols-2">
                    <TextField t label=t.register_email() name="email" field=Field::Email kind="email" value=v.email errors=e.clone() />
                    <TextField t label=t.register_name() name="display_name" field=Field::Name value=v.display_name errors=e.clone() />
                    <TextField t label=t.workspace_credentials_en() name="credentials_en" field=Field::Credentials value=v.credentials_en errors=e.clone() lang="en" />
                    <TextField t label=t.workspace_credentials_fr() name="credentials_fr" field=Field::Credentials value=v.credentials_fr lang="fr" />
                    <SelectField t label=t.register_language() name="language" field=Field::Language options=languages
                        selected=if v.language.is_empty() { locale.as_str().to_string() } else { v.language } errors=e.clone() />
                </div>
                <button type="submit" class=BUTTON>{t.workspace_invite_button()}</button>
            </form>
        </section>
    }
}
