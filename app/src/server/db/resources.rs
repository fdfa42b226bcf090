//! The resources library: the managed topics, the resources with the folded text search
//! compares, and the uploaded PDFs' bytes.

use super::entity::{library_topic, resource, resource_file, resource_topic};
use super::{Db, DbError, WriteTxn};
use crate::domain::resources::{
    LIKE_ESCAPE, LibraryFilter, LibraryResource, ResourceAudience, Source, Topic, ValidResource, like_pattern,
};
use crate::i18n::Locale;
use crate::model::Bilingual;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{LikeExpr, Query};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use std::collections::HashMap;

/// Every topic, in the order they were added (the migration's five first).
pub async fn topics(db: &Db) -> Result<Vec<Topic>, DbError> {
    Ok(library_topic::Entity::find()
        .order_by_asc(library_topic::Column::Id)
        .all(db.conn())
        .await?
        .into_iter()
        .map(|row| Topic { id: row.id, name: (row.name_en, row.name_fr) })
        .collect())
}

pub async fn insert_topic(txn: &WriteTxn<'_>, name: &(String, String)) -> Result<(), DbError> {
    library_topic::Entity::insert(library_topic::ActiveModel {
        name_en: Set(name.0.clone()),
        name_fr: Set(name.1.clone()),
        ..Default::default()
    })
    .exec_without_returning(txn.conn())
    .await?;
    Ok(())
}

/// Removes a topic (resources filed under it keep their other topics); whether there was one.
pub async fn delete_topic(txn: &WriteTxn<'_>, id: i32) -> Result<bool, DbError> {
    Ok(library_topic::Entity::delete_by_id(id).exec(txn.conn()).await?.rows_affected == 1)
}

/// The resources `filter` asks for, newest first: of its topic, for its audience (a resource
/// for everyone is for every audience), and holding every word of its search in the folded
/// title and summary that the `locale` page shows.
pub async fn find(db: &Db, filter: &LibraryFilter, locale: Locale) -> Result<Vec<LibraryResource>, DbError> {
    let mut query = resource::Entity::find().order_by_desc(resource::Column::Id);
    if let Some(audience) = filter.audience {
        query = query.filter(resource::Column::Audience.is_in([audience, ResourceAudience::Everyone]));
    }
    if let Some(topic) = filter.topic {
        query = query.filter(
            resource::Column::Id.in_subquery(
                Query::select()
                    .column(resource_topic::Column::ResourceId)
                    .from(resource_topic::Entity)
                    .and_where(resource_topic::Column::TopicId.eq(topic))
                    .to_owned(),
            ),
        );
    }
    let searched = match locale {
        Locale::En => resource::Column::SearchEn,
        Locale::Fr => resource::Column::SearchFr,
    };
    for word in filter.words() {
        query = query.filter(searched.like(LikeExpr::new(like_pattern(&word)).escape(LIKE_ESCAPE)));
    }
    let rows = query.all(db.conn()).await?;
    let ids: Vec<i32> = rows.iter().map(|row| row.id).collect();
    let mut topics: HashMap<i32, Vec<i32>> = HashMap::new();
    if !ids.is_empty() {
        let links = resource_topic::Entity::find()
            .filter(resource_topic::Column::ResourceId.is_in(ids))
            .order_by_asc(resource_topic::Column::TopicId)
            .all(db.conn())
            .await?;
        for link in links {
            topics.entry(link.resource_id).or_default().push(link.topic_id);
        }
    }
    Ok(rows
        .into_iter()
        .map(|row| LibraryResource {
            id: row.id,
            title: Bilingual { en: row.title_en, fr: row.title_fr },
            summary: Bilingual { en: row.summary_en, fr: row.summary_fr },
            link: row.link,
            file_name: row.file_name,
            topics: topics.remove(&row.id).unwrap_or_default(),
            audience: row.audience,
        })
        .collect())
}

/// Adds a resource, its topics and its PDF, with the folded text each page's search compares
/// (`ValidResource::search_text`); returns its id.
pub async fn insert(
    txn: &WriteTxn<'_>,
    resource: &ValidResource,
    now: DateTime<Utc>,
) -> Result<i32, DbError> {
    let (link, file) = match &resource.source {
        Source::Link(link) => (Some(link.clone()), None),
        Source::Pdf { file_name, bytes } => (None, Some((file_name.clone(), bytes))),
    };
    let id = resource::Entity::insert(resource::ActiveModel {
        title_en: Set(resource.title.en.clone()),
        title_fr: Set(resource.title.fr.clone()),
        summary_en: Set(resource.summary.en.clone()),
        summary_fr: Set(resource.summary.fr.clone()),
        search_en: Set(resource.search_text(Locale::En)),
        search_fr: Set(resource.search_text(Locale::Fr)),
        link: Set(link),
        file_name: Set(file.as_ref().map(|(name, _)| name.clone())),
        audience: Set(resource.audience),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(txn.conn())
    .await?
    .last_insert_id;
    if !resource.topics.is_empty() {
        let links = resource
            .topics
            .iter()
            .map(|&topic_id| resource_topic::ActiveModel { resource_id: Set(id), topic_id: Set(topic_id) });
        resource_topic::Entity::insert_many(links).exec_without_returning(txn.conn()).await?;
    }
    if let Some((_, bytes)) = file {
        resource_file::Entity::insert(resource_file::ActiveModel {
            resource_id: Set(id),
            content: Set(bytes.clone()),
        })
        .exec_without_returning(txn.conn())
        .await?;
    }
    Ok(id)
}

/// Removes a resource with its topics and PDF; whether there was one.
pub async fn delete(txn: &WriteTxn<'_>, id: i32) -> Result<bool, DbError> {
    Ok(resource::Entity::delete_by_id(id).exec(txn.conn()).await?.rows_affected == 1)
}

/// A resource's PDF: its safe file name and its bytes.
pub async fn file(db: &Db, id: i32) -> Result<Option<(String, Vec<u8>)>, DbError> {
    let Some(name) = resource::Entity::find_by_id(id)
        .select_only()
        .column(resource::Column::FileName)
        .into_tuple::<Option<String>>()
        .one(db.conn())
        .await?
        .flatten()
    else {
        return Ok(None);
    };
    let content = resource_file::Entity::find_by_id(id).one(db.conn()).await?;
    Ok(content.map(|row| (name, row.content)))
}
