//! Upgrading a database that earlier releases made and filled: the data moves forward.

use crate::common;
use app::domain::registration::{CareerStage, Province};
use app::domain::session::{Audience, SessionLanguage, SessionStatus};
use app::i18n::Locale;
use app::server::db::Db;
use app::server::db::entity::{cohort, cohort_meeting, facilitator, format, registration, session};
use app::server::db::registrations::{Offering, Status, by_link, of_offering};
use chrono::{DateTime, Duration, TimeZone, Utc};
use migration::{Alias, MigratorTrait, Query};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Database, DatabaseConnection, EntityTrait, NotSet, Set};

/// The migrations of the release before cohort registrations joined the registration table.
const BEFORE_ONE_REGISTRATION_TABLE: u32 = 6;

async fn offerings(conn: &DatabaseConnection, at: DateTime<Utc>) -> (i32, i32) {
    let format = format::ActiveModel {
        slug: Set("peer-support".into()),
        name_en: Set("Peer support".into()),
        name_fr: Set("Soutien par les pairs".into()),
        description_en: Set(String::new()),
        description_fr: Set(String::new()),
        led_by_en: Set(String::new()),
        led_by_fr: Set(String::new()),
        position: Set(0),
        ..Default::default()
    }
    .insert(conn)
    .await
    .unwrap();
    let facilitator = facilitator::ActiveModel {
        display_name: Set("Dr. Lee".into()),
        credentials_en: Set(String::new()),
        credentials_fr: Set(String::new()),
        ..Default::default()
    }
    .insert(conn)
    .await
    .unwrap();
    let session = session::ActiveModel {
        format_id: Set(format.id),
        facilitator_id: Set(facilitator.id),
        starts_at: Set(at),
        duration_minutes: Set(60),
        reference_zone: Set("America/Toronto".into()),
        capacity: Set(8),
        language: Set(SessionLanguage::En),
        audience: Set(Audience::All),
        status: Set(SessionStatus::Scheduled),
        registration_closed: Set(false),
        seats_taken: Set(1),
        waitlist_length: Set(0),
        ics_sequence: Set(0),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    };
    // Neither is read back: today's entities have columns added after 000011.
    let session_id = session::Entity::insert(session).exec(conn).await.unwrap().last_insert_id;
    let cohort = cohort::ActiveModel {
        track: Set("balance".into()),
        facilitator_id: Set(facilitator.id),
        title_en: Set("Balance".into()),
        title_fr: Set("Équilibre".into()),
        description_en: Set(String::new()),
        description_fr: Set(String::new()),
        audience: Set(Audience::All),
        language: Set(SessionLanguage::En),
        eligibility_en: Set(String::new()),
        eligibility_fr: Set(String::new()),
        agreement_en: Set(String::new()),
        agreement_fr: Set(String::new()),
        duration_minutes: Set(90),
        capacity: Set(6),
        seats_taken: Set(1),
        waitlist_length: Set(1),
        opens_at: Set(at - Duration::days(30)),
        registration_closed: Set(false),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    };
    let cohort_id = cohort::Entity::insert(cohort).exec(conn).await.unwrap().last_insert_id;
    cohort_meeting::ActiveModel { cohort_id: Set(cohort_id), starts_at: Set(at), ..Default::default() }
        .insert(conn)
        .await
        .unwrap();
    (session_id, cohort_id)
}

/// A row of the old `registration` or `cohort_registration` table, as that release wrote it.
async fn old_row(
    conn: &DatabaseConnection,
    table: &str,
    offering: (&str, i32),
    email: &str,
    status: &str,
    nonce: &str,
    at: DateTime<Utc>,
) {
    let mut insert = Query::insert();
    insert.into_table(Alias::new(table));
    let mut columns =
        vec![offering.0, "status", "name", "email", "email_key", "career_stage", "province", "language"];
    let mut values: Vec<migration::SimpleExpr> = vec![
        offering.1.into(),
        status.into(),
        "Ada".into(),
        email.into(),
        email.into(),
        "resident".into(),
        "ON".into(),
        "fr".into(),
    ];
    if table == "registration" {
        columns.push("eligibility_confirmed");
        values.push(true.into());
    } else {
        columns.push("agreement_accepted_at");
        values.push(at.into());
    }
    columns.extend(["token_nonce", "placed_at", "created_at", "updated_at"]);
    values.extend([nonce.into(), at.into(), at.into(), at.into()]);
    insert.columns(columns.into_iter().map(Alias::new)).values_panic(values);
    conn.execute(&insert).await.unwrap();
}

#[tokio::test]
async fn cohort_registrations_move_into_the_one_registration_table() {
    let url = common::empty_database_url().await;
    let conn = Database::connect(&url).await.unwrap();
    migration::Migrator::up(&conn, Some(BEFORE_ONE_REGISTRATION_TABLE)).await.unwrap();
    let at = Utc.with_ymd_and_hms(2026, 12, 9, 0, 0, 0).unwrap();
    let (session_id, cohort_id) = offerings(&conn, at).await;
    old_row(
        &conn,
        "registration",
        ("session_id", session_id),
        "ada@example.ca",
        "confirmed",
        "session-nonce",
        at,
    )
    .await;
    old_row(
        &conn,
        "cohort_registration",
        ("cohort_id", cohort_id),
        "ada@example.ca",
        "confirmed",
        "intake-nonce",
        at,
    )
    .await;
    let later = at + Duration::minutes(1);
    old_row(
        &conn,
        "cohort_registration",
        ("cohort_id", cohort_id),
        "bo@example.ca",
        "waitlisted",
        "waiting-nonce",
        later,
    )
    .await;

    migration::Migrator::up(&conn, None).await.unwrap();
    let db = Db::connect(&url).await.unwrap();

    let sessions = of_offering(&db, Offering::Session(session_id)).await.unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(
        (sessions[0].id, sessions[0].status, sessions[0].agreement_accepted_at),
        (1, Status::Confirmed, None)
    );
    let intake = of_offering(&db, Offering::Intake(cohort_id)).await.unwrap();
    let moved: Vec<(&str, Status, Option<DateTime<Utc>>, bool)> = intake
        .iter()
        .map(|row| (row.email.as_str(), row.status, row.agreement_accepted_at, row.eligibility_confirmed))
        .collect();
    assert_eq!(
        moved,
        [
            ("ada@example.ca", Status::Confirmed, Some(at), true),
            ("bo@example.ca", Status::Waitlisted, Some(later), true)
        ],
        "in the order they were placed, with the agreement they accepted"
    );
    assert_eq!(intake[1].placed_at, later, "the waitlist keeps its order of arrival");

    // Emailed links find their registration by its nonce, whatever its new id.
    let linked = by_link(&db, "intake-nonce").await.unwrap().expect("the cohort link still opens it");
    assert_eq!(linked.cohort_id, Some(cohort_id));

    // New registrations take ids after the moved ones (PostgreSQL's id sequence follows).
    let next = registration::ActiveModel {
        session_id: Set(Some(session_id)),
        status: Set(Status::Confirmed),
        name: Set("Cy".into()),
        email: Set("cy@example.ca".into()),
        email_key: Set("cy@example.ca".into()),
        career_stage: Set(CareerStage::Resident),
        province: Set(Province::ON),
        language: Set(Locale::En),
        eligibility_confirmed: Set(true),
        token_nonce: Set("new-nonce".into()),
        placed_at: Set(later),
        created_at: Set(later),
        updated_at: Set(later),
        ..Default::default()
    }
    .insert(&conn)
    .await
    .expect("a new registration after the upgrade");
    assert!(intake.iter().all(|row| row.id < next.id), "ids are not reused");

    // The table holds exactly one offering per row.
    let both = registration::ActiveModel {
        id: NotSet,
        session_id: Set(Some(session_id)),
        cohort_id: Set(Some(cohort_id)),
        email_key: Set("both@example.ca".into()),
        ..next.clone().into()
    };
    assert!(both.insert(&conn).await.is_err(), "a registration for a session and an intake at once");
}
