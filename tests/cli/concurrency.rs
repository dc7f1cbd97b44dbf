//! Concurrent writers: eight processes appending updates to one incident at once lose
//! nothing, and the file lock serialises each read-number-append.

use std::collections::{BTreeSet, HashMap};
use std::process::Command;

use crate::support::{TestEnv, output};

const WRITERS: usize = 8;
const UPDATES_EACH: usize = 100;

#[test]
fn eight_writers_lose_nothing() {
    let env = TestEnv::new();
    let id = env.open("Many hands", &[]);
    // `TestEnv` is not `Sync`: make every command here, with its own time, then hand them out.
    let mut batches: Vec<Vec<(String, Command)>> = (0..WRITERS).map(|_| Vec::new()).collect();
    for i in 0..UPDATES_EACH {
        for (t, batch) in batches.iter_mut().enumerate() {
            let message = format!("w{t}-{i}");
            let mut command = env.command();
            command.args([
                "-q",
                "update",
                &id,
                "--message",
                &message,
                "--next-update",
                "30m",
            ]);
            batch.push((message, command));
        }
    }
    let failures: Vec<String> = std::thread::scope(|scope| {
        let writers: Vec<_> = batches
            .into_iter()
            .map(|batch| {
                scope.spawn(move || {
                    let mut failures = Vec::new();
                    for (message, mut command) in batch {
                        let out = output(&mut command);
                        if out.code != 0 {
                            failures.push(format!("{message}:\n{out}"));
                        }
                    }
                    failures
                })
            })
            .collect();
        writers
            .into_iter()
            .flat_map(|writer| writer.join().unwrap())
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    let total = WRITERS * UPDATES_EACH + 1;
    let shown = env.show_json(&id);
    let updates = shown["updates"].as_array().unwrap();
    assert_eq!(updates.len(), total);
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for update in updates {
        if let Some(message) = update["message"].as_str() {
            *counts.entry(message).or_default() += 1;
        }
    }
    for t in 0..WRITERS {
        for i in 0..UPDATES_EACH {
            let message = format!("w{t}-{i}");
            assert_eq!(
                counts.get(message.as_str()),
                Some(&1),
                "`{message}` is not shown exactly once"
            );
        }
    }
    assert_eq!(counts.len(), WRITERS * UPDATES_EACH);
    let seqs: Vec<u64> = updates
        .iter()
        .map(|update| update["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(seqs, (1..=total as u64).collect::<Vec<_>>());

    let log = env.events(&id);
    assert!(log.ends_with('\n'));
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), total, "one line per event");
    let mut stored = BTreeSet::new();
    for (index, line) in lines.iter().enumerate() {
        let event: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|error| panic!("line {}: {error}: {line}", index + 1));
        let data = &event["data"];
        let seq = data["seq"]
            .as_u64()
            .or_else(|| data["update"]["seq"].as_u64())
            .unwrap_or_else(|| panic!("line {} has no seq: {line}", index + 1));
        // Each writer numbered its update from what it read under the lock: had two read
        // the same record, they would have written the same number.
        assert!(
            stored.insert(seq),
            "line {}: seq {seq} written twice",
            index + 1
        );
    }
    assert_eq!(
        stored,
        (1..=total as u64).collect::<BTreeSet<_>>(),
        "stored numbers are 1..={total}"
    );
}
