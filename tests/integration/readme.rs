//! The README is the catalogue's reference: every field castkit accepts is documented there, and every
//! documented field is accepted. Read from the real binary: an unknown field with no near match makes castkit
//! list the fields of its table.

use std::collections::BTreeSet;

use crate::support::{SHOW, ShowDir, repo_root, stderr_of};

/// The field names in the first column of the README table under `heading`.
fn documented(readme: &str, heading: &str) -> BTreeSet<String> {
    let start = readme
        .find(heading)
        .unwrap_or_else(|| panic!("README has no `{heading}` section"));
    readme[start..]
        .lines()
        .skip(1)
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .filter_map(|l| {
            let cell = l.split('|').nth(1)?.trim();
            let name = cell.strip_prefix('`')?.split('`').next()?;
            // `[[show.person]]` documents the `person` key of `[show]`.
            let name = name.trim_start_matches("[[").trim_end_matches("]]");
            Some(name.rsplit('.').next().unwrap_or(name).to_owned())
        })
        .collect()
}

/// The fields castkit lists for the table that holds the unknown key `zzzzzzzzzzzz`.
fn accepted(catalogue: &str, context: &str) -> BTreeSet<String> {
    let show = ShowDir::new();
    show.audio("one.mp3").catalogue(catalogue);
    let out = show.castkit().arg("build-feed").output().unwrap();
    let err = stderr_of(&out);
    let marker = format!("the fields of {context} are: ");
    let line = err
        .lines()
        .find_map(|l| l.split_once(&marker).map(|(_, rest)| rest.to_owned()))
        .unwrap_or_else(|| panic!("no field list for {context} in:\n{err}"));
    line.split(", ").map(str::to_owned).collect()
}

const EPISODE: &str =
    "\n[[episode]]\ntitle = \"One\"\naudio = \"media/one.mp3\"\npublished = 2024-03-01T09:00:00Z\n";

#[test]
fn every_catalogue_field_is_documented_and_every_documented_field_exists() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let junk = "zzzzzzzzzzzz = 1\n";
    let cases = [
        ("### `[show]`", format!("{SHOW}{junk}"), "`[show]`"),
        (
            "### `[[episode]]`",
            format!("{SHOW}{EPISODE}{junk}"),
            "episode #1",
        ),
        (
            "### Persons",
            format!("{SHOW}{EPISODE}[[episode.person]]\nname = \"A\"\n{junk}"),
            "`[[episode.person]]` of episode #1 #1",
        ),
        (
            "### `[build]`",
            format!("{SHOW}[build]\nagainst = \"published.xml\"\n{junk}"),
            "`[build]`",
        ),
        (
            "#### `[site]`",
            format!("{SHOW}[site]\nenabled = true\n{junk}"),
            "`[site]`",
        ),
        (
            "### Chapters (",
            format!("{SHOW}{EPISODE}[[episode.chapter]]\nstart = 0\ntitle = \"A\"\n{junk}"),
            "chapter 1 of episode #1",
        ),
        (
            "#### Value blocks (",
            format!("{SHOW}[[show.value]]\n{junk}"),
            "`[[show.value]]` #1",
        ),
        (
            "#### Recipients (",
            format!(
                "{SHOW}[[show.value]]\n[[show.value.recipient]]\naddress = \"a@b.example\"\nsplit = 1\n{junk}"
            ),
            "recipient 1 of `[[show.value]]` #1",
        ),
        (
            "#### Time splits (",
            format!(
                "{SHOW}[[show.value]]\n[[show.value.time_split]]\nstart = 0\nduration = 1\n{junk}"
            ),
            "time split 1 of `[[show.value]]` #1",
        ),
        (
            "#### Remote items (",
            format!(
                "{SHOW}[[show.podroll]]\nfeed_guid = \"917393e3-1b1e-5cef-ace4-edaa54e1f810\"\n{junk}"
            ),
            "`[[show.podroll]]` #1",
        ),
        (
            "#### Text records (",
            format!("{SHOW}[[show.txt]]\ntext = \"x\"\n{junk}"),
            "`[[show.txt]]` #1",
        ),
        (
            "#### Release schedule (",
            format!("{SHOW}[show.update_frequency]\ntext = \"Weekly\"\n{junk}"),
            "`update_frequency` in `[show]`",
        ),
        (
            "#### Comments (",
            format!("{SHOW}[[show.social_interact]]\nprotocol = \"disabled\"\n{junk}"),
            "`[[show.social_interact]]` #1",
        ),
        (
            "#### Chat (",
            format!("{SHOW}[show.chat]\nserver = \"irc.example.com\"\nprotocol = \"irc\"\n{junk}"),
            "`chat` in `[show]`",
        ),
        (
            "#### Artwork (",
            format!("{SHOW}[[show.artwork]]\nfile = \"https://example.com/a.jpg\"\n{junk}"),
            "`[[show.artwork]]` #1",
        ),
        (
            "#### Content links (",
            format!(
                "{SHOW}{EPISODE}[[episode.content_link]]\nhref = \"https://example.com/\"\ntext = \"x\"\n{junk}"
            ),
            "`[[episode.content_link]]` #1 of episode #1",
        ),
        (
            "#### Live streams (",
            format!("{SHOW}{EPISODE}[episode.live]\nstatus = \"live\"\n{junk}"),
            "`live` in episode #1",
        ),
        (
            "### Transcripts (",
            format!("{SHOW}{EPISODE}[[episode.transcript]]\nfile = \"media/x.vtt\"\n{junk}"),
            "transcript 1 of episode #1",
        ),
    ];
    for (heading, catalogue, context) in cases {
        assert_eq!(
            documented(&readme, heading),
            accepted(&catalogue, context),
            "README section {heading} and the fields castkit accepts differ"
        );
    }
}

/// Every diagnostic code castkit can emit is in the README's tables, with its name and severity, and the
/// tables list no code castkit does not have.
#[test]
fn every_rule_is_documented_with_its_name_and_severity() {
    let readme = std::fs::read_to_string(crate::support::repo_root().join("README.md")).unwrap();
    let rows: BTreeSet<String> = readme
        .lines()
        .filter(|l| l.starts_with("| C0") || l.starts_with("| D") || l.starts_with("| F"))
        .map(|l| l.split('|').take(4).collect::<Vec<_>>().join("|"))
        .collect();
    let rules: BTreeSet<String> = castkit::registry::all()
        .map(|r| format!("| {} | {} | {} ", r.code, r.name, r.severity))
        .collect();
    let missing: Vec<&String> = rules.difference(&rows).collect();
    let extra: Vec<&String> = rows.difference(&rules).collect();
    assert!(
        missing.is_empty(),
        "rules missing from the README: {missing:#?}"
    );
    assert!(
        extra.is_empty(),
        "README rows that match no rule: {extra:#?}"
    );
}
