//! Cohort groups through the real router and services: creating intakes (with mistakes),
//! registering for every meeting at once, the waitlist and its promotion, one calendar file
//! with every meeting, withdrawing, who sees the roster, the next intake and the "tell me when
//! it opens" list, capacity under concurrent registrations, and the purge after the last
//! meeting.

use crate::common;

use app::domain::access::Role;
use app::domain::zones::reference_time;
use app::error::AppError;
use app::model::{CohortAdmin, CohortSummary};
use app::server::cohorts;
use app::server::db::cohorts as store;
use app::server::db::outbox;
use app::server::db::registrations::{Offering, Status, of_offering};
use axum::http::StatusCode;
use chrono::{Duration, NaiveDate, Utc};
use common::{TestApp, encode, parse_ics, property};

const PASSWORD: &str = "a sufficiently long passphrase";

/// Three Tuesdays from the one at least ten days away, one per line.
fn three_tuesdays() -> (String, NaiveDate) {
    let mut first = reference_time(Utc::now()).date() + Duration::days(10);
    while first.format("%a").to_string() != "Tue" {
        first += Duration::days(1);
    }
    let dates: Vec<String> = (0..3).map(|week| (first + Duration::days(7 * week)).to_string()).collect();
    (dates.join("\n"), first)
}

fn cohort_form(dates: &str, capacity: u32, opens_on: &str, facilitator_id: Option<i32>) -> String {
    let facilitator = facilitator_id.map(|id| format!("&facilitator_id={id}")).unwrap_or_default();
    format!(
        "track=residents-on-leave&title_en=Residents%20on%20leave&title_fr=R%C3%A9sidents%20en%20cong%C3%A9\
         &description_en=Three%20mornings.&description_fr=Trois%20matins.&audience=residents_on_leave&language=en\
         &eligibility_en=I%20am%20on%20leave.&eligibility_fr=Je%20suis%20en%20cong%C3%A9.\
         &agreement_en=What%20is%20said%20here%20stays%20here.&agreement_fr=Ce%20qui%20se%20dit%20ici%20reste%20ici.\
         &dates={}&time=09%3A30&duration=120&capacity={capacity}&meeting_link=https%3A%2F%2Fmeet.example%2Fleave\
         &opens_on={opens_on}{facilitator}",
        encode(dates)
    )
}

async fn create(app: &TestApp, cookie: &str, form: &str) -> i32 {
    let reply = app.post_form_as(cookie, "/en/workspace/cohorts", form).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let location = reply.location.unwrap();
    location.trim_start_matches("/en/workspace/cohorts/").split('?').next().unwrap().parse().unwrap()
}

fn registration(name: &str, email: &str, language: &str) -> String {
    format!(
        "name={}&email={}&career_stage=resident&province=ON&language={language}&eligible=yes&agreement=yes&rules=yes",
        encode(name),
        encode(email)
    )
}

/// Registers `email` and returns the private path its emails carry (the answer never does).
async fn register(app: &TestApp, cohort: i32, form: &str, email: &str) -> String {
    let reply = app.post_form(&format!("/en/cohorts/{cohort}"), form).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.location, Some(format!("/en/cohorts/{cohort}?registered=1")));
    app.cohort_registration_path(cohort, email).await
}

async fn admin(app: &TestApp, cookie: &str, id: i32) -> Result<CohortAdmin, AppError> {
    let reply = app.call_as(Some(cookie), "workspace/cohort", &format!("id={id}")).await;
    if reply.status == StatusCode::OK { Ok(reply.json()) } else { Err(reply.json()) }
}

#[tokio::test]
async fn an_intake_from_creation_through_registration_withdrawal_and_the_purge() {
    let app = common::spawn().await;
    let (_, leader_profile) = app.account(Role::Facilitator, "leader@example.ca", PASSWORD, true).await;
    app.account(Role::Facilitator, "other@example.ca", PASSWORD, true).await;
    app.account(Role::Coordinator, "coordinator@example.ca", PASSWORD, false).await;
    let leader = app.sign_in("leader@example.ca", PASSWORD).await;
    let other = app.sign_in("other@example.ca", PASSWORD).await;
    let coordinator = app.sign_in("coordinator@example.ca", PASSWORD).await;
    let (dates, first_day) = three_tuesdays();

    // Mistakes come back translated, with what was typed.
    let broken = cohort_form("next tuesday", 2, "", None).replace("agreement_fr=", "agreement_fr_x=");
    let reply = app.post_form_as(&leader, "/fr/workspace/cohorts", &broken).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Rédigez l’entente de confidentialité"), "{}", reply.body);
    assert!(reply.body.contains("année-mois-jour"));
    assert!(reply.body.contains("Residents on leave"), "the typed title is kept");

    let cohort = create(&app, &leader, &cohort_form(&dates, 2, "", None)).await;
    let page = app.get(&format!("/fr/cohorts/{cohort}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Résidents en congé") && page.body.contains("Les 3 rencontres"));
    assert!(!page.body.contains("meet.example"), "the join link never appears on a page");

    // Registering without the agreement keeps the answers and says what is missing.
    let without_agreement =
        registration("Ada Lovelace", "ada@example.ca", "en").replace("&agreement=yes", "");
    let reply = app.post_form(&format!("/en/cohorts/{cohort}"), &without_agreement).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Accept the confidentiality agreement"));
    assert!(reply.body.contains("Ada Lovelace"));

    let ada =
        register(&app, cohort, &registration("Ada Lovelace", "ada@example.ca", "en"), "ada@example.ca").await;
    let new_answer = app
        .post_form(&format!("/en/cohorts/{cohort}"), &registration("Bea Côté", "bea@example.ca", "fr"))
        .await;
    let cy = register(&app, cohort, &registration("Cy Young", "cy@example.ca", "en"), "cy@example.ca").await;
    let cy_page = app.get(&cy).await;
    assert!(cy_page.body.contains("number 1 on the waitlist"), "{}", cy_page.body);
    // The same addresses again (one with a seat, one waiting) change nothing, and the answer
    // is a newcomer's: it tells nobody who is registered.
    for (name, email) in [("Ada", "ADA@example.ca"), ("Cy", "cy@example.ca")] {
        let again = app.post_form(&format!("/en/cohorts/{cohort}"), &registration(name, email, "fr")).await;
        assert_eq!(
            (again.status, &again.location, &again.body),
            (new_answer.status, &new_answer.location, &new_answer.body)
        );
    }
    let answer = app.get(new_answer.location.as_deref().unwrap()).await;
    assert!(answer.body.contains("We have emailed the address you gave"), "{}", answer.body);
    let row = store::cohort(&app.state.db, cohort).await.unwrap().unwrap();
    assert_eq!((row.seats_taken, row.waitlist_length), (2, 1));

    app.deliver_mail().await;
    let confirmations = app.smtp.to("ada@example.ca");
    assert_eq!(confirmations.len(), 1, "no second email within the hour");
    assert_eq!(app.smtp.to("cy@example.ca").len(), 1);
    let later = Utc::now() + Duration::minutes(61);
    let form = app::domain::cohort::CohortRegistrationForm {
        name: "Ada".into(),
        email: "ada@example.ca".into(),
        career_stage: "resident".into(),
        province: "ON".into(),
        language: "en".into(),
        eligible: Some("yes".into()),
        agreement: Some("yes".into()),
        rules: Some("yes".into()),
    };
    for at in [later, later + Duration::minutes(30)] {
        let check = {
            let form = form.clone();
            move |audience| form.check(audience)
        };
        let offering = app::model::Offering::Intake(cohort);
        app::server::registrations::register(&app.state, offering, check, app::i18n::Locale::En, at)
            .await
            .unwrap();
    }
    // The clock above is simulated: the re-send waits in the outbox for its time.
    let pending = app::server::db::outbox::pending(&app.state.db).await.unwrap();
    assert_eq!(
        pending.iter().filter(|m| m.recipient == "ada@example.ca").count(),
        1,
        "one re-send in the next hour"
    );
    let ics = confirmations[0].ics().expect("a calendar file");
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 3, "{ics}");
    assert!(ics.contains("METHOD:PUBLISH") && ics.contains("LOCATION:https://meet.example/leave"));
    let first_utc = app::domain::zones::instant_at(
        first_day.and_hms_opt(9, 30, 0).unwrap(),
        app::domain::zones::eastern(),
    )
    .unwrap();
    assert!(ics.contains(&format!("DTSTART:{}", first_utc.format("%Y%m%dT%H%M%SZ"))), "{ics}");
    assert!(confirmations[0].text().contains("every meeting"));
    let bea = &app.smtp.to("bea@example.ca")[0];
    assert!(bea.subject().contains("Résidents en congé"), "in her language: {}", bea.subject());
    let cy_mail = &app.smtp.to("cy@example.ca")[0];
    assert!(cy_mail.ics().is_none(), "the waitlist gets no invitation");

    // Who sees what in the workspace.
    let own = admin(&app, &leader, cohort).await.unwrap();
    let roster = own.roster.expect("the facilitator sees the roster");
    assert_eq!(
        roster.iter().map(|entry| entry.name.as_str()).collect::<Vec<_>>(),
        ["Ada Lovelace", "Bea Côté", "Cy Young"]
    );
    assert_eq!(admin(&app, &other, cohort).await, Err(AppError::Forbidden));
    let counts = admin(&app, &coordinator, cohort).await.unwrap();
    assert!(counts.roster.is_none(), "the coordinator sees counts, not names");
    assert_eq!((counts.summary.seats_taken, counts.summary.waitlist_length), (2, 1));
    let not_signed_in = app.call("workspace/cohort", &format!("id={cohort}")).await;
    assert_eq!(not_signed_in.json::<AppError>(), AppError::SignInRequired);
    let mine: Vec<CohortSummary> = app.call_as(Some(&leader), "workspace/cohorts", "").await.json();
    assert_eq!(mine.iter().map(|c| c.id).collect::<Vec<_>>(), [cohort]);
    let theirs: Vec<CohortSummary> = app.call_as(Some(&other), "workspace/cohorts", "").await.json();
    assert!(theirs.is_empty());
    assert_eq!(app.call("workspace/cohorts", "").await.json::<AppError>(), AppError::SignInRequired);
    let refused = app.post_form_as(&other, &format!("/en/workspace/cohorts/{cohort}"), "intent=close").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // Ada withdraws: her calendars lose every meeting, Cy gets her seat and the invitation.
    let reply = app.post_form(&ada, "intent=withdraw").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.location.as_deref(), Some(format!("/en/cohorts/{cohort}?withdrawn=1").as_str()));
    app.deliver_mail().await;
    let withdrawn = app.smtp.to("ada@example.ca").pop().unwrap();
    let cancel = withdrawn.ics().expect("a cancellation file");
    assert!(cancel.contains("METHOD:CANCEL") && cancel.matches("STATUS:CANCELLED").count() == 3, "{cancel}");
    assert_eq!(ics.matches("UID:meeting-").count(), 3);
    for uid in ics.lines().filter(|line| line.starts_with("UID:meeting-")) {
        assert!(cancel.contains(uid), "the cancellation names {uid}");
    }
    let promoted = app.smtp.to("cy@example.ca").pop().unwrap();
    assert!(promoted.subject().contains("A seat opened up"), "{}", promoted.subject());
    assert_eq!(promoted.ics().unwrap().matches("BEGIN:VEVENT").count(), 3);
    assert!(app.get(&cy).await.body.contains("You have a seat in every meeting"));
    let after = admin(&app, &leader, cohort).await.unwrap();
    assert_eq!((after.summary.seats_taken, after.summary.waitlist_length), (2, 0));
    assert!(app.get(&ada).await.body.contains("You withdrew"));

    // The next intake, created by the coordinator for the same facilitator, opens later.
    let later: Vec<String> =
        (12..15).map(|week| (first_day + Duration::days(7 * week)).to_string()).collect();
    let opens_on = first_day + Duration::days(7 * 9);
    let next =
        create(&app, &coordinator, &cohort_form(&later.join("\n"), 8, &opens_on.to_string(), leader_profile))
            .await;
    let full_page = app.get(&format!("/en/cohorts/{cohort}")).await;
    assert!(full_page.body.contains("Next group"), "a full intake shows the next one");
    assert!(!full_page.body.contains("Email me when it opens"), "a full intake still takes the waitlist");
    assert!(full_page.body.contains(&format!("/en/cohorts/{next}")));
    // Its facilitator stops registration: the page then offers to hear about the next one.
    let closed = app.post_form_as(&leader, &format!("/en/workspace/cohorts/{cohort}"), "intent=close").await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);
    let late =
        app.post_form(&format!("/en/cohorts/{cohort}"), &registration("Late", "late@example.ca", "en")).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(late.body.contains("closed"), "{}", late.body);
    let bad =
        app.post_form(&format!("/en/cohorts/{cohort}/interest"), "email=not-an-address&language=en").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Enter a valid email address") && bad.body.contains("not-an-address"));
    let told =
        app.post_form(&format!("/en/cohorts/{cohort}/interest"), "email=dee%40example.ca&language=fr").await;
    assert_eq!(told.location.as_deref(), Some(format!("/en/cohorts/{cohort}?told=1").as_str()));
    app.post_form_as(&leader, &format!("/en/workspace/cohorts/{cohort}"), "intent=reopen").await;
    let early =
        app.post_form(&format!("/en/cohorts/{next}"), &registration("Early", "early@example.ca", "en")).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "the next intake is not open yet");

    let opening =
        app::domain::zones::instant_at(opens_on.and_hms_opt(0, 0, 0).unwrap(), app::domain::zones::eastern())
            .unwrap();
    assert_eq!(cohorts::announce_openings(&app.state, opening - Duration::minutes(1)).await.unwrap(), 0);
    if app.config.database_url.starts_with("postgres") {
        // Two instances run the job at the same moment: one of them tells.
        let second = server::start(&app.config).await.expect("a second instance on the same database");
        let (one, other) = tokio::join!(
            cohorts::announce_openings(&app.state, opening),
            cohorts::announce_openings(&second, opening)
        );
        assert_eq!(one.unwrap() + other.unwrap(), 1, "told once, whichever instance runs the job");
    } else {
        assert_eq!(cohorts::announce_openings(&app.state, opening).await.unwrap(), 1);
    }
    assert_eq!(cohorts::announce_openings(&app.state, opening).await.unwrap(), 0, "told once");
    // The message waits in the outbox for its time (the opening, here still to come).
    let news: Vec<_> = app::server::db::outbox::pending(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|message| message.recipient == "dee@example.ca")
        .collect();
    assert_eq!(news.len(), 1);
    assert!(news[0].subject.starts_with("Inscriptions ouvertes"), "{}", news[0].subject);
    assert!(news[0].body.contains(&format!("/fr/cohorts/{next}")));
    assert_eq!(news[0].send_after, opening);

    // After the last meeting (and the retention), the people are gone and the counts stay.
    let last_end = first_utc + Duration::days(14) + Duration::hours(2);
    assert_eq!(store::purge_ended(&app.state.db, last_end).await.unwrap(), 0, "not before the end");
    assert_eq!(store::purge_ended(&app.state.db, last_end + Duration::seconds(1)).await.unwrap(), 3);
    let row = store::cohort(&app.state.db, cohort).await.unwrap().unwrap();
    assert_eq!(row.seats_taken, 2);
    assert!(app.get(&cy).await.body.contains("not valid"), "links stop working once purged");
}

#[tokio::test]
async fn concurrent_registrations_never_exceed_the_seats() {
    let app = common::spawn().await;
    app.account(Role::Facilitator, "leader@example.ca", PASSWORD, true).await;
    let leader = app.sign_in("leader@example.ca", PASSWORD).await;
    let cohort = create(&app, &leader, &cohort_form(&three_tuesdays().0, 3, "", None)).await;
    let attempts = (0..10).map(|n| {
        let app = &app;
        async move {
            let form = registration(&format!("Person {n}"), &format!("p{n}@example.ca"), "en");
            app.post_form(&format!("/en/cohorts/{cohort}"), &form).await.status
        }
    });
    let statuses = futures::future::join_all(attempts).await;
    assert!(statuses.iter().all(|status| *status == StatusCode::SEE_OTHER), "{statuses:?}");
    let row = store::cohort(&app.state.db, cohort).await.unwrap().unwrap();
    assert_eq!((row.seats_taken, row.waitlist_length), (3, 7));
    let people = of_offering(&app.state.db, Offering::Intake(cohort)).await.unwrap();
    assert_eq!(people.iter().filter(|p| p.status == Status::Confirmed).count(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_withdrawals_of_one_registration_free_its_seat_once() {
    let app = common::spawn().await;
    app.account(Role::Facilitator, "leader@example.ca", PASSWORD, true).await;
    let leader = app.sign_in("leader@example.ca", PASSWORD).await;
    let mut intakes = Vec::new();
    for _ in 0..3 {
        let cohort = create(&app, &leader, &cohort_form(&three_tuesdays().0, 1, "", None)).await;
        let holder =
            register(&app, cohort, &registration("Holder", "holder@example.ca", "en"), "holder@example.ca")
                .await;
        for email in ["next@example.ca", "after@example.ca"] {
            register(&app, cohort, &registration("Waiting", email, "en"), email).await;
        }
        intakes.push((cohort, holder));
    }
    // Each on a task of its own, on several threads, so the withdrawals truly overlap.
    let withdrawals: Vec<_> = intakes
        .iter()
        .flat_map(|(_, holder)| {
            (0..6).map(|_| {
                let request = axum::http::Request::post(holder.as_str())
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(axum::body::Body::from("intent=withdraw"))
                    .unwrap();
                tokio::spawn(tower::ServiceExt::oneshot(app.router.clone(), request))
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for withdrawal in withdrawals {
        statuses.push(withdrawal.await.unwrap().unwrap().status());
    }
    assert!(statuses.iter().all(|status| *status == StatusCode::SEE_OTHER), "{statuses:?}");
    for (cohort, _) in intakes {
        let people = of_offering(&app.state.db, Offering::Intake(cohort)).await.unwrap();
        let status_of = |email: &str| people.iter().find(|p| p.email == email).unwrap().status;
        assert_eq!(
            [status_of("holder@example.ca"), status_of("next@example.ca"), status_of("after@example.ca")],
            [Status::Cancelled, Status::Confirmed, Status::Waitlisted],
            "one promotion, not one per withdrawal"
        );
        let row = store::cohort(&app.state.db, cohort).await.unwrap().unwrap();
        assert_eq!((row.seats_taken, row.waitlist_length), (1, 1), "the counters match the rows");
    }
}

#[tokio::test]
async fn the_waitlist_of_an_intake_holds_three_times_its_seats() {
    let app = common::spawn().await;
    app.account(Role::Facilitator, "leader@example.ca", PASSWORD, true).await;
    let leader = app.sign_in("leader@example.ca", PASSWORD).await;
    let cohort = create(&app, &leader, &cohort_form(&three_tuesdays().0, 1, "", None)).await;
    for n in 0..4 {
        let email = format!("p{n}@example.ca");
        register(&app, cohort, &registration(&format!("Person {n}"), &email, "en"), &email).await;
    }
    let refused =
        app.post_form(&format!("/en/cohorts/{cohort}"), &registration("Late", "late@example.ca", "en")).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains("the waitlist is full too"), "{}", refused.body);
    let row = store::cohort(&app.state.db, cohort).await.unwrap().unwrap();
    assert_eq!((row.seats_taken, row.waitlist_length), (1, 3));

    // The page says so instead of offering the form, and offers to hear about the next intake.
    let page = app.get(&format!("/en/cohorts/{cohort}")).await;
    assert!(page.body.contains("the waitlist is full too"), "{}", page.body);
    assert!(!page.body.contains("name=\"agreement\""), "no registration form");
    assert!(page.body.contains(&format!("action=\"/en/cohorts/{cohort}/interest\"")), "{}", page.body);
}

/// What cohorts gained from sharing the sessions' engine: live counts on every open page, a
/// reminder before each meeting (to people with a seat, in their language, with the join
/// link), and their meetings in the week view and the calendar feed.
#[tokio::test]
async fn cohorts_have_live_counts_a_reminder_before_each_meeting_and_a_place_in_the_calendar() {
    let app = common::spawn().await;
    app.account(Role::Facilitator, "leader@example.ca", PASSWORD, true).await;
    let leader = app.sign_in("leader@example.ca", PASSWORD).await;
    let (dates, first_day) = three_tuesdays();
    let cohort = create(&app, &leader, &cohort_form(&dates, 2, "", None)).await;

    let mut stream = app.seat_stream(&format!("c{cohort}")).await;
    let snapshot = stream.next().await;
    assert_eq!(
        (snapshot.offering, snapshot.seats_taken, snapshot.capacity),
        (Offering::Intake(cohort), 0, 2)
    );
    register(&app, cohort, &registration("Bea Côté", "bea@example.ca", "fr"), "bea@example.ca").await;
    let pushed = stream.next().await;
    assert_eq!((pushed.offering, pushed.seats_taken), (Offering::Intake(cohort), 1));
    register(&app, cohort, &registration("Cy Young", "cy@example.ca", "en"), "cy@example.ca").await;
    register(&app, cohort, &registration("Di Prince", "di@example.ca", "en"), "di@example.ca").await;
    app.deliver_mail().await;

    let all = store::all_with_meetings(&app.state.db).await.unwrap();
    let (_, meetings) = all.iter().find(|(row, _)| row.id == cohort).unwrap();
    assert_eq!(meetings.len(), 3);
    let leads = app.config.reminders.clone();
    let remind = |at| server::jobs::send_due_reminders(&app.state, &leads, at);
    for meeting in meetings {
        assert_eq!(remind(meeting.starts_at - Duration::hours(30)).await.unwrap(), 0);
        assert_eq!(remind(meeting.starts_at - Duration::hours(23)).await.unwrap(), 2, "the two seats");
        assert_eq!(remind(meeting.starts_at - Duration::hours(22)).await.unwrap(), 0, "once");
    }
    // The clock above is simulated, so read the outbox rather than waiting to send.
    let queued = outbox::pending(&app.state.db).await.unwrap();
    let to = |email: &str| queued.iter().filter(|m| m.recipient == email).collect::<Vec<_>>();
    assert!(to("di@example.ca").is_empty(), "the waitlist gets no reminder");
    let bea = to("bea@example.ca");
    assert_eq!(bea.len(), 3);
    for (part, reminder) in (1..).zip(&bea) {
        assert!(reminder.subject.starts_with("Rappel"), "{}", reminder.subject);
        assert!(reminder.subject.contains(&format!("rencontre {part} sur 3")), "{}", reminder.subject);
        assert!(reminder.body.contains("https://meet.example/leave"), "{}", reminder.body);
    }
    assert!(to("cy@example.ca")[1].subject.contains("meeting 2 of 3"));

    // A session the same evening is listed after the group's morning meeting: soonest first.
    let evening = app::domain::zones::instant_at(
        first_day.and_hms_opt(19, 0, 0).unwrap(),
        app::domain::zones::eastern(),
    )
    .unwrap();
    let ids = app.seed_format("evening-format").await;
    app.seed_session(ids, common::SessionSeed::at("Evening circle", evening)).await;
    let week = app.get(&format!("/en/week?date={first_day}")).await;
    let meeting_at = week.body.find("Residents on leave — meeting 1 of 3");
    assert!(meeting_at.is_some(), "{}", week.body);
    assert!(meeting_at < week.body.find("Evening circle"), "soonest first: {}", week.body);
    assert!(week.body.contains(&format!("/en/cohorts/{cohort}")));
    let feed = app.get("/fr/calendar.ics").await;
    let events = parse_ics(&feed.body).events;
    let group_events: Vec<_> =
        events.iter().filter(|e| property(e, "UID").is_some_and(|uid| uid.starts_with("meeting-"))).collect();
    assert_eq!(group_events.len(), 3);
    assert_eq!(property(group_events[1], "SUMMARY"), Some("Résidents en congé — rencontre 2 sur 3"));
    assert!(!feed.body.contains("meet.example"), "no join link in the public feed");
    let one_format = app.get("/en/calendar.ics?format=compassion-rounds").await;
    assert!(!one_format.body.contains("UID:meeting-"), "a group is of no format");
}

/// A facilitator changes an intake before it starts: the first meeting stays, the second moves
/// three weeks on, the third is dropped, and one seat more. The person waiting gets that seat;
/// the person with a seat gets one calendar file whose events keep their UIDs at SEQUENCE 1,
/// the dropped meeting cancelled. The stored join link stays when the field is left empty.
/// Fewer seats than taken, someone else's intake, or one under way are refused.
#[tokio::test]
async fn an_intake_edited_before_it_starts_updates_every_calendar() {
    let app = common::spawn().await;
    app.account(Role::Facilitator, "leader@example.ca", PASSWORD, true).await;
    app.account(Role::Facilitator, "other@example.ca", PASSWORD, true).await;
    let leader = app.sign_in("leader@example.ca", PASSWORD).await;
    let other = app.sign_in("other@example.ca", PASSWORD).await;
    let (dates, first_day) = three_tuesdays();
    let cohort = create(&app, &leader, &cohort_form(&dates, 1, "", None)).await;
    register(&app, cohort, &registration("Ada Lovelace", "ada@example.ca", "en"), "ada@example.ca").await;
    register(&app, cohort, &registration("Bea Côté", "bea@example.ca", "fr"), "bea@example.ca").await;
    app.deliver_mail().await;
    let meetings_now = || async {
        let all = store::all_with_meetings(&app.state.db).await.unwrap();
        all.into_iter().find(|(row, _)| row.id == cohort).unwrap()
    };
    let (_, before) = meetings_now().await;

    let page = app.get_as(&leader, &format!("/en/workspace/cohorts/{cohort}")).await;
    assert!(page.body.contains("Change this group"), "{}", page.body);
    assert!(page.body.contains(&first_day.to_string()), "the stored dates fill the form");
    assert!(!page.body.contains("meet.example"), "the link is never shown");

    let new_dates = [first_day, first_day + Duration::days(28)].map(|day| day.to_string()).join("\n");
    let edit = |capacity: u32| {
        cohort_form(&new_dates, capacity, "", None)
            .replace("meeting_link=https%3A%2F%2Fmeet.example%2Fleave", "meeting_link=")
            + "&intent=update"
    };
    let page_path = format!("/en/workspace/cohorts/{cohort}");
    let refused = app.post_form_as(&other, &page_path, &edit(2)).await;
    assert_ne!(refused.status, StatusCode::SEE_OTHER, "not theirs");
    let reply = app.post_form_as(&leader, &page_path, &edit(2)).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let too_few = app.post_form_as(&leader, &page_path, &edit(1)).await;
    assert_eq!(too_few.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_few.body.contains("the capacity cannot go lower"), "{}", too_few.body);

    let (row, after) = meetings_now().await;
    assert_eq!((row.capacity, row.seats_taken, row.waitlist_length, row.ics_sequence), (2, 2, 0, 1));
    assert_eq!(
        row.meeting_link.as_deref(),
        Some("https://meet.example/leave"),
        "an empty field keeps the link"
    );
    let ids = |meetings: &[store::Meeting]| meetings.iter().map(|m| m.id).collect::<Vec<_>>();
    assert_eq!(ids(&after), ids(&before)[..2], "the kept meetings keep their rows, and so their UIDs");
    assert_eq!(after[1].starts_at, before[1].starts_at + Duration::days(21));

    app.deliver_mail().await;
    let bea = app.smtp.to("bea@example.ca");
    assert!(
        bea.last().unwrap().subject().contains("Une place s’est libérée"),
        "{}",
        bea.last().unwrap().subject()
    );
    let ada = app.smtp.to("ada@example.ca");
    let changed = ada.last().unwrap();
    assert!(changed.subject().starts_with("Group updated"), "{}", changed.subject());
    let events = parse_ics(&changed.ics().expect("a calendar file")).events;
    let event_of = |id: i32| {
        let uid = format!("meeting-{id}@rounds.test");
        events.iter().find(|e| property(e, "UID") == Some(uid.as_str())).unwrap_or_else(|| panic!("no {uid}"))
    };
    for meeting in &before {
        assert_eq!(property(event_of(meeting.id), "SEQUENCE"), Some("1"));
    }
    assert_eq!(property(event_of(before[0].id), "STATUS"), Some("CONFIRMED"));
    assert_eq!(property(event_of(before[1].id), "STATUS"), Some("CONFIRMED"));
    assert_eq!(property(event_of(before[2].id), "STATUS"), Some("CANCELLED"), "the dropped meeting");
    assert_eq!(events.len(), 3);

    let started = after[0].starts_at + Duration::minutes(5);
    let form: app::domain::cohort::CohortForm = serde_urlencoded::from_str(&edit(3)).unwrap();
    let caller = app::domain::access::Caller { account_id: 0, role: Role::Coordinator, facilitator_id: None };
    assert_eq!(cohorts::update(&app.state, &caller, cohort, &form, started).await, Err(AppError::Invalid));
}

/// Once its last meeting has ended, an intake is concluded like a session: each person with a
/// seat is emailed an evaluation link in their language, and its participation is counted
/// under the cohort groups for the reports.
#[tokio::test]
async fn an_intake_that_ended_sends_its_evaluation_links_and_is_counted() {
    use app::server::db::entity::cohort_meeting;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    let app = common::spawn().await;
    app.account(Role::Facilitator, "leader@example.ca", PASSWORD, true).await;
    let leader = app.sign_in("leader@example.ca", PASSWORD).await;
    let (dates, _) = three_tuesdays();
    let cohort = create(&app, &leader, &cohort_form(&dates, 2, "", None)).await;
    register(&app, cohort, &registration("Bea Côté", "bea@example.ca", "fr"), "bea@example.ca").await;
    register(&app, cohort, &registration("Cy Young", "cy@example.ca", "en"), "cy@example.ca").await;
    register(&app, cohort, &registration("Di Prince", "di@example.ca", "en"), "di@example.ca").await;
    assert_eq!(app::server::evaluations::conclude_ended(&app.state, Utc::now()).await.unwrap(), 0);

    // The three meetings move to the last few hours: the last ended an hour ago.
    let conn = sea_orm::Database::connect(&app.config.database_url).await.unwrap();
    let all = store::all_with_meetings(&app.state.db).await.unwrap();
    let (_, meetings) = all.iter().find(|(row, _)| row.id == cohort).unwrap();
    for (index, meeting) in meetings.iter().enumerate() {
        let hours_ago = 7 - 2 * i64::try_from(index).unwrap();
        cohort_meeting::Entity::update_many()
            .col_expr(cohort_meeting::Column::StartsAt, Expr::value(Utc::now() - Duration::hours(hours_ago)))
            .filter(cohort_meeting::Column::Id.eq(meeting.id))
            .exec(&conn)
            .await
            .unwrap();
    }
    assert_eq!(app::server::evaluations::conclude_ended(&app.state, Utc::now()).await.unwrap(), 2);
    app.deliver_mail().await;
    let evaluation = |email: &str| {
        app.smtp.to(email).into_iter().find(|m| m.text().contains("/evaluations/")).map(|m| m.subject())
    };
    assert!(evaluation("bea@example.ca").is_some_and(|s| s.starts_with("Comment s’est passé")), "in French");
    assert!(evaluation("cy@example.ca").is_some_and(|s| s.starts_with("How was")));
    assert_eq!(evaluation("di@example.ca"), None, "the waitlist gets none");

    let scope = app::domain::access::ReportScope::Everyone;
    let tallies = app::server::db::reports::tallies(&app.state.db, scope).await.unwrap();
    let (key, counts) = tallies.iter().next().expect("the intake was counted");
    assert_eq!(key.format_id, app::server::db::reports::COHORT_FORMAT);
    assert_eq!((counts["registrations"], counts["confirmed"], counts["waitlisted"]), (3, 2, 1));
}
