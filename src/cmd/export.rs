//! `--export-paths N`: the first N simulated paths, every indicator and
//! year, so that anyone can audit the numbers behind a summary. The same
//! draws as the run: `simulate::for_each_path` replays them. Rows stream to
//! the file as they are drawn: memory does not grow with N.

use std::io::Write;

use crate::model::Model;
use crate::simulate::for_each_path;

pub fn paths_csv(model: &Model, seed: u64, n: u64, out: &mut dyn Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut row = vec!["path".to_string(), "year".to_string()];
    row.extend(model.indicators.iter().map(|i| i.id.clone()));
    w.write_record(&row)?;
    let n_ind = model.indicators.len();
    let mut failed = None;
    for_each_path(model, seed, n, |path, values| {
        if failed.is_some() {
            return;
        }
        for (t, year) in model.years().enumerate() {
            row.clear();
            row.push(path.to_string());
            row.push(year.to_string());
            row.extend(values[t * n_ind..(t + 1) * n_ind].iter().map(|v| {
                if v.is_finite() {
                    v.to_string()
                } else {
                    String::new()
                }
            }));
            if let Err(e) = w.write_record(&row) {
                failed = Some(e);
                return;
            }
        }
    });
    if let Some(e) = failed {
        return Err(e.into());
    }
    w.flush()
}
