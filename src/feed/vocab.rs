//! Controlled vocabularies shared by the catalogue check, the feed writer and the validator: namespace URIs,
//! Apple's category list, the Podcasting 2.0 person taxonomy and mediums.
//!
//! Kept as data in one place so that what castkit writes and what it accepts can never disagree.

/// XML namespace URIs, exactly as the specifications spell them (they are compared byte for byte).
pub mod ns {
    /// Apple's iTunes podcast namespace. Case-sensitive: Apple ignores `itunes:` tags under any other URI.
    pub const ITUNES: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";
    /// The Podcasting 2.0 namespace (<https://podcastindex.org/namespace/1.0>).
    pub const PODCAST: &str = "https://podcastindex.org/namespace/1.0";
    /// The older Podcasting 2.0 URI that readers must still accept.
    pub const PODCAST_LEGACY: &str =
        "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md";
    /// Atom, for `atom:link rel="self"`.
    pub const ATOM: &str = "http://www.w3.org/2005/Atom";
    /// RSS 1.0 content module, for `content:encoded`.
    pub const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";
    /// Podlove Simple Chapters.
    pub const PSC: &str = "http://podlove.org/simple-chapters";
}

/// Apple Podcasts' categories: 19 parents and their subcategories (110 entries in all), spelled exactly as
/// Apple lists them (<https://podcasters.apple.com/support/1691-apple-podcasts-categories>). Apple matches
/// them case-sensitively.
pub const APPLE_CATEGORIES: &[(&str, &[&str])] = &[
    (
        "Arts",
        &[
            "Books",
            "Design",
            "Fashion & Beauty",
            "Food",
            "Performing Arts",
            "Visual Arts",
        ],
    ),
    (
        "Business",
        &[
            "Careers",
            "Entrepreneurship",
            "Investing",
            "Management",
            "Marketing",
            "Non-Profit",
        ],
    ),
    ("Comedy", &["Comedy Interviews", "Improv", "Stand-Up"]),
    (
        "Education",
        &["Courses", "How To", "Language Learning", "Self-Improvement"],
    ),
    ("Fiction", &["Comedy Fiction", "Drama", "Science Fiction"]),
    ("Government", &[]),
    ("History", &[]),
    (
        "Health & Fitness",
        &[
            "Alternative Health",
            "Fitness",
            "Medicine",
            "Mental Health",
            "Nutrition",
            "Sexuality",
        ],
    ),
    (
        "Kids & Family",
        &[
            "Education for Kids",
            "Parenting",
            "Pets & Animals",
            "Stories for Kids",
        ],
    ),
    (
        "Leisure",
        &[
            "Animation & Manga",
            "Automotive",
            "Aviation",
            "Crafts",
            "Games",
            "Hobbies",
            "Home & Garden",
            "Video Games",
        ],
    ),
    (
        "Music",
        &["Music Commentary", "Music History", "Music Interviews"],
    ),
    (
        "News",
        &[
            "Business News",
            "Daily News",
            "Entertainment News",
            "News Commentary",
            "Politics",
            "Sports News",
            "Tech News",
        ],
    ),
    (
        "Religion & Spirituality",
        &[
            "Buddhism",
            "Christianity",
            "Hinduism",
            "Islam",
            "Judaism",
            "Religion",
            "Spirituality",
        ],
    ),
    (
        "Science",
        &[
            "Astronomy",
            "Chemistry",
            "Earth Sciences",
            "Life Sciences",
            "Mathematics",
            "Natural Sciences",
            "Nature",
            "Physics",
            "Social Sciences",
        ],
    ),
    (
        "Society & Culture",
        &[
            "Documentary",
            "Personal Journals",
            "Philosophy",
            "Places & Travel",
            "Relationships",
        ],
    ),
    (
        "Sports",
        &[
            "Baseball",
            "Basketball",
            "Cricket",
            "Fantasy Sports",
            "Football",
            "Golf",
            "Hockey",
            "Rugby",
            "Running",
            "Soccer",
            "Swimming",
            "Tennis",
            "Volleyball",
            "Wilderness",
            "Wrestling",
        ],
    ),
    ("Technology", &[]),
    ("True Crime", &[]),
    (
        "TV & Film",
        &[
            "After Shows",
            "Film History",
            "Film Interviews",
            "Film Reviews",
            "TV Reviews",
        ],
    ),
];

/// Whether `parent` (and `sub`, if given) is on Apple's list, with exact spelling and case.
pub fn is_apple_category(parent: &str, sub: Option<&str>) -> bool {
    APPLE_CATEGORIES
        .iter()
        .find(|(p, _)| *p == parent)
        .is_some_and(|(_, subs)| sub.is_none_or(|s| subs.contains(&s)))
}

/// Every valid category as `Parent` or `Parent > Sub`, in Apple's order: the spellings a hint can offer.
pub fn apple_category_paths() -> Vec<String> {
    let mut paths = Vec::with_capacity(110);
    for (parent, subs) in APPLE_CATEGORIES {
        paths.push((*parent).to_owned());
        for sub in *subs {
            paths.push(format!("{parent} > {sub}"));
        }
    }
    paths
}

/// The nearest valid category path to a misspelt one (`Technolgy` → `Technology`, `Comedy > Stand-up` →
/// `Comedy > Stand-Up`), or `None` when nothing is close.
pub fn nearest_apple_category(parent: &str, sub: Option<&str>) -> Option<String> {
    let wanted = match sub {
        Some(s) => format!("{parent} > {s}"),
        None => parent.to_owned(),
    };
    let paths = apple_category_paths();
    crate::diag::suggest::did_you_mean(&wanted, paths.iter().map(String::as_str)).map(str::to_owned)
}

/// Categories Apple retired (most in 2019), with where their shows belong now. `Parent > *` stands for
/// every subcategory of a retired parent. The retired names are those the W3C feed validator lists as
/// obsolete; the replacements are castkit's reading of Apple's current list.
pub const OBSOLETE_APPLE_CATEGORIES: &[(&str, &str)] = &[
    ("Arts > Literature", "Arts > Books"),
    ("Arts & Entertainment > *", "Arts"),
    ("Audio Blogs", "Society & Culture > Personal Journals"),
    ("Business > Business News", "News > Business News"),
    ("Business > Finance", "Business > Investing"),
    ("Business > Management & Marketing", "Business > Management"),
    ("Business > News", "News > Business News"),
    ("Business > Shopping", "Leisure"),
    ("Education > Education Technology", "Education"),
    ("Education > Educational Technology", "Education"),
    ("Education > Higher Education", "Education > Courses"),
    ("Education > K-12", "Kids & Family > Education for Kids"),
    (
        "Education > Language Courses",
        "Education > Language Learning",
    ),
    ("Education > Training", "Education > Courses"),
    ("Family", "Kids & Family"),
    ("Food", "Arts > Food"),
    ("Games & Hobbies > Other Games", "Leisure > Games"),
    ("Games & Hobbies > *", "Leisure"),
    (
        "Government & Organizations > Non-Profit",
        "Business > Non-Profit",
    ),
    ("Government & Organizations > *", "Government"),
    (
        "Health > Alternative Health",
        "Health & Fitness > Alternative Health",
    ),
    ("Health > Diet & Nutrition", "Health & Fitness > Nutrition"),
    (
        "Health > Fitness & Nutrition",
        "Health & Fitness > Nutrition",
    ),
    ("Health > Fitness", "Health & Fitness > Fitness"),
    (
        "Health > Relationships",
        "Society & Culture > Relationships",
    ),
    ("Health > Self-Help", "Education > Self-Improvement"),
    ("Health > Sexuality", "Health & Fitness > Sexuality"),
    ("Health > *", "Health & Fitness"),
    ("International > *", "Society & Culture"),
    ("Movies & Television > *", "TV & Film"),
    ("News & Politics > *", "News"),
    ("Politics", "News > Politics"),
    ("Public Radio", "News"),
    (
        "Religion & Spirituality > New Age",
        "Religion & Spirituality > Spirituality",
    ),
    (
        "Religion & Spirituality > Philosophy",
        "Society & Culture > Philosophy",
    ),
    ("Religion & Spirituality > Other", "Religion & Spirituality"),
    (
        "Science & Medicine > Medicine",
        "Health & Fitness > Medicine",
    ),
    (
        "Science & Medicine > Natural Sciences",
        "Science > Natural Sciences",
    ),
    (
        "Science & Medicine > Social Sciences",
        "Science > Social Sciences",
    ),
    ("Science & Medicine > *", "Science"),
    ("Society & Culture > History", "History"),
    ("Sports & Recreation > *", "Sports"),
    ("Talk Radio", "News > News Commentary"),
    ("Technology > Software How-To", "Education > How To"),
    ("Technology > Tech News", "News > Tech News"),
    ("Technology > News", "News > Tech News"),
    ("Technology > Computers", "Technology"),
    ("Technology > Gadgets", "Technology"),
    ("Technology > Podcasting", "Technology"),
    ("Transportation > Automotive", "Leisure > Automotive"),
    ("Transportation > Aviation", "Leisure > Aviation"),
    ("Transportation > *", "Leisure"),
    ("Travel", "Society & Culture > Places & Travel"),
];

/// Where a retired category's shows belong now (`Games & Hobbies > Video Games` → `Leisure`), if it is
/// one of the retired ones.
pub fn obsolete_apple_category(parent: &str, sub: Option<&str>) -> Option<&'static str> {
    if is_apple_category(parent, sub) {
        return None;
    }
    let exact = match sub {
        Some(s) => format!("{parent} > {s}"),
        None => parent.to_owned(),
    };
    let any_sub = format!("{parent} > *");
    OBSOLETE_APPLE_CATEGORIES
        .iter()
        .find(|(old, _)| *old == exact)
        .or_else(|| {
            // `Health > *` covers `Health` alone too, but `Technology > *` must not cover `Technology`,
            // which is current (caught above).
            OBSOLETE_APPLE_CATEGORIES
                .iter()
                .find(|(old, _)| *old == any_sub)
        })
        .map(|(_, new)| *new)
}

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

/// Values of `podcast:medium` (<https://podcastindex.org/namespace/1.0#medium>), including list variants.
pub const MEDIUMS: &[&str] = &[
    "podcast",
    "music",
    "video",
    "film",
    "audiobook",
    "newsletter",
    "blog",
    "publisher",
    "course",
    "mixed",
    "podcastL",
    "musicL",
    "videoL",
    "filmL",
    "audiobookL",
    "newsletterL",
    "blogL",
    "publisherL",
    "courseL",
];

/// The podcast:guid namespace UUID (`ead4c236-bf58-58c6-a2c6-a6b28d128cb6`), fixed by the specification.
pub const PODCAST_GUID_NAMESPACE: uuid::Uuid = uuid::uuid!("ead4c236-bf58-58c6-a2c6-a6b28d128cb6");

/// Whether `s` is a bare email address (`someone@example.com`): what `itunes:email`, `podcast:locked owner`
/// and the catalogue's owner email must be. No display name, spaces, quotes or brackets.
pub fn is_email_address(s: &str) -> bool {
    s.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
    }) && !s.contains(|c: char| {
        c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')' | ',' | ';' | '"')
    })
}

/// Whether `s` is a language code as feeds use them: an ISO 639 code of 2–3 letters, then optional
/// subtags of 1–8 letters or digits (`en`, `en-us`, `zh-Hans-CN`, `x-…` private-use parts).
pub fn is_language_code(s: &str) -> bool {
    let mut parts = s.split('-');
    parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()))
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The `podcast:guid` of a feed URL: UUIDv5 of the URL with its scheme and trailing slashes removed, as the
/// namespace specifies (<https://podcastindex.org/namespace/1.0#guid>).
pub fn podcast_guid_for_feed_url(feed_url: &str) -> uuid::Uuid {
    let without_scheme = match feed_url.find("://") {
        Some(i) => &feed_url[i + 3..],
        None => feed_url,
    };
    let name = without_scheme.trim_end_matches('/');
    uuid::Uuid::new_v5(&PODCAST_GUID_NAMESPACE, name.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apple_list_has_19_parents_and_110_entries() {
        assert_eq!(APPLE_CATEGORIES.len(), 19);
        assert_eq!(apple_category_paths().len(), 110);
    }

    #[test]
    fn category_matching_is_exact_and_hints_are_close() {
        assert!(is_apple_category(
            "Religion & Spirituality",
            Some("Religion")
        ));
        assert!(is_apple_category("Technology", None));
        assert!(!is_apple_category("technology", None));
        assert!(!is_apple_category("Comedy", Some("Stand-up")));
        assert_eq!(
            nearest_apple_category("Comedy", Some("Stand-up")).as_deref(),
            Some("Comedy > Stand-Up")
        );
        assert_eq!(
            nearest_apple_category("Technolgy", None).as_deref(),
            Some("Technology")
        );
    }

    #[test]
    fn retired_categories_point_to_their_successors() {
        assert_eq!(
            obsolete_apple_category("Travel", None),
            Some("Society & Culture > Places & Travel")
        );
        assert_eq!(
            obsolete_apple_category("Games & Hobbies", Some("Video Games")),
            Some("Leisure")
        );
        assert_eq!(
            obsolete_apple_category("Technology", Some("Software How-To")),
            Some("Education > How To")
        );
        assert_eq!(
            obsolete_apple_category("Technology", None),
            None,
            "Technology itself is current"
        );
        // No replacement names a category that is itself not on Apple's list.
        for (_, new) in OBSOLETE_APPLE_CATEGORIES {
            let (p, s) = match new.split_once(" > ") {
                Some((p, s)) => (p, Some(s)),
                None => (*new, None),
            };
            assert!(is_apple_category(p, s), "{new}");
        }
    }

    #[test]
    fn email_addresses_and_language_codes() {
        // Addresses from the W3C validator's valid and invalid contact cases.
        for ok in [
            "user@example.com",
            "P.O'Neill@example.ie",
            "me+folder@example.com",
        ] {
            assert!(is_email_address(ok), "{ok}");
        }
        for bad in [
            "Mark Pilgrim",
            "Me (me@example.com)",
            "me@example",
            "@example.com",
            "a@b@c.com",
            "",
        ] {
            assert!(!is_email_address(bad), "{bad}");
        }
        for ok in ["en", "en-US", "zh-Hans-CN", "haw", "en-x-pirate"] {
            assert!(is_language_code(ok), "{ok}");
        }
        for bad in ["english", "e", "en_US", "en-", "en-toolongsubtag", ""] {
            assert!(!is_language_code(bad), "{bad}");
        }
    }

    #[test]
    fn podcast_guid_matches_the_specification_examples() {
        // Both examples are from the namespace's guid documentation.
        assert_eq!(
            podcast_guid_for_feed_url("https://mp3s.nashownotes.com/pc20rss.xml").to_string(),
            "917393e3-1b1e-5cef-ace4-edaa54e1f810"
        );
        assert_eq!(
            podcast_guid_for_feed_url("https://podnews.net/rss/").to_string(),
            "9b024349-ccf0-5f69-a609-6b82873eab3c"
        );
    }

    #[test]
    fn person_taxonomy_is_case_insensitive() {
        assert_eq!(person_role_group("host"), Some("Cast"));
        assert_eq!(person_role_group("TRANSLATOR"), Some("Writing"));
        assert!(person_role_in_group("editor", "video post-production"));
        assert_eq!(person_group("cast"), Some("Cast"));
        assert_eq!(person_role_group("dictator"), None);
    }
}
