//! The templates: built in (`src/site/templates/`), each replaceable by a file of the same name in the
//! show's `[site] templates` folder, rendered by minijinja with HTML escaping on for `.html` files and strict
//! undefined checks (a misspelt variable in a template is an error, not an empty string).

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::SiteError;

/// The built-in templates and assets, by name.
pub(super) const BUILT_IN: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("index.html", include_str!("templates/index.html")),
    ("episode.html", include_str!("templates/episode.html")),
    ("site.css", include_str!("templates/site.css")),
    ("site.js", include_str!("templates/site.js")),
];

/// Where a template's text came from, for messages.
#[derive(Debug, Clone)]
enum Origin {
    BuiltIn,
    Override(PathBuf),
}

/// The templates of one build: the built-in ones with the show's replacements.
pub(super) struct Templates {
    sources: Vec<(&'static str, String, Origin)>,
}

impl Templates {
    /// The built-in templates, each replaced by the file of the same name in `folder` when there is one.
    ///
    /// # Errors
    /// [`SiteError::ReadTemplate`] when a replacement exists but cannot be read as UTF-8 text.
    pub(super) fn load(folder: Option<&Path>) -> Result<Templates, SiteError> {
        let mut sources = Vec::with_capacity(BUILT_IN.len());
        for (name, text) in BUILT_IN {
            let replacement = folder.map(|f| f.join(name)).filter(|p| p.is_file());
            match replacement {
                Some(path) => {
                    let text = std::fs::read_to_string(&path).map_err(|source| {
                        SiteError::ReadTemplate {
                            path: path.clone(),
                            source,
                        }
                    })?;
                    sources.push((*name, text, Origin::Override(path)));
                }
                None => sources.push((*name, (*text).to_owned(), Origin::BuiltIn)),
            }
        }
        Ok(Templates { sources })
    }

    /// A static asset's bytes (`site.css`, `site.js`), as the show gives it or built in.
    pub(super) fn asset(&self, name: &str) -> &str {
        self.sources
            .iter()
            .find(|(n, _, _)| *n == name)
            .map_or("", |(_, text, _)| text.as_str())
    }

    /// A renderer over these templates.
    ///
    /// # Errors
    /// [`SiteError::Template`] naming the file and line of a template that does not parse.
    pub(super) fn environment(&self) -> Result<Renderer<'_>, SiteError> {
        let mut env = minijinja::Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") {
                minijinja::AutoEscape::Html
            } else {
                minijinja::AutoEscape::None
            }
        });
        // minijinja's own HTML escaping also writes `/` as `&#x2f;`, which HTML does not need: URLs stay
        // readable in the page source, with the five characters that matter escaped.
        env.set_formatter(|out, state, value| match value.as_str() {
            Some(text)
                if state.auto_escape() == minijinja::AutoEscape::Html && !value.is_safe() =>
            {
                out.write_str(&escape_html(text)).map_err(|_| {
                    minijinja::Error::new(
                        minijinja::ErrorKind::WriteFailure,
                        "cannot write the page",
                    )
                })
            }
            _ => minijinja::escape_formatter(out, state, value),
        });
        // Templates keep their newlines as written; no trailing newline is lost.
        env.set_keep_trailing_newline(true);
        for (name, text, _) in &self.sources {
            if name.ends_with(".html") {
                env.add_template(name, text)
                    .map_err(|e| self.template_error(&e))?;
            }
        }
        Ok(Renderer {
            env,
            templates: self,
        })
    }

    fn origin(&self, name: &str) -> Option<&Origin> {
        self.sources
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, _, o)| o)
    }

    /// A minijinja error as castkit says it: which file, which line, what is wrong, what to do.
    fn template_error(&self, error: &minijinja::Error) -> SiteError {
        let name = error.name().unwrap_or("a template").to_owned();
        let file = match self.origin(&name) {
            Some(Origin::Override(path)) => path.display().to_string(),
            _ => format!("the built-in template `{name}`"),
        };
        let replaced = matches!(self.origin(&name), Some(Origin::Override(_)));
        let mut message = error.kind().to_string();
        if let Some(detail) = error.detail() {
            message.push_str(": ");
            message.push_str(detail);
        }
        SiteError::Template {
            file,
            line: error.line(),
            message,
            replaced,
        }
    }
}

/// Renders pages.
pub(super) struct Renderer<'t> {
    env: minijinja::Environment<'t>,
    templates: &'t Templates,
}

impl Renderer<'_> {
    /// Renders the template `name` with `context`.
    ///
    /// # Errors
    /// [`SiteError::Template`] naming the file and line where rendering failed.
    pub(super) fn render(&self, name: &str, context: impl Serialize) -> Result<String, SiteError> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| self.templates.template_error(&e))?;
        template
            .render(context)
            .map_err(|e| self.templates.template_error(&e))
    }
}

/// Text escaped for HTML content and quoted attribute values.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
