//! Cover art: what an image file really is (format from content, size, colour model, alpha), and whether it
//! meets Apple's artwork rules.
//!
//! Apple Podcasts accepts show and episode art that is square, 1400 to 3000 pixels a side, JPEG or PNG, in
//! the RGB colour space, with a file extension that matches the content; its artwork page adds that it should
//! not contain an alpha channel (<https://podcasters.apple.com/support/896-artwork-requirements>). Only the file
//! headers are read, so a 10 MB cover costs a few kilobytes of I/O.

use std::fmt;
use std::io::Read;
use std::path::Path;

/// Image formats castkit distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// JPEG (JFIF or EXIF).
    Jpeg,
    /// PNG.
    Png,
    /// A format podcast directories do not accept for artwork (WebP, GIF, …), named.
    Other(&'static str),
}

impl ImageFormat {
    /// The MIME type of the content, for ID3 APIC frames.
    pub fn mime(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Png => "image/png",
            ImageFormat::Other(_) => "application/octet-stream",
        }
    }

    /// File extensions that match the format.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            ImageFormat::Jpeg => &["jpg", "jpeg"],
            ImageFormat::Png => &["png"],
            ImageFormat::Other(_) => &[],
        }
    }
}

impl fmt::Display for ImageFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImageFormat::Jpeg => f.write_str("JPEG"),
            ImageFormat::Png => f.write_str("PNG"),
            ImageFormat::Other(name) => f.write_str(name),
        }
    }
}

/// How pixels are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorModel {
    /// Red, green, blue (for JPEG: three components, YCbCr or RGB).
    Rgb,
    /// One channel of grey.
    Grayscale,
    /// Cyan, magenta, yellow, black (four-component JPEG).
    Cmyk,
    /// A PNG palette.
    Indexed,
    /// Not determined.
    Unknown,
}

/// What an image file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageFacts {
    /// Format, from the content.
    pub format: ImageFormat,
    /// Width in pixels.
    pub width: u64,
    /// Height in pixels.
    pub height: u64,
    /// Colour model.
    pub color: ColorModel,
    /// Whether there is an alpha channel.
    pub has_alpha: bool,
}

/// Why an image could not be inspected.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// The file could not be read.
    #[error("cannot read `{}`", path.display())]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The content is not an image format castkit recognises.
    #[error("`{}` is not an image castkit recognises", path.display())]
    Unrecognised {
        /// The file.
        path: std::path::PathBuf,
    },
}

/// Reads the image's header: format, dimensions, colour model and alpha.
///
/// # Errors
/// [`ImageError`] when the file cannot be read or is not a recognised image.
pub fn inspect(path: &Path) -> Result<ImageFacts, ImageError> {
    let io = |source| ImageError::Io {
        path: path.to_path_buf(),
        source,
    };
    // JPEG SOF markers can sit after large EXIF/ICC segments; 256 KiB covers real-world covers while keeping
    // the read bounded. imagesize then reads only what it needs.
    let mut head = Vec::with_capacity(64 * 1024);
    std::fs::File::open(path)
        .map_err(io)?
        .take(256 * 1024)
        .read_to_end(&mut head)
        .map_err(io)?;
    let unrecognised = || ImageError::Unrecognised {
        path: path.to_path_buf(),
    };
    let kind = imagesize::image_type(&head).map_err(|_| unrecognised())?;
    let format = match kind {
        imagesize::ImageType::Jpeg => ImageFormat::Jpeg,
        imagesize::ImageType::Png => ImageFormat::Png,
        imagesize::ImageType::Webp => ImageFormat::Other("WebP"),
        imagesize::ImageType::Gif => ImageFormat::Other("GIF"),
        imagesize::ImageType::Bmp => ImageFormat::Other("BMP"),
        imagesize::ImageType::Tiff => ImageFormat::Other("TIFF"),
        imagesize::ImageType::Heif(_) => ImageFormat::Other("HEIF"),
        _ => ImageFormat::Other("an unsupported image format"),
    };
    let size = imagesize::size(path)
        .or_else(|_| imagesize::blob_size(&head))
        .map_err(|_| unrecognised())?;
    let (color, has_alpha) = match format {
        ImageFormat::Png => png_color(&head),
        ImageFormat::Jpeg => (jpeg_color(&head), false),
        ImageFormat::Other(_) => (ColorModel::Unknown, false),
    };
    Ok(ImageFacts {
        format,
        width: size.width as u64,
        height: size.height as u64,
        color,
        has_alpha,
    })
}

/// PNG colour type from IHDR (byte 25): 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA. A `tRNS` chunk also
/// adds transparency, but only full alpha channels matter to Apple's rule.
fn png_color(head: &[u8]) -> (ColorModel, bool) {
    match head.get(25) {
        Some(0) => (ColorModel::Grayscale, false),
        Some(2) => (ColorModel::Rgb, false),
        Some(3) => (ColorModel::Indexed, false),
        Some(4) => (ColorModel::Grayscale, true),
        Some(6) => (ColorModel::Rgb, true),
        _ => (ColorModel::Unknown, false),
    }
}

/// JPEG colour from the number of components in the first start-of-frame segment.
fn jpeg_color(head: &[u8]) -> ColorModel {
    let mut i = 2;
    while i + 9 < head.len() {
        if head[i] != 0xFF {
            return ColorModel::Unknown;
        }
        let marker = head[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([head[i + 2], head[i + 3]]));
        // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
        if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
            return match head[i + 9] {
                1 => ColorModel::Grayscale,
                3 => ColorModel::Rgb,
                4 => ColorModel::Cmyk,
                _ => ColorModel::Unknown,
            };
        }
        i += 2 + len;
    }
    ColorModel::Unknown
}

/// Apple's artwork rules that `facts` breaks, each as a lowercase phrase (empty when the image is fine).
/// `extension` is the file name's extension, compared with the content.
pub fn apple_artwork_problems(facts: &ImageFacts, extension: Option<&str>) -> Vec<String> {
    let mut problems = Vec::new();
    if !matches!(facts.format, ImageFormat::Jpeg | ImageFormat::Png) {
        problems.push(format!("it is {}, not JPEG or PNG", facts.format));
    } else if let Some(ext) = extension {
        let ext = ext.to_ascii_lowercase();
        if !facts.format.extensions().contains(&ext.as_str()) {
            problems.push(format!(
                "its extension `.{ext}` does not match its content ({})",
                facts.format
            ));
        }
    }
    if facts.width != facts.height {
        problems.push(format!(
            "it is {}×{} pixels, not square",
            facts.width, facts.height
        ));
    }
    let square = facts.width == facts.height;
    let size = if square {
        format!("it is {}×{} pixels; ", facts.width, facts.height)
    } else {
        String::new()
    };
    if facts.width.min(facts.height) < 1400 {
        problems.push(format!("{size}Apple needs at least 1400×1400"));
    } else if facts.width.max(facts.height) > 3000 {
        problems.push(format!("{size}Apple accepts at most 3000×3000"));
    }
    match facts.color {
        ColorModel::Rgb | ColorModel::Unknown => {}
        ColorModel::Grayscale => problems.push("it is greyscale; Apple needs RGB".to_owned()),
        ColorModel::Cmyk => problems.push("it is CMYK; Apple needs RGB".to_owned()),
        ColorModel::Indexed => {
            problems.push("it uses a colour palette; Apple needs RGB".to_owned())
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(format: ImageFormat, w: u64, h: u64, color: ColorModel) -> ImageFacts {
        ImageFacts {
            format,
            width: w,
            height: h,
            color,
            has_alpha: false,
        }
    }

    #[test]
    fn a_square_rgb_jpeg_of_1400_to_3000_pixels_is_fine() {
        for side in [1400, 2048, 3000] {
            let f = facts(ImageFormat::Jpeg, side, side, ColorModel::Rgb);
            assert!(apple_artwork_problems(&f, Some("jpg")).is_empty());
        }
    }

    #[test]
    fn each_broken_rule_is_named() {
        let small = facts(ImageFormat::Png, 600, 600, ColorModel::Rgb);
        assert_eq!(
            apple_artwork_problems(&small, Some("png")),
            ["it is 600×600 pixels; Apple needs at least 1400×1400"]
        );
        let wide = facts(ImageFormat::Png, 3000, 1500, ColorModel::Rgb);
        assert!(apple_artwork_problems(&wide, Some("png"))[0].contains("not square"));
        let cmyk = facts(ImageFormat::Jpeg, 1400, 1400, ColorModel::Cmyk);
        assert!(apple_artwork_problems(&cmyk, Some("jpg"))[0].contains("CMYK"));
        let mislabelled = facts(ImageFormat::Png, 1400, 1400, ColorModel::Rgb);
        assert!(apple_artwork_problems(&mislabelled, Some("jpg"))[0].contains("`.jpg`"));
        let webp = facts(ImageFormat::Other("WebP"), 1400, 1400, ColorModel::Unknown);
        assert!(apple_artwork_problems(&webp, Some("webp"))[0].contains("WebP"));
    }

    #[test]
    fn png_and_jpeg_headers_give_their_colour_model() {
        // A minimal PNG signature + IHDR with colour type 6 (RGBA).
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend_from_slice(&[0, 0, 5, 120, 0, 0, 5, 120, 8, 6, 0, 0, 0]);
        assert_eq!(png_color(&png), (ColorModel::Rgb, true));
        // JPEG: SOI, an APP0 of length 4, then SOF0 with 4 components.
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xC0, 0, 17, 8, 0, 16, 0, 16, 4, 0, 0,
        ];
        assert_eq!(jpeg_color(&jpeg), ColorModel::Cmyk);
    }
}
