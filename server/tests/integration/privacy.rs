//! The privacy purge, for every kind of personal data the app keeps: registrations for a
//! session and for a cohort, "tell me when it opens" addresses, applications (of a round never
//! closed), emails sent and emails nobody could deliver, sign-in attempts (keyed by address)
//! and account links. Each stays while its purpose lasts and is gone once its retention has
//! passed; at the end nothing of any of them remains.

use crate::common;

use app::domain::access::{Caller, Role};
use app::i18n::Locale;
use app::server::db::entity::{
    account_token, application, cohort_interest, outbox, registration, sign_in_failure,
};
use app::server::{cohorts, rounds};
use chrono::{DateTime, Duration, Utc};
use common::{SessionSeed, encode, spawn};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

const PASSWORD: &str = "a sufficiently long passphrase";

fn form<T: serde::de::DeserializeOwned>(fields: &str) -> T {
    serde_urlencoded::from_str(fields).unwrap()
}

/// What the database holds of each kind, read through a connection of the test's own.
async fn held(conn: &DatabaseConnection) -> [(&'static str, u64); 8] {
    [
        (
            "session registrations",
            registration::Entity::find()
                .filter(registration::Column::SessionId.is_not_null())
                .count(conn)
                .await
                .unwrap(),
        ),
        (
            "cohort registrations",
            registration::Entity::find()
                .filter(registration::Column::CohortId.is_not_null())
                .count(conn)
                .await
                .unwrap(),
        ),
        ("interest addresses", cohort_interest::Entity::find().count(conn).await.unwrap()),
        ("applications", application::Entity::find().count(conn).await.unwrap()),
        (
            "emails sent",
            outbox::Entity::find().filter(outbox::Column::SentAt.is_not_null()).count(conn).await.unwrap(),
        ),
        (
            "emails undelivered",
            outbox::Entity::find().filter(outbox::Column::SentAt.is_null()).count(conn).await.unwrap(),
        ),
        ("sign-in attempts", sign_in_failure::Entity::find().count(conn).await.unwrap()),
        ("account links", account_token::Entity::find().count(conn).await.unwrap()),
    ]
}

#[tokio::test]
async fn every_kind_of_personal_data_is_gone_once_its_retention_has_passed() {
    let app = spawn().await;
    let now = Utc::now();
    let (coordinator_account, _) =
        app.account(Role::Coordinator, "coordinator@example.ca", PASSWORD, false).await;
    let coordinator =
        Caller { account_id: coordinator_account, role: Role::Coordinator, facilitator_id: None };
    let (_, leader) = app.account(Role::Facilitator, "leader@example.ca", PASSWORD, true).await;

    // A session tomorrow and its registrant.
    let ids = app.seed_format("privacy").await;
    let session = app.seed_session(ids, SessionSeed::at("private", now + Duration::days(1))).await;
    app.register(session, "ada@example.ca").await;
    let session_end = now + Duration::days(1) + Duration::minutes(60);

    // A cohort in three weeks, two registrants (one whose server refuses mail), and someone
    // waiting to hear about the next intake.
    let first = app::domain::zones::reference_time(now).date() + Duration::days(10);
    let dates: Vec<String> = (0..3).map(|week| (first + Duration::days(7 * week)).to_string()).collect();
    let cohort_form: app::domain::cohort::CohortForm = form(&format!(
        "track=private-track&title_en=Private&title_fr=Priv%C3%A9&description_en=D&description_fr=D\
         &audience=all&language=en&eligibility_en=E&eligibility_fr=E&agreement_en=A&agreement_fr=A\
         &dates={}&time=09%3A30&duration=120&capacity=5&meeting_link=https%3A%2F%2Fmeet.example%2Fp\
         &opens_on=&facilitator_id={}",
        encode(&dates.join("\n")),
        leader.unwrap()
    ));
    let cohort = cohorts::create(&app.state, &coordinator, &cohort_form, now).await.unwrap();
    for email in ["bea@example.ca", "bounce@example.ca"] {
        let person: app::domain::cohort::CohortRegistrationForm = form(&format!(
            "name=Bea&email={}&career_stage=resident&province=ON&language=en&eligible=yes&agreement=yes&rules=yes",
            encode(email)
        ));
        let check = move |audience| person.check(audience);
        let offering = app::model::Offering::Intake(cohort);
        app::server::registrations::register(&app.state, offering, check, Locale::En, now).await.unwrap();
    }
    let interest: app::domain::cohort::InterestForm = form("email=dee%40example.ca&language=en");
    cohorts::ask_to_be_told(&app.state, cohort, &interest, now).await.unwrap();
    let detail = cohorts::public(&app.state, cohort, now).await.unwrap();
    let cohort_end = *detail.summary.meetings.last().unwrap() + Duration::minutes(120);

    // An application to a round that is never drawn nor closed: kept 30 days past its deadline.
    let tomorrow = app::domain::zones::reference_time(now).date() + Duration::days(1);
    let round_form: app::domain::application_round::RoundForm = form(&format!(
        "title_en=Groups&title_fr=Groupes&description_en=D&description_fr=D&date={tomorrow}&time=12%3A00&retention_days=30"
    ));
    let round = rounds::open_round(&app.state, &coordinator, &round_form, now).await.unwrap();
    let group: app::domain::application_round::GroupForm =
        form("name_en=Virtual&name_fr=Virtuel&setting=virtual&seats=11");
    rounds::add_group(&app.state, &coordinator, round, &group).await.unwrap();
    let applicant: app::domain::application_round::ApplicationForm = form(
        "name=Cy&specialty=Psychiatry&city=Toronto&district=other&email=cy%40example.ca&phone=416%20555%200100\
         &motivation=Peers&preference=virtual&benefit=Less%20isolation&language=en",
    );
    rounds::apply(&app.state, round, &applicant, Locale::En, now).await.unwrap();
    let deadline = rounds::public(&app.state, round, now).await.unwrap().deadline;

    // A wrong password (the attempt is keyed by the address) and a reset link.
    app.call("account/sign_in", "email=leader%40example.ca&password=not%20the%20password%20at%20all").await;
    app.call("account/request_reset", "email=leader%40example.ca").await;

    // Every email goes out but the one to the server that refuses it, which keeps no trace of
    // the server's words (they quote the address).
    app.deliver_mail().await;
    let refused: Vec<_> = app::server::db::outbox::pending(&app.state.db).await.unwrap();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].recipient, "bounce@example.ca");
    assert_eq!(refused[0].last_error.as_deref(), Some("rejected (550)"));

    // When each kind must be gone.
    let expiry = |kind: &str| -> DateTime<Utc> {
        match kind {
            "session registrations" => session_end + app.config.retention,
            "cohort registrations" => cohort_end + app.config.retention,
            "interest addresses" => now + Duration::days(app::domain::cohort::INTEREST_KEPT_DAYS),
            "applications" => deadline + Duration::days(30),
            "emails sent" => now + app.config.retention,
            "emails undelivered" => now + Duration::days(server::jobs::UNDELIVERED_KEPT_DAYS),
            "sign-in attempts" => now + app::domain::accounts::failure_window(),
            "account links" => now + app::server::auth::reset_lifetime(),
            other => panic!("{other}"),
        }
    };
    let conn = sea_orm::Database::connect(&app.config.database_url).await.unwrap();
    let kinds: Vec<&str> = held(&conn).await.iter().map(|(kind, _)| *kind).collect();
    for (kind, count) in held(&conn).await {
        assert!(count > 0, "the test holds some {kind}");
    }
    // Just before and just after each expiry, in order of time.
    let mut moments = vec![now + Duration::minutes(5)];
    for kind in &kinds {
        let margin = if *kind == "sign-in attempts" { Duration::minutes(5) } else { Duration::hours(1) };
        moments.extend([expiry(kind) - margin, expiry(kind) + margin]);
    }
    moments.sort();
    for at in moments {
        server::jobs::purge(&app.state, app.config.retention, at).await.unwrap();
        for (kind, count) in held(&conn).await {
            let kept = at < expiry(kind);
            assert_eq!(count > 0, kept, "{kind} at {at} (expiry {})", expiry(kind));
        }
    }
    // Nothing of any of them remains.
    assert!(held(&conn).await.iter().all(|(_, count)| *count == 0));
}
