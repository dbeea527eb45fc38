//! `SET`, `SHOW`, `RESET`: per-session settings.
//!
//! Keys are kept as given and echoed back; unknown keys are kept too, as Spark does. A few keys
//! change behaviour: `search_path` (PostgreSQL) selects the current database, and `datafusion.*`
//! keys set the engine's own options ([`super::engine_options`]). The values PostgreSQL drivers read
//! at connect time have defaults here.

use datafusion::arrow::datatypes::SchemaRef;
use hivewire_backend::{BackendError, CommandOutcome, ErrorKind, QueryResult, Session};

use super::output::{string_rows, string_schema};
use crate::engine::{EngineSession, PG_SERVER_VERSION};

/// Defaults PostgreSQL clients ask for.
fn default_value(s: &EngineSession, key: &str) -> Option<String> {
    Some(
        match key {
            "server_version" => PG_SERVER_VERSION.split(' ').next().unwrap_or("15.0"),
            "server_version_num" => "150000",
            "server_encoding" | "client_encoding" => "UTF8",
            "datestyle" => "ISO, MDY",
            "timezone" => "UTC",
            "intervalstyle" => "postgres",
            "integer_datetimes" | "standard_conforming_strings" => "on",
            "transaction_isolation" | "transaction isolation level" | "default_transaction_isolation" => "read committed",
            "transaction_read_only" | "default_transaction_read_only" => "off",
            "max_identifier_length" => "63",
            "extra_float_digits" => "1",
            "lc_collate" | "lc_ctype" => "C",
            "application_name" => "",
            "default_table_access_method" => "heap",
            "is_superuser" => "on",
            "search_path" => return Some(s.current_database()),
            "session_authorization" => return Some(s.user.clone()),
            _ => return None,
        }
        .to_string(),
    )
}

fn normalize(key: &str) -> String {
    let k = key.trim().to_lowercase();
    match k.as_str() {
        "transaction isolation level" => "transaction_isolation".into(),
        "time zone" => "timezone".into(),
        _ => k,
    }
}

/// The value of a setting: set in this session, or a default.
pub fn lookup(s: &EngineSession, key: &str) -> Option<String> {
    let k = normalize(key);
    if k == "search_path" {
        return Some(s.current_database());
    }
    if super::engine_options::is_engine_key(&k) {
        return super::engine_options::current(s, &k);
    }
    let set = s.settings.lock().ok().and_then(|m| m.get(&k).cloned());
    set.or_else(|| default_value(s, &k))
}

/// `SET key = value`.
pub async fn set(s: &EngineSession, key: &str, value: &str) -> Result<QueryResult, BackendError> {
    // `SET v = 1` for a session variable `v` is refused, as in Spark: it would make a setting.
    let parts: Vec<String> = key.split('.').map(|p| p.trim_matches('`').to_string()).collect();
    if super::variables::qualified_name(&parts).is_ok_and(|name| s.variables().get(&name).is_some()) {
        return Err(BackendError::new(
            ErrorKind::NotSupported,
            format!("[UNSUPPORTED_FEATURE.SET_VARIABLE_IN_SET] `{key}` is a session variable; set it with SET VARIABLE {key} = ..."),
        )
        .with_sqlstate("0A000"));
    }
    let k = normalize(key);
    if k == "search_path" {
        // The first entry that names a database becomes the current one; "$user" and public are skipped.
        let wanted = value.split(',').map(|p| p.trim().trim_matches('"').to_lowercase());
        for db in wanted {
            if s.catalog().store().get_database(&db).await.ok().flatten().is_some() {
                s.set_database(&db);
                break;
            }
        }
        return Ok(QueryResult::Command(CommandOutcome::tag("SET")));
    }
    if super::engine_options::is_engine_key(&k) {
        super::engine_options::set(s, &k, value)?;
    }
    if let Ok(mut m) = s.settings.lock() {
        m.insert(k, value.to_string());
    }
    Ok(QueryResult::Command(CommandOutcome::tag("SET")))
}

/// The result of `SHOW key`: one column named after the key.
pub fn show_schema(key: &str) -> SchemaRef {
    string_schema(&[normalize(key).as_str()])
}

/// `SHOW key`.
pub fn show(s: &EngineSession, key: &str) -> Result<QueryResult, BackendError> {
    let value = lookup(s, key).ok_or_else(|| {
        BackendError::new(ErrorKind::InvalidParameter, format!("unrecognized configuration parameter \"{key}\""))
            .with_sqlstate("42704")
    })?;
    string_rows(show_schema(key), vec![vec![Some(value)]], "SHOW")
}

/// The result of `SHOW ALL` / bare `SET`: `key`, `value`.
pub fn show_all_schema() -> SchemaRef {
    string_schema(&["key", "value"])
}

/// `SHOW ALL` / `SET`: every setting made in this session.
pub fn show_all(s: &EngineSession) -> Result<QueryResult, BackendError> {
    let rows = s
        .settings
        .lock()
        .map(|m| m.iter().map(|(k, v)| vec![Some(k.clone()), Some(v.clone())]).collect())
        .unwrap_or_default();
    string_rows(show_all_schema(), rows, "SHOW")
}

/// `RESET key`, `RESET ALL`, `DISCARD ALL`.
pub fn reset(s: &EngineSession, key: Option<&str>) -> Result<QueryResult, BackendError> {
    let key_name = key.map(normalize);
    if let Ok(mut m) = s.settings.lock() {
        match &key_name {
            Some(k) => {
                m.remove(k);
            }
            None => m.clear(),
        }
    }
    match &key_name {
        Some(k) if super::engine_options::is_engine_key(k) => super::engine_options::reset(s, k),
        Some(_) => {}
        None => super::engine_options::reset_all(s),
    }
    Ok(QueryResult::Command(CommandOutcome::tag(if key.is_some() { "RESET" } else { "DISCARD ALL" })))
}

/// Spark's `SET key`: `key`, `value`, with `<undefined>` for a key never set.
pub fn spark_show(s: &EngineSession, key: &str) -> Result<QueryResult, BackendError> {
    let value = lookup(s, key).unwrap_or_else(|| "<undefined>".into());
    string_rows(show_all_schema(), vec![vec![Some(key.to_string()), Some(value)]], "SET")
}

/// Spark's `SET key=value`: sets it, and answers with the pair in HiveServer2 sessions (over
/// PostgreSQL, a plain `SET` completion, as PostgreSQL clients expect).
pub async fn spark_set(s: &EngineSession, key: &str, value: &str) -> Result<QueryResult, BackendError> {
    let done = set(s, key, value).await?;
    if s.flavor == super::Flavor::Postgres {
        return Ok(done);
    }
    string_rows(show_all_schema(), vec![vec![Some(key.to_string()), Some(value.to_string())]], "SET")
}

/// `SET -v`: `key`, `value`, `meaning` for every setting made in this session.
pub fn show_all_verbose(s: &EngineSession) -> Result<QueryResult, BackendError> {
    let rows = s
        .settings
        .lock()
        .map(|m| m.iter().map(|(k, v)| vec![Some(k.clone()), Some(v.clone()), Some(String::new())]).collect())
        .unwrap_or_default();
    string_rows(string_schema(&["key", "value", "meaning"]), rows, "SET")
}
