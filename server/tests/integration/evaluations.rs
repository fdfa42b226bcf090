//! Anonymous evaluations end to end through the router: ballots go out once a session ends,
//! to those who had a seat only; each link answers once and expires; and the stored answers
//! share nothing with the registrations a database holder could join them on.

use crate::common;
use app::domain::evaluation::{Answer, EvaluationForm};
use app::error::AppError;
use app::model::Offering;
use app::server::db::evaluations;
use app::server::db::registrations::of_offering;
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use common::{SessionSeed, TestApp};
use app::server::db::entity::session;
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
async fn cells(app: &TestApp, table: &str) -> Vec<(String, String)> {
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
    let issue = |at| app::server::evaluations::issue_due(&app.state, at);
    assert_eq!(issue(start + Duration::minutes(30)).await.unwrap(), 0, "not before it ends");
    let conn = sea_orm::Database::connect(&app.config.database_url).await.unwrap();
    session::Entity::update_many()
        .col_expr(session::Column::StartsAt, Expr::value(Utc::now() - Duration::hours(2)))
        .filter(session::Column::Id.eq(session))
        .exec(&conn)
        .await
        .unwrap();
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
    assert!(page.body.contains("How supported did you feel?") && page.body.contains("Evening circle"));
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
