use super::*;

/// WCAG 2.1's relative luminance of `#rrggbb`.
fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[1 + 2 * i..3 + 2 * i], 16).unwrap()) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The colours of `site.css`'s light (first) and dark (second) `:root` blocks.
fn palettes() -> Vec<std::collections::BTreeMap<String, String>> {
    let css = render::BUILT_IN
        .iter()
        .find(|(n, _)| *n == "site.css")
        .unwrap()
        .1;
    css.split(":root {")
        .skip(1)
        .map(|block| {
            block
                .split('}')
                .next()
                .unwrap()
                .lines()
                .filter_map(|l| {
                    let (name, value) = l.trim().strip_prefix("--")?.split_once(':')?;
                    Some((
                        name.trim().to_owned(),
                        value.trim().trim_end_matches(';').to_owned(),
                    ))
                })
                .collect()
        })
        .collect()
}

#[test]
fn colours_meet_wcag_aa() {
    let palettes = palettes();
    assert_eq!(palettes.len(), 2, "a light and a dark palette");
    for palette in &palettes {
        // Every text colour on every background it is drawn on: 4.5:1 for body text.
        for text in ["fg", "muted", "link"] {
            for background in ["bg", "surface", "current"] {
                let ratio = contrast(&palette[text], &palette[background]);
                assert!(
                    ratio >= 4.5,
                    "--{text} on --{background}: {ratio:.2}:1 in {palette:?}"
                );
            }
        }
    }
}

#[test]
fn json_in_a_script_cannot_end_it() {
    let text = script_json(&json!({ "name": "</script><!-- x" }));
    assert!(!text.contains("</") && !text.contains("<!--"), "{text}");
    let back: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(back["name"], "</script><!-- x");
}

#[test]
fn durations_in_iso_8601() {
    assert_eq!(iso_duration(1_234_567), "PT20M34.567S");
    assert_eq!(iso_duration(3_600_000), "PT1H0M0S");
    assert_eq!(iso_duration(59_500), "PT59.5S");
}

#[test]
fn only_the_sites_own_places_are_ever_removed() {
    for ok in [
        "index.html",
        "page/2/index.html",
        "episodes/a/index.html",
        "assets/site.css",
    ] {
        assert!(is_site_path(ok), "{ok}");
    }
    for refused in [
        "feed.xml",
        "../episodes.toml",
        "/etc/passwd",
        "episodes/../../x",
        "chapters/a.json",
        "",
    ] {
        assert!(!is_site_path(refused), "{refused}");
    }
}

#[test]
fn a_broken_template_is_named_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("episode.html"),
        "{% extends \"base.html\" %}\n{% block main %}\n{{ episode.title \n{% endblock %}\n",
    )
    .unwrap();
    let templates = render::Templates::load(Some(dir.path())).unwrap();
    let error = templates.environment().err().unwrap();
    let message = error.to_string();
    // The variable opened on line 3 runs into the `{%` of line 4, where the parser stops.
    assert!(
        message.contains("episode.html, line 4: syntax error"),
        "{message}"
    );
    assert!(
        message.contains("remove it from the `[site] templates` folder"),
        "{message}"
    );
}

#[test]
fn a_misspelt_variable_is_an_error_not_an_empty_string() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "<p>\n{{ show.titel }}</p>\n").unwrap();
    let templates = render::Templates::load(Some(dir.path())).unwrap();
    let renderer = templates.environment().unwrap();
    let error = renderer
        .render("index.html", json!({ "show": { "title": "x" } }))
        .unwrap_err()
        .to_string();
    assert!(error.contains("index.html, line 2"), "{error}");
}

#[test]
fn the_built_in_templates_escape_text() {
    let templates = render::Templates::load(None).unwrap();
    let renderer = templates.environment().unwrap();
    let html = renderer
        .render(
            "base.html",
            json!({
                "show": { "language": "en", "title": "<b>&", "feed_file": "feed.xml", "copyright": null },
                "head": { "title": "<script>", "description": "\"", "url": "u", "og_type": "website", "image": "i", "image_alt": null, "audio": null },
                "root": "",
                "json_ld": "{}",
            }),
        )
        .unwrap();
    assert!(html.contains("<title>&lt;script&gt;</title>"), "{html}");
    assert!(!html.contains("<b>&"), "{html}");
}
