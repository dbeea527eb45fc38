//! Timestamps in Parquet files are instants, stored in UTC, as Spark and Hive write them; a
//! session shows them as wall-clock times in its own zone (`spark.sql.session.timeZone`). The
//! engine tells the catalog the session's zone through [`SessionZone`], a DataFusion config
//! extension; a scan of a Parquet table then shows each top-level TIMESTAMP column in that zone,
//! and the engine's writes store UTC. Text tables hold timestamps as written, in the session's
//! zone, as Spark's text formats do, so they are read as they are.

use datafusion::arrow::datatypes::{DataType, TimeUnit};
use datafusion::common::config::ConfigExtension;
use datafusion::common::extensions_options;
use datafusion::logical_expr::{cast, Expr};

extensions_options! {
    /// The session's zone, for the catalog's scans.
    pub struct SessionZone {
        /// The zone's name (`America/Los_Angeles`, `+08:00`); empty or `UTC` for UTC.
        pub name: String, default = String::new()
    }
}

impl ConfigExtension for SessionZone {
    const PREFIX: &'static str = "hivewire_session_zone";
}

impl SessionZone {
    /// The zone of a session's options, or None when it is UTC (where nothing is converted).
    pub fn of(options: &datafusion::common::config::ConfigOptions) -> Option<String> {
        let name = options.extensions.get::<SessionZone>()?.name.trim().to_string();
        let utc = name.is_empty() || matches!(name.to_ascii_uppercase().as_str(), "UTC" | "Z" | "GMT" | "+00:00" | "UTC+00:00" | "ETC/UTC");
        (!utc).then_some(name)
    }
}

/// Whether a column holds timestamps that are instants in the files.
pub fn is_instant(t: &DataType) -> bool {
    matches!(t, DataType::Timestamp(_, None))
}

/// A stored instant (UTC) as the wall-clock time in `zone`: `to_local_time` of the instant seen
/// in the zone.
pub fn wall_clock(stored: Expr, unit: TimeUnit, zone: &str) -> Expr {
    let utc = cast(stored, DataType::Timestamp(unit, Some("UTC".into())));
    let zoned = cast(utc, DataType::Timestamp(unit, Some(zone.into())));
    datafusion::functions::datetime::expr_fn::to_local_time(vec![zoned])
}
