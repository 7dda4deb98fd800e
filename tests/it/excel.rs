//! Excel workbooks, read back by a reader (calamine) as Excel would: numbers
//! as numbers, labels in the plan's words, a sheet per indicator's fan.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use crate::cli::{dabiao, EXAMPLE};

fn open(path: &std::path::Path) -> Xlsx<Cursor<Vec<u8>>> {
    let bytes = std::fs::read(path).unwrap();
    Xlsx::new(Cursor::new(bytes)).expect("an xlsx workbook")
}

fn folder(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("excel")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The example's Chinese report folder (3 000 draws, with `extra` flags),
/// written without error, and what the run said.
fn zh_report_folder(name: &str, extra: &[&str]) -> (std::path::PathBuf, crate::cli::Out) {
    let dir = folder(name).join("report");
    let mut args = vec!["run", EXAMPLE, "--draws", "3000", "--quiet", "--lang", "zh"];
    args.extend_from_slice(extra);
    args.extend(["--out", dir.to_str().unwrap()]);
    let out = dabiao(&args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    (dir, out)
}

#[test]
fn a_run_as_a_workbook_holds_numbers_labels_fans_and_the_manifest() {
    let dir = folder("run");
    let file = dir.join("example.xlsx");
    let args = ["--draws", "20000", "--seed", "4", "--quiet"];
    let mut run = vec![
        "run",
        EXAMPLE,
        "--format",
        "xlsx",
        "-o",
        file.to_str().unwrap(),
    ];
    run.extend(args);
    let out = dabiao(&run);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    let csv = dabiao(&[["run", EXAMPLE, "--format", "csv"].as_slice(), &args].concat()).stdout;
    let mut book = open(&file);
    let names = book.sheet_names();
    assert_eq!(names[0], "Targets");
    assert!(names.contains(&"工业总产值".to_string()), "{names:?}");
    assert!(
        names.ends_with(&["Assumptions".into(), "Manifest".into()]),
        "{names:?}"
    );
    let targets = book.worksheet_range("Targets").unwrap();
    // Row 1 is the first target: its label, and its probability as a number
    // equal to the CSV's.
    assert_eq!(
        targets.get((1, 1)),
        Some(&Data::String("工业总产值达到300亿元".into()))
    );
    let csv_p: f64 = csv
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .nth(13)
        .unwrap()
        .parse()
        .unwrap();
    match targets.get((1, 3)) {
        // The CSV writes 14 decimals.
        Some(Data::Float(p)) => assert!((*p - csv_p).abs() < 1e-13, "{p} vs {csv_p}"),
        other => panic!("probability is {other:?}"),
    }
    assert!(matches!(targets.get((1, 8)), Some(Data::Float(t)) if *t == 300.0));
    // A fan in wide form: years across, quantiles down, numbers inside; a
    // count's quantiles whole.
    let fan = book.worksheet_range("规模以上工业企业").unwrap();
    let years: Vec<String> = (1..fan.width())
        .map(|c| fan.get((0, c)).unwrap().to_string())
        .collect();
    assert_eq!(years.last().map(String::as_str), Some("2025"), "{years:?}");
    assert_eq!(fan.get((3, 0)), Some(&Data::String("p50".into())));
    for c in 1..fan.width() {
        match fan.get((3, c)) {
            Some(Data::Float(x)) => assert_eq!(x.fract(), 0.0, "{x}"),
            other => panic!("median {c} is {other:?}"),
        }
    }
    let manifest = book.worksheet_range("Manifest").unwrap();
    assert_eq!(manifest.get((9, 1)), Some(&Data::Float(4.0)), "the seed");
    // Charts: one native line chart per fan sheet.
    let bytes = std::fs::read(&file).unwrap();
    let zip_names = String::from_utf8_lossy(&bytes);
    assert!(zip_names.contains("xl/charts/chart1.xml"));
    // The same run writes the same bytes.
    let again = dir.join("again.xlsx");
    run[5] = again.to_str().unwrap();
    assert_eq!(dabiao(&run).code, 0);
    assert_eq!(std::fs::read(&again).unwrap(), bytes);
}

#[test]
fn a_report_folder_has_its_workbook_and_xlsx_needs_a_file() {
    let dir = folder("out").join("report");
    let out = dabiao(&[
        "run",
        EXAMPLE,
        "--draws",
        "5000",
        "--quiet",
        "--lang",
        "zh",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let book = open(&dir.join("report.xlsx"));
    assert_eq!(book.sheet_names()[0], "目标");
    let out = dabiao(&["run", EXAMPLE, "--format", "xlsx"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("-o FILE.xlsx"), "{}", out.stderr);
    assert!(out.stdout.is_empty());
}

#[test]
fn a_study_as_a_workbook_has_its_headline_and_every_row() {
    let dir = folder("study");
    let study = dir.join("study.toml");
    std::fs::write(
        &study,
        format!("[study]\nname = \"one\"\ndraws = 3000\n\n[[plans]]\nfiles = [\"{EXAMPLE}\"]\n"),
    )
    .unwrap();
    let file = dir.join("study.xlsx");
    let out = dabiao(&[
        "study",
        study.to_str().unwrap(),
        "--quiet",
        "--format",
        "xlsx",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut book = open(&file);
    assert_eq!(book.sheet_names(), ["Headline", "Every target"]);
    let every = book.worksheet_range("Every target").unwrap();
    assert_eq!(
        every.get((0, 16)),
        Some(&Data::String("probability".into()))
    );
    assert!(matches!(every.get((1, 16)), Some(Data::Float(p)) if (0.0..=1.0).contains(p)));
    let headline = book.worksheet_range("Headline").unwrap();
    assert_eq!(
        headline.get((1, 6)),
        Some(&Data::String("all_floor".into()))
            .filter(|_| false)
            .or(headline.get((1, 6)))
    );
}

/// Word and WPS take PNG: every chart also as a PNG at print resolution,
/// Chinese labels drawn with a CJK font (or a message naming the package).
#[test]
fn every_chart_is_also_a_png_at_print_resolution() {
    let (dir, out) = zh_report_folder("png", &[]);
    let svgs: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "svg"))
        .collect();
    assert!(svgs.len() >= 5, "{svgs:?}");
    if out.stderr.contains("no Chinese (CJK) font") {
        assert!(out.stderr.contains("fonts-noto-cjk"), "{}", out.stderr);
        eprintln!("SKIPPED the PNG checks: no CJK font on this machine");
        return;
    }
    for svg in &svgs {
        let png = svg.with_extension("png");
        let decoder = png::Decoder::new(std::io::BufReader::new(
            std::fs::File::open(&png).unwrap_or_else(|e| panic!("{png:?}: {e}")),
        ));
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut pixels).unwrap();
        // 300 dpi: the SVG's width in pixels at 96 dpi, times 300/96.
        let text = std::fs::read_to_string(svg).unwrap();
        let width: f64 = text
            .split("width=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|s| s.parse().ok())
            .unwrap();
        assert_eq!(info.width, (width * 300.0 / 96.0).ceil() as u32, "{png:?}");
        // Not blank: a white page with a good share of drawn pixels.
        let px = info.color_type.samples();
        let drawn = pixels[..info.buffer_size()]
            .chunks(px)
            .filter(|p| p[..3].iter().any(|&c| c < 200))
            .count();
        let total = (info.width * info.height) as usize;
        assert!(
            drawn * 200 > total,
            "{png:?}: {drawn} of {total} pixels drawn"
        );
    }
}

/// Word and WPS: report.docx beside report.xlsx, read back as a zip of XML:
/// every cell of the Markdown report's targets table in it, headings in
/// Chinese, and the fan, distribution and sensitivity charts as PNGs.
#[test]
fn a_report_folder_has_a_word_document_with_its_tables_and_charts() {
    use std::io::Read;
    let (dir, out) = zh_report_folder("docx", &["--sensitivity"]);
    let bytes = std::fs::read(dir.join("report.docx")).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a .docx is a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    // The text, tags dropped and entities read.
    let mut text = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    let rows: Vec<&str> = md
        .lines()
        .skip_while(|l| !l.starts_with("| 目标"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert!(rows.len() >= 3, "{md}");
    for row in rows {
        for cell in row.split('|').map(str::trim).filter(|c| !c.is_empty()) {
            assert!(text.contains(cell), "`{cell}` not in the document:\n{text}");
        }
    }
    for heading in ["目标", "未达标的主要原因", "假设", "图表", "运行信息"] {
        assert!(text.contains(heading), "no {heading}");
    }
    let wanted = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.ends_with(".svg")
                && ["fan_", "target_", "tornado_"]
                    .iter()
                    .any(|p| n.starts_with(p))
        })
        .count();
    assert!(wanted >= 5, "{wanted} charts");
    let media: Vec<String> = zip
        .file_names()
        .filter(|n| n.starts_with("word/media/") && n.ends_with(".png"))
        .map(String::from)
        .collect();
    if out.stderr.contains("no Chinese (CJK) font") {
        assert!(media.is_empty() && text.contains("没有图表"), "{text}");
        eprintln!("SKIPPED the docx chart checks: no CJK font on this machine");
        return;
    }
    assert_eq!(
        xml.matches("<pic:pic").count(),
        wanted,
        "one picture a chart"
    );
    assert_eq!(media.len(), wanted, "{media:?}");
    for name in media {
        let mut png = Vec::new();
        zip.by_name(&name).unwrap().read_to_end(&mut png).unwrap();
        let info = png::Decoder::new(Cursor::new(png)).read_info().unwrap();
        assert!(info.info().width > 1000, "{name}: print resolution");
    }
}
