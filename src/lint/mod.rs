//! Playbook checks on drafts and timing (being written).
