//! Application rounds through the real router and services: opening a round and its groups,
//! applying (in both languages, twice, with mistakes), withdrawing, the draw after the
//! deadline and its published re-run, who sees the members, and the purge of applicants'
//! details after the retention time.

use crate::common;

use app::domain::access::{Caller, Role};
use app::domain::draw::{PublishedDraw, Setting};
use app::domain::zones::reference_time;
use app::error::AppError;
use app::model::{FacilitatedGroup, RoundAdmin, RoundSummary};
use app::server::{db, rounds};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use common::{TestApp, encode, spawn};

pub(crate) const PASSWORD: &str = "a sufficiently long passphrase";

/// Opens a round whose deadline is tomorrow at noon ET, through the coordinator's form.
pub(crate) async fn open_round(app: &TestApp, coordinator: &str) -> i32 {
    let tomorrow = reference_time(Utc::now()).date() + Duration::days(1);
    let form = format!(
        "title_en=Mutual%20support%20groups&title_fr=Groupes%20d%E2%80%99entraide\
         &description_en=Small%20groups%20for%20a%20year.&description_fr=De%20petits%20groupes%20pendant%20un%20an.\
         &date={tomorrow}&time=12%3A00&allow_either=yes&retention_days=30"
    );
    let reply = app.post_form_as(coordinator, "/en/workspace/rounds", &form).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let location = reply.location.unwrap();
    let id = location.trim_start_matches("/en/workspace/rounds/").split('?').next().unwrap();
    id.parse().unwrap()
}

pub(crate) async fn add_group(app: &TestApp, coordinator: &str, round: i32, fields: &str) {
    let reply = app
        .post_form_as(
            coordinator,
            &format!("/en/workspace/rounds/{round}"),
            &format!("intent=add_group&{fields}"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
}

pub(crate) fn application(
    name: &str,
    email: &str,
    district: &str,
    preference: &str,
    language: &str,
) -> String {
    format!(
        "name={}&specialty=Psychiatry&city=Toronto&district={}&email={}&phone=416%20555%200100\
         &motivation=To%20talk%20with%20peers.&preference={preference}&benefit=Less%20isolation.&language={language}",
        encode(name),
        encode(district),
        encode(email)
    )
}

pub(crate) async fn caller(app: &TestApp, email: &str) -> Caller {
    db::accounts::by_email(&app.state.db, email).await.unwrap().unwrap().caller().unwrap()
}

pub(crate) async fn apply(app: &TestApp, round: i32, lang: &str, form: &str) -> common::Reply {
    app.post_form(&format!("/{lang}/rounds/{round}"), form).await
}

/// The path of the private link an email's text carries, the one starting with `prefix`.
pub(crate) fn private_path(text: &str, prefix: &str) -> String {
    let start = text.find(prefix).unwrap_or_else(|| panic!("no {prefix} link in {text}"));
    text[start..].split_whitespace().next().unwrap_or_default().to_string()
}

#[tokio::test]
async fn a_round_from_opening_through_the_draw_to_the_purge() {
    let app = spawn().await;
    app.account(Role::Coordinator, "coordinator@example.ca", PASSWORD, false).await;
    let (leader, _) = app.account(Role::Facilitator, "leader@example.ca", PASSWORD, true).await;
    app.account(Role::Facilitator, "other@example.ca", PASSWORD, true).await;
    let coordinator = app.sign_in("coordinator@example.ca", PASSWORD).await;
    let leader_cookie = app.sign_in("leader@example.ca", PASSWORD).await;
    let other_cookie = app.sign_in("other@example.ca", PASSWORD).await;

    let round = open_round(&app, &coordinator).await;
    // Nobody can apply to a round without groups.
    let early =
        apply(&app, round, "en", &application("Early", "early@example.ca", "7 (Toronto)", "virtual", "en"))
            .await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
    add_group(
        &app,
        &coordinator,
        round,
        "name_en=Toronto&name_fr=Toronto&setting=in_person&district=7%20(Toronto)&seats=3",
    )
    .await;
    add_group(
        &app,
        &coordinator,
        round,
        &format!("name_en=Virtual&name_fr=Virtuel&setting=virtual&seats=3&facilitator_account={leader}"),
    )
    .await;
    let hybrid = app
        .post_form_as(
            &coordinator,
            &format!("/en/workspace/rounds/{round}"),
            "intent=add_group&name_en=H&name_fr=H&setting=hybrid&seats=5",
        )
        .await;
    assert_eq!(hybrid.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Eight applications, in both languages and with every preference.
    let people = [
        ("Ana", "7 (Toronto)", "either", "fr"),
        ("Ben", "7 (Toronto)", "in_person", "en"),
        ("Chloe", "other", "virtual", "fr"),
        ("Dev", "7 (Toronto)", "in_person", "en"),
        ("Eli", "other", "virtual", "en"),
        ("Fatima", "7 (Toronto)", "either", "fr"),
        ("Gus", "7 (Toronto)", "in_person", "en"),
        ("Hana", "other", "virtual", "en"),
    ];
    for (name, district, preference, language) in people {
        let email = format!("{}@example.ca", name.to_lowercase());
        let reply =
            apply(&app, round, language, &application(name, &email, district, preference, language)).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{name}: {}", reply.body);
        // Back to the round, which says an email is on its way; the private link goes only there.
        assert_eq!(reply.location.as_deref(), Some(format!("/{language}/rounds/{round}?applied=1").as_str()));
    }
    let told = app.get(&format!("/fr/rounds/{round}?applied=1")).await;
    assert!(
        told.body.contains("Merci de votre candidature. Nous avons écrit à l’adresse indiquée"),
        "{}",
        told.body
    );
    app.deliver_mail().await;
    let manage_paths: Vec<String> = people
        .iter()
        .map(|(name, _, _, language)| {
            let acknowledgement = &app.smtp.to(&format!("{}@example.ca", name.to_lowercase()))[0];
            private_path(&acknowledgement.text(), &format!("/{language}/applications/"))
        })
        .collect();
    let acknowledgement = &app.smtp.to("ana@example.ca")[0];
    assert!(
        acknowledgement.subject().contains("Nous avons reçu votre candidature"),
        "{}",
        acknowledgement.subject()
    );
    assert!(acknowledgement.text().contains("Votre numéro de candidature est"));

    // The same address again: nothing new, the acknowledgement again, and an answer that cannot
    // be told from a first application's (so it does not reveal who applied).
    let again =
        apply(&app, round, "en", &application("Ana B", "ANA@example.ca", "7 (Toronto)", "virtual", "en"))
            .await;
    let first_time =
        apply(&app, round, "en", &application("Jo", "jo@example.ca", "7 (Toronto)", "virtual", "en")).await;
    assert_eq!((again.status, again.location), (first_time.status, first_time.location));
    app.deliver_mail().await;
    assert_eq!(app.smtp.to("ana@example.ca").len(), 2, "the acknowledgement again");
    let jo = private_path(&app.smtp.to("jo@example.ca")[0].text(), "/en/applications/");
    assert_eq!(app.post_form(&jo, "intent=withdraw").await.status, StatusCode::SEE_OTHER);
    // Mistakes come back with what was typed.
    let wrong = apply(&app, round, "en", &application("Ivy", "ivy@", "other", "in_person", "en")).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("value=\"Ivy\""), "the name typed is kept");
    assert!(wrong.body.contains("No group of this kind is offered in your district"));

    // Hana withdraws: her application is deleted.
    let hana = manage_paths.last().cloned().unwrap_or_default();
    assert_eq!(app.get(&hana).await.status, StatusCode::OK);
    let withdrawn = app.post_form(&hana, "intent=withdraw").await;
    assert_eq!(withdrawn.location.as_deref(), Some(format!("/en/rounds/{round}?withdrawn=1").as_str()));
    assert_eq!(db::rounds::applications(&app.state.db, round).await.unwrap().len(), 7);

    // The draw waits for the deadline, and only the coordinator runs it.
    let coordinator_caller = caller(&app, "coordinator@example.ca").await;
    let now = Utc::now();
    assert_eq!(
        rounds::run_draw(&app.state, &coordinator_caller, round, now).await,
        Err(AppError::WrongStage)
    );
    let leader_caller = caller(&app, "leader@example.ca").await;
    assert_eq!(rounds::run_draw(&app.state, &leader_caller, round, now).await, Err(AppError::Forbidden));
    // The coordinator stops taking applications now; from then on nobody can apply.
    rounds::end_applications(&app.state, &coordinator_caller, round, now).await.unwrap();
    let late =
        apply(&app, round, "en", &application("Late", "late@example.ca", "other", "virtual", "en")).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    let after_deadline = Utc::now();
    rounds::run_draw(&app.state, &coordinator_caller, round, after_deadline).await.unwrap();
    assert_eq!(
        rounds::run_draw(&app.state, &coordinator_caller, round, after_deadline).await,
        Err(AppError::WrongStage)
    );

    // The published draw re-runs to the same result with its seed.
    let published: PublishedDraw = app.call("rounds/draw", &format!("id={round}")).await.json();
    assert_eq!(published.applicants.len(), 7);
    let placed: usize = published.result.groups.iter().map(|(_, members)| members.len()).sum();
    assert_eq!(placed, 6, "both groups are full");
    assert_eq!(published.result.waitlist.len(), 1);
    let same: Option<bool> =
        app.call("rounds/check", &format!("id={round}&seed={}", published.seed)).await.json();
    assert_eq!(same, Some(true));
    let other_seed =
        if published.seed == "0000000000000001" { "0000000000000002" } else { "0000000000000001" };
    let check: Option<bool> = app.call("rounds/check", &format!("id={round}&seed={other_seed}")).await.json();
    assert!(check.is_some());
    let page = app.get(&format!("/en/rounds/{round}/draw?seed={}", published.seed)).await;
    assert!(page.body.contains("gives exactly the published groups and waitlist"), "{}", page.body);

    // Everyone hears the outcome in their language.
    app.deliver_mail().await;
    for (name, _, _, language) in &people[..7] {
        let expected = match *language {
            "fr" => ["Vous avez une place", "Le résultat du tirage"],
            _ => ["You have a place", "The outcome of the draw"],
        };
        let received = app.smtp.to(&format!("{}@example.ca", name.to_lowercase()));
        let outcomes: Vec<_> = received
            .iter()
            .filter(|mail| expected.iter().any(|start| mail.subject().starts_with(start)))
            .collect();
        assert_eq!(outcomes.len(), 1, "{name}: one outcome, in their language");
        assert!(outcomes[0].text().contains(&published.seed), "the seed is in the email");
    }

    // The virtual group's facilitator sees its members; nobody else does.
    let virtual_group = db::rounds::groups(&app.state.db, round)
        .await
        .unwrap()
        .into_iter()
        .find(|g| g.setting == Setting::Virtual)
        .unwrap();
    let mine: Vec<FacilitatedGroup> = app.call_as(Some(&leader_cookie), "workspace/groups", "").await.json();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].group.id, virtual_group.id);
    assert_eq!(mine[0].members.len(), 3);
    assert!(mine[0].members.iter().all(|member| member.group_id == Some(virtual_group.id)));
    let theirs: Vec<FacilitatedGroup> = app.call_as(Some(&other_cookie), "workspace/groups", "").await.json();
    assert!(theirs.is_empty());
    let refused: AppError =
        app.call_as(Some(&leader_cookie), "workspace/round", &format!("id={round}")).await.json();
    assert_eq!(refused, AppError::Forbidden);
    let refused: AppError = app.call("workspace/round", &format!("id={round}")).await.json();
    assert_eq!(refused, AppError::SignInRequired);
    let empty = open_round(&app, &coordinator).await;
    let listed: Vec<RoundSummary> = app.call("rounds/list", "").await.json();
    let groups_of = |id: i32| listed.iter().find(|listed| listed.id == id).map(|listed| listed.groups.len());
    assert_eq!((groups_of(round), groups_of(empty)), (Some(2), Some(0)), "each round with its own groups");
    let admin: RoundAdmin =
        app.call_as(Some(&coordinator), "workspace/round", &format!("id={round}")).await.json();
    assert_eq!(admin.applicants.len(), 7);

    // The retention time counts from the draw; after it only counts and the published draw remain.
    rounds::close(&app.state, &coordinator_caller, round, after_deadline).await.unwrap();
    assert_eq!(rounds::purge_expired(&app.state, after_deadline + Duration::days(29)).await.unwrap(), 0);
    assert_eq!(rounds::purge_expired(&app.state, after_deadline + Duration::days(30)).await.unwrap(), 7);
    assert!(db::rounds::applications(&app.state.db, round).await.unwrap().is_empty());
    let admin: RoundAdmin =
        app.call_as(Some(&coordinator), "workspace/round", &format!("id={round}")).await.json();
    assert!(admin.purged);
    assert_eq!(admin.summary.applicant_count, 7);
    assert_eq!(admin.summary.groups.iter().map(|group| group.member_count).sum::<u32>(), 6);
    let still: Option<bool> =
        app.call("rounds/check", &format!("id={round}&seed={}", published.seed)).await.json();
    assert_eq!(still, Some(true));
    let gone = app.get(&manage_paths[0]).await;
    assert!(
        gone.body.contains(app::error::AppError::InvalidLink.message(app::i18n::Tr(app::i18n::Locale::Fr))),
        "the link opens nothing any more"
    );
}

#[tokio::test]
async fn one_application_per_address_whatever_the_concurrency() {
    let app = spawn().await;
    app.account(Role::Coordinator, "coordinator@example.ca", PASSWORD, false).await;
    let coordinator = app.sign_in("coordinator@example.ca", PASSWORD).await;
    let round = open_round(&app, &coordinator).await;
    add_group(&app, &coordinator, round, "name_en=Virtual&name_fr=Virtuel&setting=virtual&seats=11").await;
    let form = application("Same Person", "same@example.ca", "other", "virtual", "en");
    let replies = futures::future::join_all((0..8).map(|_| apply(&app, round, "en", &form))).await;
    assert!(replies.iter().all(|reply| reply.status == StatusCode::SEE_OTHER), "the same answer to each");
    assert_eq!(db::rounds::applications(&app.state.db, round).await.unwrap().len(), 1);
}

/// After the draw, a member who withdraws from their private link gives the place to the first
/// of the waitlist, in draw order, whom the group admits: that person is emailed, the
/// published draw shows the change by application number only and still re-runs to the same
/// result, and someone leaving the waitlist moves those behind up. Once the round is closed
/// the groups are under way, and nobody is moved any more.
#[tokio::test]
async fn a_place_given_up_after_the_draw_goes_to_the_next_in_line() {
    let app = spawn().await;
    app.account(Role::Coordinator, "coordinator@example.ca", PASSWORD, false).await;
    let coordinator = app.sign_in("coordinator@example.ca", PASSWORD).await;
    let round = open_round(&app, &coordinator).await;
    add_group(
        &app,
        &coordinator,
        round,
        "name_en=Toronto&name_fr=Toronto&setting=in_person&district=7%20(Toronto)&seats=3",
    )
    .await;
    // Names that no page text contains by chance, so the check below means something.
    let names = ["Zanele", "Bartholomew", "Quillon", "Ysolde", "Evander", "Florentyna"];
    for name in names {
        let email = format!("{}@example.ca", name.to_lowercase());
        let form = application(name, &email, "7 (Toronto)", "in_person", "en");
        assert_eq!(apply(&app, round, "en", &form).await.status, StatusCode::SEE_OTHER);
    }
    app.deliver_mail().await;
    let coordinator_caller = caller(&app, "coordinator@example.ca").await;
    rounds::end_applications(&app.state, &coordinator_caller, round, Utc::now()).await.unwrap();
    rounds::run_draw(&app.state, &coordinator_caller, round, Utc::now()).await.unwrap();
    let published: PublishedDraw = app.call("rounds/draw", &format!("id={round}")).await.json();
    let (group, members) = published.result.groups[0].clone();
    let waitlist = published.result.waitlist.clone();
    assert_eq!((members.len(), waitlist.len()), (3, 3));

    let applications = db::rounds::applications(&app.state.db, round).await.unwrap();
    let email_of = |id: u64| applications.iter().find(|row| row.id as u64 == id).unwrap().email.clone();
    let link_of = |id: u64| private_path(&app.smtp.to(&email_of(id))[0].text(), "/en/applications/");
    let member_page = app.get(&link_of(members[0])).await;
    assert!(member_page.body.contains("goes to the next person on the waitlist"), "{}", member_page.body);
    assert_eq!(app.post_form(&link_of(members[0]), "intent=withdraw").await.status, StatusCode::SEE_OTHER);

    let database = &app.state.db;
    let now_in = |id: u64| async move {
        let rows = db::rounds::applications(database, round).await.unwrap();
        rows.into_iter().find(|row| row.id as u64 == id).map(|row| (row.group_id, row.waitlist_position))
    };
    assert_eq!(now_in(members[0]).await, None, "the application is deleted");
    assert_eq!(now_in(waitlist[0]).await, Some((Some(group as i32), None)));
    assert_eq!(now_in(waitlist[1]).await, Some((None, Some(1))));
    assert_eq!(now_in(waitlist[2]).await, Some((None, Some(2))));
    app.deliver_mail().await;
    let told = app.smtp.to(&email_of(waitlist[0]));
    assert!(
        told.last().unwrap().subject().starts_with("A place opened for you"),
        "{}",
        told.last().unwrap().subject()
    );

    let after: PublishedDraw = app.call("rounds/draw", &format!("id={round}")).await.json();
    assert_eq!(
        after.replacements,
        [app::domain::draw::Replacement { group, left: members[0], promoted: Some(waitlist[0]) }]
    );
    assert_eq!(after.result, published.result, "the draw's result stays as drawn");
    let same: Option<bool> =
        app.call("rounds/check", &format!("id={round}&seed={}", after.seed)).await.json();
    assert_eq!(same, Some(true));
    let page = app.get(&format!("/en/rounds/{round}/draw")).await;
    assert!(page.body.contains(&format!("Applicant no. {} left Toronto", members[0])), "{}", page.body);
    assert!(names.iter().all(|name| !page.body.contains(name)), "nobody is named");

    // Leaving the waitlist moves the one behind up, and gives no place away.
    assert_eq!(app.post_form(&link_of(waitlist[1]), "intent=withdraw").await.status, StatusCode::SEE_OTHER);
    assert_eq!(now_in(waitlist[2]).await, Some((None, Some(1))));
    let groups = db::rounds::groups(&app.state.db, round).await.unwrap();
    assert_eq!(groups[0].member_count, 3);
    let unchanged: PublishedDraw = app.call("rounds/draw", &format!("id={round}")).await.json();
    assert_eq!(unchanged.replacements.len(), 1);

    rounds::close(&app.state, &coordinator_caller, round, Utc::now()).await.unwrap();
    // Refused: back to the application, which offers no withdrawal any more.
    let refused = app.post_form(&link_of(waitlist[0]), "intent=withdraw").await;
    assert_eq!(refused.location.as_deref(), Some(link_of(waitlist[0]).as_str()), "the groups are under way");
    assert!(!app.get(&link_of(waitlist[0])).await.body.contains("Withdraw my application"));
    assert_eq!(now_in(waitlist[0]).await, Some((Some(group as i32), None)));
}
