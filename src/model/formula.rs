//! Formulas of formula indicators: `+ - * /`, parentheses, numbers and ids,
//! compiled once into postfix code over indicator indices, evaluated on a
//! fixed-size stack (no allocation on the per-path loop).

use crate::text::Text;
use crate::tr;
/// Deepest stack a formula may need; deeper ones are rejected when compiled.
pub const MAX_STACK: usize = 32;
/// Deepest nesting of parentheses and signs the parser follows (it recurses).
pub const MAX_NESTING: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    Const(f64),
    /// The value of indicator `i` in the year being evaluated.
    Var(usize),
    Add,
    Sub,
    Mul,
    Div,
    Neg,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Formula {
    pub code: Vec<Op>,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Num(f64),
    Id(String),
    Op(char),
    Open,
    Close,
}

/// A parse error: the byte offset in the formula text and what went wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct FormulaError {
    pub offset: usize,
    pub message: Text,
    pub help: Option<Text>,
}

fn tokenize(text: &str) -> Result<Vec<(usize, Token)>, FormulaError> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i] as char;
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() || c == '.' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
                i += 1;
            }
            // Exponent: 1e-3
            if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
                let mut j = i + 1;
                if j < bytes.len() && (bytes[j] == b'+' || bytes[j] == b'-') {
                    j += 1;
                }
                if j < bytes.len() && bytes[j].is_ascii_digit() {
                    i = j;
                    while i < bytes.len() && bytes[i].is_ascii_digit() {
                        i += 1;
                    }
                }
            }
            let s = &text[start..i];
            let v = s.parse::<f64>().map_err(|_| FormulaError {
                offset: start,
                message: tr!("`{s}` is not a number", "`{s}` 不是数"),
                help: None,
            })?;
            out.push((start, Token::Num(v)));
        } else if c.is_ascii_lowercase() {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_lowercase() || bytes[i].is_ascii_digit() || bytes[i] == b'_')
            {
                i += 1;
            }
            out.push((start, Token::Id(text[start..i].to_string())));
        } else if "+-*/".contains(c) {
            out.push((i, Token::Op(c)));
            i += 1;
        } else if c == '(' {
            out.push((i, Token::Open));
            i += 1;
        } else if c == ')' {
            out.push((i, Token::Close));
            i += 1;
        } else {
            let ch = text[i..].chars().next().unwrap_or('?');
            return Err(FormulaError {
                offset: i,
                message: tr!(
                    "unexpected `{ch}`: a formula holds numbers, indicator ids, + - * / and parentheses",
                    "意外的 `{ch}`：公式只含数字、指标 id、+ - * / 和括号"
                ),
                help: None,
            });
        }
    }
    Ok(out)
}

/// Recursive-descent parser producing postfix code; ids are resolved by `lookup`.
struct Parser<'a, F> {
    tokens: Vec<(usize, Token)>,
    pos: usize,
    end: usize,
    lookup: &'a mut F,
    code: Vec<Op>,
    /// Parentheses and signs open around the current token.
    depth: usize,
}

impl<F: FnMut(&str, usize) -> Result<usize, FormulaError>> Parser<'_, F> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos).map(|(_, t)| t)
    }

    fn offset(&self) -> usize {
        self.tokens
            .get(self.pos)
            .map(|(o, _)| *o)
            .unwrap_or(self.end)
    }

    fn expr(&mut self) -> Result<(), FormulaError> {
        self.term()?;
        while let Some(Token::Op(c @ ('+' | '-'))) = self.peek() {
            let op = if *c == '+' { Op::Add } else { Op::Sub };
            self.pos += 1;
            self.term()?;
            self.code.push(op);
        }
        Ok(())
    }

    fn term(&mut self) -> Result<(), FormulaError> {
        self.factor()?;
        while let Some(Token::Op(c @ ('*' | '/'))) = self.peek() {
            let op = if *c == '*' { Op::Mul } else { Op::Div };
            self.pos += 1;
            self.factor()?;
            self.code.push(op);
        }
        Ok(())
    }

    fn factor(&mut self) -> Result<(), FormulaError> {
        let offset = self.offset();
        if self.depth >= MAX_NESTING {
            return Err(FormulaError {
                offset,
                message: tr!(
                    "the formula nests parentheses or signs more than {MAX_NESTING} deep",
                    "公式中括号或正负号嵌套超过 {MAX_NESTING} 层"
                ),
                help: None,
            });
        }
        self.depth += 1;
        let result = self.factor_at(offset);
        self.depth -= 1;
        result
    }

    fn factor_at(&mut self, offset: usize) -> Result<(), FormulaError> {
        match self.tokens.get(self.pos).map(|(_, t)| t.clone()) {
            Some(Token::Num(v)) => {
                self.pos += 1;
                self.code.push(Op::Const(v));
            }
            Some(Token::Id(id)) => {
                self.pos += 1;
                let i = (self.lookup)(&id, offset)?;
                self.code.push(Op::Var(i));
            }
            Some(Token::Op('-')) => {
                self.pos += 1;
                self.factor()?;
                self.code.push(Op::Neg);
            }
            Some(Token::Op('+')) => {
                self.pos += 1;
                self.factor()?;
            }
            Some(Token::Open) => {
                self.pos += 1;
                self.expr()?;
                match self.peek() {
                    Some(Token::Close) => self.pos += 1,
                    _ => {
                        return Err(FormulaError {
                            offset: self.offset(),
                            message: tr!("expected `)`", "应为 `)`"),
                            help: None,
                        })
                    }
                }
            }
            _ => {
                return Err(FormulaError {
                    offset,
                    message: tr!(
                        "expected a number, an indicator id or `(`",
                        "应为数、指标 id 或 `(`"
                    ),
                    help: None,
                })
            }
        }
        Ok(())
    }
}

impl Formula {
    /// Compiles `text`; `lookup(id, offset)` turns an id into an indicator index.
    pub fn compile<F>(text: &str, mut lookup: F) -> Result<Formula, FormulaError>
    where
        F: FnMut(&str, usize) -> Result<usize, FormulaError>,
    {
        let tokens = tokenize(text)?;
        let mut p = Parser {
            tokens,
            pos: 0,
            end: text.len(),
            lookup: &mut lookup,
            code: Vec::new(),
            depth: 0,
        };
        p.expr()?;
        if p.pos != p.tokens.len() {
            return Err(FormulaError {
                offset: p.offset(),
                message: tr!(
                    "expected an operator or the end of the formula",
                    "应为运算符或公式结尾"
                ),
                help: None,
            });
        }
        let formula = Formula { code: p.code };
        if formula.stack_depth() > MAX_STACK {
            return Err(FormulaError {
                offset: 0,
                message: tr!(
                    "formula nests deeper than {MAX_STACK} levels",
                    "公式嵌套超过 {MAX_STACK} 层"
                ),
                help: None,
            });
        }
        Ok(formula)
    }

    fn stack_depth(&self) -> usize {
        let (mut depth, mut max) = (0usize, 0usize);
        for op in &self.code {
            match op {
                Op::Const(_) | Op::Var(_) => depth += 1,
                Op::Neg => {}
                _ => depth -= 1,
            }
            max = max.max(depth);
        }
        max
    }

    /// The formula in infix, fully parenthesised, with `name(i)` for ids.
    pub fn describe(&self, name: impl Fn(usize) -> String) -> String {
        let mut stack: Vec<String> = Vec::new();
        for op in &self.code {
            let s = match *op {
                Op::Const(v) => format!("{v}"),
                Op::Var(i) => name(i),
                Op::Neg => format!("-{}", stack.pop().unwrap_or_default()),
                op => {
                    let b = stack.pop().unwrap_or_default();
                    let a = stack.pop().unwrap_or_default();
                    let sym = match op {
                        Op::Add => "+",
                        Op::Sub => "-",
                        Op::Mul => "*",
                        _ => "/",
                    };
                    if stack.is_empty() {
                        format!("{a} {sym} {b}")
                    } else {
                        format!("({a} {sym} {b})")
                    }
                }
            };
            stack.push(s);
        }
        stack.pop().unwrap_or_default()
    }

    /// Indicators the formula reads.
    pub fn inputs(&self) -> impl Iterator<Item = usize> + '_ {
        self.code.iter().filter_map(|op| match op {
            Op::Var(i) => Some(*i),
            _ => None,
        })
    }

    /// Evaluates with `value(i)` giving indicator `i` in the year at hand.
    #[inline]
    pub fn eval(&self, value: impl Fn(usize) -> f64) -> f64 {
        let mut stack = [0.0f64; MAX_STACK];
        let mut sp = 0;
        for op in &self.code {
            match *op {
                Op::Const(v) => {
                    stack[sp] = v;
                    sp += 1;
                }
                Op::Var(i) => {
                    stack[sp] = value(i);
                    sp += 1;
                }
                Op::Neg => stack[sp - 1] = -stack[sp - 1],
                op => {
                    sp -= 1;
                    let (a, b) = (stack[sp - 1], stack[sp]);
                    stack[sp - 1] = match op {
                        Op::Add => a + b,
                        Op::Sub => a - b,
                        Op::Mul => a * b,
                        _ => a / b,
                    };
                }
            }
        }
        stack[0]
    }

    /// Evaluates on many paths at once, with `column(i)` giving indicator
    /// `i`'s values on each. The results are left in `stack[..len]`, which
    /// holds [`MAX_STACK`] columns `stride` apart. Path by path the same
    /// arithmetic as [`Formula::eval`], with the interpreting done once.
    pub fn eval_columns<'a>(
        &self,
        len: usize,
        stack: &mut [f64],
        stride: usize,
        column: impl Fn(usize) -> &'a [f64],
    ) {
        let mut sp = 0;
        for op in &self.code {
            match *op {
                Op::Const(v) => {
                    stack[sp * stride..sp * stride + len].fill(v);
                    sp += 1;
                }
                Op::Var(i) => {
                    stack[sp * stride..sp * stride + len].copy_from_slice(&column(i)[..len]);
                    sp += 1;
                }
                Op::Neg => stack[(sp - 1) * stride..(sp - 1) * stride + len]
                    .iter_mut()
                    .for_each(|x| *x = -*x),
                op => {
                    sp -= 1;
                    let (lower, upper) = stack.split_at_mut(sp * stride);
                    let a = &mut lower[(sp - 1) * stride..(sp - 1) * stride + len];
                    let b = &upper[..len];
                    let pairs = a.iter_mut().zip(b);
                    match op {
                        Op::Add => pairs.for_each(|(a, b)| *a += b),
                        Op::Sub => pairs.for_each(|(a, b)| *a -= b),
                        Op::Mul => pairs.for_each(|(a, b)| *a *= b),
                        _ => pairs.for_each(|(a, b)| *a /= b),
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile(text: &str) -> Result<Formula, FormulaError> {
        let ids = ["rd_spend", "revenue", "x"];
        Formula::compile(text, |id, offset| {
            ids.iter().position(|&k| k == id).ok_or(FormulaError {
                offset,
                message: tr!("unknown `{id}`", "没有 `{id}`"),
                help: None,
            })
        })
    }

    #[test]
    fn precedence_and_parentheses() {
        let vals = [2.0, 8.0, 3.0];
        let f = compile("rd_spend / revenue * 100").unwrap();
        assert_eq!(f.eval(|i| vals[i]), 25.0);
        let f = compile("(rd_spend + x) * -2 - 1e1").unwrap();
        assert_eq!(f.eval(|i| vals[i]), -20.0);
        let f = compile("revenue - x - rd_spend").unwrap();
        assert_eq!(f.eval(|i| vals[i]), 3.0);
    }

    #[test]
    fn columns_give_each_path_what_eval_gives_it() {
        let f = compile("(rd_spend + x) * -2 / revenue - 1e1 * x").unwrap();
        let cols = [[2.0, -1.5, 0.0], [8.0, 3.0, 0.0], [3.0, 0.25, 7.0]];
        let stride = 4;
        let mut stack = vec![f64::NAN; MAX_STACK * stride];
        f.eval_columns(3, &mut stack, stride, |i| &cols[i]);
        for p in 0..3 {
            let expected = f.eval(|i| cols[i][p]);
            assert_eq!(stack[p].to_bits(), expected.to_bits(), "path {p}");
        }
    }

    #[test]
    fn errors_point_at_the_problem() {
        let e = compile("rd_spend / revenu").unwrap_err();
        assert_eq!(e.offset, 11);
        let e = compile("rd_spend /").unwrap_err();
        assert_eq!(e.offset, 10);
        let e = compile("(x + 1").unwrap_err();
        assert!(e.message.en().contains(")"));
        let e = compile("x % 2").unwrap_err();
        assert_eq!(e.offset, 2);
        assert!(compile("x x").is_err());
    }

    /// A random expression as text, and its value by direct recursion.
    fn random_expr(rng: &mut impl rand::Rng, depth: u32, vals: &[f64; 3]) -> (String, f64) {
        let names = ["rd_spend", "revenue", "x"];
        if depth == 0 || rng.random_range(0..3) == 0 {
            return if rng.random() {
                let k = rng.random_range(0..3);
                (names[k].to_string(), vals[k])
            } else {
                let v = f64::from(rng.random_range(0..100u32)) / 4.0;
                (format!("{v}"), v)
            };
        }
        let (a, x) = random_expr(rng, depth - 1, vals);
        let (b, y) = random_expr(rng, depth - 1, vals);
        match rng.random_range(0..5) {
            0 => (format!("({a} + {b})"), x + y),
            1 => (format!("({a} - {b})"), x - y),
            2 => (format!("({a} * {b})"), x * y),
            3 => (format!("({a} / {b})"), x / y),
            _ => (format!("-({a})"), -x),
        }
    }

    #[test]
    fn random_expressions_compile_to_their_value() {
        use rand::SeedableRng;
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(11);
        let vals = [2.5, 8.0, -3.0];
        for _ in 0..2000 {
            let (text, expected) = random_expr(&mut rng, 5, &vals);
            let f = compile(&text).unwrap_or_else(|e| panic!("{text}: {}", e.message.en()));
            let got = f.eval(|i| vals[i]);
            assert!(
                got.to_bits() == expected.to_bits() || (got.is_nan() && expected.is_nan()),
                "{text}: {got} vs {expected}"
            );
        }
    }

    #[test]
    fn nesting_is_followed_to_its_limit_and_no_further() {
        let nested = |k: usize| format!("{}x{}", "(".repeat(k), ")".repeat(k));
        assert!(compile(&nested(MAX_NESTING - 1)).is_ok());
        let e = compile(&nested(MAX_NESTING)).unwrap_err();
        assert!(e.message.en().contains("deep"), "{}", e.message.en());
        assert!(compile(&nested(100_000)).is_err());
        assert!(compile(&format!("{}x", "-".repeat(100_000))).is_err());
    }

    #[test]
    fn random_text_is_an_error_or_a_formula_never_a_panic() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(12);
        let alphabet: Vec<char> = "()+-*/. 1e9xrevnu_长\t".chars().collect();
        for _ in 0..20_000 {
            let len = rng.random_range(0..40);
            let text: String = (0..len)
                .map(|_| alphabet[rng.random_range(0..alphabet.len())])
                .collect();
            if let Ok(f) = compile(&text) {
                assert!(f.stack_depth() <= MAX_STACK, "{text}");
            }
        }
    }
}
