//! The template environment, tested the MiniJinja way: each file in `tests/inputs/` is a
//! JSON context, a `---` line and a template; it is rendered in the one environment every
//! template uses (filters, strict undefined values, escaping by the file's extension, the
//! loader that stays inside `templates/`) and the output, or the error, is one snapshot.

use std::path::Path;

use incident::config::Config;
use incident::render::Templates;

use crate::support::TestEnv;

#[test]
fn every_input_renders_as_its_snapshot() {
    let inputs = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/inputs");
    let mut names: Vec<String> = std::fs::read_dir(&inputs)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 10, "inputs: {names:?}");
    let env = TestEnv::new();
    for name in &names {
        let input = std::fs::read_to_string(inputs.join(name)).unwrap();
        let (context, template) = input
            .split_once("\n---\n")
            .unwrap_or_else(|| panic!("{name}: no `---` line between context and template"));
        let context: serde_json::Value = serde_json::from_str(context)
            .unwrap_or_else(|error| panic!("{name}: the context is not JSON: {error}"));
        // The template is an override of that name, so its extension picks the escaping.
        env.write(&format!("templates/{name}"), template);
        let config = Config::load(
            &env.root().join("incident.toml"),
            &incident::publish::targets::kinds(),
        )
        .unwrap();
        let rendered = match Templates::new(&config).render(name, &context) {
            Ok(text) => text,
            Err(error) => {
                format!("error: {error}").replace(&env.root().display().to_string(), "[ROOT]")
            }
        };
        insta::with_settings!({ input_file => inputs.join(name), prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("input_{name}"), rendered);
        });
    }
}
