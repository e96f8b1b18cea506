//! Showing an error with its causes.
//!
//! castkit's errors follow one rule: a variant's message says only what went wrong at its own level (with the
//! path it concerns), and the error below it is reachable only through [`std::error::Error::source`]. So a
//! message never repeats its cause, and whoever shows an error to a user prints the whole chain once, with
//! [`Chain`] (or `anyhow`'s `{:#}` at the edge, which prints the same).

use std::error::Error;
use std::fmt;

/// Displays an error and every cause below it on one line, `outer: cause: cause` (as ripgrep and `anyhow`'s
/// `{:#}` print them): ``cannot read `media/1.mp3`: Permission denied (os error 13)``.
#[derive(Debug, Clone, Copy)]
pub struct Chain<'a>(pub &'a (dyn Error + 'a));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut cause = self.0.source();
        while let Some(e) = cause {
            write!(f, ": {e}")?;
            cause = e.source();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("cannot read `a.mp3`")]
    struct Outer(#[source] std::io::Error);

    #[test]
    fn each_cause_is_shown_once_in_order() {
        let inner = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "permission denied");
        let e = Outer(inner);
        assert_eq!(
            Chain(&e).to_string(),
            "cannot read `a.mp3`: permission denied"
        );
    }
}
