//! How the domain's enums are stored: as the short text each one names itself with
//! (`as_str`), read back with its `FromStr`. Entities declare their columns with these types,
//! so a value outside the enum never reaches a service: reading one is a database error.

use crate::domain::access::Role;
use crate::domain::application_round::RoundStatus;
use crate::domain::gratitude::StoryStatus;
use crate::domain::registration::{CareerStage, Province};
use crate::domain::resources::ResourceAudience;
use crate::domain::session::{Audience, SessionLanguage, SessionStatus};
use crate::i18n::Locale;
use sea_orm::sea_query::{ArrayType, ColumnType, Nullable, StringLen, ValueType, ValueTypeErr};
use sea_orm::{ActiveValue, ColIdx, DbErr, IntoActiveValue, QueryResult, TryGetError, TryGetable, Value};

macro_rules! stored_as_text {
    ($($name:ident),* $(,)?) => {$(
        impl From<$name> for Value {
            fn from(value: $name) -> Value {
                value.as_str().into()
            }
        }

        impl TryGetable for $name {
            fn try_get_by<I: ColIdx>(row: &QueryResult, index: I) -> Result<Self, TryGetError> {
                let text = String::try_get_by(row, index)?;
                text.parse().map_err(|()| {
                    TryGetError::DbErr(DbErr::Type(format!(concat!("unreadable ", stringify!($name), " {:?}"), text)))
                })
            }
        }

        impl ValueType for $name {
            fn try_from(value: Value) -> Result<Self, ValueTypeErr> {
                <String as ValueType>::try_from(value)?.parse().map_err(|()| ValueTypeErr)
            }

            fn type_name() -> String {
                stringify!($name).to_owned()
            }

            fn array_type() -> ArrayType {
                ArrayType::String
            }

            fn column_type() -> ColumnType {
                ColumnType::String(StringLen::None)
            }
        }

        impl Nullable for $name {
            fn null() -> Value {
                Value::String(None)
            }
        }

        impl IntoActiveValue<$name> for $name {
            fn into_active_value(self) -> ActiveValue<$name> {
                ActiveValue::Set(self)
            }
        }
    )*};
}

stored_as_text!(
    Audience,
    CareerStage,
    Locale,
    Province,
    ResourceAudience,
    Role,
    RoundStatus,
    SessionLanguage,
    SessionStatus,
    StoryStatus,
);
