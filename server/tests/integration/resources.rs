//! The resources library: only coordinators add and remove resources (a facilitator is
//! refused, a visitor sent to sign in), an uploaded PDF is checked for size and type with a
//! translated error that keeps what was typed, a PDF is served with safe headers, and the
//! public page filters by topic and audience and searches without regard to accents, on
//! SQLite and on PostgreSQL alike.

use crate::common::{self, Reply, TestApp};
use crate::rounds::PASSWORD;
use app::domain::access::Role;
use app::domain::resources::MAX_PDF_BYTES;
use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode, header};

const BOUNDARY: &str = "rounds-test-boundary-7e3f";

/// A `multipart/form-data` body of text fields and, if given, a file in the `file` field.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    if let Some((file_name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
                 Content-Type: application/pdf\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn post_multipart(app: &TestApp, cookie: Option<&str>, path: &str, body: Vec<u8>) -> Reply {
    let mut request = Request::post(path)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
        .header(header::ACCEPT, "text/html");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    // In pieces, as a socket delivers it: one frame of megabytes would trip the body limit
    // before the form's first field is read, which a real upload never does.
    let pieces: Vec<Result<Bytes, std::convert::Infallible>> =
        body.chunks(16 * 1024).map(|piece| Ok(Bytes::copy_from_slice(piece))).collect();
    app.send(request.body(Body::from_stream(futures::stream::iter(pieces))).unwrap()).await
}

/// The fields of a resource: English and French title and summary (empty for none), topics
/// and audience, and no link.
fn resource_fields<'a>(
    en: (&'a str, &'a str),
    fr: (&'a str, &'a str),
    topics: &'a [String],
    audience: &'a str,
) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("intent", "add"),
        ("title_en", en.0),
        ("summary_en", en.1),
        ("title_fr", fr.0),
        ("summary_fr", fr.1),
        ("audience", audience),
    ];
    fields.extend(topics.iter().map(|topic| ("topics", topic.as_str())));
    fields
}

/// The id of the topic named `english`, as the form sends it.
async fn topic(app: &TestApp, english: &str) -> String {
    let topics = app::server::db::resources::topics(&app.state.db).await.unwrap();
    topics.iter().find(|topic| topic.name.0 == english).expect("a seeded topic").id.to_string()
}

fn a_pdf(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n% a test file\n".to_vec();
    bytes.resize(size, b'%');
    bytes
}

#[tokio::test]
async fn only_coordinators_manage_the_library_and_pdfs_are_checked_then_served_safely() {
    let app = common::spawn().await;
    app.account(Role::Coordinator, "coordinator@example.ca", PASSWORD, false).await;
    app.account(Role::Facilitator, "leader@example.ca", PASSWORD, true).await;
    let coordinator = app.sign_in("coordinator@example.ca", PASSWORD).await;
    let leader = app.sign_in("leader@example.ca", PASSWORD).await;
    let burnout = [topic(&app, "Burnout").await];
    let page = "/en/workspace/resources";
    let with_link = |title: &'static str| {
        let mut fields = resource_fields((title, "A short guide."), ("", ""), &burnout, "physicians");
        fields.push(("link", "https://example.ca/guide"));
        multipart(&fields, None)
    };

    // A visitor is sent to sign in, a facilitator refused; nothing is added.
    let visitor = post_multipart(&app, None, page, with_link("Visitor's resource")).await;
    assert_eq!(visitor.status, StatusCode::SEE_OTHER);
    assert!(
        visitor.location.as_deref().is_some_and(|to| to.starts_with("/en/sign-in?next=")),
        "{:?}",
        visitor.location
    );
    assert_eq!(app.get(page).await.status, StatusCode::SEE_OTHER, "the page too");
    let refused = post_multipart(&app, Some(&leader), page, with_link("Facilitator resource")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get_as(&leader, page).await.status, StatusCode::FORBIDDEN);
    let topic_form = "intent=add_topic&topic_en=Sleep&topic_fr=Sommeil";
    assert_eq!(app.post_form_as(&leader, page, topic_form).await.status, StatusCode::FORBIDDEN);
    assert!(!app.get("/en/resources").await.body.contains("Facilitator resource"));

    // A coordinator adds a link.
    let added = post_multipart(&app, Some(&coordinator), page, with_link("Burnout guide")).await;
    assert_eq!(added.location.as_deref(), Some("/en/workspace/resources?done=added"), "{}", added.body);
    let listed = app.get_as(&coordinator, page).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert!(listed.body.contains("Burnout guide"));

    // A PDF too large or not a PDF is refused, in the page's language, keeping what was typed.
    let pdf_fields = resource_fields(("Typed title", "Typed summary"), ("", ""), &burnout, "residents");
    let cases: [(&str, Vec<u8>, &str); 3] = [
        ("/en/workspace/resources", a_pdf(MAX_PDF_BYTES + 1), "This file is larger than 5 MB."),
        ("/fr/workspace/resources", a_pdf(MAX_PDF_BYTES + 1), "Ce fichier dépasse 5 Mo."),
        (
            "/en/workspace/resources",
            b"<html><script>alert(1)</script></html>".to_vec(),
            "This file is not a PDF.",
        ),
    ];
    for (path, bytes, error) in cases {
        let body = multipart(&pdf_fields, Some(("guide.pdf", &bytes)));
        let reply = post_multipart(&app, Some(&coordinator), path, body).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{path} {}", bytes.len());
        assert!(reply.body.contains(error), "{error} missing from {path}");
        assert!(reply.body.contains("value=\"Typed title\""), "what was typed comes back");
        assert!(reply.body.contains(">Typed summary</textarea>"));
    }
    // A body past what the route reads at all gets the same answer, not a broken connection
    // (what was typed comes back when it arrived before the limit; here it all came at once).
    let body = multipart(&pdf_fields, Some(("guide.pdf", &a_pdf(MAX_PDF_BYTES + 1024 * 1024))));
    let reply = post_multipart(&app, Some(&coordinator), page, body).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("This file is larger than 5 MB."));
    let library = app::server::db::resources::find(&app.state.db, &Default::default(), app::i18n::Locale::En)
        .await
        .unwrap();
    assert_eq!(library.len(), 1, "nothing refused was stored");

    // A good PDF is stored and served as a download that cannot run in the site's origin.
    let pdf = a_pdf(4096);
    let reply = post_multipart(
        &app,
        Some(&coordinator),
        page,
        multipart(&pdf_fields, Some(("Guide d’épuisement (final).pdf", &pdf))),
    )
    .await;
    assert_eq!(reply.location.as_deref(), Some("/en/workspace/resources?done=added"), "{}", reply.body);
    let library = app::server::db::resources::find(&app.state.db, &Default::default(), app::i18n::Locale::En)
        .await
        .unwrap();
    let stored = library.iter().find(|resource| resource.file_name.is_some()).expect("the PDF resource");
    let served = app.get(&format!("/en/resources/{}/pdf", stored.id)).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.header("content-type"), Some("application/pdf"));
    assert_eq!(served.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(
        served.header("content-disposition"),
        Some("attachment; filename=\"guide-d-epuisement-final.pdf\"")
    );
    let policy = served.header("content-security-policy").unwrap_or_default();
    assert!(policy.starts_with("sandbox") && policy.contains("default-src 'none'"), "{policy}");
    assert_eq!(served.body.as_bytes(), pdf.as_slice());
    let public = app.get("/en/resources").await;
    assert!(public.body.contains(&format!("href=\"/en/resources/{}/pdf\"", stored.id)));
    assert!(public.body.contains("href=\"https://example.ca/guide\""));
    for missing in ["/en/resources/9999/pdf", "/en/resources/abc/pdf", "/xx/resources/1/pdf"] {
        assert_eq!(app.get(missing).await.status, StatusCode::NOT_FOUND, "{missing}");
    }
    let link_only = library.iter().find(|resource| resource.link.is_some()).unwrap();
    assert_eq!(app.get(&format!("/en/resources/{}/pdf", link_only.id)).await.status, StatusCode::NOT_FOUND);

    // Removing: never by a facilitator; a coordinator's takes it off the page, PDF and all.
    let remove = format!("intent=remove&id={}", stored.id);
    assert_eq!(app.post_form_as(&leader, page, &remove).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.post_form(page, &remove).await.status, StatusCode::SEE_OTHER, "a visitor signs in first");
    let removed = app.post_form_as(&coordinator, page, &remove).await;
    assert_eq!(removed.location.as_deref(), Some("/en/workspace/resources?done=removed"));
    assert_eq!(app.get(&format!("/en/resources/{}/pdf", stored.id)).await.status, StatusCode::NOT_FOUND);
    assert!(!app.get("/en/resources").await.body.contains("Typed title"));
    assert_eq!(app.post_form_as(&coordinator, page, &remove).await.status, StatusCode::NOT_FOUND);

    // The topic list is the coordinator's too.
    let added = app.post_form_as(&coordinator, page, topic_form).await;
    assert_eq!(added.location.as_deref(), Some("/en/workspace/resources?done=topic_added"));
    let blank = app.post_form_as(&coordinator, page, "intent=add_topic&topic_en=Sleep&topic_fr=").await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        blank.body.contains("Give the topic’s name in both languages.")
            && blank.body.contains("value=\"Sleep\"")
    );
    let sleep = topic(&app, "Sleep").await;
    assert!(app.get("/fr/resources").await.body.contains(">Sommeil</option>"));
    let removed = app.post_form_as(&coordinator, page, &format!("intent=remove_topic&id={sleep}")).await;
    assert_eq!(removed.location.as_deref(), Some("/en/workspace/resources?done=topic_removed"));
    assert!(!app.get("/fr/resources").await.body.contains(">Sommeil</option>"));
}

#[tokio::test]
async fn the_library_filters_by_topic_and_audience_and_searches_regardless_of_accents() {
    let app = common::spawn().await;
    app.account(Role::Coordinator, "coordinator@example.ca", PASSWORD, false).await;
    let coordinator = app.sign_in("coordinator@example.ca", PASSWORD).await;
    let [burnout, leadership, self_care, stress] = [
        topic(&app, "Burnout").await,
        topic(&app, "Leadership and professional development").await,
        topic(&app, "Self-care").await,
        topic(&app, "Stress").await,
    ];
    let resources = [
        // Accented in French; English has no "épuisement".
        (
            ("Burnout signs", "Noticing exhaustion early."),
            ("Épuisement : les signes", "Les signes précoces."),
            &burnout,
            "physicians",
            "a",
        ),
        // French only, written without accents: the reverse search.
        (
            ("", ""),
            ("Prendre soin de soi en residence", "Les residents face a l epuisement."),
            &self_care,
            "residents",
            "b",
        ),
        // Pattern characters, taken literally.
        (("Working at 100% load", "A note on capacity_planning."), ("", ""), &stress, "everyone", "c"),
        (
            ("Leadership basics", "First steps in leading."),
            ("Leadership : les bases", "Premiers pas."),
            &leadership,
            "medical_students",
            "d",
        ),
    ];
    for (en, fr, topic, audience, path) in resources {
        let topics = [topic.clone()];
        let link = format!("https://example.ca/{path}");
        let mut fields = resource_fields(en, fr, &topics, audience);
        fields.push(("link", &link));
        let added =
            post_multipart(&app, Some(&coordinator), "/en/workspace/resources", multipart(&fields, None))
                .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    }
    let shown = |body: &str| -> Vec<char> {
        [
            ("Burnout signs", 'a'),
            ("Épuisement : les signes", 'a'),
            ("Prendre soin de soi en residence", 'b'),
            ("Working at 100% load", 'c'),
            ("Leadership basics", 'd'),
            ("Leadership : les bases", 'd'),
        ]
        .into_iter()
        .filter(|(title, _)| body.contains(title))
        .map(|(_, key)| key)
        .collect()
    };
    let cases: [(&str, &[char]); 14] = [
        ("/en/resources", &['a', 'b', 'c', 'd']),
        // Accents and capitals do not matter, either way round.
        ("/fr/resources?q=epuisement", &['a', 'b']),
        ("/fr/resources?q=%C3%89PUISEMENT", &['a', 'b']),
        ("/fr/resources?q=%C3%A9puisement+signes", &['a']),
        ("/fr/resources?q=r%C3%A9sidence", &['b']),
        // The English page searches English, or the only language a resource has.
        ("/en/resources?q=epuisement", &['b']),
        ("/en/resources?q=exhaustion", &['a']),
        ("/fr/resources?q=exhaustion", &[]),
        // % and _ are letters to search for, not wildcards.
        ("/en/resources?q=100%25", &['c']),
        ("/en/resources?q=_", &['c']),
        // Topic and audience (a resource for everyone reaches every audience).
        (&*format!("/en/resources?topic={burnout}"), &['a']),
        ("/en/resources?audience=residents", &['b', 'c']),
        (&*format!("/en/resources?audience=medical_students&topic={leadership}&q=leading"), &['d']),
        // What is not understood is ignored.
        ("/en/resources?topic=x&audience=aliens&q=", &['a', 'b', 'c', 'd']),
    ];
    for (path, expected) in cases {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_eq!(shown(&page.body), expected, "{path}");
    }
    // A resource in one language is marked with it for readers of the other; the count reads.
    let english = app.get("/en/resources?audience=residents").await;
    assert!(english.body.contains("lang=\"fr\">Prendre soin de soi en residence</span>"), "{}", english.body);
    assert!(english.body.contains("in French only"));
    assert!(english.body.contains("2 resources"));
    assert!(app.get("/fr/resources?q=epuisement+signes").await.body.contains("Une ressource"));
    assert!(app.get("/fr/resources?q=introuvable").await.body.contains("Aucune ressource ne correspond."));
    // The search box keeps what was typed, and the filters their choice.
    let searched = app.get(&format!("/fr/resources?q=%C3%A9puisement&topic={burnout}")).await;
    assert!(searched.body.contains("value=\"épuisement\""));
    assert!(searched.body.contains(&format!("<option value=\"{burnout}\" selected")));
}

#[tokio::test]
async fn the_demo_library_has_both_languages_one_language_entries_and_a_readable_pdf() {
    let app = common::spawn().await;
    assert!(server::demo::load_if_empty(&app.state.db, chrono::Utc::now()).await.unwrap());
    let english = app.get("/en/resources").await;
    assert!(english.body.contains("5 resources"), "{}", english.body);
    assert!(english.body.contains("Burnout: noticing the early signs"));
    assert!(english.body.contains("lang=\"fr\">Premiers stages : apprivoiser le stress</span>"));
    let french = app.get("/fr/resources").await;
    assert!(french.body.contains("Épuisement professionnel : en reconnaître les premiers signes"));
    assert!(french.body.contains("lang=\"en\">Leading a team through a hard season</span>"));
    assert!(french.body.contains("en anglais seulement"));

    let library = app::server::db::resources::find(&app.state.db, &Default::default(), app::i18n::Locale::En)
        .await
        .unwrap();
    let with_pdf = library.iter().find(|resource| resource.file_name.is_some()).expect("a demo PDF");
    let pdf = app.get(&format!("/en/resources/{}/pdf", with_pdf.id)).await;
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert_eq!(app::domain::resources::pdf_problem(pdf.body.as_bytes()), None);
    // Written by hand: its cross-reference table must point at its objects for a reader to open it.
    let text = pdf.body.as_str();
    let xref: usize = text.rsplit("startxref\n").next().unwrap().lines().next().unwrap().parse().unwrap();
    assert!(text[xref..].starts_with("xref\n0 6\n"));
    for (object, entry) in text[xref..].lines().skip(3).take(5).enumerate() {
        let offset: usize = entry[..10].parse().unwrap();
        assert!(text[offset..].starts_with(&format!("{} 0 obj", object + 1)), "object {}", object + 1);
    }
    assert!(text.contains("(Une pause de cinq minutes entre deux patients) Tj"));
}
