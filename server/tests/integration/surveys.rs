//! Surveys of round members end to end: the coordinator sets one (and only the coordinator),
//! the draw's members get the baseline and later the follow-ups, each link answers once, the
//! coordinator sees who completed and never what they answered, answers are released in
//! batches of at least five, and nothing in the database joins an answer to a member.

use crate::common::{self, TestApp, encode};
use crate::evaluations::cells;
use crate::rounds::{PASSWORD, add_group, application, apply, caller, open_round, private_path};
use app::domain::access::Role;
use app::domain::report::Shown;
use app::domain::survey::{SurveyForm, default_survey_questions};
use app::error::AppError;
use app::model::{SurveyAdmin, WaveStatus};
use app::server::{db, rounds, surveys};
use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

fn survey_form(follow_ups: &str) -> String {
    let form = SurveyForm::of(&[], &default_survey_questions());
    format!(
        "follow_ups={}&questions_en={}&questions_fr={}",
        encode(follow_ups),
        encode(&form.questions_en),
        encode(&form.questions_fr)
    )
}

/// The survey links each member was emailed, newest last.
fn survey_links(app: &TestApp, recipient: &str) -> Vec<String> {
    app.smtp
        .to(recipient)
        .iter()
        .filter(|message| message.subject().starts_with("A short survey"))
        .map(|message| private_path(&message.text(), "/en/evaluations/"))
        .collect()
}

async fn admin(app: &TestApp, round: i32, now: DateTime<Utc>) -> SurveyAdmin {
    let coordinator = caller(app, "coordinator@example.ca").await;
    surveys::admin(&app.state, &coordinator, round, now).await.unwrap()
}

/// The transaction ids PostgreSQL stamped on each row of `table` (none on SQLite).
async fn row_transactions(app: &TestApp, table: &str) -> Vec<String> {
    if app.state.db.backend() != DbBackend::Postgres {
        return Vec::new();
    }
    let conn = sea_orm::Database::connect(&app.config.database_url).await.unwrap();
    let sql = format!("SELECT xmin::text AS stamp FROM {table}");
    let rows = conn.query_all_raw(Statement::from_string(DbBackend::Postgres, sql)).await.unwrap();
    rows.iter().map(|row| row.try_get::<String>("", "stamp").unwrap()).collect()
}

#[tokio::test]
async fn members_complete_waves_the_coordinator_sees_who_and_never_what() {
    let app = common::spawn().await;
    app.account(Role::Coordinator, "coordinator@example.ca", PASSWORD, false).await;
    app.account(Role::Facilitator, "leader@example.ca", PASSWORD, true).await;
    let coordinator = app.sign_in("coordinator@example.ca", PASSWORD).await;
    let leader = app.sign_in("leader@example.ca", PASSWORD).await;
    let round = open_round(&app, &coordinator).await;
    add_group(&app, &coordinator, round, "name_en=Virtual&name_fr=Virtuel&setting=virtual&seats=6").await;
    let people: Vec<String> = (1..=7).map(|n| format!("m{n}@example.ca")).collect();
    for email in &people {
        let reply = apply(&app, round, "en", &application("Member", email, "other", "virtual", "en")).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    }

    // Only the coordinator sets the survey; a mistake comes back with what was typed.
    let path = format!("/en/workspace/rounds/{round}/survey");
    let refused = app.post_form_as(&leader, &path, &survey_form("6, 12")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let wrong = app.post_form_as(&coordinator, &path, &survey_form("six months")).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("value=\"six months\"") && wrong.body.contains("whole months from 1 to 36"));
    assert!(wrong.body.contains("rating: How would you rate your wellbeing"), "the questions typed are kept");
    let saved = app.post_form_as(&coordinator, &path, &survey_form("12, 6")).await;
    assert_eq!(saved.location.as_deref(), Some(format!("{path}?done=saved").as_str()));
    let page = app.get_as(&coordinator, &path).await;
    assert!(page.body.contains("value=\"6, 12\""), "{}", page.body);

    // Nobody is asked before the draw; then the six members are, once, and the waitlist is not.
    let now = Utc::now();
    assert_eq!(surveys::send_due(&app.state, now).await.unwrap(), 0);
    let coordinator_caller = caller(&app, "coordinator@example.ca").await;
    rounds::end_applications(&app.state, &coordinator_caller, round, now).await.unwrap();
    let drawn_at = Utc::now();
    rounds::run_draw(&app.state, &coordinator_caller, round, drawn_at).await.unwrap();
    assert_eq!(surveys::send_due(&app.state, drawn_at).await.unwrap(), 6);
    assert_eq!(surveys::send_due(&app.state, drawn_at).await.unwrap(), 0, "each wave goes out once");
    app.deliver_mail().await;
    let members: Vec<&String> = people.iter().filter(|email| survey_links(&app, email).len() == 1).collect();
    assert_eq!(members.len(), 6, "one link per member, none for the waitlist");
    assert!(
        cells(&app, "outbox").await.iter().all(|(_, value)| !value.contains("/evaluations/")),
        "a survey link stayed in the outbox"
    );

    // The link opens the survey; four answer, one of them twice.
    let first = survey_links(&app, members[0]).remove(0);
    let page = app.get(&first).await;
    assert!(page.body.contains("How would you rate your wellbeing these days?"), "{}", page.body);
    assert!(page.body.contains("the survey as you start"));
    for (n, member) in members[..4].iter().enumerate() {
        let link = survey_links(&app, member).remove(0);
        let answered =
            app.post_form(&link, &format!("r1q1={}&r1q2=3&r1q3=o2&r1q4=Good+to+meet", n + 2)).await;
        assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
    }
    assert_ne!(app.post_form(&first, "r1q1=1").await.status, StatusCode::SEE_OTHER, "a link answers once");

    // The coordinator sees who completed; four answers are too few to show or even release.
    surveys::release_batches(&app.state).await.unwrap();
    let seen = admin(&app, round, Utc::now()).await;
    assert_eq!(seen.waves, [0, 6, 12]);
    let statuses: Vec<WaveStatus> = seen.members.iter().map(|member| member.waves[0]).collect();
    assert_eq!(statuses.iter().filter(|status| **status == WaveStatus::Completed).count(), 4);
    assert_eq!(statuses.iter().filter(|status| **status == WaveStatus::Asked).count(), 2);
    assert!(seen.members.iter().all(|member| member.waves[1] == WaveStatus::NotYet));
    assert_eq!(seen.results[0].1.responses, Shown::Count(0), "none released yet");
    assert!(db::surveys::responses(&app.state.db, round).await.unwrap().is_empty(), "nothing released");
    let facilitator = caller(&app, "leader@example.ca").await;
    assert_eq!(surveys::admin(&app.state, &facilitator, round, Utc::now()).await, Err(AppError::Forbidden));

    // A fifth answer makes a batch: all five are released together, and shown combined.
    let fifth = survey_links(&app, members[4]).remove(0);
    assert_eq!(app.post_form(&fifth, "r1q1=5&r1q3=o1").await.status, StatusCode::SEE_OTHER);
    assert_eq!(surveys::release_batches(&app.state).await.unwrap(), 5);
    let seen = admin(&app, round, Utc::now()).await;
    assert_eq!(seen.results[0].1.responses, Shown::Count(5));
    assert_eq!(seen.results[0].1.comments.len(), 4);

    // Nothing joins an answer to a member: no shared column beyond the round and the wave, no
    // shared value, and (on PostgreSQL) no shared transaction.
    let stored = cells(&app, "survey_response").await;
    let columns: Vec<&str> = stored.iter().take(5).map(|(column, _)| column.as_str()).collect();
    assert_eq!(columns, ["id", "round_id", "wave", "answers", "released"]);
    let mut personal: Vec<String> = Vec::new();
    for table in ["survey_invitation", "application", "outbox"] {
        personal.extend(
            cells(&app, table)
                .await
                .into_iter()
                .filter(|(column, _)| !matches!(column.as_str(), "round_id" | "wave" | "completed"))
                .map(|(_, value)| value)
                .filter(|value| value.len() > 3),
        );
    }
    for (column, value) in stored.iter().filter(|(column, _)| column == "id" || column == "answers") {
        for known in &personal {
            assert!(!value.contains(known.as_str()), "survey_response.{column} = {value:?} holds {known:?}");
        }
    }
    let answered_in = row_transactions(&app, "survey_response").await;
    for stamp in row_transactions(&app, "survey_invitation").await {
        assert!(!answered_in.contains(&stamp), "an answer shares transaction {stamp} with an invitation");
    }

    // Follow-ups count from the start (the round's closing): six months on, the members are
    // asked again, in a new link each.
    // (Closed as if half a year ago: the mailer sends what is due by the clock.)
    let closed_at = Utc::now() - Duration::days(185);
    rounds::close(&app.state, &coordinator_caller, round, closed_at).await.unwrap();
    let six_months = Utc::now();
    assert_eq!(surveys::send_due(&app.state, closed_at + Duration::days(150)).await.unwrap(), 0);
    assert_eq!(surveys::send_due(&app.state, six_months).await.unwrap(), 6);
    app.deliver_mail().await;
    assert_eq!(survey_links(&app, members[0]).len(), 2);

    // The retention time (30 days) waits for the last survey; then everything about members
    // goes, and so do the answers that never made a batch.
    let follow_up = survey_links(&app, members[0]).remove(1);
    let late = app::domain::evaluation::EvaluationForm([("r1q1".to_string(), "4".to_string())].into());
    let token = follow_up.trim_start_matches("/en/evaluations/");
    app::server::evaluations::answer(&app.state, token, &late, six_months).await.unwrap();
    assert_eq!(rounds::purge_expired(&app.state, drawn_at + Duration::days(31)).await.unwrap(), 0);
    let gone_at = closed_at + Duration::days(366 + 15);
    assert_eq!(rounds::purge_expired(&app.state, gone_at).await.unwrap(), 7);
    assert!(cells(&app, "survey_invitation").await.is_empty(), "completion goes with the member");
    assert_eq!(db::surveys::responses(&app.state.db, round).await.unwrap().len(), 5, "released answers stay");
    assert_eq!(cells(&app, "survey_response").await.len(), 5 * 5, "the unreleased answer is gone");
}
