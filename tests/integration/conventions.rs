//! Command-line conventions every command follows (issue 13): shell completions and man pages that the
//! shells and `man` themselves accept, `--quiet` and `--verbose`, `--color` with `NO_COLOR`, and an
//! `Examples:` section at the end of every `--help` whose commands really run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::{
    EXAMPLE_MP3, SHOW, ShowDir, castkit, ffmpeg_decoded_samples, have_tool, repo_root, stderr_of,
};

/// Every command castkit has. `castkit --help` must list exactly these (see
/// [`the_command_list_is_complete`]): a new command is added here and so gets every check below.
const COMMANDS: &[&str] = &[
    "build-feed",
    "probe",
    "tag",
    "validate",
    "diff",
    "import",
    "init",
    "serve",
    "completions",
    "man",
];

fn stdout_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The text with every `ESC [ … m` (SGR) sequence removed; fails on any other escape sequence.
fn strip_sgr(styled: &str) -> String {
    let mut out = String::new();
    let mut rest = styled;
    while let Some(at) = rest.find('\x1b') {
        out.push_str(&rest[..at]);
        let after = rest[at..]
            .strip_prefix("\x1b[")
            .unwrap_or_else(|| panic!("an escape that is not CSI in {styled:?}"));
        let end = after
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .expect("a CSI sequence ends");
        assert_eq!(&after[end..=end], "m", "only SGR sequences: {styled:?}");
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// A castkit command with no colour variables from the environment running the tests.
fn plain_env(mut cmd: assert_cmd::Command) -> assert_cmd::Command {
    for var in ["NO_COLOR", "CLICOLOR_FORCE", "CLICOLOR"] {
        cmd.env_remove(var);
    }
    cmd
}

/// Whether a shell is installed; unlike [`have_tool`], never required (CI installs bash only).
fn have_optional_shell(name: &str) -> bool {
    let found = Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("skipped: `{name}` is not installed, so its completion script is not checked");
    }
    found
}

// ── The command list ────────────────────────────────────────────────────────────────────────────────

/// The commands under `Commands:` in `castkit --help` (clap's help, not the completion or man generators).
fn commands_in_help() -> Vec<String> {
    let out = castkit().arg("--help").output().unwrap();
    stdout_of(&out)
        .lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .filter(|c| c != "help")
        .collect()
}

#[test]
fn the_command_list_is_complete() {
    assert_eq!(commands_in_help(), COMMANDS);
}

// ── Completions ─────────────────────────────────────────────────────────────────────────────────────

fn completion_script(shell: &str) -> String {
    let out = castkit().args(["completions", shell]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(out.stderr.is_empty(), "{}", stderr_of(&out));
    stdout_of(&out)
}

/// Runs `script` in bash after sourcing the completion script; its stdout.
fn in_bash_with_completions(script: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("castkit.bash");
    std::fs::write(&file, completion_script("bash")).unwrap();
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!("source {}\n{script}", file.display()))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    stdout_of(&out)
}

/// What bash offers after `words` (the last one being completed), as bash-completion calls the function.
fn bash_completes(words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let current = words.len() - 1;
    let previous = words[current.saturating_sub(1)];
    let script = format!(
        "COMP_WORDS=({words}); COMP_CWORD={current}; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}\n\
         _castkit castkit '{cur}' '{previous}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"",
        words = quoted.join(" "),
        line = words.join(" "),
        cur = words[current],
    );
    in_bash_with_completions(&script)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_bash_script_parses_registers_a_function_and_completes_commands_flags_and_values() {
    assert!(have_tool("bash"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("castkit.bash");
    std::fs::write(&file, completion_script("bash")).unwrap();
    let syntax = Command::new("bash").arg("-n").arg(&file).output().unwrap();
    assert!(syntax.status.success(), "{}", stderr_of(&syntax));

    let registered = in_bash_with_completions("complete -p castkit");
    let function = registered
        .split_whitespace()
        .skip_while(|w| *w != "-F")
        .nth(1)
        .unwrap_or_else(|| panic!("`complete -p castkit` names no function: {registered}"));
    let declared = in_bash_with_completions(&format!("type -t {function}"));
    assert_eq!(declared.trim(), "function");

    let commands = bash_completes(&["castkit", ""]);
    for command in COMMANDS {
        assert!(
            commands.iter().any(|c| c == command),
            "{command} not in {commands:?}"
        );
    }
    assert_eq!(bash_completes(&["castkit", "bui"]), ["build-feed"]);
    assert_eq!(
        bash_completes(&["castkit", "build-feed", "--loc"]),
        ["--locked"]
    );
    assert_eq!(bash_completes(&["castkit", "probe", "--qu"]), ["--quiet"]);
    let mut colours = bash_completes(&["castkit", "validate", "--color", ""]);
    colours.sort();
    assert_eq!(colours, ["always", "auto", "never"]);
    let mut shells = bash_completes(&["castkit", "completions", ""]);
    shells.retain(|w| !w.starts_with('-'));
    shells.sort();
    assert_eq!(shells, ["bash", "elvish", "fish", "powershell", "zsh"]);
}

#[test]
fn the_zsh_and_fish_scripts_parse_in_their_shells() {
    for (shell, check) in [("zsh", "-n"), ("fish", "--no-execute")] {
        let script = completion_script(shell);
        for command in COMMANDS {
            assert!(script.contains(command), "{shell}: no `{command}`");
        }
        if !have_optional_shell(shell) {
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(format!("castkit.{shell}"));
        std::fs::write(&file, script).unwrap();
        let out = Command::new(shell).arg(check).arg(&file).output().unwrap();
        assert!(out.status.success(), "{shell}: {}", stderr_of(&out));
    }
}

#[test]
fn the_powershell_and_elvish_scripts_name_every_command() {
    // How each script offers a command: PowerShell a `CompletionResult`, elvish a `cand`idate.
    let offers = [
        ("powershell", "[CompletionResult]::new('{}', '{}'"),
        ("elvish", "cand {} '"),
    ];
    for (shell, offer) in offers {
        let script = completion_script(shell);
        assert!(script.len() > 1000, "{shell}: {} bytes", script.len());
        for name in COMMANDS.iter().chain(&["--locked", "--quiet", "--color"]) {
            let expected = offer.replace("{}", name);
            assert!(script.contains(&expected), "{shell}: no `{expected}`");
        }
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let out = castkit().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("bash"), "{}", stderr_of(&out));
    assert!(out.stdout.is_empty());
}

// ── Man pages ───────────────────────────────────────────────────────────────────────────────────────

/// A man page as `man -l` renders it to a pipe (plain text), wide enough that no flag is hyphenated.
fn rendered_by_man(page: &Path) -> String {
    let out = Command::new("man")
        .arg("-l")
        .arg(page)
        .env("MANWIDTH", "250")
        .env("MAN_KEEP_FORMATTING", "")
        .env_remove("MANPAGER")
        .env_remove("PAGER")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(out.stderr.is_empty(), "man warns: {}", stderr_of(&out));
    stdout_of(&out)
}

/// The long flags `castkit COMMAND --help` lists (clap's help, not the man page generator).
fn long_flags_in_help(command: &str) -> Vec<String> {
    let out = castkit().args([command, "--help"]).output().unwrap();
    let mut flags: Vec<String> = stdout_of(&out)
        .lines()
        .filter_map(|l| {
            let l = l.trim_start();
            let l = l
                .strip_prefix("-")
                .and_then(|l| l.split_once(", "))
                .map_or(l, |(_, rest)| rest);
            l.strip_prefix("--")
                .map(|rest| rest.split([' ', '=']).next().unwrap_or(""))
                .map(|name| format!("--{name}"))
        })
        .collect();
    flags.dedup();
    flags
}

#[test]
fn man_prints_castkits_page_which_man_renders_with_every_command() {
    assert!(have_tool("man"));
    let out = castkit().arg("man").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("castkit.1");
    std::fs::write(&page, &out.stdout).unwrap();
    let text = rendered_by_man(&page);
    assert!(text.starts_with("castkit(1)"), "{text}");
    for command in COMMANDS {
        assert!(
            text.contains(&format!("castkit-{command}(1)")),
            "no {command}:\n{text}"
        );
    }
    for flag in ["--quiet", "--verbose", "--color"] {
        assert!(text.contains(flag), "no {flag}:\n{text}");
    }
    assert!(text.contains("EXAMPLES"), "{text}");
    assert!(
        text.contains("       castkit validate public/feed.xml\n"),
        "{text}"
    );
}

#[test]
fn man_dir_writes_a_page_per_command_that_man_renders_with_every_flag() {
    assert!(have_tool("man"));
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("share/man/man1");
    let out = castkit()
        .arg("man")
        .arg("--dir")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let mut written: Vec<String> = std::fs::read_dir(&target)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    let mut expected: Vec<String> = COMMANDS.iter().map(|c| format!("castkit-{c}.1")).collect();
    expected.push("castkit.1".to_owned());
    expected.sort();
    assert_eq!(
        written, expected,
        "exactly one page per command, no temporary file left"
    );
    for name in &expected {
        assert!(
            stderr_of(&out).contains(&format!("wrote `{}`", target.join(name).display())),
            "{}",
            stderr_of(&out)
        );
    }

    for command in COMMANDS {
        let text = rendered_by_man(&target.join(format!("castkit-{command}.1")));
        assert!(text.starts_with(&format!("castkit-{command}(1)")), "{text}");
        let flags = long_flags_in_help(command);
        assert!(flags.contains(&"--help".to_owned()), "{command}: {flags:?}");
        for flag in flags {
            assert!(
                text.contains(&flag),
                "castkit-{command}(1) lacks {flag}:\n{text}"
            );
        }
    }
    let build_feed = long_flags_in_help("build-feed");
    for flag in [
        "--locked",
        "--against",
        "--no-against",
        "--id3-version",
        "--quiet",
    ] {
        assert!(build_feed.contains(&flag.to_owned()), "{build_feed:?}");
    }

    // Again, quietly: the same pages, nothing said.
    let again = castkit()
        .args(["man", "-q", "--dir"])
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(0));
    assert!(again.stderr.is_empty(), "{}", stderr_of(&again));
}

#[test]
fn man_dir_on_a_file_says_which_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("man1");
    std::fs::write(&file, "not a folder").unwrap();
    let out = castkit()
        .arg("man")
        .arg("--dir")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(
        err.starts_with("error: cannot create the folder `"),
        "{err}"
    );
    assert!(err.contains("man1"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a folder");
}

// ── --quiet and --verbose ───────────────────────────────────────────────────────────────────────────

/// A show whose catalogue has one error (an audio file that is not there) and one warning (an `http:`
/// link), or only the warning.
fn show_with_findings(with_error: bool) -> ShowDir {
    let show = ShowDir::new();
    show.audio("one.mp3");
    let link = SHOW.replace("https://example.com/show\"", "http://example.com/show\"");
    assert_ne!(link, SHOW);
    let audio = if with_error {
        "media/missing.mp3"
    } else {
        "media/one.mp3"
    };
    show.catalogue(&format!(
        "{link}\n[[episode]]\ntitle = \"One\"\naudio = \"{audio}\"\npublished = 2024-03-01T09:00:00Z\nguid = \"one\"\n"
    ));
    show
}

/// A copy of the example show's feed, built, with an error (`itunes:explicit` of `maybe`) and a warning
/// (an `http:` enclosure) written into it.
fn feed_with_findings(show: &ShowDir) -> PathBuf {
    let out = show.castkit().arg("build-feed").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let feed = show.feed().unwrap();
    let broken = feed
        .replacen("<itunes:explicit>false", "<itunes:explicit>maybe", 1)
        .replacen("<enclosure url=\"https:", "<enclosure url=\"http:", 1);
    assert_ne!(broken, feed);
    let path = show.path().join("broken.xml");
    std::fs::write(&path, broken).unwrap();
    path
}

/// Runs `args` in `show` with no flag, `-q` and `-v`: the three outputs, whose exit codes must agree.
fn three_ways(show: &ShowDir, args: &[&str]) -> [Output; 3] {
    let outputs = [None, Some("-q"), Some("-v")].map(|flag| {
        plain_env(show.castkit())
            .args(args)
            .args(flag)
            .output()
            .unwrap()
    });
    let codes: Vec<Option<i32>> = outputs.iter().map(|o| o.status.code()).collect();
    assert!(
        codes.iter().all(|c| *c == codes[0]),
        "`castkit {}`: exit codes differ with -q/-v: {codes:?}",
        args.join(" ")
    );
    outputs
}

#[test]
fn quiet_build_feed_prints_only_errors_and_keeps_its_exit_codes() {
    let failing = show_with_findings(true);
    let [normal, quiet, _] = three_ways(&failing, &["build-feed"]);
    assert_eq!(normal.status.code(), Some(1));
    let (normal, quiet) = (stderr_of(&normal), stderr_of(&quiet));
    assert!(normal.contains("warning[C025]"), "{normal}");
    assert!(!quiet.contains("warning["), "{quiet}");
    assert!(quiet.starts_with("error[C009]"), "{quiet}");
    assert!(quiet.contains("missing.mp3"), "{quiet}");
    assert!(quiet.ends_with("error: the feed was not written (1 error, 1 warning, 1 note); `public/feed.xml` is unchanged\n"), "{quiet}");

    let passing = show_with_findings(false);
    let [normal, quiet, _] = three_ways(&passing, &["build-feed", "--no-against"]);
    assert_eq!(normal.status.code(), Some(0));
    assert!(
        stderr_of(&normal)
            .contains("wrote `public/feed.xml` with 1 episode, and its website (2 pages, written) (0 errors, 1 warning, 1 note)")
    );
    assert!(quiet.stderr.is_empty(), "{}", stderr_of(&quiet));
    assert!(quiet.stdout.is_empty());
    // The quiet build built: the feed is there (the verbose run after it found it unchanged).
    assert!(passing.feed().unwrap().contains("<title>One</title>"));
}

#[test]
fn verbose_build_feed_adds_each_episodes_duration_as_ffmpeg_measures_it() {
    assert!(have_tool("ffmpeg"));
    // Two copies in the same state: the default output, and the verbose one.
    let (plain, verbose) = (ShowDir::example(), ShowDir::example());
    let normal = plain.castkit().arg("build-feed").output().unwrap();
    let detailed = verbose
        .castkit()
        .args(["build-feed", "-v"])
        .output()
        .unwrap();
    assert_eq!(normal.status.code(), Some(0), "{}", stderr_of(&normal));
    assert_eq!(detailed.status.code(), Some(0));
    let (normal, detailed) = (stderr_of(&normal), stderr_of(&detailed));
    // Verbose only adds lines: without them it is the default output, byte for byte.
    let added = |l: &&str| l.starts_with("reading the catalogue `") || l.starts_with("probed `");
    let kept: Vec<&str> = detailed.lines().filter(|l| !added(l)).collect();
    assert_eq!(kept.join("\n") + "\n", normal);
    assert!(
        detailed.starts_with("reading the catalogue `episodes.toml`\n"),
        "{detailed}"
    );

    let prefix = format!("probed `{EXAMPLE_MP3}` (episode 5.4): ");
    let line = detailed
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no line for the episode in:\n{detailed}"));
    let (clock, bytes) = line.split_once(", ").unwrap();
    let parts: Vec<f64> = clock.split(':').map(|p| p.parse().unwrap()).collect();
    let seconds = parts[0] * 3600.0 + parts[1] * 60.0 + parts[2];
    let mp3 = repo_root().join(EXAMPLE_MP3);
    // ffmpeg decodes the file (dropping the encoder delay and padding lame's header states) at 16 kHz.
    let ffmpeg_seconds = ffmpeg_decoded_samples(&mp3) as f64 / 16_000.0;
    assert!(
        (seconds - ffmpeg_seconds).abs() < 0.001,
        "castkit {seconds} s, ffmpeg {ffmpeg_seconds} s"
    );
    let size = std::fs::metadata(&mp3).unwrap().len();
    assert_eq!(bytes, format!("{size} bytes"));
}

#[test]
fn quiet_validate_keeps_the_findings_that_fail_the_run_and_no_summary() {
    let show = ShowDir::example();
    let feed = feed_with_findings(&show);
    let feed = feed.to_str().unwrap();
    let [normal, quiet, verbose] = three_ways(&show, &["validate", feed]);
    assert_eq!(normal.status.code(), Some(1));
    let (normal, quiet) = (stdout_of(&normal), stdout_of(&quiet));
    assert!(
        normal.contains("error[F205]") && normal.contains("warning[F121]"),
        "{normal}"
    );
    assert!(
        normal.ends_with(&format!("{feed}: 1 error, 1 warning\n")),
        "{normal}"
    );
    assert!(quiet.starts_with("error[F205]"), "{quiet}");
    assert!(
        !quiet.contains("warning") && !quiet.contains("1 error"),
        "{quiet}"
    );
    // Verbose says what it read, on stderr; the report is the default one.
    assert_eq!(stdout_of(&verbose), normal);
    assert!(
        stderr_of(&verbose).contains(&format!("reading `{feed}`")),
        "{}",
        stderr_of(&verbose)
    );

    // With --deny-warnings a warning fails the run, so quiet shows it too.
    let [denied, quiet_denied, _] = three_ways(&show, &["validate", feed, "--deny-warnings"]);
    assert_eq!(denied.status.code(), Some(1));
    let quiet_denied = stdout_of(&quiet_denied);
    assert!(
        quiet_denied.contains("warning[F121]") && quiet_denied.contains("error[F205]"),
        "{quiet_denied}"
    );

    // A machine format is the report asked for: the same under --quiet.
    let [json, quiet_json, _] = three_ways(&show, &["validate", feed, "--format", "json"]);
    assert_eq!(json.stdout, quiet_json.stdout);
}

#[test]
fn quiet_probe_tag_and_diff_say_nothing_when_all_is_well() {
    let show = ShowDir::example();
    let [probe, quiet_probe, verbose_probe] =
        three_ways(&show, &["probe", EXAMPLE_MP3, "missing.mp3"]);
    assert_eq!(probe.status.code(), Some(1));
    assert!(
        stdout_of(&probe).contains("0:02:17.823"),
        "{}",
        stdout_of(&probe)
    );
    assert!(quiet_probe.stdout.is_empty(), "{}", stdout_of(&quiet_probe));
    assert_eq!(
        stderr_of(&quiet_probe),
        "error: cannot read `missing.mp3`: No such file or directory (os error 2)\n"
    );
    assert_eq!(stdout_of(&verbose_probe), stdout_of(&probe));
    assert!(
        stderr_of(&verbose_probe)
            .starts_with(&format!("reading `{EXAMPLE_MP3}`\nreading `missing.mp3`\n"))
    );

    let [dry, quiet_dry, verbose_dry] = three_ways(&show, &["tag", "--dry-run"]);
    assert_eq!(dry.status.code(), Some(0));
    assert!(stdout_of(&dry).contains(EXAMPLE_MP3), "{}", stdout_of(&dry));
    assert!(quiet_dry.stdout.is_empty() && quiet_dry.stderr.is_empty());
    assert_eq!(stdout_of(&verbose_dry), stdout_of(&dry));
    assert!(stderr_of(&verbose_dry).contains(&format!("reading `{EXAMPLE_MP3}`")));

    let feed = feed_with_findings(&show);
    std::fs::copy(
        show.path().join("public/feed.xml"),
        show.path().join("same.xml"),
    )
    .unwrap();
    let [same, quiet_same, _] = three_ways(&show, &["diff", "public/feed.xml", "same.xml"]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr_of(&same));
    assert!(stdout_of(&same).starts_with("public/feed.xml → same.xml: "));
    assert!(quiet_same.stdout.is_empty() && quiet_same.stderr.is_empty());
    // The broken feed moved an enclosure (breaking, an error) and changed `itunes:explicit` (a warning):
    // quiet keeps the first only.
    let [diff, quiet_diff, verbose_diff] =
        three_ways(&show, &["diff", "public/feed.xml", feed.to_str().unwrap()]);
    assert_eq!(diff.status.code(), Some(1), "{}", stderr_of(&diff));
    let (diff, quiet_diff) = (stdout_of(&diff), stdout_of(&quiet_diff));
    assert!(
        diff.contains("error[D004]") && diff.contains("warning[D108]"),
        "{diff}"
    );
    assert!(quiet_diff.starts_with("error[D004]"), "{quiet_diff}");
    assert!(
        !quiet_diff.contains("warning[") && !quiet_diff.contains("1 breaking"),
        "{quiet_diff}"
    );
    assert_eq!(stdout_of(&verbose_diff), diff);
    assert!(
        stderr_of(&verbose_diff).starts_with(&format!(
            "reading `public/feed.xml`\nreading `{}`\n",
            feed.display()
        )),
        "{}",
        stderr_of(&verbose_diff)
    );
}

#[test]
fn quiet_and_verbose_together_are_a_usage_error() {
    for args in [["probe", "-q", "-v"], ["-v", "probe", "--quiet"]] {
        let out = castkit().args(args).arg(EXAMPLE_MP3).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr_of(&out).contains("cannot be used with"),
            "{}",
            stderr_of(&out)
        );
    }
}

// ── --color ─────────────────────────────────────────────────────────────────────────────────────────

#[test]
fn color_always_wraps_the_plain_diagnostics_and_never_and_pipes_have_none() {
    let show = ShowDir::example();
    let feed = feed_with_findings(&show);
    let run = |extra: &[&str], env: &[(&str, &str)]| {
        let mut cmd = plain_env(show.castkit());
        cmd.arg("validate").arg(&feed).args(extra);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        stdout_of(&out)
    };
    let piped = run(&[], &[]);
    assert!(!piped.contains('\x1b'), "auto in a pipe: {piped:?}");
    assert!(piped.contains("error[F205]"));
    let never = run(&["--color", "never"], &[]);
    assert_eq!(never, piped);
    let always = run(&["--color=always"], &[]);
    assert!(always.contains("\x1b["), "{always:?}");
    assert_eq!(strip_sgr(&always), piped);
    // The error word in bold red and the gutter in bold blue, as rustc does.
    assert!(
        always.contains("\x1b[1m\x1b[31merror[F205]\x1b[0m"),
        "{always:?}"
    );
    assert!(
        always.contains("\x1b[1m\x1b[33mwarning[F121]\x1b[0m"),
        "{always:?}"
    );
    assert!(always.contains("\x1b[1m\x1b[34m-->\x1b[0m"), "{always:?}");

    // CLICOLOR_FORCE colours `auto` even in a pipe; NO_COLOR (any non-empty value) wins over it.
    let forced = run(&["--color", "auto"], &[("CLICOLOR_FORCE", "1")]);
    assert_eq!(forced, always);
    let no_color = run(
        &["--color", "auto"],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
    );
    assert_eq!(no_color, piped);
    let empty_no_color = run(
        &["--color", "auto"],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "")],
    );
    assert_eq!(empty_no_color, always, "an empty NO_COLOR does not count");
    // An explicit --color always is not overridden by NO_COLOR.
    assert_eq!(run(&["--color", "always"], &[("NO_COLOR", "1")]), always);
}

#[test]
fn color_on_stderr_covers_build_findings_and_the_error_line() {
    let show = show_with_findings(true);
    let out = plain_env(show.castkit())
        .args(["--color", "always", "build-feed"])
        .output()
        .unwrap();
    let plain = plain_env(show.castkit())
        .arg("build-feed")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), plain.status.code());
    let (styled, plain) = (stderr_of(&out), stderr_of(&plain));
    assert!(!plain.contains('\x1b'));
    assert!(
        styled.contains("\x1b[1m\x1b[31merror\x1b[0m: the feed was not written"),
        "{styled:?}"
    );
    assert_eq!(strip_sgr(&styled), plain);
}

#[test]
fn color_auto_colours_a_terminal() {
    if !have_tool("script") {
        return;
    }
    let show = ShowDir::example();
    let feed = feed_with_findings(&show);
    let binary = assert_cmd::cargo::cargo_bin("castkit");
    // `script` runs the command on a pseudo-terminal and copies what it wrote.
    let on_terminal = |no_color: Option<&str>| {
        let mut cmd = Command::new("script");
        cmd.args(["-q", "-e", "-c"])
            .arg(format!(
                "'{}' validate '{}'",
                binary.display(),
                feed.display()
            ))
            .arg("/dev/null")
            .current_dir(show.path())
            .env("TERM", "xterm-256color")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("CLICOLOR");
        match no_color {
            Some(v) => cmd.env("NO_COLOR", v),
            None => cmd.env_remove("NO_COLOR"),
        };
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
        stdout_of(&out).replace("\r\n", "\n")
    };
    let coloured = on_terminal(None);
    assert!(
        coloured.contains("\x1b[1m\x1b[31merror[F205]"),
        "{coloured:?}"
    );
    let plain = on_terminal(Some("1"));
    assert!(
        !plain.contains("\x1b["),
        "NO_COLOR on a terminal: {plain:?}"
    );
    assert_eq!(strip_sgr(&coloured), plain);
}

#[test]
fn clap_help_follows_color_too() {
    let help = |args: &[&str]| {
        let out = plain_env(castkit()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        stdout_of(&out)
    };
    let plain = help(&["validate", "--help"]);
    assert!(!plain.contains('\x1b'));
    assert_eq!(help(&["validate", "--help", "--color", "never"]), plain);
    let styled = help(&["--color=always", "validate", "--help"]);
    assert!(styled.contains("\x1b["), "{styled:?}");
    assert_eq!(strip_sgr(&styled), plain);
    // Usage errors too.
    let out = plain_env(castkit())
        .args(["--color", "always", "validate", "--no-such-flag"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("\x1b["), "{}", stderr_of(&out));
}

// ── Examples ────────────────────────────────────────────────────────────────────────────────────────

/// The command lines under `Examples:` in `castkit [COMMAND] FLAG` (`-h` or `--help`), checking that the
/// help ends with one.
fn examples_in_help(command: Option<&str>, flag: &str) -> Vec<String> {
    let out = castkit().args(command).arg(flag).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let help = stdout_of(&out);
    let name = command.map_or_else(|| "castkit ".to_owned(), |c| format!("castkit {c}"));
    let last = help.trim_end().lines().last().unwrap_or_default().trim();
    assert!(
        last.starts_with(&name),
        "`castkit {} {flag}` does not end with an example of `{name}`:\n{help}",
        command.unwrap_or("")
    );
    let examples: Vec<String> = help
        .lines()
        .skip_while(|l| *l != "Examples:")
        .skip(1)
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect();
    assert!(!examples.is_empty(), "{help}");
    assert!(
        examples.iter().all(|e| e.starts_with("castkit ")),
        "{examples:?}"
    );
    examples
}

#[test]
fn every_help_ends_with_examples_of_its_command() {
    for flag in ["-h", "--help"] {
        examples_in_help(None, flag);
        for command in COMMANDS {
            let examples = examples_in_help(Some(command), flag);
            assert!(
                examples
                    .iter()
                    .any(|e| e.starts_with(&format!("castkit {command} "))
                        || *e == format!("castkit {command}")),
                "{command}: {examples:?}"
            );
        }
    }
}

/// Runs one example as a shell runs it, in a fresh copy of the example show after `castkit build-feed`
/// (with the built feed also copied to `published.xml`, the file `diff`'s example compares with), with a
/// home folder of its own. `None` when it cannot run here (it needs the network).
fn run_example(example: &str, home: &Path) -> Option<Output> {
    if example.contains("http://") || example.contains("https://") {
        eprintln!("skipped: `{example}` needs the network");
        return None;
    }
    // A server runs until Ctrl-C; tests/integration/serve.rs starts it and stops it.
    if example.starts_with("castkit serve") {
        eprintln!("skipped: `{example}` serves until it is stopped");
        return None;
    }
    // A program the example pipes into must be installed (CI installs them).
    for program in example.split('|').skip(1) {
        let program = program.split_whitespace().next().unwrap();
        assert!(have_tool(program), "`{example}` pipes into `{program}`");
    }
    // Folders an example writes into under ~ exist on a real system; make them.
    if let Some((_, target)) = example.split_once("> ~/") {
        let target = home.join(target.split_whitespace().next().unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    }
    let show = ShowDir::example();
    let built = show.castkit().arg("build-feed").output().unwrap();
    assert_eq!(built.status.code(), Some(0), "{}", stderr_of(&built));
    std::fs::copy(
        show.path().join("public/feed.xml"),
        show.path().join("published.xml"),
    )
    .unwrap();
    let binary = assert_cmd::cargo::cargo_bin("castkit");
    let path = std::env::join_paths(
        std::iter::once(binary.parent().unwrap().to_path_buf()).chain(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        )),
    )
    .unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg(example)
        .current_dir(show.path())
        .env("PATH", path)
        .env("HOME", home)
        .env("CASTKIT_CACHE_DIR", "off")
        .output()
        .unwrap();
    Some(out)
}

#[test]
fn every_example_runs_in_the_example_show() {
    let home = tempfile::tempdir().unwrap();
    let mut ran = 0;
    let commands = std::iter::once(None).chain(COMMANDS.iter().map(|c| Some(*c)));
    for command in commands {
        for example in examples_in_help(command, "--help") {
            let Some(out) = run_example(&example, home.path()) else {
                continue;
            };
            ran += 1;
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "`{example}` exited with {:?}:\n{}",
                out.status.code(),
                stderr_of(&out)
            );
        }
    }
    assert!(ran >= 20, "only {ran} examples ran");
    // What the completion and man examples installed is really there.
    let installed = home
        .path()
        .join(".local/share/bash-completion/completions/castkit");
    assert!(
        std::fs::read_to_string(installed)
            .unwrap()
            .contains("complete ")
    );
    assert!(
        home.path()
            .join(".local/share/man/man1/castkit-build-feed.1")
            .is_file()
    );
}
