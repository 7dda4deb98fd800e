//! Parts: what one shard of a run or a study writes, as bytes, and the check
//! that parts belong together before `dabiao merge` adds them up.
//!
//! A part is a header (a magic line, the part format, the version of dabiao
//! that wrote it), a body in postcard's compact binary, and a SHA-256 of all
//! that before it, so that a truncated or damaged file is refused rather than
//! merged. A run's part carries the scenario's text with its tally: merging
//! needs nothing but the parts, and rebuilds exactly the model every shard ran.

use serde::{Deserialize, Serialize};
use sha2::Digest;

use crate::scenario::history_files::Recorded;
use crate::simulate::Shard;
use crate::stats::tally::Tally;
use crate::study::StudyPart;
use crate::text::Text;
use crate::tr;

/// The layout of a part's body; a change to it makes older parts unreadable.
pub const PART_FORMAT: u32 = 5;
const MAGIC: &[u8] = b"dabiao part\n";
const DIGEST: usize = 32;

/// What makes two shards parts of the same run: every input of its numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunIdentity {
    /// The scenario file as given to `run`.
    pub file: String,
    /// SHA-256 of the scenario file's bytes, in hex.
    pub sha256: String,
    pub variant: Option<String>,
    /// `--set` overrides, as given.
    pub overrides: Vec<String>,
    pub seed: u64,
    pub draws: u64,
    /// How paths are drawn (`Sampler::name`).
    pub sampler: String,
    /// SHA-256 of the series its `history_file`s named ([`histories_digest`]).
    pub histories_sha256: String,
}

impl RunIdentity {
    /// Each field by name, as a reader would compare them.
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("scenario file", self.file.clone()),
            ("scenario SHA-256", self.sha256.clone()),
            (
                "variant",
                self.variant.clone().unwrap_or_else(|| "(none)".into()),
            ),
            ("overrides", format!("{:?}", self.overrides)),
            ("seed", self.seed.to_string()),
            ("draws", self.draws.to_string()),
            ("sampler", self.sampler.clone()),
            ("history files' SHA-256", self.histories_sha256.clone()),
        ]
    }
}

/// One shard of a run: its identity, the scenario it ran, and its tally.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunPart {
    pub identity: RunIdentity,
    /// The scenario file's text, so that merge rebuilds the same model.
    pub text: String,
    /// The series its `history_file`s named, as read: merge needs not the files.
    pub histories: Vec<Recorded>,
    pub tally: Tally,
}

/// SHA-256 of series read from files, in hex: two shards whose files
/// differed draw from different models.
pub fn histories_digest(histories: &[Recorded]) -> String {
    // `{:?}` writes each f64 so that it reads back exactly.
    sha2::Sha256::digest(format!("{histories:?}").as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What a part holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Body {
    Run(Box<RunPart>),
    Study(StudyPart),
}

/// One shard's output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    pub shard: Shard,
    /// Worker threads and wall-clock seconds the shard took (never change a number).
    pub threads: usize,
    pub seconds: f64,
    pub body: Body,
}

impl Part {
    /// What must be equal in every part of one merge, by name.
    fn identity(&self) -> Vec<(&'static str, String)> {
        let mut fields = vec![("shard count", self.shard.count.to_string())];
        match &self.body {
            Body::Run(r) => {
                fields.insert(0, ("kind", "run".into()));
                fields.extend(r.identity.fields());
            }
            Body::Study(s) => {
                fields.insert(0, ("kind", "study".into()));
                fields.extend(s.identity.fields());
            }
        }
        fields
    }
}

/// The part as bytes: header, body, checksum.
pub fn encode(part: &Part) -> Vec<u8> {
    let mut bytes = header(env!("CARGO_PKG_VERSION"));
    // Serialising plain data into a Vec cannot fail.
    bytes.extend(postcard::to_allocvec(part).expect("a part serialises"));
    let digest = sha2::Sha256::digest(&bytes);
    bytes.extend_from_slice(&digest);
    bytes
}

fn header(version: &str) -> Vec<u8> {
    let mut bytes = MAGIC.to_vec();
    bytes.extend_from_slice(&PART_FORMAT.to_le_bytes());
    bytes.extend_from_slice(&(version.len() as u16).to_le_bytes());
    bytes.extend_from_slice(version.as_bytes());
    bytes
}

/// Reads a part written by this version of dabiao; says what is wrong otherwise.
pub fn decode(bytes: &[u8]) -> Result<Part, Text> {
    let truncated = || {
        tr!(
            "truncated: it ends inside the header",
            "不完整：在文件头中间就结束了"
        )
    };
    if !bytes.starts_with(MAGIC) {
        return Err(if MAGIC.starts_with(bytes) {
            truncated()
        } else {
            tr!(
                "not a part written by `dabiao run --shard` or `dabiao study --shard`",
                "不是 `dabiao run --shard` 或 `dabiao study --shard` 写出的分片"
            )
        });
    }
    let fixed = MAGIC.len() + 4 + 2;
    if bytes.len() < fixed + DIGEST {
        return Err(truncated());
    }
    let (content, digest) = bytes.split_at(bytes.len() - DIGEST);
    if sha2::Sha256::digest(content).as_slice() != digest {
        return Err(tr!(
            "damaged or truncated: its checksum does not match its contents (write it again)",
            "已损坏或不完整：校验和与内容不符（请重新写出）"
        ));
    }
    let format = u32::from_le_bytes(content[MAGIC.len()..][..4].try_into().expect("4 bytes"));
    let len = u16::from_le_bytes(content[MAGIC.len() + 4..][..2].try_into().expect("2 bytes"));
    let version = content
        .get(fixed..fixed + len as usize)
        .and_then(|v| std::str::from_utf8(v).ok())
        .ok_or_else(|| {
            tr!(
                "damaged: its header's version is unreadable",
                "已损坏：文件头中的版本无法读取"
            )
        })?;
    let ours = env!("CARGO_PKG_VERSION");
    if format != PART_FORMAT || version != ours {
        return Err(tr!(
            "written by dabiao {version} (part format {format}); this is dabiao {ours} (part format {PART_FORMAT}): run every shard with one version, since another may draw other numbers",
            "由 dabiao {version}（分片格式 {format}）写出；当前是 dabiao {ours}（分片格式 {PART_FORMAT}）：所有分片请用同一版本运行，不同版本可能抽出不同的数"
        ));
    }
    postcard::from_bytes(&content[fixed + len as usize..]).map_err(|e| {
        tr!(
            "damaged: its contents do not read as a part ({e})",
            "已损坏：内容无法作为分片读取（{e}）"
        )
    })
}

/// Checks that part `name` comes from the same run or study as part
/// `first_name`: every field of their identity equal, named if not.
pub fn same_source(first_name: &str, first: &Part, name: &str, part: &Part) -> Result<(), Text> {
    let (want, have) = (first.identity(), part.identity());
    let what = if matches!(first.body, Body::Run(_)) {
        tr!("run", "运行")
    } else {
        tr!("study", "研究")
    };
    match want.iter().zip(&have).find(|(a, b)| a != b) {
        None => Ok(()),
        Some(((field, a), (_, b))) => Err(tr!(
            "{first_name} and {name} are not parts of the same {what}: {field} is {a} in {first_name} and {b} in {name}",
            "{first_name} 与 {name} 不属于同一{what}：{field} 在 {first_name} 中为 {a}，在 {name} 中为 {b}",
            what = what
        )),
    }
}

/// Checks that the named shards are each of `0..N` exactly once.
pub fn every_shard_once(shards: &[(&str, Shard)]) -> Result<(), Text> {
    let Some(&(_, first)) = shards.first() else {
        return Err(tr!("no parts to merge", "没有可合并的分片"));
    };
    let count = first.count;
    let mut by_index: Vec<Option<&str>> = vec![None; count as usize];
    for &(name, shard) in shards {
        match by_index[shard.index as usize] {
            Some(other) => {
                return Err(tr!(
                    "shard {i}/{count} is given twice: {other} and {name}",
                    "分片 {i}/{count} 给了两次：{other} 和 {name}",
                    i = shard.index
                ))
            }
            None => by_index[shard.index as usize] = Some(name),
        }
    }
    let missing: Vec<String> = (0..count)
        .filter(|&i| by_index[i as usize].is_none())
        .map(|i| i.to_string())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let shown = missing
        .iter()
        .take(10)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let more = if missing.len() > 10 { ", …" } else { "" };
    Err(tr!(
        "{n} of {count} shards missing: {shown}{more} (shards count from 0)",
        "{count} 个分片中缺 {n} 个：{shown}{more}（分片从 0 计数）",
        n = missing.len()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(index: u64, count: u64, seed: u64) -> Part {
        Part {
            shard: Shard::new(index, count).unwrap(),
            threads: 1,
            seconds: 0.5,
            body: Body::Run(Box::new(RunPart {
                identity: RunIdentity {
                    file: "a.toml".into(),
                    sha256: "00".into(),
                    variant: None,
                    overrides: vec![],
                    seed,
                    draws: 1000,
                    sampler: "mc".into(),
                    histories_sha256: histories_digest(&[]),
                },
                text: "[scenario]".into(),
                histories: vec![],
                tally: Tally::new(1, 1, 2, 0, false, 0, Vec::new()),
            })),
        }
    }

    #[test]
    fn parts_round_trip_and_refuse_damage() {
        let p = part(1, 3, 7);
        let bytes = encode(&p);
        assert_eq!(decode(&bytes).unwrap(), p);
        for cut in [0, 5, MAGIC.len() + 3, bytes.len() / 2, bytes.len() - 1] {
            let e = decode(&bytes[..cut]).unwrap_err().en().to_string();
            assert!(e.contains("truncated"), "{cut}: {e}");
        }
        let mut flipped = bytes.clone();
        flipped[bytes.len() / 2] ^= 1;
        assert!(decode(&flipped).unwrap_err().en().contains("checksum"));
        assert!(decode(b"scenario,id\n")
            .unwrap_err()
            .en()
            .contains("not a part"));
        // Another version's part, with a checksum of its own.
        let mut other = header("0.0.1");
        other.extend(postcard::to_allocvec(&p).unwrap());
        let digest = sha2::Sha256::digest(&other);
        other.extend_from_slice(&digest);
        assert!(decode(&other).unwrap_err().en().contains("dabiao 0.0.1"));
    }

    #[test]
    fn parts_belong_together_once_each() {
        assert!(same_source("p0", &part(0, 3, 7), "p1", &part(2, 3, 7)).is_ok());
        let e = same_source("p0", &part(0, 3, 7), "p1", &part(1, 3, 8))
            .unwrap_err()
            .en()
            .to_string();
        assert!(e.contains("seed is 7 in p0 and 8 in p1"), "{e}");
        let e = same_source("p0", &part(0, 2, 7), "p1", &part(1, 3, 7))
            .unwrap_err()
            .en()
            .to_string();
        assert!(e.contains("shard count is 2 in p0 and 3 in p1"), "{e}");
        let s = |i| Shard::new(i, 3).unwrap();
        assert!(every_shard_once(&[("a", s(2)), ("b", s(0)), ("c", s(1))]).is_ok());
        let e = every_shard_once(&[("p0", s(0)), ("p1", s(0))])
            .unwrap_err()
            .en()
            .to_string();
        assert!(e.contains("shard 0/3 is given twice: p0 and p1"), "{e}");
        let e = every_shard_once(&[("p0", s(0)), ("p1", s(2))])
            .unwrap_err()
            .en()
            .to_string();
        assert!(e.contains("1 of 3 shards missing: 1"), "{e}");
    }
}
