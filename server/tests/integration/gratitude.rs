//! The gratitude wall through the router: a story is shared, confirmed from the email, then
//! approved or declined by a moderator (the author is emailed, the address forgotten); the
//! author withdraws it with the same link; enough distinct reports take it off the wall and
//! tell the moderators; only moderators moderate; public writes are rate-limited.

use crate::common::{self, TestApp, encode};
use crate::evaluations::cells;
use crate::rounds::PASSWORD;
use app::domain::access::Role;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

const AUTHOR: &str = "marie.lavoie@example.ca";

fn story_form(story: &str, language: &str, email: &str) -> String {
    format!(
        "story={}&language={language}&shown_as=initials&name={}&email={}&eligible=yes&rules=yes",
        encode(story),
        encode("Marie Lavoie"),
        encode(email)
    )
}

/// The private link's token in the last confirmation email `recipient` received.
fn private_token(app: &TestApp, recipient: &str) -> String {
    let message = app
        .smtp
        .to(recipient)
        .into_iter()
        .rev()
        .find(|message| message.text().contains("/gratitude/story/"))
        .unwrap_or_else(|| panic!("{recipient} got no confirmation email"));
    let text = message.text();
    let start = text.find("/gratitude/story/").unwrap() + "/gratitude/story/".len();
    text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

/// Shares `story` as `email` and confirms it from the emailed link; the link's token.
async fn share_and_confirm(app: &TestApp, story: &str, language: &str, email: &str) -> String {
    let shared =
        app.post_form(&format!("/{language}/gratitude/share"), &story_form(story, language, email)).await;
    assert_eq!(
        shared.location.as_deref(),
        Some(&*format!("/{language}/gratitude/share?sent=1")),
        "{}",
        shared.body
    );
    app.deliver_mail().await;
    let token = private_token(app, email);
    let confirmed = app.post_form(&format!("/{language}/gratitude/story/{token}"), "intent=confirm").await;
    assert_eq!(confirmed.location, Some(format!("/{language}/gratitude/story/{token}?done=confirmed")));
    token
}

/// A report of story `id` as if from network address `peer`.
async fn report_from(app: &TestApp, id: i32, peer: &str) -> Option<String> {
    let request = Request::post(format!("/en/gratitude/{id}/report"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::empty())
        .unwrap();
    app.send_from(format!("{peer}:40000").parse().unwrap(), request).await.location
}

/// The id of the waiting story whose text starts with `start`, from the moderation page.
fn waiting_id(page: &str, start: &str) -> i32 {
    let at = page.find(start).unwrap_or_else(|| panic!("{start:?} is not waiting"));
    let after = &page[at..];
    let field = after.find("name=\"story\" value=\"").unwrap() + "name=\"story\" value=\"".len();
    after[field..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap()
}

#[tokio::test]
async fn a_story_is_confirmed_moderated_published_reported_and_withdrawn() {
    let app = common::spawn_with(|config| {
        config.write_limits = common::generous_write_limits();
        config.story_report_threshold = 2;
    })
    .await;
    app.account(Role::Coordinator, "coordinator@example.ca", PASSWORD, false).await;
    app.account(Role::Facilitator, "leader@example.ca", PASSWORD, true).await;
    app.account(Role::Facilitator, "helper@example.ca", PASSWORD, true).await;
    let coordinator = app.sign_in("coordinator@example.ca", PASSWORD).await;
    let leader = app.sign_in("leader@example.ca", PASSWORD).await;
    let helper = app.sign_in("helper@example.ca", PASSWORD).await;

    // A mistake comes back translated, with what was typed.
    let story = "Merci à la résidente qui est restée après sa garde pour m’écouter.";
    let wrong = app.post_form("/fr/gratitude/share", &story_form(story, "fr", "marie")).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.body.contains("Entrez une adresse courriel valide") || wrong.body.contains("courriel"),
        "{}",
        wrong.body
    );
    assert!(wrong.body.contains("restée après sa garde"), "the story typed comes back");

    // Shared: nothing on the wall until confirmed and approved.
    let token = share_and_confirm(&app, story, "fr", AUTHOR).await;
    let wall = app.get("/fr/gratitude").await;
    assert!(!wall.body.contains("restée après sa garde"), "not before a moderator approves it");
    let own = app.get(&format!("/fr/gratitude/story/{token}")).await;
    assert!(own.body.contains("lira bientôt votre témoignage"), "the author sees it waits");

    // Only moderators moderate: a facilitator not named is refused, a named one may.
    assert_eq!(app.get_as(&leader, "/en/workspace/gratitude").await.status, StatusCode::FORBIDDEN);
    let queue = app.get_as(&coordinator, "/en/workspace/gratitude").await;
    let id = waiting_id(&queue.body, "Merci à la résidente");
    let refused =
        app.post_form_as(&leader, "/en/workspace/gratitude", &format!("story={id}&decision=approve")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let leader_id = queue.body.find("leader@example.ca").map(|at| {
        let before = &queue.body[..at];
        let value = before.rfind("value=\"").unwrap() + "value=\"".len();
        before[value..].chars().take_while(char::is_ascii_digit).collect::<String>()
    });
    let named = app
        .post_form_as(
            &coordinator,
            "/en/workspace/gratitude",
            &format!("decision=moderators&moderator={}", leader_id.expect("the leader is listed")),
        )
        .await;
    assert_eq!(named.location.as_deref(), Some("/en/workspace/gratitude?done=moderators"));
    assert_eq!(app.get_as(&helper, "/en/workspace/gratitude").await.status, StatusCode::FORBIDDEN);
    let approved =
        app.post_form_as(&leader, "/en/workspace/gratitude", &format!("story={id}&decision=approve")).await;
    assert_eq!(
        approved.location.as_deref(),
        Some("/en/workspace/gratitude?done=approved"),
        "{}",
        approved.body
    );
    let again = app
        .post_form_as(&coordinator, "/en/workspace/gratitude", &format!("story={id}&decision=approve"))
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "decided once");

    // On the wall, signed with the initials, never an address; the author is told in French,
    // and the address is gone from the database.
    let wall = app.get("/fr/gratitude").await;
    assert!(wall.body.contains("restée après sa garde") && wall.body.contains("M. L."), "{}", wall.body);
    assert!(!wall.body.contains(AUTHOR));
    assert!(
        !app.get("/en/gratitude?language=en").await.body.contains("restée après sa garde"),
        "filtered out"
    );
    app.deliver_mail().await;
    assert!(
        app.smtp.to(AUTHOR).iter().any(|m| m.subject() == "Votre témoignage est sur le mur de gratitude")
    );
    let stored = cells(&app, "gratitude_story").await;
    assert!(!stored.iter().any(|(_, value)| value.contains("marie")), "the address is deleted: {stored:?}");

    // Reports: the same address twice counts once; a second address reaches the threshold,
    // the story leaves the wall and the moderators are emailed.
    assert_eq!(report_from(&app, id, "192.0.2.1").await.as_deref(), Some("/en/gratitude?reported=1"));
    assert_eq!(report_from(&app, id, "192.0.2.1").await.as_deref(), Some("/en/gratitude?reported=1"));
    assert!(
        app.get("/fr/gratitude").await.body.contains("restée après sa garde"),
        "one reporter is not enough"
    );
    report_from(&app, id, "192.0.2.2").await;
    assert!(!app.get("/fr/gratitude").await.body.contains("restée après sa garde"), "off the wall");
    app.deliver_mail().await;
    for moderator in ["coordinator@example.ca", "leader@example.ca"] {
        assert!(
            app.smtp.to(moderator).iter().any(|m| m.subject() == "A story was taken off the gratitude wall"),
            "{moderator} is told"
        );
    }
    assert!(app.smtp.to("helper@example.ca").is_empty(), "not a moderator");
    let reports = cells(&app, "story_report").await;
    assert!(!reports.iter().any(|(_, value)| value.contains("192.0.2")), "reporters are pseudonyms");
    let queue = app.get_as(&coordinator, "/en/workspace/gratitude").await;
    assert!(queue.body.contains("Taken off the wall after 2 reports"), "{}", queue.body);

    // The author withdraws it with the private link: deleted.
    let withdrawn = app.post_form(&format!("/fr/gratitude/story/{token}"), "intent=withdraw").await;
    assert_eq!(withdrawn.location, Some(format!("/fr/gratitude/story/{token}?done=withdrawn")));
    assert!(cells(&app, "gratitude_story").await.is_empty());
    let gone = app.post_form(&format!("/fr/gratitude/story/{token}"), "intent=withdraw").await;
    assert_eq!(gone.status, StatusCode::BAD_REQUEST, "{}", gone.body);
}

#[tokio::test]
async fn a_declined_story_is_deleted_with_its_address_and_the_author_told_why() {
    let app = common::spawn_with(|config| config.write_limits = common::generous_write_limits()).await;
    app.account(Role::Coordinator, "coordinator@example.ca", PASSWORD, false).await;
    let coordinator = app.sign_in("coordinator@example.ca", PASSWORD).await;
    share_and_confirm(
        &app,
        "Thanks to the attending who covered my shift when my child was sick.",
        "en",
        AUTHOR,
    )
    .await;
    let queue = app.get_as(&coordinator, "/en/workspace/gratitude").await;
    let id = waiting_id(&queue.body, "Thanks to the attending");
    let no_reason = app
        .post_form_as(&coordinator, "/en/workspace/gratitude", &format!("story={id}&decision=decline"))
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY, "a decline needs its reason");
    let declined = app
        .post_form_as(
            &coordinator,
            "/en/workspace/gratitude",
            &format!("story={id}&decision=decline&reason=identifies"),
        )
        .await;
    assert_eq!(declined.location.as_deref(), Some("/en/workspace/gratitude?done=declined"));
    app.deliver_mail().await;
    let told = app.smtp.to(AUTHOR).into_iter().find(|m| m.subject() == "Your story for the gratitude wall");
    assert!(told.expect("the author is told").text().contains("could identify a patient or a colleague"));
    assert!(cells(&app, "gratitude_story").await.is_empty(), "declined stories are not kept");
}

#[tokio::test]
async fn sharing_is_rate_limited_and_unconfirmed_stories_expire() {
    let app = common::spawn_with(|_| {}).await;
    let story = "Thank you to the nurse who noticed I had not eaten all day.";
    let mut refused = None;
    for attempt in 0..40 {
        let reply = app.post_form("/en/gratitude/share", &story_form(story, "en", AUTHOR)).await;
        if reply.status == StatusCode::TOO_MANY_REQUESTS {
            refused = Some((attempt, reply));
            break;
        }
    }
    let (attempt, reply) = refused.expect("the limit is reached");
    assert!(attempt >= 1, "the first share passes");
    assert!(reply.body.contains("nurse who noticed"), "what was typed comes back");
    assert!(app.get("/en/gratitude").await.body.contains("No story here yet"), "nothing is published");

    let week_later = chrono::Utc::now() + chrono::Duration::days(8);
    let purged = app::server::gratitude::purge_unconfirmed(&app.state.db, week_later).await.unwrap();
    assert_eq!(purged, attempt as u64, "every unconfirmed story goes");
}
