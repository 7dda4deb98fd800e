//! `dabiao extract`: read a plan, write a draft scenario.

use crate::cli::ExtractArgs;
use crate::error::{Diagnostic, Error};
use crate::extract::{read, render, text};
use crate::text::Text;

pub fn extract(args: &ExtractArgs) -> Result<(), Error> {
    let file = args.plan.display().to_string();
    let fail = |message: Text| {
        let mut d = Diagnostic::new(message);
        d.file = Some(file.clone());
        Error::Input(vec![d])
    };
    let bytes = read_bytes(&args.plan).map_err(&fail)?;
    let plan_text = text::decode(&bytes).map_err(&fail)?;
    let plan = read(&plan_text).map_err(&fail)?;
    let name = args
        .plan
        .file_name()
        .map_or(file.clone(), |n| n.to_string_lossy().into_owned());
    let lang = super::lang(args.lang);
    let (draft, counts) = render(&plan, &name, lang);
    match &args.output {
        None => super::print(&draft)?,
        Some(path) => super::write_whole(path, draft.as_bytes())?,
    }
    let c = counts;
    let summary = crate::tr!(
        "{t} targets ({f} floor, {s} stretch; {v} values in a year, {g} growth rates, {y} yearly floors, {a} additions) on {i} indicators; {u} clause(s) listed as unmodelled; {p} placeholder(s) to fill (dabiao check lists them)",
        "{t} 个目标（底线 {f} 个、力争 {s} 个；年度数值 {v} 个、增长率 {g} 个、逐年底线 {y} 个、新增 {a} 个），涉及 {i} 个指标；{u} 条列为未模拟；{p} 处待填（dabiao check 会列出）",
        t = c.targets,
        f = c.floor,
        s = c.stretch,
        v = c.values,
        g = c.growth,
        y = c.yearly,
        a = c.additions,
        i = c.indicators,
        u = c.unplaced,
        p = c.placeholders
    );
    eprintln!("{}", summary.get(lang));
    Ok(())
}

fn read_bytes(path: &std::path::Path) -> Result<Vec<u8>, Text> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| {
            f.take(text::MAX_PLAN_BYTES as u64 + 1)
                .read_to_end(&mut bytes)
        })
        .map_err(|e| {
            crate::tr!(
                "cannot read the file: {e}",
                "无法读取文件：{e}",
                e = crate::text::io_error(&e)
            )
        })?;
    Ok(bytes)
}
