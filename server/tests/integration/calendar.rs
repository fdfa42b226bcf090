//! The public calendar through its real HTTP surface: server functions, pages, redirects and
//! the health check, on a freshly migrated SQLite file (or PostgreSQL, see `common`).

use crate::common;

use app::domain::session::{Audience, SessionLanguage};
use app::domain::zones::{eastern, instant_at, reference_time};
use app::error::AppError;
use app::model::{Bilingual, CalendarRange, SeriesInfo, SessionDetail, SessionPage, SessionSummary};
use axum::http::StatusCode;
use chrono::{Datelike, Duration, Timelike, Utc};
use common::{SessionSeed, spawn};

#[tokio::test]
async fn health_check_answers_when_the_database_is_reachable() {
    let app = spawn().await;
    let reply = app.get("/healthz").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body, "ok");
}

#[tokio::test]
async fn first_visit_follows_the_browser_language() {
    let app = spawn().await;
    let french = app.get_with_language("/", "fr-CA,fr;q=0.9,en;q=0.5").await;
    assert_eq!(french.status, StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(french.location.as_deref(), Some("/fr"));
    let english = app.get_with_language("/", "en-GB").await;
    assert_eq!(english.location.as_deref(), Some("/en"));
    // A page address without a language keeps its path and query.
    let faq = app.get_with_language("/faq?x=1", "fr").await;
    assert_eq!(faq.status, StatusCode::FOUND);
    assert_eq!(faq.location.as_deref(), Some("/fr/faq?x=1"));
    let session = app.get_with_language("/sessions/4", "en-CA").await;
    assert_eq!(session.location.as_deref(), Some("/en/sessions/4"));
    // The home page has no trailing slash; a link with one still arrives.
    let slash = app.get("/fr/?language=fr").await;
    assert_eq!(slash.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(slash.location.as_deref(), Some("/fr?language=fr"));
}

#[tokio::test]
async fn upcoming_sessions_come_soonest_first_a_page_at_a_time() {
    let app = spawn().await;
    let ids = app.seed_format("peer-support").await;
    let now = Utc::now();
    app.seed_session(ids, SessionSeed::at("yesterday", now - Duration::days(1))).await;
    for day in (1..=25).rev() {
        app.seed_session(ids, SessionSeed::at(&format!("day {day}"), now + Duration::days(day))).await;
    }

    let first: SessionPage = app.call("sessions/upcoming", "page=0").await.json();
    assert_eq!(first.sessions.len(), 20);
    assert!(first.has_more);
    assert_eq!(first.sessions[0].title.en.as_deref(), Some("day 1"));
    assert!(first.sessions.windows(2).all(|w| w[0].starts_at <= w[1].starts_at));
    let second: SessionPage = app.call("sessions/upcoming", "page=1").await.json();
    assert_eq!(second.sessions.len(), 5);
    assert!(!second.has_more);
    assert!(second.sessions.iter().all(|s| s.title.en.as_deref() != Some("yesterday")));
}

#[tokio::test]
async fn filters_narrow_by_format_language_and_audience() {
    let app = spawn().await;
    let peer = app.seed_format("peer-support").await;
    let parenting = app.seed_format("mindful-parenting").await;
    let soon = Utc::now() + Duration::days(2);
    let mut french = SessionSeed::at("french", soon);
    french.language = SessionLanguage::Fr;
    let mut bilingual = SessionSeed::at("bilingual", soon + Duration::hours(1));
    bilingual.language = SessionLanguage::Bilingual;
    let mut learners = SessionSeed::at("learners", soon + Duration::hours(2));
    learners.audience = Audience::Learners;
    app.seed_session(peer, french).await;
    app.seed_session(peer, bilingual).await;
    app.seed_session(peer, learners).await;
    app.seed_session(parenting, SessionSeed::at("parenting", soon + Duration::hours(3))).await;

    let titles =
        |page: SessionPage| -> Vec<String> { page.sessions.into_iter().filter_map(|s| s.title.en).collect() };
    let in_french = app.call("sessions/upcoming", "filter[language]=fr&page=0").await.json();
    assert_eq!(titles(in_french), ["french", "bilingual"]);
    let for_learners = app.call("sessions/upcoming", "filter[audience]=learners&page=0").await.json();
    assert_eq!(titles(for_learners), ["learners"]);
    let parenting_only =
        app.call("sessions/upcoming", "filter[format]=mindful-parenting&page=0").await.json();
    assert_eq!(titles(parenting_only), ["parenting"]);
    let unknown = app.call("sessions/upcoming", "filter[format]=no-such-format&page=0").await.json();
    assert!(titles(unknown).is_empty());
}

#[tokio::test]
async fn week_ranges_follow_eastern_days_and_refuse_oversized_windows() {
    let app = spawn().await;
    let ids = app.seed_format("peer-support").await;
    // 11:30 PM ET on a Tuesday is already Wednesday in UTC. A Tuesday a month or so ahead:
    // the calendar reaches three years either side of today.
    let mut tuesday = reference_time(Utc::now()).date() + Duration::days(30);
    while tuesday.weekday() != chrono::Weekday::Tue {
        tuesday = tuesday.succ_opt().unwrap();
    }
    let wednesday = tuesday.succ_opt().unwrap();
    let late_instant = instant_at(tuesday.and_hms_opt(23, 30, 0).unwrap(), eastern()).unwrap();
    app.seed_session(ids, SessionSeed::at("late tuesday", late_instant)).await;

    let on_tuesday: CalendarRange =
        app.call("sessions/range", &format!("first={tuesday}&last={tuesday}")).await.json();
    assert_eq!(on_tuesday.sessions.len(), 1);
    let on_wednesday: CalendarRange =
        app.call("sessions/range", &format!("first={wednesday}&last={wednesday}")).await.json();
    assert!(on_wednesday.sessions.is_empty());

    let too_wide =
        app.call("sessions/range", &format!("first={tuesday}&last={}", tuesday + Duration::days(60))).await;
    assert_ne!(too_wide.status, StatusCode::OK);
    assert_eq!(too_wide.json::<AppError>(), AppError::Invalid);
    let backwards = app.call("sessions/range", &format!("first={wednesday}&last={tuesday}")).await;
    assert_eq!(backwards.json::<AppError>(), AppError::Invalid);
    let beyond_reach = tuesday + Duration::days(5 * 366);
    let far = app.call("sessions/range", &format!("first={beyond_reach}&last={beyond_reach}")).await;
    assert_eq!(far.json::<AppError>(), AppError::Invalid, "beyond the calendar's reach");
}

#[tokio::test]
async fn a_session_page_has_what_a_participant_needs_but_never_the_meeting_link() {
    let app = spawn().await;
    let ids = app.seed_format("topical").await;
    let mut seed = SessionSeed::at("Sleep", Utc::now() + Duration::days(3));
    seed.series = Some(SeriesInfo { name: Bilingual::both("Sleep", "Sommeil"), part: 2 });
    let id = app.seed_session(ids, seed).await;

    let detail: SessionDetail = app.call("sessions/get", &format!("id={id}")).await.json();
    assert_eq!(detail.summary.series.map(|s| s.part), Some(2));
    assert!(detail.registration_open);
    assert_eq!(detail.facilitator.display_name, "Dr. Test");

    let raw = app.call("sessions/get", &format!("id={id}")).await.body;
    assert!(!raw.contains("meet.example.invalid"), "server function leaked the link: {raw}");
    for path in [format!("/en/sessions/{id}"), format!("/fr/sessions/{id}"), "/en".into(), "/en/week".into()]
    {
        let page = app.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(!page.body.contains("meet.example.invalid"), "{path} leaked the link");
    }
    let english = app.get(&format!("/en/sessions/{id}")).await.body;
    assert!(english.contains("Sleep, part 2"), "{english}");
    assert!(english.contains("30 seats left"));
    let french = app.get(&format!("/fr/sessions/{id}")).await.body;
    assert!(french.contains("Sommeil, partie 2"));
    assert!(french.contains("30 places restantes"));
}

#[tokio::test]
async fn missing_sessions_and_pages_answer_not_found() {
    let app = spawn().await;
    let reply = app.call("sessions/get", "id=999").await;
    assert_eq!(reply.json::<AppError>(), AppError::NotFound);
    assert_eq!(app.get("/en/sessions/999").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/fr/nowhere/at/all").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn pages_render_in_both_languages_with_the_right_html_lang() {
    let app = spawn().await;
    for (path, lang, phrase) in [
        ("/en", "en", "Upcoming sessions"),
        ("/fr", "fr", "Séances à venir"),
        ("/en/week", "en", "Week of"),
        ("/fr/month", "fr", "Mois suivant"),
        ("/en/about", "en", "Who can join"),
        ("/fr/faq", "fr", "Questions fréquentes"),
        ("/en/rules", "en", "Community rules"),
        ("/fr/support", "fr", "9-8-8"),
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page.body.contains(&format!("<html lang=\"{lang}\"")), "{path} has the wrong lang");
        assert!(page.body.contains(phrase), "{path} lacks {phrase:?}");
        assert!(page.body.contains("/support\""), "{path} lacks the support link");
    }
}

#[tokio::test]
async fn times_read_in_eastern_time_in_server_html() {
    let app = spawn().await;
    let ids = app.seed_format("peer-support").await;
    let day = reference_time(Utc::now()).date() + Duration::days(8);
    let seven_pm = instant_at(day.and_hms_opt(19, 0, 0).unwrap(), eastern()).unwrap();
    let id = app.seed_session(ids, SessionSeed::at("Evening", seven_pm)).await;
    let english = app.get(&format!("/en/sessions/{id}")).await.body;
    assert!(english.contains("7–8 PM ET"), "{english}");
    let french = app.get(&format!("/fr/sessions/{id}")).await.body;
    assert!(french.contains("19 h – 20 h HE"));
}

#[tokio::test]
async fn site_files_are_served_ahead_of_language_routes() {
    let app = spawn().await;
    let css = app.get("/pkg/rounds.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.body, "body{}");
}

#[tokio::test]
async fn demo_data_shows_every_feature_and_loads_once() {
    let app = spawn().await;
    let now = Utc::now();
    assert!(server::demo::load_if_empty(&app.state.db, now).await.unwrap());
    assert!(!server::demo::load_if_empty(&app.state.db, now).await.unwrap());

    let today = reference_time(now).date();
    let mut sessions: Vec<SessionSummary> = Vec::new();
    let mut group_meetings = Vec::new();
    let mut first = today;
    // Six weeks at a time is the widest window; walk twenty weeks ahead.
    for _ in 0..4 {
        let last = first + Duration::days(34);
        let window: CalendarRange =
            app.call("sessions/range", &format!("first={first}&last={last}")).await.json();
        sessions.extend(window.sessions);
        group_meetings.extend(window.group_meetings);
        first = last + Duration::days(1);
    }
    // Both demo intakes, four meetings each, are in the week and month views too.
    assert_eq!(group_meetings.len(), 8, "{group_meetings:?}");
    let formats: std::collections::BTreeSet<&str> = sessions.iter().map(|s| s.format_slug.as_str()).collect();
    assert_eq!(formats.len(), 6, "every format appears: {formats:?}");
    for slug in [
        "peer-support",
        "current-challenges",
        "compassion-rounds",
        "mindful-parenting",
        "psychological-first-aid",
    ] {
        let weeks: std::collections::BTreeSet<_> = sessions
            .iter()
            .filter(|s| s.format_slug == slug)
            .map(|s| reference_time(s.starts_at).date().iso_week())
            .collect();
        assert!(weeks.len() >= 4, "{slug} runs at least four weeks");
    }
    assert!(sessions.iter().any(|s| s.language == SessionLanguage::Fr));
    assert!(sessions.iter().any(|s| s.language == SessionLanguage::Bilingual));
    assert!(sessions.iter().any(|s| s.audience == Audience::ResidentsOnLeave));
    assert!(sessions.iter().any(|s| s.title.fr.is_none()), "one session is described in English only");
    let parts: Vec<u32> = sessions.iter().filter_map(|s| s.series.as_ref().map(|p| p.part)).collect();
    assert_eq!(parts, [1, 2]);

    // The weekly compassion rounds keep 7 PM ET even where the UTC offset changes.
    let rounds: Vec<_> = sessions.iter().filter(|s| s.format_slug == "compassion-rounds").collect();
    assert!(rounds.iter().all(|s| reference_time(s.starts_at).hour() == 19));
    let utc_hours: std::collections::BTreeSet<u32> = rounds.iter().map(|s| s.starts_at.hour()).collect();
    assert_eq!(utc_hours.len(), 2, "the series crosses a daylight-saving change");
}
