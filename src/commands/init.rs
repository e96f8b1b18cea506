//! `castkit init [DIR]`: survey `DIR/media/`, ask on a terminal for the show's facts no flag gave, write
//! `DIR/episodes.toml` (never over an existing one) or print it with `--stdout`.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::Context;
use castkit::ExitStatus;
use castkit::init::{self, BaseUrl, ShowFacts, Survey};
use castkit::vocab::{Email, Language};

use super::ui::Ui;
use crate::cli::InitArgs;

/// Runs the command.
pub(crate) fn run(args: &InitArgs, ui: Ui) -> anyhow::Result<ExitStatus> {
    let mut facts = facts_from_flags(args)?;
    if !args.stdout {
        init::ensure_no_catalogue(&args.dir)?;
    }
    let survey = init::survey(&args.dir)?;
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        prompt_missing(
            &mut facts,
            &survey,
            &mut stdin.lock(),
            &mut std::io::stderr(),
        )
        .context("cannot read the answers from the terminal")?;
    }
    let scaffold = init::render(&survey, &facts);

    let shown = if args.stdout {
        std::io::stdout()
            .lock()
            .write_all(scaffold.text.as_bytes())?;
        init::CATALOGUE_NAME.to_owned()
    } else {
        init::write_new(&args.dir, &scaffold.text)?
            .display()
            .to_string()
    };
    let mut err = std::io::stderr().lock();
    for skipped in &survey.skipped {
        ui.say(&mut err, format_args!("warning: left out {skipped}"))?;
    }
    for todo in &scaffold.todos {
        ui.say(
            &mut err,
            format_args!(
                "warning: {shown}:{}: `{}`: {}",
                todo.line, todo.field, todo.what
            ),
        )?;
    }
    let episodes = match survey.episodes.len() {
        1 => "1 episode".to_owned(),
        n => format!("{n} episodes"),
    };
    if args.stdout {
        ui.say(
            &mut err,
            format_args!("printed a catalogue with {episodes}"),
        )?;
    } else {
        ui.say(&mut err, format_args!("wrote `{shown}` with {episodes}"))?;
        ui.say(
            &mut err,
            format_args!(
                "next: fill in the lines marked TODO, then run `castkit build-feed{}`",
                if args.dir == std::path::Path::new(".") {
                    String::new()
                } else {
                    format!(" --catalogue {shown}")
                }
            ),
        )?;
    }
    Ok(ExitStatus::Success)
}

/// The flags, each checked the way the catalogue checks its field.
fn facts_from_flags(args: &InitArgs) -> anyhow::Result<ShowFacts> {
    let text = |flag: &str, value: &Option<String>| -> anyhow::Result<Option<String>> {
        match value.as_deref().map(str::trim) {
            Some("") => anyhow::bail!("`--{flag}` is empty; give a value or leave the flag out"),
            other => Ok(other.map(str::to_owned)),
        }
    };
    Ok(ShowFacts {
        title: text("title", &args.title)?,
        base_url: args
            .base_url
            .as_deref()
            .map(BaseUrl::parse)
            .transpose()
            .map_err(anyhow::Error::msg)?,
        author: text("author", &args.author)?,
        email: args
            .email
            .as_deref()
            .map(|e| Email::parse(e).ok_or_else(|| email_error(e)))
            .transpose()?,
        language: args
            .language
            .as_deref()
            .map(|l| Language::parse(l).ok_or_else(|| language_error(l)))
            .transpose()?,
        categories: args
            .category
            .iter()
            .map(|c| init::parse_category(c).map_err(anyhow::Error::msg))
            .collect::<anyhow::Result<_>>()?,
    })
}

fn email_error(text: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "`--email {}` is not an email address; write the bare address, e.g. `podcast@example.com`",
        text.trim()
    )
}

fn language_error(text: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "`--language {}` is not an ISO 639 language code; write one such as `en`, `en-us` or `zh-cn`",
        text.trim()
    )
}

/// Asks for each show fact no flag gave, showing the guess from the tags (Enter keeps it; an empty answer
/// without a guess leaves a placeholder). A wrong answer is explained and asked again; the end of input
/// stops the questions.
fn prompt_missing(
    facts: &mut ShowFacts,
    survey: &Survey,
    input: &mut impl BufRead,
    out: &mut impl Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "castkit init: {} in media/. A few questions about the show (Enter keeps the suggestion in [brackets], or leaves a TODO):",
        match survey.episodes.len() {
            1 => "1 episode".to_owned(),
            n => format!("{n} episodes"),
        }
    )?;
    if facts.title.is_none() {
        let guess = survey.album.as_ref().map(|a| a.value.as_str());
        facts.title = ask(input, out, "The show's name", guess, |s| Ok(s.to_owned()))?;
    }
    if facts.base_url.is_none() {
        facts.base_url = ask(
            input,
            out,
            "The address public/ and media/ will be served from (https://…)",
            None,
            BaseUrl::parse,
        )?;
    }
    if facts.author.is_none() {
        let guess = survey.artist.as_ref().map(|a| a.value.as_str());
        facts.author = ask(
            input,
            out,
            "The person, group or network behind the show",
            guess,
            |s| Ok(s.to_owned()),
        )?;
    }
    if facts.email.is_none() {
        facts.email = ask(
            input,
            out,
            "The owner's email, for directories",
            None,
            |s| Email::parse(s).ok_or_else(|| email_error(s).to_string()),
        )?;
    }
    if facts.language.is_none() {
        facts.language = ask(input, out, "The show's language", Some("en"), |s| {
            Language::parse(s).ok_or_else(|| language_error(s).to_string())
        })?;
    }
    if facts.categories.is_empty() {
        let guess: Vec<String> = survey
            .genres
            .iter()
            .map(|g| {
                let c = g.value;
                c.sub().map_or_else(
                    || c.parent().to_owned(),
                    |s| format!("{} > {s}", c.parent()),
                )
            })
            .collect();
        let guess = guess.join(", ");
        facts.categories = ask(
            input,
            out,
            "Apple categories, separated by commas (e.g. `Technology, News > Politics`)",
            (!guess.is_empty()).then_some(guess.as_str()),
            |s| {
                s.split(',')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(init::parse_category)
                    .collect()
            },
        )?
        .unwrap_or_default();
    }
    Ok(())
}

/// One question: the answer parsed, the guess when the answer is empty, `None` when there is neither (or
/// the input ended).
fn ask<T>(
    input: &mut impl BufRead,
    out: &mut impl Write,
    question: &str,
    guess: Option<&str>,
    parse: impl Fn(&str) -> Result<T, String>,
) -> std::io::Result<Option<T>> {
    loop {
        match guess {
            Some(g) => write!(out, "{question} [{g}]: ")?,
            None => write!(out, "{question}: ")?,
        }
        out.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            writeln!(out)?;
            return Ok(None);
        }
        let answer = match line.trim() {
            "" => match guess {
                Some(g) => g,
                None => return Ok(None),
            },
            answer => answer,
        };
        match parse(answer) {
            Ok(value) => return Ok(Some(value)),
            Err(why) => writeln!(out, "  {why}")?,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty_survey() -> Survey {
        Survey {
            dir: std::path::PathBuf::from("."),
            episodes: Vec::new(),
            cover: init::Cover::Missing("none".to_owned()),
            album: None,
            artist: None,
            genres: Vec::new(),
            skipped: Vec::new(),
        }
    }

    #[test]
    fn prompts_ask_again_after_a_wrong_answer_and_keep_guesses_on_enter() {
        let answers = "My Show\nnot a url\nhttps://example.org/show\n\nme@\nme@example.org\n\nTechnolgy\nTechnology, news > politics\n";
        let mut facts = ShowFacts::default();
        let mut out = Vec::new();
        prompt_missing(
            &mut facts,
            &empty_survey(),
            &mut answers.as_bytes(),
            &mut out,
        )
        .unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(facts.title.as_deref(), Some("My Show"));
        assert_eq!(
            facts.base_url.as_ref().map(BaseUrl::feed_url).as_deref(),
            Some("https://example.org/show/feed.xml")
        );
        // Enter without a guess leaves the author to a placeholder.
        assert_eq!(facts.author, None);
        assert_eq!(
            facts.email.as_ref().map(Email::as_str),
            Some("me@example.org")
        );
        // Enter keeps the suggested `en`.
        assert_eq!(facts.language.as_ref().map(Language::as_str), Some("en"));
        assert_eq!(facts.categories.len(), 2);
        assert!(out.contains("is not an absolute http(s) URL"), "{out}");
        assert!(out.contains("did you mean `Technology`?"), "{out}");
    }

    #[test]
    fn the_end_of_input_stops_the_questions() {
        let mut facts = ShowFacts::default();
        let mut out = Vec::new();
        prompt_missing(
            &mut facts,
            &empty_survey(),
            &mut "Title\n".as_bytes(),
            &mut out,
        )
        .unwrap();
        assert_eq!(facts.title.as_deref(), Some("Title"));
        assert!(facts.base_url.is_none() && facts.categories.is_empty());
    }
}
