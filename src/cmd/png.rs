//! Charts as PNG for Word and WPS, which older versions cannot take as SVG:
//! the same SVG rasterised by resvg at print resolution, with the system's
//! fonts. A CJK font must be found when a chart has Chinese text; otherwise
//! the message says which package to install.

use resvg::tiny_skia::{Color, Pixmap, Transform};
use resvg::usvg::{Options, Tree};

use crate::text::Text;
use crate::tr;

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
pub fn font_help() -> Text {
    tr!(
        "no Chinese (CJK) font found for the PNG charts: install one, e.g. \
`apt-get install fonts-noto-cjk` (Debian, Ubuntu), `dnf install google-noto-sans-cjk-fonts` \
(Fedora), `brew install --cask font-noto-sans-cjk` (macOS); Windows has Microsoft YaHei. \
The SVG charts are written either way",
        "PNG 图表找不到中文（CJK）字体：请安装一个，例如 `apt-get install fonts-noto-cjk`\
（Debian、Ubuntu）、`dnf install google-noto-sans-cjk-fonts`（Fedora）、\
`brew install --cask font-noto-sans-cjk`（macOS）；Windows 自带微软雅黑。SVG 图表照常写出"
    )
}

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
    pub fn png(&self, svg: &str) -> Result<Vec<u8>, Text> {
        if !self.cjk && svg.chars().any(is_cjk) {
            return Err(font_help());
        }
        let failed = |e: &dyn std::fmt::Display| tr!("chart: {e}", "图表出错（\"{e}\"）");
        let tree = Tree::from_str(svg, &self.options).map_err(|e| failed(&e))?;
        let size = tree.size();
        let (w, h) = (
            (size.width() * SCALE).ceil() as u32,
            (size.height() * SCALE).ceil() as u32,
        );
        let mut pixmap = Pixmap::new(w, h)
            .ok_or_else(|| tr!("chart: empty or too large", "图表：为空或过大"))?;
        pixmap.fill(Color::WHITE);
        resvg::render(
            &tree,
            Transform::from_scale(SCALE, SCALE),
            &mut pixmap.as_mut(),
        );
        pixmap.encode_png().map_err(|e| failed(&e))
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}
