//! Anonymous evaluations end to end through the router: ballots go out once a session ends,
//! to those who had a seat only; each link answers once and expires; and the stored answers
//! share nothing with the registrations a database holder could join them on.

use crate::common;
use app::domain::access::Role;
use app::domain::evaluation::{Answer, EvaluationForm};
use app::domain::report::Shown;
use app::error::AppError;
use app::model::{Offering, ProgramReport};
use app::server::db::entity::session;
use app::server::db::evaluations;
use app::server::db::registrations::of_offering;
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use common::{SessionSeed, TestApp};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement};

/// The evaluation token in the email `recipient` received.
fn ballot_link(app: &TestApp, recipient: &str) -> String {
    let message = app
        .smtp
        .to(recipient)
        .into_iter()
        .find(|message| message.subject().starts_with("How was"))
        .unwrap_or_else(|| panic!("{recipient} got no evaluation email"));
    let text = message.text();
    let start = text.find("/evaluations/").expect("a link in the email") + "/evaluations/".len();
    text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

/// Every value of every row of `table`, as text.
pub(crate) async fn cells(app: &TestApp, table: &str) -> Vec<(String, String)> {
    let conn = sea_orm::Database::connect(&app.config.database_url).await.unwrap();
    let rows = conn
        .query_all_raw(Statement::from_string(conn.get_database_backend(), format!("SELECT * FROM {table}")))
        .await
        .unwrap();
    let mut cells = Vec::new();
    for row in rows {
        for column in row.column_names() {
            let value = row
                .try_get::<Option<String>>("", &column)
                .ok()
                .flatten()
                .or_else(|| row.try_get::<Option<i32>>("", &column).ok().flatten().map(|n| n.to_string()))
                .or_else(|| row.try_get::<Option<bool>>("", &column).ok().flatten().map(|b| b.to_string()))
                .or_else(|| {
                    row.try_get::<Option<chrono::DateTime<Utc>>>("", &column)
                        .ok()
                        .flatten()
                        .map(|t| t.to_rfc3339())
                })
                .unwrap_or_default();
            cells.push((column, value));
        }
    }
    cells
}

#[tokio::test]
async fn an_ended_session_sends_one_anonymous_single_use_ballot_to_each_seat() {
    let app = common::spawn().await;
    let ids = app.seed_format("circle").await;
    let start = Utc::now() + Duration::hours(1);
    let session =
        app.seed_session(ids, SessionSeed { capacity: 2, ..SessionSeed::at("Evening circle", start) }).await;
    for email in ["ada@example.ca", "bo@example.ca", "waiting@example.ca"] {
        assert_eq!(app.register(session, email).await.status, StatusCode::OK);
    }

    // Nothing before the end. Then the session is moved to have ended an hour ago, so the
    // ballots (and their emails) go out now: one per seat, and only once.
    let issue = |at| app::server::evaluations::conclude_ended(&app.state, at);
    assert_eq!(issue(start + Duration::minutes(30)).await.unwrap(), 0, "not before it ends");
    end_session(&app, session).await;
    assert_eq!(issue(Utc::now()).await.unwrap(), 2, "one per seat");
    assert_eq!(issue(Utc::now()).await.unwrap(), 0, "ballots go out once");
    app.deliver_mail().await;
    let ada = ballot_link(&app, "ada@example.ca");
    let bo = ballot_link(&app, "bo@example.ca");
    assert_ne!(ada, bo);
    assert!(
        !app.smtp.to("waiting@example.ca").iter().any(|m| m.subject().starts_with("How was")),
        "the waitlist gets no ballot"
    );
    // Sent, the evaluation emails leave the outbox: nothing there ties a link to an address.
    assert!(
        cells(&app, "outbox").await.iter().all(|(_, value)| !value.contains("/evaluations/")),
        "an evaluation link stayed in the outbox"
    );

    // The form opens from the link; an empty response is refused and keeps the link working.
    let page = app.get(&format!("/en/evaluations/{ada}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("How supported did you feel?"));
    assert!(page.body.contains("About “Evening circle”, held "), "{}", page.body);
    let empty = app.post_form(&format!("/en/evaluations/{ada}"), "helped=").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Answer at least one question"));
    let kept = app.post_form(&format!("/en/evaluations/{ada}"), "supported=9&helped=The+quiet+start").await;
    assert_eq!(kept.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(kept.body.contains("The quiet start"), "what was typed comes back");

    let answered = app
        .post_form(
            &format!("/en/evaluations/{ada}"),
            "supported=4&feeling=better&recommend=yes&helped=The+quiet+start",
        )
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER);
    assert_eq!(answered.location.as_deref(), Some(format!("/en/evaluations/{ada}?answered=1").as_str()));
    let again = app.post_form(&format!("/en/evaluations/{ada}"), "supported=1").await;
    assert_ne!(again.status, StatusCode::SEE_OTHER, "a link answers once");
    let responses = evaluations::responses(&app.state.db, Offering::Session(session)).await.unwrap();
    assert_eq!(responses.len(), 1, "the second answer was not stored");
    assert_eq!(responses[0]["supported"], Answer::Rating(4));
    assert_eq!(responses[0]["helped"], Answer::Text("The quiet start".into()));

    // Links expire.
    let form = EvaluationForm([("supported".to_string(), "5".to_string())].into());
    let late =
        app::server::evaluations::answer(&app.state, &bo, &form, Utc::now() + Duration::days(15)).await;
    assert_eq!(late, Err(AppError::InvalidLink));

    // What the database holds about the answer: no column or value it shares with a
    // registration, an email, or the remaining ballot, and no time finer than the day.
    let response = cells(&app, "evaluation_response").await;
    let columns: Vec<&str> = response.iter().map(|(column, _)| column.as_str()).collect();
    assert_eq!(columns, ["id", "session_id", "cohort_id", "format_id", "held_on", "answers"]);
    let held_on = &response.iter().find(|(column, _)| column == "held_on").unwrap().1;
    assert_eq!(held_on.len(), "2026-12-01".len(), "a day, not a time: {held_on}");
    let mut personal: Vec<String> = Vec::new();
    for table in ["registration", "outbox", "evaluation_ballot"] {
        personal.extend(
            cells(&app, table)
                .await
                .into_iter()
                .filter(|(column, _)| {
                    !matches!(column.as_str(), "session_id" | "cohort_id" | "id" | "status")
                })
                .map(|(_, value)| value)
                .filter(|value| value.len() > 5),
        );
    }
    for row in of_offering(&app.state.db, Offering::Session(session)).await.unwrap() {
        personal.extend([row.id.to_string(), row.email, row.token_nonce, row.created_at.to_rfc3339()]);
    }
    for (column, value) in
        response.iter().filter(|(column, _)| column != "session_id" && column != "format_id")
    {
        for known in &personal {
            assert!(
                value != known && !(known.len() > 5 && value.contains(known.as_str())),
                "evaluation_response.{column} = {value:?} matches {known:?}"
            );
        }
    }
    let ballots = cells(&app, "evaluation_ballot").await;
    let ballot_columns: Vec<&str> = ballots.iter().map(|(column, _)| column.as_str()).collect();
    assert_eq!(
        ballot_columns,
        ["token_hash", "session_id", "cohort_id", "expires_at"],
        "one ballot left, Bo's"
    );

    // The privacy purge takes expired ballots away.
    let purged = evaluations::purge_expired_ballots(&app.state.db, Utc::now() + Duration::days(15)).await;
    assert_eq!(purged.unwrap(), 1);
    assert!(cells(&app, "evaluation_ballot").await.is_empty());
}

/// Moves a session's start two hours into the past, so it has ended.
async fn end_session(app: &TestApp, session: i32) {
    let conn = sea_orm::Database::connect(&app.config.database_url).await.unwrap();
    session::Entity::update_many()
        .col_expr(session::Column::StartsAt, Expr::value(Utc::now() - Duration::hours(2)))
        .filter(session::Column::Id.eq(session))
        .exec(&conn)
        .await
        .unwrap();
}

const PASSWORD: &str = "a sufficiently long passphrase";

#[tokio::test]
async fn reports_count_what_ended_hide_small_groups_and_answer_only_their_readers() {
    let app = common::spawn().await;
    let (_, lead) = app.account(Role::Facilitator, "lead@example.ca", PASSWORD, true).await;
    let (_, other) = app.account(Role::Facilitator, "other@example.ca", PASSWORD, true).await;
    app.account(Role::Coordinator, "coordinator@example.ca", PASSWORD, false).await;
    let (format, _) = app.seed_format("circle").await;
    let start = Utc::now() + Duration::hours(1);
    let big = app.seed_session((format, lead.unwrap()), SessionSeed::at("Big", start)).await;
    let small = app.seed_session((format, other.unwrap()), SessionSeed::at("Small", start)).await;
    let people: Vec<String> = (0..6).map(|n| format!("p{n}@example.ca")).collect();
    for email in &people {
        app.register(big, email).await;
    }
    for email in ["q0@example.ca", "q1@example.ca"] {
        app.register(small, email).await;
    }
    end_session(&app, big).await;
    end_session(&app, small).await;
    app::server::evaluations::conclude_ended(&app.state, Utc::now()).await.unwrap();
    app.deliver_mail().await;
    // Five of the six in the big session answer, and one of the two in the small one.
    let answerers = people.iter().take(5).cloned().chain(["q0@example.ca".to_string()]);
    for (n, email) in answerers.enumerate() {
        let token = ballot_link(&app, &email);
        let form = format!("supported={}&recommend=yes&helped=Said+by+{n}", if n < 4 { 5 } else { 2 });
        assert_eq!(
            app.post_form(&format!("/en/evaluations/{token}"), &form).await.status,
            StatusCode::SEE_OTHER
        );
    }

    let app = &app;
    let report_of =
        |cookie: Option<String>| async move { app.call_as(cookie.as_deref(), "workspace/report", "").await };
    let visitor = report_of(None).await;
    assert_ne!(visitor.status, StatusCode::OK, "a visitor gets no report");

    let coordinator: ProgramReport =
        report_of(Some(app.sign_in("coordinator@example.ca", PASSWORD).await)).await.json();
    assert!(coordinator.coordinator);
    let row = &coordinator.participation[0];
    assert_eq!((row.offerings, row.registrations), (2, Shown::Count(8)));
    let evaluation = &coordinator.evaluations[0];
    assert_eq!(evaluation.responses, Shown::Count(6));
    assert_eq!(evaluation.comments.len(), 6, "a coordinator reads what helped");

    let led: ProgramReport = report_of(Some(app.sign_in("lead@example.ca", PASSWORD).await)).await.json();
    assert_eq!(led.participation[0].registrations, Shown::Count(6), "their own session only");
    assert_eq!(led.evaluations[0].responses, Shown::Count(5));
    assert!(led.evaluations[0].comments.is_empty(), "facilitators do not read free text");
    let supported = &led.evaluations[0].questions[0];
    assert_eq!(
        supported.breakdown.parts,
        vec![Shown::Count(0), Shown::Hidden, Shown::Count(0), Shown::Count(0), Shown::Hidden]
    );

    let others: ProgramReport = report_of(Some(app.sign_in("other@example.ca", PASSWORD).await)).await.json();
    assert_eq!(others.participation[0].registrations, Shown::Hidden, "two people: fewer than five");
    assert_eq!(others.evaluations[0].responses, Shown::Hidden);
    assert!(others.evaluations[0].questions.is_empty(), "not even which questions were answered");

    // The CSV of a table, for the signed-in only.
    let cookie = app.sign_in("coordinator@example.ca", PASSWORD).await;
    let csv = app.get_as(&cookie, "/en/workspace/reports/participation.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.header("content-type").is_some_and(|v| v.starts_with("text/csv")));
    assert!(csv.body.starts_with("Month,Format,Sessions held,Seats offered,Registrations"), "{}", csv.body);
    assert!(csv.body.contains(",8,"), "{}", csv.body);
    let anonymous = app.get("/en/workspace/reports/participation.csv").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "to sign in");
    let page = app.get_as(&cookie, "/en/workspace/reports").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("fewer than 5") && page.body.contains("<svg"));
}

#[tokio::test]
async fn a_coordinator_sets_a_formats_questions_and_its_next_evaluations_ask_them() {
    let app = common::spawn().await;
    app.account(Role::Coordinator, "coordinator@example.ca", PASSWORD, false).await;
    let (_, lead) = app.account(Role::Facilitator, "lead@example.ca", PASSWORD, true).await;
    let (format, _) = app.seed_format("circle").await;
    let path = format!("/en/workspace/formats/{format}/questions");
    let set = "questions_en=rating%3A+How+safe+did+you+feel%3F%0Achoice%3A+The+pace%3F+%7C+Too+slow+%7C+Right+%7C+Too+fast\
               &questions_fr=rating%3A+En+s%C3%A9curit%C3%A9%3F%0Achoice%3A+Le+rythme%3F+%7C+Trop+lent+%7C+Juste+%7C+Trop+rapide";

    let facilitator = app.sign_in("lead@example.ca", PASSWORD).await;
    assert_eq!(app.post_form_as(&facilitator, &path, set).await.status, StatusCode::FORBIDDEN);
    let coordinator = app.sign_in("coordinator@example.ca", PASSWORD).await;
    let mismatched = app
        .post_form_as(&coordinator, &path, "questions_en=rating%3A+Safe%3F&questions_fr=text%3A+Oui")
        .await;
    assert_eq!(mismatched.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(mismatched.body.contains("Check the questions") && mismatched.body.contains("rating: Safe?"));
    let saved = app.post_form_as(&coordinator, &path, set).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let editor = app.get_as(&coordinator, &path).await;
    assert!(
        editor.body.contains("choice: The pace? | Too slow | Right | Too fast"),
        "the editor shows the saved set"
    );

    let start = Utc::now() + Duration::hours(1);
    let session = app.seed_session((format, lead.unwrap()), SessionSeed::at("Circle", start)).await;
    app.register(session, "ada@example.ca").await;
    end_session(&app, session).await;
    app::server::evaluations::conclude_ended(&app.state, Utc::now()).await.unwrap();
    app.deliver_mail().await;
    let token = ballot_link(&app, "ada@example.ca");
    let page = app.get(&format!("/fr/evaluations/{token}")).await;
    assert!(page.body.contains("Le rythme?") && page.body.contains("Trop rapide"), "asked in French");
    assert!(!page.body.contains("Dans quelle mesure"), "the default questions are not asked");
    let answered = app.post_form(&format!("/fr/evaluations/{token}"), "r1q1=5&r1q2=o3").await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
    let responses = evaluations::responses(&app.state.db, Offering::Session(session)).await.unwrap();
    assert_eq!(responses[0]["r1q2"], Answer::Choice("o3".into()));
}
