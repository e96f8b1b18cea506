//! The Podcast Taxonomy Project's person groups and roles, for `podcast:person` in the catalogue and in
//! feeds.

/// Groups of the Podcast Taxonomy Project, used by `podcast:person group` (matched case-insensitively).
/// Source: `taxonomy.json` in the Podcasting 2.0 namespace repository.
pub const PERSON_GROUPS: &[&str] = &[
    "Creative Direction",
    "Cast",
    "Writing",
    "Audio Production",
    "Audio Post-Production",
    "Administration",
    "Visuals",
    "Community",
    "Misc.",
    "Video Production",
    "Video Post-Production",
];

/// Roles of the Podcast Taxonomy Project with their group, used by `podcast:person role` (matched
/// case-insensitively). `taxonomy.json` spells one role `Translater`; both spellings are accepted.
pub const PERSON_ROLES: &[(&str, &str)] = &[
    ("Creative Direction", "Director"),
    ("Creative Direction", "Assistant Director"),
    ("Creative Direction", "Executive Producer"),
    ("Creative Direction", "Senior Producer"),
    ("Creative Direction", "Producer"),
    ("Creative Direction", "Associate Producer"),
    ("Creative Direction", "Development Producer"),
    ("Creative Direction", "Creative Director"),
    ("Cast", "Host"),
    ("Cast", "Co-Host"),
    ("Cast", "Guest Host"),
    ("Cast", "Guest"),
    ("Cast", "Voice Actor"),
    ("Cast", "Narrator"),
    ("Cast", "Announcer"),
    ("Cast", "Reporter"),
    ("Writing", "Author"),
    ("Writing", "Editorial Director"),
    ("Writing", "Co-Writer"),
    ("Writing", "Writer"),
    ("Writing", "Songwriter"),
    ("Writing", "Guest Writer"),
    ("Writing", "Story Editor"),
    ("Writing", "Managing Editor"),
    ("Writing", "Script Editor"),
    ("Writing", "Script Coordinator"),
    ("Writing", "Researcher"),
    ("Writing", "Editor"),
    ("Writing", "Fact Checker"),
    ("Writing", "Translator"),
    ("Writing", "Translater"),
    ("Writing", "Transcriber"),
    ("Writing", "Logger"),
    ("Audio Production", "Studio Coordinator"),
    ("Audio Production", "Technical Director"),
    ("Audio Production", "Technical Manager"),
    ("Audio Production", "Audio Engineer"),
    ("Audio Production", "Remote Recording Engineer"),
    ("Audio Production", "Post Production Engineer"),
    ("Audio Post-Production", "Audio Editor"),
    ("Audio Post-Production", "Sound Designer"),
    ("Audio Post-Production", "Foley Artist"),
    ("Audio Post-Production", "Composer"),
    ("Audio Post-Production", "Theme Music"),
    ("Audio Post-Production", "Music Production"),
    ("Audio Post-Production", "Music Contributor"),
    ("Administration", "Production Coordinator"),
    ("Administration", "Booking Coordinator"),
    ("Administration", "Production Assistant"),
    ("Administration", "Content Manager"),
    ("Administration", "Marketing Manager"),
    ("Administration", "Sales Representative"),
    ("Administration", "Sales Manager"),
    ("Visuals", "Graphic Designer"),
    ("Visuals", "Cover Art Designer"),
    ("Community", "Social Media Manager"),
    ("Misc.", "Consultant"),
    ("Misc.", "Intern"),
    ("Video Production", "Camera Operator"),
    ("Video Production", "Lighting Designer"),
    ("Video Production", "Camera Grip"),
    ("Video Production", "Assistant Camera"),
    ("Video Post-Production", "Editor"),
    ("Video Post-Production", "Assistant Editor"),
];

/// The taxonomy group of a role name (case-insensitive), or `None` if the role is not in the taxonomy. A
/// role that appears in two groups (`Editor`) returns the first.
pub fn person_role_group(role: &str) -> Option<&'static str> {
    PERSON_ROLES
        .iter()
        .find(|(_, r)| r.eq_ignore_ascii_case(role.trim()))
        .map(|(g, _)| *g)
}

/// Whether `role` belongs to `group` in the taxonomy (both case-insensitive).
pub fn person_role_in_group(role: &str, group: &str) -> bool {
    PERSON_ROLES
        .iter()
        .any(|(g, r)| g.eq_ignore_ascii_case(group.trim()) && r.eq_ignore_ascii_case(role.trim()))
}

/// The canonical spelling of a taxonomy group (case-insensitive lookup).
pub fn person_group(group: &str) -> Option<&'static str> {
    PERSON_GROUPS
        .iter()
        .find(|g| g.eq_ignore_ascii_case(group.trim()))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_taxonomy_is_case_insensitive() {
        assert_eq!(person_role_group("host"), Some("Cast"));
        assert_eq!(person_role_group("TRANSLATOR"), Some("Writing"));
        assert!(person_role_in_group("editor", "video post-production"));
        assert_eq!(person_group("cast"), Some("Cast"));
        assert_eq!(person_role_group("dictator"), None);
    }
}
