//! The part of JMESPath that botocore's `waiters-2.json` uses, parsed into
//! a tree that [`super::compile`] turns into typed Rust: members and quoted
//! members, `.`, flatten `[]`, a map's values `.*`, filters `[?...]`, `length(...)`, JSON
//! literals (`` `0` ``) and raw strings (`'ACTIVE'`), the comparisons, `!`,
//! `&&`, `||` and parentheses. Anything else (indexes, slices, `*`, pipes,
//! other functions, multi-selects) is refused with the expression and
//! where in it, never guessed at.

use serde_json::Value;

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Ast {
    /// Members, flattens and filters from the current value (the output,
    /// or the element a filter is testing).
    Path(Vec<Step>),
    /// A JSON literal or a raw string.
    Literal(Value),
    /// `length(x)`
    Length(Box<Ast>),
    Compare(CmpOp, Box<Ast>, Box<Ast>),
    And(Box<Ast>, Box<Ast>),
    Or(Box<Ast>, Box<Ast>),
    Not(Box<Ast>),
}

/// One step of a path. After a flatten or a filter the steps that follow
/// apply to each element (a projection), as in JMESPath.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Member(String),
    /// `[]`
    Flatten,
    /// `[?condition]`, the condition tested on each element.
    Filter(Box<Ast>),
    /// `.*`: the values of a map (SES's `VerificationAttributes.*`).
    Values,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// Parses `text`; the error quotes it and says what was not understood.
pub fn parse(text: &str) -> Result<Ast, String> {
    let tokens = lex(text).map_err(|e| format!("`{text}`: {e}"))?;
    let mut parser = Parser { tokens, at: 0 };
    let ast = parser.or().map_err(|e| format!("`{text}`: {e}"))?;
    match parser.peek() {
        None => Ok(ast),
        Some(t) => Err(format!("`{text}`: unexpected {}", t.describe())),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Literal(Value),
    Dot,
    /// `*`
    Star,
    /// `[]`
    Flatten,
    /// `[?`
    FilterStart,
    Close,
    Open,
    CloseParen,
    Cmp(CmpOp),
    And,
    Or,
    Not,
}

impl Token {
    fn describe(&self) -> String {
        match self {
            Token::Ident(name) => format!("`{name}`"),
            Token::Literal(v) => format!("literal {v}"),
            Token::Dot => "`.`".into(),
            Token::Star => "`*`".into(),
            Token::Flatten => "`[]`".into(),
            Token::FilterStart => "`[?`".into(),
            Token::Close => "`]`".into(),
            Token::Open => "`(`".into(),
            Token::CloseParen => "`)`".into(),
            Token::Cmp(op) => format!("`{}`", op.symbol()),
            Token::And => "`&&`".into(),
            Token::Or => "`||`".into(),
            Token::Not => "`!`".into(),
        }
    }
}

fn lex(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let beyond = |what: &str| {
        format!("{what} is JMESPath beyond what botocore's waiters use, which the generator does not compile")
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            ' ' | '\t' | '\n' | '\r' => i += 1,
            '.' => {
                tokens.push(Token::Dot);
                i += 1;
            }
            '*' => {
                tokens.push(Token::Star);
                i += 1;
            }
            '(' => {
                tokens.push(Token::Open);
                i += 1;
            }
            ')' => {
                tokens.push(Token::CloseParen);
                i += 1;
            }
            ']' => {
                tokens.push(Token::Close);
                i += 1;
            }
            '[' => match next {
                Some(']') => {
                    tokens.push(Token::Flatten);
                    i += 2;
                }
                Some('?') => {
                    tokens.push(Token::FilterStart);
                    i += 2;
                }
                _ => return Err(beyond("an index, slice or wildcard `[`")),
            },
            '=' if next == Some('=') => {
                tokens.push(Token::Cmp(CmpOp::Eq));
                i += 2;
            }
            '!' if next == Some('=') => {
                tokens.push(Token::Cmp(CmpOp::Ne));
                i += 2;
            }
            '!' => {
                tokens.push(Token::Not);
                i += 1;
            }
            '<' | '>' => {
                let or_equal = next == Some('=');
                tokens.push(Token::Cmp(match (c, or_equal) {
                    ('<', false) => CmpOp::Lt,
                    ('<', true) => CmpOp::Le,
                    ('>', false) => CmpOp::Gt,
                    _ => CmpOp::Ge,
                }));
                i += if or_equal { 2 } else { 1 };
            }
            '&' if next == Some('&') => {
                tokens.push(Token::And);
                i += 2;
            }
            '|' if next == Some('|') => {
                tokens.push(Token::Or);
                i += 2;
            }
            '`' => {
                let end = (i + 1..chars.len())
                    .find(|&j| chars[j] == '`' && chars[j - 1] != '\\')
                    .ok_or("a literal without its closing '`'")?;
                let body: String = chars[i + 1..end].iter().collect();
                let value: Value = serde_json::from_str(&body.replace("\\`", "`"))
                    .map_err(|e| format!("literal `{body}` is not JSON: {e}"))?;
                tokens.push(Token::Literal(value));
                i = end + 1;
            }
            '\'' => {
                let mut value = String::new();
                let mut j = i + 1;
                loop {
                    match chars.get(j) {
                        None => return Err("a raw string without its closing `'`".into()),
                        Some('\\') if chars.get(j + 1) == Some(&'\'') => {
                            value.push('\'');
                            j += 2;
                        }
                        Some('\'') => break,
                        Some(&other) => {
                            value.push(other);
                            j += 1;
                        }
                    }
                }
                tokens.push(Token::Literal(Value::String(value)));
                i = j + 1;
            }
            '"' => {
                let end = (i + 1..chars.len())
                    .find(|&j| chars[j] == '"' && chars[j - 1] != '\\')
                    .ok_or("a quoted name without its closing `\"`")?;
                let quoted: String = chars[i..=end].iter().collect();
                let name: String = serde_json::from_str(&quoted)
                    .map_err(|e| format!("quoted name {quoted}: {e}"))?;
                tokens.push(Token::Ident(name));
                i = end + 1;
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let end = (i..chars.len())
                    .find(|&j| !(chars[j].is_ascii_alphanumeric() || chars[j] == '_'))
                    .unwrap_or(chars.len());
                tokens.push(Token::Ident(chars[i..end].iter().collect()));
                i = end;
            }
            other => return Err(beyond(&format!("`{other}`"))),
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn bump(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn expect(&mut self, want: Token) -> Result<(), String> {
        match self.bump() {
            Some(t) if t == want => Ok(()),
            Some(t) => Err(format!(
                "{} where {} belongs",
                t.describe(),
                want.describe()
            )),
            None => Err(format!("the end where {} belongs", want.describe())),
        }
    }

    fn or(&mut self) -> Result<Ast, String> {
        let mut left = self.and()?;
        while self.peek() == Some(&Token::Or) {
            self.bump();
            left = Ast::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Ast, String> {
        let mut left = self.comparison()?;
        while self.peek() == Some(&Token::And) {
            self.bump();
            left = Ast::And(Box::new(left), Box::new(self.comparison()?));
        }
        Ok(left)
    }

    fn comparison(&mut self) -> Result<Ast, String> {
        let left = self.unary()?;
        if let Some(Token::Cmp(op)) = self.peek().cloned() {
            self.bump();
            let right = self.unary()?;
            return Ok(Ast::Compare(op, Box::new(left), Box::new(right)));
        }
        Ok(left)
    }

    /// `!x` binds tighter than a comparison, as in JMESPath.
    fn unary(&mut self) -> Result<Ast, String> {
        if self.peek() == Some(&Token::Not) {
            self.bump();
            return Ok(Ast::Not(Box::new(self.unary()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Ast, String> {
        match self.bump() {
            Some(Token::Open) => {
                let inner = self.or()?;
                self.expect(Token::CloseParen)?;
                Ok(inner)
            }
            Some(Token::Literal(value)) => Ok(Ast::Literal(value)),
            Some(Token::Ident(name)) if self.peek() == Some(&Token::Open) => {
                if name != "length" {
                    return Err(format!(
                        "the function `{name}` is beyond what botocore's waiters use (`length`)"
                    ));
                }
                self.bump();
                let argument = self.or()?;
                self.expect(Token::CloseParen)?;
                Ok(Ast::Length(Box::new(argument)))
            }
            Some(Token::Ident(name)) => self.path(name),
            Some(t) => Err(format!("unexpected {}", t.describe())),
            None => Err("an expression that ends too soon".into()),
        }
    }

    /// A path from its first member: `.member`, `[]` and `[?...]` after it.
    fn path(&mut self, first: String) -> Result<Ast, String> {
        let mut steps = vec![Step::Member(first)];
        loop {
            match self.peek() {
                Some(Token::Dot) => {
                    self.bump();
                    match self.bump() {
                        Some(Token::Ident(name)) => steps.push(Step::Member(name)),
                        Some(Token::Star) => steps.push(Step::Values),
                        Some(t) => return Err(format!("{} after `.`", t.describe())),
                        None => return Err("`.` at the end".into()),
                    }
                }
                Some(Token::Flatten) => {
                    self.bump();
                    steps.push(Step::Flatten);
                }
                Some(Token::FilterStart) => {
                    self.bump();
                    let condition = self.or()?;
                    self.expect(Token::Close)?;
                    steps.push(Step::Filter(Box::new(condition)));
                }
                _ => return Ok(Ast::Path(steps)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn path(steps: &[&str]) -> Ast {
        Ast::Path(
            steps
                .iter()
                .map(|s| match *s {
                    "[]" => Step::Flatten,
                    name => Step::Member(name.to_string()),
                })
                .collect(),
        )
    }

    fn lit(v: Value) -> Box<Ast> {
        Box::new(Ast::Literal(v))
    }

    #[test]
    fn the_forms_botocore_uses() {
        assert_eq!(
            parse("Table.TableStatus").unwrap(),
            path(&["Table", "TableStatus"])
        );
        assert_eq!(
            parse("Reservations[].Instances[].State.Name").unwrap(),
            path(&["Reservations", "[]", "Instances", "[]", "State", "Name"])
        );
        assert_eq!(
            parse("length(Images[]) > `0`").unwrap(),
            Ast::Compare(
                CmpOp::Gt,
                Box::new(Ast::Length(Box::new(path(&["Images", "[]"])))),
                lit(json!(0))
            )
        );
        assert_eq!(
            parse("status != 'CANCELLING' && status != 'CANCELLED'").unwrap(),
            Ast::And(
                Box::new(Ast::Compare(
                    CmpOp::Ne,
                    Box::new(path(&["status"])),
                    lit(json!("CANCELLING"))
                )),
                Box::new(Ast::Compare(
                    CmpOp::Ne,
                    Box::new(path(&["status"])),
                    lit(json!("CANCELLED"))
                )),
            )
        );
        assert_eq!(
            parse("length(Output || '') > `0`").unwrap(),
            Ast::Compare(
                CmpOp::Gt,
                Box::new(Ast::Length(Box::new(Ast::Or(
                    Box::new(path(&["Output"])),
                    lit(json!(""))
                )))),
                lit(json!(0))
            )
        );
        let filter = parse(
            "length(services[?!(length(deployments) == `1` && runningCount == desiredCount)]) == `0`",
        )
        .unwrap();
        let Ast::Compare(CmpOp::Eq, length, _) = filter else {
            panic!("{filter:?}")
        };
        let Ast::Length(inner) = *length else {
            panic!()
        };
        let Ast::Path(steps) = *inner else { panic!() };
        assert_eq!(steps[0], Step::Member("services".into()));
        assert!(matches!(&steps[1], Step::Filter(c) if matches!(**c, Ast::Not(_))));
        assert_eq!(
            parse("\"odd-name\" <= `1.5`").unwrap(),
            Ast::Compare(CmpOp::Le, Box::new(path(&["odd-name"])), lit(json!(1.5)))
        );
        assert_eq!(
            parse("VerificationAttributes.*.VerificationStatus").unwrap(),
            Ast::Path(vec![
                Step::Member("VerificationAttributes".into()),
                Step::Values,
                Step::Member("VerificationStatus".into()),
            ])
        );
        assert_eq!(parse("'it\\'s'").unwrap(), Ast::Literal(json!("it's")));
    }

    #[test]
    fn more_than_that_is_refused_with_the_expression() {
        for text in [
            "",
            "a[0]",
            "a[*].b",
            "*.a",
            "a.b.*[0]",
            "a | b",
            "sort(a)",
            "a.",
            "length(a",
            "a[?b",
            "`{bad`",
            "'open",
            "a == == b",
            "{a: b}",
            "@",
        ] {
            let err = parse(text).unwrap_err();
            assert!(err.starts_with(&format!("`{text}`")), "{text}: {err}");
        }
    }
}
