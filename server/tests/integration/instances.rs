//! Several instances of the server on one PostgreSQL database.

use crate::common;

#[tokio::test]
async fn two_instances_starting_together_on_an_empty_database_both_start() {
    if !std::env::var("ROUNDS_TEST_POSTGRES_URL").is_ok_and(|url| !url.is_empty()) {
        eprintln!("skipped: several instances share a PostgreSQL database only");
        return;
    }
    let template = common::spawn().await;
    let mut config = template.config.clone();
    let scratch = std::env::temp_dir();
    config.database_url = common::database_url(&common::unique_name(), &scratch).await;
    // Unlocked, the second's migrations failed on the first's tables ("duplicate key value
    // violates unique constraint pg_type_typname_nsp_index").
    let (first, second) = tokio::join!(server::start(&config), server::start(&config));
    assert!(first.is_ok(), "the first instance: {:?}", first.err());
    assert!(second.is_ok(), "the second instance: {:?}", second.err());
}
