//! The "Get support now" page and its directory: the crisis lines lead as links to call or
//! text, the configured wellness line and contact addresses appear, the viewer's province comes
//! first and is remembered, and only coordinators change the directory.

use crate::common::{self, encode};
use crate::rounds::PASSWORD;
use app::domain::access::Role;
use axum::http::{StatusCode, header};

fn line_form(name: &str, phone: &str, province: &str) -> String {
    format!(
        "intent=add&name_en={}&name_fr={}&phone={}&website=&hours_en=24%2F7&hours_fr=24%20h%20sur%2024\
         &province={province}&language=bilingual",
        encode(name),
        encode(&format!("{name} (fr)")),
        encode(phone)
    )
}

/// Where `first` appears on the page relative to `second`.
fn before(body: &str, first: &str, second: &str) -> bool {
    match (body.find(first), body.find(second)) {
        (Some(a), Some(b)) => a < b,
        _ => panic!("{first:?} or {second:?} is missing"),
    }
}

#[tokio::test]
async fn the_support_page_leads_with_what_to_call_and_puts_the_viewers_province_first() {
    let app = common::spawn_with(|config| {
        config.write_limits = common::generous_write_limits();
        config.contacts.wellness_line = Some("1-888-555-0199".into());
        config.contacts.sessions_email = Some("sessions@example.ca".into());
    })
    .await;
    app.account(Role::Coordinator, "coordinator@example.ca", PASSWORD, false).await;
    app.account(Role::Facilitator, "leader@example.ca", PASSWORD, true).await;
    let coordinator = app.sign_in("coordinator@example.ca", PASSWORD).await;
    let leader = app.sign_in("leader@example.ca", PASSWORD).await;

    // Only a coordinator changes the directory; a mistake keeps what was typed.
    let refused =
        app.post_form_as(&leader, "/en/workspace/support", &line_form("Line", "1-800-555-0100", "")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let wrong = app
        .post_form_as(&coordinator, "/en/workspace/support", &line_form("Quebec line", "call us", "QC"))
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("value=\"Quebec line\""), "what was typed comes back");
    for (name, phone, province) in [
        ("National line", "1-800-555-0101", ""),
        ("Quebec line", "1-800-555-0102", "QC"),
        ("Ontario line", "1-800-555-0103", "ON"),
    ] {
        let added =
            app.post_form_as(&coordinator, "/en/workspace/support", &line_form(name, phone, province)).await;
        assert_eq!(added.location.as_deref(), Some("/en/workspace/support?done=added"), "{}", added.body);
    }

    // What to do right now comes first, as links to tap.
    let page = app.get("/en/support").await;
    assert_eq!(page.status, StatusCode::OK);
    for link in ["href=\"tel:911\"", "href=\"tel:988\"", "href=\"sms:988\"", "href=\"tel:18885550199\""] {
        assert!(page.body.contains(link), "{link} missing");
    }
    assert!(before(&page.body, "tel:911", "National line"));
    assert!(page.body.contains("mailto:sessions@example.ca"));
    // Without a province: national lines, then the provinces in order.
    assert!(
        before(&page.body, "National line", "Ontario line")
            && before(&page.body, "Ontario line", "Quebec line")
    );

    // Chosen once, the province comes first, and the choice is remembered on the device.
    let chosen = app.get("/fr/support?province=QC").await;
    assert!(before(&chosen.body, "Quebec line (fr)", "National line (fr)"), "{}", chosen.body);
    let cookie =
        chosen.headers.get(header::SET_COOKIE).and_then(|value| value.to_str().ok()).unwrap_or_default();
    assert!(cookie.starts_with("rounds_province=QC;"), "{cookie}");
    let later = app.get_as("rounds_province=QC", "/en/support").await;
    assert!(before(&later.body, "Quebec line", "National line"));
    let forgotten = app.get("/en/support?province=").await;
    let cookie =
        forgotten.headers.get(header::SET_COOKIE).and_then(|value| value.to_str().ok()).unwrap_or_default();
    assert!(cookie.contains("Max-Age=0"), "{cookie}");

    // The FAQ shows the contact addresses too.
    assert!(app.get("/en/faq").await.body.contains("mailto:sessions@example.ca"));

    // Removing a line takes it off the page; a facilitator cannot.
    let lines = app::server::db::support::lines(&app.state.db).await.unwrap();
    let ontario = lines.iter().find(|line| line.name.0 == "Ontario line").unwrap().id;
    let form = format!("intent=remove&id={ontario}");
    assert_eq!(app.post_form_as(&leader, "/en/workspace/support", &form).await.status, StatusCode::FORBIDDEN);
    let removed = app.post_form_as(&coordinator, "/en/workspace/support", &form).await;
    assert_eq!(removed.location.as_deref(), Some("/en/workspace/support?done=removed"));
    assert!(!app.get("/en/support").await.body.contains("Ontario line"));
}
