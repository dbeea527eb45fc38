//! `SET datafusion.…` reaches the engine: keys in DataFusion's own namespace change the session's
//! DataFusion configuration (Parquet filter pushdown, batch size, join thresholds…), so that the
//! statement after the SET runs with it. `RESET` puts back the server's value, which every session
//! starts from.

use datafusion::common::config::ConfigOptions;
use hivewire_backend::{BackendError, ErrorKind};

use crate::engine::EngineSession;

/// The prefix of DataFusion's configuration keys.
const PREFIX: &str = "datafusion.";

/// Whether `key` (lower-cased) names a DataFusion option.
pub fn is_engine_key(key: &str) -> bool {
    key.starts_with(PREFIX)
}

/// The session's current value of a DataFusion option; `None` when DataFusion has no such key.
/// An option with no value (unset optional ones) reads as the empty string.
pub fn current(s: &EngineSession, key: &str) -> Option<String> {
    value_of(s.ctx.state_ref().read().config().options(), key)
}

/// Sets a DataFusion option for the rest of the session. An unknown key or a value of the wrong
/// form is an error, and nothing changes. An empty value for an optional setting that sessions
/// start without (a confOverlay being undone, say) leaves it unset.
pub fn set(s: &EngineSession, key: &str, value: &str) -> Result<(), BackendError> {
    let state = s.ctx.state_ref();
    let mut state = state.write();
    let options = state.config_mut().options_mut();
    if value_of(options, key).is_none() {
        return Err(BackendError::new(ErrorKind::UndefinedObject, format!("unrecognized configuration parameter \"{key}\"")));
    }
    // DataFusion may have applied part of the value before failing; keep the session as it was.
    let before = options.clone();
    match options.set(key, value) {
        Ok(()) => Ok(()),
        Err(_) if value.is_empty() && value_of(s.shared.template.config().options(), key).is_some_and(|v| v.is_empty()) => {
            *options = before;
            drop(state);
            rebuild(s, Some(key));
            Ok(())
        }
        Err(e) => {
            *options = before;
            Err(BackendError::new(ErrorKind::InvalidParameter, format!("invalid value for parameter \"{key}\": \"{value}\": {e}")))
        }
    }
}

/// Puts one DataFusion option back to the value sessions start with; call it once the key is no
/// longer among the session's settings.
pub fn reset(s: &EngineSession, key: &str) {
    rebuild(s, Some(key));
}

/// Puts every DataFusion option back to the value sessions start with.
pub fn reset_all(s: &EngineSession) {
    rebuild(s, None);
}

/// The session's options rebuilt from the server's, with the session's current database and, when
/// one key is being reset, the session's other `datafusion.*` settings applied again. DataFusion
/// can set an option but not unset an optional one, so this is the one way back for those.
fn rebuild(s: &EngineSession, except: Option<&str>) {
    let kept: Vec<(String, String)> = match except {
        None => vec![],
        Some(key) => s
            .settings
            .lock()
            .map(|m| m.iter().filter(|(k, _)| is_engine_key(k) && k.as_str() != key).map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default(),
    };
    let state = s.ctx.state_ref();
    let mut state = state.write();
    let options = state.config_mut().options_mut();
    let mut fresh = ConfigOptions::clone(s.shared.template.config().options());
    fresh.catalog.default_schema = options.catalog.default_schema.clone();
    crate::engine::apply_flavor(&mut fresh, s.flavor);
    for (k, v) in kept {
        // Each was accepted when it was set.
        let _ = fresh.set(&k, &v);
    }
    *options = fresh;
}

fn value_of(options: &ConfigOptions, key: &str) -> Option<String> {
    options.entries().into_iter().find(|e| e.key == key).map(|e| e.value.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_keys_are_recognised_by_prefix() {
        assert!(is_engine_key("datafusion.execution.batch_size"));
        assert!(!is_engine_key("spark.sql.ansi.enabled"));
        assert!(!is_engine_key("search_path"));
    }

    #[test]
    fn values_are_read_from_the_options() {
        let options = ConfigOptions::default();
        assert_eq!(value_of(&options, "datafusion.execution.batch_size").as_deref(), Some("8192"));
        assert_eq!(value_of(&options, "datafusion.execution.no_such_thing"), None);
    }
}
