//! Charts as PNG for Word and WPS, which older versions cannot take as SVG:
//! the same SVG rasterised by resvg at print resolution, with the system's
//! fonts. A CJK font must be found when a chart has Chinese text; otherwise
//! the message says which package to install.

use resvg::tiny_skia::{Color, Pixmap, Transform};
use resvg::usvg::{Options, Tree};

/// Pixels per SVG pixel: the charts are laid out at 96 per inch, so 300 dpi.
pub const SCALE: f32 = 300.0 / 96.0;

/// Family names of fonts that cover Simplified Chinese, as systems ship them.
const CJK_FAMILIES: [&str; 9] = [
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
];

/// What to install when no CJK font is found.
pub const FONT_HELP: &str = "no Chinese (CJK) font found for the PNG charts: install one, e.g. \
`apt-get install fonts-noto-cjk` (Debian, Ubuntu), `dnf install google-noto-sans-cjk-fonts` \
(Fedora), `brew install --cask font-noto-sans-cjk` (macOS); Windows has Microsoft YaHei. \
The SVG charts are written either way";

pub struct Rasteriser {
    options: Options<'static>,
    cjk: bool,
}

impl Rasteriser {
    /// Loads the system's fonts once.
    pub fn new() -> Rasteriser {
        let mut options = Options::default();
        options.fontdb_mut().load_system_fonts();
        let cjk = options.fontdb.faces().any(|f| {
            f.families
                .iter()
                .any(|(name, _)| CJK_FAMILIES.iter().any(|c| name == c) || name.contains("CJK"))
        });
        if let Some(family) = CJK_FAMILIES.iter().find(|name| {
            options
                .fontdb
                .faces()
                .any(|f| f.families.iter().any(|(n, _)| n == *name))
        }) {
            // Text whose families are all missing falls back to this one.
            options.font_family = (*family).to_string();
        }
        Rasteriser { options, cjk }
    }

    /// The chart as a PNG on white, at [`SCALE`]; `Err` with what to do
    /// when its text needs a CJK font and none is installed.
    pub fn png(&self, svg: &str) -> Result<Vec<u8>, String> {
        if !self.cjk && svg.chars().any(is_cjk) {
            return Err(FONT_HELP.into());
        }
        let tree = Tree::from_str(svg, &self.options).map_err(|e| format!("chart: {e}"))?;
        let size = tree.size();
        let (w, h) = (
            (size.width() * SCALE).ceil() as u32,
            (size.height() * SCALE).ceil() as u32,
        );
        let mut pixmap = Pixmap::new(w, h).ok_or("chart: empty or too large")?;
        pixmap.fill(Color::WHITE);
        resvg::render(
            &tree,
            Transform::from_scale(SCALE, SCALE),
            &mut pixmap.as_mut(),
        );
        pixmap.encode_png().map_err(|e| format!("chart: {e}"))
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}
