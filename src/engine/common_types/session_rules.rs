//! Which rules a session's values are typed by, kept in the session's DataFusion options so that
//! the shared analyzer rule ([`super`]) reads them for each statement: HiveQL sessions follow
//! Spark's rules with or without ANSI, PostgreSQL sessions DataFusion's.

use datafusion::common::config::{ConfigExtension, ConfigOptions};
use datafusion::common::extensions_options;

use super::lattice::SparkRules;

extensions_options! {
    /// The session's typing rules.
    pub struct ValueTyping {
        /// Whether values are typed by Spark's rules (HiveQL sessions).
        pub spark: bool, default = false
        /// `spark.sql.ansi.enabled`, for Spark's rules.
        pub ansi: bool, default = true
    }
}

impl ConfigExtension for ValueTyping {
    const PREFIX: &'static str = "hivewire_value_typing";
}

impl ValueTyping {
    /// Spark's rules where the options ask for them, with text taking part.
    pub(crate) fn spark_rules(options: &ConfigOptions) -> Option<SparkRules> {
        let typing = options.extensions.get::<ValueTyping>()?;
        typing.spark.then_some(SparkRules { ansi: typing.ansi, text: true })
    }
}

/// Sets a session's rules in its options, writing only when they change.
pub(crate) fn set(ctx: &datafusion::prelude::SessionContext, spark: bool, ansi: bool) {
    crate::engine::context::update_extension::<ValueTyping>(
        ctx,
        |t| t.spark == spark && t.ansi == ansi,
        |t| {
            t.spark = spark;
            t.ansi = ansi;
        },
    );
}
