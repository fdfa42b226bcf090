//! The workspace through the real router: who may call which server function (the full
//! matrix), signing in and out, invitations and password resets by email, rate limiting,
//! scheduling weekly series, and what registrants receive when a session changes or is
//! cancelled.

use crate::common;

use app::domain::access::Role;
use app::domain::zones::{local_time, parse_zone, reference_time};
use app::error::AppError;
use app::model::{SessionEditor, WorkspaceSession};
use app::server::db::outbox;
use axum::http::StatusCode;
use chrono::{Datelike, Duration, Timelike, Utc};
use common::{SessionSeed, TestApp, encode, spawn};

const PASSWORD: &str = "a sufficiently long passphrase";

struct Team {
    coordinator: String,
    a: String,
    b: String,
    a_profile: i32,
    b_profile: i32,
    b_account: i32,
}

async fn team(app: &TestApp) -> Team {
    app.account(Role::Coordinator, "coordinator@example.ca", PASSWORD, false).await;
    let (_, a_profile) = app.account(Role::Facilitator, "a@example.ca", PASSWORD, true).await;
    let (b_account, b_profile) = app.account(Role::Facilitator, "b@example.ca", PASSWORD, true).await;
    Team {
        coordinator: app.sign_in("coordinator@example.ca", PASSWORD).await,
        a: app.sign_in("a@example.ca", PASSWORD).await,
        b: app.sign_in("b@example.ca", PASSWORD).await,
        a_profile: a_profile.unwrap(),
        b_profile: b_profile.unwrap(),
        b_account,
    }
}

/// A session led by `facilitator`, three days out.
async fn session_of(app: &TestApp, facilitator: i32, title: &str) -> i32 {
    let (format, _) = app.seed_format(&format!("format-{title}")).await;
    app.seed_session((format, facilitator), SessionSeed::at(title, Utc::now() + Duration::days(3))).await
}

/// A valid session form in Eastern Time, next month, at 7 PM.
fn session_form(format: &str, weeks: u32) -> String {
    let day = reference_time(Utc::now()).date() + Duration::days(35);
    format!(
        "format={format}&title_en=Evening%20circle&description_en=Bring%20what%20is%20on%20your%20mind.\
         &date={day}&time=19%3A00&zone=America%2FToronto&duration=90&capacity=30&audience=all&language=en\
         &meeting_link=https%3A%2F%2Fmeet.example.invalid%2Fnew&repeat={weeks}"
    )
}

fn prefixed(form: &str) -> String {
    form.split('&').map(|pair| format!("form[{}", pair.replacen('=', "]=", 1))).collect::<Vec<_>>().join("&")
}

#[derive(Debug, PartialEq)]
enum Outcome {
    Allowed,
    Denied,
}

fn outcome(reply: &common::Reply) -> Outcome {
    if reply.status == StatusCode::OK {
        return Outcome::Allowed;
    }
    let error: AppError = reply.json();
    assert!(matches!(error, AppError::SignInRequired | AppError::Forbidden), "unexpected {error:?}");
    Outcome::Denied
}

#[tokio::test]
async fn every_workspace_function_checks_role_and_ownership() {
    use Outcome::{Allowed as Y, Denied as N};
    let app = spawn().await;
    let team = team(&app).await;
    let format_slug = "format-matrix";
    app.seed_format(format_slug).await;
    let callers: [(&str, Option<&str>); 4] = [
        ("visitor", None),
        ("facilitator A", Some(&team.a)),
        ("facilitator B", Some(&team.b)),
        ("coordinator", Some(&team.coordinator)),
    ];

    // Each cell gets sessions of its own, so what one caller changes cannot decide another's cell.
    type Call = fn(i32, i32, i32, &str) -> (&'static str, String);
    let functions: [(&str, Call, [Outcome; 4]); 16] = [
        ("list my sessions", |_, _, _, _| ("workspace/sessions", String::new()), [N, Y, Y, Y]),
        (
            "preview a start time",
            |_, _, _, _| {
                let typed = "locale=en&date=2027-01-12&time=17%3A00&zone=America%2FVancouver";
                ("workspace/schedule-preview", typed.to_string())
            },
            [N, Y, Y, Y],
        ),
        ("open A's session", |s, _, _, _| ("workspace/session", format!("id={s}")), [N, Y, N, Y]),
        (
            "schedule for A",
            |_, a, _, f| {
                ("workspace/create", format!("{}&facilitator_id={a}", prefixed(&session_form(f, 1))))
            },
            [N, Y, N, Y],
        ),
        (
            "change A's session",
            |s, _, _, f| ("workspace/update", format!("id={s}&{}", prefixed(&session_form(f, 1)))),
            [N, Y, N, Y],
        ),
        ("cancel A's session", |s, _, _, _| ("workspace/cancel", format!("id={s}")), [N, Y, N, Y]),
        (
            "close A's registration",
            |s, _, _, _| ("workspace/registration", format!("id={s}&closed=true")),
            [N, Y, N, Y],
        ),
        ("read A's roster", |s, _, _, _| ("workspace/roster", format!("id={s}")), [N, Y, N, N]),
        (
            "write to A's registrants",
            |s, _, _, _| ("workspace/message", format!("id={s}&subject=Hi&body=Hello")),
            [N, Y, N, N],
        ),
        (
            "give A's session to B",
            |s, _, b, _| ("workspace/reassign", format!("id={s}&facilitator_id={b}")),
            [N, N, N, Y],
        ),
        ("list facilitators", |_, _, _, _| ("admin/facilitators", String::new()), [N, N, N, Y]),
        (
            "invite a facilitator",
            |s, _, _, _| {
                let form = format!(
                    "invitation[email]=new{s}%40example.ca&invitation[display_name]=New&invitation[credentials_en]=RCC&invitation[credentials_fr]=CCA&invitation[language]=en"
                );
                ("admin/invite", form)
            },
            [N, N, N, Y],
        ),
        ("list formats", |_, _, _, _| ("admin/formats", String::new()), [N, N, N, Y]),
        (
            "add a format",
            |s, _, _, _| {
                let form = format!(
                    "form[slug]=added-{s}&form[name_en]=Added&form[name_fr]=Ajout&form[description_en]=D&form[description_fr]=D&form[led_by_en]=L&form[led_by_fr]=L&form[position]=9"
                );
                ("admin/save_format", form)
            },
            [N, N, N, Y],
        ),
        ("deactivate B", |_, _, _, _| ("admin/account_active", String::new()), [N, N, N, Y]),
        ("sign out everywhere", |_, _, _, _| ("account/sign_out_everywhere", String::new()), [N, Y, Y, Y]),
    ];

    for (name, call, expected) in &functions {
        for ((who, cookie), want) in callers.iter().zip(expected) {
            let session = session_of(
                &app,
                team.a_profile,
                &format!("{}-{}", name.replace(' ', "-"), who.replace(' ', "-")),
            )
            .await;
            let (endpoint, mut form) = call(session, team.a_profile, team.b_profile, format_slug);
            if *name == "deactivate B" {
                form = format!("account_id={}&active=false", team.b_account);
            }
            // Signing out everywhere would end the session the rest of the matrix needs.
            let cookie = if *name == "sign out everywhere" && cookie.is_some() {
                let email = match *who {
                    "facilitator A" => "a@example.ca",
                    "facilitator B" => "b@example.ca",
                    _ => "coordinator@example.ca",
                };
                Some(app.sign_in(email, PASSWORD).await)
            } else {
                cookie.map(str::to_string)
            };
            let reply = app.call_as(cookie.as_deref(), endpoint, &form).await;
            assert_eq!(&outcome(&reply), want, "{who} → {name}: {} {}", reply.status, reply.body);
            if *name == "deactivate B" && *want == Outcome::Allowed {
                // Put B back for the cells that follow.
                let form = format!("account_id={}&active=true", team.b_account);
                app.call_as(Some(&team.coordinator), "admin/account_active", &form).await;
            }
        }
    }
}

#[tokio::test]
async fn facilitators_see_their_own_sessions_and_coordinators_see_all() {
    let app = spawn().await;
    let team = team(&app).await;
    let of_a = session_of(&app, team.a_profile, "of-a").await;
    let of_b = session_of(&app, team.b_profile, "of-b").await;
    let ids = |cookie: &str| {
        let cookie = cookie.to_string();
        let app = &app;
        async move {
            let listed: Vec<WorkspaceSession> =
                app.call_as(Some(&cookie), "workspace/sessions", "").await.json();
            listed.into_iter().map(|s| s.summary.id).collect::<Vec<_>>()
        }
    };
    assert_eq!(ids(&team.a).await, [of_a]);
    assert_eq!(ids(&team.b).await, [of_b]);
    assert_eq!(ids(&team.coordinator).await, [of_a, of_b]);
    // The pages follow the same rules, by address too.
    assert_eq!(
        app.get_as(&team.b, &format!("/en/workspace/sessions/{of_a}")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.get_as(&team.a, &format!("/en/workspace/sessions/{of_a}")).await.status, StatusCode::OK);
    let posted = app.post_form_as(&team.b, &format!("/en/workspace/sessions/{of_a}"), "intent=close").await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN);
    let anonymous = app.get(&format!("/en/workspace/sessions/{of_a}")).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.location.unwrap().starts_with("/en/sign-in?next="));
}

#[tokio::test]
async fn a_weekly_series_is_scheduled_at_the_same_eastern_time() {
    let app = spawn().await;
    let team = team(&app).await;
    app.seed_format("series").await;
    let created: Vec<i32> =
        app.call_as(Some(&team.a), "workspace/create", &prefixed(&session_form("series", 3))).await.json();
    assert_eq!(created.len(), 3);
    let listed: Vec<WorkspaceSession> = app.call_as(Some(&team.a), "workspace/sessions", "").await.json();
    let starts: Vec<_> = listed.iter().map(|s| reference_time(s.summary.starts_at)).collect();
    assert!(starts.iter().all(|t| t.hour() == 19 && t.minute() == 0));
    assert!(starts.windows(2).all(|w| (w[1].date() - w[0].date()).num_days() == 7));
    assert!(starts.iter().all(|t| t.weekday() == starts[0].weekday()));

    // A time typed in Vancouver, on UTC−7 all year since 2026-11-01, is 00:00 UTC the next
    // day, whatever the season in Toronto.
    let pacific = session_form("series", 1)
        .replace("time=19%3A00", "time=17%3A00")
        .replace("America%2FToronto", "America%2FVancouver");
    let created: Vec<i32> = app.call_as(Some(&team.a), "workspace/create", &prefixed(&pacific)).await.json();
    let listed: Vec<WorkspaceSession> = app.call_as(Some(&team.a), "workspace/sessions", "").await.json();
    let pacific_session = listed.iter().find(|s| s.summary.id == created[0]).unwrap();
    let starts_at = pacific_session.summary.starts_at;
    assert_eq!((starts_at.hour(), starts_at.minute()), (0, 0));
    assert_eq!(local_time(starts_at, parse_zone("America/Vancouver").unwrap()).hour(), 17);
    // What the form previewed while typing is that same instant.
    let day = pacific.split('&').find_map(|pair| pair.strip_prefix("date=")).unwrap();
    let preview: Option<String> = app
        .call_as(
            Some(&team.a),
            "workspace/schedule-preview",
            &format!("locale=en&date={day}&time=17%3A00&zone=America%2FVancouver"),
        )
        .await
        .json();
    let expected = format!("That is {}, or ", app::timefmt::in_eastern(app::i18n::Locale::En, starts_at));
    assert!(preview.as_deref().is_some_and(|text| text.starts_with(&expected)), "{preview:?} vs {expected}");

    let invalid = app
        .call_as(
            Some(&team.a),
            "workspace/create",
            &prefixed(&session_form("series", 3).replace("capacity=30", "capacity=31")),
        )
        .await;
    assert!(matches!(invalid.json::<AppError>(), AppError::Form(_)));
}

#[tokio::test]
async fn changing_a_session_sends_an_updated_invitation_and_cancelling_removes_it() {
    let app = spawn().await;
    let team = team(&app).await;
    let id = session_of(&app, team.a_profile, "changing").await;
    app.register(id, "participant@example.ca").await;
    app.deliver_mail().await;

    let change = session_form("format-changing", 1).replace("Evening%20circle", "Moved%20circle");
    let reply =
        app.call_as(Some(&team.a), "workspace/update", &format!("id={id}&{}", prefixed(&change))).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    app.deliver_mail().await;
    let mail = app.smtp.to("participant@example.ca");
    let update = mail.iter().find(|m| m.subject().starts_with("Session updated")).expect("an update email");
    let ics = update.ics().expect("an updated invitation");
    assert!(ics.contains(&format!("UID:session-{id}@rounds.test")));
    assert!(ics.contains("SEQUENCE:1"));
    assert!(ics.contains("SUMMARY;LANGUAGE=en-CA:Moved circle"));

    // Lowering the capacity below the people registered is refused.
    let squeeze = change.replace("capacity=30", "capacity=0");
    assert!(matches!(
        app.call_as(Some(&team.a), "workspace/update", &format!("id={id}&{}", prefixed(&squeeze)))
            .await
            .json::<AppError>(),
        AppError::Form(_)
    ));

    assert_eq!(
        app.call_as(Some(&team.a), "workspace/cancel", &format!("id={id}")).await.status,
        StatusCode::OK
    );
    app.deliver_mail().await;
    let mail = app.smtp.to("participant@example.ca");
    let cancelled =
        mail.iter().find(|m| m.subject().starts_with("Session cancelled")).expect("a cancellation email");
    let removal = cancelled.ics().expect("a calendar file that removes the event");
    assert!(
        removal.contains("METHOD:CANCEL")
            && removal.contains("STATUS:CANCELLED")
            && removal.contains("SEQUENCE:2")
    );
    let page = app.get(&format!("/en/sessions/{id}")).await.body;
    assert!(page.contains("This session has been cancelled."));
}

#[tokio::test]
async fn rosters_and_messages_reach_only_the_sessions_own_facilitator() {
    let app = spawn().await;
    let team = team(&app).await;
    let id = session_of(&app, team.a_profile, "roster").await;
    app.register(id, "grace@example.ca").await;
    let roster = app.call_as(Some(&team.a), "workspace/roster", &format!("id={id}")).await;
    assert!(roster.body.contains("grace@example.ca"));
    let sent: u32 = app
        .call_as(
            Some(&team.a),
            "workspace/message",
            &format!("id={id}&subject=Welcome&body=See%20you%20soon"),
        )
        .await
        .json();
    assert_eq!(sent, 1);
    app.deliver_mail().await;
    let message =
        app.smtp.to("grace@example.ca").into_iter().find(|m| m.subject() == "Rounds: Welcome").unwrap();
    assert!(message.text().contains("See you soon"));
    let page = app.get_as(&team.coordinator, &format!("/en/workspace/sessions/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("grace@example.ca"), "a coordinator sees counts, not names");
}

#[tokio::test]
async fn a_coordinator_who_facilitates_cannot_take_over_a_session_and_its_roster() {
    let app = spawn().await;
    let team = team(&app).await;
    let (_, own_profile) = app.account(Role::Coordinator, "both@example.ca", PASSWORD, true).await;
    let own_profile = own_profile.unwrap();
    let both = app.sign_in("both@example.ca", PASSWORD).await;
    let id = session_of(&app, team.a_profile, "taken").await;
    app.register(id, "grace@example.ca").await;

    // The editor offers every facilitator but themselves, and the server refuses it anyway.
    let editor: SessionEditor =
        app.call_as(Some(&both), "workspace/session", &format!("id={id}")).await.json();
    let offered: Vec<i32> = editor.facilitators.iter().map(|f| f.id).collect();
    assert!(offered.contains(&team.b_profile) && !offered.contains(&own_profile), "{offered:?}");
    let take = app
        .call_as(Some(&both), "workspace/reassign", &format!("id={id}&facilitator_id={own_profile}"))
        .await;
    assert_eq!(take.json::<AppError>(), AppError::Forbidden);
    let roster = app.call_as(Some(&both), "workspace/roster", &format!("id={id}")).await;
    assert_eq!(roster.json::<AppError>(), AppError::Forbidden);
    assert!(!roster.body.contains("grace@example.ca"));
    // Moving it between others, and a session already theirs, stay allowed.
    let give = app
        .call_as(Some(&both), "workspace/reassign", &format!("id={id}&facilitator_id={}", team.b_profile))
        .await;
    assert_eq!(give.status, StatusCode::OK, "{}", give.body);
    let own = session_of(&app, own_profile, "own").await;
    let keep = app
        .call_as(Some(&both), "workspace/reassign", &format!("id={own}&facilitator_id={own_profile}"))
        .await;
    assert_eq!(keep.status, StatusCode::OK, "{}", keep.body);
}

#[tokio::test]
async fn the_editor_never_carries_the_meeting_link_and_an_empty_field_keeps_it() {
    let app = spawn().await;
    let team = team(&app).await;
    let id = session_of(&app, team.a_profile, "linked").await;
    app.register(id, "participant@example.ca").await;
    for cookie in [&team.a, &team.coordinator] {
        let editor = app.call_as(Some(cookie), "workspace/session", &format!("id={id}")).await;
        assert_eq!(editor.status, StatusCode::OK);
        assert!(!editor.body.contains("meet.example.invalid"), "{}", editor.body);
        assert!(editor.json::<SessionEditor>().form.meeting_link.is_empty());
        let page = app.get_as(cookie, &format!("/en/workspace/sessions/{id}")).await;
        assert!(!page.body.contains("meet.example.invalid"));
        assert!(page.body.contains("Leave empty to keep the current link"));
    }

    // Saved with the field empty: the registrant's update still carries the link.
    let unchanged = session_form("format-linked", 1)
        .replace("meeting_link=https%3A%2F%2Fmeet.example.invalid%2Fnew", "meeting_link=");
    let reply =
        app.call_as(Some(&team.a), "workspace/update", &format!("id={id}&{}", prefixed(&unchanged))).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    // The no-JavaScript form keeps it too, and a new link replaces it.
    let posted = app
        .post_form_as(&team.a, &format!("/en/workspace/sessions/{id}"), &format!("intent=update&{unchanged}"))
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
    app.deliver_mail().await;
    let updates: Vec<String> = app
        .smtp
        .to("participant@example.ca")
        .iter()
        .filter(|m| m.subject().starts_with("Session updated"))
        .map(|m| m.text())
        .collect();
    assert_eq!(updates.len(), 2);
    assert!(updates.iter().all(|text| text.contains(&common::meeting_link("linked"))), "{updates:?}");
    let moved = session_form("format-linked", 1);
    app.call_as(Some(&team.a), "workspace/update", &format!("id={id}&{}", prefixed(&moved))).await;
    app.deliver_mail().await;
    let last = app.smtp.to("participant@example.ca").pop().unwrap();
    assert!(last.text().contains("https://meet.example.invalid/new"), "{}", last.text());
}

#[tokio::test]
async fn a_burst_of_wrong_passwords_gets_no_more_checks_than_the_limit() {
    let app = spawn().await;
    app.account(Role::Facilitator, "burst@example.ca", PASSWORD, true).await;
    let guesses = (0..40).map(|n| {
        let app = &app;
        async move {
            let form = format!("email=burst%40example.ca&password=wrong%20guess%20number%20{n}");
            app.call("account/sign_in", &form).await.json::<AppError>()
        }
    });
    let answers = futures::future::join_all(guesses).await;
    let checked = answers.iter().filter(|a| **a == AppError::SignInFailed).count();
    let refused = answers.iter().filter(|a| **a == AppError::TooManyAttempts).count();
    assert_eq!((checked, refused), (5, 35), "{answers:?}");
}

#[tokio::test]
async fn a_new_invitation_or_reset_link_revokes_the_older_ones() {
    let app = spawn().await;
    let team = team(&app).await;
    let form = "invitation[email]=new%40example.ca&invitation[display_name]=Dr.%20New&invitation[credentials_en]=Psychologist\
                &invitation[credentials_fr]=Psychologue&invitation[language]=en";
    assert_eq!(app.call_as(Some(&team.coordinator), "admin/invite", form).await.status, StatusCode::OK);
    let account =
        app::server::db::accounts::by_email(&app.state.db, "new@example.ca").await.unwrap().unwrap();
    let reinvite =
        app.call_as(Some(&team.coordinator), "admin/reinvite", &format!("account_id={}", account.id)).await;
    assert_eq!(reinvite.status, StatusCode::OK, "{}", reinvite.body);
    app.deliver_mail().await;
    let tokens = |marker: &'static str| {
        app.smtp
            .to("new@example.ca")
            .iter()
            .filter_map(|m| {
                m.text().split_whitespace().find_map(|w| w.split(marker).nth(1).map(str::to_string))
            })
            .collect::<Vec<_>>()
    };
    let invitations = tokens("/invitation/");
    assert_eq!(invitations.len(), 2);
    let address = |endpoint: &'static str, token: &str| {
        let form = format!("token={token}");
        let app = &app;
        async move { app.call(endpoint, &form).await }
    };
    assert_eq!(
        address("account/invitation_address", &invitations[0]).await.json::<AppError>(),
        AppError::InvalidLink
    );
    assert_eq!(address("account/invitation_address", &invitations[1]).await.status, StatusCode::OK);
    let accept = format!("token={}&password={}", invitations[1], encode(PASSWORD));
    assert_eq!(app.call("account/accept_invitation", &accept).await.status, StatusCode::OK);

    for _ in 0..2 {
        app.call("account/request_reset", "email=new%40example.ca").await;
    }
    app.deliver_mail().await;
    let resets = tokens("/reset-password/");
    assert_eq!(resets.len(), 2);
    assert_eq!(address("account/reset_address", &resets[0]).await.json::<AppError>(), AppError::InvalidLink);
    assert_eq!(address("account/reset_address", &resets[1]).await.status, StatusCode::OK);
}

#[tokio::test]
async fn signing_in_is_rate_limited_and_signing_out_everywhere_ends_every_session() {
    let app = spawn().await;
    app.account(Role::Facilitator, "limited@example.ca", PASSWORD, true).await;
    for _ in 0..5 {
        let wrong =
            app.call("account/sign_in", "email=limited%40example.ca&password=wrong%20password%20here").await;
        assert_eq!(wrong.json::<AppError>(), AppError::SignInFailed);
    }
    let right = app
        .call("account/sign_in", &format!("email=limited%40example.ca&password={}", encode(PASSWORD)))
        .await;
    assert_eq!(right.json::<AppError>(), AppError::TooManyAttempts);

    app.account(Role::Facilitator, "twice@example.ca", PASSWORD, true).await;
    let phone = app.sign_in("twice@example.ca", PASSWORD).await;
    let desk = app.sign_in("twice@example.ca", PASSWORD).await;
    assert_eq!(app.call_as(Some(&phone), "workspace/sessions", "").await.status, StatusCode::OK);
    assert_eq!(app.call_as(Some(&desk), "account/sign_out_everywhere", "").await.status, StatusCode::OK);
    assert_eq!(
        app.call_as(Some(&phone), "workspace/sessions", "").await.json::<AppError>(),
        AppError::SignInRequired
    );
}

#[tokio::test]
async fn an_invited_facilitator_chooses_a_password_once_and_can_reset_it() {
    let app = spawn().await;
    let team = team(&app).await;
    let form = "invitation[email]=new%40example.ca&invitation[display_name]=Dr.%20New&invitation[credentials_en]=Psychologist\
                &invitation[credentials_fr]=Psychologue&invitation[language]=fr";
    assert_eq!(app.call_as(Some(&team.coordinator), "admin/invite", form).await.status, StatusCode::OK);
    app.deliver_mail().await;
    let invitation = app.smtp.to("new@example.ca").pop().expect("an invitation email");
    assert_eq!(invitation.subject(), "Vous êtes invité à animer des séances sur Rounds");
    let link =
        invitation.text().split_whitespace().find(|w| w.contains("/fr/invitation/")).unwrap().to_string();
    let path = link.trim_start_matches("http://rounds.test");
    assert!(app.get(path).await.body.contains("new@example.ca"));

    let short = app.post_form(path, "password=short&confirm=short").await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    let chosen = app.post_form(path, &format!("password={0}&confirm={0}", encode(PASSWORD))).await;
    assert_eq!(chosen.status, StatusCode::SEE_OTHER);
    assert_eq!(chosen.location.as_deref(), Some("/fr/sign-in?done=password"));
    let again = app.post_form(path, &format!("password={0}&confirm={0}", encode(PASSWORD))).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST, "the link works once");
    let cookie = app.sign_in("new@example.ca", PASSWORD).await;

    // A reset ends every session and replaces the password.
    assert_eq!(app.call("account/request_reset", "email=new%40example.ca").await.status, StatusCode::OK);
    assert_eq!(app.call("account/request_reset", "email=nobody%40example.ca").await.status, StatusCode::OK);
    app.deliver_mail().await;
    assert!(app.smtp.to("nobody@example.ca").is_empty());
    let reset = app.smtp.to("new@example.ca").pop().unwrap();
    let token =
        reset.text().split_whitespace().find_map(|w| w.split("/reset-password/").nth(1)).unwrap().to_string();
    let new_password = "another long passphrase";
    let reply = app.call("account/reset", &format!("token={token}&password={}", encode(new_password))).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        app.call_as(Some(&cookie), "workspace/sessions", "").await.json::<AppError>(),
        AppError::SignInRequired
    );
    let old =
        app.call("account/sign_in", &format!("email=new%40example.ca&password={}", encode(PASSWORD))).await;
    assert_eq!(old.json::<AppError>(), AppError::SignInFailed);
    app.sign_in("new@example.ca", new_password).await;
}

#[tokio::test]
async fn a_deactivated_facilitator_is_signed_out_and_cannot_sign_in() {
    let app = spawn().await;
    let team = team(&app).await;
    let form = format!("account_id={}&active=false", team.b_account);
    assert_eq!(
        app.call_as(Some(&team.coordinator), "admin/account_active", &form).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.call_as(Some(&team.b), "workspace/sessions", "").await.json::<AppError>(),
        AppError::SignInRequired
    );
    let retry =
        app.call("account/sign_in", &format!("email=b%40example.ca&password={}", encode(PASSWORD))).await;
    assert_eq!(retry.json::<AppError>(), AppError::SignInFailed);
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site() {
    let app = spawn().await;
    app.account(Role::Facilitator, "cookie@example.ca", PASSWORD, true).await;
    let request = axum::http::Request::post("/api/account/sign_in")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(axum::body::Body::from(format!("email=cookie%40example.ca&password={}", encode(PASSWORD))))
        .unwrap();
    let response = tower::ServiceExt::oneshot(app.router.clone(), request).await.unwrap();
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http in tests; https deployments set Secure");
    // Visitors never get a session cookie.
    assert!(app.get("/en").await.cookie.is_none());
    assert!(outbox::pending(&app.state.db).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_command_line_creates_the_first_coordinator() {
    use std::io::Write;
    let app = spawn().await;
    let database_url = app.config.database_url.clone();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["create-coordinator", "--email", "first@example.ca"])
        .env("DATABASE_URL", &database_url)
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{PASSWORD}\n").as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let cookie = app.sign_in("first@example.ca", PASSWORD).await;
    assert_eq!(app.call_as(Some(&cookie), "admin/formats", "").await.status, StatusCode::OK);
}
