//! Every file in config/ loads, so the examples never go stale.

use hivewire::config::Config;

#[test]
fn every_example_config_loads() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    let mut loaded = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        Config::from_layers(Some(&text), Vec::<(String, String)>::new())
            .unwrap_or_else(|e| panic!("{} does not load: {e}", path.display()));
        loaded += 1;
    }
    assert!(loaded >= 2, "expected the example configs in {}", dir.display());
}

#[test]
fn the_full_example_states_the_defaults() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config/hivewire.example.toml");
    let text = std::fs::read_to_string(path).unwrap();
    let c = Config::from_layers(Some(&text), Vec::<(String, String)>::new()).unwrap();
    assert_eq!(c, Config::default());
}
