//! Registration end to end through the real router: seats, waitlist, cancellation links,
//! emails delivered to an SMTP server on loopback, calendar files read back with an
//! independent iCalendar parser, the live seat stream, reminders and the privacy purge.

use crate::common;

use app::domain::forms::{Field, FieldError, Problem};
use app::error::AppError;
use app::model::{Acknowledged, RegistrationState, RegistrationView, SessionDetail};
use app::server::db::{outbox, registrations};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{Duration, Utc};
use common::smtp::SmtpSink;
use common::{SessionSeed, TestApp, meeting_link, parse_ics, property, registration_call, spawn};
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn session(app: &TestApp, title: &str, capacity: u32, starts_in: Duration) -> i32 {
    let ids = app.seed_format(&format!("format-{title}")).await;
    let mut seed = SessionSeed::at(title, Utc::now() + starts_in);
    seed.capacity = capacity;
    app.seed_session(ids, seed).await
}

async fn seats(app: &TestApp, id: i32) -> (u32, u32) {
    let detail: SessionDetail = app.call("sessions/get", &format!("id={id}")).await.json();
    let waiting = registrations::of_offering(&app.state.db, registrations::Offering::Session(id))
        .await
        .unwrap()
        .iter()
        .filter(|r| r.status == registrations::Status::Waitlisted)
        .count() as u32;
    (detail.summary.seats_taken, waiting)
}

/// Where `email`'s registration stands, through its private link.
async fn state_of(app: &TestApp, id: i32, email: &str) -> RegistrationState {
    let token = app.registration_token(id, email).await;
    app.call("registrations/get", &format!("token={token}")).await.json::<RegistrationView>().state
}

#[tokio::test]
async fn registering_takes_a_seat_and_emails_the_invitation_with_the_join_link() {
    let app = spawn().await;
    let id = session(&app, "circle", 30, Duration::days(3)).await;
    let outcome: Acknowledged = app.register(id, "ada@example.ca").await.json();
    assert_eq!(outcome.next_path, format!("/en/sessions/{id}?registered=1"));
    assert_eq!(state_of(&app, id, "ada@example.ca").await, RegistrationState::Confirmed);
    assert_eq!(seats(&app, id).await, (1, 0));

    assert_eq!(app.deliver_mail().await, 1);
    let mail = app.smtp.to("ada@example.ca");
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].subject(), "You’re registered: circle");
    let text = mail[0].text();
    assert!(text.contains(&meeting_link("circle")), "{text}");
    let token = app.registration_token(id, "ada@example.ca").await;
    assert!(text.contains(&format!("http://rounds.test/en/registrations/{token}")));

    let calendar = parse_ics(&mail[0].ics().expect("an invitation is attached"));
    let event = &calendar.events[0];
    assert_eq!(property(event, "UID"), Some(format!("session-{id}@rounds.test").as_str()));
    assert_eq!(property(event, "SEQUENCE"), Some("0"));
    assert!(property(event, "DTSTART").is_some_and(|start| start.ends_with('Z')));
    assert_eq!(property(event, "LOCATION"), Some(meeting_link("circle").as_str()));
    assert!(!event.alarms.is_empty(), "the invitation reminds 15 minutes before");
    let summary = event.properties.iter().find(|p| p.name == "SUMMARY").unwrap();
    let language =
        summary.params.as_ref().and_then(|params| params.iter().find(|(name, _)| name == "LANGUAGE"));
    assert_eq!(language.map(|(_, values)| values[0].as_str()), Some("en-CA"));
}

#[tokio::test]
async fn a_session_without_a_title_of_its_own_goes_by_its_formats_name_in_emails() {
    let app = spawn().await;
    let ids = app.seed_format("drop-in").await;
    let id = app.seed_session(ids, SessionSeed::at("", Utc::now() + Duration::days(3))).await;
    app.register(id, "ada@example.ca").await;
    app.deliver_mail().await;
    let mail = &app.smtp.to("ada@example.ca")[0];
    assert_eq!(mail.subject(), "You’re registered: drop-in (en)");
    let calendar = parse_ics(&mail.ics().expect("an invitation is attached"));
    assert_eq!(property(&calendar.events[0], "SUMMARY"), Some("drop-in (en)"));
}

#[tokio::test]
async fn a_full_session_waitlists_without_the_link_and_promotes_the_head_when_a_seat_frees() {
    let app = spawn().await;
    let id = session(&app, "small", 1, Duration::days(2)).await;
    for email in ["first@example.ca", "second@example.ca", "third@example.ca"] {
        app.register(id, email).await;
    }
    let first = app.registration_token(id, "first@example.ca").await;
    assert_eq!(state_of(&app, id, "second@example.ca").await, RegistrationState::Waitlisted(1));
    assert_eq!(state_of(&app, id, "third@example.ca").await, RegistrationState::Waitlisted(2));
    assert_eq!(seats(&app, id).await, (1, 2));
    app.deliver_mail().await;
    let waiting = &app.smtp.to("second@example.ca")[0];
    assert!(waiting.subject().starts_with("You’re on the waitlist"));
    assert!(!waiting.text().contains("meet.example.invalid"), "no join link before promotion");
    assert!(waiting.ics().is_none());

    let view: RegistrationView = app.call("registrations/cancel", &format!("token={first}")).await.json();
    assert_eq!(view.state, RegistrationState::Cancelled);
    assert_eq!(seats(&app, id).await, (1, 1));
    assert_eq!(state_of(&app, id, "second@example.ca").await, RegistrationState::Confirmed);
    assert_eq!(state_of(&app, id, "third@example.ca").await, RegistrationState::Waitlisted(1));

    app.deliver_mail().await;
    let cancellation = app.smtp.to("first@example.ca").pop().unwrap();
    assert!(cancellation.subject().starts_with("Registration cancelled"));
    let promotion = app.smtp.to("second@example.ca").pop().unwrap();
    assert!(promotion.subject().starts_with("A seat opened up"));
    assert!(promotion.text().contains(&meeting_link("small")));
    assert!(promotion.ics().is_some());
    assert_eq!(app.smtp.to("third@example.ca").len(), 1, "the third person only got the waitlist notice");

    // Cancelling again changes nothing.
    let again: RegistrationView = app.call("registrations/cancel", &format!("token={first}")).await.json();
    assert_eq!(again.state, RegistrationState::Cancelled);
    assert_eq!(seats(&app, id).await, (1, 1));
}

#[tokio::test]
async fn registering_twice_answers_as_a_first_registration_and_resends_at_most_once_an_hour() {
    let app = spawn().await;
    let id = session(&app, "twice", 1, Duration::days(2)).await;
    // A newcomer's answer, through the server function and the form without JavaScript.
    let new = app.register(id, "ada@example.ca").await;
    let form = "name=Dr.%20Bea&career_stage=resident&province=ON&language=en&rules=yes";
    let new_post =
        app.post_form(&format!("/en/sessions/{id}"), &format!("{form}&email=bea%40example.ca")).await;
    // The same addresses again, one holding the seat and one waiting: the same answers.
    let again = app.register(id, "  ADA@Example.ca ").await;
    let again_post =
        app.post_form(&format!("/en/sessions/{id}"), &format!("{form}&email=BEA%40example.ca")).await;
    assert_eq!((again.status, &again.body), (new.status, &new.body));
    assert_eq!(new.json::<Acknowledged>().next_path, format!("/en/sessions/{id}?registered=1"));
    assert_eq!(
        (again_post.status, &again_post.location, &again_post.body),
        (new_post.status, &new_post.location, &new_post.body)
    );
    assert_eq!(new_post.status, StatusCode::SEE_OTHER);
    assert_eq!(seats(&app, id).await, (1, 1), "one seat, one place in line, nothing more");

    // Within the hour the repeat sends nothing more; after it, the email once more.
    app.deliver_mail().await;
    assert_eq!(app.smtp.to("ada@example.ca").len(), 1);
    assert_eq!(app.smtp.to("BEA@example.ca").len() + app.smtp.to("bea@example.ca").len(), 1);
    let later = Utc::now() + Duration::minutes(61);
    let form = app::domain::registration::RegistrationForm {
        name: "Ada".into(),
        email: "ada@example.ca".into(),
        career_stage: "resident".into(),
        province: "ON".into(),
        language: "en".into(),
        eligible: None,
        rules: Some("yes".into()),
    };
    let locale = app::i18n::Locale::En;
    let register = |at| {
        let form = form.clone();
        let check = move |audience| app::domain::registration::validate(&form, audience);
        app::server::registrations::register(&app.state, app::model::Offering::Session(id), check, locale, at)
    };
    assert_eq!(register(later).await.unwrap().next_path, format!("/en/sessions/{id}?registered=1"));
    register(later + Duration::minutes(30)).await.unwrap();
    // The clock above is simulated, so read the outbox rather than waiting to send.
    let to_ada: Vec<_> = outbox::of_session(&app.state.db, id)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.recipient == "ada@example.ca")
        .collect();
    assert_eq!(to_ada.len(), 2, "one re-send in the next hour");
    assert!(to_ada.iter().all(|m| m.body.contains(&meeting_link("twice"))));
}

#[tokio::test]
async fn hundreds_of_concurrent_registrations_never_exceed_capacity() {
    let app = spawn().await;
    let id = session(&app, "crowded", 30, Duration::days(1)).await;
    let attempts = 300;
    let calls = (0..attempts).map(|n| {
        let router = app.router.clone();
        let body = registration_call(id, &format!("person{n}@example.ca"));
        tokio::spawn(async move {
            let request = Request::post("/api/registrations/register")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "application/json")
                .body(Body::from(body))
                .unwrap();
            let response = router.oneshot(request).await.unwrap();
            let status = response.status();
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            let refusal = serde_json::from_slice::<AppError>(&bytes).ok();
            (status, serde_json::from_slice::<Acknowledged>(&bytes).ok(), refusal)
        })
    });
    let mut accepted = 0;
    let mut turned_away = 0;
    for (status, outcome, refusal) in futures_join(calls).await {
        if refusal == Some(AppError::WaitlistFull) {
            turned_away += 1; // the waitlist holds three times the seats
            continue;
        }
        assert_eq!(status, StatusCode::OK);
        assert!(outcome.is_some());
        accepted += 1;
    }
    assert_eq!((accepted, turned_away), (120, attempts - 120));
    assert_eq!(seats(&app, id).await, (30, 90));
    let rows = registrations::of_offering(&app.state.db, registrations::Offering::Session(id)).await.unwrap();
    assert_eq!(rows.iter().filter(|r| r.status == registrations::Status::Confirmed).count(), 30);
    // Everyone on the waitlist has a distinct place in line.
    let mut positions = Vec::new();
    for row in rows.iter().filter(|r| r.status == registrations::Status::Waitlisted) {
        let token = app.state.links.sign(app::server::links::Purpose::Registration, row.id, &row.token_nonce);
        let view: RegistrationView = app.call("registrations/get", &format!("token={token}")).await.json();
        let RegistrationState::Waitlisted(position) = view.state else { panic!("{view:?}") };
        positions.push(position);
    }
    positions.sort_unstable();
    assert_eq!(positions, (1..=90).collect::<Vec<_>>());
}

#[tokio::test]
async fn the_waitlist_holds_three_times_the_seats_then_the_page_says_it_is_full() {
    let app = spawn().await;
    let id = session(&app, "tiny", 2, Duration::days(2)).await;
    for n in 0..8 {
        assert_eq!(app.register(id, &format!("person{n}@example.ca")).await.status, StatusCode::OK, "{n}");
    }
    assert_eq!(seats(&app, id).await, (2, 6));
    let refused = app.register(id, "ninth@example.ca").await;
    assert_eq!(refused.json::<AppError>(), AppError::WaitlistFull);
    assert_eq!(seats(&app, id).await, (2, 6), "nothing changed");
    app.deliver_mail().await;
    assert!(app.smtp.to("ninth@example.ca").is_empty());

    let page = app.get(&format!("/en/sessions/{id}")).await;
    assert!(page.body.contains("the waitlist is full too"), "{}", page.body);
    assert!(!page.body.contains("register-email"), "no form to send");
    let form = "name=Ninth%20Person&email=ninth%40example.ca&career_stage=resident&province=ON&language=fr&rules=yes";
    let posted = app.post_form(&format!("/fr/sessions/{id}"), form).await;
    assert_eq!(posted.status, StatusCode::CONFLICT);
    assert!(posted.body.contains("la liste d’attente est complète elle aussi"), "{}", posted.body);

    // A place freed in line can be taken again.
    let last = app.registration_token(id, "person7@example.ca").await;
    app.call("registrations/cancel", &format!("token={last}")).await;
    assert_eq!(app.register(id, "ninth@example.ca").await.status, StatusCode::OK);
    assert_eq!(state_of(&app, id, "ninth@example.ca").await, RegistrationState::Waitlisted(6));
}

async fn futures_join<T>(handles: impl Iterator<Item = tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut results = Vec::new();
    for handle in handles.collect::<Vec<_>>() {
        results.push(handle.await.unwrap());
    }
    results
}

#[tokio::test]
async fn invalid_forms_are_answered_field_by_field_and_save_nothing() {
    let app = spawn().await;
    let id = session(&app, "form", 30, Duration::days(1)).await;
    let reply = app
        .call(
            "registrations/register",
            &format!("session_id={id}&locale=fr&form[name]=%20&form[email]=nope&form[language]=fr"),
        )
        .await;
    let AppError::Form(errors) = reply.json::<AppError>() else { panic!("{}", reply.body) };
    let expected = [
        FieldError { field: Field::Name, problem: Problem::Required },
        FieldError { field: Field::Email, problem: Problem::InvalidEmail },
        FieldError { field: Field::CareerStage, problem: Problem::Required },
        FieldError { field: Field::Province, problem: Problem::Required },
        FieldError { field: Field::Rules, problem: Problem::Required },
    ];
    assert_eq!(errors, expected);
    assert_eq!(seats(&app, id).await, (0, 0));
    assert!(outbox::pending(&app.state.db).await.unwrap().is_empty());
}

#[tokio::test]
async fn registration_closes_when_the_session_starts() {
    let app = spawn().await;
    let started = session(&app, "started", 30, -Duration::minutes(1)).await;
    assert_eq!(
        app.register(started, "late@example.ca").await.json::<AppError>(),
        AppError::RegistrationClosed
    );
    let page = app.get(&format!("/en/sessions/{started}")).await;
    assert!(page.body.contains("Registration for this session is closed."));
    assert!(!page.body.contains("name=\"email\""), "no form once closed");
}

#[tokio::test]
async fn a_malformed_server_function_call_answers_400_and_each_error_its_own_status() {
    let app = spawn().await;
    let id = session(&app, "malformed", 30, Duration::days(1)).await;
    let valid = registration_call(id, "whole@example.ca");
    let calls: Vec<(&str, String, &str)> = vec![
        ("registrations/register", String::new(), "urlencoded"),
        (
            "registrations/register",
            format!("session_id=seven&{}", &valid[valid.find('&').unwrap() + 1..]),
            "urlencoded",
        ),
        ("registrations/register", valid.replace("locale=en", "locale=klingon"), "urlencoded"),
        (
            "registrations/register",
            format!("session_id=99999999999999999999&{}", &valid[valid.find('&').unwrap() + 1..]),
            "urlencoded",
        ),
        ("registrations/register", "%%%&&&==".into(), "urlencoded"),
        ("registrations/register", "{\"session_id\": null}".into(), "json"),
        ("registrations/register", "{not json".into(), "json"),
        ("registrations/cancel", String::new(), "urlencoded"),
        ("registrations/cancel", "tok=abc".into(), "urlencoded"),
        ("account/sign_in", "email=a%40example.ca".into(), "urlencoded"),
        ("account/sign_in", "\u{0}\u{1}".into(), "urlencoded"),
        ("sessions/range", "first=2026-13-45&last=2026-12-01".into(), "urlencoded"),
        ("sessions/range", "first=2026-12-01".into(), "urlencoded"),
        ("sessions/range", "first=yesterday&last=tomorrow&filter[audience]=aliens".into(), "urlencoded"),
    ];
    for (endpoint, body, encoding) in calls {
        let content_type =
            if encoding == "json" { "application/json" } else { "application/x-www-form-urlencoded" };
        let request = Request::post(format!("/api/{endpoint}"))
            .header("content-type", content_type)
            .header("accept", "application/json")
            .body(Body::from(body.clone()))
            .unwrap();
        let reply = app.send(request).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{endpoint} with {body:?}: {}", reply.body);
        assert_eq!(reply.json::<AppError>(), AppError::Malformed, "{endpoint} with {body:?}");
    }
    // A body that is not UTF-8 at all.
    let request = Request::post("/api/registrations/register")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(vec![0xff, 0xfe, 0x80, b'=', 0xc3]))
        .unwrap();
    assert_eq!(app.send(request).await.status, StatusCode::BAD_REQUEST);

    // Errors a well-formed call meets keep their meaning in the status, not a blanket 500.
    let unknown = app.register(i32::MAX, "nobody@example.ca").await;
    assert_eq!((unknown.status, unknown.json::<AppError>()), (StatusCode::NOT_FOUND, AppError::NotFound));
    let wrong =
        app.call("registrations/register", &valid.replace("whole%40example.ca", "not-an-address")).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(matches!(wrong.json::<AppError>(), AppError::Form(_)));
    let wide = app.call("sessions/range", "first=2026-01-01&last=2026-12-31").await;
    assert_eq!((wide.status, wide.json::<AppError>()), (StatusCode::UNPROCESSABLE_ENTITY, AppError::Invalid));

    // And a well-formed call still works.
    let outcome: Acknowledged = app.call("registrations/register", &valid).await.json();
    assert_eq!(outcome.next_path, format!("/en/sessions/{id}?registered=1"));
    assert_eq!(state_of(&app, id, "whole@example.ca").await, RegistrationState::Confirmed);
}

#[tokio::test]
async fn the_form_works_without_javascript_and_keeps_what_was_typed() {
    let app = spawn().await;
    let id = session(&app, "nojs", 30, Duration::days(1)).await;
    let typed = "name=Dr.%20Marie%20Curie&email=marie%40example&career_stage=fellow&province=QC&language=fr";
    let invalid = app.post_form(&format!("/fr/sessions/{id}"), typed).await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(invalid.body.contains("value=\"Dr. Marie Curie\""), "the name is kept");
    assert!(invalid.body.contains("value=\"marie@example\""), "the email is kept");
    assert!(invalid.body.contains("Entrez une adresse courriel valide"));
    assert!(invalid.body.contains("Acceptez les règles de la communauté"));
    assert!(invalid.body.contains("<option value=\"fellow\" selected"));
    assert_eq!(seats(&app, id).await, (0, 0));

    let valid = format!("{}&email=marie%40example.ca&rules=yes", typed.replace("&email=marie%40example", ""));
    let registered = app.post_form(&format!("/fr/sessions/{id}"), &valid).await;
    assert_eq!(registered.status, StatusCode::SEE_OTHER);
    let location = registered.location.unwrap();
    assert_eq!(location, format!("/fr/sessions/{id}?registered=1"));
    let answer = app.get(&location).await;
    assert!(answer.body.contains("Nous avons écrit à l’adresse indiquée"), "{}", answer.body);
    let private = format!("/fr/registrations/{}", app.registration_token(id, "marie@example.ca").await);
    let page = app.get(&private).await;
    assert!(page.body.contains("Vous êtes inscrit"), "{}", page.body);
    assert!(page.body.contains("m•••@example.ca"));
    assert!(!page.body.contains("meet.example.invalid"), "the page never shows the join link");

    let cancel = app.post_form(&private, "intent=cancel").await;
    assert_eq!(cancel.status, StatusCode::SEE_OTHER);
    let after = app.get(&cancel.location.unwrap()).await;
    assert!(after.body.contains("votre inscription est annulée"));
    assert_eq!(seats(&app, id).await, (0, 0));
}

#[tokio::test]
async fn links_cannot_be_forged_and_old_ones_stop_working() {
    let app = spawn().await;
    let id = session(&app, "links", 30, Duration::days(1)).await;
    app.register(id, "ada@example.ca").await;
    let old_token = app.registration_token(id, "ada@example.ca").await;
    app.call("registrations/cancel", &format!("token={old_token}")).await;
    app.register(id, "ada@example.ca").await;
    assert_ne!(app.registration_token(id, "ada@example.ca").await, old_token);
    let stale = app.call("registrations/cancel", &format!("token={old_token}")).await;
    assert_eq!(stale.json::<AppError>(), AppError::InvalidLink);
    assert_eq!(seats(&app, id).await, (1, 0), "the stale link cancelled nothing");
    let (row_id, rest) = old_token.split_once('.').unwrap();
    let forged = format!("{}.{rest}", row_id.parse::<i32>().unwrap() + 1);
    assert_eq!(
        app.call("registrations/get", &format!("token={forged}")).await.json::<AppError>(),
        AppError::InvalidLink
    );
    let page = app.get(&format!("/en/registrations/{forged}")).await;
    assert!(page.body.contains("This link is not valid"));
}

#[tokio::test]
async fn an_smtp_outage_delays_email_but_loses_none_and_sends_none_twice() {
    let mut app = spawn().await;
    let id = session(&app, "outage", 30, Duration::days(1)).await;
    // The SMTP server goes away; the mailer still points at its address.
    let addr = app.smtp.addr;
    app.smtp = SmtpSink::start().await;
    app.register(id, "ada@example.ca").await;
    assert_eq!(app.deliver_mail().await, 0);
    let pending = outbox::pending(&app.state.db).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].attempts, 1);
    assert!(pending[0].last_error.is_some());

    // The server comes back; the retry waits for its back-off, then delivers exactly once.
    let back = SmtpSink::start_on(addr).await;
    assert_eq!(app.deliver_mail().await, 0, "not before the retry time");
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    assert_eq!(app.deliver_mail().await, 1);
    assert_eq!(app.deliver_mail().await, 0);
    assert_eq!(back.to("ada@example.ca").len(), 1);
    assert!(outbox::pending(&app.state.db).await.unwrap().is_empty());
}

/// The Message-ID each queued email was written with, by recipient.
async fn queued_message_ids(app: &TestApp) -> std::collections::HashMap<String, String> {
    let pending = outbox::pending(&app.state.db).await.unwrap();
    pending.into_iter().map(|m| (m.recipient, m.message_id.trim_matches(['<', '>']).to_string())).collect()
}

#[tokio::test]
async fn parallel_sends_deliver_each_email_once_under_its_message_id_and_retry_the_refused() {
    let app = spawn().await;
    let id = session(&app, "burst", 60, Duration::days(1)).await;
    // More than the mailer has in flight at once, every fifth to an address the server refuses.
    let people: Vec<String> = (0..50)
        .map(|n| if n % 5 == 0 { format!("bounce{n}@example.ca") } else { format!("burst{n}@example.ca") })
        .collect();
    for email in &people {
        app.register(id, email).await;
    }
    let queued = queued_message_ids(&app).await;
    assert_eq!(queued.len(), people.len(), "one confirmation each");

    assert_eq!(app.deliver_mail().await, 40);
    assert_eq!(app.smtp.messages().len(), 40, "no message went out twice");
    for email in people.iter().filter(|e| !e.starts_with("bounce")) {
        let received = app.smtp.to(email);
        assert_eq!(received.len(), 1, "{email} got its confirmation once");
        assert_eq!(received[0].parsed().message_id(), Some(queued[email].as_str()), "{email}");
    }
    // The refused stay queued, each to be tried again later, with the kind of failure.
    let pending = outbox::pending(&app.state.db).await.unwrap();
    assert_eq!(pending.len(), 10);
    for message in &pending {
        assert!(message.recipient.starts_with("bounce"), "{}", message.recipient);
        assert_eq!((message.attempts, message.last_error.as_deref()), (1, Some("rejected (550)")));
        assert!(message.send_after > Utc::now(), "not retried before its back-off");
    }
    assert_eq!(app.deliver_mail().await, 0);
}

#[tokio::test]
async fn a_mail_rate_cap_spaces_the_sends() {
    let app = common::spawn_with(|config| {
        config.write_limits = common::generous_write_limits();
        config.mail.rate = std::num::NonZeroU32::new(20);
    })
    .await;
    let id = session(&app, "capped", 30, Duration::days(1)).await;
    let people: Vec<String> = (0..11).map(|n| format!("capped{n}@example.ca")).collect();
    for email in &people {
        app.register(id, email).await;
    }
    let started = std::time::Instant::now();
    assert_eq!(app.deliver_mail().await, people.len());
    // Eleven sends at 20 a second: ten intervals of 50 ms between the first and the last.
    let took = started.elapsed();
    assert!(took >= std::time::Duration::from_millis(500), "eleven sends in {took:?}");
    for email in &people {
        assert_eq!(app.smtp.to(email).len(), 1, "{email}");
    }
}

#[tokio::test]
async fn reminders_go_out_once_each_before_the_session() {
    let app = spawn().await;
    let id = session(&app, "reminded", 30, Duration::days(3)).await;
    app.register(id, "ada@example.ca").await;
    let leads = app.config.reminders.clone();
    let start = seats_start(&app, id).await;
    let remind = |at| server::jobs::send_due_reminders(&app.state, &leads, at);
    assert_eq!(remind(start - Duration::hours(30)).await.unwrap(), 0);
    assert_eq!(remind(start - Duration::hours(23)).await.unwrap(), 1);
    assert_eq!(remind(start - Duration::hours(22)).await.unwrap(), 0, "once");
    assert_eq!(remind(start - Duration::minutes(50)).await.unwrap(), 1);
    assert_eq!(remind(start - Duration::minutes(40)).await.unwrap(), 0);
    // The clock above is simulated, so read the outbox rather than waiting to send.
    let subjects: Vec<String> =
        outbox::of_session(&app.state.db, id).await.unwrap().into_iter().map(|m| m.subject).collect();
    assert_eq!(subjects.iter().filter(|s| s.starts_with("Reminder: reminded")).count(), 2, "{subjects:?}");
}

async fn seats_start(app: &TestApp, id: i32) -> chrono::DateTime<Utc> {
    let detail: SessionDetail = app.call("sessions/get", &format!("id={id}")).await.json();
    detail.summary.starts_at
}

#[tokio::test]
async fn personal_data_is_deleted_after_the_retention_time_and_counts_remain() {
    let app = spawn().await;
    let id = session(&app, "private", 30, Duration::days(1)).await;
    app.register(id, "ada@example.ca").await;
    app.register(id, "grace@example.ca").await;
    app.deliver_mail().await;
    let start = seats_start(&app, id).await;
    let retention = app.config.retention;
    // 47 hours after the end: still there.
    let end = start + Duration::minutes(60);
    assert_eq!(server::jobs::purge(&app.state, retention, end + Duration::hours(47)).await.unwrap(), 0);
    assert_eq!(
        registrations::of_offering(&app.state.db, registrations::Offering::Session(id)).await.unwrap().len(),
        2
    );
    // 49 hours after: gone, messages included; the count stays.
    assert_eq!(server::jobs::purge(&app.state, retention, end + Duration::hours(49)).await.unwrap(), 2);
    assert!(
        registrations::of_offering(&app.state.db, registrations::Offering::Session(id))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(outbox::of_session(&app.state.db, id).await.unwrap().is_empty());
    assert_eq!(seats(&app, id).await, (2, 0));
}

#[tokio::test]
async fn public_calendar_files_parse_and_never_carry_the_join_link() {
    let app = spawn().await;
    let id = session(&app, "public", 30, Duration::days(2)).await;
    let file = app.get(&format!("/fr/sessions/{id}/calendar.ics")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(!file.body.contains("meet.example.invalid"));
    let calendar = parse_ics(&file.body);
    assert_eq!(calendar.events.len(), 1);
    assert_eq!(property(&calendar.events[0], "UID"), Some(format!("session-{id}@rounds.test").as_str()));
    assert!(property(&calendar.events[0], "DESCRIPTION").unwrap().contains(&format!("/fr/sessions/{id}")));

    session(&app, "other", 30, Duration::days(3)).await;
    let feed = app.get("/en/calendar.ics").await;
    assert!(!feed.body.contains("meet.example.invalid"));
    assert_eq!(parse_ics(&feed.body).events.len(), 2);
    let filtered = app.get("/en/calendar.ics?format=nothing-like-this").await;
    assert_eq!(parse_ics(&filtered.body).events.len(), 0);
}

#[tokio::test]
async fn the_live_stream_starts_with_current_counts_and_pushes_each_change() {
    let app = spawn().await;
    let id = session(&app, "live", 30, Duration::days(2)).await;
    let other = session(&app, "elsewhere", 30, Duration::days(2)).await;
    // A bare number is a session, as pages rendered before cohorts had live counts name it.
    let mut stream = app.seat_stream(&id.to_string()).await;
    let snapshot = stream.next().await;
    assert_eq!((snapshot.offering, snapshot.seats_taken), (registrations::Offering::Session(id), 0));
    app.register(other, "someone@example.ca").await; // not asked for: not sent
    app.register(id, "ada@example.ca").await;
    let pushed = stream.next().await;
    assert_eq!((pushed.offering, pushed.seats_taken), (registrations::Offering::Session(id), 1));
    // The hub's keep-alive reaches every stream as a comment, which pages ignore.
    app.state.db.signals().live.keep_alive();
    assert_eq!(stream.next_frame().await, ":\n\n");
}

/// A coordinator, as the workspace services see one.
fn coordinator() -> app::domain::access::Caller {
    app::domain::access::Caller {
        account_id: 0,
        role: app::domain::access::Role::Coordinator,
        facilitator_id: None,
    }
}

async fn states(app: &TestApp, id: i32) -> Vec<(String, registrations::Status)> {
    let rows = registrations::of_offering(&app.state.db, registrations::Offering::Session(id)).await.unwrap();
    rows.into_iter().map(|row| (row.email, row.status)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_cancellations_of_one_registration_free_its_seat_once() {
    let app = spawn().await;
    // Several sessions at once, so the cancellations overlap whatever the scheduling.
    let mut sessions = Vec::new();
    for n in 0..4 {
        let id = session(&app, &format!("race{n}"), 1, Duration::days(2)).await;
        for email in ["holder@example.ca", "next@example.ca", "after@example.ca"] {
            app.register(id, email).await;
        }
        sessions.push((id, app.registration_token(id, "holder@example.ca").await));
    }
    let router = &app.router;
    let cancels = sessions.iter().flat_map(|(_, token)| {
        (0..6).map(move |_| {
            let router = router.clone();
            let body = format!("token={token}");
            tokio::spawn(async move {
                let request = Request::post("/api/registrations/cancel")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("accept", "application/json")
                    .body(Body::from(body))
                    .unwrap();
                router.oneshot(request).await.unwrap().status()
            })
        })
    });
    for status in futures_join(cancels).await {
        assert_eq!(status, StatusCode::OK);
    }
    for (id, _) in sessions {
        let expected = [
            ("holder@example.ca".to_string(), registrations::Status::Cancelled),
            ("next@example.ca".to_string(), registrations::Status::Confirmed),
            ("after@example.ca".to_string(), registrations::Status::Waitlisted),
        ];
        let mut found = states(&app, id).await;
        found.sort_by_key(|(email, _)| ["holder", "next", "after"].iter().position(|p| email.starts_with(p)));
        assert_eq!(found, expected, "one promotion, not one per cancellation");
        assert_eq!(seats(&app, id).await, (1, 1), "the counters match the rows");
    }
}

/// A one-seat session whose seat is held, with one person waiting.
async fn one_seat_held_and_one_waiting(app: &TestApp, title: &str) -> i32 {
    let id = session(app, title, 1, Duration::days(2)).await;
    app.register(id, "holder@example.ca").await;
    app.register(id, "waiting@example.ca").await;
    id
}

/// Closes or reopens registration, as a coordinator does from the workspace.
async fn set_registration_closed(app: &TestApp, id: i32, closed: bool) {
    let session = registrations::Offering::Session(id);
    app::server::registrations::set_registration_closed(
        &app.state,
        &coordinator(),
        session,
        closed,
        Utc::now(),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn a_seat_freed_while_registration_is_closed_goes_to_the_waitlist_not_to_a_newcomer() {
    let app = spawn().await;
    let id = one_seat_held_and_one_waiting(&app, "closed").await;
    set_registration_closed(&app, id, true).await;
    let token = app.registration_token(id, "holder@example.ca").await;
    app.call("registrations/cancel", &format!("token={token}")).await;
    set_registration_closed(&app, id, false).await;
    app.register(id, "newcomer@example.ca").await;
    assert_eq!(state_of(&app, id, "waiting@example.ca").await, RegistrationState::Confirmed);
    assert_eq!(state_of(&app, id, "newcomer@example.ca").await, RegistrationState::Waitlisted(1));
    assert_eq!(seats(&app, id).await, (1, 1));
    app.deliver_mail().await;
    let promoted = app.smtp.to("waiting@example.ca").pop().unwrap();
    assert!(promoted.subject().starts_with("A seat opened up"), "{}", promoted.subject());
}

#[tokio::test]
async fn reopening_registration_serves_the_waitlist_before_anyone_new() {
    let app = spawn().await;
    let id = one_seat_held_and_one_waiting(&app, "reopened").await;
    set_registration_closed(&app, id, true).await;
    let now = Utc::now();
    // A seat left free with someone waiting, as a cancellation made it before promotions
    // ran while registration was closed.
    let holder = registrations::of_offering(&app.state.db, registrations::Offering::Session(id))
        .await
        .unwrap()
        .remove(0);
    app.state
        .db
        .write(move |txn| {
            Box::pin(async move {
                registrations::set_status(txn, holder.id, registrations::Status::Cancelled, now).await?;
                let seats = app::domain::registration::Seats { capacity: 1, taken: 0, waiting: 1 };
                let session = registrations::lock_session(txn, id).await?.expect("the session exists");
                registrations::save_seats(txn, &session, seats, now).await
            })
        })
        .await
        .unwrap();
    set_registration_closed(&app, id, false).await;
    assert_eq!(state_of(&app, id, "waiting@example.ca").await, RegistrationState::Confirmed);
    assert_eq!(seats(&app, id).await, (1, 0));
    app.register(id, "newcomer@example.ca").await;
    assert_eq!(state_of(&app, id, "newcomer@example.ca").await, RegistrationState::Waitlisted(1));
}

#[tokio::test]
async fn a_cancelled_session_sends_no_reminder_and_no_join_link() {
    let app = spawn().await;
    let id = session(&app, "called-off", 30, Duration::days(3)).await;
    app.register(id, "ada@example.ca").await;
    let start = seats_start(&app, id).await;
    app::server::workspace::cancel(&app.state, &coordinator(), id, Utc::now()).await.unwrap();
    let leads = app.config.reminders.clone();
    assert_eq!(
        server::jobs::send_due_reminders(&app.state, &leads, start - Duration::hours(23)).await.unwrap(),
        0
    );
    assert_eq!(
        server::jobs::send_due_reminders(&app.state, &leads, start - Duration::minutes(50)).await.unwrap(),
        0
    );
    let subjects: Vec<String> =
        outbox::of_session(&app.state.db, id).await.unwrap().into_iter().map(|m| m.subject).collect();
    assert!(!subjects.iter().any(|s| s.starts_with("Reminder")), "{subjects:?}");
}
