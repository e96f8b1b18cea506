//! Apple Podcasts' category list, the categories Apple retired, and the [`Category`] type every part of
//! castkit parses a category through (catalogue, feed writer, validator).

/// One of Apple's categories: a parent and, optionally, one of its subcategories, spelt exactly as Apple
/// lists them. The only way to make one is [`Category::lookup`], so a `Category` is always on Apple's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Category {
    parent: &'static str,
    sub: Option<&'static str>,
}

impl Category {
    /// The category `parent` (and `sub`, if given) when it is on Apple's list, with exact spelling and
    /// case.
    pub fn lookup(parent: &str, sub: Option<&str>) -> Option<Category> {
        let (p, subs) = APPLE_CATEGORIES.iter().find(|(p, _)| *p == parent)?;
        let sub = match sub {
            Some(s) => Some(*subs.iter().find(|x| **x == s)?),
            None => None,
        };
        Some(Category { parent: p, sub })
    }

    /// The top-level category.
    pub fn parent(self) -> &'static str {
        self.parent
    }

    /// The subcategory, if any.
    pub fn sub(self) -> Option<&'static str> {
        self.sub
    }
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
    Category::lookup(parent, sub).is_some()
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
}
