//! The tags each episode's MP3 should carry, from the same catalogue as the feed, so the file and the feed
//! always agree; and the one step that tags an episode, shared by `castkit tag` and `build-feed --tag`.

use std::path::{Path, PathBuf};

use crate::audio::id3::{
    ChapterTag, EpisodeTags, Picture, TagError, TagOptions, TagOutcome, write_tags,
};
use crate::audio::{AudioFacts, AudioFormat};
use crate::catalogue::{Catalogue, Episode, MediaRef};
use crate::chapters;

/// What tagging one episode's audio came to.
#[derive(Debug)]
pub enum Tagged {
    /// The audio is not an MP3 (castkit writes ID3 tags only into MP3 files); nothing was done.
    NotMp3(AudioFormat),
    /// The tag was written, would be written (dry run), or already said what the catalogue says.
    Done(TagOutcome),
}

/// Why an episode's audio was not tagged. The file is left as it was.
#[derive(Debug, thiserror::Error)]
pub enum TagEpisodeError {
    /// A picture to embed (the cover, a chapter image) could not be read.
    #[error("cannot read the picture `{}`", path.display())]
    Picture {
        /// The image file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// Writing the tag failed.
    #[error(transparent)]
    Write(#[from] TagError),
}

/// Tags the MP3 at `path`, the audio of `episode`, whose probe is `audio`: the one step `castkit tag` and
/// `build-feed --tag` share.
///
/// # Errors
/// [`TagEpisodeError`]; the file is then unchanged.
pub fn tag_episode(
    catalogue: &Catalogue,
    episode: &Episode,
    path: &Path,
    audio: &AudioFacts,
    guid: Option<&str>,
    options: &TagOptions,
) -> Result<Tagged, TagEpisodeError> {
    if audio.format != AudioFormat::Mp3 {
        return Ok(Tagged::NotMp3(audio.format));
    }
    let wanted = episode_tags(catalogue, episode, audio, guid)?;
    Ok(Tagged::Done(write_tags(path, &wanted, options)?))
}

/// Builds the wanted tags of one episode. `audio` gives the exact length (TLEN, and the last chapter's
/// end); `guid` is the episode's guid if it has one yet. Pictures are read from their local files; an image
/// given only as a URL is not embedded.
///
/// # Errors
/// [`TagEpisodeError::Picture`] for an image file that cannot be read.
pub fn episode_tags(
    catalogue: &Catalogue,
    episode: &Episode,
    audio: &AudioFacts,
    guid: Option<&str>,
) -> Result<EpisodeTags, TagEpisodeError> {
    let show = &catalogue.show;
    let host = episode
        .persons
        .iter()
        .chain(&show.persons)
        .find(|p| p.role == "Host")
        .map(|p| p.name.clone());
    let duration_ms = audio.millis();
    let ends = chapters::end_times(&episode.chapters, duration_ms);
    let mut chapter_tags = Vec::with_capacity(episode.chapters.len());
    for (c, end) in episode.chapters.iter().zip(ends) {
        let image = match c.image.as_ref().and_then(|i| i.path.as_deref()) {
            Some(path) => Some(picture(path, &c.title)?),
            None => None,
        };
        chapter_tags.push(ChapterTag {
            start_ms: u32::try_from(c.start_ms).unwrap_or(u32::MAX),
            end_ms: u32::try_from(end).unwrap_or(u32::MAX),
            title: c.title.clone(),
            url: c.url.clone(),
            image,
            hidden: c.hidden,
        });
    }
    let cover_ref: &MediaRef = episode.image.as_ref().unwrap_or(&show.image);
    let cover = match &cover_ref.path {
        Some(path) => Some(picture(path, "Cover")?),
        None => None,
    };
    let keywords = if episode.keywords.is_empty() {
        show.keywords.clone()
    } else {
        episode.keywords.clone()
    };
    Ok(EpisodeTags {
        title: episode.title.clone(),
        artist: host.or_else(|| Some(show.author.clone())),
        album: Some(show.title.clone()),
        album_artist: Some(show.author.clone()),
        track: episode.number,
        season: episode.season,
        date: Some(episode.published.date_naive()),
        genre: "Podcast".to_owned(),
        description: episode
            .notes
            .as_ref()
            .map(|n| n.plain.clone())
            .filter(|d| !d.is_empty()),
        cover,
        link: Some(episode.link.as_ref().unwrap_or(&show.link).to_string()),
        feed_url: Some(show.feed_url.to_string()),
        podcast: true,
        guid: guid.map(str::to_owned),
        copyright: show.copyright.clone(),
        language: Some(show.language.clone()),
        length_ms: Some(duration_ms),
        keywords,
        chapters: chapter_tags,
    })
}

fn picture(path: &Path, description: &str) -> Result<Picture, TagEpisodeError> {
    let data = std::fs::read(path).map_err(|source| TagEpisodeError::Picture {
        path: path.to_path_buf(),
        source,
    })?;
    // The MIME type comes from the content: a GIF or WebP is not labelled `image/jpeg`.
    Ok(Picture::new(data, description))
}
