//! Where the model's parts are written in a scenario file: paths for
//! messages, reports and `--set`. The model itself knows no paths.

use crate::model::shift::Input;
use crate::model::{Kind, Model};

/// The path of an input that `--sensitivity` moves, e.g. `indicators.output.growth.mean`.
pub fn input(model: &Model, input: Input) -> String {
    match input {
        Input::Growth(i) => {
            let ind = &model.indicators[i];
            let field = match ind.kind {
                Kind::Share { .. } => "change",
                _ => "growth",
            };
            format!("indicators.{}.{field}.mean", ind.id)
        }
        Input::Entries(i) => format!("indicators.{}.entries.mean", model.indicators[i].id),
        Input::Base(i) => format!("indicators.{}.base", model.indicators[i].id),
        Input::ShockProbability(s) => format!("shocks.{}.probability", model.shocks[s].id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_input_path_is_one_that_set_accepts() {
        let text = "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2022\n\
             [indicators.x]\nkind = \"level\"\nbase = { dist = \"uniform\", low = 90, high = 110 }\n\
             growth = { mean = 0.05, sd = 0.02 }\n\
             [indicators.n]\nkind = \"count\"\nbase = 10\nentries = { mean = 4 }\n\
             [indicators.s]\nkind = \"share\"\nbase = 0.3\nchange = { mean = 0.01, sd = 0.01 }\n\
             [shocks.d]\nprobability = 0.1\neffect = -0.1\naffects = { x = 1 }\n";
        let m = crate::scenario::load("t.toml", text, &[]).unwrap();
        let paths: Vec<String> = m.inputs().into_iter().map(|(i, _)| input(&m, i)).collect();
        assert_eq!(
            paths,
            [
                "indicators.x.growth.mean",
                "indicators.x.base",
                "indicators.n.entries.mean",
                "indicators.s.change.mean",
                "shocks.d.probability"
            ]
        );
        // Each path names the value it moves: setting it there loads.
        for p in &paths {
            let set = format!("{p}=0.2");
            crate::scenario::load("t.toml", text, &[set]).unwrap();
        }
    }
}
