//! The demo data set (`ROUNDS_DEMO=1`): every format, weekly sessions for the coming weeks,
//! a two-part series, French-only and bilingual sessions, audience-restricted groups, an
//! English-only title, and a weekly group long enough to cross the next daylight-saving change.
//! Dates are relative to the day it is loaded, so the calendar is never empty.

use app::domain::recurrence::weekly;
use app::domain::session::{Audience, DEFAULT_CAPACITY, SessionLanguage};
use app::domain::zones::{eastern, reference_time};
use app::i18n::Locale;
use app::model::{Bilingual, SeriesInfo};
use app::server::db::sessions::{
    NewFacilitator, NewFormat, NewSession, insert_facilitator, insert_format, insert_session, is_empty,
};
use app::server::db::{Db, DbError, WriteTxn};
use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, NaiveTime, Utc, Weekday};

struct Format {
    slug: &'static str,
    name: (&'static str, &'static str),
    description: (&'static str, &'static str),
    led_by: (&'static str, &'static str),
}

const FORMATS: [Format; 6] = [
    Format {
        slug: "peer-support",
        name: ("Formal peer support", "Soutien formel par les pairs"),
        description: (
            "A physician trained in formal peer support guides an open conversation about what shapes doctors' health: workload, sleep, relationships at work and at home, and finding a sustainable pace. Topics come from the group itself, so no two sessions are alike. Learner groups often turn to the pressures of training.",
            "Un médecin formé au soutien formel par les pairs guide une conversation ouverte sur ce qui influence la santé des médecins : charge de travail, sommeil, relations au travail et à la maison, recherche d'un rythme durable. Les sujets viennent du groupe lui-même; aucune séance ne ressemble à une autre. Les groupes d'apprenants abordent souvent les pressions de la formation.",
        ),
        led_by: (
            "a physician trained in formal peer support",
            "un médecin formé au soutien formel par les pairs",
        ),
    },
    Format {
        slug: "current-challenges",
        name: ("Facing today's challenges", "Faire face aux défis actuels"),
        description: (
            "A licensed psychologist hosts a supportive discussion among colleagues about the strains of the moment in health care: heavier schedules, virtual care, clinic changes, and the weight carried home. The group sets the direction.",
            "Un psychologue autorisé anime une discussion bienveillante entre collègues sur les tensions actuelles du système de santé : horaires plus lourds, soins virtuels, changements dans les cliniques et ce que l'on rapporte à la maison. Le groupe choisit la direction.",
        ),
        led_by: ("a licensed psychologist", "un psychologue autorisé"),
    },
    Format {
        slug: "compassion-rounds",
        name: ("Compassion rounds", "Rondes de compassion"),
        description: (
            "A short teaching segment (on topics such as work-life balance, family relationships or communicating under stress) is followed by sharing in groups of three, a gratitude practice and a guided relaxation. Interactive, practical and restorative.",
            "Un court segment d'enseignement (sur des thèmes comme l'équilibre travail-vie personnelle, les relations familiales ou la communication sous stress) est suivi d'un partage en groupes de trois, d'une pratique de gratitude et d'une relaxation guidée. Interactif, concret et ressourçant.",
        ),
        led_by: (
            "a physician experienced in mindfulness teaching",
            "un médecin expérimenté en enseignement de la pleine conscience",
        ),
    },
    Format {
        slug: "mindful-parenting",
        name: ("Mindful parenting", "Parentalité consciente"),
        description: (
            "Mindfulness practices and communication skills for the parenting side of a physician's life, from toddlers to adult children. Each week brings a new theme; come once or return as often as you like.",
            "Des pratiques de pleine conscience et des habiletés de communication pour le côté parental de la vie de médecin, des tout-petits aux enfants adultes. Chaque semaine apporte un nouveau thème; venez une fois ou revenez aussi souvent que vous le voulez.",
        ),
        led_by: ("a physician and mindfulness teacher", "un médecin enseignant la pleine conscience"),
    },
    Format {
        slug: "psychological-first-aid",
        name: ("Psychological first aid", "Premiers soins psychologiques"),
        description: (
            "Quick, evidence-informed techniques to ease anxiety and distress, adapted for clinical life from psychological first aid, mindfulness and trauma-informed care. You practise them in the session and learn how to offer them to patients, family and colleagues.",
            "Des techniques rapides, fondées sur les données probantes, pour apaiser l'anxiété et la détresse, adaptées à la vie clinique à partir des premiers soins psychologiques, de la pleine conscience et des soins tenant compte des traumatismes. Vous les pratiquez pendant la séance et apprenez à les offrir aux patients, aux proches et aux collègues.",
        ),
        led_by: ("a medical psychotherapist", "un psychothérapeute médical"),
    },
    Format {
        slug: "topical",
        name: ("Topical sessions", "Séances thématiques"),
        description: (
            "One theme per session, sometimes over a short series: sleep, screens, career doubts. Each session mixes a brief presentation with time to talk.",
            "Un thème par séance, parfois sur une courte série : le sommeil, les écrans, les doutes de carrière. Chaque séance combine une brève présentation et un temps d'échange.",
        ),
        led_by: ("a trained peer facilitator", "un animateur formé au soutien par les pairs"),
    },
];

const FACILITATORS: [(&str, (&str, &str)); 5] = [
    (
        "Dr. Amélie Tremblay",
        (
            "Family physician, trained in formal peer support",
            "Médecin de famille, formée au soutien formel par les pairs",
        ),
    ),
    ("Dr. Samuel Okafor", ("Licensed psychologist", "Psychologue autorisé")),
    (
        "Dr. Priya Nair",
        ("Anesthesiologist and mindfulness teacher", "Anesthésiologiste et enseignante de pleine conscience"),
    ),
    ("Marc-André Gagnon", ("Medical psychotherapist", "Psychothérapeute médical")),
    ("Jordan Lee", ("Registered clinical counsellor", "Conseiller clinique agréé")),
];

/// The first `weekday` on or after `from`.
fn next_weekday(from: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() - from.weekday().num_days_from_monday()) % 7;
    from + Days::new(u64::from(ahead))
}

/// A `weeks` value meaning "until two weeks after the clocks next change".
const UNTIL_AFTER_CLOCK_CHANGE: u32 = 0;

/// How many weekly occurrences from `first` it takes to pass the next change of UTC offset
/// in Eastern Time, plus one more week after it; at least six.
fn weeks_past_clock_change(first: chrono::NaiveDateTime) -> u32 {
    let year = weekly(first, eastern(), 52).expect("a year of weekly times");
    let offset = |t: &DateTime<Utc>| reference_time(*t) - t.naive_utc();
    let change = year.iter().position(|t| offset(t) != offset(&year[0])).unwrap_or(4) as u32;
    (change + 2).max(6)
}

struct Weekly {
    format: usize,
    facilitator: usize,
    title: Bilingual,
    description: Bilingual,
    weekday: Weekday,
    time: (u32, u32),
    duration_minutes: u32,
    weeks: u32,
    language: SessionLanguage,
    audience: Audience,
}

fn both(en: &str, fr: &str) -> Bilingual {
    Bilingual::both(en, fr)
}

fn weekly_groups() -> Vec<Weekly> {
    vec![
        Weekly {
            format: 0,
            facilitator: 0,
            title: both("Peer support circle", "Cercle de soutien par les pairs"),
            description: both(
                "An evening circle for physicians at every stage of their career. Bring what is on your mind this week.",
                "Un cercle en soirée pour les médecins à toutes les étapes de leur carrière. Apportez ce qui vous occupe cette semaine.",
            ),
            weekday: Weekday::Tue,
            time: (19, 0),
            duration_minutes: 90,
            weeks: 6,
            language: SessionLanguage::En,
            audience: Audience::All,
        },
        Weekly {
            format: 0,
            facilitator: 0,
            title: both("Learners' lunchtime circle", "Cercle du midi des apprenants"),
            description: both(
                "A lunch-hour space for medical students, residents and fellows to talk about training, exams and everything around them.",
                "Un espace à l'heure du dîner où les étudiants, résidents et fellows parlent de la formation, des examens et de tout ce qui les entoure.",
            ),
            weekday: Weekday::Thu,
            time: (12, 0),
            duration_minutes: 60,
            weeks: 6,
            language: SessionLanguage::Bilingual,
            audience: Audience::Learners,
        },
        Weekly {
            format: 1,
            facilitator: 1,
            title: both("Facing today's challenges together", "Faire face ensemble aux défis actuels"),
            description: both(
                "A midday discussion, in English and French, about what weighs on clinicians right now.",
                "Une discussion en milieu de journée, en français et en anglais, sur ce qui pèse sur les cliniciens en ce moment.",
            ),
            weekday: Weekday::Wed,
            time: (12, 0),
            duration_minutes: 60,
            weeks: 6,
            language: SessionLanguage::Bilingual,
            audience: Audience::All,
        },
        // Runs past the next daylight-saving change, wherever in the year the demo is loaded.
        Weekly {
            format: 2,
            facilitator: 2,
            title: both("Compassion rounds", "Rondes de compassion"),
            description: both(
                "This week's teaching: noticing the physician personality at work, and being kinder to it.",
                "L'enseignement de la semaine : reconnaître la personnalité du médecin au travail, et se montrer plus doux envers elle.",
            ),
            weekday: Weekday::Mon,
            time: (19, 0),
            duration_minutes: 90,
            weeks: UNTIL_AFTER_CLOCK_CHANGE,
            language: SessionLanguage::En,
            audience: Audience::All,
        },
        Weekly {
            format: 3,
            facilitator: 2,
            title: both("Mindful parenting", "Parentalité consciente"),
            description: both(
                "Pausing before reacting: a practice for the hardest moments at home.",
                "Faire une pause avant de réagir : une pratique pour les moments les plus difficiles à la maison.",
            ),
            weekday: Weekday::Sun,
            time: (20, 0),
            duration_minutes: 60,
            weeks: 6,
            language: SessionLanguage::En,
            audience: Audience::All,
        },
        Weekly {
            format: 4,
            facilitator: 3,
            title: both("Psychological first aid", "Premiers soins psychologiques"),
            description: both(
                "Three grounding techniques you can use between two patients, practised together.",
                "Trois techniques d'ancrage à utiliser entre deux patients, pratiquées ensemble.",
            ),
            weekday: Weekday::Thu,
            time: (19, 0),
            duration_minutes: 60,
            weeks: 6,
            language: SessionLanguage::Fr,
            audience: Audience::All,
        },
        Weekly {
            format: 0,
            facilitator: 4,
            title: both(
                "Residents on leave: a circle of support",
                "Résidents en congé : un cercle de soutien",
            ),
            description: both(
                "For residents currently on medical or parental leave. Time away from a program can be isolating; here you meet others who know what it is like.",
                "Pour les résidents actuellement en congé de maladie ou parental. S'absenter de son programme peut isoler; ici, vous rencontrez d'autres personnes qui savent ce que c'est.",
            ),
            weekday: Weekday::Tue,
            time: (9, 30),
            duration_minutes: 120,
            weeks: 4,
            language: SessionLanguage::En,
            audience: Audience::ResidentsOnLeave,
        },
    ]
}

/// Loads the demo data set when the database holds nothing yet. Returns whether it loaded.
pub async fn load_if_empty(db: &Db, now: DateTime<Utc>) -> Result<bool, DbError> {
    if !is_empty(db).await? {
        return Ok(false);
    }
    let hash = |password: &str| {
        let password = password.to_string();
        async move { app::server::auth::hash_password(password).await.map_err(|e| DbError::Other(e.to_string())) }
    };
    let passwords = DemoPasswords {
        coordinator: hash(DEMO_COORDINATOR.1).await?,
        facilitator: hash(DEMO_FACILITATOR_PASSWORD).await?,
    };
    db.write(move |txn| Box::pin(async move { load(txn, passwords, now).await })).await?;
    Ok(true)
}

/// The demo coordinator's address and password (documented in the README, for local runs).
pub const DEMO_COORDINATOR: (&str, &str) = ("coordinator@rounds.test", "rounds demo coordinator");
/// The demo facilitators with an account: the first two facilitators of the data set.
pub const DEMO_FACILITATOR_ACCOUNTS: [&str; 2] = ["amelie.tremblay@rounds.test", "samuel.okafor@rounds.test"];
pub const DEMO_FACILITATOR_PASSWORD: &str = "rounds demo facilitator";
/// The participant of the demo's just-ended session, who is emailed an evaluation link.
pub const DEMO_EVALUATOR: &str = "evaluation@rounds.test";

struct DemoPasswords {
    coordinator: String,
    facilitator: String,
}

async fn demo_accounts(
    db: &WriteTxn<'_>,
    passwords: DemoPasswords,
    facilitator_ids: &[i32],
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    use app::domain::access::Role;
    use app::server::db::accounts::{NewAccount, create};
    let coordinator = NewAccount {
        email_key: DEMO_COORDINATOR.0.into(),
        role: Role::Coordinator,
        facilitator_id: None,
        password_hash: Some(passwords.coordinator),
        language: Locale::En,
    };
    create(db, coordinator, now).await?;
    for (email, facilitator_id) in DEMO_FACILITATOR_ACCOUNTS.iter().zip(facilitator_ids) {
        let facilitator = NewAccount {
            email_key: (*email).into(),
            role: Role::Facilitator,
            facilitator_id: Some(*facilitator_id),
            password_hash: Some(passwords.facilitator.clone()),
            language: Locale::En,
        };
        create(db, facilitator, now).await?;
    }
    Ok(())
}

/// Everything in one transaction: a failed load leaves the database empty, to try again.
async fn load(db: &WriteTxn<'_>, passwords: DemoPasswords, now: DateTime<Utc>) -> Result<(), DbError> {
    let mut format_ids = Vec::new();
    for (position, format) in FORMATS.iter().enumerate() {
        let id = insert_format(
            db,
            NewFormat {
                slug: format.slug.into(),
                name: (format.name.0.into(), format.name.1.into()),
                description: (format.description.0.into(), format.description.1.into()),
                led_by: (format.led_by.0.into(), format.led_by.1.into()),
                position: position as i32,
            },
        )
        .await?;
        format_ids.push(id);
    }
    let mut facilitator_ids = Vec::new();
    for (name, credentials) in FACILITATORS {
        let new = NewFacilitator {
            display_name: name.into(),
            credentials: (credentials.0.into(), credentials.1.into()),
        };
        facilitator_ids.push(insert_facilitator(db, new).await?);
    }
    demo_accounts(db, passwords, &facilitator_ids, now).await?;

    let tomorrow = reference_time(now).date() + Days::new(1);
    let at = |day: NaiveDate, (hour, minute): (u32, u32)| {
        day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).expect("valid demo time"))
    };
    for group in weekly_groups() {
        let first = at(next_weekday(tomorrow, group.weekday), group.time);
        let weeks = match group.weeks {
            UNTIL_AFTER_CLOCK_CHANGE => weeks_past_clock_change(first),
            weeks => weeks,
        };
        let starts = weekly(first, eastern(), weeks).expect("demo times avoid daylight-saving gaps");
        for starts_at in starts {
            let session = NewSession {
                format_id: format_ids[group.format],
                facilitator_id: facilitator_ids[group.facilitator],
                title: group.title.clone(),
                description: group.description.clone(),
                starts_at,
                duration_minutes: group.duration_minutes,
                capacity: DEFAULT_CAPACITY,
                language: group.language,
                audience: group.audience,
                series: None,
                meeting_link: Some(format!("https://meet.example.invalid/rounds-{}", starts_at.timestamp())),
            };
            insert_session(db, session, now).await?;
        }
    }

    // A two-part topical series a week apart, and a one-off described in English only.
    let series_day = next_weekday(tomorrow, Weekday::Thu) + Days::new(7);
    let sleep = both("Sleep", "Le sommeil");
    let series = [
        (
            both(
                "Sleep, part 1: when shifts break the night",
                "Le sommeil, partie 1 : quand les gardes brisent la nuit",
            ),
            both(
                "Why rest is so hard to protect on call, what chronotypes tell us, and one strategy to try this week.",
                "Pourquoi le repos est si difficile à protéger pendant les gardes, ce que nous apprennent les chronotypes, et une stratégie à essayer cette semaine.",
            ),
        ),
        (
            both("Sleep, part 2: recovering your energy", "Le sommeil, partie 2 : retrouver son énergie"),
            both(
                "What worked since part 1, and tools for managing energy through a run of nights. Newcomers are welcome.",
                "Ce qui a fonctionné depuis la première partie, et des outils pour gérer son énergie pendant une série de nuits. Les nouveaux venus sont les bienvenus.",
            ),
        ),
    ];
    for (part, (title, description)) in series.into_iter().enumerate() {
        let day = series_day + Days::new(7 * part as u64);
        let starts_at = weekly(at(day, (19, 0)), eastern(), 1).expect("7 PM always exists")[0];
        let session = NewSession {
            format_id: format_ids[5],
            facilitator_id: facilitator_ids[0],
            title,
            description,
            starts_at,
            duration_minutes: 75,
            capacity: DEFAULT_CAPACITY,
            language: SessionLanguage::Bilingual,
            audience: Audience::All,
            series: Some(SeriesInfo { name: sleep.clone(), part: part as u32 + 1 }),
            meeting_link: Some(format!("https://meet.example.invalid/sleep-{}", part + 1)),
        };
        insert_session(db, session, now).await?;
    }
    let career_day = next_weekday(tomorrow, Weekday::Fri) + Days::new(7);
    let career = NewSession {
        format_id: format_ids[5],
        facilitator_id: facilitator_ids[4],
        title: Bilingual { en: Some("Thinking about stepping back from medicine?".into()), fr: None },
        description: Bilingual {
            en: Some("Reducing hours, changing how you practise, or leaving altogether: a space to think it through with peers who have asked the same questions.".into()),
            fr: None,
        },
        starts_at: weekly(at(career_day, (19, 0)), eastern(), 1).expect("7 PM always exists")[0],
        duration_minutes: 60,
        capacity: 12,
        language: SessionLanguage::En,
        audience: Audience::All,
        series: None,
        meeting_link: Some("https://meet.example.invalid/career".into()),
    };
    insert_session(db, career, now).await?;
    demo_history(db, &format_ids, facilitator_ids[0], now).await?;
    demo_cohorts(db, facilitator_ids[1], now).await?;
    demo_round(db, now).await?;
    demo_surveyed_round(db, now).await?;
    demo_support_lines(db).await?;
    demo_gratitude(db, now).await?;
    demo_resources(db, now).await
}

/// The gratitude wall: published stories in both languages, one more than a page holds, so
/// the wall shows its second page, and one confirmed story waiting for a moderator.
async fn demo_gratitude(db: &WriteTxn<'_>, now: DateTime<Utc>) -> Result<(), DbError> {
    use app::domain::gratitude::NewStory;
    use app::server::db::gratitude;
    use app::server::links::{digest, random_token};
    const STORIES: [(Locale, Option<&str>, &str); 12] = [
        (
            Locale::En,
            Some("A. K."),
            "To the senior resident who sat with me after my first code and said nothing for a while: that silence taught me it was all right to feel it.",
        ),
        (
            Locale::Fr,
            Some("Julie"),
            "Merci à ma collègue de garde qui a pris deux de mes patients quand j’ai appris une mauvaise nouvelle de ma famille. Je n’ai jamais oublié.",
        ),
        (
            Locale::En,
            None,
            "Thank you to the family doctor down the hall who noticed I had stopped eating lunch and started inviting me for a walk every Tuesday.",
        ),
        (
            Locale::Fr,
            Some("M. T."),
            "À mon groupe de soutien du jeudi soir : vous m’avez rappelé que je n’étais pas la seule à douter. Merci de votre écoute.",
        ),
        (
            Locale::En,
            Some("Sam"),
            "My program director called me during my leave just to ask how I was, not when I was coming back. It made coming back possible.",
        ),
        (
            Locale::En,
            Some("R. D."),
            "Gratitude to the nurses on 7B who kept a kettle and a chair in the back for residents on night float. Small things carry a night.",
        ),
        (
            Locale::Fr,
            None,
            "Merci à l’animatrice de notre groupe, qui a su créer un espace où l’on pouvait enfin parler de fatigue sans honte.",
        ),
        (
            Locale::En,
            Some("Priya"),
            "To my study partner in second year: you shared your notes, your coffee and your worries, and made me feel less alone in all of it.",
        ),
        (
            Locale::Fr,
            Some("É. B."),
            "Merci au patron qui m’a dit « prends ta soirée, je m’en occupe » la veille de mon examen. Ce geste m’a portée.",
        ),
        (
            Locale::En,
            None,
            "Thank you to the colleague who covered my clinic so I could be with my father in his last week. I think of it every day.",
        ),
        (
            Locale::En,
            Some("L. M."),
            "To the peer-support circle that met on Monday evenings all winter: thank you for laughing with me when I needed it most.",
        ),
        (
            Locale::Fr,
            Some("Karim"),
            "À ma mentore, qui répond toujours à mes courriels tard le soir et qui m’a appris à dire non sans me sentir coupable.",
        ),
    ];
    for (age, (language, signature, body)) in STORIES.into_iter().enumerate() {
        let story = NewStory {
            body: body.into(),
            language,
            signature: signature.map(str::to_string),
            email: "demo.author@example.invalid".into(),
        };
        let link = digest(&random_token());
        let written = now - Duration::days(age as i64 * 3 + 2);
        let id = gratitude::insert(db, &story, link.clone(), written).await?;
        gratitude::confirm(db, &link).await?;
        gratitude::approve(db, id, written + Duration::days(1)).await?;
    }
    let waiting = NewStory {
        body: "Thank you to the pharmacist who double-checked my order at 4 a.m. and then asked whether I had slept. I had not; she sent me to rest.".into(),
        language: Locale::En,
        signature: Some("J.".into()),
        email: "demo.author@example.invalid".into(),
    };
    let link = digest(&random_token());
    gratitude::insert(db, &waiting, link.clone(), now - Duration::hours(3)).await?;
    gratitude::confirm(db, &link).await?;
    Ok(())
}

/// Sessions that already took place, with what reports show of them: two of the first format
/// with enough evaluations to show their results, and one of the second with only three, to
/// show them suppressed. Their participation is counted as it would have been when they ended.
async fn demo_history(
    db: &WriteTxn<'_>,
    format_ids: &[i32],
    facilitator_id: i32,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    use app::domain::evaluation::{Answer, Answers};
    use app::domain::registration::{CareerStage, Province};
    use app::domain::report::{Participant, Standing, participation_counts};
    use app::i18n::Locale;
    use app::model::Offering;
    use app::server::db::evaluations::{issue, store_response};
    use app::server::db::reports::{ReportKey, add_tallies};

    let past = [(format_ids[0], 14, 11, 9), (format_ids[0], 7, 13, 7), (format_ids[1], 10, 6, 3)];
    for (index, (format_id, days_ago, seated, answered)) in past.into_iter().enumerate() {
        let starts_at = now - chrono::Duration::days(days_ago);
        let session = NewSession {
            format_id,
            facilitator_id,
            title: both("An evening check-in", "Un bilan en soirée"),
            description: both("A session that already took place.", "Une séance déjà tenue."),
            starts_at,
            duration_minutes: 60,
            capacity: 14,
            language: SessionLanguage::Bilingual,
            audience: Audience::All,
            series: None,
            meeting_link: None,
        };
        let id = insert_session(db, session, now).await?;
        let people: Vec<Participant> = (0..seated + 2)
            .map(|n| Participant {
                standing: if n < seated { Standing::Confirmed } else { Standing::Cancelled },
                language: if n % 3 == 0 { Locale::Fr } else { Locale::En },
                career_stage: CareerStage::ALL[n % 4],
                province: [Province::ON, Province::QC, Province::BC, Province::AB, Province::ON][n % 5],
            })
            .collect();
        let month = reference_time(starts_at).date();
        let key = ReportKey { format_id, month: month.format("%Y-%m").to_string() };
        add_tallies(db, facilitator_id, &key, &participation_counts(14, &people)).await?;
        issue(db, Offering::Session(id), Vec::new(), now).await?;
        for n in 0..answered {
            let mut answers = Answers::new();
            answers.insert("supported".into(), Answer::Rating([5, 4, 5, 3, 4, 5, 4, 5, 2][n % 9]));
            answers.insert("feeling".into(), Answer::Choice(["better", "better", "same"][n % 3].into()));
            answers.insert("recommend".into(), Answer::YesNo(n % 4 != 3));
            if n % 2 == 0 {
                let helped = [
                    "Hearing that others feel the same.",
                    "The quiet start.",
                    "Being listened to without advice.",
                ];
                answers.insert("helped".into(), Answer::Text(helped[(n / 2 + index) % 3].into()));
            }
            store_response(
                db,
                Offering::Session(id),
                Some(format_id),
                month,
                &answers,
                app::server::links::random_token(),
            )
            .await?;
        }
    }
    just_ended(db, format_ids[0], facilitator_id, now).await
}

/// A session that ended an hour ago with one participant, [`DEMO_EVALUATOR`]: the first run
/// of the ended-offerings job emails them an evaluation link, as it would after any session.
async fn just_ended(
    db: &WriteTxn<'_>,
    format_id: i32,
    facilitator_id: i32,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    use app::domain::registration::{CareerStage, Placement, Province, Seats, ValidRegistration};
    use app::i18n::Locale;
    use app::model::Offering;
    use app::server::db::registrations::{insert_new, lock_session, save_seats};
    let session = NewSession {
        format_id,
        facilitator_id,
        title: both("A lunchtime pause", "Une pause du midi"),
        description: both("A session that just ended.", "Une séance qui vient de se terminer."),
        starts_at: now - chrono::Duration::minutes(120),
        duration_minutes: 60,
        capacity: 8,
        language: SessionLanguage::Bilingual,
        audience: Audience::All,
        series: None,
        meeting_link: None,
    };
    let id = insert_session(db, session, now).await?;
    let person = ValidRegistration {
        name: "Dr. Sam Evaluator".into(),
        email: DEMO_EVALUATOR.into(),
        email_key: DEMO_EVALUATOR.into(),
        career_stage: CareerStage::Resident,
        province: Province::NS,
        language: Locale::En,
        eligibility_confirmed: false,
    };
    let offering = Offering::Session(id);
    insert_new(db, offering, &person, Placement::Confirmed, app::server::links::random_token(), now).await?;
    let row = lock_session(db, id).await?.ok_or(DbError::NotFound)?;
    save_seats(db, &row, Seats { capacity: 8, taken: 1, waiting: 0 }, now).await
}

/// Two intakes of a four-week group for residents on leave, Tuesdays 9:30–11:30 ET: one
/// taking registrations, and the next one, which opens three weeks before it starts.
async fn demo_cohorts(db: &WriteTxn<'_>, facilitator_id: i32, now: DateTime<Utc>) -> Result<(), DbError> {
    use app::domain::cohort::ValidCohort;
    use app::domain::zones::instant_at;
    use app::server::db::cohorts::insert_cohort;
    let first_tuesday = next_weekday(reference_time(now).date() + Days::new(14), Weekday::Tue);
    let nine_thirty = NaiveTime::from_hms_opt(9, 30, 0).expect("valid time");
    let four_tuesdays = |first: NaiveDate| -> Vec<DateTime<Utc>> {
        (0..4)
            .map(|week| instant_at((first + Days::new(7 * week)).and_time(nine_thirty), eastern()))
            .collect::<Result<_, _>>()
            .expect("9:30 AM always exists")
    };
    let intake = |meetings: Vec<DateTime<Utc>>, opens_at: DateTime<Utc>| {
        ValidCohort {
        track: "residents-on-leave".into(),
        title: (
            "Residents on leave: a four-week support group".into(),
            "Résidents en congé : un groupe de soutien de quatre semaines".into(),
        ),
        description: (
            "Being on leave from residency can feel isolating. This small group meets online four Tuesday mornings in a row with a psychologist, to practise self-compassion skills and to meet other residents going through the same thing. Each week builds on the one before, so the group asks you to come to all four.".into(),
            "Un congé pendant la résidence peut isoler. Ce petit groupe se réunit en ligne quatre mardis matin de suite avec un psychologue, pour pratiquer l’autocompassion et rencontrer d’autres résidents qui vivent la même chose. Chaque semaine s’appuie sur la précédente : le groupe vous demande de venir aux quatre rencontres.".into(),
        ),
        audience: Audience::ResidentsOnLeave,
        language: SessionLanguage::En,
        eligibility: (
            "I am a resident currently on medical, maternity or parental leave from my program.".into(),
            "Je suis résident·e, actuellement en congé de maladie, de maternité ou parental de mon programme.".into(),
        ),
        agreement: (
            "What other participants share in the group stays in the group. I will not record the meetings, and I will not repeat anything that could identify another participant.".into(),
            "Ce que les autres participants confient dans le groupe reste dans le groupe. Je n’enregistrerai pas les rencontres et je ne répéterai rien qui permette de reconnaître une autre personne.".into(),
        ),
        meetings,
        duration_minutes: 120,
        capacity: 8,
        meeting_link: Some("https://meet.example.invalid/residents-on-leave".into()),
        opens_at,
        facilitator_id: Some(facilitator_id),
    }
    };
    insert_cohort(db, &intake(four_tuesdays(first_tuesday), now), facilitator_id, now).await?;
    let next_first = first_tuesday + Days::new(7 * 12);
    let next_opens = instant_at((next_first - Days::new(21)).and_time(NaiveTime::MIN), eastern())
        .expect("midnight always exists");
    insert_cohort(db, &intake(four_tuesdays(next_first), next_opens), facilitator_id, now).await?;
    Ok(())
}

/// An application round for year-long mutual-support groups, open for three weeks: one
/// in-person group in each of four districts and two virtual groups.
async fn demo_round(db: &WriteTxn<'_>, now: DateTime<Utc>) -> Result<(), DbError> {
    use app::domain::application_round::{ValidGroup, ValidRound};
    use app::domain::draw::Setting;
    use app::domain::zones::instant_at;
    use app::server::db::rounds::{insert_group, insert_round};
    let deadline_day = reference_time(now).date() + Days::new(21);
    let deadline = deadline_day.and_time(NaiveTime::from_hms_opt(23, 59, 0).expect("valid time"));
    let round = ValidRound {
        title: (
            "Mutual support groups: a year with the same peers".into(),
            "Groupes d’entraide : une année avec les mêmes pairs".into(),
        ),
        description: (
            "Small groups of physicians who meet for a year to talk about the experience of practising medicine, guided by a trained peer facilitator. Most groups meet in person in their district; two virtual groups are for people who cannot travel to one. Members agree to attend most meetings and to answer two short evaluation surveys.".into(),
            "De petits groupes de médecins qui se réunissent pendant un an pour parler de l’expérience de la pratique, avec un pair animateur formé. La plupart des groupes se rencontrent en personne dans leur district; deux groupes virtuels accueillent les personnes qui ne peuvent pas se déplacer. Les membres s’engagent à assister à la plupart des rencontres et à répondre à deux courts sondages d’évaluation.".into(),
        ),
        deadline: instant_at(deadline, eastern()).expect("23:59 always exists"),
        allow_either: true,
        retention_days: 90,
    };
    let round = insert_round(db, &round, now).await?;
    let in_person = |district: &str| Setting::InPerson { district: district.into() };
    let groups = [
        ("Hamilton area", "Région de Hamilton", in_person("4 — Hamilton")),
        ("Toronto", "Toronto", in_person("7 — Toronto")),
        ("Kingston area", "Région de Kingston", in_person("10 — Kingston")),
        ("Ottawa area", "Région d’Ottawa", in_person("11 — Ottawa")),
        ("Virtual group A", "Groupe virtuel A", Setting::Virtual),
        ("Virtual group B", "Groupe virtuel B", Setting::Virtual),
    ];
    for (en, fr, setting) in groups {
        let group =
            ValidGroup { name: (en.into(), fr.into()), setting, seats: 11, facilitator_account: None };
        insert_group(db, round.id, &group).await?;
    }
    Ok(())
}

/// A round drawn nine weeks ago whose two virtual groups are under way, with its members'
/// survey: of the ten members, seven answered the first survey (their answers released as one
/// batch) and three let the link expire; the follow-ups at 6 and 12 months are still to come.
async fn demo_surveyed_round(db: &WriteTxn<'_>, now: DateTime<Utc>) -> Result<(), DbError> {
    use app::domain::application_round::{ValidApplication, ValidGroup, ValidRound};
    use app::domain::draw::{Preference, Setting};
    use app::domain::evaluation::{Answer, Answers};
    use app::domain::survey::{ValidSurvey, default_survey_questions};
    use app::i18n::Locale;
    use app::server::db::rounds::{
        Placement, close, insert_application, insert_group, insert_round, record_draw,
    };
    use app::server::db::surveys;
    use app::server::links::{digest, random_token};
    let (deadline, drawn_at, closed_at) = (
        now - chrono::Duration::days(70),
        now - chrono::Duration::days(65),
        now - chrono::Duration::days(60),
    );
    let round = ValidRound {
        title: (
            "Virtual peer groups: autumn cohort".into(),
            "Groupes de pairs virtuels : cohorte d’automne".into(),
        ),
        description: (
            "Two virtual groups of five physicians who meet every other week for a year.".into(),
            "Deux groupes virtuels de cinq médecins qui se réunissent aux deux semaines pendant un an."
                .into(),
        ),
        deadline,
        allow_either: false,
        retention_days: 90,
    };
    let round = insert_round(db, &round, deadline - chrono::Duration::days(21)).await?;
    let (mut groups, mut applications) = (Vec::new(), Vec::new());
    for (en, fr) in [("Virtual group C", "Groupe virtuel C"), ("Virtual group D", "Groupe virtuel D")] {
        let group = ValidGroup {
            name: (en.into(), fr.into()),
            setting: Setting::Virtual,
            seats: 5,
            facilitator_account: None,
        };
        groups.push(insert_group(db, round.id, &group).await?);
    }
    let names = [
        "Dr. Ada Okafor",
        "Dr. Ben Tremblay",
        "Dr. Chloé Roy",
        "Dr. Dev Patel",
        "Dr. Elena Rossi",
        "Dr. Farah Haddad",
        "Dr. Gabriel Côté",
        "Dr. Hana Sato",
        "Dr. Ivan Petrov",
        "Dr. Julie Gagnon",
        "Dr. Kofi Mensah",
        "Dr. Lena Berg",
    ];
    for (n, name) in names.iter().enumerate() {
        let email = format!("member{}@rounds.test", n + 1);
        let person = ValidApplication {
            name: (*name).into(),
            specialty: ["Family medicine", "Psychiatry", "Emergency medicine", "Pediatrics"][n % 4].into(),
            city: ["Sudbury", "Gatineau", "Thunder Bay", "Windsor"][n % 4].into(),
            district: "—".into(),
            email: email.clone(),
            email_key: email,
            phone: format!("555-010-{:04}", n + 1),
            motivation: "To meet peers who understand the work.".into(),
            preference: Preference::Virtual,
            benefit: "Feeling less alone with it.".into(),
            language: if n % 3 == 0 { Locale::Fr } else { Locale::En },
        };
        let applied = deadline - chrono::Duration::days(10);
        applications.extend(insert_application(db, round.id, &person, random_token(), applied).await?);
    }
    let published = app::server::rounds::publish(0x5eed_2026, &groups, &applications)
        .map_err(|error| DbError::Other(error.to_string()))?;
    let mut placements = Vec::new();
    for (group_id, members) in &published.result.groups {
        placements.extend(members.iter().map(|&id| (id as i32, Placement::Group(*group_id as i32))));
    }
    for (index, &id) in published.result.waitlist.iter().enumerate() {
        placements.push((id as i32, Placement::Waitlist(index as i32 + 1)));
    }
    let record = serde_json::to_string(&published).map_err(|error| DbError::Other(error.to_string()))?;
    let round_id = round.id;
    record_draw(db, round_id, record, &placements, drawn_at).await?;
    close(db, round_id, closed_at).await?;
    let survey = ValidSurvey { follow_up_months: vec![6, 12], questions: default_survey_questions() };
    surveys::save(db, round_id, 1, &survey).await?;
    let members: Vec<i32> = placements
        .iter()
        .filter(|(_, placement)| matches!(placement, Placement::Group(_)))
        .map(|(id, _)| *id)
        .collect();
    let expires_at = drawn_at + chrono::Duration::days(14);
    for (n, member) in members.iter().enumerate() {
        let token = random_token();
        surveys::invite(db, round_id, *member, 0, digest(&token), expires_at).await?;
        if n < 7 {
            surveys::complete(db, &digest(&token), drawn_at).await?;
            let mut answers = Answers::new();
            answers.insert("wellbeing".into(), Answer::Rating([2, 3, 3, 2, 4, 3, 2][n]));
            answers.insert("connected".into(), Answer::Rating([2, 2, 3, 1, 3, 2, 4][n]));
            answers.insert(
                "exhausted".into(),
                Answer::Choice(
                    ["often", "sometimes", "often", "often", "sometimes", "often", "never"][n].into(),
                ),
            );
            surveys::store_response(db, round_id, 0, &answers, random_token()).await?;
        }
    }
    surveys::release(db, round_id, 0, |_| {}, random_token).await?;
    Ok(())
}

/// The support directory: a national line, and one example program per province (and one for
/// the territories), marked as examples to replace: the demo knows no real program's number.
async fn demo_support_lines(db: &WriteTxn<'_>) -> Result<(), DbError> {
    use app::domain::registration::Province;
    use app::domain::support::ValidSupportLine;
    use app::server::db::support::insert;
    let national = ValidSupportLine {
        name: ("Hope for Wellness Help Line".into(), "Ligne d’écoute d’espoir pour le mieux-être".into()),
        phone: "1-855-242-3310".into(),
        website: None,
        hours: (
            "24/7, for Indigenous peoples across Canada".into(),
            "24 h sur 24, 7 jours sur 7, pour les peuples autochtones du Canada".into(),
        ),
        province: None,
        languages: SessionLanguage::Bilingual,
    };
    insert(db, &national, false).await?;
    let programs = [
        (
            Province::BC,
            "Physician Health Program of British Columbia",
            "Programme de santé des médecins de la Colombie-Britannique",
        ),
        (
            Province::AB,
            "Physician and Family Support Program",
            "Programme de soutien aux médecins et à leur famille",
        ),
        (
            Province::SK,
            "Saskatchewan physician health program",
            "Programme de santé des médecins de la Saskatchewan",
        ),
        (Province::MB, "Manitoba physician health program", "Programme de santé des médecins du Manitoba"),
        (Province::ON, "Ontario physician health program", "Programme de santé des médecins de l’Ontario"),
        (Province::QC, "Quebec physicians' assistance program", "Programme d’aide aux médecins du Québec"),
        (
            Province::NB,
            "New Brunswick physician health program",
            "Programme de santé des médecins du Nouveau-Brunswick",
        ),
        (
            Province::NS,
            "Nova Scotia professional support program",
            "Programme de soutien professionnel de la Nouvelle-Écosse",
        ),
        (
            Province::PE,
            "Prince Edward Island physician health program",
            "Programme de santé des médecins de l’Île-du-Prince-Édouard",
        ),
        (
            Province::NL,
            "Newfoundland and Labrador physician health program",
            "Programme de santé des médecins de Terre-Neuve-et-Labrador",
        ),
        (Province::YT, "Support for physicians in the territories", "Soutien aux médecins des territoires"),
    ];
    for (index, (province, en, fr)) in programs.into_iter().enumerate() {
        let line = ValidSupportLine {
            name: (en.into(), fr.into()),
            phone: format!("1-800-555-{:04}", 110 + index),
            website: None,
            hours: (
                "Weekdays, 9 a.m. to 5 p.m.; urgent calls 24/7".into(),
                "En semaine de 9 h à 17 h; appels urgents 24 h sur 24".into(),
            ),
            province: Some(province),
            languages: if province == Province::QC {
                SessionLanguage::Fr
            } else {
                SessionLanguage::Bilingual
            },
        };
        insert(db, &line, true).await?;
    }
    Ok(())
}

/// The resources library: a handful of resources across the five topics, links (to
/// `example.invalid`, standing in for the programs' real pages) and one small PDF, in both
/// languages, one in English only and one in French only.
async fn demo_resources(db: &WriteTxn<'_>, now: DateTime<Utc>) -> Result<(), DbError> {
    use app::domain::resources::{ResourceAudience, Source, ValidResource};
    use app::server::db::resources::insert;
    // The migration's five topics, in its order.
    let (peer_support, burnout, leadership, self_care, stress) = (1, 2, 3, 4, 5);
    let text = |en: Option<&str>, fr: Option<&str>| Bilingual {
        en: en.map(str::to_string),
        fr: fr.map(str::to_string),
    };
    let link = |path: &str| Source::Link(format!("https://library.example.invalid/{path}"));
    let resources = [
        ValidResource {
            title: text(
                Some("Peer support: what a conversation among colleagues can do"),
                Some("Le soutien par les pairs : ce qu’une conversation entre collègues peut apporter"),
            ),
            summary: text(
                Some(
                    "Why talking with someone who does the same work helps, what a trained peer listens for, and how to ask a colleague for an hour of their time.",
                ),
                Some(
                    "Pourquoi parler avec quelqu’un qui fait le même travail aide, ce qu’un pair formé écoute, et comment demander une heure à un collègue.",
                ),
            ),
            source: link("peer-support"),
            topics: vec![peer_support],
            audience: ResourceAudience::Everyone,
        },
        ValidResource {
            title: text(
                Some("Burnout: noticing the early signs"),
                Some("Épuisement professionnel : en reconnaître les premiers signes"),
            ),
            summary: text(
                Some(
                    "Exhaustion, distance from patients and a shrinking sense of accomplishment: how burnout starts, and the first steps that make a difference.",
                ),
                Some(
                    "Fatigue profonde, distance envers les patients, sentiment d’accomplissement qui s’effrite : comment l’épuisement s’installe, et les premiers gestes qui comptent.",
                ),
            ),
            source: link("burnout-signs"),
            topics: vec![burnout, stress],
            audience: ResourceAudience::Physicians,
        },
        ValidResource {
            title: text(Some("Leading a team through a hard season"), None),
            summary: text(
                Some(
                    "For physicians who lead a department or a clinic: keeping people informed, sharing the load, and looking after yourself while you look after them.",
                ),
                None,
            ),
            source: link("leading-through-hard-seasons"),
            topics: vec![leadership],
            audience: ResourceAudience::Physicians,
        },
        ValidResource {
            title: text(
                Some("A five-minute reset between patients"),
                Some("Une pause de cinq minutes entre deux patients"),
            ),
            summary: text(
                Some(
                    "A one-page exercise to breathe, notice and let go before the next door: printable, for the pocket of a white coat.",
                ),
                Some(
                    "Un exercice d’une page pour respirer, observer et relâcher avant la porte suivante : à imprimer et à glisser dans la poche du sarrau.",
                ),
            ),
            source: Source::Pdf {
                file_name: "five-minute-reset.pdf".into(),
                bytes: one_page_pdf(&[
                    "A five-minute reset between patients",
                    "Une pause de cinq minutes entre deux patients",
                    "1. Breathe in for four counts, out for six. / Inspirez sur quatre temps, expirez sur six.",
                    "2. Name three things you notice. / Nommez trois choses que vous remarquez.",
                    "3. Let the last visit go. / Laissez aller la dernière consultation.",
                ]),
            },
            topics: vec![self_care, stress],
            audience: ResourceAudience::Residents,
        },
        ValidResource {
            title: text(None, Some("Premiers stages : apprivoiser le stress")),
            summary: text(
                None,
                Some(
                    "Des étudiants en médecine racontent leurs premières semaines à l’hôpital, et ce qui les a aidés à tenir : le sommeil, les pairs, et oser demander.",
                ),
            ),
            source: link("premiers-stages"),
            topics: vec![stress, peer_support],
            audience: ResourceAudience::MedicalStudents,
        },
    ];
    for resource in &resources {
        insert(db, resource, now).await?;
    }
    Ok(())
}

/// A one-page PDF of `lines` in Helvetica, written out by hand (objects, cross-reference
/// table, trailer), so the demo needs no PDF library. Latin-1 letters are written as octal
/// escapes of the WinAnsi encoding.
fn one_page_pdf(lines: &[&str]) -> Vec<u8> {
    let escape = |line: &str| -> String {
        line.chars()
            .map(|c| match c {
                '(' | ')' | '\\' => format!("\\{c}"),
                '’' => "\\222".to_string(),
                c if c.is_ascii() => c.to_string(),
                c if u32::from(c) <= 0xff => format!("\\{:03o}", u32::from(c)),
                _ => "?".to_string(),
            })
            .collect()
    };
    let text: String = lines
        .iter()
        .enumerate()
        .map(|(i, line)| format!("BT /F1 11 Tf 56 {} Td ({}) Tj ET\n", 740 - 22 * i, escape(line)))
        .collect();
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".to_string(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
        format!("<< /Length {} >>\nstream\n{text}endstream", text.len()),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (number, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", number + 1).as_bytes());
    }
    let xref = pdf.len();
    let mut tail = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        tail.push_str(&format!("{offset:010} 00000 n \n"));
    }
    tail.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    pdf.extend_from_slice(tail.as_bytes());
    pdf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_running_group_passes_the_next_clock_change() {
        let at = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(19, 0, 0).unwrap();
        // From late November the next change is 2027-03-14: the 16th Monday after is the first on daylight time.
        assert_eq!(weeks_past_clock_change(at(2026, 11, 23)), 18);
        // From mid-April the next change is in November, seven months away.
        assert_eq!(weeks_past_clock_change(at(2027, 4, 19)), 31);
    }

    #[test]
    fn next_weekday_includes_the_day_itself() {
        let sunday = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(next_weekday(sunday, Weekday::Sun), sunday);
        assert_eq!(next_weekday(sunday, Weekday::Mon), NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        assert_eq!(next_weekday(sunday, Weekday::Sat), NaiveDate::from_ymd_opt(2026, 11, 28).unwrap());
    }
}
