//! What an uploaded document must be: a PDF, JPEG or PNG, recognised by its content and
//! named accordingly, within the size limits, and well-formed: images decode within bounded
//! dimensions (a small file must not unpack into gigabytes of pixels), PDFs have the
//! structure a reader needs to open them. The name the browser sent is display text only.

use std::io::Cursor;

use gatehouse_l10n::say;

/// One file at most; ten per request and 25 MiB in all (checked while the body streams).
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_FILES: usize = 10;
pub const MAX_REQUEST_BYTES: usize = 25 * 1024 * 1024;
/// A scanned passport at 600 dpi is about 5000 × 7000 pixels.
pub const MAX_SIDE_PIXELS: u32 = 12_000;
pub const MAX_PIXELS: u64 = 60_000_000;
/// Longest display name kept.
pub const NAME_MAX_CHARS: usize = 120;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileType {
    Pdf,
    Jpeg,
    Png,
}

impl FileType {
    pub fn media_type(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FileType::Pdf => "pdf",
            FileType::Jpeg => "jpeg",
            FileType::Png => "png",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [FileType::Pdf, FileType::Jpeg, FileType::Png].into_iter().find(|t| t.as_str() == s)
    }

    /// What the content says it is, whatever the name says.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"%PDF-") {
            Some(FileType::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileType::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(FileType::Png)
        } else {
            None
        }
    }

    fn by_extension(name: &str) -> Option<Self> {
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
        match ext.as_str() {
            "pdf" => Some(FileType::Pdf),
            "jpg" | "jpeg" => Some(FileType::Jpeg),
            "png" => Some(FileType::Png),
            _ => None,
        }
    }
}

/// Why a file was refused, in words for the person who chose it (the caller names the file).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FileProblem {
    #[error("{}", say("error-support-file-empty", &[]))]
    Empty,
    /// Browsers send a file's own name; folders or control characters mean a crafted request.
    #[error("{}", say("error-support-file-bad-name", &[]))]
    BadName,
    #[error("{}", say("error-support-file-too-large", &[]))]
    TooLarge,
    #[error("{}", say("error-support-file-not-allowed", &[]))]
    NotAllowed,
    #[error("{}", say("error-support-file-name-mismatch", &[("named", (*named).into()), ("actual", (*actual).into())]))]
    NameMismatch { named: &'static str, actual: &'static str },
    #[error("{}", say("error-support-file-too-many-pixels", &[("width", width.into()), ("height", height.into()), ("max", MAX_SIDE_PIXELS.into())]))]
    TooManyPixels { width: u32, height: u32 },
    #[error("{}", say("error-support-file-broken-image", &[]))]
    BrokenImage,
    #[error("{}", say("error-support-file-broken-pdf", &[]))]
    BrokenPdf,
}

fn label(t: FileType) -> &'static str {
    match t {
        FileType::Pdf => "PDF",
        FileType::Jpeg => "JPEG",
        FileType::Png => "PNG",
    }
}

/// A file name as display text: no folders, no control characters, bounded, never empty.
pub fn display_name(raw: &str, file_type: Option<FileType>) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String =
        base.chars().filter(|c| !c.is_control()).collect::<String>().trim().trim_start_matches('.').to_owned();
    let clean: String = clean.chars().take(NAME_MAX_CHARS).collect();
    if clean.is_empty() {
        format!("document.{}", file_type.map(|t| if t == FileType::Jpeg { "jpg" } else { t.as_str() }).unwrap_or("bin"))
    } else {
        clean
    }
}

/// Checks one file, as sent with the name `name`. Decoding an image is CPU work: call this off
/// the async runtime.
pub fn check(name: &str, bytes: &[u8]) -> Result<FileType, FileProblem> {
    if name.chars().any(|c| c.is_control() || c == '/' || c == '\\') {
        return Err(FileProblem::BadName);
    }
    if bytes.is_empty() {
        return Err(FileProblem::Empty);
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileProblem::TooLarge);
    }
    let actual = FileType::sniff(bytes).ok_or(FileProblem::NotAllowed)?;
    match FileType::by_extension(&display_name(name, None)) {
        Some(named) if named == actual => {}
        Some(named) => return Err(FileProblem::NameMismatch { named: label(named), actual: label(actual) }),
        None => return Err(FileProblem::NotAllowed),
    }
    match actual {
        FileType::Pdf => check_pdf(bytes)?,
        FileType::Jpeg | FileType::Png => check_image(bytes, actual)?,
    }
    Ok(actual)
}

fn check_image(bytes: &[u8], file_type: FileType) -> Result<(), FileProblem> {
    let format = match file_type {
        FileType::Jpeg => image::ImageFormat::Jpeg,
        _ => image::ImageFormat::Png,
    };
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    // The header first: a pixel flood is refused before any pixel is unpacked.
    let (width, height) = reader.into_dimensions().map_err(|_| FileProblem::BrokenImage)?;
    if width > MAX_SIDE_PIXELS || height > MAX_SIDE_PIXELS || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(FileProblem::TooManyPixels { width, height });
    }
    if file_type == FileType::Png {
        return check_png_rows(bytes);
    }
    reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE_PIXELS);
    limits.max_image_height = Some(MAX_SIDE_PIXELS);
    limits.max_alloc = Some(MAX_PIXELS * 4);
    reader.limits(limits);
    reader.decode().map(|_| ()).map_err(|_| FileProblem::BrokenImage)
}

/// A PNG decoded row by row, every row and checksum read, without ever holding the image:
/// a few rows of memory, where a whole 60-megapixel image would take up to 240 MB.
fn check_png_rows(bytes: &[u8]) -> Result<(), FileProblem> {
    let mut reader = png::Decoder::new(Cursor::new(bytes)).read_info().map_err(|_| FileProblem::BrokenImage)?;
    while reader.next_row().map_err(|_| FileProblem::BrokenImage)?.is_some() {}
    Ok(())
}

/// The structure a PDF reader starts from: the header, and at the end `startxref` pointing at
/// a cross-reference table or stream, then `%%EOF`. A file cut off on the way has no valid end.
fn check_pdf(bytes: &[u8]) -> Result<(), FileProblem> {
    let version_ok = bytes.len() > 8 && (bytes.starts_with(b"%PDF-1.") || bytes.starts_with(b"%PDF-2."));
    let tail_start = bytes.len().saturating_sub(2048);
    let tail = &bytes[tail_start..];
    let eof = rfind(tail, b"%%EOF").ok_or(FileProblem::BrokenPdf)?;
    let startxref = rfind(&tail[..eof], b"startxref").ok_or(FileProblem::BrokenPdf)?;
    let number: String = tail[startxref + 9..eof]
        .iter()
        .map(|b| *b as char)
        .skip_while(|c| c.is_ascii_whitespace())
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let offset: usize = number.parse().map_err(|_| FileProblem::BrokenPdf)?;
    let at = bytes.get(offset..).ok_or(FileProblem::BrokenPdf)?;
    let xref_table = at.starts_with(b"xref");
    let xref_stream = {
        // "12 0 obj": an object number, a generation, `obj`.
        let head: String = at.iter().take(24).map(|b| *b as char).collect();
        let mut parts = head.split_ascii_whitespace();
        let numeric = |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
        numeric(parts.next()) && numeric(parts.next()) && parts.next().is_some_and(|p| p.starts_with("obj"))
    };
    if version_ok && offset < bytes.len() && (xref_table || xref_stream) {
        Ok(())
    } else {
        Err(FileProblem::BrokenPdf)
    }
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A one-page PDF whose cross-reference offsets are right.
    pub fn tiny_pdf() -> Vec<u8> {
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        ];
        let mut pdf = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
        }
        let xref = pdf.len();
        pdf.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
        for o in offsets {
            pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        pdf.extend_from_slice(
            format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
        );
        pdf
    }

    pub fn png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        image::RgbImage::new(width, height).write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
        out
    }

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        image::RgbImage::new(width, height).write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg).unwrap();
        out
    }

    /// A PNG whose header claims `width` × `height`: a pixel flood in a few hundred bytes.
    fn png_claiming(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = png(1, 1);
        bytes[16..20].copy_from_slice(&width.to_be_bytes());
        bytes[20..24].copy_from_slice(&height.to_be_bytes());
        // The IHDR's CRC covers its type and data.
        let crc = crc32(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.to_be_bytes());
        bytes
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    #[test]
    fn pdf_jpeg_and_png_are_recognised_by_content() {
        assert_eq!(check("passport.pdf", &tiny_pdf()), Ok(FileType::Pdf));
        assert_eq!(check("passport.JPG", &jpeg(40, 30)), Ok(FileType::Jpeg));
        assert_eq!(check("scan.jpeg", &jpeg(40, 30)), Ok(FileType::Jpeg));
        assert_eq!(check("letter.png", &png(40, 30)), Ok(FileType::Png));
    }

    #[test]
    fn other_content_is_refused_whatever_its_name() {
        assert_eq!(check("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00"), Err(FileProblem::NotAllowed));
        assert_eq!(check("page.pdf", b"<!doctype html><script>alert(1)</script>"), Err(FileProblem::NotAllowed));
        assert_eq!(check("notes.txt", &tiny_pdf()), Err(FileProblem::NotAllowed), "an extension we do not take");
        assert_eq!(check("noextension", &tiny_pdf()), Err(FileProblem::NotAllowed));
    }

    #[test]
    fn a_name_that_lies_about_the_content_is_refused() {
        let err = check("photo.jpg", &png(4, 4)).unwrap_err();
        assert_eq!(err, FileProblem::NameMismatch { named: "JPEG", actual: "PNG" });
        assert_eq!(err.to_string(), "its name says JPEG but it is a PNG file: rename it or choose the right file");
    }

    #[test]
    fn empty_huge_truncated_and_flooding_files_are_refused() {
        assert_eq!(check("a.pdf", b""), Err(FileProblem::Empty));
        let mut big = tiny_pdf();
        big.resize(MAX_FILE_BYTES + 1, b' ');
        assert_eq!(check("a.pdf", &big), Err(FileProblem::TooLarge));
        let whole = tiny_pdf();
        for cut in [whole.len() - 3, whole.len() / 2, 12] {
            assert_eq!(check("a.pdf", &whole[..cut]), Err(FileProblem::BrokenPdf), "cut at {cut}");
        }
        assert_eq!(
            check("flood.png", &png_claiming(30_000, 30_000)),
            Err(FileProblem::TooManyPixels { width: 30_000, height: 30_000 })
        );
        assert_eq!(
            FileProblem::TooManyPixels { width: 30_000, height: 30_000 }.to_string(),
            "the image is too large (30000 × 30000 pixels; at most 12000 on a side): scan it at a lower resolution"
        );
        let image = png(50, 50);
        assert_eq!(check("cut.png", &image[..image.len() - 20]), Err(FileProblem::BrokenImage));
    }

    #[test]
    fn a_pdf_pointing_its_xref_elsewhere_is_refused() {
        let pdf = String::from_utf8(tiny_pdf()).unwrap();
        let wrong = pdf.replace("startxref\n", "startxref\n9").into_bytes();
        assert_eq!(check("a.pdf", &wrong), Err(FileProblem::BrokenPdf));
    }

    #[test]
    fn names_are_display_text_only_and_crafted_ones_refused() {
        assert_eq!(display_name("../../etc/passwd.pdf", None), "passwd.pdf");
        assert_eq!(display_name("C:\\Users\\me\\scan.png", None), "scan.png");
        assert_eq!(display_name("in\u{7}voice\n.pdf", None), "invoice.pdf");
        assert_eq!(display_name("../", Some(FileType::Jpeg)), "document.jpg");
        assert_eq!(display_name(&"é".repeat(300), None).chars().count(), NAME_MAX_CHARS);
        assert_eq!(check("../../x/../id.pdf", &tiny_pdf()), Err(FileProblem::BadName), "crafted, so refused");
        assert_eq!(check("in\u{0}voice.pdf", &tiny_pdf()), Err(FileProblem::BadName));
    }
}
