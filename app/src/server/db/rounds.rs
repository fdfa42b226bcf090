//! Application rounds, their groups and applications. Changes to a round's applications run
//! after [`lock_round`], so an application and the draw never interleave.

use super::entity::{application, application_round, round_group};
use super::{Db, DbError, WriteTxn, records};
use crate::domain::application_round::{
    RoundStatus, ValidApplication, ValidGroup, ValidRound, preference_str,
};
use crate::domain::draw::Setting;
use crate::i18n::Locale;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    Unchanged,
};

record! {
    /// An application to a round.
    pub struct Application from application::Model {
        pub id: i32,
        pub round_id: i32,
        pub name: String,
        pub specialty: String,
        pub city: String,
        pub district: String,
        pub email: String,
        pub phone: String,
        pub motivation: String,
        pub preference: String,
        pub benefit: String,
        pub language: Locale,
        pub token_nonce: String,
        pub group_id: Option<i32>,
        pub waitlist_position: Option<i32>,
    }
}

record! {
    /// An application round.
    pub struct Round from application_round::Model {
        pub id: i32,
        pub title_en: String,
        pub title_fr: String,
        pub description_en: String,
        pub description_fr: String,
        pub deadline: DateTime<Utc>,
        pub allow_either: bool,
        pub retention_days: i32,
        pub status: RoundStatus,
        /// The published draw as JSON (`model::PublishedDraw`).
        pub draw_record: Option<String>,
        pub drawn_at: Option<DateTime<Utc>>,
        pub closed_at: Option<DateTime<Utc>>,
        pub purged_at: Option<DateTime<Utc>>,
        pub applicant_count: i32,
    }
}

/// A group of a round.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoundGroup {
    pub id: i32,
    pub round_id: i32,
    pub name_en: String,
    pub name_fr: String,
    pub setting: Setting,
    pub seats: i32,
    pub facilitator_account_id: Option<i32>,
    /// Members placed by the draw; kept after the applicants' details are deleted.
    pub member_count: i32,
}

impl From<round_group::Model> for RoundGroup {
    fn from(row: round_group::Model) -> Self {
        let setting = match (row.setting.as_str(), row.district) {
            ("in_person", Some(district)) => Setting::InPerson { district },
            _ => Setting::Virtual,
        };
        RoundGroup {
            id: row.id,
            round_id: row.round_id,
            name_en: row.name_en,
            name_fr: row.name_fr,
            setting,
            seats: row.seats,
            facilitator_account_id: row.facilitator_account_id,
            member_count: row.member_count,
        }
    }
}

/// Where an application landed in the draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    Group(i32),
    /// One-based position on the waitlist.
    Waitlist(i32),
}

pub async fn insert_round(
    txn: &WriteTxn<'_>,
    round: &ValidRound,
    now: DateTime<Utc>,
) -> Result<Round, DbError> {
    Ok(application_round::ActiveModel {
        title_en: Set(round.title.0.clone()),
        title_fr: Set(round.title.1.clone()),
        description_en: Set(round.description.0.clone()),
        description_fr: Set(round.description.1.clone()),
        deadline: Set(round.deadline),
        allow_either: Set(round.allow_either),
        retention_days: Set(round.retention_days as i32),
        status: Set(RoundStatus::Open),
        draw_record: Set(None),
        drawn_at: Set(None),
        closed_at: Set(None),
        purged_at: Set(None),
        applicant_count: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn.conn())
    .await?
    .into())
}

/// Every round, newest deadline first.
pub async fn list(db: &Db) -> Result<Vec<Round>, DbError> {
    Ok(application_round::Entity::find()
        .order_by_desc(application_round::Column::Deadline)
        .order_by_desc(application_round::Column::Id)
        .all(db.conn())
        .await
        .map(records)?)
}

pub async fn round(db: &Db, id: i32) -> Result<Option<Round>, DbError> {
    Ok(application_round::Entity::find_by_id(id).one(db.conn()).await?.map(Into::into))
}

/// Reads a round and locks it until the transaction ends (PostgreSQL); on SQLite the
/// transaction already holds the only writer's turn.
pub async fn lock_round(txn: &WriteTxn<'_>, id: i32) -> Result<Option<Round>, DbError> {
    Ok(application_round::Entity::find_by_id(id).lock_exclusive().one(txn.conn()).await?.map(Into::into))
}

/// A round's groups by id, the order the draw uses.
pub async fn groups_of<C: ConnectionTrait>(conn: &C, round_id: i32) -> Result<Vec<RoundGroup>, DbError> {
    Ok(round_group::Entity::find()
        .filter(round_group::Column::RoundId.eq(round_id))
        .order_by_asc(round_group::Column::Id)
        .all(conn)
        .await
        .map(records)?)
}

/// Every round's groups by id, to list rounds with one query.
pub async fn all_groups(db: &Db) -> Result<Vec<RoundGroup>, DbError> {
    Ok(round_group::Entity::find().order_by_asc(round_group::Column::Id).all(db.conn()).await.map(records)?)
}

pub async fn groups(db: &Db, round_id: i32) -> Result<Vec<RoundGroup>, DbError> {
    groups_of(db.conn(), round_id).await
}

pub async fn insert_group(
    txn: &WriteTxn<'_>,
    round_id: i32,
    group: &ValidGroup,
) -> Result<RoundGroup, DbError> {
    let (setting, district) = match &group.setting {
        Setting::InPerson { district } => ("in_person", Some(district.clone())),
        Setting::Virtual => ("virtual", None),
    };
    Ok(round_group::ActiveModel {
        round_id: Set(round_id),
        name_en: Set(group.name.0.clone()),
        name_fr: Set(group.name.1.clone()),
        setting: Set(setting.to_string()),
        district: Set(district),
        seats: Set(group.seats as i32),
        facilitator_account_id: Set(group.facilitator_account),
        member_count: Set(0),
        ..Default::default()
    }
    .insert(txn.conn())
    .await?
    .into())
}

/// Removes a group of `round_id`; false when there was no such group.
pub async fn delete_group(txn: &WriteTxn<'_>, round_id: i32, group_id: i32) -> Result<bool, DbError> {
    let deleted = round_group::Entity::delete_many()
        .filter(round_group::Column::Id.eq(group_id))
        .filter(round_group::Column::RoundId.eq(round_id))
        .exec(txn.conn())
        .await?;
    Ok(deleted.rows_affected > 0)
}

pub async fn set_group_facilitator(
    txn: &WriteTxn<'_>,
    round_id: i32,
    group_id: i32,
    account_id: Option<i32>,
) -> Result<bool, DbError> {
    let updated = round_group::Entity::update_many()
        .col_expr(round_group::Column::FacilitatorAccountId, Expr::value(account_id))
        .filter(round_group::Column::Id.eq(group_id))
        .filter(round_group::Column::RoundId.eq(round_id))
        .exec(txn.conn())
        .await?;
    Ok(updated.rows_affected > 0)
}

/// The groups an account facilitates, across rounds.
pub async fn groups_facilitated_by(db: &Db, account_id: i32) -> Result<Vec<RoundGroup>, DbError> {
    Ok(round_group::Entity::find()
        .filter(round_group::Column::FacilitatorAccountId.eq(account_id))
        .order_by_asc(round_group::Column::Id)
        .all(db.conn())
        .await
        .map(records)?)
}

/// Stores an application; `None` when the address has already applied in this round.
pub async fn insert_application(
    txn: &WriteTxn<'_>,
    round_id: i32,
    person: &ValidApplication,
    token_nonce: String,
    now: DateTime<Utc>,
) -> Result<Option<Application>, DbError> {
    use sea_orm::{TryInsertResult, TryIntoModel};
    let mut row = application::ActiveModel {
        round_id: Set(round_id),
        name: Set(person.name.clone()),
        specialty: Set(person.specialty.clone()),
        city: Set(person.city.clone()),
        district: Set(person.district.clone()),
        email: Set(person.email.clone()),
        email_key: Set(person.email_key.clone()),
        phone: Set(person.phone.clone()),
        motivation: Set(person.motivation.clone()),
        preference: Set(preference_str(person.preference).to_string()),
        benefit: Set(person.benefit.clone()),
        language: Set(person.language),
        token_nonce: Set(token_nonce),
        group_id: Set(None),
        waitlist_position: Set(None),
        created_at: Set(now),
        ..Default::default()
    };
    let inserted = application::Entity::insert(row.clone())
        .on_conflict_do_nothing_on([application::Column::RoundId, application::Column::EmailKey])
        .exec(txn.conn())
        .await?;
    match inserted {
        TryInsertResult::Inserted(result) => {
            row.id = Set(result.last_insert_id);
            Ok(Some(row.try_into_model()?.into()))
        }
        TryInsertResult::Conflicted | TryInsertResult::Empty => Ok(None),
    }
}

pub async fn application_by_email(
    txn: &WriteTxn<'_>,
    round_id: i32,
    email_key: &str,
) -> Result<Option<Application>, DbError> {
    Ok(application::Entity::find()
        .filter(application::Column::RoundId.eq(round_id))
        .filter(application::Column::EmailKey.eq(email_key))
        .one(txn.conn())
        .await?
        .map(Into::into))
}

pub async fn application(db: &Db, id: i32) -> Result<Option<Application>, DbError> {
    Ok(application::Entity::find_by_id(id).one(db.conn()).await?.map(Into::into))
}

pub async fn application_in(txn: &WriteTxn<'_>, id: i32) -> Result<Option<Application>, DbError> {
    Ok(application::Entity::find_by_id(id).one(txn.conn()).await?.map(Into::into))
}

/// Withdrawing deletes the application: nothing about a person who left is kept.
pub async fn delete_application(txn: &WriteTxn<'_>, id: i32) -> Result<(), DbError> {
    application::Entity::delete_by_id(id).exec(txn.conn()).await?;
    Ok(())
}

/// A round's applications by id, the order the draw starts from.
pub async fn applications_of<C: ConnectionTrait>(
    conn: &C,
    round_id: i32,
) -> Result<Vec<Application>, DbError> {
    Ok(application::Entity::find()
        .filter(application::Column::RoundId.eq(round_id))
        .order_by_asc(application::Column::Id)
        .all(conn)
        .await
        .map(records)?)
}

pub async fn applications(db: &Db, round_id: i32) -> Result<Vec<Application>, DbError> {
    applications_of(db.conn(), round_id).await
}

/// The members of one group, by name (the facilitator's roster).
pub async fn members_of(db: &Db, group_id: i32) -> Result<Vec<Application>, DbError> {
    Ok(application::Entity::find()
        .filter(application::Column::GroupId.eq(group_id))
        .order_by_asc(application::Column::Name)
        .all(db.conn())
        .await
        .map(records)?)
}

/// Records a draw: the published record on the round, and where each application landed.
pub async fn record_draw(
    txn: &WriteTxn<'_>,
    round_id: i32,
    record_json: String,
    placements: &[(i32, Placement)],
    now: DateTime<Utc>,
) -> Result<Round, DbError> {
    for &(application_id, placement) in placements {
        let (group_id, waitlist_position) = match placement {
            Placement::Group(group) => (Some(group), None),
            Placement::Waitlist(position) => (None, Some(position)),
        };
        application::Entity::update_many()
            .col_expr(application::Column::GroupId, Expr::value(group_id))
            .col_expr(application::Column::WaitlistPosition, Expr::value(waitlist_position))
            .filter(application::Column::Id.eq(application_id))
            .exec(txn.conn())
            .await?;
    }
    let mut members: std::collections::BTreeMap<i32, i32> = std::collections::BTreeMap::new();
    for (_, placement) in placements {
        if let Placement::Group(group) = placement {
            *members.entry(*group).or_default() += 1;
        }
    }
    for (group_id, count) in members {
        round_group::Entity::update_many()
            .col_expr(round_group::Column::MemberCount, Expr::value(count))
            .filter(round_group::Column::Id.eq(group_id))
            .exec(txn.conn())
            .await?;
    }
    let mut active = application_round::ActiveModel { id: Unchanged(round_id), ..Default::default() };
    active.status = Set(RoundStatus::Drawn);
    active.draw_record = Set(Some(record_json));
    active.drawn_at = Set(Some(now));
    active.applicant_count = Set(placements.len() as i32);
    active.updated_at = Set(now);
    Ok(active.update(txn.conn()).await?.into())
}

/// The applications still on a drawn round's waitlist, first in line first.
pub async fn waiting(txn: &WriteTxn<'_>, round_id: i32) -> Result<Vec<Application>, DbError> {
    Ok(application::Entity::find()
        .filter(application::Column::RoundId.eq(round_id))
        .filter(application::Column::WaitlistPosition.is_not_null())
        .order_by_asc(application::Column::WaitlistPosition)
        .all(txn.conn())
        .await
        .map(records)?)
}

/// Moves everyone behind `position` on a round's waitlist one place up.
pub async fn close_waitlist_gap(txn: &WriteTxn<'_>, round_id: i32, position: i32) -> Result<(), DbError> {
    application::Entity::update_many()
        .col_expr(
            application::Column::WaitlistPosition,
            Expr::col(application::Column::WaitlistPosition).sub(1),
        )
        .filter(application::Column::RoundId.eq(round_id))
        .filter(application::Column::WaitlistPosition.gt(position))
        .exec(txn.conn())
        .await?;
    Ok(())
}

/// Counts one member more (`change` 1) or fewer (-1) in a group.
pub async fn change_member_count(txn: &WriteTxn<'_>, group_id: i32, change: i32) -> Result<(), DbError> {
    round_group::Entity::update_many()
        .col_expr(round_group::Column::MemberCount, Expr::col(round_group::Column::MemberCount).add(change))
        .filter(round_group::Column::Id.eq(group_id))
        .exec(txn.conn())
        .await?;
    Ok(())
}

/// Gives a waiting application a place in a group (its waitlist position goes).
pub async fn take_place(txn: &WriteTxn<'_>, application_id: i32, group_id: i32) -> Result<(), DbError> {
    application::Entity::update_many()
        .col_expr(application::Column::GroupId, Expr::value(Some(group_id)))
        .col_expr(application::Column::WaitlistPosition, Expr::value(Option::<i32>::None))
        .filter(application::Column::Id.eq(application_id))
        .exec(txn.conn())
        .await?;
    change_member_count(txn, group_id, 1).await
}

/// Replaces the published record of a drawn round (to add a replacement after the draw).
pub async fn save_draw_record(
    txn: &WriteTxn<'_>,
    round_id: i32,
    record_json: String,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    application_round::Entity::update_many()
        .col_expr(application_round::Column::DrawRecord, Expr::value(Some(record_json)))
        .col_expr(application_round::Column::UpdatedAt, Expr::value(now))
        .filter(application_round::Column::Id.eq(round_id))
        .exec(txn.conn())
        .await?;
    Ok(())
}

/// Moves a round's deadline (to end applications early).
pub async fn set_deadline(
    txn: &WriteTxn<'_>,
    round_id: i32,
    deadline: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    application_round::Entity::update_many()
        .col_expr(application_round::Column::Deadline, Expr::value(deadline))
        .col_expr(application_round::Column::UpdatedAt, Expr::value(now))
        .filter(application_round::Column::Id.eq(round_id))
        .exec(txn.conn())
        .await?;
    Ok(())
}

pub async fn close(txn: &WriteTxn<'_>, round_id: i32, now: DateTime<Utc>) -> Result<Round, DbError> {
    let mut active = application_round::ActiveModel { id: Unchanged(round_id), ..Default::default() };
    active.status = Set(RoundStatus::Closed);
    active.closed_at = Set(Some(now));
    active.updated_at = Set(now);
    Ok(active.update(txn.conn()).await?.into())
}

/// Rounds whose applicants' details are still kept, whatever their stage.
pub async fn unpurged(db: &Db) -> Result<Vec<Round>, DbError> {
    Ok(application_round::Entity::find()
        .filter(application_round::Column::PurgedAt.is_null())
        .all(db.conn())
        .await
        .map(records)?)
}

/// Deletes a round's applications, leaving the counts on the round and its groups.
pub async fn purge_applications(
    txn: &WriteTxn<'_>,
    round_id: i32,
    now: DateTime<Utc>,
) -> Result<u64, DbError> {
    let deleted = application::Entity::delete_many()
        .filter(application::Column::RoundId.eq(round_id))
        .exec(txn.conn())
        .await?;
    application_round::Entity::update_many()
        .col_expr(application_round::Column::PurgedAt, Expr::value(now))
        .col_expr(application_round::Column::UpdatedAt, Expr::value(now))
        .filter(application_round::Column::Id.eq(round_id))
        .exec(txn.conn())
        .await?;
    Ok(deleted.rows_affected)
}

/// How many applications a round holds now (before the draw: those not withdrawn).
pub async fn application_count(db: &Db, round_id: i32) -> Result<u64, DbError> {
    use sea_orm::PaginatorTrait;
    Ok(application::Entity::find().filter(application::Column::RoundId.eq(round_id)).count(db.conn()).await?)
}
