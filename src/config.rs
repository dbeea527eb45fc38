//! Server configuration, loaded in layers: built-in defaults, then a TOML file, then
//! `HIVEWIRE__SECTION__KEY` environment variables. Unknown keys are errors, so a typo never silently
//! falls back to a default.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Why the configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file or an environment variable is not valid.
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

/// The whole configuration.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[derive(Default)]
pub struct Config {
    /// `[server]`
    pub server: ServerConfig,
    /// `[postgres]`
    pub postgres: PostgresConfig,
    /// `[hiveserver2]`
    pub hiveserver2: HiveServer2Config,
    /// `[engine]`
    pub engine: EngineConfig,
    /// `[object_store]`
    pub object_store: ObjectStoreConfig,
    /// `[catalog]`
    pub catalog: CatalogConfig,
    /// `[auth]`
    pub auth: AuthConfig,
}

/// `[auth]`: who may connect. With no users, any user connects without a password (meant for
/// loopback); with users, every protocol asks for a password and checks it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct AuthConfig {
    /// User name to password: `"sha256:<hex digest>"` (recommended) or the password itself.
    pub users: std::collections::BTreeMap<String, String>,
}

/// `[catalog]`: where the metastore is kept.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct CatalogConfig {
    /// `sqlite` (a file in the data directory) or `postgres` (shared by several servers).
    pub backend: String,
    /// For `postgres`: the connection string (`postgresql://user:password@host:port/database`).
    pub url: String,
}

impl Default for CatalogConfig {
    fn default() -> Self {
        CatalogConfig { backend: "sqlite".into(), url: String::new() }
    }
}

/// `[object_store]`: how LOCATIONs on S3 (`s3://`, `s3a://`), GCS (`gs://`), Azure (`az://`,
/// `abfss://`) and HTTP are reached. Empty values fall back to the cloud SDKs' usual environment
/// variables (`AWS_ACCESS_KEY_ID`, `AWS_REGION`, `AWS_ENDPOINT_URL`, `GOOGLE_SERVICE_ACCOUNT`,
/// `AZURE_STORAGE_ACCOUNT_NAME`, ...).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct ObjectStoreConfig {
    /// S3 endpoint, for S3-compatible servers (`http://127.0.0.1:9000`).
    pub s3_endpoint: String,
    /// S3 region.
    pub s3_region: String,
    /// S3 access key id.
    pub s3_access_key_id: String,
    /// S3 secret access key.
    pub s3_secret_access_key: String,
    /// Allow plain HTTP to the S3 endpoint.
    pub s3_allow_http: bool,
    /// Address buckets as `bucket.endpoint` rather than `endpoint/bucket`.
    pub s3_virtual_hosted_style: bool,
}

/// `[server]`: where data lives and how the process behaves.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Holds the catalog file and the warehouse of managed tables.
    pub data_dir: PathBuf,
    /// The catalog's name: PostgreSQL clients see it as the database.
    pub catalog_name: String,
    /// Seconds that running statements get to finish after a shutdown signal.
    pub shutdown_timeout_secs: u64,
}

/// `[postgres]`: the PostgreSQL wire protocol listener.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct PostgresConfig {
    /// Whether to listen at all.
    pub enabled: bool,
    /// `host:port`; port 0 picks a free port.
    pub listen: String,
    /// Connections served at once; more wait in the accept queue.
    pub max_connections: usize,
    /// The largest message a client may send (`64MiB`, `1GiB`...); a larger one closes the
    /// connection with a protocol-violation error.
    pub max_message_size: String,
}

/// `[hiveserver2]`: the HiveServer2 Thrift listeners.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct HiveServer2Config {
    /// Whether to listen at all.
    pub enabled: bool,
    /// Binary transport `host:port`.
    pub listen: String,
    /// HTTP transport `host:port`.
    pub http_listen: String,
    /// Seconds before an unused session is closed; 0: never.
    pub idle_session_timeout_secs: u64,
    /// Seconds before an unused operation is closed and its query cancelled; 0: never.
    pub idle_operation_timeout_secs: u64,
}

/// `[engine]`: query execution.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct EngineConfig {
    /// Parallelism of each query; 0 means the number of CPU cores.
    pub target_partitions: usize,
    /// Rows per record batch.
    pub batch_size: usize,
    /// Memory all queries together may use: a size (`"4GiB"`, `"512MB"`), a share of the machine's
    /// or container's memory (`"75%"`, the default), or `"0"` for no limit.
    pub memory_limit: String,
    /// Where sorts and aggregations spill when they reach the memory limit; empty: the system's
    /// temporary directory.
    pub spill_dir: String,
    /// The time zone of HiveQL sessions (`spark.sql.session.timeZone`) until a session sets its
    /// own: a region (`America/Los_Angeles`) or an offset (`+08:00`).
    pub time_zone: String,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig { data_dir: PathBuf::from("./hivewire-data"), catalog_name: "hivewire".into(), shutdown_timeout_secs: 30 }
    }
}

impl Default for PostgresConfig {
    fn default() -> Self {
        PostgresConfig {
            enabled: true,
            listen: "127.0.0.1:5432".into(),
            max_connections: 1024,
            max_message_size: "64MiB".into(),
        }
    }
}

impl Default for HiveServer2Config {
    fn default() -> Self {
        HiveServer2Config {
            enabled: true,
            listen: "127.0.0.1:10000".into(),
            http_listen: "127.0.0.1:10001".into(),
            idle_session_timeout_secs: 86_400,
            idle_operation_timeout_secs: 14_400,
        }
    }
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig { target_partitions: 0, batch_size: 8192, memory_limit: "75%".into(), spill_dir: String::new(), time_zone: "UTC".into() }
    }
}


/// The prefix of environment variables that override the configuration.
pub const ENV_PREFIX: &str = "HIVEWIRE__";

impl Config {
    /// Loads defaults, then `file` if given, then the process environment.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        let text = match file {
            Some(path) => {
                Some(std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.into(), source })?)
            }
            None => None,
        };
        Config::from_layers(text.as_deref(), std::env::vars())
    }

    /// Builds a configuration from TOML text (if any) and `(name, value)` environment pairs.
    pub fn from_layers(
        toml_text: Option<&str>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let mut value = toml::Value::try_from(Config::default()).map_err(|e| ConfigError::Invalid(e.to_string()))?;
        if let Some(text) = toml_text {
            let file: toml::Value = toml::from_str(text).map_err(|e| ConfigError::Invalid(e.to_string()))?;
            merge(&mut value, file);
        }
        for (name, raw) in env {
            let Some(path) = name.strip_prefix(ENV_PREFIX) else { continue };
            let keys: Vec<String> = path.split("__").map(|k| k.to_lowercase()).collect();
            set_path(&mut value, &keys, env_value(&raw))
                .map_err(|e| ConfigError::Invalid(format!("{name}: {e}")))?;
        }
        let config: Config = value.try_into().map_err(|e: toml::de::Error| ConfigError::Invalid(e.to_string()))?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        crate::engine::memory::limit_bytes(&self.engine.memory_limit)
            .map_err(|e| ConfigError::Invalid(format!("engine.memory_limit: {e}")))?;
        if crate::hiveql::time_zones::Zone::parse(&self.engine.time_zone).is_none() {
            return Err(ConfigError::Invalid(format!("engine.time_zone: '{}' is not a time zone", self.engine.time_zone)));
        }
        if self.engine.batch_size == 0 {
            return Err(ConfigError::Invalid("engine.batch_size must be positive".into()));
        }
        if self.server.catalog_name.is_empty() {
            return Err(ConfigError::Invalid("server.catalog_name must not be empty".into()));
        }
        Ok(())
    }
}

/// An environment value: a TOML boolean or integer where it reads as one, else a string.
fn env_value(raw: &str) -> toml::Value {
    if let Ok(b) = raw.parse::<bool>() {
        return toml::Value::Boolean(b);
    }
    if let Ok(i) = raw.parse::<i64>() {
        return toml::Value::Integer(i);
    }
    toml::Value::String(raw.to_string())
}

fn merge(base: &mut toml::Value, over: toml::Value) {
    match (base, over) {
        (toml::Value::Table(b), toml::Value::Table(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (b, o) => *b = o,
    }
}

fn set_path(value: &mut toml::Value, keys: &[String], leaf: toml::Value) -> Result<(), String> {
    let Some((first, rest)) = keys.split_first() else { return Err("empty key".into()) };
    let toml::Value::Table(table) = value else { return Err(format!("{first} is not a section")) };
    if rest.is_empty() {
        table.insert(first.clone(), leaf);
        return Ok(());
    }
    let child = table.entry(first.clone()).or_insert_with(|| toml::Value::Table(Default::default()));
    set_path(child, rest, leaf)
}

/// Parses a byte size such as `512MB`, `4GiB`, `1024`, `0`. Decimal and binary units are both accepted.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().map_err(|_| format!("'{text}' is not a size like 512MB or 4GiB"))?;
    let mult: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "kib" => 1024.0,
        "m" | "mb" => 1e6,
        "mib" => 1024.0 * 1024.0,
        "g" | "gb" => 1e9,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        "t" | "tb" => 1e12,
        "tib" => 1024f64.powi(4),
        other => return Err(format!("unknown size unit '{other}' in '{text}'")),
    };
    Ok((n * mult) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_apply_in_order() {
        let toml = "[postgres]\nlisten = \"127.0.0.1:6000\"\n[engine]\nbatch_size = 1024\n";
        let env = vec![
            ("HIVEWIRE__POSTGRES__LISTEN".to_string(), "127.0.0.1:0".to_string()),
            ("HIVEWIRE__HIVESERVER2__ENABLED".to_string(), "false".to_string()),
            ("UNRELATED".to_string(), "x".to_string()),
        ];
        let c = Config::from_layers(Some(toml), env).unwrap();
        assert_eq!(c.postgres.listen, "127.0.0.1:0");
        assert_eq!(c.engine.batch_size, 1024);
        assert!(!c.hiveserver2.enabled);
        assert_eq!(c.server.catalog_name, "hivewire");
    }

    #[test]
    fn unknown_keys_are_errors() {
        assert!(Config::from_layers(Some("[postgres]\nlisten_addr = \"x\"\n"), vec![]).is_err());
        assert!(Config::from_layers(None, vec![("HIVEWIRE__ENGINE__NOPE".into(), "1".into())]).is_err());
        assert!(Config::from_layers(Some("[engine]\nmemory_limit = \"12 parsecs\"\n"), vec![]).is_err());
    }

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("0").unwrap(), 0);
        assert_eq!(parse_size("512MB").unwrap(), 512_000_000);
        assert_eq!(parse_size("4GiB").unwrap(), 4 * 1024 * 1024 * 1024);
        assert!(parse_size("lots").is_err());
    }
}
